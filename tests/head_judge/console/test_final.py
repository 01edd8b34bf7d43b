"""A small final run from the console against simulated judges over real TLS: codes issued
from the Enrolment screen, sheets streaming in, a flag on screen, a review request sent with
the console's key and dialog and the judge's revision coming back, the platform data
imported, contestants locked, results published. Every step is checked on the screen and in
the ledger."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.contestant import ContestantScreen
from head_judge.console.screens.discrepancies import DiscrepanciesScreen
from head_judge.console.screens.enrolment import EnrolmentScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.screens.overview import OverviewScreen
from head_judge.console.screens.results import ResultsScreen
from head_judge.console.widgets.flag_table import FlagTable
from head_judge.console.widgets.matrix_table import MatrixTable
from sync.codes import EnrolmentCode
from sync.event_file import load_event

from .conftest import entries, kinds, screen_text, serving_console, until
from .sim import SimJudge, values_for, write_small_final

JUDGES = ("J1", "J2", "J3")
CONTESTANTS = ("C1", "C2", "C3")


def cell(app: object, contestant: str, judge: str) -> str:
    table = app.screen.query_one(MatrixTable)  # type: ignore[attr-defined]
    return str(table.get_cell(contestant, judge).plain)


async def test_a_small_final_from_enrolment_to_publication(tmp_path: Path) -> None:
    event_file = write_small_final(tmp_path / "event")
    event = load_event(event_file)
    async with serving_console(tmp_path / "master", event_file) as (app, pilot):
        master = app.master

        # --- enrolment: codes for every seat from the Enrolment screen --------------------
        await pilot.press("4")
        assert isinstance(app.screen, EnrolmentScreen)
        await pilot.press("a")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("Y")  # as the button says (Shift+Y, or Caps Lock on)
        await until(pilot, lambda: set(app.codes) == set(JUDGES), what="codes issued")
        assert [c["seat"] for c in entries(master, "codes_issued")[0]["codes"]] == list(JUDGES)
        shown = app.codes["J1"].code  # the short code to type, digits in blocks
        assert shown in screen_text(app, "#code-box")
        assert EnrolmentCode.parse(shown).seat == 1
        judges = {j: SimJudge.open(tmp_path / j, j) for j in JUDGES}
        try:
            assert app.port is not None
            for j, sim in judges.items():
                await sim.enrol(app.codes[j].code, app.port)
            await until(pilot, lambda: len(entries(master, "device_enrolled")) == 3,
                        what="three terminals enrolled")
            await until(pilot, lambda: screen_text(app, "#seats").count("enrolled") == 3,
                        what="the seats shown enrolled")

            # --- sheets stream in; J3 is far off on C2: a flag appears --------------------
            await pilot.press("1")
            assert isinstance(app.screen, OverviewScreen)
            panel = [(c, j) for c in CONTESTANTS for j in JUDGES
                     if not event.is_recused(event.judge(j), event.contestant(c))]  # type: ignore[arg-type]
            assert ("C3", "J3") not in panel  # same organisation
            for contestant, j in panel:
                sim = judges[j]
                if True:
                    off = -0.35 if (j, contestant) == ("J3", "C2") else 0.0
                    sim.submit(contestant, values_for(event, j, contestant, off=off))
                    await sim.push()
            await until(pilot, lambda: all(cell(app, c, j).strip() not in ("·", "")
                                           for c, j in panel),
                        what="every sheet in the matrix")
            assert cell(app, "C3", "J3").strip() == "—"
            assert cell(app, "C2", "J3").strip().startswith("!")
            assert not cell(app, "C1", "J1").strip().startswith("!")
            raised = entries(master, "flag_raised")
            assert raised and all(f["contestant"] == "C2" for f in raised)
            assert any("J3" in f["judges"] for f in raised)
            assert "!" in screen_text(app, "#nav")  # the flag count on the Discrepancies tab

            # --- a review request goes out from the Discrepancies screen ------------------
            await pilot.press("2")
            assert isinstance(app.screen, DiscrepanciesScreen)
            flags_shown = screen_text(app, "#flags")
            assert "C2" in flags_shown and "C1" not in flags_shown
            newest = app.screen.query_one(FlagTable).chosen_flag()
            assert newest is not None and newest.id == max(f.id for f in
                                                            app.head.flags("open"))
            await pilot.press("r")
            assert isinstance(app.screen, FormDialog)
            assert app.screen.query_one("#field-judge", Select).value == "J3"
            assert isinstance(app.focused, Input)
            await pilot.press(*"recount", "enter")
            await until(pilot, lambda: not isinstance(app.screen, FormDialog),
                        what="the dialog closed")
            [request] = entries(master, "review_requested")
            assert (request["judge"], request["contestant"]) == ("J3", "C2")
            assert request["note"] == "recount"
            await pilot.press("1")
            assert cell(app, "C2", "J3").endswith("?")

            # ... and reaches the judge, whose signed revision comes back
            sim3 = judges["J3"]
            await sim3.pull()
            [notice] = sim3.review_requests()
            assert notice.payload["contestant"] == "C2"
            sim3.submit("C2", values_for(event, "J3", "C2"), reason="misread my notes")
            await sim3.push()
            await until(pilot, lambda: not cell(app, "C2", "J3").strip().startswith("!")
                        and not cell(app, "C2", "J3").endswith("?"),
                        what="the revision in the matrix")
            [answered] = entries(master, "review_answered")
            assert answered["revision"] == 2 and answered["reason"] == "misread my notes"
            assert not app.head.flags("open")
            await app.show_contestant("C2")
            await pilot.pause()
            assert isinstance(app.screen, ContestantScreen)
            history = screen_text(app, "#contestant-history")
            assert "J3 revision 2" in history and "misread my notes" in history
            assert "r2" in screen_text(app, "#sheet-grid")

            # --- the platform data, imported with a preview --------------------------------
            (event_file.parent / "data.csv").write_text(
                "contestant,value\nC1,80\nC2,91.5\nC3,70\n", encoding="utf-8")
            await pilot.press("5", "e", *"data.csv", "enter")  # next to the event file
            await until(pilot, lambda: "3 new, 0 changed" in screen_text(app, "#preview-title"),
                        what="the preview")
            assert "91.5" in screen_text(app, "#changes")
            assert "components_imported" not in kinds(master)
            await pilot.press("i")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("enter")
            await until(pilot, lambda: "components_imported" in kinds(master),
                        what="the import recorded")

            # --- lock every contestant from the Contestant screen --------------------------
            for contestant in CONTESTANTS:
                await app.show_contestant(contestant)
                await pilot.pause()
                await pilot.press("l")
                assert isinstance(app.screen, ConfirmDialog), contestant
                await pilot.press("enter")
                await until(pilot, lambda c=contestant: c in app.head.locks(),
                            what=f"{contestant} locked")
                await until(pilot, lambda: "■ locked" in screen_text(app, "#contestant-head"),
                            what="shown locked")
            assert [e["contestant"] for e in entries(master, "contestant_locked")] == \
                list(CONTESTANTS)
            # a judge can no longer change a locked contestant
            sim1 = judges["J1"]
            sim1.submit("C1", values_for(event, "J1", "C1", off=0.05), reason="late change")
            await sim1.push()
            assert sim1.store.rejected()[-1].rejected_code == "locked"
            await pilot.press("1")
            assert app.screen.query_one(MatrixTable).get_cell("C1", "lock").plain.strip() == "■"

            # --- publish from the Results screen --------------------------------------------
            await pilot.press("6")
            assert isinstance(app.screen, ResultsScreen)
            assert "Ready to publish" in screen_text(app, "#results-notes")
            await pilot.press("p")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("enter")
            await until(pilot, lambda: "results_published" in kinds(master),
                        what="results published")
            [published] = entries(master, "results_published")
            assert published["version"] == 1 and published["track"] == "main"
            assert next(r["contestant"] for r in published["document"]["scopes"][0]["ranking"]) \
                in CONTESTANTS
            await until(pilot, lambda: "Published: version 1" in
                        screen_text(app, "#results-notes"), what="shown published")
            assert "checkpoint" in kinds(master)[-1:]
        finally:
            for sim in judges.values():
                await sim.close()
