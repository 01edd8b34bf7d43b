"""`head-judge audit verify`, `audit prove`, `checkpoint` and `rebuild`: the tamper evidence and
recovery commands, registered on the `head-judge` group (thin layers over `head_judge.audit`,
`head_judge.checkpoints` and `head_judge.recovery`). Exit 1 when the record is not intact (or
a rebuild had to refuse sheets), 2 for a user mistake."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path

import click

from sync.event_file import load_event
from sync.records import RecordError, SignedRecord

from ..audit import AuditError, audit, read_entries_of
from ..checkpoints import checkpoint_records, consistency_proof_between, read_checkpoint
from ..ledger import Entry
from ..master import Master, MasterError
from ..recovery import RecoveryReport, read_store, rebuild
from ..refusals import Message
from .common import LANGUAGES, KioskGroup, echo_said, existing_master, now

PROBLEMS_SHOWN = 200


@click.group(name="audit", cls=KioskGroup)
def audit_group() -> None:
    """Check that the record is intact, and prove it to whoever kept a checkpoint."""


def _terminal_checkpoints(paths: tuple[Path, ...], event_id: str
                          ) -> list[tuple[str, SignedRecord]]:
    copies: list[tuple[str, SignedRecord]] = []
    with tempfile.TemporaryDirectory(prefix="head-judge-audit-stores-") as scratch:
        for i, path in enumerate(paths):
            source = read_store(path, Path(scratch) / str(i), event_id)
            copies += [(Message("au_where_store", label=source.label), record)
                        for record in source.checkpoints]
    return copies


@audit_group.command("verify")
@click.option("--terminal", "terminals", multiple=True, metavar="STORE.db",
              type=click.Path(path_type=Path),
              help="Also check the checkpoints this judge terminal's store kept (repeatable).")
@click.pass_context
def verify_command(ctx: click.Context, terminals: tuple[Path, ...]) -> None:
    """Check the hash chain, every checkpoint, every judge and receipt signature and every
    projection table against a rebuild; print OK or exactly what is wrong and where."""
    home: Path = ctx.obj["home"]
    try:
        copies: list[tuple[str, SignedRecord]] = []
        if terminals:
            entries = read_entries_of(home)
            event_id = next((str(e.payload.get("event_id")) for e in entries
                             if e.kind == "event_loaded"), "")
            copies = _terminal_checkpoints(terminals, event_id)
        report = audit(home, checkpoint_copies=copies)
    except AuditError as exc:
        raise MasterError(exc.message) from None
    for line in report.said(PROBLEMS_SHOWN):
        echo_said(line, LANGUAGES)
    if not report.ok:
        sys.exit(1)


@audit_group.command("prove")
@click.option("--from", "size_from", required=True, type=click.IntRange(1), metavar="SIZE",
              help="Ledger size of the checkpoint you kept.")
@click.option("--to", "size_to", type=click.IntRange(1), metavar="SIZE",
              help="Ledger size to prove it extends to (default: the newest checkpoint).")
@click.option("--json", "as_json", is_flag=True, help="Print the proof as JSON.")
@click.pass_context
def prove_command(ctx: click.Context, size_from: int, size_to: int | None,
                  as_json: bool) -> None:
    """Print an RFC 9162 consistency proof that the first SIZE entries are a prefix of the
    ledger now, so a checkpoint kept earlier can be checked against a newer one."""
    try:
        entries = read_entries_of(ctx.obj["home"])
    except AuditError as exc:
        raise MasterError(exc.message) from None
    signed: dict[int, tuple[Entry, SignedRecord]] = {}
    for entry, record in checkpoint_records(entries):
        with contextlib.suppress(RecordError):  # a damaged one: `audit verify` names it
            signed[read_checkpoint(record).size] = (entry, record)
    if size_to is None:
        newest = max((s for s in signed if s >= size_from), default=None)
        size_to = newest if newest is not None else len(entries)
    try:
        proof = consistency_proof_between(entries, size_from, size_to)
    except ValueError as exc:
        raise MasterError(exc.args[0]) from None
    if not proof.verify():  # pragma: no cover - a proof of our own tree always verifies
        raise MasterError("internal: the proof does not verify")
    checkpoint = signed.get(size_to)
    if as_json:
        document = proof.to_json()
        document["checkpoint"] = (
            {"entry": checkpoint[0].seq, **checkpoint[1].to_wire()} if checkpoint else None)
        click.echo(json.dumps(document, indent=1))
        return
    echo_said(Message("prove_from", size=proof.size_a, root=proof.root_a.hex()), LANGUAGES)
    echo_said(Message("prove_to", size=proof.size_b, root=proof.root_b.hex()), LANGUAGES)
    echo_said(Message("prove_signed", entry=checkpoint[0].seq,
                      at=read_checkpoint(checkpoint[1]).at) if checkpoint is not None
              else Message("prove_unsigned", command="`head-judge checkpoint`"), LANGUAGES)
    echo_said(Message("prove_path", n=len(proof.path), rfc="RFC 9162"), LANGUAGES)
    for node in proof.path:
        click.echo(f"  {node.hex()}")


@click.command("checkpoint")
@click.option("--reason", default="requested by the head judge", show_default=True,
              help="Why the checkpoint is taken (kept in the ledger).")
@click.pass_context
def checkpoint_command(ctx: click.Context, reason: str) -> None:
    """Sign a checkpoint of the ledger now; terminals are sent it at their next pull."""
    at = now()
    existing_master(ctx.obj["home"])
    with Master.open(ctx.obj["home"], now=at) as master:
        entry = master.checkpoint(reason.strip() or "requested by the head judge", now=at)
        assert entry is not None
        view = read_checkpoint(SignedRecord.from_wire(entry.payload["checkpoint"]))
        echo_said(Message("cli_checkpoint", entry=entry.seq, size=view.size, root=view.root),
                  master.event.languages)


@click.command("rebuild")
@click.option("--from-terminal", "stores", multiple=True, required=True, metavar="STORE.db",
              type=click.Path(path_type=Path),
              help="A judge terminal's terminal.db (or its folder). Repeatable: give them all.")
@click.option("--event", "event_file", required=True, metavar="EVENT.toml",
              type=click.Path(dir_okay=False), help="The final's event file.")
@click.pass_context
def rebuild_command(ctx: click.Context, stores: tuple[Path, ...], event_file: str) -> None:
    """Rebuild a lost master into an empty --home from the judges' terminal stores. The new
    master has a new key: every terminal must enrol again. Exit 1 if any sheet was refused."""
    event = load_event(event_file)
    home: Path = ctx.obj["home"]
    report = rebuild(home, event, list(stores), now=now())
    for line in _recovery_lines(report):
        echo_said(line, event.languages)
    verdict = audit(home)
    echo_said(Message("audit_rebuilt", summary=verdict.summary()), LANGUAGES)
    if not report.complete or not verdict.ok:
        sys.exit(1)


def _recovery_lines(report: RecoveryReport) -> list[Message]:
    """What a rebuild recovered, refused and skipped, and what to do next."""
    lines = [Message("rebuilt_from", event=report.event_id, home=report.home,
                     n=len(report.stores))]
    for s in report.stores:
        key = (Message("rebuilt_device", device=s.device) if s.device
               else Message("rebuilt_no_device"))
        other = Message("rebuilt_other_events", n=s.other_events) if s.other_events else ""
        lines.append(Message("rebuilt_store", label=s.label, judge=s.judge or "?", key=key,
                             sheets=len(s.records), receipted=len(s.receipts), other=other))
    masters = {s.master_key for s in report.stores if s.master_key}
    if len(masters) > 1:
        lines.append(Message("rebuilt_many_masters", n=len(masters),
                             keys=sorted(k.hex()[:12] for k in masters)))
    digests = {s.event_digest for s in report.stores if s.event_digest}
    if digests - {report.event_digest}:
        lines.append(Message("rebuilt_other_event_file", option="--event"))
    judges = sorted({d.judge for d in report.devices})
    lines.append(Message("rebuilt_recovered", n=len(report.recovered),
                         devices=len(report.devices), judges_n=len(judges),
                         judges=judges or Message("rebuilt_nobody"), size=report.ledger_size))
    if report.refused:
        lines.append(Message("rebuilt_refused", n=len(report.refused)))
        lines += [Message("audit_problem", problem=r.describe()) for r in report.refused]
    if report.skipped:
        lines.append(Message("rebuilt_skipped", n=len(report.skipped)))
        lines += [Message("rebuilt_skip", record=s.hash[:12], source=s.source, why=s.why)
                  for s in report.skipped]
    lines.append(Message("rebuilt_new_master", fingerprint=report.fingerprint))
    lines.append(Message("rebuilt_enrol_again",
                         command=f"head-judge --home {report.home} enrol-codes"))
    return lines


COMMANDS = (audit_group, checkpoint_command, rebuild_command)
