"""Issue 27: appeals filed, voted on, withdrawn and decided in any order, with publications,
late filings and the appeal window's close interleaved. After every step:

- a correction is in force if and only if its appeal was upheld: the overrides and
  withdrawals naming an appeal are exactly the correction its decision carried, and only
  an upheld appeal has any;
- a ranking was made official only when its window had closed with no appeal open and no
  upheld correction left unpublished, and only for its latest version;
- the projection tables equal a fresh rebuild from the ledger (the ledger replays to the
  same state), and the hash chain verifies;
- a refused action wrote nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from head_judge.actions import ActionRefused
from head_judge.appeals import (
    Correction,
    decide_appeal,
    declare_official,
    file_appeal,
    vote_on_appeal,
    withdraw_appeal,
)
from head_judge.master import parse_time
from sync.event import AppealRules

from .test_actions import Final
from .test_master import dump_projections, rebuilt_projections, table_counts
from .test_record_stateful import CONTESTANTS, EVENT, JUDGES, SCOPE

D = Decimal
COMMITTEE = ("张伟", "李娜", "王磊")
WINDOW = 30
APPEALS_EVENT = dataclasses.replace(EVENT, committee=COMMITTEE,
                                    appeal_rules=AppealRules(window_minutes=WINDOW))
VALUES = st.sampled_from([D(5), D(6), D("8.5"), D(9)])


class AppealsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="appeals-"))
        self.final = Final(self.folder / "home", APPEALS_EVENT)
        self.head = self.final.head
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
            assert refused.reason.render("zh") and str(refused)
            assert table_counts(self.final.master.ledger.path) == before
            return None

    @initialize()
    def the_final_is_published(self) -> None:
        """Every judge scored every contestant alike (no flags), the data imported, every
        contestant locked, version 1 published: the appeal window opens."""
        for contestant in CONTESTANTS:
            for judge in JUDGES:
                if (judge, contestant) != ("J3", "L03"):
                    self.final.send(judge, contestant, {"appearance": D(8), "expression": D(8)})
        data = self.folder / "data.csv"
        data.write_text("contestant,value\n" + "".join(f"{c},{70 + n}\n" for n, c in
                                                      enumerate(CONTESTANTS)), "utf-8")
        self.head.import_components("data", data)
        for contestant in CONTESTANTS:
            self.head.lock(contestant)
        self.head.publish(SCOPE)

    appeals = Bundle("appeals")

    @rule(target=appeals, contestant=st.sampled_from(CONTESTANTS),
          category=st.sampled_from(("calculation", "procedure")), late=st.booleans())
    def file(self, contestant: str, category: str, late: bool) -> object:
        filed = self.attempt(lambda: file_appeal(
            self.head, contestant, "复核 recount", "coach", category=category,
            late_reason="同意逾期 accepted late" if late else ""))
        return getattr(filed, "id", 0)  # 0: refused (no such appeal: later steps refused)

    @rule(appeal=appeals, member=st.sampled_from(COMMITTEE),
          vote=st.sampled_from(("upheld", "rejected", "abstain")), conflict=st.booleans())
    def vote(self, appeal: int, member: str, vote: str, conflict: bool) -> None:
        self.attempt(lambda: vote_on_appeal(self.head, appeal, member, vote,
                                            conflict=conflict))

    @rule(appeal=appeals)
    def withdraw(self, appeal: int) -> None:
        self.attempt(lambda: withdraw_appeal(self.head, appeal, "撤回 withdrawn"))

    @rule(appeal=appeals, upheld=st.booleans(), judge=st.sampled_from(JUDGES), value=VALUES,
          withdraw_too=st.booleans())
    def decide(self, appeal: int, upheld: bool, judge: str, value: Decimal,
               withdraw_too: bool) -> None:
        filed = [a for a in self.head.master.ledger.entries() if a.seq == appeal]
        contestant = filed[0].payload.get("contestant") if filed else None
        other = next(j for j in JUDGES if j != judge)
        corrections = [Correction(judge, "appearance", value)] if upheld else []
        withdrawals = [other] if upheld and withdraw_too else []
        if contestant is None:
            corrections = []
        self.attempt(lambda: decide_appeal(self.head, appeal,
                                           "upheld" if upheld else "rejected", "裁决 decided",
                                           corrections=corrections, withdrawals=withdrawals))

    @rule()
    def publish(self) -> None:
        self.attempt(lambda: self.head.publish(SCOPE, "申诉 appeal"))

    @rule(minutes=st.sampled_from([1, 10, 31]))
    def time_passes(self, minutes: int) -> None:
        self.final.clock.now += dt.timedelta(minutes=minutes)

    @rule()
    def official(self) -> None:
        declare_official(self.head)

    # --- what must always hold ----------------------------------------------------------------

    @invariant()
    def a_correction_is_in_force_if_and_only_if_its_appeal_was_upheld(self) -> None:
        entries = list(self.final.master.ledger.entries())
        decided = {e.payload["appeal"]: e for e in entries if e.kind == "appeal_decided"}
        applied: dict[int, list[tuple[str, ...]]] = {}
        for e in entries:
            if e.kind == "value_overridden" and "appeal" in e.payload:
                applied.setdefault(e.payload["appeal"], []).append(
                    ("set", e.payload["judge"], e.payload["criterion"], e.payload["new"]))
            if e.kind == "sheet_withdrawn" and "appeal" in e.payload:
                applied.setdefault(e.payload["appeal"], []).append(
                    ("withdraw", e.payload["judge"]))
        for appeal, entry in decided.items():
            correction = entry.payload.get("correction")
            if entry.payload["outcome"] == "upheld":
                wanted = [("set", c["judge"], c["criterion"], c["value"])
                          for c in correction["set"]] + \
                    [("withdraw", j) for j in correction["withdraw"]]
                assert applied.get(appeal) == wanted, appeal
            else:
                assert correction is None and appeal not in applied, appeal
        assert set(applied) <= {a for a, e in decided.items()
                                if e.payload["outcome"] == "upheld"}

    @invariant()
    def official_only_after_the_window_with_nothing_open(self) -> None:
        entries = list(self.final.master.ledger.entries())
        first = next(e for e in entries if e.kind == "results_published")
        closes = parse_time(first.at) + dt.timedelta(minutes=WINDOW)
        open_: set[int] = set()
        unpublished: set[int] = set()
        latest = 0
        for e in entries:
            if e.kind == "appeal_filed":
                open_.add(e.seq)
            elif e.kind in ("appeal_decided", "appeal_withdrawn"):
                open_.discard(e.payload["appeal"])
                if e.kind == "appeal_decided" and e.payload["outcome"] == "upheld":
                    unpublished.add(e.payload["appeal"])
            elif e.kind == "results_published":
                latest = e.payload["version"]
                unpublished.clear()
            elif e.kind == "results_official":
                assert parse_time(e.at) >= closes
                assert not open_ and not unpublished
                assert e.payload["version"] == latest

    @invariant()
    def the_ledger_replays_to_the_same_state(self) -> None:
        ledger = self.final.master.ledger
        assert ledger.verify_chain() == []
        self.files += 1
        assert rebuilt_projections(ledger.conn, self.folder / f"rebuilt-{self.files}.db") == \
            dump_projections(ledger.conn)


AppealsMachine.TestCase.settings = settings(
    max_examples=20, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_appeals_under_random_actions = AppealsMachine.TestCase
