"""Generated finals for the benches: an event file and its contestants of any size, with the
livestream rubric in half points and four tracks (or `tracks`)."""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

CRITERIA = [("appearance", 10), ("expression", 15), ("pitch", 20), ("highlights", 15),
            ("timing", 10), ("adaptability", 15), ("integrity", 15)]
STEP = Decimal("0.5")  # every criterion is scored in half points


def contestant_id(index: int) -> str:
    return f"C{index:05d}"


def write_event(folder: Path, *, event_id: str, judges: int, contestants: int,
                scoring: str, extra: str = "", seed: int = 7, tracks: int = 4) -> Path:
    """Write `event.toml` (with the `[scoring]`... and any `extra` tables given as TOML) and
    `contestants.csv`, the contestants spread over `tracks` tracks in turn; returns the event
    file's path."""
    rng = random.Random(seed)
    criteria = "\n".join(
        f'[[rubric.criteria]]\nid = "{cid}"\nname = {{ zh = "{cid}", en = "{cid}" }}\n'
        f"max = {m}\nstep = {STEP}" for cid, m in CRITERIA)
    panel = "\n".join(
        f'[[judges]]\nid = "J{j}"\nname = "Judge {j}"\naffiliation = "Panel org {j}"'
        for j in range(1, judges + 1))
    track_tables = "\n".join(
        f'[[tracks]]\nid = "t{t}"\nname = {{ zh = "赛道{t}", en = "Track {t}" }}'
        for t in range(1, tracks + 1))
    path = folder / "event.toml"
    path.write_text(f"""schema = 1
[event]
id = "{event_id}"
name = {{ zh = "基准 {event_id}", en = "Bench {event_id}" }}
round = {{ zh = "决赛", en = "Final" }}
date = 2025-09-20
venue = {{ zh = "场馆", en = "Hall" }}
organiser = {{ zh = "主办", en = "Organiser" }}
languages = ["zh", "en"]
notary = true
[rubric]
{criteria}
{scoring}
{extra}
{track_tables}
{panel}
[contestants]
file = "contestants.csv"
""", encoding="utf-8")
    with open(folder / "contestants.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "members", "organisation", "track", "group", "order",
                    "instructor", "recuse"])
        for i in range(1, contestants + 1):
            w.writerow([contestant_id(i), f"选手{i}", "", f"学校{rng.randrange(200)}",
                        f"t{i % tracks + 1}", "", i, "", ""])
    return path
