"""The head judge's actions on a live final: flags raised and cleared as sheets land, reviews
answered by a revision or a signed confirmation, accepted flags, overrides, withdrawals,
locks, imported components, tie decisions, live results and publishing.

Real master files in tmp_path, the livestream final from the shared fixtures, sheets signed
by real device keys and pushed through `Master.push`. Every refusal is checked to write
nothing (row counts of every table unchanged). The helpers here (`Final`, `Clock`,
`fixture_final`) are shared with the appeals, CLI and stateful tests.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from head_judge.actions import ActionRefused, HeadJudge, describe_changes
from head_judge.checkpoints import verify_checkpoints
from head_judge.entry_lines import flag_message
from head_judge.master import Master
from head_judge.paper import read_sheets
from sync.event import Event
from sync.records import Confirmation, SignedRecord, receipt_from_record, sign_confirmation

from .test_master import NOW, Terminal, dump_projections, enrolled, good_values
from .test_master import table_counts as _table_counts

D = Decimal


class Clock:
    """A clock that moves one second every time it is read."""

    def __init__(self, start: dt.datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


class Final:
    """A master with every judge's terminal enrolled, and the head judge acting on it."""

    def __init__(self, home: Path, event: Event) -> None:
        self.clock = Clock()
        self.event = event
        self.master = Master.open(home, event, now=NOW)
        self.head = HeadJudge(self.master, clock=self.clock)
        self.terminals: dict[str, Terminal] = {j.id: enrolled(self.master, j.id)
                                               for j in event.judges}

    def close(self) -> None:
        self.master.close()

    def push(self, judge: str, record: SignedRecord) -> dict[str, Any]:
        answer = self.master.push(self.terminals[judge].push(record), self.clock())
        result: dict[str, Any] = answer["results"][0]
        return result

    def send(self, judge: str, contestant: str, values: Mapping[str, Decimal] | None = None,
             *, reason: str | None = None) -> dict[str, Any]:
        """Sign and push the judge's next sheet (a revision when one is held); the terminal
        moves on only when the master accepts it."""
        terminal = self.terminals[judge]
        revise = contestant in terminal.current
        record = terminal.sheet(contestant, values or good_values(self.event), revise=revise,
                                reason=reason, commit=False)
        result = self.push(judge, record)
        if result["status"] == "accepted":
            body = record.parsed()
            terminal.seq, terminal.prev = body["seq"], record.hash
            terminal.current[contestant] = (body["revision"], record.hash)
        return result

    def confirmation(self, judge: str, contestant: str, review: int,
                     sheet: str | None = None) -> SignedRecord:
        terminal = self.terminals[judge]
        return sign_confirmation(terminal.key, Confirmation(
            event=self.event.id, judge=judge, device=terminal.device, seq=terminal.seq + 1,
            prev=terminal.prev, contestant=contestant,
            sheet=sheet or terminal.current[contestant][1], review=review,
            comment="看过了，分数无误 checked, it stands", device_time="2025-05-17T16:40:00+08:00"))

    def confirm(self, judge: str, contestant: str, review: int,
                sheet: str | None = None) -> dict[str, Any]:
        record = self.confirmation(judge, contestant, review, sheet)
        result = self.push(judge, record)
        if result["status"] == "accepted":
            terminal = self.terminals[judge]
            terminal.seq, terminal.prev = terminal.seq + 1, record.hash
        return result

    def score(self, contestant: str, values: Mapping[str, Mapping[str, Decimal]] | None = None
              ) -> None:
        """Every judge of the contestant's panel sends a sheet (half marks unless given)."""
        c = self.event.contestant(contestant)
        assert c is not None
        for judge in self.event.panel_for(c):
            assert self.send(judge.id, contestant, (values or {}).get(judge.id))["status"] \
                == "accepted"

    def kinds(self, since: int = 0) -> list[str]:
        return [e.kind for e in self.master.ledger.entries(since)]

    def last(self) -> int:
        return len(self.master.ledger)

    def counts(self) -> dict[str, int]:
        return _table_counts(self.master.ledger.path)

    def refused(self, action: Callable[[], object], match: str) -> ActionRefused:
        """The action is refused with a reason matching `match`, and writes nothing."""
        before = self.counts()
        with pytest.raises(ActionRefused, match=match) as refused:
            action()
        assert self.counts() == before
        return refused.value


def spread(event: Event, criterion: str, value: Decimal) -> dict[str, Decimal]:
    return {**good_values(event), criterion: value}


def fixture_final(final: Final, fixtures_dir: Path) -> None:
    """Every sheet of the livestream fixture, signed by its judge's device and pushed, and the
    platform data imported."""
    folder = fixtures_dir / "livestream-final"
    for sheet in read_sheets(final.event, folder / "sheets.csv"):
        assert final.send(sheet.judge, sheet.contestant, sheet.values)["status"] == "accepted"
    final.head.import_components("data", folder / "data.csv")


def without_kind(document: dict[str, Any]) -> dict[str, Any]:
    """A document as the fixtures' expected results hold it: they predate the `kind` of
    unresolved entries, each scope's `absent` and the `missing` list."""
    return {**{k: v for k, v in document.items() if k != "missing"},
            "scopes": [{k: v for k, v in s.items() if k != "absent"}
                       for s in document["scopes"]],
            "unresolved": [{k: v for k, v in u.items() if k != "kind"}
                           for u in document["unresolved"]]}


# --- live results -----------------------------------------------------------------------------


def test_current_results_of_the_fixture_equal_the_expected_results(
        final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    expected = json.loads((fixtures_dir / "livestream-final" / "expected-results.json")
                          .read_text(encoding="utf-8"))
    assert without_kind(final.head.current_results().to_document()) == expected
    assert final.master.ledger.verify_chain() == []


# --- flags ------------------------------------------------------------------------------------


def test_a_sheet_that_makes_a_difference_raises_a_flag_in_its_own_transaction(
        final: Final, event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    assert final.head.flags() == []  # one sheet: nothing to compare
    before = final.last()
    final.send("J2", "L01")
    [received, raised] = list(final.master.ledger.entries(before))
    assert (received.kind, raised.kind, raised.actor) == ("sheet_received", "flag_raised",
                                                          "master")
    assert raised.at == received.at
    assert raised.payload == {
        "contestant": "L01", "rule": "criterion_spread", "criterion": "pitch",
        "judges": ["J1", "J2"], "values": {"J1": "16", "J2": "10"}, "difference": "6",
        "threshold": "4", "key": "L01:criterion_spread:pitch", "cause": received.seq}
    [flag] = final.head.flags("open")
    assert (flag.id, flag.status, flag.key) == (raised.seq, "open", "L01:criterion_spread:pitch")
    assert flag_message(flag.flag()) == ("L01: pitch spread 6 > 4, lowest J2, highest J1 "
                                         "(J1 16, J2 10)")
    final.send("J3", "L01")  # the same flag still holds: not raised again
    assert final.kinds(before + 2) == ["sheet_received"]


def test_a_revision_that_resolves_the_difference_clears_the_flag(final: Final,
                                                                 event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    [flag] = final.head.flags("open")
    final.send("J1", "L01", spread(event, "pitch", D(12)), reason="看错了 misread")
    *_, received, cleared = final.master.ledger.entries()
    assert (received.kind, cleared.kind) == ("sheet_received", "flag_cleared")
    assert cleared.payload == {"flag": flag.id, "key": flag.key, "contestant": "L01",
                               "cause": received.seq}
    [row] = final.head.flags()
    assert (row.status, row.cleared_by) == ("cleared", received.seq)
    final.send("J1", "L01", spread(event, "pitch", D(16)), reason="second thoughts")
    [_, again] = final.head.flags()  # a new flag with a new id
    assert again.status == "open" and again.id > flag.id


def test_sheets_that_land_together_are_judged_together(final: Final, event: Event) -> None:
    """One group commit (concurrent pushes) with three sheets for L01 and one judge's
    revision: the rules run once per contestant, over the panel as it stands after all of
    them, so the flag the first two sheets would raise (and the revision clear) never is."""
    pushes = []
    for judge, pitch in (("J1", D(16)), ("J2", D(10)), ("J3", D(10))):
        terminal = final.terminals[judge]
        pushes.append(terminal.push(terminal.sheet("L01", spread(event, "pitch", pitch))))
    j1 = final.terminals["J1"]
    pushes.append(j1.push(j1.sheet("L01", spread(event, "pitch", D(12)), revise=True,
                                   reason="看错了 misread")))
    before = final.last()
    answers = final.master.push_many(pushes, final.clock())
    assert all(r["status"] == "accepted" for a in answers if isinstance(a, dict)
               for r in a["results"])
    assert final.kinds(before) == ["sheet_received"] * 4 and final.head.flags() == []
    far = final.terminals["J2"]  # and one far off: raised once, caused by the last sheet
    last = final.terminals["J3"]
    answers = final.master.push_many([
        far.push(far.sheet("L02", spread(event, "pitch", D(20)))),
        last.push(last.sheet("L02", spread(event, "pitch", D(10))))], final.clock())
    *_, received, raised = final.master.ledger.entries()
    assert (received.kind, raised.kind) == ("sheet_received", "flag_raised")
    assert raised.payload["cause"] == received.seq
    assert [f.key for f in final.head.flags()] == ["L02:criterion_spread:pitch"]


def test_accepting_a_flag(final: Final, event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    [flag] = final.head.flags()
    final.refused(lambda: final.head.accept_flag(flag.id, "  "), "note .* is required")
    final.refused(lambda: final.head.accept_flag(999, "ok"), "there is no flag 999")
    final.head.accept_flag(flag.id, "两位评委看法确有不同 a genuine difference of opinion")
    [row] = final.head.flags()
    assert (row.status, row.note) == ("accepted", "两位评委看法确有不同 a genuine difference "
                                                  "of opinion")
    entry = list(final.master.ledger.entries())[-1]
    assert (entry.kind, entry.actor) == ("flag_accepted", "head-judge")
    final.refused(lambda: final.head.accept_flag(flag.id, "again"), "is accepted, not open")
    final.send("J3", "L01")  # still holds: stays accepted, no new flag
    assert [f.status for f in final.head.flags()] == ["accepted"]


# --- reviews ----------------------------------------------------------------------------------


def test_a_review_reaches_the_judge_and_a_revision_answers_it(final: Final,
                                                              event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    [flag] = final.head.flags()
    review = final.head.request_review("J1", "请核对产品推介分 please check pitch",
                                       flag=flag.id)
    j1, j2 = final.terminals["J1"], final.terminals["J2"]
    answer = final.master.pull(j1.pull(), final.clock())
    [notice] = [n for n in answer["notices"] if n["kind"] == "review_request"]
    assert notice["judge"] == "J1" and notice["payload"] == {
        "review": review, "contestant": "L01", "flag": flag.id,
        "note": "请核对产品推介分 please check pitch", "sheet": j1.current["L01"][1],
        "rule": flag.rule, "criterion": flag.criterion, "difference": str(flag.difference),
        "threshold": str(flag.threshold)}
    assert not [n for n in final.master.pull(j2.pull(), final.clock())["notices"]
                if n["kind"] == "review_request"]

    result = final.send("J1", "L01", spread(event, "pitch", D(12)), reason="复核后更正")
    assert result["status"] == "accepted"
    *_, received, answered, cleared = final.master.ledger.entries()
    assert (received.kind, answered.kind, cleared.kind) == (
        "sheet_received", "review_answered", "flag_cleared")
    assert answered.payload == {"review": review, "judge": "J1", "contestant": "L01",
                                "sheet": result["hash"], "revision": 2, "reason": "复核后更正"}
    [row] = final.head.reviews()
    assert (row.status, row.answer_record, row.answer_text) == ("answered", result["hash"],
                                                                "复核后更正")


def test_a_judge_confirms_the_sheet_as_it_is(final: Final, event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    review = final.head.request_review("J2", "is 10 right?", contestant="L01")
    record = final.confirmation("J2", "L01", review)
    result = final.push("J2", record)
    assert result["status"] == "accepted" and result["code"] is None
    j2 = final.terminals["J2"]
    j2.seq, j2.prev = j2.seq + 1, record.hash
    before = final.counts()
    duplicate = final.push("J2", record)  # the answer was lost: the same record again
    assert (duplicate["status"], duplicate["receipt"]) == ("duplicate", result["receipt"])
    assert final.counts() == before
    receipt = receipt_from_record(SignedRecord.from_wire(result["receipt"]),
                                  final.master.master_key)
    entry = list(final.master.ledger.entries())[-1]
    assert (entry.kind, entry.actor, entry.seq) == ("review_confirmed",
                                                    f"device:{final.terminals['J2'].device}",
                                                    receipt.ledger)
    assert entry.payload["review"] == review
    [row] = final.head.reviews()
    assert (row.status, row.answer_record) == ("confirmed", result["hash"])
    assert row.answer_text == "看过了，分数无误 checked, it stands"
    kind = final.master.ledger.conn.execute(
        "SELECT kind, revision FROM records WHERE hash = ?", (result["hash"],)).fetchone()
    assert kind == ("confirmation", None)
    assert [f.status for f in final.head.flags()] == ["open"]  # confirming changes no value
    # Another confirmation of the answered review is refused.
    again = final.push("J2", final.confirmation("J2", "L01", review))
    assert (again["status"], again["code"]) == ("rejected", "unknown_review")


def test_in_one_push_a_review_is_answered_once_and_not_after_it_was_confirmed(
        final: Final, event: Event) -> None:
    """Ingest reads the open reviews once per push: what the push itself answers or
    confirms is closed for the records after it."""
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    answered = final.head.request_review("J1", "check pitch", contestant="L01")
    confirmed = final.head.request_review("J2", "is 10 right?", contestant="L01")
    j1, j2 = final.terminals["J1"], final.terminals["J2"]
    first = j1.sheet("L01", spread(event, "pitch", D(12)), revise=True, reason="复核后更正")
    second = j1.sheet("L01", spread(event, "pitch", D(11)), revise=True, reason="again")
    confirmation = final.confirmation("J2", "L01", confirmed)
    j2.seq, j2.prev = j2.seq + 1, confirmation.hash
    after = j2.sheet("L01", spread(event, "pitch", D(11)), revise=True, reason="on reflection")
    before = final.last()
    answers = final.master.push_many([j1.push(first, second), j2.push(confirmation, after)],
                                     final.clock())
    assert [r["status"] for a in answers if isinstance(a, dict) for r in a["results"]] == [
        "accepted"] * 4
    entries = list(final.master.ledger.entries(before))
    assert [(e.kind, e.payload.get("review")) for e in entries if e.kind.startswith("review")
            ] == [("review_answered", answered), ("review_confirmed", confirmed)]
    assert {r.id: r.status for r in final.head.reviews()} == {answered: "answered",
                                                              confirmed: "confirmed"}


def test_confirmations_that_answer_nothing_are_rejected_and_write_nothing(
        final: Final, event: Event) -> None:
    final.send("J1", "L01")
    final.send("J2", "L01")
    review = final.head.request_review("J1", "check", contestant="L01")
    cases = [
        (final.confirmation("J1", "L01", review + 50), "unknown_review"),
        (final.confirmation("J1", "L01", review, sheet="ab" * 32), "not_current"),
    ]
    for record, code in cases:
        before = final.counts()
        result = final.push("J1", record)
        assert (result["status"], result["code"]) == ("rejected", code), result
        assert result["reason"] and final.counts() == before
    # J2 cannot answer J1's review.
    j2 = final.terminals["J2"]
    forged = sign_confirmation(j2.key, Confirmation(
        event=event.id, judge="J2", device=j2.device, seq=j2.seq + 1, prev=j2.prev,
        contestant="L01", sheet=j2.current["L01"][1], review=review, comment="",
        device_time=""))
    assert final.push("J2", forged)["code"] == "unknown_review"
    final.head.lock("L01", force=True, reason="stage closed")
    assert final.push("J1", final.confirmation("J1", "L01", review))["code"] == "locked"


def test_review_requests_refused(final: Final, event: Event) -> None:
    final.send("J1", "L01")
    final.send("J1", "L07")
    head = final.head
    final.refused(lambda: head.request_review("J1", "check"), "name the flag or the contestant")
    final.refused(lambda: head.request_review("J9", "check", contestant="L01"), "no judge 'J9'")
    final.refused(lambda: head.request_review("J1", "check", contestant="L99"),
                  "no contestant 'L99'")
    final.refused(lambda: head.request_review("J1", "check", flag=5), "there is no flag 5")
    final.refused(lambda: head.request_review("J1", "", contestant="L01"), "note .* required")
    final.refused(lambda: head.request_review("J2", "check", contestant="L07"),
                  "J2 does not score L07")
    final.refused(lambda: head.request_review("J3", "check", contestant="L01"),
                  "J3 has not sent a sheet for L01")
    review = head.request_review("J1", "check", contestant="L01")
    final.refused(lambda: head.request_review("J1", "again", contestant="L01"),
                  f"review {review} of J1's sheet for L01 is still open")


# --- overrides and withdrawals ----------------------------------------------------------------


def test_an_override_keeps_both_values_and_scoring_uses_the_new_one(final: Final,
                                                                   event: Event) -> None:
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    before = final.last()
    override = final.head.override_value("J1", "L01", "pitch", "11",
                                         "纸质评分表为11 the paper sheet says 11")
    [entry, cleared] = list(final.master.ledger.entries(before))
    assert entry.seq == override and entry.kind == "value_overridden"
    assert cleared.kind == "flag_cleared" and cleared.payload["cause"] == override
    assert entry.payload == {"judge": "J1", "contestant": "L01", "criterion": "pitch",
                             "sheet": final.terminals["J1"].current["L01"][1], "revision": 1,
                             "old": "16", "new": "11",
                             "reason": "纸质评分表为11 the paper sheet says 11"}
    [row] = final.head.overrides()
    assert (row.old, row.new, row.status) == (D(16), D(11), "in_force")
    [sheet] = [s for s in final.head.sheets("L01") if s.judge == "J1"]
    assert (sheet.signed["pitch"], sheet.values["pitch"], sheet.overridden) == (
        D(16), D(11), ("pitch",))
    inputs = final.head.scoring_inputs()
    assert [s.values["pitch"] for s in inputs.sheets if s.judge == "J1"] == [D(11)]
    # A second override replaces the first; the judge's next revision ends both.
    final.head.override_value("J1", "L01", "pitch", D("11.5"), "second look")
    assert [o.status for o in final.head.overrides()] == ["replaced", "in_force"]
    assert final.head.overrides()[1].old == D(11)
    final.send("J1", "L01", spread(event, "pitch", D(13)), reason="corrected myself")
    assert [o.status for o in final.head.overrides()] == ["replaced", "lapsed"]
    [sheet] = [s for s in final.head.sheets("L01") if s.judge == "J1"]
    assert sheet.values["pitch"] == D(13) and sheet.overridden == ()


def test_overrides_refused(final: Final, event: Event) -> None:
    final.send("J1", "L01")
    final.send("J1", "L02")
    head = final.head
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: head.override_value("J9", "L01", "pitch", "11", "r"), "no judge 'J9'"),
        (lambda: head.override_value("J1", "L99", "pitch", "11", "r"), "no contestant 'L99'"),
        (lambda: head.override_value("J1", "L01", "charm", "11", "r"), "no criterion 'charm'"),
        (lambda: head.override_value("J1", "L01", "pitch", "21", "r"), "outside 0–20"),
        (lambda: head.override_value("J1", "L01", "pitch", "10.25", "r"), "step 0.5"),
        (lambda: head.override_value("J1", "L01", "pitch", "ten", "r"), "'ten' is not a score"),
        (lambda: head.override_value("J1", "L01", "pitch", "10", "r"), "already 10"),
        (lambda: head.override_value("J1", "L01", "pitch", "11", " "), "reason .* required"),
        (lambda: head.override_value("J2", "L01", "pitch", "11", "r"), "J2 has not sent"),
        (lambda: head.override_value("J2", "L07", "pitch", "11", "r"), "J2 does not score"),
    ]
    for action, match in cases:
        final.refused(action, match)
    head.lock("L02", force=True, reason="closed")
    final.refused(lambda: head.override_value("J1", "L02", "pitch", "11", "r"),
                  "L02 is locked \\(closed\\); unlock it first to override a value")


def test_a_withdrawn_sheet_is_excused_and_no_sheet_is_expected(final: Final, event: Event,
                                                               tmp_path: Path) -> None:
    final.score("L01")
    final.send("J1", "L02", spread(event, "pitch", D(16)))
    final.send("J2", "L02")
    review = final.head.request_review("J1", "check pitch", contestant="L02")
    before = final.last()
    final.head.withdraw_sheet("J1", "L02", "评委身体不适 the judge was taken ill")
    entries = list(final.master.ledger.entries(before))
    assert [e.kind for e in entries] == ["sheet_withdrawn", "review_closed", "flag_cleared"]
    assert entries[0].payload == {"judge": "J1", "contestant": "L02",
                                  "sheet": final.terminals["J1"].current["L02"][1],
                                  "reason": "评委身体不适 the judge was taken ill"}
    assert [r.status for r in final.head.reviews()] == ["closed"]
    notices = final.master.pull(final.terminals["J1"].pull(), final.clock())["notices"]
    assert [n["kind"] for n in notices][-2:] == ["withdrawn", "review_closed"]
    assert notices[-1]["payload"]["review"] == review
    # No sheet from J1 is expected for L03 once withdrawn before J1 scored it.
    final.head.withdraw_sheet("J1", "L03", "the judge was taken ill")
    for judge in ("J2", "J3", "J4", "J5"):
        final.send(judge, "L03")
    assert final.head.lock_blockers("L03") == []
    final.head.import_components("data", write_csv(tmp_path / "d.csv", {"L03": "80"}))
    results = final.head.current_results()
    l03 = [s for s in results.scopes[0].ranking if s.contestant == "L03"]
    assert l03 and "J1" not in l03[0].judges
    # The judge's terminal is refused further sheets for a withdrawn pair.
    result = final.send("J1", "L02", spread(event, "pitch", D(10)), reason="I am back")
    assert (result["status"], result["code"]) == ("rejected", "withdrawn")
    assert "the judge was taken ill" in result["reason"]


def test_withdrawals_refused(final: Final) -> None:
    final.send("J1", "L01")
    head = final.head
    final.refused(lambda: head.withdraw_sheet("J1", "L01", ""), "reason .* required")
    final.refused(lambda: head.withdraw_sheet("J2", "L07", "ill"), "J2 does not score L07")
    final.refused(lambda: head.withdraw_sheet("J9", "L01", "ill"), "no judge 'J9'")
    head.withdraw_sheet("J1", "L01", "ill")
    final.refused(lambda: head.withdraw_sheet("J1", "L01", "ill"), "already withdrawn")
    final.refused(lambda: head.override_value("J1", "L01", "pitch", "11", "r"),
                  "J1's sheet for L01 was withdrawn")
    head.lock("L02", force=True, reason="no-show")
    final.refused(lambda: head.withdraw_sheet("J1", "L02", "ill"), "L02 is locked")


# --- locks ------------------------------------------------------------------------------------


def test_lock_is_refused_while_anything_is_open_unless_forced(final: Final,
                                                             event: Event) -> None:
    head = final.head
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    refused = final.refused(lambda: head.lock("L01"), "cannot lock L01")
    assert "no sheet yet from J3, J4, J5" in refused.reason
    assert "flag" in refused.reason and "pitch spread 6 > 4" in refused.reason
    final.refused(lambda: head.lock("L01", force=True), "reason for a forced lock is required")
    for judge in ("J3", "J4", "J5"):
        final.send(judge, "L01")
    [flag] = head.flags()
    review = head.request_review("J1", "check", flag=flag.id)
    assert head.lock_blockers("L01") == [
        f"flag {flag.id} is open: L01: pitch spread 6 > 4, lowest J2, highest J1 "
        "(J1 16, J2 10)",
        f"review {review} of J1's sheet is open"]
    final.confirm("J1", "L01", review)
    head.accept_flag(flag.id, "J1 stands by it")
    head.lock("L01", reason="比赛结束 done")
    entry = list(final.master.ledger.entries())[-1]
    assert entry.kind == "contestant_locked" and entry.payload == {
        "contestant": "L01", "reason": "比赛结束 done", "forced": False, "blockers": []}
    final.refused(lambda: head.lock("L01"), "already locked")

    head.lock("L02", force=True, reason="缺考 did not compete")
    entry = list(final.master.ledger.entries())[-1]
    assert entry.payload["forced"] is True
    assert entry.payload["blockers"] == ["no sheet yet from J1, J2, J3, J4, J5"]
    assert set(head.locks()) == {"L01", "L02"}


def test_a_locked_contestant_takes_no_sheet_until_unlocked(final: Final, event: Event) -> None:
    final.score("L01")
    head = final.head
    head.lock("L01")
    result = final.send("J1", "L01", spread(event, "pitch", D(11)), reason="late fix")
    assert (result["status"], result["code"]) == ("rejected", "locked")
    final.refused(lambda: head.unlock("L01", ""), "reason for unlocking is required")
    final.refused(lambda: head.unlock("L02", "why"), "L02 is not locked")
    final.refused(lambda: head.unlock("L99", "why"), "no contestant 'L99'")
    head.unlock("L01", "申诉复核 appeal review")
    assert head.locks() == {}
    assert final.send("J1", "L01", spread(event, "pitch", D(11)),
                      reason="late fix")["status"] == "accepted"
    notices = final.master.pull(final.terminals["J3"].pull(), final.clock())["notices"]
    assert [(n["kind"], n["judge"], n["payload"]) for n in notices
            if n["kind"] in ("lock", "unlock")] == [
        ("lock", None, {"contestant": "L01", "reason": ""}),
        ("unlock", None, {"contestant": "L01", "reason": "申诉复核 appeal review"})]


# --- imported components ----------------------------------------------------------------------


def write_csv(path: Path, rows: dict[str, str]) -> Path:
    path.write_text("contestant,value\n" + "".join(f"{c},{v}\n" for c, v in rows.items()),
                    encoding="utf-8")
    return path


def test_components_preview_then_import_with_the_files_hash(final: Final,
                                                            tmp_path: Path) -> None:
    head = final.head
    first = write_csv(tmp_path / "data.csv", {"L01": "95.57", "L02": "62.58"})
    preview = head.preview_components("data", first)
    assert [(c.contestant, c.old, c.new) for c in preview.changes] == [
        ("L01", None, D("95.57")), ("L02", None, D("62.58"))]
    assert head.components() == {}
    imported = head.import_components("data", first)
    entry = list(final.master.ledger.entries())[-1]
    assert entry.seq == imported.entry and entry.kind == "components_imported"
    import hashlib
    assert entry.payload["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert entry.payload["file"] == "data.csv"
    assert entry.payload["values"] == {"L01": "95.57", "L02": "62.58"}
    assert head.components() == {"data": {"L01": D("95.57"), "L02": D("62.58")}}

    final.refused(lambda: head.import_components("data", first), "changes nothing")
    second = write_csv(tmp_path / "data2.csv", {"L01": "96", "L03": "82.59"})
    assert [(c.contestant, c.old, c.new)
            for c in head.preview_components("data", second).changes] == [
        ("L01", D("95.57"), D(96)), ("L03", None, D("82.59"))]
    final.refused(lambda: head.import_components("data", second),
                  "reason for changing imported values \\(L01 95.57 → 96\\) is required")
    head.import_components("data", second, reason="平台更正 platform corrected L01")
    assert head.components()["data"] == {"L01": D(96), "L02": D("62.58"), "L03": D("82.59")}

    head.lock("L02", force=True, reason="closed")
    third = write_csv(tmp_path / "data3.csv", {"L02": "70"})
    final.refused(lambda: head.import_components("data", third, reason="fix"),
                  "cannot import data3.csv: L02 is locked \\(closed\\); unlock it first")


def test_bad_component_files_are_refused(final: Final, tmp_path: Path) -> None:
    head = final.head
    good = write_csv(tmp_path / "good.csv", {"L01": "90"})
    final.refused(lambda: head.import_components("quality", good),
                  "'quality' is not an imported component")
    final.refused(lambda: head.import_components("data", write_csv(
        tmp_path / "bad.csv", {"L01": "90", "L99": "80", "L02": "101"})),
        "unknown contestant 'L99'(.|\n)*line 4")
    final.refused(lambda: head.import_components("data", tmp_path / "missing.csv"),
                  "cannot read the file")
    final.refused(lambda: head.preview_components("data", tmp_path / "missing.csv"),
                  "cannot read the file")


# --- ties -------------------------------------------------------------------------------------


def tie(final: Final, tmp_path: Path) -> None:
    """L01 and L02 exactly equal (sheets, data): they tie on the first-prize boundary."""
    final.score("L01")
    final.score("L02")
    final.head.import_components("data", write_csv(tmp_path / "d.csv",
                                                   {"L01": "90", "L02": "90"}))


def test_an_unresolved_tie_is_decided_once(final: Final, tmp_path: Path) -> None:
    tie(final, tmp_path)
    head = final.head
    [unresolved] = head.current_results().unresolved
    assert (unresolved.kind, unresolved.contestants) == ("tie_prize", ("L01", "L02"))
    scope = ("live", None)
    final.refused(lambda: head.decide_tie(scope, ["L01", "L02"], "order", ["L02", "L01"], ""),
                  "reason for the tie decision is required")
    final.refused(lambda: head.decide_tie(scope, ["L01", "L03"], "shared", [], "r"),
                  "no unresolved tie among exactly L01, L03 in live .*L01, L02")
    final.refused(lambda: head.decide_tie(scope, ["L01", "L02"], "order", ["L02"], "r"),
                  "lists each tied contestant once")
    final.refused(lambda: head.decide_tie(scope, ["L01", "L02"], "shared", ["L02"], "r"),
                  "has no order")
    final.refused(lambda: head.decide_tie(scope, ["L01", "L02"], "coin", [], "r"),
                  "`order` or `shared`")
    final.refused(lambda: head.decide_tie(("nope", None), ["L01", "L02"], "shared", [], "r"),
                  "no ranking nope; rankings are live")
    head.decide_tie(scope, ["L02", "L01"], "order", ["L02", "L01"], "抽签 drawn by lot")
    entry = list(final.master.ledger.entries())[-1]
    assert entry.kind == "tie_decided" and entry.payload == {
        "track": "live", "group": None, "contestants": ["L01", "L02"], "kind": "order",
        "order": ["L02", "L01"], "reason": "抽签 drawn by lot"}
    results = head.current_results()
    assert results.unresolved == ()
    assert [(s.contestant, s.rank, s.prize) for s in results.scopes[0].ranking] == [
        ("L02", 1, "first"), ("L01", 2, "second")]
    final.refused(lambda: head.decide_tie(scope, ["L01", "L02"], "shared", [], "r"),
                  "no unresolved tie")


# --- publishing -------------------------------------------------------------------------------


def close_everything(final: Final) -> None:
    """Accept every open flag and lock every contestant (forcing the no-shows)."""
    for flag in final.head.flags("open"):
        final.head.accept_flag(flag.id, "genuine difference")
    for c in final.event.contestants:
        if c.id not in final.head.locks():
            blockers = final.head.lock_blockers(c.id)
            final.head.lock(c.id, force=bool(blockers), reason="缺考 did not compete"
                            if blockers else "")


def correct_l13(head: HeadJudge, reason: str = "appeal 1") -> None:
    """As an upheld appeal does on the livestream final: unlock L13, raise J1's integrity by
    3 (L13 overtakes L14 for third prize), accept the flags it raises, lock L13 again."""
    head.unlock("L13", "appeal upheld")
    j1 = next(s for s in head.sheets("L13") if s.judge == "J1")
    head.override_value("J1", "L13", "integrity", j1.values["integrity"] + 3, reason)
    for flag in head.flags("open"):
        head.accept_flag(flag.id, "explained by the appeal")
    head.lock("L13", reason="corrected")


def test_publish_is_refused_until_the_scope_is_clear(final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    head = final.head
    refused = final.refused(lambda: head.publish(("live", None)), "cannot publish live")
    assert "not locked: L01, L02" in refused.reason and "flag" in refused.reason
    final.refused(lambda: head.publish(("live", "students")), "no ranking live/students")
    close_everything(final)
    before = final.last()
    published = head.publish(("live", None))
    entry, checkpoint = list(final.master.ledger.entries(before))
    assert (entry.kind, checkpoint.kind) == ("results_published", "checkpoint")
    assert (published.version, published.entry, published.checkpoint) == (1, entry.seq,
                                                                           checkpoint.seq)
    assert checkpoint.payload["reason"] == "publish"
    assert verify_checkpoints(list(final.master.ledger.entries()),
                              final.master.master_key) == []
    expected = json.loads((fixtures_dir / "livestream-final" / "expected-results.json")
                          .read_text(encoding="utf-8"))
    assert without_kind(entry.payload["document"]) == expected
    assert published.changes == () and entry.payload["changes"] == []
    final.refused(lambda: head.publish(("live", None), "again"), "version 1 .* already")


def test_republishing_after_a_change_shows_the_difference(final: Final,
                                                          fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    close_everything(final)
    head = final.head
    first = head.publish(("live", None))
    head.unlock("L03", "申诉 appeal")
    final.refused(lambda: head.publish(("live", None), "fix"), "not locked: L03")
    sheet = next(s for s in head.sheets("L03") if s.judge == "J1")
    head.override_value("J1", "L03", "pitch", sheet.values["pitch"] + 5, "登记错误 clerical")
    for flag in head.flags("open"):
        head.accept_flag(flag.id, "explained by the override")
    head.lock("L03")
    final.refused(lambda: head.publish(("live", None)), "reason for publishing again")
    second = head.publish(("live", None), "申诉更正 corrected on appeal")
    assert second.version == 2
    assert second.changes and second.changes[0].startswith("L03: ")
    assert "total of J1" in second.changes[0]
    assert list(second.changes) == describe_changes(first.document, second.document)
    versions = head.publications(("live", None))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].document == first.document  # version 1 is frozen


def test_describe_changes_in_plain_words() -> None:
    def doc(*rows: tuple[str, int, str, str | None]) -> dict[str, Any]:
        return {"event": "e", "unresolved": [], "scopes": [{"track": "t", "group": None,
                "ranking": [{"contestant": c, "rank": r, "final": f, "prize": p,
                             "advances": None, "components": {}, "judges": {},
                             "dropped": []} for c, r, f, p in rows]}]}
    before = doc(("A", 1, "90.00", "first"), ("B", 2, "85.00", "second"), ("C", 3, "80", None))
    after = doc(("B", 1, "91.00", "first"), ("A", 2, "90.00", "second"), ("D", 3, "70", None))
    assert describe_changes(before, after) == [
        "B: rank 2 → 1, final 85.00 → 91.00, prize second → first",
        "A: rank 1 → 2, prize first → second",
        "D: newly ranked 3 with 70",
        "C: no longer ranked (was 3)"]
    assert describe_changes(None, after) == []


def test_projections_equal_a_rebuild_after_all_of_it(final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    for contestant in sorted({f.contestant for f in final.head.flags("open")}):
        final.head.accept_flags(contestant, "genuine differences")  # one entry each
    final.head.lock_ready("scoring over")  # one entry for all of them
    assert {"flags_accepted", "contestants_locked"} <= set(final.kinds())
    close_everything(final)  # the no-shows, forced
    final.head.publish(("live", None))
    stored = dump_projections(final.master.ledger.conn)
    final.master.ledger.rebuild()
    assert dump_projections(final.master.ledger.conn) == stored
    assert final.master.ledger.verify_chain() == []


def test_an_old_master_file_gets_its_projections_rebuilt(tmp_path: Path, event: Event) -> None:
    home = tmp_path / "home"
    final = Final(home, event)
    final.score("L01")
    stored = dump_projections(final.master.ledger.conn)
    final.master.ledger.conn.execute("PRAGMA user_version = 1")
    final.master.ledger.conn.execute("DROP TABLE flags")
    final.master.ledger.conn.execute("CREATE TABLE flags (id INTEGER PRIMARY KEY)")
    final.close()
    master = Master.open(home, now=NOW)
    assert dump_projections(master.ledger.conn) == stored
    master.close()


def test_the_head_judges_actor_and_time_are_recorded(tmp_path: Path, event: Event) -> None:
    final = Final(tmp_path / "home", event)
    chief = HeadJudge(final.master, actor="head-judge:王主任", clock=lambda: NOW)
    chief.lock("L01", force=True, reason="no-show")
    entry = list(final.master.ledger.entries())[-1]
    assert (entry.actor, entry.at) == ("head-judge:王主任", "2025-05-17T08:30:00.000Z")
    final.close()
