"""An excused judge's seat (`seat_excused`, undone by `seat_restored`): the panel of every
contestant it covers counts without that judge, expects no sheet from it and refuses its
sheets (`excused`), for the whole final or for chosen contestants.

The livestream fixture on a real master (`Final` from test_actions), with J4 absent all day
or leaving part-way; every refusal is checked to write nothing.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from head_judge.paper import read_sheets
from head_judge.scoring import PanelSheet, tabulate
from sync.event import Event

from .test_actions import Final, spread
from .test_master import dump_projections

D = Decimal
REASON = "评委因病缺席 the judge is ill and absent all day"


def _fixture_sheets(event: Event, fixtures_dir: Path) -> list[PanelSheet]:
    return [PanelSheet(s.judge, s.contestant, dict(s.values)) for s in read_sheets(
        event, fixtures_dir / "livestream-final" / "sheets.csv")]


def _send_all_but(final: Final, sheets: list[PanelSheet], absent: str) -> None:
    for sheet in sheets:
        if sheet.judge != absent:
            assert final.send(sheet.judge, sheet.contestant, sheet.values)["status"] \
                == "accepted"


def test_a_judge_absent_all_day_is_excused_in_one_entry(final: Final, event: Event,
                                                        fixtures_dir: Path) -> None:
    sheets = _fixture_sheets(event, fixtures_dir)
    _send_all_but(final, sheets, "J4")
    final.head.import_components("data", fixtures_dir / "livestream-final" / "data.csv")
    head = final.head
    assert "no sheet yet from J4" in "; ".join(head.lock_blockers("L01"))
    assert any("no sheet yet from J4" in b for b in head.publish_blockers(("live", None)))

    before = final.last()
    entry = head.excuse_judge("J4", REASON)
    [excused] = list(final.master.ledger.entries(before))
    assert (excused.seq, excused.kind, excused.actor) == (entry, "seat_excused", "head-judge")
    assert excused.payload == {"judge": "J4", "contestants": None, "reason": REASON}
    assert [(e.judge, e.contestant, e.reason) for e in head.excusals()] == [("J4", None, REASON)]
    assert head.excused_judges("L05") == {"J4": REASON}

    # Nothing waits for J4 any more: every contestant is complete.
    assert not any("J4" in b for c in event.contestants for b in head.lock_blockers(c.id))
    head.lock_ready()
    assert not any("J4" in b for b in head.publish_blockers(("live", None)))

    # The panel scores exactly as a panel without J4 would (4 judges: trimmed mean needs
    # 2·1 + 3, so the plain mean of the four, the event's own rule).
    no_j4 = dataclasses.replace(event, judges=tuple(j for j in event.judges if j.id != "J4"))
    kept = [s for s in sheets if s.judge != "J4"]
    imported = head.components()
    expected = tabulate(no_j4, kept, imported).to_document()
    assert head.current_results().to_document() == {**expected, "event": event.id}
    with_j4 = tabulate(event, sheets, imported).to_document()
    assert head.current_results().to_document() != with_j4
    l01 = next(r for s in head.current_results().scopes for r in s.ranking
               if r.contestant == "L01")
    assert set(l01.judges) == {"J1", "J2", "J3", "J5"} and l01.dropped == ()
    assert l01.panel == (sum(l01.judges.values(), D(0)) / 4).quantize(D("0.01"), ROUND_HALF_UP)


def test_the_excused_judge_is_told_and_its_sheets_are_refused(final: Final,
                                                              event: Event) -> None:
    final.head.excuse_judge("J4", REASON)
    notices = final.master.pull(final.terminals["J4"].pull(), final.clock())["notices"]
    assert [(n["kind"], n["payload"]) for n in notices if n["kind"] == "excused"] == [
        ("excused", {"contestants": None, "reason": REASON})]
    others = final.master.pull(final.terminals["J1"].pull(), final.clock())["notices"]
    assert "excused" not in [n["kind"] for n in others]
    counts = final.counts()
    result = final.send("J4", "L01")
    assert (result["status"], result["code"]) == ("rejected", "excused")
    assert result["reason"] == f"the head judge excused J4 from scoring the whole final: {REASON}"
    assert final.counts() == counts


def test_excusing_for_chosen_contestants_drops_sheets_already_in(final: Final,
                                                                 event: Event) -> None:
    final.score("L01")
    final.send("J4", "L02", spread(event, "pitch", D(20)))
    for judge in ("J1", "J2", "J3", "J5"):
        final.send(judge, "L02")
    [flag] = final.head.flags("open", "L02")
    review = final.head.request_review("J4", "pitch 20?", flag=flag.id)
    head = final.head
    before = final.last()
    entry = head.excuse_judge("J4", "left at noon", ["L03", "L02", "L02"])
    kinds = [(e.kind, e.payload.get("cause") or e.payload.get("review"))
             for e in final.master.ledger.entries(before)]
    assert kinds == [("seat_excused", None), ("review_closed", review),
                     ("flag_cleared", entry)]
    assert next(iter(final.master.ledger.entries(before))).payload["contestants"] == [
        "L02", "L03"]
    [l02_j4] = [s for s in head.sheets("L02") if s.judge == "J4"]
    assert (l02_j4.withdrawn, l02_j4.excused) == (True, True)
    assert all(not s.withdrawn for s in head.sheets("L01"))  # not covered: still counts
    assert head.excused_judges("L01") == {}
    results = head.scoring_inputs()
    assert ("J4", "L02") in results.excused and ("J4", "L01") not in results.excused
    assert final.send("J4", "L03")["code"] == "excused"
    assert final.send("J4", "L05")["status"] == "accepted"
    # Undone for L02: J4's sheet counts again, and the flag it makes holds again.
    before = final.last()
    head.restore_judge("J4", "back after lunch", ["L02"])
    assert final.kinds(before) == ["seat_restored", "flag_raised"]
    assert [e.contestant for e in head.excusals("J4")] == ["L03"]
    assert not next(s for s in head.sheets("L02") if s.judge == "J4").withdrawn
    notices = final.master.pull(final.terminals["J4"].pull(), final.clock())["notices"]
    assert [n["payload"]["contestants"] for n in notices if n["kind"] == "restored"] == [
        ["L02"]]


def test_projections_rebuilt_from_the_ledger_equal_the_live_ones(final: Final,
                                                                 event: Event) -> None:
    final.score("L01")
    final.head.excuse_judge("J4", "left", ["L01"])
    final.head.excuse_judge("J5", REASON)
    final.head.restore_judge("J4", "back", ["L01"])
    final.head.excuse_judge("J4", "left again", ["L02"])
    stored = dump_projections(final.master.ledger.conn)
    final.master.ledger.rebuild()
    assert dump_projections(final.master.ledger.conn) == stored


def test_excusals_refused(final: Final, event: Event) -> None:
    head = final.head
    final.score("L01")
    final.refused(lambda: head.excuse_judge("J9", REASON), "no judge 'J9'")
    final.refused(lambda: head.excuse_judge("J4", "  "), "reason .* required")
    final.refused(lambda: head.excuse_judge("J4", REASON, ["L99"]), "no contestant 'L99'")
    final.refused(lambda: head.excuse_judge("J2", REASON, ["L07"]), "J2 does not score L07")
    final.refused(lambda: head.excuse_judge("J4", REASON, []), "name at least one")
    final.refused(lambda: head.restore_judge("J4", "back"), "J4 is not excused")
    head.lock("L01")
    final.refused(lambda: head.excuse_judge("J4", REASON),
                  "L01 locked and J4's sheets for them count; unlock first")
    head.unlock("L01", "to go on")
    head.lock("L02", force=True, reason="J4 never came")  # J4 sent nothing for L02: allowed
    head.excuse_judge("J4", REASON, ["L02", "L03"])
    final.refused(lambda: head.excuse_judge("J4", REASON, ["L03"]),
                  "already excused for L03")
    final.refused(lambda: head.restore_judge("J4", "back", ["L02"]),
                  "L02 locked; unlock first")
    final.refused(lambda: head.restore_judge("J4", "back", ["L05"]),
                  "J4 is not excused for L05")
    final.refused(lambda: head.restore_judge("J4", ""), "reason .* required")
    # L07's panel is J1, J3, J4, J5 (J2 recused): excusing all four is refused at the last.
    for judge in ("J1", "J3", "J4"):
        head.excuse_judge(judge, "ill", ["L07"])
    final.refused(lambda: head.excuse_judge("J5", "ill", ["L07"]),
                  "would leave L07 with no judge on the panel")
    head.excuse_judge("J5", "ill", ["L08"])
    head.restore_judge("J5", "better", ["L08"])
    head.excuse_judge("J5", REASON, ["L09"])
    final.refused(lambda: head.excuse_judge("J5", REASON),  # would empty L07's panel
                  "would leave L07 with no judge")
    head.restore_judge("J1", "back")
    head.excuse_judge("J5", REASON)
    final.refused(lambda: head.excuse_judge("J5", REASON, ["L10"]),
                  "already excused for the whole final")
    final.refused(lambda: head.restore_judge("J5", "back", ["L09"]),
                  "excused for the whole final; restore the whole seat")


def test_the_commands_excuse_and_restore_and_refuse_bad_input(final: Final) -> None:
    from .test_cli_record import refused, run

    assert "no judge 'J9'" in refused(final, "excuse-judge", "J9", "--reason", "ill")
    assert "reason for excusing the judge is required" in refused(final, "excuse-judge", "J4")
    assert "no contestant 'L99'" in refused(final, "excuse-judge", "J4", "--contestant", "L99",
                                            "--reason", "ill")
    code, out, _ = run(final, "excuse-judge", "J4", "--contestant", "L01", "--contestant",
                       "L02", "--reason", "left at noon")
    # what the ledger now holds, Chinese then English
    seq = len(final.master.ledger)
    assert (code, out) == (0, f"{seq} 评委免评 J4 对L01, L02免评：left at noon\n"
                              f"{seq} seat excused J4 excused for L01, L02: left at noon\n")
    assert run(final, "excuse-judge", "J5", "--reason", REASON)[1].splitlines()[1].endswith(
        f"J5 excused for the whole final: {REASON}")
    assert "not excused for L03" in refused(final, "restore-judge", "J4", "--contestant",
                                            "L03", "--reason", "back")
    assert "reason for restoring" in refused(final, "restore-judge", "J4")
    assert run(final, "restore-judge", "J4", "--reason", "back")[1].splitlines()[0].endswith(
        "J4 对整场比赛恢复评分：back")
    assert [(e.judge, e.contestant) for e in final.head.excusals()] == [("J5", None)]


def test_sheets_print_the_excused_seats_with_the_reason(final: Final, event: Event,
                                                        fixtures_dir: Path,
                                                        tmp_path: Path) -> None:
    from ..printouts.tools import sq
    from .test_printing import print_, verify_code, words

    sheets = _fixture_sheets(event, fixtures_dir)
    _send_all_but(final, sheets, "J4")
    final.head.import_components("data", fixtures_dir / "livestream-final" / "data.csv")
    final.head.excuse_judge("J4", REASON)
    final.head.excuse_judge("J5", "提前离场 left early", ["L01"])  # J5's L01 sheet is in
    printed = print_(final, tmp_path / "out", ["judge", "contestant", "results"],
                     ["J4", "J5", "L01", "L02", "live"])
    j4 = words(printed["judge", "J4"].file)
    assert sq(f"J4 马晓东 · 免评 excused · 全场 whole final · 原因 reason: {REASON}") in j4
    j4_panel = [c for c in event.contestants if not event.is_recused(event.judges[3], c)]
    assert j4.count("免评") == len(j4_panel) + 2  # each row of its panel, heading, note
    j5 = words(printed["judge", "J5"].file)
    assert sq("J5 宋佳 · 免评 excused · L01 · 原因 reason: 提前离场 left early") in j5
    l01 = words(printed["contestant", "L01"].file)
    assert sq(f"J4 马晓东 · 免评 excused · 原因 reason: {REASON}") in l01
    assert sq("J5 宋佳 · 免评 excused · 原因 reason: 提前离场 left early") in l01
    l02 = words(printed["contestant", "L02"].file)
    assert sq("J4 马晓东 · 免评 excused") in l02 and sq("J5 宋佳 · 免评") not in l02
    results = words(printed["results", "live"].file)
    assert sq("评委免评（总裁判长准许，评委评分不含该评委）") in results
    assert sq(f"J4 马晓东 · 免评 excused · 全场 whole final · 原因 reason: {REASON}") in results
    assert sq("J5 宋佳 · 免评 excused · L01") in results
    for sheet in printed.values():
        assert verify_code(final.head, sheet.code).ok, sheet.title
    # A printed sheet no longer matches once the excusal it shows is undone.
    final.head.restore_judge("J5", "回来了 back", ["L01"])
    verdict = verify_code(final.head, printed["contestant", "L01"].code)
    assert not verdict.ok and "excused" in " ".join(verdict.lines())
