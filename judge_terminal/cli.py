"""`judge-terminal`: the judge laptop's command line, a thin layer over `sync.store` and
`sync.client` (the Textual app calls the same functions).

User mistakes (a typo in a code, a value off the rubric, a bad address, not enrolled yet) end
with one line and exit code 2; a head judge that cannot be reached or is not the pinned one
ends with one line and exit code 1. Never a traceback for either.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
import platformdirs

from sync.clock import local_now
from sync.codes import EnrolmentCode
from sync.home import HomeInUse, HomeLock
from sync.identity import IdentityError, format_fingerprint
from sync.store import Notice, StoreError, TerminalStore
from sync.zones import event_zone, shown_iso

if TYPE_CHECKING:  # the network side is imported by the commands that use it (launch time)
    from sync.client import SyncClient, SyncState
    from sync.discovery import FoundMaster

DEFAULT_PORT = 8765
"""The port `head-judge serve` listens on unless told otherwise."""


class _Refused(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _fail(message: str, code: int = 2) -> NoReturn:
    raise _Refused(message, code)


class TerminalGroup(click.Group):
    """Turns refusals from any command into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _Refused as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.code)
        except StoreError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except IdentityError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except Exception as exc:
            discovery = sys.modules.get("sync.discovery")  # loaded if it raised this
            if discovery is not None and isinstance(exc, discovery.NoNetwork):
                instead = (" (or enrol with --master HOST:PORT)" if ctx.invoked_subcommand ==
                           "browse" else ", or give --master HOST:PORT")
                click.echo("error: cannot look for the head judge: this laptop has no network "
                           f"connection (no IPv4 address); connect to the venue network{instead}",
                           err=True)
                sys.exit(2)
            client = sys.modules.get("sync.client")  # loaded if it raised this
            if client is None or not isinstance(exc, client.SyncError):
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(2 if isinstance(exc, client.CodeTypo | client.MasterRefused) else 1)


@click.group(cls=TerminalGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home", type=click.Path(file_okay=False, path_type=Path),
    default=lambda: platformdirs.user_data_dir("finals-kiosk-terminal", appauthor=False),
    show_default="the platform's user data folder", help="Data folder of this judge laptop.",
)
@click.version_option(package_name="finals-kiosk")
@click.pass_context
def main(ctx: click.Context, home: Path) -> None:
    """Judge's terminal for an on-site final (评委终端).

    Without a command, opens the score-sheet app (the same as `judge-terminal app`): on first
    run it finds the head judge and asks for your enrolment code, later runs go straight to
    your queue. Keys in the app: Enter open, F2 or Ctrl+S submit, Esc back, F4 中文/English,
    ? or F1 help, Ctrl+Q quit."""
    ctx.obj = {"home": home}
    if ctx.invoked_subcommand is None:
        ctx.invoke(app_cmd)


LOCK_FILE = "terminal.lock"
"""Locked in the home by the app and by `sync`: one process talks to the head judge."""


def _hold_home(ctx: click.Context, command: str) -> None:
    """Hold the home for this process (the app or `sync`) until it ends: two of them would
    push the same outbox and race over receipts and the pull cursor. Refused with one line
    naming the other's PID; commands that only read or write one transaction need no lock."""
    try:
        lock = HomeLock.acquire(ctx.obj["home"], LOCK_FILE, command)
    except HomeInUse as exc:
        _fail(str(exc))
    ctx.call_on_close(lock.release)


def _open(ctx: click.Context) -> TerminalStore:
    store = TerminalStore.open(ctx.obj["home"])
    ctx.call_on_close(store.close)
    return store


def _parse_code(words: Sequence[str]) -> tuple[str, EnrolmentCode]:
    """The code as typed (spaces and dashes anywhere) and parsed; a typo ends the command."""
    from sync.client import CodeTypo, parse_code

    text = " ".join(words)
    try:
        return text, parse_code(text)
    except CodeTypo as exc:
        _fail(f"{exc.reason}; nothing was sent")


def _address(text: str) -> tuple[str, int]:
    host, sep, port_text = text.rpartition(":")
    if not sep:
        host, port_text = text, str(DEFAULT_PORT)
    host = host.strip("[]")
    try:
        port = int(port_text)
    except ValueError:
        port = 0
    if not host or not 0 < port < 65536:
        _fail(f"{text!r} is not an address; expected HOST:PORT such as 192.168.1.10:8765")
    return host, port


@main.command("app")
@click.option("--master", "address", metavar="HOST:PORT",
              help="The head judge's address for a first enrolment; without it, the app "
                   "lists head judges found on the network.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Screen language to start in (default: the event's first language; F4 "
                   "switches at any time).")
@click.option("--discover/--no-discover", default=True, show_default=True,
              help="Look for the head judge on the network if its address changed.")
@click.pass_context
def app_cmd(ctx: click.Context, address: str | None = None, lang: str | None = None,
            discover: bool = True) -> None:
    """Open the judge's score-sheet app (keyboard first; the mouse works too).

    Keys: Enter open a contestant, digits type scores, Tab or Enter next field, F2 or Ctrl+S
    submit (a confirmation shows every value), E correct a submitted sheet, Esc back, O the
    contestant on stage, R review requests, F4 or Ctrl+L 中文/English, ? or F1 help, Ctrl+Q
    quit."""
    from .app import JudgeApp  # Textual loads only for the app

    master = _address(address) if address else None
    _hold_home(ctx, "judge-terminal app")  # refused here, before Textual takes the screen
    store = _open(ctx)
    JudgeApp(store, master=master, lang=lang, discover=discover).run()


@main.command("check-code")
@click.argument("code", nargs=-1, required=True)
def check_code(code: tuple[str, ...]) -> None:
    """Check an enrolment code for typos, offline, and show its seat number.

    The code may be typed with or without dashes or spaces."""
    _text, parsed = _parse_code(code)
    click.echo(f"seat: {parsed.seat}")
    click.echo(f"code: {parsed.encode()} (no typo: its check digit matches)")


def _print_masters(found: Sequence[FoundMaster]) -> None:
    for master in found:
        click.echo(f"{master.host}:{master.port}  event {master.event_id or '?'}  "
                   f"protocol {master.proto}  {master.name}")


@main.command("browse")
@click.option("--timeout", type=click.FloatRange(0.5, 60), default=3.0, show_default=True,
              help="Seconds to listen.")
def browse_cmd(timeout: float) -> None:
    """List head judges advertising on this network (a hint only: the pin decides trust)."""
    from sync.discovery import browse

    found = asyncio.run(browse(timeout))
    if not found:
        click.echo("no head judge heard on this network", err=True)
        sys.exit(1)
    _print_masters(found)


@main.command()
@click.argument("code", nargs=-1, required=True)
@click.option("--master", "address", metavar="HOST:PORT",
              help="The head judge's address; without it, look for it on the network.")
@click.option("--timeout", type=click.FloatRange(0.5, 60), default=3.0, show_default=True,
              help="Seconds to listen for head judges when no --master is given.")
@click.pass_context
def enrol(ctx: click.Context, code: tuple[str, ...], address: str | None,
          timeout: float) -> None:
    """Enrol this laptop with the head judge using the one-time CODE for your seat.

    Without --master, the head judge heard on the network; if several are heard, they are
    listed (address, final, master fingerprint) and none is tried: each try costs the code
    a guess, so choose the one on your card and give its --master."""
    from sync.client import SyncClient
    from sync.discovery import browse

    text, _parsed = _parse_code(code)
    candidates = [_address(address)] if address else None
    store = _open(ctx)

    async def go() -> None:
        nonlocal candidates
        async with SyncClient(store) as client:
            if candidates is None:
                found = await browse(timeout)
                if not found:
                    _fail("no head judge heard on this network; give its address with "
                          "--master", 1)
                if len(found) > 1:
                    await _several(client, found)
                # the addresses of the one head judge heard (a link-local IPv6 address
                # needs its interface: not usable)
                candidates = [(host, found[0].port)
                              for host in (found[0].addresses or (found[0].host,))
                              if "%" not in host]
            enrolment, skipped = await client.enrol_any(text, candidates)
        for problem in skipped:
            click.echo(f"skipped: {problem}", err=True)
        event = store.event()
        click.echo(f"enrolled as {enrolment.judge} for {event.name.both(event.languages)}")
        click.echo(f"head judge at {enrolment.address}, master fingerprint "
                   f"{format_fingerprint(enrolment.pin)}")
        click.echo("compare the master fingerprint with your card; if it differs, tell the "
                   "head judge at once")

    asyncio.run(go())


async def _several(client: SyncClient, found: Sequence[FoundMaster]) -> NoReturn:
    """List the head judges heard (address, final, master fingerprint) and end: the judge
    chooses with --master."""
    from .lan import describe_all

    seen = await describe_all(client, [(h, m.port, m.name, m.event_id) for m in found
                                       for h in [a for a in (m.addresses or (m.host,))
                                                 if "%" not in a][:1]])
    for master in seen:
        name = master.event_name.both(("zh", "en")) if master.event_name else master.label
        event = f"  ({master.event_id})" if master.event_id else ""
        print_ = (format_fingerprint(master.fingerprint) if master.fingerprint
                  else "could not be read")
        click.echo(f"{master.address}  {name}{event}\n  master fingerprint {print_}")
    _fail(f"{len(found)} head judges heard on this network; choose the one on your card (its "
          "final and master fingerprint) and give its address with --master HOST:PORT")


def _values(pairs: Sequence[str]) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            _fail(f"{pair!r}: expected CRITERION=VALUE, e.g. appearance=8.5")
        if key in values:
            _fail(f"{key} is given twice")
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            _fail(f"{key}: {text!r} is not a number")
        if not value.is_finite():
            _fail(f"{key}: {text!r} is not a number")
        values[key] = value
    return values


@main.command()
@click.argument("contestant")
@click.option("--value", "-v", "pairs", multiple=True, metavar="CRITERION=VALUE",
              help="One score, e.g. -v appearance=8.5; give every criterion.")
@click.option("--comment", default="", help="Optional comment on the sheet.")
@click.option("--reason", default=None, help="Why, when correcting an earlier sheet.")
@click.pass_context
def submit(ctx: click.Context, contestant: str, pairs: tuple[str, ...], comment: str,
           reason: str | None) -> None:
    """Sign and save your sheet for CONTESTANT (sent by `judge-terminal sync`)."""
    store = _open(ctx)
    if not pairs:
        criteria = ", ".join(f"{c.id} (0-{c.max})" for c in store.event().criteria)
        _fail(f"give every criterion with --value: {criteria}")
    from .model import Board

    board = Board.from_notices(store.notices(), store.require_enrolment().judge)
    excused = board.excused_reason(contestant)
    if excused is not None:  # the master would refuse it (`excused`): say so before signing
        _fail(f"the head judge excused you from scoring {contestant} ({excused}); "
              "nothing to send")
    if contestant in board.locks:  # the master would refuse it (`locked`): nothing is signed
        why = board.locks[contestant]
        _fail(f"{contestant} is locked by the head judge{f' ({why})' if why else ''}; nothing "
              "was saved. Ask the head judge to unlock it first")
    saved = store.submit_sheet(contestant, _values(pairs), comment, reason, now=local_now())
    waiting = store.outbox_size()
    click.echo(f"saved: {contestant} revision {saved.revision} (sheet {saved.seq}, total "
               f"{saved.sheet.total}); {waiting} waiting to be sent")


def _describe_state(state: SyncState) -> str:
    parts = [state.connection, f"outbox {state.outbox}"]
    if state.last_receipt_at:
        parts.append(f"last receipt {state.last_receipt_at}")
    if state.clock_offset is not None:
        parts.append(f"clock offset {state.clock_offset.total_seconds():+.1f} s")
    if state.event_changed:
        parts.append("the head judge changed the event")
    if state.error:
        parts.append(state.error)
    return ", ".join(parts)


def _describe_notice(notice: Notice) -> str:
    """A notice as a sentence (docs/protocol.md lists the kinds and their payloads)."""
    p = notice.payload
    who = str(p.get("contestant") or "")
    reason = str(p.get("reason") or "").strip()
    because = f" (reason: {reason})" if reason else ""
    listed = p.get("contestants")
    named = ", ".join(str(c) for c in listed) if isinstance(listed, list) else ""
    note = str(p.get("note") or "").strip()
    sentence = {
        "event_changed": "the head judge changed the event settings; new sheets are checked "
                         "against them",
        "review_request": f"the head judge asks you to review your sheet for {who}"
                          + (f" (flag {p['flag']})" if p.get("flag") is not None else "")
                          + (f": {note}" if note else "")
                          + f"; review {p.get('review')}: confirm it or submit a correction",
        "review_closed": f"review {p.get('review')} for {who} needs no answer any more{because}",
        "withdrawn": f"the head judge withdrew your sheet for {who}{because}",
        "excused": f"the head judge excused your seat for "
                   f"{named or 'the whole final'}{because}",
        "restored": f"the head judge restored your seat for {named or 'the whole final'}"
                    f"{because}",
        "lock": f"{who} locked by the head judge{because}",
        "unlock": f"{who} unlocked by the head judge{because}",
        "checkpoint": f"the head judge recorded a checkpoint of the ledger{because}",
        "on_stage": f"{who} is on stage" if who else "nobody is marked on stage",
        "succession": "the head judge named a standby master, the successor if the master "
                      "fails",
    }.get(notice.kind, f"{notice.kind} (this version does not know this kind of notice)")
    return f"notice {notice.id}: {sentence}"


@main.command("sync")
@click.option("--once", is_flag=True, help="Send what is waiting, fetch notices, then stop.")
@click.option("--discover/--no-discover", default=True, show_default=True,
              help="Look for the head judge on the network if its address changed.")
@click.pass_context
def sync_cmd(ctx: click.Context, once: bool, discover: bool) -> None:
    """Send saved sheets to the head judge and fetch receipts and notices, and keep doing
    so as sheets are saved, printing each change, until Ctrl+C (--once: one round only)."""
    from sync.client import SyncClient
    from sync.discovery import browse

    _hold_home(ctx, "judge-terminal sync")
    store = _open(ctx)
    store.require_enrolment()
    if once:
        async def one() -> None:
            async with SyncClient(store) as client:
                pushed = await client.drain()
                pulled = await client.pull_once()
            click.echo(f"sent {pushed.sent}: {pushed.accepted} accepted, {pushed.duplicate} "
                       f"already there, {pushed.rejected} rejected; {store.outbox_size()} "
                       f"waiting; {len(pulled.notices)} new notices")
            for notice in pulled.notices:
                click.echo(_describe_notice(notice))
            for problem in pushed.problems + pulled.problems:
                click.echo(f"warning: {problem}", err=True)
            for record in store.rejected():
                click.echo(f"rejected: sheet {record.seq} for {record.contestant}: "
                           f"{record.rejected_reason} ({record.rejected_code})", err=True)

        asyncio.run(one())
        return

    def show(printer: Callable[[str], None]) -> Callable[[SyncState], None]:
        return lambda state: printer(_describe_state(state))

    async def forever() -> None:
        stop = asyncio.Event()
        finder = (lambda: browse(2.0)) if discover else None
        async with SyncClient(store, on_state=show(click.echo), discover=finder,
                              on_notice=lambda n: click.echo(_describe_notice(n))) as client:
            await client.run(stop)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(forever())


@main.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show the data folder, the enrolment and what has reached the head judge."""
    store = _open(ctx)
    click.echo(f"data folder {Path(ctx.obj['home']).resolve()}")
    enrolment = store.enrolment()
    if enrolment is None:
        click.echo(f"not enrolled (device {store.device_id}); enrol with the code from the "
                   "head judge")
        return
    event = store.event()
    state = store.status()
    click.echo(f"judge {enrolment.judge} at {event.name.both(event.languages)}")
    click.echo(f"head judge {enrolment.address}, fingerprint "
               f"{format_fingerprint(enrolment.pin)}")
    click.echo(f"device {enrolment.device}")
    click.echo(f"sheets {state.sheets}, waiting to be sent {state.outbox}, receipts "
               f"{state.receipts}, rejected {state.rejected}")
    receipt = state.last_receipt_at
    click.echo("last receipt "
               + (shown_iso(receipt, event_zone(event)) if receipt else "none yet"))
    if state.stranded:
        click.echo(f"{state.stranded} sheets of an earlier enrolment cannot be sent")
    if store.master_event_digest() not in (None, enrolment.event_digest):
        click.echo("the head judge changed the event since this laptop last heard of it")
    for record in store.rejected():
        click.echo(f"rejected: sheet {record.seq} for {record.contestant}: "
                   f"{record.rejected_reason} ({record.rejected_code})")


if __name__ == "__main__":  # pragma: no cover
    main()
