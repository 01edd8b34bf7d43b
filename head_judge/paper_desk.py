"""The paper desk: operators type judges' paper sheets into the master, twice, blind.

A judge without a laptop scores on the printed paper form (`head-judge print --sheet form`):
one form per judge, contestants in running order, recused ones struck, the form's sheet code
at the top. At the desk an operator types the form's code, then each row; a second operator
types the same rows again without seeing the first typing. Each typing is one
`paper_entered` ledger entry with the operator as its actor (`operator:NAME`). When two
operators agree on every criterion the sheet counts as the judge's sheet (the projections
settle it: `head_judge.double_entry`); when they differ, only the differing criteria are
named and a third operator types just those. Nothing counts until two agree.

A judge may switch from laptop to paper mid-final; a laptop sheet and a paper sheet for the
same contestant are a conflict that only the head judge resolves, with a reason
(`resolve_conflict`). Recusals, excused seats, withdrawals and locks refuse paper entries as
they refuse laptop sheets; discrepancy rules run on an agreed paper sheet as on any other, and
an agreed sheet answers the judge's open review.

It refuses a form code with a typo or that was never printed, a struck row, a criterion
off its step or range, a second typing by the same operator, criteria already agreed, and an
agreed sheet typed again without `revise`; a refusal writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from printouts.sheet_code import parse_sheet_code
from sync.clock import Clock, utc_now
from sync.codes import TypedCodeError
from sync.event import Contestant, Judge

from .actions import ActionRefused, HeadJudge, parse_score
from .double_entry import Entry, Settlement, settle
from .master import MASTER, Master
from .projections import WHOLE_FINAL, current_sheets, review_rows
from .scoring import plain

__all__ = ["FORM_KIND", "KEEP", "EntryOutcome", "FormRow", "PaperDesk", "PaperForm",
           "RowState", "operator_actor", "resolve_conflict"]

FORM_KIND = "form"
"""The `sheet_printed` kind of a blank paper form; its subject is the judge's id."""

KEEP = ("laptop", "paper")
"""What the head judge may keep when a judge has both a laptop and a paper sheet."""


def operator_actor(name: str) -> str:
    """The ledger actor of an operator's entries."""
    return f"operator:{name}"


@dataclass(frozen=True)
class FormRow:
    """A row of a judge's paper form: a contestant, struck when the judge is recused."""

    contestant: Contestant
    struck: bool


@dataclass(frozen=True)
class PaperForm:
    """A printed paper form: its sheet code, the judge, the rows in running order."""

    code: str
    judge: Judge
    rows: tuple[FormRow, ...]


@dataclass(frozen=True)
class RowState:
    """Where one row of a form stands for one operator.

    `status`: `struck` (recused), `excused` (seat excused or sheet withdrawn), `laptop` (the
    judge's laptop sheet is held and no paper entry yet), `agreed` (the paper sheet of
    `revision` counts), `new` (nothing typed in this round), `second` (typed once, by
    another operator), `settle` (typed twice, differing on `asked`), `typed` (this operator
    already typed this round and waits for another). `asked` are the criteria the operator
    types now (none when nothing is asked)."""

    contestant: Contestant
    status: str
    round: int
    asked: tuple[str, ...]
    conflict: bool = False

    @property
    def wanted(self) -> bool:
        return bool(self.asked)


@dataclass(frozen=True)
class EntryOutcome:
    """What one typing did: `agreed` when the sheet now counts (revision `round`),
    `differing` the criteria still differing, `conflict` when a laptop sheet for the same
    contestant is held beside it."""

    seq: int
    judge: str
    contestant: str
    round: int
    entries: int
    agreed: bool
    differing: tuple[str, ...]
    conflict: bool


def _form_row_status(desk: PaperDesk, judge: Judge, contestant: Contestant) -> str | None:
    event = desk.head.event
    if event.is_recused(judge, contestant):
        return "struck"
    conn = desk.master.ledger.conn
    for table, args in (("withdrawals", (judge.id, contestant.id)),
                        ("excusals", (judge.id, contestant.id)),
                        ("excusals", (judge.id, WHOLE_FINAL))):
        if conn.execute(f"SELECT 1 FROM {table} WHERE judge = ? AND contestant = ?",
                        args).fetchone() is not None:
            return "excused"
    return None


class PaperDesk:
    """One operator at the paper desk of a master."""

    def __init__(self, master: Master, operator: str, *, clock: Clock = utc_now) -> None:
        name = HeadJudge.required_text(operator, "what_operator")
        self.master = master
        self.operator = name
        self.head = HeadJudge(master, actor=operator_actor(name), clock=clock)

    # --- reading ------------------------------------------------------------------------------

    def form(self, code: str) -> PaperForm:
        """The printed form with this sheet code; refused for a typo or an unknown code."""
        typed = code.strip()
        try:
            shown = parse_sheet_code(typed)
        except TypedCodeError as exc:
            if exc.group is not None:
                raise ActionRefused("form_code_typo", code=typed, group=exc.group) from None
            raise ActionRefused("form_code_bad", code=typed) from None
        row = self.master.ledger.conn.execute(
            "SELECT subject FROM printed_sheets WHERE code = ? AND kind = ? "
            "ORDER BY ledger_seq DESC LIMIT 1", (shown, FORM_KIND)).fetchone()
        judge = self.head.event.judge(row[0]) if row is not None else None
        if judge is None:
            raise ActionRefused("no_form", code=shown)
        rows = tuple(FormRow(c, self.head.event.is_recused(judge, c))
                     for c in self.head.event.running_order())
        return PaperForm(shown, judge, rows)

    def _round(self, judge: str, contestant: str) -> tuple[int, int]:
        """(the agreed paper revision, 0 if none; the round being typed)."""
        conn = self.master.ledger.conn
        held = conn.execute("SELECT revision FROM paper_sheets WHERE judge = ? AND "
                            "contestant = ?", (judge, contestant)).fetchone()
        agreed = held[0] if held is not None else 0
        pending = conn.execute("SELECT MAX(round) FROM paper_entries WHERE judge = ? AND "
                               "contestant = ?", (judge, contestant)).fetchone()[0]
        return agreed, max(agreed + 1, pending or 0)

    def _entries(self, judge: str, contestant: str, round_: int) -> list[tuple[Entry, str]]:
        rows = self.master.ledger.conn.execute(
            "SELECT ledger_seq, operator, form, scores FROM paper_entries WHERE judge = ? AND "
            "contestant = ? AND round = ? ORDER BY ledger_seq",
            (judge, contestant, round_)).fetchall()
        return [(Entry(seq, operator, {c: Decimal(v) for c, v in json.loads(scores).items()}),
                 form) for seq, operator, form, scores in rows]

    def rows(self, form: PaperForm) -> list[RowState]:
        """Every row of the form as it stands for this operator, in the form's order."""
        judge = form.judge
        criteria = tuple(c.id for c in self.head.event.criteria)
        laptop = {s.contestant: s for s in current_sheets(self.master.ledger.conn)
                  if s.judge == judge.id}
        states: list[RowState] = []
        for row in form.rows:
            cid = row.contestant.id
            status = _form_row_status(self, judge, row.contestant)
            agreed, round_ = self._round(judge.id, cid)
            held = laptop.get(cid)
            conflict = held is not None and held.conflict
            if status is not None:
                states.append(RowState(row.contestant, status, round_, ()))
                continue
            entries = self._entries(judge.id, cid, round_) if round_ > agreed else []
            if not entries:
                status = ("agreed" if agreed else
                          "laptop" if held is not None and held.paper is None else "new")
                asked = criteria if status == "new" else ()
                states.append(RowState(row.contestant, status, agreed or round_, asked,
                                       conflict))
                continue
            settled = settle([e for e, _ in entries])
            if any(e.operator == self.operator for e, _ in entries):
                states.append(RowState(row.contestant, "typed", round_, (), conflict))
            elif len(entries) == 1:
                states.append(RowState(row.contestant, "second", round_, criteria, conflict))
            else:
                states.append(RowState(row.contestant, "settle", round_,
                                       tuple(c for c in criteria if c in settled.open),
                                       conflict))
        return states

    # --- typing -------------------------------------------------------------------------------

    def enter(self, code: str, contestant: str, values: Mapping[str, str | Decimal], *,
              revise: bool = False) -> EntryOutcome:
        """Record one typing of the judge's paper sheet for `contestant` from the form
        `code`. `revise` starts the next revision of a sheet already agreed (the judge
        corrected it after a review)."""
        head = self.head
        at = head.timestamp()
        with self.master.write():
            form = self.form(code)
            judge, contestant_ = form.judge, head.contestant(contestant)
            status = _form_row_status(self, judge, contestant_)
            if status == "struck":
                raise ActionRefused("form_struck", judge=judge.id, contestant=contestant_.id)
            if status == "excused":
                raise ActionRefused("paper_excused", judge=judge.id, contestant=contestant_.id)
            head._unlocked(contestant_.id, "doing_paper_entry")
            typed = self._values(values)
            agreed, round_ = self._round(judge.id, contestant_.id)
            entries = self._entries(judge.id, contestant_.id, round_) if round_ > agreed \
                else []
            if agreed and not entries and not revise:
                raise ActionRefused("paper_agreed_already", judge=judge.id,
                                    contestant=contestant_.id, revision=agreed)
            if any(e.operator == self.operator for e, _ in entries):
                raise ActionRefused("paper_twice", operator=self.operator, judge=judge.id,
                                    contestant=contestant_.id, round=round_)
            if entries and entries[0][1] != form.code:
                raise ActionRefused("paper_other_form", first=entries[0][1], form=form.code)
            self._check_fields(typed, settle([e for e, _ in entries]), len(entries))
            entry = head.record("paper_entered", {
                "judge": judge.id, "contestant": contestant_.id, "round": round_,
                "form": form.code, "operator": self.operator,
                "values": {c: plain(v) for c, v in typed.items()}}, at)
            now = settle([e for e, _ in self._entries(judge.id, contestant_.id, round_)])
            if now.complete:
                self._agreed(judge.id, contestant_.id, round_, entry.seq, at)
            sheet = next((s for s in current_sheets(self.master.ledger.conn, contestant_.id)
                          if s.judge == judge.id), None)
        return EntryOutcome(entry.seq, judge.id, contestant_.id, round_, len(entries) + 1,
                            now.complete, now.differing,
                            sheet is not None and sheet.conflict)

    def _values(self, values: Mapping[str, str | Decimal]) -> dict[str, Decimal]:
        event = self.head.event
        typed: dict[str, Decimal] = {}
        for name, raw in values.items():
            criterion = self.head.criterion(name)
            value = parse_score(raw)
            if value is None:
                raise ActionRefused("not_a_score", value=repr(raw))
            if value < 0 or value > criterion.max:  # the criterion named as on the form
                raise ActionRefused("value_out_of_range", criterion=criterion.name,
                                    value=value, max=criterion.max)
            if value % criterion.step != 0:
                raise ActionRefused("value_off_step", criterion=criterion.name, value=value,
                                    step=criterion.step)
            typed[criterion.id] = value
        if not typed:
            raise ActionRefused("paper_no_values")
        order = [c.id for c in event.criteria]
        return {c: typed[c] for c in order if c in typed}

    def _check_fields(self, typed: Mapping[str, Decimal], so_far: Settlement,
                      entries: int) -> None:
        criteria = [c.id for c in self.head.event.criteria]
        if entries < 2:
            missing = [c for c in criteria if c not in typed]
            if missing:
                raise ActionRefused("paper_missing", criteria=missing)
            return
        settled = [c for c in typed if c in so_far.agreed]
        if settled:
            raise ActionRefused("paper_only_open", criteria=settled, open=list(so_far.open))

    def _agreed(self, judge: str, contestant: str, round_: int, cause: int, at: str) -> None:
        """A paper sheet now counts: run the discrepancy rules, answer open reviews."""
        conn = self.master.ledger.conn
        sheet = conn.execute("SELECT hash FROM paper_sheets WHERE judge = ? AND "
                             "contestant = ?", (judge, contestant)).fetchone()[0]
        for review in review_rows(conn, status="open", judge=judge, contestant=contestant):
            self.master.ledger.append("review_answered", MASTER, {
                "review": review.id, "judge": judge, "contestant": contestant,
                "sheet": sheet, "revision": round_, "reason": ""}, at)
        self.master.reevaluate_flags(contestant, cause, at)


def resolve_conflict(head: HeadJudge, judge: str, contestant: str, keep: str,
                     reason: str) -> int:
    """The head judge keeps a judge's laptop sheet or paper sheet for a contestant when both
    are held; the other no longer counts (until a newer revision of it arrives). One
    `sheet_conflict_resolved` entry; flags are evaluated again. Returns its position."""
    at = head.timestamp()
    with head.master.write():
        judge_, contestant_ = head.panel_pair(judge, contestant)
        if keep not in KEEP:
            raise ActionRefused("conflict_keep", keep=repr(keep))
        conn = head.master.ledger.conn
        laptop = conn.execute("SELECT hash FROM sheets WHERE judge = ? AND contestant = ?",
                              (judge_.id, contestant_.id)).fetchone()
        paper = conn.execute("SELECT hash FROM paper_sheets WHERE judge = ? AND "
                             "contestant = ?", (judge_.id, contestant_.id)).fetchone()
        current = [s for s in current_sheets(conn, contestant_.id) if s.judge == judge_.id]
        if laptop is None or paper is None or not current or not current[0].conflict:
            raise ActionRefused("no_conflict", judge=judge_.id, contestant=contestant_.id)
        head._unlocked(contestant_.id, "doing_override")
        text = head.required_text(reason, "what_conflict_reason")
        kept, set_aside = (paper[0], laptop[0]) if keep == "paper" else (laptop[0], paper[0])
        entry = head.record("sheet_conflict_resolved", {
            "judge": judge_.id, "contestant": contestant_.id, "keep": keep, "kept": kept,
            "set_aside": set_aside, "reason": text}, at)
        head.master.reevaluate_flags(contestant_.id, entry.seq, at)
    return entry.seq


def form_codes(master: Master) -> Sequence[tuple[str, str]]:
    """(code, judge) of every printed paper form, the latest print of each judge first."""
    return master.ledger.conn.execute(
        "SELECT code, subject FROM printed_sheets WHERE kind = ? ORDER BY ledger_seq DESC",
        (FORM_KIND,)).fetchall()
