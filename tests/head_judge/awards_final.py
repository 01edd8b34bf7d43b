"""The roadshow-awards fixture (organisation awards and honours) on a live master: every
sheet signed by its judge's device and pushed, the ranking-stage results imported. Shared by
the tests of every surface that shows results."""

from __future__ import annotations

from pathlib import Path

from head_judge.paper import read_sheets
from sync.event_file import load_event

from .test_actions import Final


def awards_final(home: Path, fixtures_dir: Path) -> Final:
    folder = fixtures_dir / "roadshow-awards"
    final = Final(home, load_event(folder / "event.toml"))
    for sheet in read_sheets(final.event, folder / "sheets.csv"):
        assert final.send(sheet.judge, sheet.contestant, sheet.values)["status"] == "accepted"
    final.head.import_components("stage", folder / "stage.csv")
    return final
