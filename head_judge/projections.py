"""The master's projection tables: what the ledger says now, table by table.

`MasterProjections` creates the tables and applies one ledger entry at a time, one handler per
entry kind. Handlers read only the entry and the tables themselves (never the clock, the
event file or another entry), so replaying the ledger into empty tables (`Ledger.rebuild`)
reproduces them exactly; an entry kind without a handler is refused rather than skipped. The
read functions below turn rows back into typed values (`Decimal`, never float) for the
master, the head judge's actions and the appeals.

It decides nothing: what may be appended is checked before the append (`head_judge.master`,
`head_judge.actions`, `head_judge.appeals`); a handler only records the consequence.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sync.canonical import canonical_bytes, canonical_text_of_parsed, sha256_hex
from sync.records import Receipt

from .checkpoints import CHECKPOINT_KIND, PROMOTED_KIND
from .discrepancy import Flag
from .double_entry import Entry as PaperEntry
from .double_entry import settle
from .ledger import Entry, LedgerError
from .refusals import UNTRANSLATED, recorded
from .scoring import TieDecision, plain

__all__ = [
    "PROJECTION_VERSION",
    "WHOLE_FINAL",
    "AppealRow",
    "CheckpointRow",
    "CurrentSheet",
    "Evidence",
    "ExcusalRow",
    "FlagRow",
    "LockRow",
    "MasterProjections",
    "OverrideRow",
    "PaperOrigin",
    "PublicationRow",
    "ReplyRow",
    "ReviewRow",
    "VoteRow",
    "WithdrawalRow",
    "appeal_rows",
    "checkpoint_rows",
    "component_values",
    "current_sheets",
    "excusal_rows",
    "flag_rows",
    "lock_rows",
    "official_versions",
    "override_rows",
    "paper_sheet_hash",
    "publication_rows",
    "reply_rows",
    "review_rows",
    "scope_column",
    "tie_decisions",
    "vote_rows",
    "withdrawal_rows",
]

PROJECTION_VERSION: Final = 12
"""Bumped whenever a table's shape changes; a master file built with another version has its
projections rebuilt from the ledger when it is opened (`PRAGMA user_version`)."""

_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS event_config (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        event_id TEXT NOT NULL, digest TEXT NOT NULL, snapshot TEXT NOT NULL,
        ledger_seq INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS seats (
        judge TEXT PRIMARY KEY, code_id TEXT, code_expires TEXT, code_seq INTEGER,
        used_code TEXT, used_device TEXT,
        failures INTEGER NOT NULL DEFAULT 0, locked INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE IF NOT EXISTS devices (
        device TEXT PRIMARY KEY, judge TEXT NOT NULL, public_key TEXT NOT NULL,
        name TEXT NOT NULL, enrolled_seq INTEGER NOT NULL, revoked_seq INTEGER)""",
    # Every record a device signed that the master holds: sheets and confirmations.
    """CREATE TABLE IF NOT EXISTS records (
        device TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL, judge TEXT NOT NULL, contestant TEXT NOT NULL,
        revision INTEGER, ledger_seq INTEGER NOT NULL, receipt_body TEXT NOT NULL,
        receipt_sig TEXT NOT NULL, PRIMARY KEY (device, seq))""",
    # The current revision of each judge's sheet for each contestant; `scores` is the
    # canonical JSON of its values as signed (criterion id -> plain number text).
    """CREATE TABLE IF NOT EXISTS sheets (
        judge TEXT NOT NULL, contestant TEXT NOT NULL, hash TEXT NOT NULL,
        revision INTEGER NOT NULL, device TEXT NOT NULL, ledger_seq INTEGER NOT NULL,
        scores TEXT NOT NULL, PRIMARY KEY (judge, contestant))""",
    """CREATE TABLE IF NOT EXISTS locks (
        contestant TEXT PRIMARY KEY, ledger_seq INTEGER NOT NULL, reason TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS notices (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, judge TEXT, payload TEXT NOT NULL,
        ledger_seq INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS alarms (
        ledger_seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, device TEXT, detail TEXT NOT NULL)""",
    # A flag's id is the ledger position of its `flag_raised` entry.
    """CREATE TABLE IF NOT EXISTS flags (
        id INTEGER PRIMARY KEY, flag_key TEXT NOT NULL, contestant TEXT NOT NULL,
        rule TEXT NOT NULL, criterion TEXT, judges TEXT NOT NULL, compared TEXT NOT NULL,
        difference TEXT NOT NULL, threshold TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'cleared')),
        raised_by INTEGER, accepted_seq INTEGER, note TEXT, cleared_seq INTEGER,
        cleared_by INTEGER)""",
    """CREATE TABLE IF NOT EXISTS reviews (
        id INTEGER PRIMARY KEY, contestant TEXT NOT NULL, judge TEXT NOT NULL, flag INTEGER,
        note TEXT NOT NULL, sheet TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'answered', 'closed')),
        answer_seq INTEGER, answer_record TEXT, answer_text TEXT)""",
    """CREATE TABLE IF NOT EXISTS overrides (
        id INTEGER PRIMARY KEY, judge TEXT NOT NULL, contestant TEXT NOT NULL,
        criterion TEXT NOT NULL, sheet TEXT NOT NULL, revision INTEGER NOT NULL,
        old_value TEXT NOT NULL, new_value TEXT NOT NULL, reason TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('in_force', 'replaced', 'lapsed')),
        ended_seq INTEGER)""",
    """CREATE TABLE IF NOT EXISTS withdrawals (
        judge TEXT NOT NULL, contestant TEXT NOT NULL, sheet TEXT, reason TEXT NOT NULL,
        ledger_seq INTEGER NOT NULL, PRIMARY KEY (judge, contestant))""",
    # A judge's seat excused (`seat_excused`): for one contestant, or for every contestant
    # of the final when `contestant` is WHOLE_FINAL ('*').
    """CREATE TABLE IF NOT EXISTS excusals (
        judge TEXT NOT NULL, contestant TEXT NOT NULL, reason TEXT NOT NULL,
        ledger_seq INTEGER NOT NULL, PRIMARY KEY (judge, contestant))""",
    """CREATE TABLE IF NOT EXISTS components (
        component TEXT NOT NULL, contestant TEXT NOT NULL, value TEXT NOT NULL,
        ledger_seq INTEGER NOT NULL, PRIMARY KEY (component, contestant))""",
    # `contestants`: the tied contestant ids, sorted, joined by ",". `grp` '' for no group.
    # `contestants`: the tied contestants' ids (or organisations' names), a JSON list.
    """CREATE TABLE IF NOT EXISTS tie_decisions (
        contestants TEXT PRIMARY KEY, track TEXT NOT NULL, grp TEXT NOT NULL,
        kind TEXT NOT NULL, tie_order TEXT NOT NULL, reason TEXT NOT NULL,
        ledger_seq INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS publications (
        track TEXT NOT NULL, grp TEXT NOT NULL, version INTEGER NOT NULL,
        document TEXT NOT NULL, reason TEXT NOT NULL, ledger_seq INTEGER NOT NULL,
        at TEXT NOT NULL, PRIMARY KEY (track, grp, version))""",
    # An appeal's id is the ledger position of its `appeal_filed` entry.
    """CREATE TABLE IF NOT EXISTS appeals (
        id INTEGER PRIMARY KEY, contestant TEXT NOT NULL, ground TEXT NOT NULL,
        filed_by TEXT NOT NULL, filed_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected', 'withdrawn')),
        decision_reason TEXT, decided_by TEXT, decided_at TEXT, decided_seq INTEGER,
        category TEXT NOT NULL, evidence TEXT NOT NULL, late_reason TEXT)""",
    # One vote per committee member and appeal (`appeal_voted`); `conflict`: the member
    # declared a conflict of interest, and the vote does not count.
    """CREATE TABLE IF NOT EXISTS appeal_votes (
        appeal INTEGER NOT NULL, member TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('upheld', 'rejected', 'abstain')),
        conflict INTEGER NOT NULL, ledger_seq INTEGER NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (appeal, member))""",
    """CREATE TABLE IF NOT EXISTS appeal_replies (
        ledger_seq INTEGER PRIMARY KEY, appeal INTEGER NOT NULL, contestant TEXT NOT NULL,
        reply TEXT NOT NULL, at TEXT NOT NULL)""",
    # A published version that became official: its appeal window closed with no appeal
    # open and no upheld correction waiting for a new version (`results_official`).
    """CREATE TABLE IF NOT EXISTS officials (
        track TEXT NOT NULL, grp TEXT NOT NULL, version INTEGER NOT NULL,
        ledger_seq INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (track, grp, version))""",
    """CREATE TABLE IF NOT EXISTS checkpoints (
        ledger_seq INTEGER PRIMARY KEY, size INTEGER NOT NULL, root TEXT NOT NULL,
        at TEXT NOT NULL, reason TEXT NOT NULL)""",
    # One row per printed sheet (`sheet_printed`); its content stays in the ledger entry.
    # `checkpoint_seq` is the signed checkpoint it was printed at, covering `size` entries.
    """CREATE TABLE IF NOT EXISTS printed_sheets (
        ledger_seq INTEGER PRIMARY KEY, code TEXT NOT NULL, kind TEXT NOT NULL,
        subject TEXT NOT NULL, digest TEXT NOT NULL, checkpoint_seq INTEGER NOT NULL,
        size INTEGER NOT NULL, at TEXT NOT NULL)""",
    # Paper sheets typed into the master (`paper_entered`), one row per operator's typing;
    # `round` is the paper revision the typing is for, `scores` the criteria typed.
    """CREATE TABLE IF NOT EXISTS paper_entries (
        ledger_seq INTEGER PRIMARY KEY, judge TEXT NOT NULL, contestant TEXT NOT NULL,
        round INTEGER NOT NULL, operator TEXT NOT NULL, form TEXT NOT NULL,
        scores TEXT NOT NULL)""",
    # The current agreed revision of a judge's paper sheet for a contestant: the values two
    # operators' entries agreed on (`head_judge.double_entry`), the entries and operators
    # that made it, the form they were typed from; `ledger_seq` the entry that completed it.
    """CREATE TABLE IF NOT EXISTS paper_sheets (
        judge TEXT NOT NULL, contestant TEXT NOT NULL, hash TEXT NOT NULL,
        revision INTEGER NOT NULL, form TEXT NOT NULL, operators TEXT NOT NULL,
        entries TEXT NOT NULL, ledger_seq INTEGER NOT NULL, scores TEXT NOT NULL,
        PRIMARY KEY (judge, contestant))""",
    # The head judge's choice between a judge's laptop sheet and paper sheet for one
    # contestant (`sheet_conflict_resolved`): `set_aside` is the hash of the sheet that does
    # not count; a newer revision of it is a new conflict.
    """CREATE TABLE IF NOT EXISTS sheet_choices (
        judge TEXT NOT NULL, contestant TEXT NOT NULL, keep TEXT NOT NULL,
        set_aside TEXT NOT NULL, reason TEXT NOT NULL, ledger_seq INTEGER NOT NULL,
        PRIMARY KEY (judge, contestant))""",
    # The figures last revealed to the hall for each contestant (`contestant_revealed`).
    """CREATE TABLE IF NOT EXISTS reveals (
        contestant TEXT PRIMARY KEY, ledger_seq INTEGER NOT NULL, at TEXT NOT NULL,
        figures TEXT NOT NULL)""",
    # Blind judging: each contestant's draw number (`draw_made`, the latest draw replaces
    # every row) and the head judge's reveal of identities (`identities_revealed`).
    """CREATE TABLE IF NOT EXISTS draws (
        contestant TEXT PRIMARY KEY, draw TEXT NOT NULL, ledger_seq INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS identities_revealed (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1), ledger_seq INTEGER NOT NULL,
        at TEXT NOT NULL, reason TEXT NOT NULL)""",
    # Ingest reads one contestant's sheets, flags, reviews and overrides for every sheet.
    "CREATE INDEX IF NOT EXISTS sheets_by_contestant ON sheets (contestant)",
    "CREATE INDEX IF NOT EXISTS flags_by_contestant ON flags (contestant)",
    "CREATE INDEX IF NOT EXISTS reviews_by_contestant ON reviews (contestant)",
    "CREATE INDEX IF NOT EXISTS overrides_by_contestant ON overrides (contestant)",
)


def _json(obj: object) -> str:
    """Canonical text of part of an entry's payload (read back from canonical bytes)."""
    return canonical_text_of_parsed(obj)


def scope_column(group: str | None) -> str:
    """How a scope's group is stored in a key column: '' for "no group"."""
    return group or ""


def add_notice(conn: sqlite3.Connection, entry: Entry, kind: str, judge: str | None,
               payload: Mapping[str, Any]) -> None:
    conn.execute("INSERT INTO notices (kind, judge, payload, ledger_seq) VALUES (?, ?, ?, ?)",
                 (kind, judge, _json(dict(payload)), entry.seq))


class MasterProjections:
    """The master's projection tables and one `apply` handler per ledger entry kind."""

    version: Final = PROJECTION_VERSION
    tables: Final = ("event_config", "seats", "devices", "records", "sheets", "locks",
                     "notices", "alarms", "flags", "reviews", "overrides", "withdrawals",
                     "excusals", "components", "tie_decisions", "publications", "appeals",
                     "appeal_votes", "appeal_replies", "officials", "checkpoints",
                     "printed_sheets", "paper_entries", "paper_sheets", "sheet_choices",
                     "reveals", "draws", "identities_revealed")

    def __init__(self) -> None:
        # Each contestant's panel in force (`panel`), kept between writes for the discrepancy
        # rules that run on every sheet; valid while only this connection writes the file.
        self._panels: dict[str, _Panel] = {}
        self._data_version: int | None = None
        self._handlers: dict[str, Callable[[sqlite3.Connection, Entry], None]] = {
            "event_loaded": self._event_loaded,
            "event_changed": self._event_changed,
            "codes_issued": self._codes_issued,
            "enrol_failed": self._enrol_failed,
            "seat_locked": self._seat_locked,
            "seat_reopened": self._seat_reopened,
            "device_enrolled": self._device_enrolled,
            "device_confirmed": self._device_confirmed,
            "on_stage": self._on_stage,
            "device_revoked": self._device_revoked,
            "sheet_received": self._sheet_received,
            "alarm": self._alarm,
            CHECKPOINT_KIND: self._checkpoint,
            "succession": self._succession,
            PROMOTED_KIND: self._promoted,
            "flag_raised": self._flag_raised,
            "flag_cleared": self._flag_cleared,
            "flag_accepted": self._flag_accepted,
            "flags_accepted": self._flags_accepted,
            "review_requested": self._review_requested,
            "review_confirmed": self._review_confirmed,
            "review_answered": self._review_answered,
            "review_closed": self._review_closed,
            "value_overridden": self._value_overridden,
            "sheet_withdrawn": self._sheet_withdrawn,
            "seat_excused": self._seat_excused,
            "seat_restored": self._seat_restored,
            "contestant_locked": self._contestant_locked,
            "contestants_locked": self._contestants_locked,
            "contestant_unlocked": self._contestant_unlocked,
            "components_imported": self._components_imported,
            "tie_decided": self._tie_decided,
            "results_published": self._results_published,
            "appeal_filed": self._appeal_filed,
            "appeal_decided": self._appeal_decided,
            "appeal_withdrawn": self._appeal_withdrawn,
            "appeal_voted": self._appeal_voted,
            "appeal_replied": self._appeal_replied,
            "results_official": self._results_official,
            "sheet_printed": self._sheet_printed,
            "paper_entered": self._paper_entered,
            "sheet_conflict_resolved": self._sheet_conflict_resolved,
            "contestant_revealed": self._contestant_revealed,
            "draw_made": self._draw_made,
            "identities_revealed": self._identities_revealed,
        }

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def create(self, conn: sqlite3.Connection) -> None:
        for statement in _SCHEMA:
            conn.execute(statement)
        self._panels.clear()

    def apply(self, conn: sqlite3.Connection, entry: Entry) -> None:
        handler = self._handlers.get(entry.kind)
        if handler is None:
            raise LedgerError("ledger_unknown_kind", seq=entry.seq, kind=repr(entry.kind))
        handler(conn, entry)
        if entry.kind in _PANELS_KEPT_BY_HANDLER or entry.kind in _PANEL_NEUTRAL:
            return
        if entry.kind in _PANEL_OF_ONE_CONTESTANT:
            self._panels.pop(entry.payload["contestant"], None)
        else:
            self._panels.clear()

    def began(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:  # another connection wrote: read panels afresh
            self._panels.clear()
            self._data_version = version

    def rolled_back(self) -> None:
        self._panels.clear()

    def panel(self, conn: sqlite3.Connection, contestant: str
              ) -> Mapping[str, Mapping[str, Decimal]]:
        """Judge -> values in force (overrides applied) of the contestant's sheets that are
        not withdrawn: what `current_sheets` says, kept in memory and followed entry by entry.
        Only inside a write transaction, where no other connection can change the file."""
        if contestant not in self._panels:
            self.read_panels(conn, [contestant])
        return self._panels[contestant].in_force

    def read_panels(self, conn: sqlite3.Connection, contestants: Iterable[str]) -> None:
        """Read the panels of these contestants that are not kept yet, a few hundred to a
        query rather than one query each (a big push after the panels were forgotten: a
        restarted master, another connection's write). Only inside a write transaction."""
        missing = [c for c in dict.fromkeys(contestants) if c not in self._panels]
        for start in range(0, len(missing), _PANELS_PER_QUERY):
            chunk = missing[start:start + _PANELS_PER_QUERY]
            sheets: dict[str, list[CurrentSheet]] = {c: [] for c in chunk}
            for sheet in _current_sheets(conn, chunk):
                sheets[sheet.contestant].append(sheet)
            for contestant, theirs in sheets.items():
                self._panels[contestant] = _Panel(theirs)

    # --- event, seats, devices ----------------------------------------------------------------

    @staticmethod
    def _seat_row(conn: sqlite3.Connection, judge: str) -> None:
        conn.execute("INSERT OR IGNORE INTO seats (judge) VALUES (?)", (judge,))

    def _event_loaded(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO event_config (singleton, event_id, digest, snapshot, ledger_seq) "
            "VALUES (1, ?, ?, ?, ?)",
            (p["event_id"], p["digest"], _json(p["event"]), entry.seq))

    def _event_changed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE event_config SET digest = ?, snapshot = ?, ledger_seq = ? WHERE singleton = 1",
            (p["digest"], _json(p["event"]), entry.seq))
        add_notice(conn, entry, "event_changed", None,
                   {"event_digest": p["digest"], "event": p["event"]})

    def _codes_issued(self, conn: sqlite3.Connection, entry: Entry) -> None:
        for code in entry.payload["codes"]:
            self._seat_row(conn, code["seat"])
            conn.execute(
                "UPDATE seats SET code_id = ?, code_expires = ?, code_seq = ? WHERE judge = ?",
                (code["code_id"], code["expires"], entry.seq, code["seat"]))

    def _enrol_failed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        seat = entry.payload["seat"]
        self._seat_row(conn, seat)
        conn.execute("UPDATE seats SET failures = failures + 1 WHERE judge = ?", (seat,))

    def _seat_locked(self, conn: sqlite3.Connection, entry: Entry) -> None:
        seat = entry.payload["seat"]
        self._seat_row(conn, seat)
        conn.execute("UPDATE seats SET locked = 1 WHERE judge = ?", (seat,))

    def _seat_reopened(self, conn: sqlite3.Connection, entry: Entry) -> None:
        seat = entry.payload["seat"]
        self._seat_row(conn, seat)
        conn.execute("UPDATE seats SET locked = 0, failures = 0 WHERE judge = ?", (seat,))

    def _device_enrolled(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO devices (device, judge, public_key, name, enrolled_seq) "
            "VALUES (?, ?, ?, ?, ?)",
            (p["device"], p["judge"], p["public_key"], p["device_name"], entry.seq))
        self._seat_row(conn, p["judge"])
        conn.execute(
            "UPDATE seats SET code_id = NULL, code_expires = NULL, code_seq = NULL, "
            "used_code = ?, used_device = ?, failures = 0 WHERE judge = ?",
            (p["code"], p["device"], p["judge"]))

    def _on_stage(self, conn: sqlite3.Connection, entry: Entry) -> None:
        add_notice(conn, entry, "on_stage", None, {"contestant": entry.payload["contestant"]})

    def _device_confirmed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE seats SET code_id = NULL, code_expires = NULL, code_seq = NULL, "
            "used_code = ?, used_device = ?, failures = 0 WHERE judge = ?",
            (p["code"], p["device"], p["judge"]))

    def _device_revoked(self, conn: sqlite3.Connection, entry: Entry) -> None:
        conn.execute("UPDATE devices SET revoked_seq = ? WHERE device = ?",
                     (entry.seq, entry.payload["device"]))

    # --- judges' signed records ---------------------------------------------------------------

    @staticmethod
    def _record_row(conn: sqlite3.Connection, entry: Entry, body: Mapping[str, Any]) -> None:
        p = entry.payload
        receipt = Receipt(event=body["event"], device=p["device"], seq=body["seq"],
                          record=p["hash"], ledger=entry.seq, at=entry.at)
        conn.execute(
            "INSERT INTO records (device, seq, hash, kind, judge, contestant, revision, "
            "ledger_seq, receipt_body, receipt_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (p["device"], body["seq"], p["hash"], body["kind"], body["judge"],
             body["contestant"], body.get("revision"), entry.seq, _json(receipt.body()),
             p["receipt_sig"]))

    def _sheet_received(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        body = json.loads(p["body"])  # validated and canonical when it was appended
        self._record_row(conn, entry, body)
        conn.execute(
            "INSERT OR REPLACE INTO sheets (judge, contestant, hash, revision, device, "
            "ledger_seq, scores) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (body["judge"], body["contestant"], p["hash"], body["revision"], p["device"],
             entry.seq, scores := _json(body["values"])))
        # An override applies to the revision it was made on; the judge's next one replaces it.
        conn.execute(
            "UPDATE overrides SET status = 'lapsed', ended_seq = ? "
            "WHERE judge = ? AND contestant = ? AND status = 'in_force'",
            (entry.seq, body["judge"], body["contestant"]))
        panel = self._panels.get(body["contestant"])
        if panel is None:
            return
        if conn.execute("SELECT 1 FROM paper_sheets WHERE judge = ? AND contestant = ?",
                        (body["judge"], body["contestant"])).fetchone() is not None:
            del self._panels[body["contestant"]]  # beside a paper sheet: which counts is read
        else:  # the new revision's values are in force: overrides lapsed
            panel.sheet(body["judge"], _values(scores))

    def _review_confirmed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        body = json.loads(p["body"])
        self._record_row(conn, entry, body)
        conn.execute(
            "UPDATE reviews SET status = 'confirmed', answer_seq = ?, answer_record = ?, "
            "answer_text = ? WHERE id = ?",
            (entry.seq, p["hash"], body["comment"], p["review"]))

    def _alarm(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute("INSERT INTO alarms (ledger_seq, kind, device, detail) VALUES (?, ?, ?, ?)",
                     (entry.seq, p["alarm"], p.get("device"), p["detail"]))

    def _checkpoint(self, conn: sqlite3.Connection, entry: Entry) -> None:
        body = json.loads(entry.payload["checkpoint"]["body"])
        conn.execute(
            "INSERT INTO checkpoints (ledger_seq, size, root, at, reason) VALUES (?, ?, ?, ?, ?)",
            (entry.seq, body["size"], body["root"], body["at"], entry.payload["reason"]))
        # Every terminal keeps a copy: a later rewrite of history contradicts them.
        add_notice(conn, entry, "checkpoint", None, {"checkpoint": entry.payload["checkpoint"],
                                                     "reason": entry.payload["reason"]})

    def _succession(self, conn: sqlite3.Connection, entry: Entry) -> None:
        # Every terminal keeps the signed record: the one successor key it will accept.
        add_notice(conn, entry, "succession", None, {"succession": entry.payload["record"]})

    def _promoted(self, conn: sqlite3.Connection, entry: Entry) -> None:
        """The standby took over: nothing to project (`checkpoints.MasterKeys` reads the
        keys from the ledger itself)."""

    # --- discrepancies and reviews ------------------------------------------------------------

    def _flag_raised(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO flags (id, flag_key, contestant, rule, criterion, judges, compared, "
            "difference, threshold, status, raised_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (entry.seq, p["key"], p["contestant"], p["rule"], p["criterion"],
             _json(p["judges"]), _json(p["values"]), p["difference"], p["threshold"],
             p["cause"]))

    def _flag_cleared(self, conn: sqlite3.Connection, entry: Entry) -> None:
        conn.execute(
            "UPDATE flags SET status = 'cleared', cleared_seq = ?, cleared_by = ? WHERE id = ?",
            (entry.seq, entry.payload["cause"], entry.payload["flag"]))

    def _flag_accepted(self, conn: sqlite3.Connection, entry: Entry) -> None:
        conn.execute(
            "UPDATE flags SET status = 'accepted', accepted_seq = ?, note = ? WHERE id = ?",
            (entry.seq, entry.payload["note"], entry.payload["flag"]))

    def _flags_accepted(self, conn: sqlite3.Connection, entry: Entry) -> None:
        for flag in entry.payload["flags"]:
            conn.execute(
                "UPDATE flags SET status = 'accepted', accepted_seq = ?, note = ? WHERE id = ?",
                (entry.seq, entry.payload["note"], flag))

    def _review_requested(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO reviews (id, contestant, judge, flag, note, sheet, status) "
            "VALUES (?, ?, ?, ?, ?, ?, 'open')",
            (entry.seq, p["contestant"], p["judge"], p["flag"], p["note"], p["sheet"]))
        rule: dict[str, Any] = {}
        if p["flag"] is not None:
            flag = conn.execute("SELECT rule, criterion, difference, threshold FROM flags "
                                "WHERE id = ?", (p["flag"],)).fetchone()
            if flag is not None:  # the judge sees which rule fired, not others' values
                rule = dict(zip(("rule", "criterion", "difference", "threshold"), flag,
                                strict=True))
        add_notice(conn, entry, "review_request", p["judge"], {
            "review": entry.seq, "contestant": p["contestant"], "flag": p["flag"],
            "note": p["note"], "sheet": p["sheet"], **rule})

    def _review_answered(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE reviews SET status = 'answered', answer_seq = ?, answer_record = ?, "
            "answer_text = ? WHERE id = ?",
            (entry.seq, p["sheet"], p["reason"], p["review"]))

    def _review_closed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE reviews SET status = 'closed', answer_seq = ?, answer_text = ? WHERE id = ?",
            (entry.seq, p["reason"], p["review"]))
        # the reason as the master wrote it (English, for terminals that know no more) and
        # the message it was written from, which the terminal says in its own language
        why = recorded(p["reason"])
        said = {} if why.id == UNTRANSLATED else {
            "reason_id": why.id, "reason_params": dict(why.params)}
        add_notice(conn, entry, "review_closed", p["judge"], {
            "review": p["review"], "contestant": p["contestant"], "reason": p["reason"],
            **said})

    # --- the head judge's changes to numbers --------------------------------------------------

    def _value_overridden(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE overrides SET status = 'replaced', ended_seq = ? WHERE judge = ? AND "
            "contestant = ? AND criterion = ? AND status = 'in_force'",
            (entry.seq, p["judge"], p["contestant"], p["criterion"]))
        conn.execute(
            "INSERT INTO overrides (id, judge, contestant, criterion, sheet, revision, "
            "old_value, new_value, reason, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_force')",
            (entry.seq, p["judge"], p["contestant"], p["criterion"], p["sheet"],
             p["revision"], p["old"], p["new"], p["reason"]))

    def _sheet_withdrawn(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO withdrawals (judge, contestant, sheet, reason, ledger_seq) "
            "VALUES (?, ?, ?, ?, ?)",
            (p["judge"], p["contestant"], p["sheet"], p["reason"], entry.seq))
        add_notice(conn, entry, "withdrawn", p["judge"],
                   {"contestant": p["contestant"], "reason": p["reason"]})

    def _seat_excused(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        for contestant in p["contestants"] or [WHOLE_FINAL]:
            conn.execute(
                "INSERT OR REPLACE INTO excusals (judge, contestant, reason, ledger_seq) "
                "VALUES (?, ?, ?, ?)", (p["judge"], contestant, p["reason"], entry.seq))
        add_notice(conn, entry, "excused", p["judge"],
                   {"contestants": p["contestants"], "reason": p["reason"]})

    def _seat_restored(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        if p["contestants"] is None:
            conn.execute("DELETE FROM excusals WHERE judge = ?", (p["judge"],))
        for contestant in p["contestants"] or []:
            conn.execute("DELETE FROM excusals WHERE judge = ? AND contestant = ?",
                         (p["judge"], contestant))
        add_notice(conn, entry, "restored", p["judge"],
                   {"contestants": p["contestants"], "reason": p["reason"]})

    def _contestant_locked(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute("INSERT INTO locks (contestant, ledger_seq, reason) VALUES (?, ?, ?)",
                     (p["contestant"], entry.seq, p["reason"]))
        add_notice(conn, entry, "lock", None, {"contestant": p["contestant"],
                                               "reason": p["reason"]})

    def _contestants_locked(self, conn: sqlite3.Connection, entry: Entry) -> None:
        # One lock row and one `lock` notice per contestant, as `contestant_locked` makes.
        reason = entry.payload["reason"]
        for contestant in entry.payload["contestants"]:
            conn.execute("INSERT INTO locks (contestant, ledger_seq, reason) VALUES (?, ?, ?)",
                         (contestant, entry.seq, reason))
            add_notice(conn, entry, "lock", None, {"contestant": contestant, "reason": reason})

    def _contestant_unlocked(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute("DELETE FROM locks WHERE contestant = ?", (p["contestant"],))
        add_notice(conn, entry, "unlock", None, {"contestant": p["contestant"],
                                                 "reason": p["reason"]})

    def _components_imported(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        for contestant, value in p["values"].items():
            conn.execute(
                "INSERT OR REPLACE INTO components (component, contestant, value, ledger_seq) "
                "VALUES (?, ?, ?, ?)", (p["component"], contestant, value, entry.seq))

    def _tie_decided(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT OR REPLACE INTO tie_decisions (contestants, track, grp, kind, tie_order, "
            "reason, ledger_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_json(sorted(p["contestants"])), p["track"], scope_column(p["group"]),
             p["kind"], _json(p["order"]), p["reason"], entry.seq))

    def _results_published(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO publications (track, grp, version, document, reason, ledger_seq, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (p["track"], scope_column(p["group"]), p["version"], _json(p["document"]),
             p["reason"], entry.seq, entry.at))

    # --- appeals ------------------------------------------------------------------------------

    def _appeal_filed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO appeals (id, contestant, ground, filed_by, filed_at, status, "
            "category, evidence, late_reason) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            (entry.seq, p["contestant"], p["ground"], p["filed_by"], entry.at,
             p.get("category", "calculation"), _json(p.get("evidence", [])), p.get("late")))

    def _appeal_decided(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE appeals SET status = ?, decision_reason = ?, decided_by = ?, "
            "decided_at = ?, decided_seq = ? WHERE id = ?",
            (p["outcome"], p["reason"], entry.actor, entry.at, entry.seq, p["appeal"]))

    def _appeal_withdrawn(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "UPDATE appeals SET status = 'withdrawn', decision_reason = ?, decided_by = ?, "
            "decided_at = ?, decided_seq = ? WHERE id = ?",
            (p["reason"], entry.actor, entry.at, entry.seq, p["appeal"]))

    def _appeal_voted(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO appeal_votes (appeal, member, vote, conflict, ledger_seq, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (p["appeal"], p["member"], p["vote"], int(p["conflict"]), entry.seq, entry.at))

    def _appeal_replied(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO appeal_replies (ledger_seq, appeal, contestant, reply, at) "
            "VALUES (?, ?, ?, ?, ?)", (entry.seq, p["appeal"], p["contestant"], p["reply"],
                                       entry.at))

    def _results_official(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO officials (track, grp, version, ledger_seq, at) VALUES (?, ?, ?, ?, ?)",
            (p["track"], scope_column(p["group"]), p["version"], entry.seq, entry.at))

    # --- printouts ----------------------------------------------------------------------------

    def _sheet_printed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO printed_sheets (ledger_seq, code, kind, subject, digest, "
            "checkpoint_seq, size, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.seq, p["code"], p["kind"], p["subject"], p["digest"], p["checkpoint"],
             p["size"], entry.at))

    def _contestant_revealed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute("INSERT OR REPLACE INTO reveals (contestant, ledger_seq, at, figures) "
                     "VALUES (?, ?, ?, ?)", (p["contestant"], entry.seq, entry.at,
                                             _json(p["figures"])))

    def _draw_made(self, conn: sqlite3.Connection, entry: Entry) -> None:
        conn.execute("DELETE FROM draws")
        conn.executemany("INSERT INTO draws (contestant, draw, ledger_seq) VALUES (?, ?, ?)",
                         [(c, d, entry.seq) for c, d in entry.payload["draws"].items()])
        # What each terminal may see changed: the master fills in each judge's event when it
        # sends this notice (`Master.notices_since`), as for an event change.
        add_notice(conn, entry, "event_changed", None, {})

    def _identities_revealed(self, conn: sqlite3.Connection, entry: Entry) -> None:
        conn.execute("INSERT OR REPLACE INTO identities_revealed (singleton, ledger_seq, at, "
                     "reason) VALUES (1, ?, ?, ?)", (entry.seq, entry.at, entry.payload["reason"]))
        add_notice(conn, entry, "event_changed", None, {})  # terminals now get the full event

    # --- paper sheets typed twice ---------------------------------------------------------------

    def _paper_entered(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT INTO paper_entries (ledger_seq, judge, contestant, round, operator, form, "
            "scores) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry.seq, p["judge"], p["contestant"], p["round"], p["operator"], p["form"],
             _json(p["values"])))
        held = conn.execute("SELECT revision FROM paper_sheets WHERE judge = ? AND "
                            "contestant = ?", (p["judge"], p["contestant"])).fetchone()
        if held is not None and held[0] >= p["round"]:
            return  # the round was settled before this entry
        rows = conn.execute(
            "SELECT ledger_seq, operator, form, scores FROM paper_entries WHERE judge = ? AND "
            "contestant = ? AND round = ? ORDER BY ledger_seq",
            (p["judge"], p["contestant"], p["round"])).fetchall()
        settlement = settle([PaperEntry(seq, operator, _values(scores))
                             for seq, operator, _form, scores in rows])
        if not settlement.complete:
            return
        used = settlement.entries
        operators = sorted({op for seq, op, _f, _s in rows if seq in used})
        values = {c: plain(settlement.agreed[c]) for c in settlement.criteria}
        sheet = paper_sheet_hash(p["judge"], p["contestant"], p["round"], values, used)
        conn.execute(
            "INSERT OR REPLACE INTO paper_sheets (judge, contestant, hash, revision, form, "
            "operators, entries, ledger_seq, scores) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (p["judge"], p["contestant"], sheet, p["round"], rows[0][2], _json(operators),
             _json(list(used)), entry.seq, _json(values)))
        # an override applies to the sheet it was made on: the new paper revision replaces it
        conn.execute(
            "UPDATE overrides SET status = 'lapsed', ended_seq = ? "
            "WHERE judge = ? AND contestant = ? AND status = 'in_force'",
            (entry.seq, p["judge"], p["contestant"]))

    def _sheet_conflict_resolved(self, conn: sqlite3.Connection, entry: Entry) -> None:
        p = entry.payload
        conn.execute(
            "INSERT OR REPLACE INTO sheet_choices (judge, contestant, keep, set_aside, reason, "
            "ledger_seq) VALUES (?, ?, ?, ?, ?, ?)",
            (p["judge"], p["contestant"], p["keep"], p["set_aside"], p["reason"], entry.seq))
        conn.execute(
            "UPDATE overrides SET status = 'lapsed', ended_seq = ? WHERE judge = ? AND "
            "contestant = ? AND status = 'in_force' AND sheet = ?",
            (entry.seq, p["judge"], p["contestant"], p["set_aside"]))


def paper_sheet_hash(judge: str, contestant: str, revision: int, values: Mapping[str, str],
                     entries: Sequence[int]) -> str:
    """The id of an agreed paper sheet: the SHA-256 of what it is and which entries made it
    (a paper sheet has no signature; its entries are in the ledger)."""
    return sha256_hex(canonical_bytes({
        "kind": "paper_sheet", "judge": judge, "contestant": contestant,
        "revision": revision, "values": dict(values), "entries": list(entries)}))


# --- reading --------------------------------------------------------------------------------


def _values(text: str) -> dict[str, Decimal]:
    return dict(_parsed_values(text))


@functools.lru_cache(maxsize=1 << 16)
def _parsed_values(text: str) -> tuple[tuple[str, Decimal], ...]:
    # Ingest reads every judge's sheet for a contestant on each sheet that lands; the same
    # texts come back again and again.
    return tuple((criterion, Decimal(value)) for criterion, value in json.loads(text).items())


class _Panel:
    """One contestant's sheets in force for `MasterProjections.panel`."""

    def __init__(self, sheets: list[CurrentSheet]) -> None:
        self.in_force = {s.judge: s.values for s in sheets if not s.withdrawn}
        self.withdrawn = {s.judge for s in sheets if s.withdrawn}

    def sheet(self, judge: str, values: Mapping[str, Decimal]) -> None:
        if judge not in self.withdrawn:
            self.in_force[judge] = values


_PANELS_PER_QUERY: Final = 500  # bound parameters of one query: far below SQLite's limit

_PANELS_KEPT_BY_HANDLER: Final = frozenset({"sheet_received"})
_PANEL_OF_ONE_CONTESTANT: Final = frozenset({"value_overridden", "sheet_withdrawn",
                                             "paper_entered", "sheet_conflict_resolved"})
_PANEL_NEUTRAL: Final = frozenset({
    "codes_issued", "enrol_failed", "seat_locked", "seat_reopened", "device_enrolled",
    "device_confirmed", "on_stage", "device_revoked", "alarm", CHECKPOINT_KIND, "flag_raised",
    "flag_cleared", "flag_accepted", "flags_accepted", "contestants_locked",
    "review_requested", "review_confirmed", "review_answered",
    "review_closed", "contestant_locked", "contestant_unlocked", "components_imported",
    "tie_decided", "results_published", "appeal_filed", "appeal_decided",
    "appeal_withdrawn", "appeal_voted", "appeal_replied", "results_official", "sheet_printed",
    "contestant_revealed", "draw_made", "identities_revealed", "succession",
    PROMOTED_KIND})
"""Entry kinds that change no sheet, override or withdrawal; any kind in none of these sets
(the event's loading or change, a kind added later) forgets every panel."""


@dataclass(frozen=True)
class PaperOrigin:
    """Where an agreed paper sheet came from: the printed form's sheet code, the operators
    whose entries agreed and those entries (ledger positions)."""

    form: str
    operators: tuple[str, ...]
    entries: tuple[int, ...]


@dataclass(frozen=True)
class CurrentSheet:
    """A judge's current sheet for a contestant: the values signed (or agreed, for paper)
    and the values in force (the head judge's overrides applied); `withdrawn` when it does
    not count: the head judge withdrew it, or excused the judge's seat for the contestant
    (then `excused` too). `paper` says where a paper sheet came from (its `device` is
    ""); None for a sheet the judge's laptop signed. `conflict`: the judge has both a laptop and a
    paper sheet for the contestant and the head judge has not chosen; the later one is shown
    and counts until then, and the contestant cannot be locked."""

    judge: str
    contestant: str
    hash: str
    revision: int
    device: str
    ledger_seq: int
    signed: Mapping[str, Decimal]
    values: Mapping[str, Decimal]
    withdrawn: bool
    excused: bool = False
    paper: PaperOrigin | None = None
    conflict: bool = False

    @property
    def overridden(self) -> tuple[str, ...]:
        return tuple(c for c in self.values if self.values[c] != self.signed.get(c))


def current_sheets(conn: sqlite3.Connection, contestant: str | None = None
                   ) -> list[CurrentSheet]:
    """Every judge's current sheet (for one contestant), ordered by contestant and judge."""
    return _current_sheets(conn, None if contestant is None else [contestant])


def _current_sheets(conn: sqlite3.Connection, contestants: Sequence[str] | None
                    ) -> list[CurrentSheet]:
    """`current_sheets` of these contestants (None: of all)."""
    args = () if contestants is None else tuple(contestants)
    where = "" if contestants is None else f"WHERE s.contestant IN ({','.join('?' * len(args))})"
    rows = conn.execute(
        "SELECT s.judge, s.contestant, s.hash, s.revision, s.device, s.ledger_seq, s.scores, "
        "w.judge IS NOT NULL, EXISTS (SELECT 1 FROM excusals e WHERE e.judge = s.judge "
        "AND e.contestant IN (s.contestant, ?)) FROM sheets s LEFT JOIN withdrawals w "
        f"ON w.judge = s.judge AND w.contestant = s.contestant {where} "
        "ORDER BY s.contestant, s.judge", (WHOLE_FINAL, *args)).fetchall()
    in_force: dict[tuple[str, str], dict[str, Decimal]] = {}
    one = contestants[0] if contestants is not None and len(contestants) == 1 else None
    for o in override_rows(conn, contestant=one, status="in_force"):  # few: all, or one's
        in_force.setdefault((o.judge, o.contestant), {})[o.criterion] = o.new
    held: dict[tuple[str, str], tuple[Any, ...]] = {
        (row[0], row[1]): (*row, None) for row in rows}
    for row in _paper_rows(conn, contestants):
        key = (row[0], row[1])
        held[key] = row if key not in held else _chosen(conn, held[key], row)
    sheets: list[CurrentSheet] = []
    for key in sorted(held, key=lambda k: (k[1], k[0])):
        judge, cid, hash_, revision, device, seq, scores, withdrawn, excused, paper, *more = \
            held[key]
        signed = _values(scores)
        sheets.append(CurrentSheet(judge, cid, hash_, revision, device, seq, signed,
                                   {**signed, **in_force.get((judge, cid), {})},
                                   bool(withdrawn or excused), bool(excused), paper,
                                   bool(more and more[0])))
    return sheets


def _paper_rows(conn: sqlite3.Connection, contestants: Sequence[str] | None
                ) -> list[tuple[Any, ...]]:
    """Agreed paper sheets as `_current_sheets` rows (device "", origin last)."""
    args = () if contestants is None else tuple(contestants)
    where = "" if contestants is None else f"WHERE p.contestant IN ({','.join('?' * len(args))})"
    rows = conn.execute(
        "SELECT p.judge, p.contestant, p.hash, p.revision, p.ledger_seq, p.scores, p.form, "
        "p.operators, p.entries, w.judge IS NOT NULL, EXISTS (SELECT 1 FROM excusals e WHERE "
        "e.judge = p.judge AND e.contestant IN (p.contestant, ?)) FROM paper_sheets p "
        "LEFT JOIN withdrawals w ON w.judge = p.judge AND w.contestant = p.contestant "
        f"{where}", (WHOLE_FINAL, *args)).fetchall()
    return [(judge, cid, hash_, revision, "", seq, scores, withdrawn, excused,
             PaperOrigin(form, tuple(json.loads(operators)), tuple(json.loads(entries))))
            for judge, cid, hash_, revision, seq, scores, form, operators, entries, withdrawn,
            excused in rows]


def _chosen(conn: sqlite3.Connection, laptop: tuple[Any, ...], paper: tuple[Any, ...]
            ) -> tuple[Any, ...]:
    """Which of a judge's laptop and paper sheets for one contestant counts: the one the
    head judge kept, unless the one set aside has a newer revision since; else the later,
    marked as a conflict."""
    choice = conn.execute("SELECT keep, set_aside FROM sheet_choices WHERE judge = ? AND "
                          "contestant = ?", (laptop[0], laptop[1])).fetchone()
    if choice is not None:
        keep, set_aside = (paper, laptop) if choice[0] == "paper" else (laptop, paper)
        if set_aside[2] == choice[1]:
            return keep
    later = paper if paper[5] > laptop[5] else laptop
    return (*later, True)


@dataclass(frozen=True)
class FlagRow:
    """A discrepancy flag as the ledger left it; `id` is its `flag_raised` entry."""

    id: int
    key: str
    contestant: str
    rule: str
    criterion: str | None
    judges: tuple[str, ...]
    compared: Mapping[str, Decimal]
    difference: Decimal
    threshold: Decimal
    status: str  # open | accepted | cleared
    raised_by: int | None
    accepted_seq: int | None
    note: str | None
    cleared_seq: int | None
    cleared_by: int | None

    def flag(self) -> Flag:
        return Flag(self.contestant, self.rule, self.criterion, self.judges, self.compared,
                    self.difference, self.threshold)


def flag_rows(conn: sqlite3.Connection, *, status: str | None = None,
              contestant: str | None = None, flag_id: int | None = None) -> list[FlagRow]:
    clauses, args = _filters(status=status, contestant=contestant, id=flag_id)
    rows = conn.execute(
        "SELECT id, flag_key, contestant, rule, criterion, judges, compared, difference, "
        "threshold, status, raised_by, accepted_seq, note, cleared_seq, cleared_by "
        f"FROM flags {clauses} ORDER BY id", args).fetchall()
    return [FlagRow(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), _values(r[6]),
                    Decimal(r[7]), Decimal(r[8]), r[9], r[10], r[11], r[12], r[13], r[14])
            for r in rows]


def _filters(**wanted: object) -> tuple[str, tuple[object, ...]]:
    present = {k: v for k, v in wanted.items() if v is not None}
    if not present:
        return "", ()
    return "WHERE " + " AND ".join(f"{k} = ?" for k in present), tuple(present.values())


@dataclass(frozen=True)
class ReviewRow:
    """A review request; `id` is its `review_requested` entry. `answer_record` is the hash of
    the judge's confirmation or revision; `answer_text` its comment or reason."""

    id: int
    contestant: str
    judge: str
    flag: int | None
    note: str
    sheet: str
    status: str  # open | confirmed | answered | closed
    answer_seq: int | None
    answer_record: str | None
    answer_text: str | None


def review_rows(conn: sqlite3.Connection, *, status: str | None = None,
                contestant: str | None = None, judge: str | None = None,
                review_id: int | None = None) -> list[ReviewRow]:
    clauses, args = _filters(status=status, contestant=contestant, judge=judge, id=review_id)
    rows = conn.execute(
        "SELECT id, contestant, judge, flag, note, sheet, status, answer_seq, answer_record, "
        f"answer_text FROM reviews {clauses} ORDER BY id", args).fetchall()
    return [ReviewRow(*r) for r in rows]


@dataclass(frozen=True)
class OverrideRow:
    """The head judge replaced `old` by `new` on revision `revision` of a judge's sheet."""

    id: int
    judge: str
    contestant: str
    criterion: str
    sheet: str
    revision: int
    old: Decimal
    new: Decimal
    reason: str
    status: str  # in_force | replaced (by a later override) | lapsed (by a new revision)
    ended_seq: int | None


def override_rows(conn: sqlite3.Connection, *, contestant: str | None = None,
                  status: str | None = None) -> list[OverrideRow]:
    clauses, args = _filters(contestant=contestant, status=status)
    rows = conn.execute(
        "SELECT id, judge, contestant, criterion, sheet, revision, old_value, new_value, "
        f"reason, status, ended_seq FROM overrides {clauses} ORDER BY id", args).fetchall()
    return [OverrideRow(r[0], r[1], r[2], r[3], r[4], r[5], Decimal(r[6]), Decimal(r[7]),
                        r[8], r[9], r[10]) for r in rows]


@dataclass(frozen=True)
class WithdrawalRow:
    judge: str
    contestant: str
    sheet: str | None
    reason: str
    ledger_seq: int


def withdrawal_rows(conn: sqlite3.Connection, contestant: str | None = None
                    ) -> list[WithdrawalRow]:
    clauses, args = _filters(contestant=contestant)
    rows = conn.execute("SELECT judge, contestant, sheet, reason, ledger_seq FROM withdrawals "
                        f"{clauses} ORDER BY ledger_seq", args).fetchall()
    return [WithdrawalRow(*r) for r in rows]


WHOLE_FINAL: Final = "*"
"""The `excusals` key of a seat excused for the whole final."""


@dataclass(frozen=True)
class ExcusalRow:
    """A judge's seat excused by the head judge (`seat_excused`): for one contestant, or for
    the whole final (`contestant` None)."""

    judge: str
    contestant: str | None
    reason: str
    ledger_seq: int

    def covers(self, contestant: str) -> bool:
        return self.contestant is None or self.contestant == contestant


def excusal_rows(conn: sqlite3.Connection, judge: str | None = None) -> list[ExcusalRow]:
    """Excusals in force (of one judge), oldest first."""
    clauses, args = _filters(judge=judge)
    rows = conn.execute("SELECT judge, contestant, reason, ledger_seq FROM excusals "
                        f"{clauses} ORDER BY ledger_seq, contestant", args).fetchall()
    return [ExcusalRow(j, None if c == WHOLE_FINAL else c, r, s) for j, c, r, s in rows]


@dataclass(frozen=True)
class LockRow:
    contestant: str
    ledger_seq: int
    reason: str


def lock_rows(conn: sqlite3.Connection) -> dict[str, LockRow]:
    rows = conn.execute("SELECT contestant, ledger_seq, reason FROM locks").fetchall()
    return {r[0]: LockRow(*r) for r in rows}


def component_values(conn: sqlite3.Connection) -> dict[str, dict[str, Decimal]]:
    """Imported component values in force: component id -> contestant id -> value."""
    values: dict[str, dict[str, Decimal]] = {}
    for component, contestant, value in conn.execute(
            "SELECT component, contestant, value FROM components ORDER BY component, contestant"):
        values.setdefault(component, {})[contestant] = Decimal(value)
    return values


def tie_decisions(conn: sqlite3.Connection) -> list[TieDecision]:
    rows = conn.execute("SELECT contestants, kind, tie_order, reason FROM tie_decisions "
                        "ORDER BY ledger_seq").fetchall()
    return [TieDecision(frozenset(json.loads(c)), kind, tuple(json.loads(order)), reason)
            for c, kind, order, reason in rows]


@dataclass(frozen=True)
class PublicationRow:
    track: str
    group: str | None
    version: int
    document: Mapping[str, Any]
    reason: str
    ledger_seq: int
    at: str


def publication_rows(conn: sqlite3.Connection, track: str | None = None,
                     group: str | None = None) -> list[PublicationRow]:
    """Published versions, oldest first (of one scope when `track` is given)."""
    clauses, args = ("WHERE track = ? AND grp = ?", (track, scope_column(group))) \
        if track is not None else ("", ())
    rows = conn.execute("SELECT track, grp, version, document, reason, ledger_seq, at "
                        f"FROM publications {clauses} ORDER BY ledger_seq", args).fetchall()
    return [PublicationRow(r[0], r[1] or None, r[2], json.loads(r[3]), r[4], r[5], r[6])
            for r in rows]


@dataclass(frozen=True)
class AppealRow:
    id: int
    contestant: str
    ground: str
    filed_by: str
    filed_at: str
    status: str  # open | upheld | rejected | withdrawn
    decision_reason: str | None
    decided_by: str | None
    decided_at: str | None
    decided_seq: int | None
    category: str = "calculation"
    evidence: tuple[Evidence, ...] = ()
    late_reason: str | None = None
    """Why it was accepted after the appeal window closed (None: filed in time)."""


@dataclass(frozen=True)
class Evidence:
    """A file attached to an appeal: its name as given, size and SHA-256 (the file itself is
    kept in the master's home under `evidence/<sha256>`)."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class VoteRow:
    appeal: int
    member: str
    vote: str  # upheld | rejected | abstain
    conflict: bool
    ledger_seq: int
    at: str


@dataclass(frozen=True)
class ReplyRow:
    ledger_seq: int
    appeal: int
    contestant: str
    reply: str
    at: str


def appeal_rows(conn: sqlite3.Connection, appeal_id: int | None = None) -> list[AppealRow]:
    clauses, args = _filters(id=appeal_id)
    rows = conn.execute(
        "SELECT id, contestant, ground, filed_by, filed_at, status, decision_reason, "
        "decided_by, decided_at, decided_seq, category, evidence, late_reason "
        f"FROM appeals {clauses} ORDER BY id", args).fetchall()
    return [AppealRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                      tuple(Evidence(**e) for e in json.loads(r[11])), r[12]) for r in rows]


def vote_rows(conn: sqlite3.Connection, appeal_id: int) -> list[VoteRow]:
    """The committee's votes on an appeal, in the order they were cast."""
    return [VoteRow(r[0], r[1], r[2], bool(r[3]), r[4], r[5]) for r in conn.execute(
        "SELECT appeal, member, vote, conflict, ledger_seq, at FROM appeal_votes "
        "WHERE appeal = ? ORDER BY ledger_seq", (appeal_id,))]


def reply_rows(conn: sqlite3.Connection, appeal_id: int) -> list[ReplyRow]:
    """Replies to an appeal by the contestants it affects, in ledger order."""
    return [ReplyRow(*r) for r in conn.execute(
        "SELECT ledger_seq, appeal, contestant, reply, at FROM appeal_replies "
        "WHERE appeal = ? ORDER BY ledger_seq", (appeal_id,))]


def official_versions(conn: sqlite3.Connection) -> dict[tuple[str, str | None], int]:
    """Each scope's latest official version."""
    return {(r[0], r[1] or None): r[2] for r in conn.execute(
        "SELECT track, grp, max(version) FROM officials GROUP BY track, grp")}


@dataclass(frozen=True)
class CheckpointRow:
    ledger_seq: int
    size: int
    root: str
    at: str
    reason: str


def checkpoint_rows(conn: sqlite3.Connection) -> list[CheckpointRow]:
    rows = conn.execute("SELECT ledger_seq, size, root, at, reason FROM checkpoints "
                        "ORDER BY ledger_seq").fetchall()
    return [CheckpointRow(*r) for r in rows]
