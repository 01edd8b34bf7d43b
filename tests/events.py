"""The one event document the tests build their events from: BASE_TOML (a small final with
every section: two criteria, a panel and an imported component, a tie-break chain, awards,
three judges, two contestants), BASE (the same as tomllib reads it), `mutate` to change any
key of it, and `write_event` to write a document as an event file."""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

BASE_TOML = """
schema = 1

[event]
id = "test-final"
name = { zh = "测试决赛", en = "Test final" }
round = { zh = "决赛", en = "Final" }
date = 2025-01-02
venue = { zh = "礼堂", en = "Hall" }
organiser = { zh = "主办方", en = "Organiser" }
languages = ["zh", "en"]
notary = false

[[rubric.criteria]]
id = "pitch"
name = { zh = "推介", en = "Pitch" }
max = 60
step = 0.5

[[rubric.criteria]]
id = "defence"
name = { zh = "答辩", en = "Defence" }
max = 40
step = 1

[scoring]
aggregate = "mean"

[[scoring.components]]
id = "panel"
name = { zh = "评委分", en = "Panel" }
source = "panel"
max = 100
weight = 0.6

[[scoring.components]]
id = "stage"
name = { zh = "排名赛", en = "Stage" }
source = "import"
max = 100
weight = 0.4

[scoring.tiebreak]
order = ["component:panel", "criterion:defence"]

[discrepancy]
total_spread = 15

[awards]
basis = "count"

[[awards.tiers]]
id = "first"
name = { zh = "一等奖", en = "First" }
count = 1

[[awards.tiers]]
id = "merit"
name = { zh = "优秀奖", en = "Merit" }
rest = true

[[tracks]]
id = "main"
name = { zh = "主赛道", en = "Main" }

[[judges]]
id = "J1"
name = "甲"
affiliation = "A大学"

[[judges]]
id = "J2"
name = "乙"
affiliation = "B学院"

[[judges]]
id = "J3"
name = "丙"

[[contestants.list]]
id = "C1"
name = "队一"
organisation = "C学校"
track = "main"

[[contestants.list]]
id = "C2"
name = "队二"
organisation = "D学校"
track = "main"
recuse = ["J1"]
"""

BASE: dict[str, Any] = tomllib.loads(BASE_TOML, parse_float=Decimal)
DELETE = object()
"""A mutation's value that removes the key."""
Path_ = tuple[str | int, ...]
Mutation = dict[Path_, object]
"""Path of keys and list indexes into a document -> its new value (or DELETE)."""

def toml_value(value: object) -> str:
    """Inline TOML for the values tomllib produces (enough to write any test document)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "nan"
        if value.is_infinite():
            return "-inf" if value < 0 else "inf"
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def dump(doc: dict[str, Any]) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in doc.items())


def mutate(doc: dict[str, Any], mutation: Mutation) -> dict[str, Any]:
    """A copy of `doc` with each path set to its value, in order (DELETE removes it)."""
    doc = copy.deepcopy(doc)
    for path, value in mutation.items():
        node: Any = doc
        for step in path[:-1]:
            node = node[step]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return doc


def write_event(folder: Path, doc: dict[str, Any] | str = BASE, name: str = "event.toml"
                ) -> Path:
    """`doc` (a document such as `mutate(BASE, ...)`, or TOML text) written as FOLDER/NAME."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else dump(doc), encoding="utf-8")
    return path
