"""The documentation stays true to the code.

- docs/event-file.md documents every key the event-file loader accepts, in the section of the
  table that accepts it. The accepted keys are not copied here: they are read from
  `sync/event_file.py` itself, by recording the key set every `_Table` is built with while
  the page's complete examples load (which also proves the examples load), and by reading
  the source to check that those examples reached every key set the loader has. Every
  choice value (`"trimmed_mean"`, `"half_even"`, ...) is documented too, and so is every key
  of the registration mapping file (`sync/registration.py`).
- docs/data-model.md lists every ledger entry kind the projections apply.
- Every `head-judge` / `judge-terminal` command a guide shows (in code) exists.
- Relative links between the docs resolve.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
import pytest

import sync.event_file as event_file
import sync.registration as registration
from head_judge.cli import main as head_judge_cli
from head_judge.projections import MasterProjections
from judge_terminal.cli import main as judge_terminal_cli

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
EVENT_DOC = DOCS / "event-file.md"
GUIDES = ("venue-guide.md", "judge-guide.md", "notary-guide.md", "appeals-guide.md",
          "security.md", "data-model.md", "event-file.md")
NAMES_SECTION = "Bilingual names"
IMPORT_SECTION = "Importing contestants from a registration workbook"


# --- reading the page -------------------------------------------------------------------------


def sections(text: str) -> dict[str, str]:
    """Heading text -> the section's body, for `##`/`###` headings."""
    parts = re.split(r"^(#{2,3}) (.+)$", text, flags=re.MULTILINE)
    return {parts[i + 1].strip(): parts[i + 2] for i in range(1, len(parts) - 2, 3)}


def table_keys(body: str) -> set[str]:
    """Keys documented in a section: the backticked first cell of each table row."""
    return set(re.findall(r"^\|\s*`([A-Za-z_]+)`\s*\|", body, flags=re.MULTILINE))


def section_path(heading: str) -> str | None:
    """`[event]` -> "event", `[[rubric.criteria]]` -> "rubric.criteria", Top level -> ""."""
    if heading == "Top level":
        return ""
    match = re.fullmatch(r"`\[\[?([a-z_.]+)\]\]?`", heading)
    return match.group(1) if match else None


def documented() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for heading, body in sections(EVENT_DOC.read_text(encoding="utf-8")).items():
        path = section_path(heading)
        if path is not None:
            found[path] = table_keys(body)
    return found


def blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```$", EVENT_DOC.read_text(encoding="utf-8"),
                      flags=re.MULTILINE | re.DOTALL)


# --- what the loader accepts ------------------------------------------------------------------


def traced_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                  ) -> list[tuple[str, tuple[str, ...]]]:
    """(table path, accepted keys) of every table the loader reads while loading the page's
    complete examples; each example must load without a problem."""
    seen: list[tuple[str, tuple[str, ...]]] = []
    original = event_file._Table.__init__

    def recording(self: Any, out: Any, file: str, where: str, data: Any,
                  keys: Sequence[str]) -> None:
        seen.append((re.sub(r"\[\d+\]", "", where), tuple(keys)))
        original(self, out, file, where, data, keys)

    monkeypatch.setattr(event_file._Table, "__init__", recording)
    examples = [b for b in blocks("toml") if b.startswith("schema = 1")]
    [csv] = blocks("csv")
    assert len(examples) == 2
    for index, example in enumerate(examples):
        folder = tmp_path / str(index)
        folder.mkdir()
        (folder / "event.toml").write_text(example, encoding="utf-8")
        (folder / "contestants.csv").write_text(csv, encoding="utf-8")
        event_file.load_event(folder / "event.toml")  # raises InputProblems if it is wrong
    return seen


def source_key_sets() -> Iterator[tuple[str, ...]]:
    """Every key set a `_Table` is built with in sync/event_file.py: the last argument of
    `_Table(...)`, the second of `.table(...)` and `.tables(...)`."""
    tree = ast.parse(inspect.getsource(event_file))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "_Table":
            arg = node.args[-1]
        elif isinstance(func, ast.Attribute) and func.attr in ("table", "tables") \
                and len(node.args) >= 2:
            arg = node.args[1]
        else:
            continue
        if isinstance(arg, ast.Name) and not hasattr(event_file, arg.id):
            continue  # `_Table`'s own helpers pass their `keys` parameter on
        yield _resolve(arg)


def choice_values() -> Iterator[str]:
    """Every option of every `_choice(...)` in the loader."""
    tree = ast.parse(inspect.getsource(event_file))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "_choice":
            yield from _resolve(node.args[0])


def _resolve(arg: ast.expr) -> tuple[str, ...]:
    if isinstance(arg, ast.Name):
        return tuple(getattr(event_file, arg.id))
    value = ast.literal_eval(arg)
    assert isinstance(value, tuple), ast.dump(arg)
    return value


# --- the tests --------------------------------------------------------------------------------


def test_every_key_the_loader_accepts_is_documented_in_its_table(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = documented()
    names = table_keys(sections(EVENT_DOC.read_text(encoding="utf-8"))[NAMES_SECTION])
    missing: list[str] = []
    for path, keys in traced_tables(tmp_path, monkeypatch):
        if tuple(keys) == tuple(event_file.LANGUAGES):
            missing += [f"{path}.{k} (in '{NAMES_SECTION}')" for k in keys if k not in names]
        elif path not in docs:
            missing.append(f"a section for [{path}] ({', '.join(keys)})")
        else:
            missing += [f"{path}.{k}" if path else k for k in keys if k not in docs[path]]
    assert sorted(set(missing)) == [], "add these to docs/event-file.md"


def test_the_examples_reach_every_table_the_loader_has(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reached = {keys for _, keys in traced_tables(tmp_path, monkeypatch)}
    in_source = set(source_key_sets())
    assert len(in_source) >= 15  # the AST walk found the loader's tables
    assert sorted(in_source - reached) == [], \
        "docs/event-file.md's complete examples never use a table with these keys"


def test_documented_keys_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    accepted: dict[str, set[str]] = {}
    for path, keys in traced_tables(tmp_path, monkeypatch):
        accepted.setdefault(path, set()).update(keys)
    for path, names in documented().items():
        assert names <= accepted.get(path, set()), f"[{path}] documents unknown keys"


def test_every_choice_is_documented() -> None:
    text = EVENT_DOC.read_text(encoding="utf-8")
    values = set(choice_values())
    assert {"mean", "median", "trimmed_mean", "half_up", "panel", "import", "count"} <= values
    assert sorted(v for v in values if f'"{v}"' not in text) == []


def test_every_key_of_the_mapping_file_is_documented() -> None:
    body = sections(EVENT_DOC.read_text(encoding="utf-8"))[IMPORT_SECTION]
    keys = table_keys(body)
    expected = {*registration._TOP_KEYS, *registration._WORKBOOK_KEYS,
                *registration._ID_KEYS, *registration._COLUMN_KEYS}
    assert sorted(expected - keys) == []
    assert all(f"`{c}`" in body for c in event_file.CONTESTANT_COLUMNS)


def test_the_example_mapping_is_valid() -> None:
    registration.load_mapping(DOCS / "examples" / "jiangsu-mapping.toml")


def test_every_ledger_kind_is_in_the_data_model() -> None:
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", text, flags=re.MULTILINE))
    assert sorted(MasterProjections().kinds - listed) == []


def _commands(group: click.Group, prefix: str) -> set[str]:
    found = {prefix}
    for name, command in group.commands.items():
        found.add(f"{prefix} {name}")
        if isinstance(command, click.Group):
            found |= {f"{prefix} {name} {sub}" for sub in command.commands}
    return found


def test_every_command_the_guides_name_exists() -> None:
    known = _commands(head_judge_cli, "head-judge") | _commands(judge_terminal_cli,
                                                                "judge-terminal")
    groups = {c for c in known if c.count(" ") == 1 and isinstance(
        (head_judge_cli if c.startswith("head-judge") else judge_terminal_cli)
        .commands.get(c.split()[1]), click.Group)}
    unknown: list[str] = []
    for name in (*GUIDES, "../README.md", "../installer/README.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        code = "\n".join(re.findall(r"^```[a-z]*\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
                         + re.findall(r"`([^`\n]+)`", text))
        for match in re.finditer(r"\b(head-judge|judge-terminal)((?: [a-z][a-z-]+)+)", code):
            words = [match.group(1), *match.group(2).split()]
            command = " ".join(words[:2])
            if command in groups and len(words) > 2:
                command = " ".join(words[:3])
            if command not in known:
                unknown.append(f"{name}: {command}")
    assert sorted(set(unknown)) == []


def test_relative_links_resolve() -> None:
    broken: list[str] = []
    for name in (*GUIDES, "../README.md", "../installer/README.md"):
        path = DOCS / name
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(
                encoding="utf-8")):
            if "://" in target:
                continue
            if not (path.parent / target).exists():
                broken.append(f"{name}: {target}")
    assert broken == []
