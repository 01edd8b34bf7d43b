"""Reads paper-fallback inputs: judges' sheets CSV and imported component CSVs.

Every bad row is reported with its line number, all at once, and nothing is returned
when any row is bad: a partial tabulation is never computed. A criterion's column is headed by
its id or its name in any of the event's languages (`sheet_columns`). Problems are `Said`
phrases: English as a `str`, `render(lang)` in either language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path

from sync.event import Criterion, Event
from sync.problems import InputProblems, Problem, Said
from sync.tabular import Table, read_table

from .scoring import PanelSheet

_NUMBER = re.compile(r"^\d{1,6}(\.\d{1,6})?$")


def parse_value(text: str) -> Decimal | None:
    """A non-negative plain decimal as typed on a sheet (`8`, `8.5`), else None."""
    return Decimal(text) if _NUMBER.match(text) else None


def rubric_problem(event: Event, criterion_id: str, value: Decimal) -> str | None:
    """Why `value` is not allowed for the criterion (a `Said`, English as a `str`), or None
    when it is."""
    criterion = event.criterion(criterion_id)
    if criterion is None:
        return Said("unknown_criterion", criterion=repr(criterion_id))
    if value < 0 or value > criterion.max:
        return Said("out_of_range", value=value, max=criterion.max)
    if value % criterion.step != 0:
        return Said("off_step", value=value, step=criterion.step)
    return None


JUDGE_HEADERS = ("judge", "评委")
CONTESTANT_HEADERS = ("contestant", "选手")


def header_key(text: str) -> str:
    """A column header as compared: NFKC (full-width letters and spaces), then stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def criterion_names(event: Event, criterion: Criterion) -> tuple[str, ...]:
    """What a criterion's column may be headed with: its id, then its name in each of the
    event's languages."""
    names = [criterion.id] + [getattr(criterion.name, lang, "") for lang in event.languages]
    return tuple(dict.fromkeys(header_key(n) for n in names if header_key(n)))


def sheet_columns(event: Event, table: Table) -> dict[str, str]:
    """Which header of `table` holds each field (`judge`, `contestant`, each criterion id).
    A criterion column is headed by the criterion's id or its name in any of the event's
    languages (`创意` or `Creativity`); an unknown, ambiguous or repeated header, or a missing
    column, is an `InputProblems` naming the column and the names expected."""
    by_id = {header_key(c.id): c.id for c in event.criteria}
    by_name: dict[str, list[str]] = {}
    for criterion in event.criteria:
        for name in criterion_names(event, criterion):
            by_name.setdefault(name, []).append(criterion.id)
    fields = {**{header_key(h): "judge" for h in JUDGE_HEADERS},
              **{header_key(h): "contestant" for h in CONTESTANT_HEADERS}}
    expected = ", ".join(f"{c.id} ({' / '.join(criterion_names(event, c)[1:]) or c.id})"
                         for c in event.criteria)
    where = Said("line", line=1)
    problems: list[Problem] = []
    columns: dict[str, str] = {}
    letters: dict[str, str] = {}  # field -> its column as the messages name it
    for index, header in enumerate(table.header):
        key = header_key(header)
        column = f"{column_letter(index)} {header!r}"
        field = fields.get(key) or by_id.get(key)
        if field is None:
            matches = sorted(set(by_name.get(key, ())))
            if len(matches) > 1:
                problems.append(Problem(table.file, where, Said(
                    "ambiguous_column", column=column, criteria=", ".join(matches))))
                continue
            if not matches:
                problems.append(Problem(table.file, where, Said(
                    "unknown_column", column=column, expected=expected)))
                continue
            field = matches[0]
        if field in columns:
            problems.append(Problem(table.file, where, Said(
                "duplicate_column", column=column, other=letters[field], criterion=field)))
            continue
        columns[field] = header
        letters[field] = column
    required = ("judge", "contestant") + tuple(c.id for c in event.criteria)
    missing = [f for f in required if f not in columns]
    if missing:
        problems.append(Problem(table.file, where, Said(
            "missing_columns", missing=", ".join(missing), required=", ".join(required),
            found=", ".join(table.header) or Said("no_columns"))))
    if problems:
        raise InputProblems(problems)
    return columns


def column_letter(index: int) -> str:
    """A spreadsheet's name for the column at `index` (0: A, 26: AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def sheets_header(event: Event) -> tuple[str, ...]:
    """The header `read_sheets` reads and `tabulate --template` writes: ids throughout."""
    return ("judge", "contestant") + tuple(c.id for c in event.criteria)


def read_sheets(event: Event, path: str | Path,
                absent: Collection[str] = ()) -> list[PanelSheet]:
    """Sheets CSV/XLSX with columns `judge,contestant,<criteria...>`, each criterion headed by
    its id or its name in one of the event's languages (`sheet_columns`). `absent`: contestants
    declared absent, for whom a sheet is a problem."""
    table = read_table(path)
    columns = sheet_columns(event, table)
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    sheets: list[PanelSheet] = []
    for line, row in table.rows:
        typed_judge, typed_contestant = row[columns["judge"]], row[columns["contestant"]]
        judge, contestant = event.judge(typed_judge), event.contestant(typed_contestant)
        row_ok = True
        if judge is None:
            problems.append(Problem(table.file, Said("line_column", line=line, column="judge"),
                                    Said("unknown_judge", judge=repr(typed_judge),
                                         judges=", ".join(j.id for j in event.judges))))
            row_ok = False
        if contestant is None:
            problems.append(Problem(table.file, Said("line_column", line=line,
                                                     column="contestant"),
                                    Said("unknown_contestant", contestant=repr(typed_contestant))))
            row_ok = False
        elif contestant.id in absent:
            problems.append(Problem(table.file, Said("line", line=line), Said(
                "declared_absent_sheet", contestant=contestant.id,
                option=f"--absent {contestant.id}")))
            row_ok = False
        if judge is not None and contestant is not None:
            key = (judge.id, contestant.id)
            if key in seen:
                problems.append(Problem(table.file, Said("line", line=line), Said(
                    "duplicate_sheet", judge=judge.id, contestant=contestant.id,
                    line=seen[key])))
                row_ok = False
            else:
                seen[key] = line
            if event.is_recused(judge, contestant):
                problems.append(Problem(table.file, Said("line", line=line), Said(
                    "recused_sheet", judge=judge.id, contestant=contestant.id)))
                row_ok = False
        values: dict[str, Decimal] = {}
        for criterion in event.criteria:
            where = Said("line_column", line=line, column=columns[criterion.id])
            text = row.get(columns[criterion.id], "")
            value = parse_value(text)
            if value is None:
                problems.append(Problem(table.file, where, Said(
                    "not_a_score", text=repr(text), max=criterion.max, step=criterion.step)))
                row_ok = False
                continue
            reason = rubric_problem(event, criterion.id, value)
            if reason:
                problems.append(Problem(table.file, where, reason))
                row_ok = False
            values[criterion.id] = value
        if row_ok and judge is not None and contestant is not None:
            sheets.append(PanelSheet(judge.id, contestant.id, values))
    if problems:
        raise InputProblems(problems)
    return sheets


def read_component(event: Event, component_id: str, path: str | Path) -> dict[str, Decimal]:
    """Imported component values, CSV/XLSX with columns `contestant,value`."""
    component = event.component(component_id)
    if component is None or component.source != "import":
        imports = [c.id for c in event.scoring.components if c.source == "import"]
        raise InputProblems([Problem(str(path), "", Said(
            "not_import_component", component=repr(component_id),
            imports=", ".join(imports) or Said("no_import_components")))])
    table = read_table(path)
    table.require_columns(("contestant", "value"))
    problems: list[Problem] = []
    values: dict[str, Decimal] = {}
    lines: dict[str, int] = {}
    for line, row in table.rows:
        cid, text = row["contestant"], row["value"]
        if event.contestant(cid) is None:
            problems.append(Problem(table.file, Said("line_column", line=line,
                                                     column="contestant"),
                                    Said("unknown_contestant", contestant=repr(cid))))
            continue
        if cid in lines:
            problems.append(Problem(table.file, Said("line", line=line),
                                    Said("duplicate_value", contestant=cid, line=lines[cid])))
            continue
        lines[cid] = line
        value = parse_value(text)
        if value is None or value > component.max:
            problems.append(Problem(table.file, Said("line_column", line=line, column="value"),
                                    Said("not_a_value", text=repr(text), max=component.max)))
            continue
        values[cid] = value
    if problems:
        raise InputProblems(problems)
    return values
