"""User-facing input problems: what was wrong, where, and what was expected.

Loaders collect every problem in a file before raising, so a user fixes them all in one go.
A problem's `where` and `message` are plain English, or `Said` phrases (catalogue `PROBLEMS`)
where an app shows them in the user's language (component files in the head judge's
console): `str(problem)` is English either way, `problem.render(lang)` is in `lang`.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from .event import Text
from .phrases import Phrase

PROBLEMS: dict[str, Text] = {
    # where in the file
    "line": Text("第 {line} 行", "line {line}"),
    "line_column": Text("第 {line} 行 {column} 列", "line {line}, column {column}"),
    # reading a spreadsheet (sync.tabular)
    "unreadable": Text("无法读取文件（{error}）", "cannot read the file: {error}"),
    "not_text": Text("既不是 UTF-8 也不是 GB18030 文本；请另存为 CSV（UTF-8）",
                     "neither UTF-8 nor GB18030 text; save it as CSV (UTF-8)"),
    "not_csv": Text("无法作为 CSV 读取（{error}）", "not readable as CSV: {error}"),
    "not_xlsx": Text("无法作为 Excel .xlsx 工作簿读取（{error}）",
                     "not readable as an Excel .xlsx workbook ({error})"),
    "missing_columns": Text("缺少列 {missing}；应有列 {required}（实有 {found}）",
                            "missing column(s) {missing}; expected columns {required} "
                            "(found {found})"),
    "no_columns": Text("无", "none"),
    "os_ENOENT": Text("文件不存在", "No such file or directory"),
    "os_EACCES": Text("没有读取权限", "Permission denied"),
    "os_EISDIR": Text("这是文件夹，不是文件", "Is a directory"),
    # an imported component's values (head_judge.paper)
    "not_import_component": Text("{component} 不是本赛事的导入成绩项；导入成绩项为 {imports}",
                                 "{component} is not an imported component of this event; "
                                 "expected one of {imports}"),
    "no_import_components": Text("（无）", "(none)"),
    "unknown_contestant": Text("本赛事没有选手 {contestant}", "unknown contestant {contestant}"),
    "duplicate_value": Text("{contestant} 的值重复（第一次在第 {line} 行）",
                            "duplicate value for {contestant} (first on line {line})"),
    "not_a_value": Text("{text}：应为 0–{max} 之间的数", "{text}: expected a number 0–{max}"),
}


class Said(Phrase):
    """A problem's place or message from `PROBLEMS`, English as a `str`."""

    catalogue = PROBLEMS


def os_reason(error: OSError) -> str:
    """Why the system could not open a file: in both languages for the common causes, else
    the system's own (English) words."""
    name = errno.errorcode.get(error.errno or 0, "")
    if f"os_{name}" in PROBLEMS:
        return Said(f"os_{name}")
    return error.strerror or str(error)


@dataclass(frozen=True)
class Problem:
    """One mistake in one input file. `where` is a field path or `line N, column X`."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}"

    def render(self, lang: str) -> str:
        """The problem in `lang` (its file as it is; plain English parts as they are)."""
        colon = "：" if lang == "zh" else ": "
        where = self.where.render(lang) if isinstance(self.where, Phrase) else self.where
        message = self.message.render(lang) if isinstance(self.message, Phrase) \
            else self.message
        place = f"{self.file}{colon}{where}" if where else self.file
        return f"{place}{colon}{message}"


class InputProblems(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def render(self, lang: str) -> str:
        """Every problem in `lang`, one a line."""
        return "\n".join(p.render(lang) for p in self.problems)
