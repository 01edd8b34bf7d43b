"""Contestants from an organiser's registration workbook, through a column mapping.

Organisers collect entries in their own spreadsheet: typically one sheet per organisation, a
title row, the organisation in a cell near the top, Chinese headers a few rows down, and
personal data the kiosk must not hold (ID numbers, phone numbers, height and weight). A
mapping file (TOML, docs/event-file.md "Importing contestants") says where each contestant
column of the event's contestants file comes from; only those cells are read into the
output, so everything else in the workbook is left behind.

    [columns]
    name = { header = "姓名" }                 # a column, found by its header text
    organisation = { cell = "B2" }             # one cell of each sheet
    track = { value = "cbec" }                 # the same for everyone
    group = { header = "组别", values = { "学生组" = "students", "职工组" = "employees" } }
    members = { headers = ["队员1", "队员2"], join = "、" }   # several columns joined
    [id]                                       # ids generated when the workbook has none
    prefix = "JS"
    digits = 3
    [match]                                    # read to find duplicates only, never written
    id_number = { header = "身份证号" }

The header row of each sheet is the first row (within `[workbook] header_search_rows`) that
holds every mapped header; headers are compared ignoring spaces, full-width/half-width
differences and a leading or trailing `*`. A row below it counts when any mapped column has
text in it (pre-numbered empty template rows and footnotes are skipped).

Duplicate rows are problems naming both cells: the same name and organisation (unless both
rows have ID-card numbers, `[match] id_number`, that differ), or the same ID-card number. The
ID-card number is compared as a keyed digest (the key random per run) and nowhere else: it is
in no output, problem, log or `Registration`. Organisations are compared as
`sync.organisations.organisation_key` (`快手(黑龙江)` = `快手（黑龙江）`); with an event,
`affiliation_warnings` names each organisation that is close to a judge's affiliation without
being the same (no recusal would follow).

Every problem names the workbook, the sheet and the cell (`sheet 南京职院, row 7, cell C7:
姓名 is empty`) and all of them are raised together as `InputProblems`; the contestants file
is written only when there is none, atomically, as UTF-8 with a BOM so that Excel opens it
with the Chinese intact. `check_against_event` loads the event file with the imported
contestants in place, so unknown tracks, groups or judges are caught before anything is
written. Reading spreadsheets is `sync.tabular`'s job; this module only maps.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import shutil
import tempfile
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

from .event import Event, Text
from .event_file import CONTESTANT_COLUMNS, ID_CHARS, load_event
from .organisations import near_match, organisation_key
from .problems import InputProblems, Problem, Said, os_reason
from .tabular import read_workbook

__all__ = [
    "DEFAULT_HEADER_SEARCH_ROWS",
    "ColumnSource",
    "IdSequence",
    "Imported",
    "MappingFile",
    "Registration",
    "affiliation_warnings",
    "check_against_event",
    "contestants_csv",
    "import_contestants",
    "load_mapping",
    "read_registrations",
    "write_contestants",
]

DEFAULT_HEADER_SEARCH_ROWS: Final = 30
_REQUIRED: Final = ("id", "name", "organisation", "track")
_SOURCE_KEYS: Final = ("header", "headers", "cell", "value", "sheet_name")
_COLUMN_KEYS: Final = (*_SOURCE_KEYS, "values", "join")
_TOP_KEYS: Final = ("workbook", "columns", "id", "match")
_MATCH_KEYS: Final = ("id_number",)
_PEPPER: Final = os.urandom(16)
"""The key of ID-card digests: random per run, so a digest cannot be looked up."""
_WORKBOOK_KEYS: Final = ("sheets", "skip_sheets", "header_search_rows")
_ID_KEYS: Final = ("prefix", "digits", "start")
_CELL: Final = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")
_BAD_ID: Final = re.compile(r"[\s:;,]")
_WHOLE: Final = re.compile(r"^\+?(\d{1,9})(\.0*)?$")


# --- the mapping ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSource:
    """Where one contestant column comes from: exactly one of `headers` (one or more column
    headers; several are joined with `join`), `cell` (column, row; the same cell of every
    sheet), `value` (fixed text) or `sheet_name`. `values` maps cell text to what is written
    (e.g. 学生组 -> students); with it, any other text is a problem."""

    column: str
    headers: tuple[str, ...] = ()
    cell: tuple[int, int] | None = None
    value: str | None = None
    sheet_name: bool = False
    values: Mapping[str, str] | None = None
    join: str = "、"

    @property
    def from_rows(self) -> bool:
        return bool(self.headers)


@dataclass(frozen=True)
class IdSequence:
    """Generated ids: `prefix` + a sequence number of `digits` digits (zero-padded) from
    `start`, in workbook order (sheet by sheet, row by row)."""

    prefix: str
    digits: int = 3
    start: int = 1

    def make(self, index: int) -> str:
        return f"{self.prefix}{self.start + index:0{self.digits}d}"


@dataclass(frozen=True)
class MappingFile:
    file: str
    columns: Mapping[str, ColumnSource]
    ids: IdSequence | None = None
    sheets: tuple[str, ...] | None = None  # None: every sheet
    skip_sheets: tuple[str, ...] = ()
    header_search_rows: int = DEFAULT_HEADER_SEARCH_ROWS
    id_number: ColumnSource | None = None
    """`[match] id_number`: the ID-card column (a header or a cell), for duplicates only."""

    def sources(self) -> tuple[ColumnSource, ...]:
        """Every column read: the contestant columns, then the ID-card column if mapped."""
        extra = (self.id_number,) if self.id_number is not None else ()
        return (*self.columns.values(), *extra)


def cell_name(column: int, row: int) -> str:
    """`C7` for column 3, row 7 (both counted from 1)."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def _parse_cell(text: str) -> tuple[int, int] | None:
    match = _CELL.match(text.strip())
    if match is None:
        return None
    column = 0
    for ch in match.group(1).upper():
        column = column * 26 + ord(ch) - ord("A") + 1
    return column, int(match.group(2))


def normalise_header(text: str) -> str:
    """Header text as compared: NFKC (full-width -> half-width), no whitespace, no leading or
    trailing `*` (a required-field mark)."""
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded).strip("*")


class _MappingReader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def keys(self, where: str, table: Mapping[str, object], allowed: Sequence[str]) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = Said("ev_did_you_mean", key=close[0]) if close else ""
                self.problem(f"{where}.{key}" if where else key,
                             Said("ev_unknown_key", hint=hint, keys=", ".join(allowed)))

    def table(self, where: str, value: object) -> Mapping[str, object] | None:
        if not isinstance(value, dict):
            self.problem(where, Said("ev_expected", expected=Said("ev_exp_a_table")))
            return None
        return value

    def text(self, where: str, value: object, *, empty_ok: bool = False) -> str | None:
        if not isinstance(value, str) or (not empty_ok and not value.strip()):
            self.problem(where, Said("ev_expected", expected=Said("ev_exp_text"))
                         if not isinstance(value, str)
                         else Said("ev_empty", expected=Said("reg_exp_plain_text")))
            return None
        return value

    def texts(self, where: str, value: object) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.problem(where, Said("ev_expected", expected=Said(
                "reg_exp_texts_eg", example='["队员1", "队员2"]')))
            return None
        found = [self.text(f"{where}[{i}]", item) for i, item in enumerate(value)]
        return tuple(t for t in found if t is not None)

    def whole(self, where: str, value: object, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(where, Said("ev_expected", expected=Said(
                "ev_exp_whole_from_to", low=low, high=high)))
            return None
        return value


def load_mapping(path: str | Path) -> MappingFile:
    """Read and check a mapping file; raise `InputProblems` listing every mistake in it."""
    file = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputProblems([Problem(file, "", Said("reg_unreadable",
                                                    error=os_reason(error)))]) from None
    except UnicodeDecodeError:
        raise InputProblems([Problem(file, "", Said("reg_not_utf8"))]) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputProblems([Problem(file, "", Said("ev_syntax", toml="TOML",
                                                    error=str(error)))]) from None
    reader = _MappingReader(file)
    reader.keys("", doc, _TOP_KEYS)
    columns = _columns(reader, doc.get("columns"))
    ids = _ids(reader, doc.get("id"))
    if ids is not None and "id" in columns:
        reader.problem("id", Said("reg_id_both", generated="[id]", column="columns.id"))
    if "id" not in doc and "id" not in columns and isinstance(doc.get("columns"), dict) \
            and "id" not in doc["columns"]:
        reader.problem("columns", Said("reg_no_id", map='columns.id = { header = "编号" }',
                                       generate='[id] prefix = "C"'))
    sheets, skip, search = _workbook(reader, doc.get("workbook", {}))
    id_number = _match(reader, doc.get("match"))
    if reader.problems:
        raise InputProblems(reader.problems)
    return MappingFile(file, columns, ids, sheets, skip, search, id_number)


def _match(reader: _MappingReader, raw: object) -> ColumnSource | None:
    """`[match] id_number = { header = "身份证号" }` (or a header text, or `{ cell = "C5" }`)."""
    if raw is None:
        return None
    table = reader.table("match", raw)
    if table is None or "id_number" not in table:
        reader.keys("match", table or {}, _MATCH_KEYS)
        return None
    reader.keys("match", table, _MATCH_KEYS)
    where = "match.id_number"
    source = table["id_number"]
    source = {"header": source} if isinstance(source, str) else source
    given = reader.table(where, source)
    if given is None:
        return None
    if set(given) not in ({"header"}, {"cell"}):
        reader.problem(where, Said("reg_exp_match", a='{ header = "身份证号" }',
                                   b='{ cell = "C5" }'))
        return None
    return _column(reader, "id_number", given, where)


def _columns(reader: _MappingReader, raw: object) -> dict[str, ColumnSource]:
    if raw is None:
        reader.problem("columns", Said("reg_no_columns", table="[columns]", fields=Text(
            "name、organisation 和 track", "name, organisation and track")))
        return {}
    table = reader.table("columns", raw)
    if table is None:
        return {}
    reader.keys("columns", table, CONTESTANT_COLUMNS)
    columns: dict[str, ColumnSource] = {}
    for column in CONTESTANT_COLUMNS:
        if column not in table:
            if column in _REQUIRED and column != "id":
                reader.problem(f"columns.{column}", Said("reg_column_required"))
            continue
        source = _column(reader, column, table[column])
        if source is not None:
            columns[column] = source
    return columns


def _column(reader: _MappingReader, column: str, raw: object, where: str = ""
            ) -> ColumnSource | None:
    where = where or f"columns.{column}"
    if isinstance(raw, str):  # shorthand: the header text
        raw = {"header": raw}
    table = reader.table(where, raw)
    if table is None:
        return None
    reader.keys(where, table, _COLUMN_KEYS)
    given = [k for k in _SOURCE_KEYS if k in table]
    if len(given) != 1:
        reader.problem(where, Said("ev_exactly_one", options=Text(
            "header、headers、cell、value 或 sheet_name",
            "header, headers, cell, value or sheet_name"),
            given=Said("ev_given", keys=", ".join(given)) if given else ""))
        return None
    kind = given[0]
    headers: tuple[str, ...] = ()
    cell: tuple[int, int] | None = None
    value: str | None = None
    sheet_name = False
    if kind == "header":
        one = reader.text(f"{where}.header", table["header"])
        headers = (one,) if one is not None else ()
    elif kind == "headers":
        headers = reader.texts(f"{where}.headers", table["headers"]) or ()
    elif kind == "cell":
        text = reader.text(f"{where}.cell", table["cell"])
        cell = _parse_cell(text) if text is not None else None
        if text is not None and cell is None:
            expected = Said("ev_expected", expected=Said("reg_exp_cell", example='"B2"'))
            reader.problem(f"{where}.cell", Said("ev_got", message=expected, got=f'"{text}"'))
    elif kind == "value":
        value = reader.text(f"{where}.value", table["value"], empty_ok=column not in _REQUIRED)
    elif table["sheet_name"] is not True:
        reader.problem(f"{where}.sheet_name", Said("ev_expected", expected="sheet_name = true"))
    else:
        sheet_name = True
    join = "、"
    if "join" in table:
        join = reader.text(f"{where}.join", table["join"], empty_ok=True) or ""
        if kind != "headers":
            reader.problem(f"{where}.join", Said("reg_join", join="join",
                                                 headers="headers = [...]"))
    values: dict[str, str] | None = None
    if "values" in table:
        mapped = reader.table(f"{where}.values", table["values"])
        values = {}
        for key, target in (mapped or {}).items():
            text = reader.text(f"{where}.values.{key}", target, empty_ok=True)
            if text is not None:
                values[key.strip()] = text
        if not values:
            reader.problem(f"{where}.values", Said("ev_expected", expected=Text(
                '至少一个 "单元格文字" = "值"', 'at least one "cell text" = "value"')))
    if column == "id" and kind == "value":
        reader.problem(f"{where}.value", Said("reg_own_id", ids="[id]"))
    return ColumnSource(column, headers, cell, value, sheet_name, values, join)


def _ids(reader: _MappingReader, raw: object) -> IdSequence | None:
    if raw is None:
        return None
    table = reader.table("id", raw)
    if table is None:
        return None
    reader.keys("id", table, _ID_KEYS)
    prefix = reader.text("id.prefix", table.get("prefix"), empty_ok=True) \
        if "prefix" in table else ""
    if prefix and _BAD_ID.search(prefix):
        reader.problem("id.prefix", Said("ev_expected", expected=Said("reg_exp_prefix",
                                                                      chars=ID_CHARS)))
    digits = reader.whole("id.digits", table.get("digits", 3), 1, 9)
    start = reader.whole("id.start", table.get("start", 1), 0, 10**9)
    if prefix is None or digits is None or start is None:
        return None
    return IdSequence(prefix, digits, start)


def _workbook(reader: _MappingReader, raw: object
              ) -> tuple[tuple[str, ...] | None, tuple[str, ...], int]:
    table = reader.table("workbook", raw)
    if table is None:
        return None, (), DEFAULT_HEADER_SEARCH_ROWS
    reader.keys("workbook", table, _WORKBOOK_KEYS)
    sheets: tuple[str, ...] | None = None
    if "sheets" in table and table["sheets"] != "all":
        sheets = reader.texts("workbook.sheets", table["sheets"])
    skip = reader.texts("workbook.skip_sheets", table["skip_sheets"]) or () \
        if "skip_sheets" in table else ()
    search = reader.whole("workbook.header_search_rows",
                          table.get("header_search_rows", DEFAULT_HEADER_SEARCH_ROWS), 1, 1000)
    return sheets, skip, search or DEFAULT_HEADER_SEARCH_ROWS


# --- reading the workbook ---------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """One contestant as read: column -> text (every contestant column, "" when unmapped),
    and where it came from (sheet, row; row 0 when the sheet is one contestant's form and
    every column comes from a cell)."""

    sheet: str
    row: int
    values: Mapping[str, str] = field(default_factory=dict)
    cells: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Column -> the cell it was read from (`C7`), for the columns read from a cell."""
    person: str = field(default="", repr=False, compare=False)
    """A keyed digest of the ID-card number (`[match] id_number`), "" without one."""

    def cell_place(self, column: str) -> str:
        """`sheet 南京职院, row 7, cell C7` for the cell `column` came from (in either
        language: a `Said`), else `place`."""
        cell = self.cells.get(column)
        if cell is None:
            return self.place
        if self.row:
            return Said("reg_cell", sheet=self.sheet, row=self.row, cell=cell)
        return Said("reg_form_cell", sheet=self.sheet, cell=cell)

    @property
    def place(self) -> str:
        return (Said("reg_row", sheet=self.sheet, row=self.row) if self.row
                else Said("reg_sheet", sheet=self.sheet))


class _Sheet:
    """One sheet's rows and problems."""

    def __init__(self, file: str, name: str, rows: list[tuple[int, list[str]]],
                 problems: list[Problem]) -> None:
        self.file = file
        self.name = name
        self.rows = rows
        self.problems = problems

    def problem(self, where: str | None, message: str) -> None:
        place = (Said("reg_sheet_at", sheet=self.name, where=where) if where
                 else Said("reg_sheet", sheet=self.name))
        self.problems.append(Problem(self.file, place, message))

    def cell(self, column: int, row: int) -> str:
        if row > len(self.rows):
            return ""
        cells = self.rows[row - 1][1]
        return cells[column - 1].strip() if column <= len(cells) else ""


def read_registrations(workbook: str | Path, mapping: MappingFile) -> list[Registration]:
    """Every contestant in the workbook's sheets, mapped; `InputProblems` with every problem
    found (each naming the sheet and cell) when there is any."""
    file = str(workbook)
    problems: list[Problem] = []
    chosen = _chosen_sheets(file, read_workbook(workbook), mapping, problems)
    found: list[Registration] = []
    for name, rows in chosen:
        sheet = _Sheet(file, name, rows, problems)
        found.extend(_sheet_registrations(sheet, mapping))
    if not found and not problems:
        problems.append(Problem(file, "", Said("reg_no_contestants")))
    if mapping.ids is not None:
        found = [replace(r, values={**r.values, "id": mapping.ids.make(i)})
                 for i, r in enumerate(found)]
    else:
        _check_ids(file, found, mapping, problems)
    problems.extend(duplicate_people(file, found))
    if problems:
        raise InputProblems(problems)
    return found


def _chosen_sheets(file: str, sheets: list[tuple[str, list[tuple[int, list[str]]]]],
                   mapping: MappingFile, problems: list[Problem]
                   ) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    names = [name for name, _ in sheets]
    for wanted in (*(mapping.sheets or ()), *mapping.skip_sheets):
        if wanted not in names:
            problems.append(Problem(mapping.file, "workbook", Said(
                "reg_no_sheet", wanted=wanted, file=file, names=", ".join(names))))
    return [(name, rows) for name, rows in sheets
            if (mapping.sheets is None or name in mapping.sheets)
            and name not in mapping.skip_sheets]


def _find_header(sheet: _Sheet, mapping: MappingFile
                 ) -> tuple[int, dict[str, int]] | None:
    """(row number, header text -> column number) of the sheet's header row."""
    wanted = list(dict.fromkeys(h for s in mapping.sources() for h in s.headers))
    if not wanted:
        return None
    best: tuple[int, list[str]] | None = None
    for number, cells in sheet.rows[:mapping.header_search_rows]:
        positions: dict[str, list[int]] = {}
        for index, cell in enumerate(cells, start=1):
            positions.setdefault(normalise_header(cell), []).append(index)
        present = [h for h in wanted if normalise_header(h) in positions]
        if len(present) == len(wanted):
            twice = [h for h in wanted if len(positions[normalise_header(h)]) > 1]
            if twice:
                sheet.problem(Said("reg_row_only", row=number),
                              Said("reg_header_twice", headers=", ".join(twice)))
                return None
            return number, {h: positions[normalise_header(h)][0] for h in wanted}
        if present and (best is None or len(present) > len(best[1])):
            best = (number, present)
    if best is None:
        sheet.problem(None, Said("reg_no_header", headers=", ".join(wanted),
                                 rows=mapping.header_search_rows))
    else:
        missing = [h for h in wanted if h not in best[1]]
        sheet.problem(Said("reg_row_only", row=best[0]), Said(
            "reg_header_partial", found=", ".join(best[1]), missing=", ".join(missing)))
    return None


def _sheet_registrations(sheet: _Sheet, mapping: MappingFile) -> list[Registration]:
    by_rows = any(s.from_rows for s in mapping.sources())
    header = _find_header(sheet, mapping) if by_rows else None
    if by_rows and header is None:
        return []  # not an entry form: its cells mean nothing
    fixed: dict[str, str] = {}
    fixed_cells: dict[str, str] = {}
    person = ""
    if mapping.id_number is not None and mapping.id_number.cell is not None:
        person = _person(sheet.cell(*mapping.id_number.cell))
        fixed_cells["id_number"] = cell_name(*mapping.id_number.cell)
    for column, source in mapping.columns.items():
        if source.cell is not None:
            col, row = source.cell
            text = sheet.cell(col, row)
            where = Said("reg_cell_only", cell=cell_name(col, row))
            fixed_cells[column] = cell_name(col, row)
            if not text and column in _REQUIRED:
                sheet.problem(where, Said("reg_form_empty", column=column))
            fixed[column] = _mapped(sheet, where, source, text, column)
        elif source.value is not None:
            fixed[column] = source.value.strip()
        elif source.sheet_name:
            fixed[column] = sheet.name.strip()
    if header is None:
        return [Registration(sheet.name, 0, _complete(fixed), fixed_cells, person)]
    header_row, positions = header
    found: list[Registration] = []
    for number, _cells in sheet.rows[header_row:]:
        texts = {h: sheet.cell(col, number) for h, col in positions.items()}
        if not any(texts.values()):
            continue  # an empty (perhaps pre-numbered) template row, or a footnote
        values = dict(fixed)
        cells = dict(fixed_cells)
        read: dict[str, ColumnSource | None] = {**mapping.columns,
                                                "id_number": mapping.id_number}
        for column, read_from in read.items():
            if read_from is not None and read_from.from_rows:
                cells[column] = cell_name(positions[read_from.headers[0]], number)
        if mapping.id_number is not None and mapping.id_number.from_rows:
            person = _person(texts[mapping.id_number.headers[0]])
        for column, source in mapping.columns.items():
            if not source.from_rows:
                continue
            parts = [texts[h] for h in source.headers]
            where = Said("reg_row_cell", row=number,
                         cell=cell_name(positions[source.headers[0]], number))
            if len(parts) == 1:
                if not parts[0] and column in _REQUIRED:
                    sheet.problem(where, Said("reg_header_empty", header=source.headers[0]))
                values[column] = _mapped(sheet, where, source, parts[0], source.headers[0])
            else:
                joined = source.join.join(p for p in parts if p)
                if not joined and column in _REQUIRED:
                    sheet.problem(where, Said("reg_headers_empty",
                                              headers=", ".join(source.headers)))
                values[column] = _mapped(sheet, where, source, joined, column)
        _check_row(sheet, number, positions, mapping, values)
        found.append(Registration(sheet.name, number, _complete(values), cells, person))
    if not found:
        sheet.problem(None, Said("reg_no_rows", row=header_row))
    return found


def _mapped(sheet: _Sheet, where: str, source: ColumnSource, text: str, label: str) -> str:
    if source.values is None or not text:
        return text
    key = text.strip()
    if key not in source.values:
        sheet.problem(where, Said("reg_not_mapped", label=label, key=key,
                                  values=f"columns.{source.column}.values",
                                  choices=", ".join(source.values)))
        return text
    return source.values[key]


def _check_row(sheet: _Sheet, number: int, positions: Mapping[str, int], mapping: MappingFile,
               values: Mapping[str, str]) -> None:
    def where(column: str) -> str:
        source = mapping.columns.get(column)
        if source is not None and source.from_rows:
            return Said("reg_row_cell", row=number,
                        cell=cell_name(positions[source.headers[0]], number))
        return Said("reg_row_only", row=number)

    for column in ("id", "track", "group"):
        text = values.get(column, "")
        if text and _BAD_ID.search(text):
            sheet.problem(where(column), Said("reg_not_an_id", column=column, text=text,
                                              chars=ID_CHARS))
    order = values.get("order", "")
    if order:
        match = _WHOLE.match(order)
        if match is None or int(match.group(1)) < 1:
            sheet.problem(where("order"), Said("reg_bad_order", column="order", order=order))


def _complete(values: Mapping[str, str]) -> dict[str, str]:
    return {column: values.get(column, "").strip() for column in CONTESTANT_COLUMNS}


def _check_ids(file: str, found: list[Registration], mapping: MappingFile,
               problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for r in found:
        ident = r.values["id"]
        if ident in seen:
            problems.append(Problem(file, r.place, Said("reg_duplicate_id", id=ident,
                                                        also=seen[ident])))
        elif ident:
            seen[ident] = r.place


def _person(id_number: str) -> str:
    """A keyed digest of an ID-card number as compared (NFKC, no spaces, `x` = `X`); "" for
    an empty cell. The number itself is kept nowhere."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", id_number)).upper()
    if not key:
        return ""
    return hashlib.blake2b(key.encode(), key=_PEPPER, digest_size=16).hexdigest()


def _name_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def duplicate_people(file: str, found: Sequence[Registration]) -> list[Problem]:
    """A problem at each row that repeats an earlier one, naming both cells: the same ID-card
    number, or the same name and organisation (`organisation_key`) unless both rows have
    ID-card numbers and they differ (two people of one name)."""
    problems: list[Problem] = []
    by_person: dict[str, Registration] = {}
    by_name: dict[tuple[str, str], list[Registration]] = {}
    for r in found:
        if r.person and r.person in by_person:
            problems.append(Problem(file, r.cell_place("id_number"), Said(
                "duplicate_id_number", other=by_person[r.person].cell_place("id_number"))))
            continue
        if r.person:
            by_person[r.person] = r
        name = _name_key(r.values.get("name", ""))
        if not name:
            continue
        same = by_name.setdefault((name, organisation_key(r.values.get("organisation", ""))),
                                  [])
        first = next((o for o in same if not (o.person and r.person)), None)
        if first is not None:
            problems.append(Problem(file, r.cell_place("name"), Said(
                "duplicate_person", other=first.cell_place("name"), name=r.values["name"],
                organisation=r.values.get("organisation", ""))))
        same.append(r)
    return problems


def affiliation_warnings(registrations: Sequence[Registration], event: Event,
                         shown_as: str) -> list[Problem]:
    """One warning per organisation (as written) and judge whose affiliation is a near match
    (`sync.organisations.near_match`) but not the same, naming the organisation's first
    place, both names and why they look alike. Nothing follows from it: no recusal."""
    warnings: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for r in registrations:
        organisation = r.values.get("organisation", "")
        for judge in event.judges:
            why = near_match(organisation, judge.affiliation)
            if why is None or (organisation, judge.id) in seen:
                continue
            seen.add((organisation, judge.id))
            warnings.append(Problem(shown_as, r.cell_place("organisation"), Said(
                "near_affiliation", organisation=organisation,
                judge=f"{judge.id} {judge.name.get(event.languages[0])}",
                affiliation=judge.affiliation, why=Said(f"near_{why}"))))
    return warnings


# --- writing ----------------------------------------------------------------------------------


def contestants_csv(registrations: Sequence[Registration]) -> bytes:
    """The contestants file (columns `CONTESTANT_COLUMNS`), UTF-8 with a BOM, CRLF lines as
    Excel writes them."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CONTESTANT_COLUMNS)
    for r in registrations:
        writer.writerow([r.values.get(c, "") for c in CONTESTANT_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def write_contestants(registrations: Sequence[Registration], out: str | Path) -> None:
    """Write the contestants file atomically (a temporary file renamed over `out`)."""
    target = Path(out)
    data = contestants_csv(registrations)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


_LINE: Final = re.compile(r"^line (\d+)(?:, column (.+))?$")


def check_against_event(registrations: Sequence[Registration], event_file: str | Path,
                        shown_as: str) -> Event:
    """Load the event file as if `registrations` were its contestants file; `InputProblems`
    (contestant rows named by sheet and row, the file as `shown_as`) when it does not load.
    Nothing is written next to the event file: both are copied to a temporary folder."""
    event_path = Path(event_file)
    try:
        doc = tomllib.loads(event_path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        load_event(event_path)  # reports the event file's own problem
        raise  # pragma: no cover - load_event raised
    contestants = doc.get("contestants")
    name = contestants.get("file") if isinstance(contestants, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise InputProblems([Problem(str(event_file), "contestants", Said(
            "reg_event_no_file", setting='file = "contestants.csv"'))])
    with tempfile.TemporaryDirectory(prefix="kiosk-import-") as scratch:
        copy = Path(scratch) / event_path.name
        shutil.copyfile(event_path, copy)
        listed = Path(scratch) / name
        if listed.suffix.lower() != ".csv" or listed.parent != Path(scratch):
            raise InputProblems([Problem(str(event_file), "contestants.file",
                                         Said("reg_event_not_csv", format=".csv"))])
        listed.write_bytes(contestants_csv(registrations))
        try:
            return load_event(copy)
        except InputProblems as error:
            raise InputProblems([_shown(p, copy, listed, str(event_file), shown_as,
                                        registrations) for p in error.problems]) from None


def _shown(problem: Problem, copy: Path, listed: Path, event_file: str, shown_as: str,
           registrations: Sequence[Registration]) -> Problem:
    if problem.file == str(copy):
        return Problem(event_file, problem.where, problem.message)
    if problem.file != str(listed):
        return problem
    match = _LINE.match(problem.where)
    if match is not None and 2 <= int(match.group(1)) <= len(registrations) + 1:
        r = registrations[int(match.group(1)) - 2]
        place = Said("reg_with_column", place=r.place, column=match.group(2)) \
            if match.group(2) else r.place
        return Problem(shown_as, place, problem.message)
    return Problem(shown_as, problem.where, problem.message)


@dataclass(frozen=True)
class Imported:
    """What `import_contestants` wrote, and warnings (`affiliation_warnings`) that did not
    stop it."""

    rows: list[Registration]
    warnings: list[Problem] = field(default_factory=list)


def import_contestants(workbook: str | Path, mapping: str | Path, out: str | Path, *,
                       event: str | Path | None = None, overwrite: bool = False) -> Imported:
    """Map the workbook's contestants and write them to `out`; with `event`, only if the
    event file loads with them (and then with warnings for organisations close to a judge's
    affiliation). Nothing is written when any problem is found."""
    target = Path(out)
    if target.exists() and not overwrite:
        raise InputProblems([Problem(str(out), "", Said("reg_exists", option="--force"))])
    rows = read_registrations(workbook, load_mapping(mapping))
    warnings: list[Problem] = []
    if event is not None:
        loaded = check_against_event(rows, event, str(workbook))
        warnings = affiliation_warnings(rows, loaded, str(workbook))
    write_contestants(rows, target)
    return Imported(rows, warnings)
