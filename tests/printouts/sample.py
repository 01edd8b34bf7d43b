"""A printable record of the livestream final: the fixture's sheets and results, plus a
revision, an override, flags, an appeal and enrolment cards, as the ledger would hand them
to `printouts`. Deterministic: fixed keys, fixed times."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal as D
from pathlib import Path
from statistics import median

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from head_judge.paper import read_component, read_sheets
from head_judge.scoring import PanelSheet, tabulate
from printouts import (
    AppealDecision,
    AppealDossier,
    AppealNote,
    CheckpointRef,
    ContestantSheet,
    DiscrepancyReport,
    EnrolmentCard,
    Flag,
    HistoryEntry,
    Imprint,
    JudgeSheet,
    Override,
    ResultsSheet,
    Revision,
    Scope,
    ScoreSheet,
    Sheet,
    results_from,
    sign_checkpoint,
)
from printouts.model import FlagStatus
from printouts.words import plain
from sync.codes import EnrolmentCode
from sync.event import Event
from sync.event_file import load_event
from sync.identity import format_fingerprint, public_key_bytes

TZ = dt.timezone(dt.timedelta(hours=8))
PRINTED_AT = dt.datetime(2020, 9, 26, 16, 30, tzinfo=TZ)
MASTER_KEY = Ed25519PrivateKey.from_private_bytes(
    hashlib.sha256(b"finals-kiosk test master").digest())
MASTER_PUBLIC = public_key_bytes(MASTER_KEY)
FINGERPRINT = hashlib.sha256(b"finals-kiosk test master certificate").digest()
LEDGER_SIZE = 412

REVISED = ("J3", "L05", "pitch", D("18"), "录入错误 typo: 18 entered, 8 meant")
"""(judge, contestant, criterion, value in revision 1, reason): revision 2 is the fixture's."""
OVERRIDE = ("J4", "L08", "integrity", D("9"), "J4 confirmed the integrity score was misread")
"""(judge, contestant, criterion, value after override, reason)."""


def at(minute: int) -> str:
    return (dt.datetime(2020, 9, 26, 9, 0, tzinfo=TZ) + dt.timedelta(minutes=minute)).isoformat()


@dataclasses.dataclass(frozen=True)
class Record:
    event: Event
    scores: tuple[ScoreSheet, ...]
    overrides: tuple[Override, ...]
    scopes: tuple[Scope, ...]
    flags: tuple[Flag, ...]
    imprint: Imprint

    def placing(self, contestant: str):  # type: ignore[no-untyped-def]
        return next((p for s in self.scopes for p in s.ranking if p.contestant == contestant),
                    None)

    def judge_sheet(self, judge: str) -> JudgeSheet:
        return JudgeSheet(judge, tuple(s for s in self.scores if s.judge == judge),
                          tuple(o for o in self.overrides if o.judge == judge))

    def contestant_sheet(self, contestant: str) -> ContestantSheet:
        scope = next((s for s in self.scopes if contestant in
                      {p.contestant for p in s.ranking} | set(s.absent)), None)
        appeals = (AppealNote("A1", at(300), "产品推介分数未反映直播中的销售演示",
                              "rejected", "各评分签名有效，维持原成绩", at(330)),) \
            if contestant == "L05" else ()
        return ContestantSheet(contestant,
                               tuple(s for s in self.scores if s.contestant == contestant),
                               self.placing(contestant),
                               tuple(o for o in self.overrides if o.contestant == contestant),
                               absent=scope is not None and contestant in scope.absent,
                               scope=scope,
                               flags=tuple(f for f in self.flags if f.contestant == contestant),
                               appeals=appeals, head_judge="王建国")

    def results_sheet(self, index: int = 0, version: int | None = 1) -> ResultsSheet:
        return ResultsSheet(self.scopes[index], head_judge="王建国", notary="李静",
                            version=version, published_at=at(260) if version else "")

    def discrepancy_report(self) -> DiscrepancyReport:
        return DiscrepancyReport(self.flags, self.overrides, "王建国")

    def appeal(self, contestant: str = "L05", decided: bool = True) -> AppealDossier:
        scores = tuple(s for s in self.scores if s.contestant == contestant)
        history = [HistoryEntry(10 + i, s.revisions[0].at, s.judge, "sheet received",
                                f"revision 1, total {plain(s.revisions[0].total)}", "verified")
                   for i, s in enumerate(scores)]
        for s in scores:
            for r in s.revisions[1:]:
                history.append(HistoryEntry(200, r.at, s.judge, f"revision {r.number}",
                                            f"reason: {r.reason}", "verified"))
        history += [
            HistoryEntry(240, at(190), "head judge", "lock", "all sheets in, no open flags"),
            HistoryEntry(301, at(260), "head judge", "publish", "results version 1"),
            HistoryEntry(330, at(300), contestant, "appeal filed",
                         "the pitch score does not reflect the sales demonstration"),
        ]
        decision = AppealDecision(
            "rejected", "every sheet verifies; the revision was made before locking and its "
            "reason is recorded; the panel's scores stand", "head-judge",
            at(330), ("张伟", "李娜", "王磊")) if decided else None
        return AppealDossier(
            "A1", contestant, "产品推介分数未反映直播中的销售演示 The pitch score does not "
            "reflect the sales demonstration", f"{contestant} 本人", at(300), scores,
            tuple(history),
            (CheckpointRef(240, hashlib.sha256(b"cp240").hexdigest(), at(190)),
             CheckpointRef(301, hashlib.sha256(b"cp301").hexdigest(), at(260))),
            self.placing(contestant),
            tuple(o for o in self.overrides if o.contestant == contestant),
            ("若将 J3 产品推介改回 18：L05 评委评分 57.83 不变（J3 仍为最低分被去掉），"
             "名次不变。"
             "If J3's pitch were 18 again: L05's panel score stays 57.83 (J3 is still the "
             "lowest and dropped); no change to the ranking.",),
            decision, "王建国")

    def enrolment_cards(self) -> tuple[EnrolmentCard, ...]:
        cards = []
        for i, judge in enumerate(self.event.judges, start=1):
            digits = int.from_bytes(hashlib.sha256(bytes([i])).digest()[:8], "big") % 10**8
            code = EnrolmentCode(i, f"{digits:08d}")
            code_id = hashlib.sha256(b"code id %d" % i).hexdigest()[:32]
            cards.append(EnrolmentCard(judge.id, str(i), code.encode(),
                                       format_fingerprint(FINGERPRINT), at(-60 + 24 * 60),
                                       code_id))
        return tuple(cards)

    def pack(self) -> list[Sheet]:
        """Every sheet type: judge sheets, contestant sheets, results, report, appeal, cards."""
        sheets: list[Sheet] = [self.judge_sheet(j.id) for j in self.event.judges]
        sheets += [self.contestant_sheet(c.id) for c in self.event.contestants]
        sheets += [self.results_sheet(i) for i in range(len(self.scopes))]
        sheets += [self.discrepancy_report(), self.appeal(), *self.enrolment_cards()]
        return sheets


def imprint_for(event: Event, size: int = LEDGER_SIZE) -> Imprint:
    checkpoint = sign_checkpoint(MASTER_KEY, event=event.id, size=size,
                                 root=hashlib.sha256(f"root {size}".encode()).hexdigest(),
                                 at=PRINTED_AT.isoformat())
    return Imprint(PRINTED_AT, checkpoint)


def livestream(fixtures: Path, languages: tuple[str, ...] | None = None) -> Record:
    folder = fixtures / "livestream-final"
    event = load_event(folder / "event.toml")
    if languages:
        event = dataclasses.replace(event, languages=languages)
    panel = read_sheets(event, folder / "sheets.csv")
    data = read_component(event, "data", folder / "data.csv")
    scores = []
    overrides = []
    effective = []
    for minute, sheet in enumerate(panel):
        first = Revision(1, dict(sheet.values), _comment(sheet), None, at(minute))
        revisions = [first]
        judge, contestant, criterion, before, reason = REVISED
        if (sheet.judge, sheet.contestant) == (judge, contestant):
            revisions = [dataclasses.replace(first, values={**sheet.values, criterion: before}),
                         Revision(2, dict(sheet.values), first.comment, reason, at(minute + 90))]
        scores.append(ScoreSheet(sheet.judge, sheet.contestant, tuple(revisions)))
        values = dict(sheet.values)
        o_judge, o_contestant, o_criterion, after, o_reason = OVERRIDE
        if (sheet.judge, sheet.contestant) == (o_judge, o_contestant):
            overrides.append(Override(o_judge, o_contestant, o_criterion, values[o_criterion],
                                      after, o_reason, at(180), "王建国 head judge"))
            values[o_criterion] = after
        effective.append(PanelSheet(sheet.judge, sheet.contestant, values))
    results = tabulate(event, effective, {"data": data})
    return Record(event, tuple(scores), tuple(overrides), results_from(results),
                  _flags(event, effective), imprint_for(event))


def _comment(sheet: PanelSheet) -> str:
    if sheet.contestant == "L02":
        return ("镜头前表达自然，产品卖点讲解清楚；互动稍弱。"
                "Natural on camera, clear selling points; little interaction with viewers.")
    return ""


def _flags(event: Event, sheets: list[PanelSheet]) -> tuple[Flag, ...]:
    """The event's outlier and total-spread rules over the sheets, resolved in turn."""
    rules = event.discrepancy
    flags = []
    by_contestant: dict[str, list[PanelSheet]] = {}
    for s in sheets:
        by_contestant.setdefault(s.contestant, []).append(s)
    for contestant, group in sorted(by_contestant.items()):
        totals = {s.judge: s.total for s in group}
        spread = max(totals.values()) - min(totals.values())
        if rules.total_spread is not None and spread > rules.total_spread:
            ends = tuple(j for j, v in totals.items() if v in (min(totals.values()),
                                                                max(totals.values())))
            flags.append(("total_spread", contestant, ends,
                          f"totals {plain(min(totals.values()))}–{plain(max(totals.values()))}, "
                          f"spread {plain(spread)} > {rules.total_spread}"))
        middle = D(median(totals.values()))  # the whole panel's, that judge's own included
        for judge, total in totals.items():
            if rules.outlier is not None and abs(total - middle) > rules.outlier:
                flags.append(("outlier", contestant, (judge,),
                              f"{judge} total {plain(total)} vs the panel's median "
                              f"{plain(middle)}"))
    out = []
    for i, (rule, contestant, judges, detail) in enumerate(flags, start=1):
        status: FlagStatus = "reviewed" if i % 2 else "accepted"
        out.append(Flag(f"F{i}", contestant, rule, judges, detail, at(100 + i), status,
                        "评委确认评分无误 judge confirmed the sheet" if status == "reviewed"
                        else "差异属于正常评判范围 within normal judging range", at(130 + i)))
    return tuple(out)
