"""Any interleaving of two or three operators typing a judge's paper sheets, on a real master.

Operators type whole sheets or parts of them, slips included, some refused (a second typing
by the same operator, criteria already agreed, a part where a whole sheet is due). After every
step:

- a sheet counts if and only if, for every criterion, two entries by different operators
  carry the same value (checked against a model that knows nothing of `settle`), with the
  values of the first pair to agree;
- a refused typing wrote nothing;
- the projection tables equal a fresh rebuild from the ledger (the ledger replays to the
  same state).

The master is opened in a copy of a home where J1's paper form was printed once.
"""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from head_judge.actions import ActionRefused, HeadJudge
from head_judge.master import Master
from head_judge.paper_desk import PaperDesk
from head_judge.printing import print_sheets
from head_judge.projections import current_sheets

from .test_actions import Clock
from .test_master import NOW, dump_projections, rebuilt_projections
from .test_record_stateful import EVENT

D = Decimal
OPERATORS = ("王芳", "李强", "张伟")
CONTESTANTS = ("L01", "L02")
CRITERIA = tuple(c.id for c in EVENT.criteria)
VALUES = st.sampled_from([D(5), D(6)])

_TEMPLATE: list[tuple[Path, str]] = []


def template() -> tuple[Path, str]:
    """A master home with J1's paper form printed, made once; and the form's code."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="paper-template-"))
        master = Master.open(folder / "home", EVENT, now=NOW)
        try:
            (form,) = [p for p in print_sheets(HeadJudge(master, clock=Clock()), ["form"],
                                               ["J1"], out_dir=folder / "forms")
                       if p.kind == "form"]
        finally:
            master.close()
        _TEMPLATE.append((folder / "home", form.code))
    return _TEMPLATE[0]


class PaperMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        home, self.form = template()
        self.folder = Path(tempfile.mkdtemp(prefix="paper-"))
        shutil.copytree(home, self.folder / "home")
        self.clock = Clock()
        self.master = Master.open(self.folder / "home", now=NOW)
        self.typed: dict[str, list[tuple[str, dict[str, Decimal]]]] = {c: [] for c in
                                                                       CONTESTANTS}
        self.files = 0

    def teardown(self) -> None:
        self.master.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(operator=st.sampled_from(OPERATORS), contestant=st.sampled_from(CONTESTANTS),
          values=st.fixed_dictionaries({c: VALUES for c in CRITERIA}),
          part=st.sets(st.sampled_from(CRITERIA), max_size=len(CRITERIA) - 1))
    def type_sheet(self, operator: str, contestant: str, values: dict[str, Decimal],
                   part: set[str]) -> None:
        """Type the whole sheet, or (a non-empty `part`) only some criteria."""
        typed = {c: v for c, v in values.items() if not part or c in part}
        size = len(self.master.ledger)
        try:
            PaperDesk(self.master, operator, clock=self.clock).enter(
                self.form, contestant, {c: str(v) for c, v in typed.items()})
        except ActionRefused:
            assert len(self.master.ledger) == size
            return
        assert len(self.master.ledger) > size
        self.typed[contestant].append((operator, typed))

    def _model(self, contestant: str) -> dict[str, Decimal] | None:
        """The agreed values, by a plain reading of the rule, or None if it does not count."""
        entries = self.typed[contestant]
        agreed: dict[str, Decimal] = {}
        for criterion in CRITERIA:
            for later in range(len(entries)):
                op_b, b = entries[later]
                found = [a[criterion] for op_a, a in entries[:later]
                         if op_a != op_b and criterion in a and a.get(criterion)
                         == b.get(criterion) and criterion in b]
                if found:
                    agreed[criterion] = found[0]
                    break
        return agreed if len(agreed) == len(CRITERIA) else None

    @invariant()
    def a_sheet_counts_iff_two_operators_agree(self) -> None:
        sheets = {s.contestant: s for s in current_sheets(self.master.ledger.conn)
                  if s.judge == "J1"}
        for contestant in CONTESTANTS:
            model = self._model(contestant)
            if model is None:
                assert contestant not in sheets
            else:
                assert dict(sheets[contestant].values) == model
                assert sheets[contestant].paper is not None

    @invariant()
    def the_ledger_replays_to_the_same_state(self) -> None:
        conn = self.master.ledger.conn
        self.files += 1
        assert rebuilt_projections(conn, self.folder / f"rebuilt-{self.files}.db") == \
            dump_projections(conn)


PaperMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=12, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_paper_entries = PaperMachine.TestCase
