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
from .common import KioskGroup, existing_master, now

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
            copies += [(f"the checkpoint terminal store {source.label} kept", record)
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
    for line in report.lines(PROBLEMS_SHOWN):
        click.echo(line)
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
        raise MasterError(str(exc)) from None
    if not proof.verify():  # pragma: no cover - a proof of our own tree always verifies
        raise MasterError("internal: the proof does not verify")
    checkpoint = signed.get(size_to)
    if as_json:
        document = proof.to_json()
        document["checkpoint"] = (
            {"entry": checkpoint[0].seq, **checkpoint[1].to_wire()} if checkpoint else None)
        click.echo(json.dumps(document, indent=1))
        return
    click.echo(f"from: size {proof.size_a}, root {proof.root_a.hex()}")
    click.echo(f"to:   size {proof.size_b}, root {proof.root_b.hex()}")
    if checkpoint is not None:
        click.echo(f"      signed by this master in the checkpoint at entry {checkpoint[0].seq}"
                   f" ({read_checkpoint(checkpoint[1]).at})")
    else:
        click.echo("      (no signed checkpoint of this size: run `head-judge checkpoint`)")
    click.echo(f"proof: {len(proof.path)} hash(es), RFC 9162 section 2.1.4")
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
        click.echo(f"checkpoint at entry {entry.seq}: {view.size} entries, root {view.root}")


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
    for line in recovery_lines(report):
        click.echo(line)
    verdict = audit(home)
    click.echo(f"audit of the rebuilt master: {verdict.summary()}")
    if not report.complete or not verdict.ok:
        sys.exit(1)


def recovery_lines(report: RecoveryReport) -> list[str]:
    """What a rebuild recovered, refused and skipped, and what to do next."""
    lines = [f"Rebuilt the master for {report.event_id} in {report.home} from "
             f"{len(report.stores)} terminal store(s):"]
    for s in report.stores:
        key = f"device {s.device}" if s.device else "NO device key beside it"
        other = f", {s.other_events} of other finals ignored" if s.other_events else ""
        lines.append(f"  {s.label}: judge {s.judge or '?'}, {key}, {len(s.records)} sheet(s) "
                     f"of this final, {len(s.receipts)} receipted by the old master{other}")
    masters = {s.master_key for s in report.stores if s.master_key}
    if len(masters) > 1:
        lines.append(f"warning: the stores were enrolled with {len(masters)} different head "
                     "judges (keys " + ", ".join(sorted(k.hex()[:12] for k in masters)) + ")")
    digests = {s.event_digest for s in report.stores if s.event_digest}
    if digests - {report.event_digest}:
        lines.append("warning: some stores hold another version of the event file than the "
                     "one given (--event); their sheets were checked against the one given")
    judges = sorted({d.judge for d in report.devices})
    lines.append(f"Recovered {len(report.recovered)} sheet(s) from {len(report.devices)} "
                 f"device(s) of {len(judges)} judge(s) ({', '.join(judges) or 'none'}); "
                 f"the ledger holds {report.ledger_size} entries.")
    if report.refused:
        lines.append(f"REFUSED {len(report.refused)} sheet(s):")
        lines += [f"  {r.describe()}" for r in report.refused]
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)} record(s):")
        lines += [f"  record {s.hash[:12]} from {s.source}: {s.why}" for s in report.skipped]
    lines.append(f"This is a NEW head judge: fingerprint {report.fingerprint}.")
    lines.append("The old key is gone, so every terminal must enrol again with a new code "
                 f"(head-judge --home {report.home} enrol-codes) before it can send or "
                 "receive anything.")
    return lines


COMMANDS = (audit_group, checkpoint_command, rebuild_command)
