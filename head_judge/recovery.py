"""`head-judge rebuild`: a new master rebuilt from the judges' terminal stores when the master's
disk is lost.

Every judge laptop keeps every sheet it signed. `rebuild(home, event, stores, now=...)` makes
a NEW master in an empty `home`: a new identity (the old key is gone with the disk, so every
terminal must enrol again before it can talk to it), one `device_enrolled` entry marked
`recovered` per device found in the stores (its public key and judge, as that store holds
them), then the stores' signed sheets replayed through the master's own ingest
(`Master.push`), so every rule a live push meets applies again and a refused sheet writes
nothing. Each signature is verified first with the public key of the device the store holds.

The order is deterministic: by the old master's ledger position, taken from the store's
receipt (verified with the old master key the store enrolled with), where there is one,
otherwise by device sequence, never reordering one device's own sheets.

Refused, and reported with the reason: a bad signature; a sheet signed by a device key no
store holds (an earlier key of a laptop that enrolled again); conflicting sheets from two
stores for the same judge, contestant and revision (equivocation: one the old master
receipted wins over ones it never saw, otherwise all are refused); an unknown contestant,
or anything else the master's ingest refuses (a correction of a refused sheet, a value off
the rubric). Skipped: sheets the old master rejected, copies a re-enrolled laptop re-signed
with its new key, sheets of other finals, and confirmations of review requests (the requests,
like every head-judge action, were only in the lost ledger). The stores themselves are never
written: each is read from a snapshot copy in a temporary folder.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

from sync.event import Event
from sync.records import RecordError, SignedRecord, receipt_from_record, sheet_from_body
from sync.snapshot import snapshot_digest
from sync.store import DB_FILE as STORE_DB
from sync.store import KEY_FILE as STORE_KEY
from sync.store import StoredRecord, StoreError, TerminalStore

from .audit import copy_database
from .master import DB_FILE, HEAD_JUDGE, Master, MasterError, iso

__all__ = [
    "Candidate",
    "RecoveredDevice",
    "RecoveryError",
    "RecoveryReport",
    "Refused",
    "Skipped",
    "StoreSource",
    "plan_recovery",
    "read_store",
    "rebuild",
    "replay_order",
]

RECOVERED_CODE: Final = ""
"""The `code` of a recovered `device_enrolled`: no enrolment code was used."""


class RecoveryError(MasterError):
    """A user mistake: a store that is not one, a home that is not empty (exit 2)."""


@dataclass(frozen=True)
class StoreSource:
    """What one terminal store holds for the final being rebuilt."""

    label: str
    device: str | None
    """The store's current device id; None when its device key file is missing."""
    public_key: bytes | None
    judge: str | None
    """The judge the store is enrolled for (None if it never enrolled)."""
    records: tuple[StoredRecord, ...]
    master_key: bytes | None = None
    """The key of the (old) master the store enrolled with last."""
    event_digest: str | None = None
    """The digest of the event the store holds."""
    receipts: dict[str, int] = field(default_factory=dict)
    """Record hash -> the old master's ledger position, from receipts that verify."""
    other_events: int = 0
    checkpoints: tuple[SignedRecord, ...] = ()
    """The signed checkpoints the store kept, in its table or as notices (unchecked)."""


@dataclass(frozen=True)
class Candidate:
    """A signed sheet from a store, as a candidate for the rebuilt ledger."""

    record: SignedRecord
    judge: str
    contestant: str
    revision: int
    supersedes: str | None
    device: str
    seq: int
    source: str
    old_position: int | None

    @property
    def hash(self) -> str:
        return self.record.hash

    def describe(self) -> str:
        return (f"{self.judge} {self.contestant} revision {self.revision} (sheet "
                f"{self.hash[:12]}, device {self.device} seq {self.seq}, from {self.source})")


@dataclass(frozen=True)
class Refused:
    sheet: Candidate | None
    code: str
    reason: str
    source: str
    hash: str

    def describe(self) -> str:
        what = self.sheet.describe() if self.sheet else f"sheet {self.hash[:12]} from {self.source}"
        return f"{what}: {self.code}: {self.reason}"


@dataclass(frozen=True)
class Skipped:
    source: str
    hash: str
    why: str


@dataclass(frozen=True)
class RecoveredDevice:
    device: str
    judge: str
    source: str
    entry: int


@dataclass(frozen=True)
class RecoveryReport:
    home: Path
    event_id: str
    event_digest: str
    fingerprint: str
    stores: tuple[StoreSource, ...]
    devices: tuple[RecoveredDevice, ...]
    recovered: tuple[Candidate, ...]
    refused: tuple[Refused, ...]
    skipped: tuple[Skipped, ...]
    ledger_size: int

    @property
    def complete(self) -> bool:
        return not self.refused


# --- reading the stores -----------------------------------------------------------------------


def _reason(exc: Exception) -> object:
    """A store's refusal in both languages (`StoreError.reason`), anything else as it is."""
    return exc.reason if isinstance(exc, StoreError) else exc


def _store_paths(path: Path) -> tuple[Path, Path]:
    """(database file, its folder) for a path to `terminal.db` or to the folder holding it."""
    path = Path(path)
    db = path / STORE_DB if path.is_dir() else path
    if not db.is_file():
        raise RecoveryError("rebuild_no_store", path=path, file=STORE_DB)
    return db, db.parent


def read_store(path: Path, scratch: Path, event_id: str) -> StoreSource:
    """Read the store at `path` (its `terminal.db`, or the folder holding it) from a snapshot
    copy in `scratch`: its device key, enrolment, sheets of `event_id`, verified receipts and
    the checkpoints it kept."""
    db, folder = _store_paths(path)
    label = f"{folder.name}/{db.name}" if folder.name else db.name
    scratch.mkdir(parents=True)
    try:
        copy_database(db, scratch / STORE_DB)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise RecoveryError("rebuild_unreadable", path=db, error=exc) from None
    has_key = (folder / STORE_KEY).is_file()
    if has_key:
        shutil.copyfile(folder / STORE_KEY, scratch / STORE_KEY)
    try:
        store = TerminalStore.open(scratch)
    except (StoreError, sqlite3.Error, OSError, UnicodeDecodeError) as exc:
        raise RecoveryError("rebuild_not_store", path=db, error=_reason(exc)) from None
    try:
        return _read_open_store(store, label, has_key, event_id)
    except (StoreError, sqlite3.Error, UnicodeDecodeError, ValueError) as exc:
        raise RecoveryError("rebuild_damaged", path=db, error=_reason(exc)) from None
    finally:
        store.close()


def _read_open_store(store: TerminalStore, label: str, has_key: bool, event_id: str
                     ) -> StoreSource:
    """What `read_store` reads from an opened copy of a store."""
    enrolment = store.enrolment()
    every = store.sheets(all_events=True)
    records = tuple(r for r in every if r.event == event_id)
    receipts: dict[str, int] = {}
    if enrolment is not None:
        for record in records:
            signed = store.receipt(record.hash) if record.receipted else None
            if signed is None:
                continue
            try:
                receipt = receipt_from_record(signed, enrolment.master_key)
            except RecordError:
                continue  # from another master than the one it enrolled with last
            if receipt.record == record.hash:
                receipts[record.hash] = receipt.ledger
    return StoreSource(
        label=label,
        device=store.device_id if has_key else None,
        public_key=store.device_public_key if has_key else None,
        judge=enrolment.judge if enrolment else None,
        records=records,
        master_key=enrolment.master_key if enrolment else None,
        event_digest=enrolment.event_digest if enrolment else None,
        receipts=receipts, other_events=len(every) - len(records),
        checkpoints=_kept_checkpoints(store))


def _kept_checkpoints(store: TerminalStore) -> tuple[SignedRecord, ...]:
    """The checkpoints a store kept: its checkpoints table, and the `checkpoint` notices it
    pulled (unchecked; each once)."""
    found = [record for _size, _root, record in store.checkpoints()]
    for notice in store.notices():
        if notice.kind == "checkpoint":
            try:
                found.append(SignedRecord.from_wire(notice.payload.get("checkpoint")))
            except RecordError:
                continue
    unique = {(r.body, r.signature): r for r in found}
    return tuple(unique.values())


# --- the plan (pure) --------------------------------------------------------------------------


def plan_recovery(sources: Sequence[StoreSource]
                  ) -> tuple[list[Candidate], list[Refused], list[Skipped]]:
    """Which sheets to replay, in which order, and which are refused or skipped before the
    master sees them (see the module docstring). Pure: the stores are already read."""
    keys = {s.device: s.public_key for s in sources if s.device and s.public_key}
    refused: list[Refused] = []
    skipped: list[Skipped] = []
    seen: dict[str, Candidate] = {}
    for source in sources:
        for stored in sorted(source.records, key=lambda r: (r.seq, r.hash)):
            if stored.hash in seen:  # the same signed sheet in two stores: one copy is enough
                held = seen[stored.hash]
                if held.old_position is None and stored.hash in source.receipts:
                    seen[stored.hash] = replace(held,
                                                old_position=source.receipts[stored.hash])
                continue
            if stored.is_confirmation:
                skipped.append(Skipped(source.label, stored.hash, "a confirmation answering a "
                                       "review request, which was lost with the old master"))
                continue
            if stored.rejected_code is not None:
                skipped.append(Skipped(source.label, stored.hash, "the old master rejected it "
                                       f"({stored.rejected_code}: {stored.rejected_reason})"))
                continue
            if stored.replaced_by is not None and stored.hash not in source.receipts:
                skipped.append(Skipped(source.label, stored.hash, "re-signed by this laptop's "
                                       f"newer device key as {stored.replaced_by[:12]}"))
                continue
            candidate, problem = _candidate(stored, source, keys)
            if problem is not None:
                refused.append(problem)
            elif candidate is not None:
                seen[stored.hash] = candidate
    kept, conflicts = _resolve_conflicts(list(seen.values()))
    refused += conflicts
    return replay_order(kept), refused, skipped


def _candidate(stored: StoredRecord, source: StoreSource, keys: dict[str, bytes]
               ) -> tuple[Candidate | None, Refused | None]:
    record = stored.record

    def refuse(code: str, reason: str, sheet: Candidate | None = None) -> Refused:
        return Refused(sheet, code, reason, source.label, record.hash)

    if stored.is_confirmation:
        # It answered a review request, and review requests were lost with the old ledger.
        return None, None
    try:
        sheet = sheet_from_body(record.parsed())
    except RecordError as exc:
        return None, refuse("malformed", exc.reason)
    candidate = Candidate(record, sheet.judge, sheet.contestant, sheet.revision,
                          sheet.supersedes, sheet.device, sheet.seq, source.label,
                          source.receipts.get(record.hash))
    key = keys.get(sheet.device)
    if key is None:
        return None, refuse("unknown_device_key", f"signed by device {sheet.device}, whose "
                            "public key no store holds (an earlier key of a laptop that "
                            "enrolled again, or a store copied without its device key)",
                            candidate)
    if not record.verify(key):
        return None, refuse("bad_signature", f"the signature does not verify with the key of "
                            f"device {sheet.device}", candidate)
    return candidate, None


def _resolve_conflicts(candidates: list[Candidate]) -> tuple[list[Candidate], list[Refused]]:
    """Two different sheets for one judge, contestant and revision, or one device's sequence
    number: the one the old master receipted stays if there is exactly one; else all go."""
    refused: list[Refused] = []
    dropped: set[str] = set()
    groups: dict[tuple[object, ...], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(("sheet", c.judge, c.contestant, c.revision), []).append(c)
        groups.setdefault(("seq", c.device, c.seq), []).append(c)
    for ident, group in sorted(groups.items(), key=lambda item: repr(item[0])):
        if len(group) < 2:
            continue
        receipted = [c for c in group if c.old_position is not None]
        winner = receipted[0] if len(receipted) == 1 else None
        where = " and ".join(sorted({c.source for c in group}))
        what = (f"{group[0].judge}'s sheet for {group[0].contestant} revision {group[0].revision}"
                if ident[0] == "sheet" else f"device {group[0].device} sequence {group[0].seq}")
        for c in group:
            if c is winner or c.hash in dropped:
                continue
            dropped.add(c.hash)
            tail = (f"the old master receipted the other one ({winner.hash[:12]})"
                    if winner is not None else "no single one was receipted by the old master; "
                    "the judge must score it again")
            refused.append(Refused(c, "equivocation", f"{where} hold {len(group)} different "
                                   f"sheets as {what}; {tail}", c.source, c.hash))
    return [c for c in candidates if c.hash not in dropped], refused


def replay_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """By old ledger position where known, else device sequence; a device's own sheets stay
    in sequence order (each takes the smallest position of itself and its successors)."""
    by_device: dict[str, list[Candidate]] = {}
    for c in candidates:
        by_device.setdefault(c.device, []).append(c)
    keyed: list[tuple[float, str, int, Candidate]] = []
    for device, own in by_device.items():
        own.sort(key=lambda c: c.seq)
        smallest = float("inf")
        for c in reversed(own):
            if c.old_position is not None:
                smallest = min(smallest, c.old_position)
            keyed.append((smallest, device, c.seq, c))
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


# --- writing the new master -------------------------------------------------------------------


def _check_empty(home: Path) -> None:
    if (home / DB_FILE).exists() or (home / "identity").exists():
        raise RecoveryError("rebuild_not_empty", home=home, option="--home")
    if home.exists() and not home.is_dir():
        raise RecoveryError("rebuild_is_file", home=home)


def rebuild(home: Path, event: Event, stores: Sequence[Path], *, now: dt.datetime
            ) -> RecoveryReport:
    """Rebuild a master for `event` in the empty folder `home` from the terminal stores at
    `stores` (paths to `terminal.db` or the folders holding it). Nothing is written to `home`
    before every store has been read."""
    home = Path(home)
    _check_empty(home)
    if not stores:
        raise RecoveryError("rebuild_no_stores", option="--from-terminal")
    with tempfile.TemporaryDirectory(prefix="head-judge-rebuild-") as scratch:
        sources = tuple(read_store(path, Path(scratch) / str(i), event.id)
                        for i, path in enumerate(stores))
    candidates, refused, skipped = plan_recovery(sources)
    master = Master.open(home, event, now=now)
    try:
        devices = _enrol_devices(master, sources, candidates, now)
        recovered: list[Candidate] = []
        refused_hashes = {r.hash for r in refused}
        for candidate in candidates:
            answer = master.push({"device": candidate.device,
                                  "records": [candidate.record.to_wire()]}, now)
            (result,) = answer["results"]
            if result["status"] in ("accepted", "duplicate"):
                recovered.append(candidate)
                continue
            code, reason = str(result["code"]), str(result["reason"])
            if code == "bad_revision" and candidate.supersedes in refused_hashes:
                reason = (f"it corrects sheet {candidate.supersedes[:12]}, which was refused; "
                          + reason)
            refused.append(Refused(candidate, code, reason, candidate.source, candidate.hash))
            refused_hashes.add(candidate.hash)
        master.checkpoint(f"rebuilt from {len(sources)} terminal store(s)", now=now)
        size = len(master.ledger)
        fingerprint = master.identity.fingerprint_text
    finally:
        master.close()
    return RecoveryReport(home, event.id, snapshot_digest(event), fingerprint, sources,
                          tuple(devices),
                          tuple(recovered), tuple(refused), tuple(skipped), size)


def _enrol_devices(master: Master, sources: Sequence[StoreSource],
                   candidates: Sequence[Candidate], now: dt.datetime) -> list[RecoveredDevice]:
    """One recovered `device_enrolled` per device that signed a candidate, in the order of
    its first candidate."""
    keys = {s.device: s for s in sources if s.device and s.public_key}
    judges: dict[str, str] = {}
    for c in candidates:
        judges.setdefault(c.device, c.judge)
    devices: list[RecoveredDevice] = []
    with master.ledger.transaction():
        for device, judge in judges.items():
            source = keys[device]
            assert source.public_key is not None
            old_master = (base64.b64encode(source.master_key).decode("ascii")
                          if source.master_key else None)
            entry = master.ledger.append("device_enrolled", HEAD_JUDGE, {
                "device": device, "judge": judge,
                "public_key": base64.b64encode(source.public_key).decode("ascii"),
                "device_name": f"recovered from {source.label}"[:64], "code": RECOVERED_CODE,
                "recovered": {"store": source.label, "old_master_key": old_master}}, iso(now))
            devices.append(RecoveredDevice(device, judge, source.label, entry.seq))
    return devices
