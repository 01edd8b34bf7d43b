"""Interface words in both languages, shown in the event's `languages` order, the names of
the honours a contestant holds, and the one way both apps write a clock offset."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .catalogue import Catalogue
from .event import Event, Text

LABELS = Catalogue("sync.i18n", {
    "rank": Text("名次", "Rank"),
    "contestant": Text("选手", "Contestant"),
    "organisation": Text("单位", "Organisation"),
    "final": Text("最终得分", "Final"),
    "prize": Text("奖项", "Prize"),
    "advances": Text("晋级", "Advances"),
    "yes": Text("是", "yes"),
    "no": Text("否", "no"),
    "undecided": Text("待定", "undecided"),
    "recused": Text("回避", "recused"),
    "dropped_note": Text("[ ] 去掉的最高/最低分", "[ ] dropped highest/lowest"),
    "absent": Text("缺席", "Absent"),
    "unresolved": Text("待裁决", "Unresolved"),
    "group": Text("组别", "Group"),
    "honours": Text("荣誉", "Honours"),
    "score": Text("得分", "Score"),
    "contestants": Text("选手", "Contestants"),
    "awarded": Text("获奖", "awarded"),
})


def label(key: str, languages: tuple[str, ...]) -> str:
    return LABELS[key].both(languages)


def stacked_label(key: str, languages: tuple[str, ...]) -> str:
    return LABELS[key].stacked(languages)


def honour_names(event: Event, honours: Iterable[str], languages: tuple[str, ...], *,
                 stacked: bool = False) -> str:
    """The names of the honours a contestant holds, in file order: `优秀项目 Excellent
    project` (each language on its own line when `stacked`; several honours joined by `、`
    in Chinese, `; ` otherwise), "" for none."""
    held = set(honours)
    known = {h.id for h in event.honours}
    names = [h.name for h in event.honours if h.id in held]
    names += [Text(i, i) for i in sorted(held - known)]
    lines = list(dict.fromkeys(
        ("、" if lang == "zh" else "; ").join(n.get(lang) for n in names)
        for lang in languages))
    return ("\n" if stacked else " ").join(line for line in lines if line)


def offset_text(offset: dt.timedelta) -> str:
    """A clock offset, to the nearest second, as `+3s`, `-2m05s`, `+1h10m` (both apps)."""
    seconds = round(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    if seconds >= 3600:
        return f"{sign}{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{sign}{seconds // 60}m{seconds % 60:02d}s"
    return f"{sign}{seconds}s"
