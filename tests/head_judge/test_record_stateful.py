"""Random sequences of everything that writes to the record: judges' sheets, revisions and
confirmations, accepted flags (one by one, or a contestant's all at once), reviews, overrides,
withdrawals, locks (one, or every one ready) and unlocks, imports, tie decisions, publications
and appeals. After every step:

- the hash chain verifies;
- the projection tables equal a fresh rebuild from the ledger;
- nothing about a locked contestant changed while it stayed locked (sheets, overrides,
  withdrawals, imported values: a value still missing may only be filled in);
- every published version's document is the one first published under that number;
- a refused action wrote nothing;
- each contestant's panel in force that the master keeps in memory for the discrepancy rules
  is the one the tables give, also after another process wrote to the file.

A small final (3 judges, 4 contestants, 2 criteria, tight discrepancy thresholds, no
tie-break chain) so flags and ties come often.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from head_judge.actions import ActionRefused, HeadJudge
from head_judge.appeals import Correction, decide_appeal, file_appeal, preview_correction
from head_judge.master import Master
from head_judge.projections import MasterProjections, current_sheets
from sync.event import Discrepancy, Event, TiebreakKey
from sync.event_file import load_event
from tests.conftest import FIXTURES

from .test_actions import Final
from .test_master import dump_projections, rebuilt_projections, table_counts

D = Decimal
JUDGES = ("J1", "J2", "J3")
CONTESTANTS = ("L01", "L02", "L03", "L04")
SCOPE = ("live", None)
APPEARANCE = st.sampled_from([D(5), D(6), D("8.5")])
EXPRESSION = st.sampled_from([D(7), D(8), D(12)])
REASONS = st.sampled_from(["复核 reviewed", "复核 reviewed", ""])


def small_event() -> Event:
    event = load_event(FIXTURES / "livestream-final" / "event.toml")
    contestants = tuple(dataclasses.replace(c, recuse=("J3",) if c.id == "L03" else ())
                        for c in event.contestants if c.id in CONTESTANTS)
    tiebreak: tuple[TiebreakKey, ...] = ()
    return dataclasses.replace(
        event, criteria=event.criteria[:2], judges=event.judges[:3], contestants=contestants,
        discrepancy=Discrepancy(D(2), D(4), D(3)),
        scoring=dataclasses.replace(event.scoring, tiebreak=tiebreak))


EVENT = small_event()


class RecordMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="record-"))
        self.final = Final(self.folder / "home", EVENT)
        self.head = self.final.head
        self.frozen: dict[str, Any] = {}  # contestant -> what it looked like when locked
        self.published: dict[tuple[str, str | None, int], Any] = {}
        self.files = 0

    def teardown(self) -> None:
        self.final.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def attempt(self, action: Callable[[], object]) -> object:
        """Run an action; a refusal must have written nothing."""
        before = table_counts(self.final.master.ledger.path)
        try:
            return action()
        except ActionRefused as refused:
            assert refused.reason
            assert table_counts(self.final.master.ledger.path) == before
            return None

    @initialize(values=st.lists(st.tuples(APPEARANCE, EXPRESSION), min_size=8, max_size=8),
                data=st.sampled_from(["60", "90"]))
    def most_have_been_on_stage(self, values: list[tuple[Decimal, Decimal]], data: str) -> None:
        """L01-L03 scored by their panels and their data imported; L04 still to come."""
        pairs = [(j, c) for c in CONTESTANTS[:3] for j in JUDGES if (j, c) != ("J3", "L03")]
        for (judge, contestant), (appearance, expression) in zip(pairs, values, strict=True):
            self.send_sheet(judge, contestant, appearance, expression)
        self.import_data(dict.fromkeys(CONTESTANTS[:3], data), "")

    # --- judges -------------------------------------------------------------------------------

    @rule(judge=st.sampled_from(JUDGES), contestant=st.sampled_from(CONTESTANTS),
          appearance=APPEARANCE, expression=EXPRESSION)
    def send_sheet(self, judge: str, contestant: str, appearance: Decimal,
                   expression: Decimal) -> None:
        before = table_counts(self.final.master.ledger.path)
        result = self.final.send(judge, contestant, {"appearance": appearance,
                                                     "expression": expression},
                                 reason="更正 correction")
        if result["status"] == "rejected":
            assert result["code"] in ("locked", "withdrawn", "recused"), result
            assert table_counts(self.final.master.ledger.path) == before

    @rule(contestant=st.sampled_from(CONTESTANTS), appearance=APPEARANCE,
          expression=EXPRESSION)
    def whole_panel_scores(self, contestant: str, appearance: Decimal,
                           expression: Decimal) -> None:
        """Every judge gives the same values: no flags, and ties between contestants."""
        for judge in JUDGES:
            self.send_sheet(judge, contestant, appearance, expression)

    @rule(pick=st.integers(0, 20))
    def confirm_review(self, pick: int) -> None:
        reviews = self.head.reviews("open")
        if reviews:
            review = reviews[pick % len(reviews)]
            result = self.final.confirm(review.judge, review.contestant, review.id)
            assert result["code"] in (None, "locked"), result

    # --- the head judge -----------------------------------------------------------------------

    @rule(pick=st.integers(0, 20))
    def accept_flag(self, pick: int) -> None:
        flags = self.head.flags("open")
        flag = flags[pick % len(flags)].id if flags else 10_000
        self.attempt(lambda: self.head.accept_flag(flag, "genuine"))

    @rule(contestant=st.sampled_from(CONTESTANTS))
    def accept_all_flags(self, contestant: str) -> None:
        self.attempt(lambda: self.head.accept_flags(contestant, "genuine, all of them"))

    @rule(judge=st.sampled_from(JUDGES), contestant=st.sampled_from(CONTESTANTS))
    def request_review(self, judge: str, contestant: str) -> None:
        self.attempt(lambda: self.head.request_review(judge, "please check",
                                                      contestant=contestant))

    @rule(judge=st.sampled_from(JUDGES), contestant=st.sampled_from(CONTESTANTS),
          value=APPEARANCE, reason=REASONS)
    def override(self, judge: str, contestant: str, value: Decimal, reason: str) -> None:
        self.attempt(lambda: self.head.override_value(judge, contestant, "appearance", value,
                                                      reason))

    @rule(judge=st.sampled_from(JUDGES), contestant=st.sampled_from(CONTESTANTS),
          reason=REASONS)
    def withdraw(self, judge: str, contestant: str, reason: str) -> None:
        self.attempt(lambda: self.head.withdraw_sheet(judge, contestant, reason))

    @rule(judge=st.sampled_from(JUDGES), contestant=st.sampled_from(CONTESTANTS),
          value=APPEARANCE)
    def override_from_another_process(self, judge: str, contestant: str,
                                      value: Decimal) -> None:
        """`head-judge record override` while the master serves: another connection."""
        other = Master.open(self.folder / "home", now=self.final.clock())
        try:
            self.attempt(lambda: HeadJudge(other, clock=self.final.clock).override_value(
                judge, contestant, "appearance", value, "by the command line"))
        finally:
            other.close()

    @rule(contestant=st.sampled_from(CONTESTANTS), force=st.booleans(), reason=REASONS)
    def lock(self, contestant: str, force: bool, reason: str) -> None:
        self.attempt(lambda: self.head.lock(contestant, reason=reason, force=force))

    @rule(reason=REASONS)
    def lock_every_one_ready(self, reason: str) -> None:
        ready = self.head.ready_to_lock()
        locked = self.attempt(lambda: self.head.lock_ready(reason))
        assert locked == (ready or None)

    @rule(contestant=st.sampled_from(CONTESTANTS))
    def close_contestant(self, contestant: str) -> None:
        """What a head judge does at the end: accept the flags, have the reviews confirmed,
        lock (forced when sheets are still missing)."""
        for review in self.head.reviews("open", contestant):
            self.final.confirm(review.judge, review.contestant, review.id)
        for flag in self.head.flags("open", contestant):
            self.head.accept_flag(flag.id, "genuine")
        c = EVENT.contestant(contestant)
        assert c is not None
        held = {s.judge for s in self.head.sheets(contestant)}
        excused = {w.judge for w in self.head.withdrawals(contestant)}
        if held and contestant not in self.head.locks():
            for judge in EVENT.panel_for(c):
                if judge.id not in held | excused:
                    self.head.withdraw_sheet(judge.id, contestant, "评委缺席 judge absent")
        force = bool(self.head.lock_blockers(contestant))  # a no-show has no sheet at all
        self.attempt(lambda: self.head.lock(contestant, force=force, reason="closing"))

    @rule(contestant=st.sampled_from(CONTESTANTS), reason=REASONS)
    def unlock(self, contestant: str, reason: str) -> None:
        self.attempt(lambda: self.head.unlock(contestant, reason))

    @rule(values=st.dictionaries(st.sampled_from(CONTESTANTS),
                                 st.sampled_from(["60", "75.5", "90"]), min_size=1),
          reason=REASONS)
    def import_data(self, values: dict[str, str], reason: str) -> None:
        self.files += 1
        path = self.folder / f"data{self.files}.csv"
        path.write_text("contestant,value\n" + "".join(f"{c},{v}\n" for c, v in values.items()),
                        encoding="utf-8")
        self.attempt(lambda: self.head.import_components("data", path, reason=reason))

    @rule(value=st.sampled_from(["60", "90"]), reason=REASONS)
    def import_for_everyone(self, value: str, reason: str) -> None:
        self.import_data(dict.fromkeys(CONTESTANTS, value), reason)

    @rule(pick=st.integers(0, 20), shared=st.booleans())
    def decide_tie(self, pick: int, shared: bool) -> None:
        ties = [u for u in self.head.current_results().unresolved if u.kind.startswith("tie_")]
        if not ties:
            self.attempt(lambda: self.head.decide_tie(SCOPE, ["L01", "L02"], "shared", (), "x"))
            return
        tied = list(ties[pick % len(ties)].contestants)
        order = () if shared else tuple(reversed(tied))
        self.attempt(lambda: self.head.decide_tie(SCOPE, tied, "shared" if shared else "order",
                                                  order, "抽签 drawn by lot"))

    @rule()
    def finish_and_publish(self) -> None:
        """The end of the final: every value imported, every contestant closed, every tie
        decided, then publish (a republication when something changed since)."""
        held = self.head.components().get("data", {})
        missing = {c: "75.5" for c in CONTESTANTS if c not in held}
        if missing:
            self.import_data(missing, "")
        for contestant in CONTESTANTS:
            if contestant not in self.head.locks():
                self.close_contestant(contestant)
        for _ in range(3):
            ties = [u for u in self.head.current_results().unresolved
                    if u.kind.startswith("tie_")]
            if ties:
                self.decide_tie(0, False)
        self.publish("申诉更正 corrected")

    @rule(reason=REASONS)
    def publish(self, reason: str) -> None:
        self.attempt(lambda: self.head.publish(SCOPE, reason))

    appeals = Bundle("appeals")

    @rule(target=appeals, contestant=st.sampled_from(CONTESTANTS))
    def file_appeal(self, contestant: str) -> object:
        filed = file_appeal(self.head, contestant, "recount", "coach")
        return filed.id

    @rule(appeal=appeals, upheld=st.booleans(), reason=REASONS)
    def decide_appeal(self, appeal: int, upheld: bool, reason: str) -> None:
        self.attempt(lambda: decide_appeal(self.head, appeal,
                                           "upheld" if upheld else "rejected", reason))

    @rule(appeal=appeals, judge=st.sampled_from(JUDGES), value=APPEARANCE)
    def preview(self, appeal: int, judge: str, value: Decimal) -> None:
        before = table_counts(self.final.master.ledger.path)
        self.attempt(lambda: preview_correction(self.head, appeal,
                                                Correction(judge, "appearance", value)))
        assert table_counts(self.final.master.ledger.path) == before

    # --- what must always hold ----------------------------------------------------------------

    @invariant()
    def chain_verifies(self) -> None:
        assert self.final.master.ledger.verify_chain() == []

    @invariant()
    def projections_equal_a_rebuild(self) -> None:
        """Rebuilt in a copy of the file: the master's own would forget its panels."""
        conn = self.final.master.ledger.conn
        self.files += 1
        assert rebuilt_projections(conn, self.folder / f"rebuilt-{self.files}.db") == \
            dump_projections(conn)

    def _contestant_state(self, conn: sqlite3.Connection, contestant: str) -> Any:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(conn.execute(sql, (contestant,)).fetchall(), key=repr)
        return (rows("SELECT judge, hash, revision, scores FROM sheets WHERE contestant = ?"),
                rows("SELECT * FROM overrides WHERE contestant = ?"),
                rows("SELECT * FROM withdrawals WHERE contestant = ?"),
                rows("SELECT component, value FROM components WHERE contestant = ?"))

    @invariant()
    def locked_contestants_do_not_change(self) -> None:
        """...except that an imported value still missing may be filled in."""
        conn = self.final.master.ledger.conn
        locked = set(self.head.locks())
        for contestant in list(self.frozen):
            if contestant not in locked:
                del self.frozen[contestant]
        for contestant in locked:
            state = self._contestant_state(conn, contestant)
            held = self.frozen.setdefault(contestant, state)
            assert held[:3] == state[:3], contestant
            assert held[3] == state[3] or not held[3], contestant  # a missing value filled
            self.frozen[contestant] = state

    @invariant()
    def published_versions_never_change(self) -> None:
        versions = self.head.publications(SCOPE)
        assert [v.version for v in versions] == list(range(1, len(versions) + 1))
        for v in versions:
            key = (v.track, v.group, v.version)
            assert self.published.setdefault(key, v.document) == v.document

    @invariant()
    def the_panels_in_memory_are_the_tables(self) -> None:
        """Every panel is read here, so the next step's entries must keep them all right; and
        panels read all together (`read_panels`, by a fresh projector) are the same."""
        ledger = self.final.master.ledger
        assert isinstance(ledger.projector, MasterProjections)
        read_together = MasterProjections()
        with ledger.transaction():  # as the master reads them: inside a write
            read_together.read_panels(ledger.conn, CONTESTANTS)
            for contestant in CONTESTANTS:
                expected = {s.judge: s.values for s in current_sheets(ledger.conn, contestant)
                            if not s.withdrawn}
                assert ledger.projector.panel(ledger.conn, contestant) == expected, contestant
                assert read_together.panel(ledger.conn, contestant) == expected, contestant


RecordMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_the_record_under_random_actions = RecordMachine.TestCase
