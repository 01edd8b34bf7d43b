"""Enrolment card, one per judge: name, seat, the event it enrols for, the one-time enrolment
code in large digits, and the master fingerprint to compare with the terminal's screen. No QR
code: a judge terminal has no camera to scan one with."""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event

from ..flowables import table
from ..fonts import MONO
from ..layout import content_width, p, styles
from ..model import EnrolmentCard
from ..words import judge_name, langs, show_time, w, ws

LANDSCAPE = False
_CODE_BLOCKS_PER_LINE = 4


def _blocks(code: str, per_line: int) -> str:
    blocks = code.split("-")
    return "\n".join("-".join(blocks[i : i + per_line]) for i in range(0, len(blocks), per_line))


def story(event: Event, card: EnrolmentCard, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE) * 0.8
    judge = event.judge(card.judge)
    mono = s.mono
    lines: list[Flowable] = [
        p(judge_name(event, card.judge), s.big),
        p(f"{w('judge', lg)} {card.judge} · {w('seat', lg)} {card.seat}"
          + (f" · {judge.affiliation}" if judge and judge.affiliation else ""), s.centre),
        p(event.name.both(lg), s.centre),
        Spacer(1, 8 * mm),
        p(w("enrol_code", lg), s.small_c),
        p(card.code, mono.clone("fk-mono-code", fontName=MONO, fontSize=30, leading=38)),
        Spacer(1, 6 * mm),
        Spacer(1, 4 * mm),
        p(w("fingerprint", lg), s.small_c),
        p(_blocks(card.fingerprint, _CODE_BLOCKS_PER_LINE),
          mono.clone("fk-mono-small", fontName=MONO, fontSize=10, leading=13)),
    ]
    if card.expires:
        lines += [Spacer(1, 3 * mm),
                  p(f"{w('expires', lg)}: {show_time(card.expires, zone)}", s.centre)]
    lines += [Spacer(1, 5 * mm)] + [p(ws(k, lg), s.body) for k in
                                    ("enrol_how", "enrol_check", "enrol_secret")]
    box = table([[line] for line in lines], [width], [
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm),
        ("TOPPADDING", (0, 0), (0, 0), 8 * mm),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 8 * mm),
    ], align="CENTER")
    return [Spacer(1, 4 * mm), box]
