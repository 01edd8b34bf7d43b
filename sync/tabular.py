"""Reads the spreadsheets organisers and head judges hand us: CSV or XLSX, into rows with
the line numbers a user sees in their editor (the header is line 1).

CSV encoding is detected, never asked for: UTF-8 (with or without the BOM Excel adds),
else GB18030, which is what Excel writes on Chinese Windows. Refuses anything else with a
`Problem`, never a traceback. `read_lines` and `read_table` read the first sheet of a
workbook; `read_workbook` reads every sheet (registration workbooks: one per organisation).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from .problems import InputProblems, Problem, Said, os_reason


@dataclass(frozen=True)
class Table:
    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, column -> stripped text)

    def require_columns(self, required: tuple[str, ...]) -> None:
        missing = [c for c in required if c not in self.header]
        if missing:
            raise InputProblems([Problem(
                self.file, Said("line", line=1),
                Said("missing_columns", missing=", ".join(missing),
                     required=", ".join(required),
                     found=", ".join(self.header) or Said("no_columns")),
            )])


def decode_text(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputProblems([Problem(file, "", Said("not_text"))])


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a user sees: 101 -> "101", 3.0 -> "3"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputProblems([Problem(str(path), "", Said("unreadable", error=os_reason(exc)))]
                            ) from None


def read_lines(path: str | Path) -> list[tuple[int, list[str]]]:
    """Every row of a CSV or XLSX file (first sheet) with its line number, header included."""
    file = str(path)
    data = _read_bytes(path)
    if file.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_lines(data, file)
    text = decode_text(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            lines.append((number, cells))
    except csv.Error as exc:
        raise InputProblems([Problem(file, Said("line", line=number + 1),
                                     Said("not_csv", error=exc))]) from None
    return lines


def _xlsx_lines(data: bytes, file: str) -> list[tuple[int, list[str]]]:
    return _xlsx_sheets(data, file, first_only=True)[0][1]


def _xlsx_sheets(data: bytes, file: str, *, first_only: bool = False
                 ) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    import openpyxl  # imported here: only organisers' spreadsheets need it

    def unreadable(error: Exception) -> InputProblems:
        return InputProblems([Problem(file, "", Said("not_xlsx", error=type(error).__name__))])

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl/zipfile/XML errors: all mean "not a workbook"
        raise unreadable(error) from None
    try:
        sheets = book.worksheets[:1] if first_only else book.worksheets
        # Row N of the list is spreadsheet row N and cell i is column i + 1 (A = 0): read-only
        # mode pads missing rows and leading columns with empty cells.
        return [(sheet.title,
                 [(number, [cell_text(value) for value in row])
                  for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)])
                for sheet in sheets]
    except Exception as error:  # a damaged sheet inside a readable zip
        raise unreadable(error) from None
    finally:
        book.close()


def read_workbook(path: str | Path) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Every sheet of an XLSX workbook as (sheet name, rows as `read_lines` gives them), in
    workbook order; a CSV file is one sheet named after the file (without its suffix)."""
    file = str(path)
    data = _read_bytes(path)
    if file.lower().endswith((".xlsx", ".xlsm")):
        return _xlsx_sheets(data, file)
    return [(Path(path).stem, read_lines(path))]


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file whose first row is the header; blank rows are skipped."""
    lines = read_lines(path)
    if not lines:
        return Table(str(path), (), ())
    header = tuple(h.strip() for h in lines[0][1])
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in lines[1:]:
        stripped = [c.strip() for c in cells]
        if any(stripped):
            stripped += [""] * (len(header) - len(stripped))
            rows.append((number, dict(zip(header, stripped, strict=False))))
    return Table(str(path), header, tuple(rows))
