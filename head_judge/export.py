"""`head-judge export --xlsx FILE`: the final's results, every judge's sheets and the audit
trail as one Excel workbook, for the organiser's archive and the appeals committee.

Three sheets, named in the event's languages (Excel forbids "/" in sheet names, so the two
languages are separated by a space): results (`成绩 Results`), judges' sheets (`评委评分
Judges' sheets`: one row per judge x contestant x revision, every criterion; a paper sheet
two operators typed alike says `纸质：表单 … 录入员 … paper: form …, typed by …` where a laptop's
sheet has its signature check, and has no device) and the audit
trail (`审计记录 Audit trail`: every ledger entry); when the event gives honours the results
sheet has a column of the honours each contestant holds, and with organisation awards a sheet
`单位奖 Organisation awards` follows the results (per award: rank, organisation, score,
contestants, awarded). Then `发布记录 Publications` (every published version of every ranking:
time, 暂定/正式 when the event sets an appeal window, reason, and what moved from the version
before) and `申诉 Appeals` (every appeal, its category, ground and evidence, how it ended, when
and why, the committee's votes with declared conflicts marked, the correction an upheld one
applied and whom it moved; left out while a blind final's identities are hidden).
Each starts with a title block (event,
export time, ledger size and head hash, the note below), then one header row with bilingual
headers (primary language first), frozen together with the identifying columns, with an
autofilter, and column widths fitted to the text (a CJK character counts double). Sheet
names are ones Excel, LibreOffice and gnumeric all accept (`sheet_title`: no ASCII apostrophe,
none of []:*?/\\, at most 31 characters, unique).

Every sheet prints on A4: landscape when wider than portrait holds, scaled to the page width,
the header row (and, when wide, the identifying columns) repeated on every page, gridlines,
the event in the page header, the sheet's name and `第 N 页，共 M 页 page N of M` in the
footer; columns only a screen can use (a sheet's hash, the judge's device and its clock, an
entry's JSON) come last, outside the print area, and free text wraps within a column, so a
wide sheet is not printed too small to read. On the results sheet a judge's cell without a
score says why, on its own fill: `回避 recused` (grey), `免评 excused` (blue), `未评 not
scored` (amber: contestants still waiting for a sheet are listed unranked after the ranking),
explained by a legend under the table.

Presentation only. Every number here comes from the scoring code's `Decimal`s; nothing in
this module computes a score. Excel cells hold binary floating-point numbers, so a score is
converted once, in `_number`, and written as a number only when that number shows back as
exactly the same decimal (every value of a final does: at most 15 significant digits), with
a `number_format` of the event's decimals (results) or the rubric steps' decimals (judges'
values): a number can be sorted, filtered and summed in Excel and still displays exactly
what the sheets print. A value that would not survive the conversion is written as text
instead. The workbook says on every sheet that the authoritative values are the ledger's
(`head-judge audit verify`), because a sum or a ROUND() computed in Excel can differ from
the exact arithmetic in the last binary digit.

Reads the master only through `HeadJudge`'s public methods and `Ledger.entries`, inside one
read snapshot, so the three sheets describe the same moment.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from printouts.blind import blind_view
from sync.canonical import canonical_bytes
from sync.entry_kinds import ENTRY_KINDS
from sync.event import Event, Text
from sync.i18n import LABELS, honour_names
from sync.phrases import cells
from sync.problems import InputProblems, Problem, Said, os_reason
from sync.records import RecordError, Sheet, SignedRecord, judge_record_from_body
from sync.zones import event_zone, recorded_moment

from .actions import HeadJudge, describe_changes, scope_document
from .blind import blind_state
from .entry_lines import PaperTypings, entry_line
from .ledger import Entry
from .paper_history import paper_revisions
from .projections import AppealRow, PublicationRow, VoteRow, appeal_rows, vote_rows
from .scoring import Results, Standing, plain

__all__ = ["Export", "export_xlsx"]

MAX_CELL_TEXT: Final = 32_000
"""Excel holds at most 32,767 characters in a cell; longer payloads are cut with a note."""

TITLE_ROWS: Final = 3
"""Rows above the header row: event, export, the note on authority."""

_DATETIME_FORMAT: Final = "yyyy-mm-dd hh:mm:ss.000"

# Interface words of the workbook (the shared ones come from sync.i18n).
WORDS: Final[Mapping[str, Text]] = {
    "results": Text("成绩", "Results"),
    "organisation_awards": Text("单位奖", "Organisation awards"),
    "award": Text("奖项", "Award"),
    "org_score": Text("得分", "Score"),
    "org_contestants": Text("选手", "Contestants"),
    "awarded": Text("获奖", "Awarded"),
    "sheets": Text("评委评分", "Judges' sheets"),
    "audit": Text("审计记录", "Audit trail"),
    "publications": Text("发布记录", "Publications"),
    "ranking": Text("排名", "Ranking"),
    "version": Text("版本", "Version"),
    "publish_reason": Text("发布原因", "Reason"),
    "changes": Text("与上一版相比", "Changes from the version before"),
    "first_version": Text("第一版", "first version"),
    "appeals": Text("申诉", "Appeals"),
    "appeal": Text("申诉号", "Appeal"),
    "contestant": Text("选手", "Contestant"),
    "filed_by": Text("申诉人", "Filed by"),
    "filed_at": Text("提出时间", "Filed"),
    "ground": Text("申诉理由", "Ground"),
    "outcome": Text("结果", "Outcome"),
    "decided_at": Text("裁决/撤回时间", "Decided or withdrawn"),
    "decision_reason": Text("理由", "Reason"),
    "appeal_open": Text("待裁决", "open"),
    "appeal_upheld": Text("支持", "upheld"),
    "appeal_rejected": Text("驳回", "rejected"),
    "appeal_withdrawn": Text("撤回", "withdrawn"),
    "category": Text("类别", "Category"),
    "category_calculation": Text("计分", "calculation"),
    "category_procedure": Text("程序", "procedure"),
    "category_eligibility": Text("资格", "eligibility"),
    "category_judgement": Text("评判", "judgement"),
    "late_filed": Text("逾期受理", "accepted late"),
    "evidence": Text("证据", "Evidence"),
    "votes": Text("表决", "Votes"),
    "vote_upheld": Text("支持", "upheld"),
    "vote_rejected": Text("驳回", "rejected"),
    "vote_abstain": Text("弃权", "abstain"),
    "vote_conflict": Text("回避，不计票", "conflict declared, not counted"),
    "correction": Text("改正", "Correction"),
    "correction_withdraw": Text("评分表不再计分", "sheet withdrawn"),
    "moved": Text("名次或奖项变动", "Rank or prize moved"),
    "state": Text("暂定/正式", "Provisional or official"),
    "state_provisional": Text("暂定", "provisional"),
    "state_official": Text("正式", "official"),
    "track": Text("赛道", "Track"),
    "id": Text("编号", "ID"),
    "name": Text("姓名/队名", "Name"),
    "members": Text("成员", "Members"),
    "judge": Text("评委", "Judge"),
    "judge_name": Text("评委姓名", "Judge's name"),
    "revision": Text("版本", "Revision"),
    "total": Text("总分", "Total"),
    "in_force": Text("现行", "In force"),
    "withdrawn": Text("已撤回", "Withdrawn"),
    "superseded": Text("已被替换", "Superseded"),
    "set_aside": Text("未选定（不计分）", "Set aside"),
    "reason": Text("修改原因", "Reason"),
    "comment": Text("评语", "Comment"),
    "overrides": Text("总裁判长改分", "Head judge's overrides"),
    "signature": Text("签名", "Signature"),
    "valid": Text("有效", "valid"),
    "invalid": Text("无效", "INVALID"),
    "unknown_device": Text("设备未知", "unknown device"),
    "paper": Text("纸质：表单 {form}，录入员 {operators}", "paper: form {form}, typed by "
                  "{operators}"),
    "device": Text("设备", "Device"),
    "device_time": Text("设备时间", "Device time"),
    "received": Text("收到时间", "Received"),
    "seq": Text("序号", "Seq"),
    "ledger": Text("账本位置", "Ledger entry"),
    "kind": Text("类型", "Kind"),
    "actor": Text("操作者", "Actor"),
    "time": Text("时间", "Time"),
    "summary": Text("摘要", "Summary"),
    "hash": Text("哈希", "Hash"),
    "payload": Text("内容 (规范 JSON)", "Payload (canonical JSON)"),
    "status": Text("状态", "Status"),
    "note": Text("备注", "Note"),
    "dropped": Text("去掉", "dropped"),
    "exported": Text("导出时间", "Exported"),
    "entries": Text("账本条目", "ledger entries"),
    "head": Text("末条哈希", "last hash"),
    "authority": Text(
        "本表仅供查阅：权威数据以账本为准，可用 head-judge audit verify 核验；"
        "请勿在 Excel 中重新计算或四舍五入。",
        "A presentation copy: the authoritative values are in the ledger (check with "
        "head-judge audit verify); do not recompute or round them in Excel."),
    "published": Text("已发布第{n}版", "published, version {n}"),
    "differs": Text("实时结果与已发布第{n}版不同", "live; differs from published version {n}"),
    "live": Text("实时结果，未发布", "live, not published"),
    "scoring": Text("评分中", "scoring"),
    # a judge's cell on the results sheet without a score: the printed sheets' words
    "recused": Text("回避", "recused"),
    "excused": Text("免评", "excused"),
    "not_scored": Text("未评", "not scored"),
    "legend": Text("图例", "Legend"),
    "legend_recused": Text("回避：该评委不评该选手（同单位或申报），不计入",
                           "recused: the judge does not score this contestant (same organisation "
                           "or declared), not counted"),
    "legend_excused": Text("免评：总裁判长准许该评委不评，不计入",
                           "excused: the head judge excused the judge's seat, not counted"),
    "legend_not_scored": Text("未评：尚无有效评分", "not scored: no sheet in force yet"),
    "legend_dropped": Text("删除线：去掉的最高/最低分，不计入",
                           "struck through: dropped highest/lowest, not counted"),
    "page": Text("第 &P 页，共 &N 页", "page &P of &N"),
}

BLANK_FILLS: Final[Mapping[str, str]] = {
    "recused": "D9D9D9", "excused": "DCE6F1", "not_scored": "FFE699"}
"""The fill of a judge's cell on the results sheet that has no score, by why (grey: recused,
blue: excused, amber: not scored yet), explained by the legend under the table."""

SHEET_NAME_FORBIDDEN: Final = frozenset("[]:*?/\\")
"""Characters Excel, LibreOffice and gnumeric refuse in a sheet name."""

WRAPPED_WIDTH: Final = 30
"""The widest a column of free text (a reason, a comment, overrides) is fitted to; longer
text wraps within it, so the printed page is not scaled down for one long reason."""

PORTRAIT_WIDTH: Final = 95
"""Column-width units (about one digit each) that fit across A4 portrait within the margins;
a wider sheet prints landscape, and every sheet is scaled to fit the page width."""



@dataclass(frozen=True)
class Export:
    """What was written: the file and the number of data rows on each sheet."""

    path: Path
    results: int
    sheets: int
    audit: int
    ledger_size: int


# --- numbers ----------------------------------------------------------------------------------


def _number(value: Decimal) -> float | str:
    """The cell value for an exact score: a float when it displays back as exactly `value`
    (Excel keeps 15 significant digits), else the decimal's text. The only float in the
    kiosk outside the printouts' geometry, and only on its way into a spreadsheet cell."""
    as_float = float(value)
    if Decimal(format(as_float, ".15g")) == value:
        return as_float
    return format(value, "f")


def _places(values: Iterable[Decimal]) -> int:
    """How many decimal places show every value exactly (steps 0.5 -> 1, 0.25 -> 2)."""
    places = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            places = max(places, -exponent)
    return places


def _format(places: int) -> str:
    return "0" if places == 0 else "0." + "0" * places


# --- the writer -------------------------------------------------------------------------------


@dataclass
class _Column:
    header: str
    number_format: str | None = None
    width: int | None = None  # fixed width instead of fitted
    wrap: bool = False  # long text wraps within the width (else it would spill when printed)
    printed: bool = True  # False: kept out of the print area (trailing columns only)


class _SheetWriter:
    """One worksheet: title block, header row, data rows, then freeze, filter and widths."""

    def __init__(self, book: Any, title: str, langs: tuple[str, ...],
                 heading: Sequence[str], columns: Sequence[_Column], frozen_columns: int) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.ws = book.create_sheet(title=sheet_title(title, book.sheetnames))
        self.columns = list(columns)
        self.langs = langs
        self.frozen_columns = frozen_columns
        self.heading_line = heading[0] if heading else ""
        self.legend: list[tuple[str, str]] = []
        """Lines under the table: (word, the `BLANK_FILLS` key it explains, or "")."""
        self.rows = 0
        self._wrapped: dict[int, list[tuple[int, str]]] = {}
        """Row -> its wrapped cells (column index, text), whose lines set the row's height."""
        # a header wraps at its spaces, so its longest word sets its column's least width
        self._widths = [max(cells(word) for word in c.header.split())
                        for c in self.columns]
        self._strike = Font(strike=True)
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._header_fill = PatternFill("solid", fgColor="DDE4EE")
        for row, text in enumerate(heading, start=1):
            cell = self.ws.cell(row=row, column=1, value=text)
            if row == 1:
                cell.font = Font(bold=True, size=13)
        header_row = TITLE_ROWS + 1
        for index, column in enumerate(self.columns, start=1):
            cell = self.ws.cell(row=header_row, column=index, value=column.header)
            cell.font = self._bold
            cell.alignment = self._wrap
            cell.fill = self._header_fill

    def add(self, values: Sequence[object], *, struck: Iterable[int] = (),
            blanks: Mapping[int, str] | None = None) -> None:
        """One data row; `struck`: 0-based column indexes shown struck through (dropped);
        `blanks`: 0-based column index -> why it has no score (a `BLANK_FILLS` key), shown
        as that word on that fill."""
        from openpyxl.styles import Alignment, PatternFill

        row = TITLE_ROWS + 2 + self.rows
        self.rows += 1
        struck = set(struck)
        values = list(values)
        for index, why in (blanks or {}).items():
            values[index] = WORDS[why].both(self.langs)
            cell = self.ws.cell(row=row, column=index + 1)
            cell.fill = PatternFill("solid", fgColor=BLANK_FILLS[why])
            cell.alignment = Alignment(horizontal="center")
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                value = _number(value)
            if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
                value = value[:MAX_CELL_TEXT] + " …(truncated: see the ledger)"
            cell = self.ws.cell(row=row, column=index + 1, value=value)
            if column.number_format and isinstance(value, (int, float, dt.datetime)):
                cell.number_format = column.number_format
            if index in struck:
                cell.font = self._strike
            if isinstance(value, str) and ("\n" in value or column.wrap):
                cell.alignment = self._wrap
                self._wrapped.setdefault(row, []).append((index, value))
            self._widths[index] = max(self._widths[index], _value_width(value, column))

    def finish(self) -> None:
        from openpyxl.styles import PatternFill
        from openpyxl.utils import get_column_letter

        header_row = TITLE_ROWS + 1
        last = get_column_letter(len(self.columns))
        self.ws.freeze_panes = f"{get_column_letter(self.frozen_columns + 1)}{header_row + 1}"
        self.ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(self.rows, 1)}"
        row = header_row + self.rows + 2
        for key, fill in self.legend:
            cell = self.ws.cell(row=row, column=1, value=WORDS[key].both(self.langs))
            if fill in BLANK_FILLS:
                cell.fill = PatternFill("solid", fgColor=BLANK_FILLS[fill])
            row += 1
        total, lines = 0, 1
        for index, column in enumerate(self.columns, start=1):
            width = column.width or min(max(self._widths[index - 1] + 2, 6),
                                        WRAPPED_WIDTH if column.wrap else 60)
            self.ws.column_dimensions[get_column_letter(index)].width = width
            total += width if column.printed else 0
            lines = max(lines, _wrapped_lines(column.header, width - 1))
        self.ws.row_dimensions[header_row].height = 15 * lines + 3
        # a spreadsheet does not grow a row for wrapped text it loads (LibreOffice overlaps
        # the next row), so each row with more than one line says how tall it is
        for at, wrapped in self._wrapped.items():
            tallest = max(_wrapped_lines(text, int(self.ws.column_dimensions[
                get_column_letter(index + 1)].width) - 1) for index, text in wrapped)
            if tallest > 1:
                self.ws.row_dimensions[at].height = 15 * tallest
        printed = sum(1 for c in self.columns if c.printed)
        self.ws.print_area = f"A1:{get_column_letter(printed)}{row - 1}"
        self._page_setup(total)

    def _page_setup(self, width: int) -> None:
        """A4, landscape when wider than portrait holds, scaled to the page width (as many
        pages down as needed), the header row repeated on every page (and the identifying
        columns when wide), gridlines, and a header and footer naming the event, the sheet
        and `page N of M`."""
        from openpyxl.utils import get_column_letter

        ws = self.ws
        wide = width > PORTRAIT_WIDTH
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if wide else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.page_margins.header = ws.page_margins.footer = 0.25
        header_row = TITLE_ROWS + 1
        ws.print_title_rows = f"{header_row}:{header_row}"
        if wide and self.frozen_columns:
            ws.print_title_cols = f"A:{get_column_letter(self.frozen_columns)}"
        for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            part.left.text = _escape_header(self.heading_line)
            part.left.size = 8
            part.right.text = _escape_header(ws.title)
            part.right.size = 8
        for part in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
            part.center.text = WORDS["page"].both(self.langs)
            part.center.size = 8


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """`text` as a sheet name every spreadsheet accepts: none of []:*?/\\ (replaced by a
    space), ASCII apostrophes as typographic ones (gnumeric rejects the quoted sheet name of
    the autofilter's defined name otherwise), at most 31 characters, unique among `taken`
    (case-insensitively, as Excel compares), never empty."""
    cleaned = "".join(" " if ch in SHEET_NAME_FORBIDDEN else ch for ch in text)
    cleaned = " ".join(cleaned.replace("'", "\u2019").split()) or "Sheet"
    used = {name.casefold() for name in taken}
    title, n = cleaned[:31].rstrip(), 1
    while title.casefold() in used:
        n += 1
        suffix = f" ({n})"
        title = cleaned[:31 - len(suffix)].rstrip() + suffix
    return title


def _wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes in a column `width` digits wide, wrapped at spaces (a
    word longer than the width is broken across lines of its own)."""
    width = max(width, 1)
    lines = 0
    for line in text.split("\n"):
        lines += 1
        used = 0
        for word in line.split():
            need = cells(word)
            if used and used + 1 + need > width:
                lines += 1
                used = 0
            if need > width:
                lines += (used + need - 1) // width
                used = (used + need - 1) % width + 1
            else:
                used += need + (1 if used else 0)
    return lines


def _escape_header(text: str) -> str:
    """Text for a page header: `&` is a code there, so written `&&`."""
    return text.replace("&", "&&")


def _value_width(value: object, column: _Column) -> int:
    if isinstance(value, dt.datetime):
        return len(column.number_format or "") + 1
    if isinstance(value, float):
        return len(column.number_format or "") + len(str(int(value)))
    text = str(value)
    return max((cells(line) for line in text.split("\n")), default=0)


# --- the export -------------------------------------------------------------------------------


def export_xlsx(head: HeadJudge, path: str | Path, *, now: dt.datetime,
                tz: dt.tzinfo | None = None) -> Export:
    """Write the workbook to `path` (atomically: a temporary file renamed over it). Times are
    shown in `tz` (default: the event's `timezone`, else this computer's), which the headers
    name."""
    import openpyxl

    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    event = head.event
    zone = tz or event_zone(event) or now.astimezone().tzinfo or dt.UTC
    langs = event.languages
    with head.master.ledger.snapshot():
        entries = list(head.master.ledger.entries())
        results = head.current_results()
        statuses = {scope: _publication_status(head, results, scope, langs)
                    for scope in head.scopes()}
        overrides = head.overrides()
        withdrawn = {(w.judge, w.contestant) for w in head.withdrawals()}
        excusals = [(e.judge, e.contestant) for e in head.excusals()]
        received = {(s.judge, s.contestant): sum(s.values.values(), Decimal(0))
                    for s in head.sheets() if not s.withdrawn}
        current = {(s.judge, s.contestant): s.hash for s in head.sheets()}
        devices = {d.id: d.public_key for judge in event.judges
                   for d in head.master.devices_of(judge.id)}
        blind = blind_state(head.master.ledger.conn, event)
        publications = head.publications()
        filed = appeal_rows(head.master.ledger.conn)
        votes = {a.id: vote_rows(head.master.ledger.conn, a.id) for a in filed}
    decisions = {e.seq: e.payload for e in entries if e.kind == "appeal_decided"}
    official = {(e.payload["track"], e.payload["group"] or None, e.payload["version"])
                for e in entries if e.kind == "results_official"}
    windowed = event.appeal_rules.window_minutes is not None
    if blind.blind:  # contestants by draw number: alone while identities are hidden
        event = blind_view(event, blind.draws, names=not blind.hidden)
    if blind.hidden:
        entries = [_event_hidden(e) for e in entries]

    book = openpyxl.Workbook()
    book.remove(book.active)
    stamp = now.astimezone(zone)
    heading = _heading(event, stamp, entries)
    n_results = _results_sheet(book, event, results, statuses, heading, excusals, received)
    if results.organisations and not blind.hidden:  # not while organisations are hidden
        _organisations_sheet(book, event, results, heading)
    n_sheets = _judges_sheet(book, event, entries, overrides, withdrawn, current, devices,
                             heading, stamp)
    _publications_sheet(book, event, publications, heading, stamp,
                        official if windowed else None)
    if not blind.hidden:  # an appeal names its contestant
        _appeals_sheet(book, event, filed, heading, stamp, votes, decisions)
    n_audit = _audit_sheet(book, event, entries, heading, stamp)
    naive = now.astimezone(dt.UTC).replace(tzinfo=None)
    book.properties.created = naive
    book.properties.modified = naive
    book.properties.title = event.name.both(langs)
    book.properties.creator = "finals-kiosk"
    _save(book, Path(path))
    return Export(Path(path), n_results, n_sheets, n_audit, len(entries))


_HIDDEN: Final = "身份未解密，不显示 hidden until identities are revealed"


def _event_hidden(entry: Entry) -> Entry:
    """An entry of the audit trail as a blind final shows it while identities are hidden:
    the event file an `event_loaded`/`event_changed` entry records (names, organisations)
    left out; its hash still proves the entry."""
    if entry.kind not in ("event_loaded", "event_changed") or "event" not in entry.payload:
        return entry
    return replace(entry, payload={**entry.payload, "event": _HIDDEN})


def _save(book: Any, target: Path) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputProblems([Problem(str(target), "", Said(
            "export_unwritable", error=os_reason(exc)))]) from None
    os.close(fd)
    try:
        book.save(temp)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _w(key: str, langs: tuple[str, ...]) -> str:
    return (WORDS.get(key) or LABELS[key]).stacked(langs)


def _line(key: str, langs: tuple[str, ...], **fields: object) -> str:
    text = WORDS[key]
    return Text(text.zh.format(**fields), text.en.format(**fields)).both(langs)


def _utc_offset(moment: dt.datetime) -> str:
    """`UTC+08:00` for a moment in a zone."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _heading(event: Event, stamp: dt.datetime, entries: Sequence[Entry]) -> list[str]:
    langs = event.languages
    head_hash = entries[-1].hash if entries else ""
    exported = " · ".join([
        f"{WORDS['exported'].both(langs)} {stamp:%Y-%m-%d %H:%M:%S} "
        f"({_utc_offset(stamp)})",
        f"{len(entries)} {WORDS['entries'].both(langs)}",
        f"{WORDS['head'].both(langs)} {head_hash}"])
    return [f"{event.name.both(langs)} · {event.round.both(langs)} · {event.date.isoformat()}",
            exported, WORDS["authority"].both(langs)]


def _publication_status(head: HeadJudge, results: Results, scope: tuple[str, str | None],
                        langs: tuple[str, ...]) -> str:
    versions = head.publications(scope)
    if not versions:
        return _line("live", langs)
    last = versions[-1]
    if last.document == scope_document(results, scope):
        return _line("published", langs, n=last.version)
    return _line("differs", langs, n=last.version)


def _scope_names(event: Event, track: str, group: str | None) -> tuple[str, str]:
    langs = event.languages
    found_track = event.track(track)
    found_group = event.group(group) if group else None
    return (found_track.name.both(langs) if found_track else track,
            (found_group.name.both(langs) if found_group else group) if group else "")


def _results_sheet(book: Any, event: Event, results: Results,
                   statuses: Mapping[tuple[str, str | None], str], heading: Sequence[str],
                   excusals: Sequence[tuple[str, str | None]] = (),
                   received: Mapping[tuple[str, str], Decimal] | None = None) -> int:
    """The ranking of each scope, then its contestants waiting for a sheet (unranked: the
    totals received so far, and which judges are missing), then its absent contestants."""
    langs = event.languages
    places = event.scoring.decimals
    total_places = _places(c.step for c in event.criteria)
    has_groups = bool(event.groups)
    has_members = any(c.members for c in event.contestants)
    columns = [_Column(_w("track", langs))]
    if has_groups:
        columns.append(_Column(_w("group", langs)))
    columns += [_Column(_w("rank", langs), "0"), _Column(_w("id", langs)),
                _Column(_w("name", langs))]
    if has_members:
        columns.append(_Column(_w("members", langs)))
    columns.append(_Column(_w("organisation", langs)))
    frozen = len(columns) - 1 - int(has_members)  # through the name
    judge_start = len(columns)
    columns += [_Column(f"{j.id}\n{j.name.get(langs[0])}", _format(total_places))
                for j in event.judges]
    columns += [_Column(f"{c.name.stacked(langs)}\n({c.id}, ×{plain(c.weight)})",
                        _format(places)) for c in event.scoring.components]
    columns.append(_Column(_w("final", langs), _format(places)))
    if event.awards.tiers:  # a round that only advances has no prize column
        columns.append(_Column(_w("prize", langs)))
    if event.advancement is not None:
        columns.append(_Column(_w("advances", langs)))
    if results.honours:
        columns.append(_Column(_w("honours", langs)))
    columns += [_Column(_w("status", langs)), _Column(_w("note", langs))]
    sheet = _SheetWriter(book, WORDS["results"].both(langs), langs, heading, columns, frozen)
    tiers = {t.id: t.name.both(langs) for t in event.awards.tiers}
    notes: dict[str, list[str]] = {}
    for u in results.unresolved:
        for cid in u.contestants:
            notes.setdefault(cid, []).append(f"{LABELS['unresolved'].both(langs)}: {u.reason}")

    def identity(cid: str) -> list[object]:
        contestant = event.contestant(cid)
        cells: list[object] = [cid, contestant.name if contestant else ""]
        if has_members:
            cells.append(contestant.members if contestant else "")
        cells.append(contestant.organisation if contestant else "")
        return cells

    def blanks(cid: str, scored: Iterable[str]) -> dict[int, str]:
        """Why each judge without a score has none: recused, excused, or not scored yet."""
        contestant = event.contestant(cid)
        out, scored = {}, set(scored)
        for i, judge in enumerate(event.judges):
            if judge.id in scored:
                continue
            if contestant is not None and event.is_recused(judge, contestant):
                out[judge_start + i] = "recused"
            elif any(j == judge.id and c in (None, cid) for j, c in excusals):
                out[judge_start + i] = "excused"
            else:
                out[judge_start + i] = "not_scored"
        return out

    sheet.legend = [("legend", ""), ("legend_recused", "recused"),
                    ("legend_excused", "excused"), ("legend_not_scored", "not_scored"),
                    ("legend_dropped", "")]
    for scope in results.scopes:
        track, group = _scope_names(event, scope.track, scope.group)
        lead: list[object] = [track, group] if has_groups else [track]
        status = statuses.get((scope.track, scope.group), "")
        for s in scope.ranking:
            row = [*lead, s.rank, *identity(s.contestant), *_standing_cells(event, s, tiers)]
            if results.honours:
                row.append(honour_names(event, s.honours, langs))
            row += [status, "\n".join(notes.get(s.contestant, []))]
            struck = [judge_start + i for i, j in enumerate(event.judges) if j.id in s.dropped]
            sheet.add(row, struck=struck, blanks=blanks(s.contestant, s.judges))
        width = len(event.judges) + len(event.scoring.components) + 1 \
            + int(bool(event.awards.tiers)) + int(event.advancement is not None) \
            + int(results.honours)
        waiting = [cid for u in results.unresolved if u.kind == "missing_sheets"
                   and u.scope == (scope.track, scope.group) for cid in u.contestants]
        for cid in dict.fromkeys(waiting):
            totals = {j.id: (received or {})[(j.id, cid)] for j in event.judges
                      if (j.id, cid) in (received or {})}
            row = [*lead, None, *identity(cid), *[totals.get(j.id) for j in event.judges]]
            row += [None] * (width - len(event.judges))
            row += [LABELS["unresolved"].both(langs), "\n".join(notes.get(cid, []))]
            sheet.add(row, blanks=blanks(cid, totals))
        for cid in scope.absent:
            row = [*lead, None, *identity(cid), *([None] * width)]
            row += [LABELS["absent"].both(langs), "\n".join(notes.get(cid, []))]
            sheet.add(row)
    sheet.finish()
    return sheet.rows


def _organisations_sheet(book: Any, event: Event, results: Results,
                         heading: Sequence[str]) -> int:
    """`单位奖 Organisation awards`: per award (every track and group), each organisation's
    rank, score, contestants and whether it is awarded."""
    langs = event.languages
    columns = [_Column(_w("award", langs)), _Column(_w("rank", langs), "0"),
               _Column(_w("organisation", langs)), _Column(_w("org_score", langs)),
               _Column(_w("org_contestants", langs), wrap=True, width=40),
               _Column(_w("awarded", langs))]
    sheet = _SheetWriter(book, WORDS["organisation_awards"].both(langs), langs, heading,
                         columns, 3)
    names = {a.id: a.name.both(langs) for a in event.organisation_awards}
    for ranking in results.organisations:
        for s in ranking.ranking:
            awarded = {True: WORDS["awarded"].both(langs), False: "",
                       None: LABELS["undecided"].both(langs)}[s.awarded]
            sheet.add([names.get(ranking.award, ranking.award), s.rank, s.organisation,
                       s.score, ", ".join(s.contestants), awarded])
    sheet.finish()
    return sheet.rows


def _standing_cells(event: Event, s: Standing, tiers: Mapping[str, str]) -> list[object]:
    langs = event.languages
    cells: list[object] = [s.judges.get(j.id) for j in event.judges]
    cells += [s.components.get(c.id) for c in event.scoring.components]
    cells.append(s.final)
    if event.awards.tiers:
        cells.append(tiers.get(s.prize, s.prize) if s.prize else "")
    if event.advancement is not None:
        key = {True: "yes", False: "no", None: "undecided"}[s.advances]
        cells.append(LABELS[key].both(langs))
    return cells


# --- judges' sheets ---------------------------------------------------------------------------


def _judges_sheet(book: Any, event: Event, entries: Sequence[Entry], overrides: Sequence[Any],
                  withdrawn: set[tuple[str, str]], current: Mapping[tuple[str, str], str],
                  devices: Mapping[str, bytes], heading: Sequence[str], stamp: dt.datetime
                  ) -> int:
    langs = event.languages
    zone = stamp.tzinfo or dt.UTC
    step_format = _format(_places(c.step for c in event.criteria))
    offset = _utc_offset(stamp)
    columns = [_Column(_w("judge", langs)), _Column(_w("judge_name", langs)),
               _Column(_w("id", langs)), _Column(_w("name", langs)),
               _Column(_w("organisation", langs)), _Column(_w("revision", langs), "0")]
    columns += [_Column(f"{c.name.stacked(langs)}\n({c.id}, ≤{plain(c.max)})", step_format)
                for c in event.criteria]
    columns += [_Column(_w("total", langs), step_format), _Column(_w("status", langs)),
                _Column(_w("reason", langs), wrap=True), _Column(_w("comment", langs), wrap=True),
                _Column(_w("overrides", langs), wrap=True), _Column(_w("signature", langs)),
                _Column(f"{_w('received', langs)}\n({offset})", _DATETIME_FORMAT),
                _Column(_w("ledger", langs), "0"),
                # the device's own clock and id, and the record's hash: for a screen (the
                # audit trail prints who sent what when)
                _Column(_w("device_time", langs), printed=False),
                _Column(_w("device", langs), printed=False),
                _Column(_w("hash", langs), width=18, printed=False)]
    sheet = _SheetWriter(book, WORDS["sheets"].both(langs), langs, heading, columns, 4)
    by_hash: dict[str, list[Any]] = {}
    for o in overrides:
        by_hash.setdefault(o.sheet, []).append(o)
    rows: list[tuple[tuple[int, int, int], list[object]]] = []
    judge_order = {j.id: i for i, j in enumerate(event.judges)}
    contestant_order = {c.id: i for i, c in enumerate(event.contestants)}
    set_aside = {str(e.payload.get("set_aside")) for e in entries
                 if e.kind == "sheet_conflict_resolved"}
    for entry in entries:
        if entry.kind != "sheet_received":
            continue
        parsed = _signed_sheet(entry, devices)
        if parsed is None:
            continue
        sheet_, signature = parsed
        judge = event.judge(sheet_.judge)
        contestant = event.contestant(sheet_.contestant)
        record_hash = str(entry.payload.get("hash", ""))
        pair = (sheet_.judge, sheet_.contestant)
        status = _status(pair, record_hash, current, withdrawn, set_aside, langs)
        changed = "\n".join(
            f"{o.criterion}: {plain(o.old)} → {plain(o.new)} ({o.reason}) [{o.status}]"
            for o in by_hash.get(record_hash, []))
        values: list[object] = [sheet_.values.get(c.id) for c in event.criteria]
        row: list[object] = [
            sheet_.judge, judge.name.get(langs[0]) if judge else "", sheet_.contestant,
            contestant.name if contestant else "", contestant.organisation if contestant else "",
            sheet_.revision, *values, sheet_.total, status, sheet_.reason or "",
            sheet_.comment, changed, signature.both(langs), _local(entry.at, zone),
            entry.seq, sheet_.device_time, sheet_.device, record_hash]
        order = (contestant_order.get(sheet_.contestant, len(contestant_order)),
                 judge_order.get(sheet_.judge, len(judge_order)), sheet_.revision)
        rows.append((order, row))
    for paper in paper_revisions(entries):  # typed twice: the operators and form, no device
        judge, contestant = event.judge(paper.judge), event.contestant(paper.contestant)
        pair = (paper.judge, paper.contestant)
        changed = "\n".join(
            f"{o.criterion}: {plain(o.old)} → {plain(o.new)} ({o.reason}) [{o.status}]"
            for o in by_hash.get(paper.hash, []))
        origin = Text(*(WORDS["paper"].get(x).format(
            form=paper.form, operators=("、" if x == "zh" else ", ").join(paper.operators))
            for x in ("zh", "en")))
        rows.append(((contestant_order.get(paper.contestant, len(contestant_order)),
                      judge_order.get(paper.judge, len(judge_order)), paper.revision), [
            paper.judge, judge.name.get(langs[0]) if judge else "", paper.contestant,
            contestant.name if contestant else "", contestant.organisation if contestant else "",
            paper.revision, *[paper.values.get(c.id) for c in event.criteria], paper.total,
            _status(pair, paper.hash, current, withdrawn, set_aside, langs), "", "", changed,
            origin.both(langs), _local(paper.at, zone), paper.ledger_seq, "", "", paper.hash]))
    for _, row in sorted(rows, key=lambda item: item[0]):
        sheet.add(row)
    sheet.finish()
    return sheet.rows


def _status(pair: tuple[str, str], sheet_hash: str, current: Mapping[tuple[str, str], str],
            withdrawn: set[tuple[str, str]], set_aside: set[str], langs: tuple[str, ...]
            ) -> str:
    """A sheet revision's standing: in force, withdrawn, replaced by a later revision, or set
    aside by the head judge's choice between a judge's laptop and paper sheets."""
    if current.get(pair) != sheet_hash:
        return WORDS["set_aside" if sheet_hash in set_aside else "superseded"].both(langs)
    return WORDS["withdrawn" if pair in withdrawn else "in_force"].both(langs)


def _signed_sheet(entry: Entry, devices: Mapping[str, bytes]) -> tuple[Sheet, Text] | None:
    payload = entry.payload
    try:
        record = SignedRecord.from_wire({"body": payload["body"], "sig": payload["sig"]})
        judged = judge_record_from_body(record.parsed())
    except (KeyError, RecordError):
        return None
    if not isinstance(judged, Sheet):
        return None
    key = devices.get(judged.device)
    if key is None:
        return judged, WORDS["unknown_device"]
    return judged, WORDS["valid"] if record.verify(key) else WORDS["invalid"]


def _local(at: str, zone: dt.tzinfo) -> dt.datetime | str:
    """A ledger time (ISO UTC) as a naive local datetime for Excel; the text if unreadable."""
    moment = recorded_moment(at)
    return at if moment is None else moment.astimezone(zone).replace(tzinfo=None)


# --- audit trail ------------------------------------------------------------------------------


def _publications_sheet(book: Any, event: Event, rows: Sequence[PublicationRow],
                        heading: Sequence[str], stamp: dt.datetime,
                        official: Iterable[tuple[str, str | None, int]] | None = None) -> int:
    """`发布记录 Publications`: every published version of every ranking, with its time,
    whether it is provisional or became official (`official`: the versions made official;
    None when the event sets no appeal window, and the column is empty), reason and what
    moved from the version before (issue 27)."""
    langs = event.languages
    zone = stamp.tzinfo or dt.UTC
    made_official = set(official or ())
    columns = [_Column(_w("ranking", langs)), _Column(_w("version", langs), "0"),
               _Column(_w("state", langs)),
               _Column(f"{_w('time', langs)}\n({_utc_offset(stamp)})", _DATETIME_FORMAT),
               _Column(_w("publish_reason", langs), width=30, wrap=True),
               _Column(_w("changes", langs), width=70, wrap=True)]
    sheet = _SheetWriter(book, WORDS["publications"].both(langs), langs, heading, columns, 2)
    before: dict[tuple[str, str | None], Mapping[str, Any]] = {}
    for row in rows:
        key = (row.track, row.group)
        changes = ("\n".join(describe_changes(before[key], row.document, langs[0], event))
                   if key in before else WORDS["first_version"].both(langs))
        before[key] = row.document
        state = "" if official is None else WORDS[
            "state_official" if (row.track, row.group, row.version) in made_official
            else "state_provisional"].both(langs)
        sheet.add([" · ".join(n for n in _scope_names(event, row.track, row.group) if n),
                   row.version, state,
                   _local(row.at, zone), row.reason, changes])
    sheet.finish()
    return sheet.rows


def _appeals_sheet(book: Any, event: Event, rows: Sequence[AppealRow],
                   heading: Sequence[str], stamp: dt.datetime,
                   votes: Mapping[int, Sequence[VoteRow]] | None = None,
                   decisions: Mapping[int, Mapping[str, Any]] | None = None) -> int:
    """`申诉 Appeals`: every appeal, its category (and why a late one was accepted), ground,
    evidence files (name and the start of their SHA-256), how it ended, the committee's
    votes (a declared conflict marked: not counted), the correction an upheld decision
    applied and the contestants whose rank or prize it moved. `votes` by appeal id;
    `decisions` the `appeal_decided` payloads by ledger position."""
    langs = event.languages
    zone = stamp.tzinfo or dt.UTC
    offset = _utc_offset(stamp)
    columns = [_Column(_w("appeal", langs), "0"), _Column(_w("contestant", langs)),
               _Column(_w("filed_by", langs)),
               _Column(f"{_w('filed_at', langs)}\n({offset})", _DATETIME_FORMAT),
               _Column(_w("category", langs), width=16, wrap=True),
               _Column(_w("ground", langs), width=28, wrap=True),
               _Column(_w("evidence", langs), width=22, wrap=True),
               _Column(_w("outcome", langs)),
               _Column(f"{_w('decided_at', langs)}\n({offset})", _DATETIME_FORMAT),
               _Column(_w("decision_reason", langs), width=28, wrap=True),
               _Column(_w("votes", langs), width=26, wrap=True),
               _Column(_w("correction", langs), width=20, wrap=True),
               _Column(_w("moved", langs), width=16, wrap=True)]
    sheet = _SheetWriter(book, WORDS["appeals"].both(langs), langs, heading, columns, 2)

    def named(cid: str) -> str:
        contestant = event.contestant(cid)
        return f"{cid} {contestant.name}" if contestant else cid

    for a in rows:
        decision = (decisions or {}).get(a.decided_seq or 0, {})
        category = WORDS.get(f"category_{a.category}")
        kind = category.both(langs) if category else a.category
        if a.late_reason:
            kind += f"\n{WORDS['late_filed'].both(langs)}: {a.late_reason}"
        sheet.add([a.id, named(a.contestant), a.filed_by, _local(a.filed_at, zone), kind,
                   a.ground, "\n".join(f"{e.name} (SHA-256 {e.sha256[:12]}…)"
                                       for e in a.evidence),
                   WORDS[f"appeal_{a.status}"].both(langs),
                   _local(a.decided_at, zone) if a.decided_at else "",
                   a.decision_reason or "",
                   "\n".join(_vote_text(v, langs) for v in (votes or {}).get(a.id, ())),
                   _correction_text(decision.get("correction"), langs),
                   "\n".join(named(str(c)) for c in decision.get("moved", ()))])
    sheet.finish()
    return sheet.rows


def _vote_text(vote: VoteRow, langs: tuple[str, ...]) -> str:
    """`张伟: 支持 upheld`; a declared conflict marked as not counted."""
    text = f"{vote.member}: {WORDS[f'vote_{vote.vote}'].both(langs)}"
    return text + (f" · {WORDS['vote_conflict'].both(langs)}" if vote.conflict else "")


def _correction_text(correction: Mapping[str, Any] | None, langs: tuple[str, ...]) -> str:
    """An upheld decision's correction, one line each: `J1 pitch → 14`, `J2: 评分表不再计分
    sheet withdrawn`."""
    if not correction:
        return ""
    lines = [f"{c['judge']} {c['criterion']} → {c['value']}" for c in correction.get("set", [])]
    lines += [f"{j}: {WORDS['correction_withdraw'].both(langs)}"
              for j in correction.get("withdraw", [])]
    return "\n".join(lines)


def _audit_sheet(book: Any, event: Event, entries: Sequence[Entry], heading: Sequence[str],
                 stamp: dt.datetime) -> int:
    langs = event.languages
    zone = stamp.tzinfo or dt.UTC
    offset = _utc_offset(stamp)
    columns = [_Column(_w("seq", langs), "0"), _Column(_w("kind", langs)),
               _Column(_w("actor", langs)),
               _Column(f"{_w('time', langs)}\n({offset})", _DATETIME_FORMAT),
               _Column(_w("summary", langs), width=70, wrap=True),
               _Column(_w("hash", langs), width=34, wrap=True),  # 64 hex digits: 2 lines
               _Column(_w("payload", langs), width=80, printed=False)]
    sheet = _SheetWriter(book, WORDS["audit"].both(langs), langs, heading, columns, 2)
    typings = PaperTypings().read(entries)
    for entry in entries:
        kind = f"{ENTRY_KINDS.both(entry.kind, langs)} ({entry.kind})"
        sheet.add([entry.seq, kind, entry.actor, _local(entry.at, zone),
                   summarise(entry, langs[0], event, typings), entry.hash,
                   canonical_bytes(dict(entry.payload)).decode("utf-8")])
    sheet.finish()
    return sheet.rows


def _values_text(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in values.items())


def summarise(entry: Entry, lang: str = "zh", event: Event | None = None,
              typings: PaperTypings | None = None) -> str:
    """One line saying what an entry records, in `lang` (`entry_lines.entry_line`)."""
    return entry_line(entry, event=event, typings=typings).render(lang)
