"""Reads the spreadsheets organisers and head judges hand us: CSV or XLSX, into rows with
the line numbers a user sees in their editor (the header is line 1).

CSV encoding is detected, never asked for: UTF-8 (with or without the BOM Excel adds),
else GB18030, which is what Excel writes on Chinese Windows. Refuses anything else with a
`Problem`, never a traceback.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .problems import InputProblems, Problem


@dataclass(frozen=True)
class Table:
    file: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line number, column -> stripped text)

    def require_columns(self, required: tuple[str, ...]) -> None:
        missing = [c for c in required if c not in self.header]
        if missing:
            raise InputProblems([Problem(
                self.file, "line 1",
                f"missing column(s) {', '.join(missing)}; expected columns "
                f"{', '.join(required)} (found {', '.join(self.header) or 'none'})",
            )])


def decode_text(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputProblems([Problem(file, "", "cannot read the text: expected UTF-8 or GB18030")])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | Path) -> Table:
    """Read a CSV or XLSX file (first sheet) whose first row is the header."""
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputProblems([Problem(file, "", f"cannot read the file: {exc.strerror}")]) from None
    if file.lower().endswith(".xlsx"):
        return _read_xlsx(data, file)
    text = decode_text(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row = next(reader, [])
        header = tuple(h.strip() for h in header_row)
        rows: list[tuple[int, dict[str, str]]] = []
        line = reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            cells = [c.strip() for c in record] + [""] * (len(header) - len(record))
            rows.append((start, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        where = f"line {reader.line_num}"
        raise InputProblems([Problem(file, where, f"not valid CSV: {exc}")]) from None
    return Table(file, header, tuple(rows))


def _read_xlsx(data: bytes, file: str) -> Table:
    import openpyxl  # imported here: only organisers' spreadsheets need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputProblems([Problem(file, "", f"not a readable XLSX workbook ({exc})")]) from None
    sheet = book.worksheets[0]
    all_rows = list(sheet.iter_rows(values_only=True))
    book.close()
    if not all_rows:
        return Table(file, (), ())
    header = tuple(_cell_text(v) for v in all_rows[0])
    rows = []
    for index, values in enumerate(all_rows[1:], start=2):
        cells = [_cell_text(v) for v in values]
        if any(cells):
            cells += [""] * (len(header) - len(cells))
            rows.append((index, dict(zip(header, cells, strict=False))))
    return Table(file, header, tuple(rows))
