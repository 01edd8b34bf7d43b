"""Interface words in both languages, shown in the event's `languages` order."""

from __future__ import annotations

from .event import Text

LABELS: dict[str, Text] = {
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
}


def label(key: str, languages: tuple[str, ...]) -> str:
    return LABELS[key].both(languages)


def stacked_label(key: str, languages: tuple[str, ...]) -> str:
    return LABELS[key].stacked(languages)
