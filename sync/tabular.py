"""Reads the spreadsheets organisers and head judges hand us: CSV or XLSX, into rows with
the line numbers a user sees in their editor (the header is line 1).

CSV encoding is detected, never asked for: UTF-8 (with or without the BOM Excel adds),
else GB18030, which is what Excel writes on Chinese Windows. Refuses anything else with a
`Problem`, never a traceback. Which of the two a file is goes by its content (`sniff`): an
.xls or .ods workbook is refused with "save it as .xlsx" advice, a PDF, a Word file, binary
data or a text file named .xlsx as "not a spreadsheet". `read_lines` and `read_table` read
the first sheet of a workbook; `read_workbook` reads every sheet (registration workbooks: one
per organisation).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

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


_XLSX: Final = (".xlsx", ".xlsm")
_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and old .doc) files start so
_ODS: Final = b"application/vnd.oasis.opendocument.spreadsheet"
_UTF16: Final = (b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes, file: str) -> Literal["xlsx", "text"]:
    """What the file is by its content (and name): an XLSX workbook or text (CSV). An .xls or
    .ods workbook is refused with "save as .xlsx" advice; anything else that is not a
    spreadsheet (a PDF, a Word file, binary data, a text file named .xlsx) is refused as such."""
    named_xlsx = file.lower().endswith(_XLSX)

    def refuse(message: Said) -> InputProblems:
        return InputProblems([Problem(file, "", message)])

    if data.startswith(_OLE2) or (file.lower().endswith(".xls") and not data.startswith(
            (b"PK\x03\x04", *_UTF16))):
        raise refuse(Said("old_xls"))
    if file.lower().endswith((".ods", ".fods")) or _ODS in data[:100]:
        raise refuse(Said("ods_workbook"))
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, file)
    if data.startswith(b"%PDF"):
        raise refuse(Said("not_spreadsheet", what=Said("kind_pdf")))
    if named_xlsx:
        what = Said("kind_empty") if not data.strip() else \
            Said("kind_text_as_xlsx", suffix=Path(file).suffix) if _looks_like_text(data) \
            else Said("kind_binary")
        raise refuse(Said("not_spreadsheet", what=what))
    if not data.startswith(_UTF16) and not _looks_like_text(data):
        raise refuse(Said("not_spreadsheet", what=Said("kind_binary")))
    return "text"


def _zip_kind(data: bytes, file: str) -> Literal["xlsx"]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    if not names or "xl/workbook.xml" in names:
        return "xlsx"  # read as such, whatever its name; openpyxl judges a damaged one
    if "mimetype" in names and _ODS in data[:200]:
        raise InputProblems([Problem(file, "", Said("ods_workbook"))])
    what = Said("kind_word") if "word/document.xml" in names else Said("kind_zip")
    raise InputProblems([Problem(file, "", Said("not_spreadsheet", what=what))])


def _looks_like_text(data: bytes) -> bool:
    """No NUL byte and (decoded as UTF-8 or GB18030) under 1% control characters other than
    tab, line breaks and form feed: what a CSV file is and random bytes are not."""
    if b"\x00" in data:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
        return controls * 100 <= len(text)
    return True  # neither encoding: `decode_text` says so


def read_lines(path: str | Path) -> list[tuple[int, list[str]]]:
    """Every row of a CSV or XLSX file (first sheet) with its line number, header included."""
    file = str(path)
    data = _read_bytes(path)
    if sniff(data, file) == "xlsx":
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

    # openpyxl warns about what other programs leave out or add ("Workbook contains no default
    # style", unsupported extensions, data validation): noise to a head judge, and the values
    # are read all the same. Silenced while reading, not process-wide.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl/zipfile/XML errors: all mean "not a workbook"
            raise unreadable(error) from None
        try:
            sheets = book.worksheets[:1] if first_only else book.worksheets
            # Row N of the list is spreadsheet row N and cell i is column i + 1 (A = 0):
            # read-only mode pads missing rows and leading columns with empty cells.
            return [(sheet.title,
                     [(number, [cell_text(value) for value in row])
                      for number, row in enumerate(sheet.iter_rows(values_only=True),
                                                   start=1)])
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
    if sniff(data, file) == "xlsx":
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
