"""The livestream demo final's day at the head judge's console, in Chinese at 120x36, with one
judge (J5) absent all day: the seat excused in one dialog, the other four judges' sheets
arriving from simulated terminals over TLS, then from "last sheet in" to "published": every
open flag of each flagged contestant accepted in one dialog, everyone ready locked in one, the
contestant who never came on stage locked with a reason, the platform data imported onto
locked contestants, results published. Keys only (`pilot.press`); every key the head judge
presses and every dialog confirmed is counted, every screen and dialog seen is scanned for
English (tests/english.py), and the published results are those of scoring the same sheets
without the absent judge.

`pytest -s tests/head_judge/console/test_day_of_final.py` prints the counts, with what the
same day took one dialog per act (the code before issue 20): a withdrawal per sheet of the
absent judge, a lock per contestant, an accept per flag."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from head_judge.actions import scope_document
from head_judge.console.app import ConsoleApp
from head_judge.console.screens.components import ComponentsScreen
from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.contestant import ContestantScreen
from head_judge.console.screens.discrepancies import DiscrepanciesScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.widgets.flag_table import FlagTable
from head_judge.console.widgets.seat_table import SeatTable
from head_judge.paper import read_component, read_sheets
from head_judge.scoring import tabulate
from sync.event_file import load_event
from tests.english import EnglishScan

from .conftest import entries, kinds, screen_text, serving_console, until
from .sim import SimJudge

ABSENT = "J5"
NO_SHOW = "L18"  # the fixture's contestant who never came on stage: no sheet, no data
EXCUSE_REASON = "全天缺席"
ACCEPT_NOTE = "属实"
NO_SHOW_REASON = "未到场"
ACTS = {"seat_excused", "flags_accepted", "flag_accepted", "contestants_locked",
        "contestant_locked", "sheet_withdrawn", "components_imported", "results_published"}
"""The head judge's acts in the ledger: one per dialog confirmed."""


@dataclass
class Keys:
    """The head judge's hands: every key pressed through here is counted, every dialog closed
    by a confirming key counted as a confirmation, and every screen seen scanned."""

    pilot: Pilot[Any]
    app: ConsoleApp
    scan: EnglishScan
    keys: int = 0
    typed: int = 0
    """Of `keys`, the characters of notes and reasons."""
    confirmations: int = 0
    log: list[str] = field(default_factory=list)

    async def press(self, *keys: str, where: str = "", scan: bool = True) -> None:
        for key in keys:
            dialog = self.app.screen if isinstance(self.app.screen, (ConfirmDialog, FormDialog)) \
                else None  # a dialog that records an act (not the contestant picker)
            await self.pilot.press(key)
            await self.pilot.pause()
            self.keys += 1
            self.typed += len(key) == 1 and not key.isascii()
            if dialog is not None and dialog not in self.app.screen_stack \
                    and key in ("enter", "y", "Y"):
                self.confirmations += 1
                self.log.append(f"{where}: {type(dialog).__name__}")
            if scan:
                self.scan.check(self.app, f"{where} [{key}]")

    async def type(self, text: str, where: str = "") -> None:
        """Text typed into a field, scanned once it is all there (`dat` of `data.csv` is
        not English left on a screen)."""
        await self.press(*text, where=where, scan=False)
        self.scan.check(self.app, f"{where} [{text}]")


@dataclass(frozen=True)
class Before:
    """The same day one dialog per act, as the console and CLI worked before issue 20."""

    withdrawals: int
    locks: int
    accepts: int
    seat_keys: int
    """Keys for the absent judge's seat (the withdrawals)."""
    keys: int
    """Keys from the last sheet in to published."""

    @property
    def confirmations(self) -> int:
        """From the last sheet in to published: each lock, each accept, import, publish."""
        return self.locks + self.accepts + 2


def before(flags: int, locked: int, absent_sheets: int, after: dict[str, int]) -> Before:
    """Counted from the old code's shape on the same world, with the same notes: a withdrawal
    dialog per contestant the absent judge would have scored (Contestant screen: `]`, `w`,
    the reason, Enter; the judge already chosen: a lower bound), an accept dialog per flag
    (Discrepancies: `2` once, then `↓`, `a`, the note, Enter), a lock dialog per contestant
    (Contestant screen: `3` once, then `]`, `l`, Enter; the no-show forced with its reason
    as today); importing and publishing as today."""
    seat = 1 + absent_sheets * (3 + len(EXCUSE_REASON))
    keys = (1 + flags * (3 + len(ACCEPT_NOTE))
            + 1 + (locked - 1) * 3 + 3 + len(NO_SHOW_REASON)
            + after["import"] + after["publish"])
    return Before(absent_sheets, locked, flags, seat, keys)


async def test_the_day_of_the_demo_final_with_a_judge_absent(tmp_path: Path,
                                                             fixtures_dir: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    event = load_event(folder / "event.toml")
    sheets = read_sheets(event, folder / "sheets.csv")
    present = [j.id for j in event.judges if j.id != ABSENT]
    scan = EnglishScan({event.id, *(c.id for c in event.scoring.components),
                        "laptop",  # the judges' laptops' names, as they enrolled them
                        "contestant,value"})  # the columns a component file must have
    async with serving_console(tmp_path / "master", folder / "event.toml",
                               lang="zh") as (app, pilot):
        master = app.master
        hand = Keys(pilot, app, scan)

        # --- morning: the absent judge's seat excused; codes for the four who came --------
        await hand.press("4", where="enrolment")
        table = app.screen.query_one(SeatTable)
        while table.chosen() != ABSENT:
            await hand.press("down", where="enrolment")
        await hand.press("x", where="excuse dialog")
        assert isinstance(app.screen, FormDialog)
        await hand.press("enter", where="excuse dialog")  # no contestant named: all day
        await hand.type(EXCUSE_REASON, where="excuse dialog")
        await hand.press("enter", where="excuse dialog")
        await until(pilot, lambda: bool(entries(master, "seat_excused")), what="excused")
        assert entries(master, "seat_excused") == [
            {"judge": ABSENT, "contestants": None, "reason": EXCUSE_REASON}]
        morning = {"keys": hand.keys, "confirmations": hand.confirmations}

        await pilot.press("a")  # codes: the same before and after, not counted
        scan.check(app, "codes dialog")
        await pilot.press("Y")
        await until(pilot, lambda: set(present) <= set(app.codes), what="codes issued")
        judges = {j: SimJudge.open(tmp_path / j, j) for j in present}
        try:
            assert app.port is not None
            for j, sim in judges.items():
                await sim.enrol(app.codes[j].code, app.port)

            # --- the day: each contestant's sheets as they come off stage -----------------
            for contestant in [c.id for c in sorted(event.contestants, key=lambda c: c.order)]:
                for sheet in sheets:
                    if sheet.contestant == contestant and sheet.judge in judges:
                        judges[sheet.judge].submit(contestant, dict(sheet.values))
                        await judges[sheet.judge].push()
            expected_in = sum(1 for s in sheets if s.judge != ABSENT)
            await until(pilot, lambda: len(app.head.sheets()) == expected_in, timeout=20,
                        what="every sheet in")
            await pilot.pause(0.6)  # the console's poll has seen them
            scan.check(app, "last sheet in")

            # --- from the last sheet in to published --------------------------------------
            start = {"keys": hand.keys, "confirmations": hand.confirmations}
            steps: dict[str, int] = {}
            flagged = sorted({f.contestant for f in app.head.flags("open")})
            flags = len(app.head.flags("open"))
            assert flagged and flags > len(flagged)  # one flag per contestant or more

            mark = hand.keys
            await hand.press("2", where="discrepancies")
            while app.head.flags("open"):  # each flagged contestant, as the table lists them
                assert isinstance(app.screen, DiscrepanciesScreen)
                chosen = app.screen.query_one(FlagTable).chosen_flag()
                assert chosen is not None
                contestant = chosen.contestant
                await hand.press("A", where=f"accept all of {contestant}")
                assert isinstance(app.screen, FormDialog)
                await hand.type(ACCEPT_NOTE, where=f"accept all of {contestant}")
                await hand.press("enter", where=f"accept all of {contestant}")
                assert not app.head.flags("open", contestant)  # recorded as the dialog closed
            assert not app.head.flags("open")
            assert sorted(e["contestant"] for e in entries(master, "flags_accepted")) == flagged
            steps["accept"] = hand.keys - mark

            mark = hand.keys
            await hand.press("1", "L", where="lock ready")
            assert isinstance(app.screen, ConfirmDialog)
            assert NO_SHOW in screen_text(app, "#dialog-lines")  # named among those not ready
            await hand.press("enter", where="lock ready")
            await until(pilot, lambda: bool(entries(master, "contestants_locked")),
                        what="locked")
            steps["lock ready"] = hand.keys - mark
            locked = entries(master, "contestants_locked")[0]["contestants"]
            assert set(locked) | {NO_SHOW} == {c.id for c in event.contestants}

            mark = hand.keys
            await hand.press("3", "slash", where="pick")
            await hand.type(NO_SHOW, where="pick")
            await hand.press("enter", where="pick")
            assert isinstance(app.screen, ContestantScreen) and app.contestant == NO_SHOW
            await hand.press("l", where="no-show lock")
            assert isinstance(app.screen, FormDialog)  # forced: no sheet at all
            await hand.type(NO_SHOW_REASON, where="no-show lock")
            await hand.press("enter", where="no-show lock")
            await until(pilot, lambda: NO_SHOW in app.head.locks(), what="no-show locked")
            steps["no-show lock"] = hand.keys - mark

            # the platform data arrives at the end: first values onto locked contestants
            mark = hand.keys
            await hand.press("5", "e", where="import")
            await hand.type("data.csv", where="import")
            await hand.press("enter", where="import preview")
            assert isinstance(app.screen, ComponentsScreen)
            assert "新" in screen_text(app, "#preview-title")
            await hand.press("i", where="import dialog")
            assert isinstance(app.screen, ConfirmDialog)
            await hand.press("enter", where="import dialog")
            await until(pilot, lambda: "components_imported" in kinds(master), what="imported")
            steps["import"] = hand.keys - mark

            mark = hand.keys
            await hand.press("6", "p", where="publish dialog")
            assert isinstance(app.screen, ConfirmDialog)
            await hand.press("enter", where="publish dialog")
            await until(pilot, lambda: "results_published" in kinds(master),
                        what="published")
            await pilot.pause(0.2)
            scan.check(app, "published")
            steps["publish"] = hand.keys - mark
            for n in range(1, 10):  # every tab as the day ends (keys not counted)
                await pilot.press(str(n))
                await pilot.pause()
                scan.check(app, f"published: tab {n}")

            window_keys = hand.keys - start["keys"]
            window_confirmations = hand.confirmations - start["confirmations"]
            acts = [e.kind for e in master.ledger.entries() if e.kind in ACTS]
            assert len(acts) == hand.confirmations  # every dialog confirmed: one act
        finally:
            for sim in judges.values():
                await sim.close()

        # --- the results are those of the same sheets without the absent judge -------------
        published = entries(master, "results_published")
        assert len(published) == 1
        without = dataclasses.replace(
            event, judges=tuple(j for j in event.judges if j.id != ABSENT))
        expected = tabulate(without, [s for s in sheets if s.judge != ABSENT],
                            {"data": read_component(event, "data", folder / "data.csv")})
        assert not expected.unresolved
        assert published[0]["document"] == scope_document(expected, ("live", None))
        (scope,) = published[0]["document"]["scopes"]
        assert len(scope["ranking"]) == len(event.contestants) - 1  # the no-show: absent
        assert all(ABSENT not in r["judges"] for r in scope["ranking"])

    absent_sheets = sum(1 for c in event.contestants if c.id != NO_SHOW
                        and ABSENT in {j.id for j in event.panel_for(c)})
    was = before(flags, len(locked) + 1, absent_sheets, steps)
    print(f"\nThe demo final, {ABSENT} absent all day: {flags} flags on {len(flagged)} "
          f"contestants, {len(locked) + 1} contestants locked ({NO_SHOW} forced: no show), "
          f"{absent_sheets} sheets {ABSENT} would have sent.\n"
          f"{'':24}{'before':>16}{'after':>16}\n"
          f"{'last sheet → published':24}{was.keys:>11} keys{window_keys:>11} keys\n"
          f"{'':24}{was.confirmations:>8} dialogs{window_confirmations:>8} dialogs\n"
          f"{'absent judge':24}{was.seat_keys:>11} keys{morning['keys']:>11} keys\n"
          f"{'':24}{was.withdrawals:>8} dialogs{morning['confirmations']:>8} dialogs\n"
          f"before: {was.locks} lock dialogs, {was.accepts} accept dialogs, "
          f"{was.withdrawals} withdrawals; after, by step (keys): {steps}\n"
          f"after, dialogs confirmed: "
          + ", ".join(hand.log))
    assert window_confirmations == len(flagged) + 4
    assert morning["confirmations"] == 1
    scan.assert_clean()
