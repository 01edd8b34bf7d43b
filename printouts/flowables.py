"""Building blocks several sheets share: the table look, the score matrix, the result block,
revision and override notes, signature blocks. Each returns flowables; none draws furniture
(that is `layout`) or decides what a sheet contains (that is `printouts.sheets`).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from sync.event import Contestant, Event, Judge, Text
from sync.i18n import honour_names
from sync.organisations import same_organisation

from .fonts import TEXT
from .layout import Lines, p, styles
from .model import Excusal, Override, Placing, ScoreSheet
from .runs import Run, draw_runs, string_width, text_width
from .words import (
    WORDS,
    actor_name,
    advances_word,
    judge_name,
    langs,
    pct,
    plain,
    scope_name,
    show_time,
    tier_name,
    w,
    ws,
)

__all__ = [
    "Cell",
    "contestant_info_block",
    "criterion_headers",
    "grid",
    "heading",
    "info_block",
    "legend",
    "notes",
    "paper_notes",
    "recusal_word",
    "result_block",
    "revision_notes",
    "score_cells",
    "score_matrix",
    "scoring_notes",
    "signature_block",
    "table",
    "txt",
]

Cell: TypeAlias = "str | Flowable"
_LINE = colors.Color(0.45, 0.45, 0.45)
_SHADE = colors.Color(0.92, 0.92, 0.92)
_PAD = 2.5
_SMALLEST = 5.8
_LIGHT = colors.Color(0.97, 0.97, 0.97)


def table(rows: Sequence[Sequence[Cell | list[Flowable]]], widths: Sequence[float],
          style: Sequence[tuple[Any, ...]], *, header_rows: int = 0, align: str = "LEFT"
          ) -> Table:
    """Every table on a sheet: the shipped font for plain cells, then `style`.

    The style commands that come first among those setting cells' styles and that cover
    every cell (font, alignment, padding) are folded into the style each cell starts with
    instead of being applied to each cell in turn; the others are applied as usual, in order.
    (Lines, backgrounds and spans are kept apart from cell styles, so their order among those
    does not matter.)"""
    data = [list(r) for r in rows]
    base: dict[str, Any] = {"name": "fk-cell"}
    rest: list[tuple[Any, ...]] = []
    folding = True
    for command in [("FONT", (0, 0), (-1, -1), TEXT, 7.5, 9.4), *style]:
        updates = _cell_updates(command)
        if updates is None:
            rest.append(command)
        elif folding and command[1] == (0, 0) and command[2] == (-1, -1):
            base.update(updates)
        else:
            folding = False
            rest.append(command)
    columns = max(map(len, data), default=0)
    cell_styles = [[_cell_style(base) for _ in range(columns)] for _ in data]
    out = _Table(data, colWidths=list(widths), repeatRows=header_rows, hAlign=align,
                 cellStyles=cell_styles)
    out.setStyle(TableStyle(rest))
    return out


_CELL_ATTRIBUTES = {
    "FONTNAME": "fontname", "FACE": "fontname", "SIZE": "fontsize", "FONTSIZE": "fontsize",
    "LEADING": "leading", "ALIGN": "alignment", "ALIGNMENT": "alignment", "VALIGN": "valign",
    "LEFTPADDING": "leftPadding", "RIGHTPADDING": "rightPadding", "TOPPADDING": "topPadding",
    "BOTTOMPADDING": "bottomPadding", "HREF": "href", "DESTINATION": "destination",
    "DIRECTION": "direction", "SHAPING": "shaping",
}


def _cell_updates(command: Sequence[Any]) -> dict[str, Any] | None:
    """What a table style command sets in each cell's style, as reportlab's `_setCellStyle`
    sets it; None for a command that is not about cell styles."""
    op, values = command[0], command[3:]
    if op == "FONT":
        updates = {"fontname": values[0]}
        if len(values) > 1:
            updates["fontsize"] = values[1]
            updates["leading"] = values[2] if len(values) > 2 else values[1] * 1.2
        return updates
    if op == "TEXTCOLOR":
        return {"color": colors.toColor(values[0], colors.Color(0, 0, 0))}
    attribute = _CELL_ATTRIBUTES.get(op)
    return None if attribute is None else {attribute: values[0]}


def _cell_style(base: dict[str, Any]) -> CellStyle:
    style = CellStyle.__new__(CellStyle)
    style.__dict__.update(base)
    return style


def txt(text: str, width: float, *, centred: bool = False) -> Cell:
    """`text` for a body cell `width` wide in a column aligned left (or `centred`): a plain
    string the table draws itself when every line fits, a wrapping paragraph otherwise.
    (Plain strings are several times faster to lay out than paragraphs.)"""
    style = styles().cell_c if centred else styles().cell
    if _fits(text, style.fontName, style.fontSize, width - 2 * _PAD):
        return text
    return p(text, style)


class _Table(Table):  # type: ignore[misc]
    """A table that writes its plain-text cells as one text object once its cells are laid
    out, where reportlab opens a text object per line of every cell: a pack has some 25,000
    such cells, and this halves what they cost. Cells it does not handle the same way
    (links, right-to-left text, decimal alignment) are drawn by reportlab as usual."""

    _fk_runs: list[Run] | None = None

    def _addCommand(self, cmd: Sequence[Any]) -> None:
        """A cell style command over a range of cells sets each cell's style in one step
        (reportlab calls a function per cell and command); anything else as reportlab does."""
        updates = _cell_updates(cmd) if len(cmd) >= 3 else None
        if updates is None or isinstance(cmd[1][1], str) or isinstance(cmd[2][1], str):
            super()._addCommand(cmd)
            return
        (sc, sr), (ec, er) = cmd[1], cmd[2]
        sc, ec, sr, er = self.normCellRange(sc, ec, sr, er)
        for row in self._cellStyles[sr : er + 1]:
            for style in row[sc : ec + 1]:
                style.__dict__.update(updates)

    def draw(self) -> None:
        self._fk_runs = []
        super().draw()
        runs, self._fk_runs = self._fk_runs, None
        if not runs:
            return
        canvas = self.canv
        canvas.saveState()
        draw_runs(canvas, runs)
        canvas.restoreState()

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],
                  size: tuple[float, float]) -> None:
        just = cellstyle.alignment
        if (self._fk_runs is None or not isinstance(cellval, str)
                or just not in ("LEFT", "CENTER", "CENTRE", "RIGHT") or cellstyle.href
                or cellstyle.destination or cellstyle.direction or cellstyle.shaping):
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        lines = cellval.split("\n")
        leading, fontsize, font = cellstyle.leading, cellstyle.fontsize, cellstyle.fontname
        if cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        elif cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding
                          + len(lines) * leading) / 2.0 - fontsize
        for line in lines:
            if line:
                if just == "LEFT":
                    x = colpos + cellstyle.leftPadding
                elif just == "RIGHT":
                    x = colpos + colwidth - cellstyle.rightPadding
                    x -= string_width(line, font, fontsize)
                else:
                    x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) / 2
                    x -= string_width(line, font, fontsize) / 2
                self._fk_runs.append((font, fontsize, leading, cellstyle.color, x, y, line))
            y -= leading


def fitted(text: str, style: ParagraphStyle, width: float) -> Cell:
    """`text` for a narrow cell `width` wide (headers, status): set smaller (not below
    `_SMALLEST`) until each of its lines fits, and Latin lines that still do not fit broken at
    spaces here, because reportlab's CJK wrapping would break a Latin word in the middle.
    A plain string when it fits as it is: `style` must then be the one the table uses for
    that cell (`head` in the header row, `cell_c` in a centred column)."""
    avail = width - 2 * _PAD
    if _fits(text, style.fontName, style.fontSize, avail):
        return text
    lines = text.split("\n")
    widest = max(text_width(line, style.fontName, style.fontSize) for line in lines)
    size = max(math.floor(style.fontSize * avail / widest * 10) / 10, _SMALLEST)
    broken = [part for line in lines for part in _break_at_spaces(line, style.fontName, size,
                                                                   avail)]
    return p("\n".join(broken), _sized(style, size))


def _fits(text: str, font: str, size: float, width: float) -> bool:
    return all(text_width(line, font, size) <= width for line in text.split("\n"))


def _break_at_spaces(line: str, font: str, size: float, width: float) -> list[str]:
    if text_width(line, font, size) <= width or " " not in line:
        return [line]
    out: list[str] = []
    for word in line.split(" "):
        if out and text_width(f"{out[-1]} {word}", font, size) <= width:
            out[-1] += f" {word}"
        else:
            out.append(word)
    return out


@functools.cache
def _sized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return style.clone(f"{style.name}-{size}", fontSize=size, leading=size * 1.24)


def grid(header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float], *,
         extra: Sequence[tuple[Any, ...]] = (), numeric_from: int | None = None) -> Table:
    """The one table look: a shaded header row (repeated on every page) whose labels are
    fitted to their columns, a thin grid, cells vertically centred; columns from
    `numeric_from` on are centred (numbers)."""
    head = styles().head
    header_rows = 1
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.35, _LINE),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style += [("BACKGROUND", (0, 0), (-1, 0), _SHADE),
              ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
              ("FONT", (0, 0), (-1, 0), TEXT, head.fontSize, head.leading),
              ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    if numeric_from is not None:
        style.append(("ALIGN", (numeric_from, header_rows), (-1, -1), "CENTER"))
    labels: list[Cell] = [fitted(t, head, wd) for t, wd in zip(header, widths, strict=True)]
    return table([labels, *rows], widths, style + list(extra), header_rows=header_rows)


def heading(text: str) -> Flowable:
    """A section title, kept on the page of what follows it."""
    title = Lines(text, styles().h2)
    title.keepWithNext = True
    return title


def notes(lines: Sequence[str]) -> list[Flowable]:
    return [Lines(line, styles().note) for line in lines]


def legend(event: Event, keys: Sequence[str]) -> Flowable:
    """What the marks in the table mean, one language per line."""
    lg = langs(event)
    lines = [WORDS["legend"].get(x) + ("：" if x == "zh" else ": ")
             + ("；" if x == "zh" else "; ").join(WORDS[k].get(x) for k in keys) for x in lg]
    return Lines("\n".join(dict.fromkeys(lines)), styles().small)


def info_block(rows: Sequence[tuple[str, str]], width: float) -> Table:
    """Label / value pairs, two pairs per line, for the head of a sheet."""
    s = styles()
    label_w = 0.16 * width
    value_w = width / 2 - label_w
    cells: list[list[Cell]] = []
    for i in range(0, len(rows), 2):
        line: list[Cell] = []
        for label, value in rows[i : i + 2]:
            line += [fitted(label, s.small, label_w), txt(value, value_w)]
        line += [""] * (4 - len(line))
        cells.append(line)
    return table(cells, [label_w, value_w, label_w, value_w], [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (0, -1), TEXT, s.small.fontSize, s.small.leading),
        ("FONT", (2, 0), (2, -1), TEXT, s.small.fontSize, s.small.leading),
        ("BACKGROUND", (0, 0), (0, -1), _LIGHT),
        ("BACKGROUND", (2, 0), (2, -1), _LIGHT),
        ("GRID", (0, 0), (-1, -1), 0.35, _LINE),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])


def criterion_headers(event: Event) -> list[str]:
    lg = langs(event)
    return [f"{c.name.stacked(lg)}\n/{plain(c.max)}" for c in event.criteria]


def recusal_word(event: Event, judge: Judge, contestant: Contestant) -> str:
    """`回避（同单位） recused (same organisation)` or the declared-conflict wording."""
    same = same_organisation(judge.affiliation, contestant.organisation)
    return w("recused_org" if same else "recused_declared", langs(event))


def excusal_lines(event: Event, excused: Sequence[Excusal], *,
                  contestants: bool = True) -> list[str]:
    """One line per excused seat: the judge, `免评 excused`, for whom (with `contestants`),
    the head judge's reason."""
    lg = langs(event)
    lines = []
    for e in excused:
        covered = w("whole_final", lg) if e.contestants is None else ", ".join(e.contestants)
        lines.append(f"=  {e.judge} {judge_name(event, e.judge)} · {w('excused', lg)}"
                     + (f" · {covered}" if contestants else "")
                     + f" · {w('reason', lg)}: {e.reason}")
    return lines


def score_cells(event: Event, sheet: ScoreSheet, overrides: Sequence[Override], *,
                dropped: bool | None = None, excused: bool = False
                ) -> tuple[list[str], str, str]:
    """One judge's sheet for one contestant as table cells: a value per criterion (`18 r`
    when it differs from revision 1, `12 → 9†` when overridden), the total (in brackets when
    dropped, with the total in force after overrides), and the status lines. `dropped`
    None: the sheet does not know (a judge's own sheet), so no counted/dropped word."""
    lg = langs(event)
    current = sheet.current
    first = sheet.revisions[0].values
    changed = {o.criterion: o for o in overrides
               if (o.judge, o.contestant) == (sheet.judge, sheet.contestant)}
    values = []
    for c in event.criteria:
        value = current.values.get(c.id)
        if value is None:
            values.append("—")
            continue
        text = plain(value) + (" r" if len(sheet.revisions) > 1 and first.get(c.id) != value
                               else "")
        if c.id in changed:
            text += f"\n→ {plain(changed[c.id].after)}†"
        values.append(text)
    total = plain(current.total)
    total = f"[{total}]" if dropped else total
    if changed:
        in_force = current.total + sum((o.after - o.before for o in changed.values()), Decimal(0))
        total += f"\n→ {plain(in_force)}†"
    status = []
    if excused:
        status.append(w("excused", lg))
    elif sheet.withdrawn:
        status.append(w("withdrawn", lg))
    elif dropped is not None:
        status.append(w("dropped" if dropped else "counted", lg))
    if changed:
        status.append(w("override_short", lg))
    if current.number > 1:
        status.append(w("revision", lg, n=current.number))
    if sheet.paper is not None:
        status.append(w("paper", lg))
    elif not sheet.signature_ok:
        status.append(w("signature_bad", lg))
    return values, total, "\n".join(status)


def score_matrix(event: Event, contestant_id: str, scores: Sequence[ScoreSheet],
                 overrides: Sequence[Override], placing: Placing | None,
                 width: float, excused: Sequence[Excusal] = ()) -> Table:
    """Judges down, criteria across, for one contestant: values, totals, and each judge's
    standing (counted, dropped, recused, withdrawn, excused); the counted judges' means
    last."""
    lg = langs(event)
    s = styles()
    contestant = event.contestant(contestant_id)
    by_judge = {sc.judge: sc for sc in scores}
    n = len(event.criteria)
    status_w, total_w = 24 * mm, 13 * mm
    crit_w = min(max((width - 34 * mm - status_w - total_w) / n, 11.5 * mm), 20 * mm)
    judge_w = width - n * crit_w - status_w - total_w
    header = [ws("judge", lg), *criterion_headers(event),
              f"{ws('total', lg)}\n/{plain(event.rubric_max)}", ws("status", lg)]
    rows: list[list[Cell]] = []
    extra: list[tuple[Any, ...]] = []
    dropped = placing.dropped if placing else ()
    for judge in event.judges:
        who = txt(f"{judge.id} {judge_name(event, judge.id)}", judge_w)
        sheet = by_judge.get(judge.id)
        if contestant is not None and event.is_recused(judge, contestant):
            rows.append([who, p(recusal_word(event, judge, contestant), s.cell_c)]
                        + [""] * (n + 1))
            extra += [("SPAN", (1, len(rows)), (-1, len(rows))),
                      ("BACKGROUND", (0, len(rows)), (-1, len(rows)), _LIGHT)]
            continue
        seat_excused = any(e.judge == judge.id and e.covers(contestant_id) for e in excused)
        if sheet is None:
            rows.append([who] + ["—"] * (n + 1) + [fitted(
                ws("excused" if seat_excused else "not_scored", lg), s.cell_c, status_w)])
            continue
        values, total, status = score_cells(event, sheet, overrides,
                                            dropped=judge.id in dropped, excused=seat_excused)
        rows.append([who, *values, total, fitted(status, s.cell_c, status_w)])
        if judge.id in dropped or sheet.withdrawn or seat_excused:
            extra.append(("TEXTCOLOR", (1, len(rows)), (-2, len(rows)), _LINE))
    if placing is not None:
        means = [str(placing.criterion_means.get(c.id, "—")) for c in event.criteria]
        rows.append([txt(ws("mean", lg), judge_w), *means, str(placing.panel),
                     fitted(w("panel", lg), s.cell_c, status_w)])
        extra.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), _SHADE))
    return grid(header, rows, [judge_w] + [crit_w] * n + [total_w, status_w], extra=extra,
                numeric_from=1)


def revision_notes(event: Event, scores: Sequence[ScoreSheet],
                   overrides: Sequence[Override], *, name_contestant: bool,
                   zone: dt.tzinfo) -> list[str]:
    """One line per revision after the first and per override, with both values and why;
    times in `zone`."""
    lg = langs(event)
    lines: list[str] = []
    for sheet in scores:
        who = sheet.contestant if name_contestant else sheet.judge
        for before, after in itertools.pairwise(sheet.revisions):
            changed = [
                f"{_criterion_name(event, cid)} {plain(before.values[cid])} → {plain(v)}"
                for cid, v in after.values.items()
                if cid in before.values and before.values[cid] != v
            ] or [w("nothing", lg)]
            lines.append(
                f"r  {who} · {w('revision', lg, n=after.number)} · "
                f"{show_time(after.at, zone)} · "
                f"{w('reason', lg)}: {after.reason or '—'} · " + "; ".join(changed)
            )
        if sheet.withdrawn:
            lines.append(f"✕  {who} · {w('withdrawn', lg)} · {w('reason', lg)}: {sheet.withdrawn}")
    for o in overrides:
        who = o.contestant if name_contestant else o.judge
        lines.append(
            f"†  {who} · {_criterion_name(event, o.criterion)}: {plain(o.before)} → "
            f"{plain(o.after)} · {w('override', lg)} · {w('reason', lg)}: {o.reason}"
            + (f" · {actor_name(o.by, lg)}" if o.by else "")
            + (f" · {show_time(o.at, zone)}" if o.at else "")
        )
    return lines


def paper_notes(event: Event, scores: Sequence[ScoreSheet], *, name_contestant: bool
                ) -> list[str]:
    """One line per paper form and pair of operators: the contestants (or judges) whose
    sheets were typed from it, its sheet code and who typed them; none for laptop sheets."""
    lg = langs(event)
    grouped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for sheet in scores:
        if sheet.paper is not None:
            grouped.setdefault((sheet.paper.form, sheet.paper.operators), []).append(
                sheet.contestant if name_contestant else sheet.judge)
    sep = "、" if lg[0] == "zh" else ", "
    return [f"{w('paper', lg)}  " + ", ".join(who) + f" · {w('sheet_code', lg)} {form} · "
            f"{w('typed_by', lg)} {sep.join(operators)}"
            for (form, operators), who in grouped.items()]


def _criterion_name(event: Event, criterion_id: str) -> str:
    criterion = event.criterion(criterion_id)
    return criterion.name.both(langs(event)) if criterion else criterion_id


def scoring_notes(event: Event) -> list[str]:
    """How the panel score, the components and the final score are computed and rounded, and
    the tie-break order: one sentence per language."""
    lg = langs(event)
    rules = event.scoring
    parts = Text(*(" + ".join(f"{c.name.get(x)} × {pct(c.weight)}" for c in rules.components
                              if c.weight)  # a weight of 0: kept for a tie-break only
                   for x in ("zh", "en")))
    rounding = Text(*(WORDS["rounding"].get(x).format(
        d=rules.decimals, mode=WORDS[f"round.{rules.rounding}"].get(x)) for x in ("zh", "en")))
    agg = Text(*(WORDS[f"agg.{rules.aggregate}"].get(x).format(n=rules.trim)
                 for x in ("zh", "en")))
    lines = [ws("how_scored", lg, agg=agg, parts=parts, rounding=rounding)]
    if rules.tiebreak:
        names = [
            named.name if (named := (event.component(k.id) if k.kind == "component"
                                     else event.criterion(k.id))) else Text(str(k), str(k))
            for k in rules.tiebreak
        ]
        lower = [k.prefer == "lower" for k in rules.tiebreak]  # an earlier submission first
        order = Text(*(" › ".join(
            WORDS["lower_first"].get(x).format(name=n.get(x)) if low else n.get(x)
            for n, low in zip(names, lower, strict=True)) for x in ("zh", "en")))
        lines.append(ws("tiebreak_order", lg, order=order))
    return lines


def result_block(event: Event, placing: Placing, width: float) -> Table:
    """Panel score, each component with its maximum and weight, final, rank, prize."""
    lg = langs(event)
    s = styles()
    contestant = event.contestant(placing.contestant)
    header = [w(k, lg) for k in ("component", "max", "weight", "value")]
    rows: list[list[Cell]] = []
    label_w, value_w = width - 3 * 28 * mm, 28 * mm
    rows.append([txt(w("panel", lg), label_w), plain(event.rubric_max), "", str(placing.panel)])
    for c in event.scoring.components:
        value = placing.components.get(c.id)
        rows.append([txt(c.name.both(lg), label_w), plain(c.max), pct(c.weight),
                     "—" if value is None else str(value)])
    scope = scope_name(event, contestant.track, contestant.group) if contestant else ""
    rows.append([txt(w("final", lg), label_w), "", "", str(placing.final)])
    rows.append([txt(f"{w('rank', lg)} ({scope})", label_w), "", "", str(placing.rank)])
    if event.awards.tiers:  # a round that only advances awards no prize: no prize row
        rows.append([txt(w("prize", lg), label_w), "", "",
                     fitted(tier_name(event, placing.prize), s.cell_c, value_w)])
    if event.advancement is not None:
        rows.append([txt(w("advances", lg), label_w), "", "",
                     fitted(advances_word(placing.advances, lg), s.cell_c, value_w)])
    if event.honours:  # `[[honours]]`: the titles held, or a dash
        rows.append([txt(w("honours", lg), label_w), "", "",
                     fitted(honour_names(event, placing.honours, lg, stacked=True) or "—",
                            s.cell_c, value_w)])
    final_row = len(event.scoring.components) + 2  # after the header and the panel score
    return grid(header, rows, [label_w, value_w, value_w, value_w], numeric_from=1,
                extra=[("FONT", (3, final_row), (3, final_row), TEXT, 10, 12),
                       ("BACKGROUND", (0, final_row), (-1, final_row), _LIGHT)])


def signature_block(event: Event, boxes: Sequence[tuple[str, str]], width: float,
                    per_row: int = 3, title: str = "", seal: str = "") -> Flowable:
    """Boxes with a role (`评委签名 Judge's signature`), a printed name, room to sign, and a
    date line; kept together on one page with their `title`, and with a square box for an
    office's seal labelled `seal` (`公证处盖章`) below them when one is asked for."""
    s = styles()
    date = w("date", langs(event))
    side = 42 * mm
    outer = width
    if seal:
        width -= side + 3 * mm
    box_w = width / per_row
    cells: list[list[Cell]] = []
    row: list[Cell] = []
    for role, name in boxes:
        row.append([p(role, s.small), p(name or " ", s.cell), Spacer(1, 11 * mm),
                    p(f"{date}: ____________", s.small)])
        if len(row) == per_row:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (per_row - len(row)))
    boxes_table = table(cells, [box_w] * per_row, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("INNERGRID", (0, 0), (-1, -1), 0.35, _LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ])
    block: Flowable = boxes_table
    if seal:
        seal_box = table([[p(seal, s.small)]], [side], [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), side - 14),
        ])
        block = table([[boxes_table, seal_box]], [width + 3 * mm, side], [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ])
        assert abs(width + 3 * mm + side - outer) < 0.01
    return KeepTogether([Spacer(1, 4 * mm)] + ([heading(title)] if title else []) + [block])


def contestant_info_block(event: Event, contestant_id: str, width: float) -> Table:
    """Who the contestant is: id and name, organisation, track and group, members, instructor."""
    lg = langs(event)
    c = event.contestant(contestant_id)
    if c is None:
        return info_block([(w("contestant", lg), contestant_id)], width)
    rows = [(w("contestant", lg), f"{c.id} {c.name}"), (w("organisation", lg), c.organisation),
            (w("track", lg), scope_name(event, c.track, c.group))]
    if c.members:
        rows.append((w("members", lg), c.members))
    if c.instructor:
        rows.append((w("instructor", lg), c.instructor))
    return info_block(rows, width)
