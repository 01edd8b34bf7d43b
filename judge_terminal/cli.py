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
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
import platformdirs

from sync.clock import local_now
from sync.codes import EnrolmentCode
from sync.home import HomeInUse, HomeLock
from sync.identity import IdentityError, format_fingerprint
from sync.phrases import Phrase, shown
from sync.store import Notice, StoreError, TerminalStore
from sync.usage import BilingualUsageGroup
from sync.zones import event_zone, shown_iso

from .model import check_code as check_typed
from .words import LANGUAGES, Sentence, say

if TYPE_CHECKING:  # the network side is imported by the commands that use it (launch time)
    from sync.client import SyncClient, SyncState
    from sync.discovery import FoundMaster

DEFAULT_PORT = 8765
"""The port `head-judge serve` listens on unless told otherwise."""


class _Refused(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _fail(message: str, code: int = 2) -> NoReturn:
    """End the command: `message` (a `Sentence`, or text from elsewhere) on stderr, in each
    language, and exit `code`."""
    raise _Refused(message, code)


def _echo(said: str, languages: Sequence[str] = LANGUAGES, *, err: bool = False) -> None:
    """A sentence of the terminal's words, one line per language (Chinese first; the same
    line once); any other text as it is."""
    lines = [said.render(lang) for lang in languages] if isinstance(said, Sentence) else [said]
    for line in dict.fromkeys(lines):
        click.echo(line, err=err)


def _error(problem: str) -> None:
    """`错误：…` then `error: …` for a sentence of a catalogue (the terminal's words, the
    sync layer's problems); `error: …` alone for text from elsewhere (the master's English)."""
    if isinstance(problem, Phrase):
        _echo(Sentence("cli_error", problem=problem), err=True)
    else:
        click.echo(f"error: {problem}", err=True)


class TerminalGroup(BilingualUsageGroup):
    """Turns refusals from any command into one line on stderr and an exit code, and
    click's usage errors into a Chinese line before click's own (`sync.usage`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except _Refused as exc:
            _error(exc.message)
            sys.exit(exc.code)
        except StoreError as exc:
            _error(exc.reason)
            sys.exit(2)
        except IdentityError as exc:
            _error(exc.reason)
            sys.exit(1)
        except Exception as exc:
            discovery = sys.modules.get("sync.discovery")  # loaded if it raised this
            if discovery is not None and isinstance(exc, discovery.NoNetwork):
                instead = Sentence("cli_no_network_browse" if ctx.invoked_subcommand == "browse"
                                   else "cli_no_network_enrol", option="--master HOST:PORT")
                _error(Sentence("cli_no_network", instead=instead))
                sys.exit(2)
            client = sys.modules.get("sync.client")  # loaded if it raised this
            if client is None or not isinstance(exc, client.SyncError):
                raise
            _error(exc.reason)
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
    except CodeTypo:
        check = check_typed(text)
        state = {"maybe_more": "typo", "ok": "typo", "empty": "typing"}.get(check.state,
                                                                          check.state)
        _fail(Sentence("cli_code_typo", problem=Sentence(
            f"cli_typo_{state}", **({"position": check.position, "char": check.char}
                                    if state == "bad_char" else {}))))


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
        _fail(Sentence("cli_not_an_address", given=repr(text)))
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
    _echo(Sentence("cli_seat", seat=parsed.seat))
    _echo(Sentence("cli_code_ok", code=parsed.encode()))


def _print_masters(found: Sequence[FoundMaster]) -> None:
    for master in found:
        _echo(Sentence("cli_master_heard", address=f"{master.host}:{master.port}",
                       event=master.event_id or "?", proto=master.proto, name=master.name))


@main.command("browse")
@click.option("--timeout", type=click.FloatRange(0.5, 60), default=3.0, show_default=True,
              help="Seconds to listen.")
def browse_cmd(timeout: float) -> None:
    """List head judges advertising on this network (a hint only: the pin decides trust)."""
    from sync.discovery import browse

    found = asyncio.run(browse(timeout))
    if not found:
        _echo(Sentence("cli_nobody_heard"), err=True)
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
    from sync.client import CodeTypo, MasterRefused, SyncClient, SyncError
    from sync.discovery import browse

    from .lan import enrol_problem

    text, parsed = _parse_code(code)
    candidates = [_address(address)] if address else None
    store = _open(ctx)

    async def go() -> None:
        nonlocal candidates
        async with SyncClient(store) as client:
            if candidates is None:
                found = await browse(timeout)
                if not found:
                    _fail(Sentence("cli_nobody_heard_give", option="--master"), 1)
                if len(found) > 1:
                    await _several(client, found)
                # the addresses of the one head judge heard (a link-local IPv6 address
                # needs its interface: not usable)
                candidates = [(host, found[0].port)
                              for host in (found[0].addresses or (found[0].host,))
                              if "%" not in host]
            try:
                enrolment, skipped = await client.enrol_any(text, candidates)
            except SyncError as exc:
                key, params = enrol_problem(exc, parsed.seat)
                if key in ("enrol_stale", "enrol_unreachable"):  # the app's say "press Enter"
                    key = f"cli_{key}"
                _fail(Sentence(key, **params), 2 if isinstance(exc, CodeTypo | MasterRefused)
                      else 1)
        for problem in skipped:
            _echo(Sentence("cli_skipped", problem=problem), err=True)
        event = store.event()
        languages = event.languages
        _echo(Sentence("cli_enrolled", judge=enrolment.judge,
                       event=event.name.both(languages)), languages)
        _echo(Sentence("cli_enrolled_master", address=enrolment.address,
                       fingerprint=format_fingerprint(enrolment.pin)), languages)
        _echo(Sentence("cli_compare_fingerprint"), languages)

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
                  else Sentence("cli_fingerprint_unread"))
        click.echo(f"{master.address}  {name}{event}")
        _echo(Sentence("cli_master_fingerprint", fingerprint=print_))
    _fail(Sentence("cli_several_masters", n=len(found), option="--master HOST:PORT"))


def _values(pairs: Sequence[str]) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            _fail(Sentence("cli_not_a_pair", given=repr(pair), example="appearance=8.5"))
        if key in values:
            _fail(Sentence("cli_given_twice", criterion=key))
        try:
            value = Decimal(text.strip())
        except InvalidOperation:
            _fail(Sentence("cli_not_a_number", criterion=key, given=repr(text)))
        if not value.is_finite():
            _fail(Sentence("cli_not_a_number", criterion=key, given=repr(text)))
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
        _fail(Sentence("cli_give_every_criterion", option="--value", criteria=criteria))
    from .model import Board

    board = Board.from_notices(store.notices(), store.require_enrolment().judge)
    excused = board.excused_reason(contestant)
    if excused is not None:  # the master would refuse it (`excused`): say so before signing
        _fail(Sentence("cli_excused", contestant=contestant, reason=excused))
    if contestant in board.locks:  # the master would refuse it (`locked`): nothing is signed
        why = board.locks[contestant]
        _fail(Sentence("cli_locked", contestant=contestant,
                       why=Sentence("cli_why", reason=why) if why else ""))
    saved = store.submit_sheet(contestant, _values(pairs), comment, reason, now=local_now())
    _echo(Sentence("cli_saved", contestant=contestant, revision=saved.revision,
                   sheet=saved.seq, total=saved.sheet.total, waiting=store.outbox_size()),
          store.event().languages)


def _describe_state(state: SyncState, lang: str) -> str:
    parts = [say(state.connection, lang), say("cli_state_outbox", lang, n=state.outbox)]
    if state.last_receipt_at:
        parts.append(say("cli_state_receipt", lang, at=state.last_receipt_at))
    if state.clock_offset is not None:
        parts.append(say("cli_state_offset", lang,
                         s=f"{state.clock_offset.total_seconds():+.1f}"))
    if state.event_changed:
        parts.append(say("cli_state_event_changed", lang))
    if state.error:
        parts.append(shown(state.error, lang))
    return ("，" if lang == "zh" else ", ").join(parts)


def _describe_notice(notice: Notice) -> Sentence:
    """A notice as a sentence (docs/protocol.md lists the kinds and their payloads)."""
    p = notice.payload
    who = str(p.get("contestant") or "")
    reason = str(p.get("reason") or "").strip()
    because = Sentence("cli_because", reason=reason) if reason else ""
    listed = p.get("contestants")
    named = (", ".join(str(c) for c in listed) if isinstance(listed, list) and listed
             else Sentence("cli_whole_final"))
    note = str(p.get("note") or "").strip()
    kinds: dict[str, dict[str, object]] = {
        "event_changed": {},
        "review_request": {"who": who, "review": p.get("review"),
                           "flag": Sentence("cli_about_flag", flag=p["flag"])
                           if p.get("flag") is not None else "",
                           "note": Sentence("cli_note", note=note) if note else ""},
        "review_closed": {"who": who, "review": p.get("review"), "because": because},
        "withdrawn": {"who": who, "because": because},
        "excused": {"named": named, "because": because},
        "restored": {"named": named, "because": because},
        "lock": {"who": who, "because": because},
        "unlock": {"who": who, "because": because},
        "checkpoint": {"because": because},
        "on_stage": {"who": who},
        "succession": {},
    }
    params = kinds.get(notice.kind)
    if params is None:
        sentence = Sentence("cli_notice_unknown", kind=notice.kind)
    elif notice.kind == "on_stage" and not who:
        sentence = Sentence("cli_notice_nobody_on_stage")
    else:
        sentence = Sentence(f"cli_notice_{notice.kind}", **params)
    return Sentence("cli_notice", id=notice.id, sentence=sentence)


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
    languages = store.event().languages
    if once:
        async def one() -> None:
            async with SyncClient(store) as client:
                pushed = await client.drain()
                pulled = await client.pull_once()
            _echo(Sentence("cli_sent", sent=pushed.sent, accepted=pushed.accepted,
                           duplicate=pushed.duplicate, rejected=pushed.rejected,
                           waiting=store.outbox_size(), notices=len(pulled.notices)), languages)
            for notice in pulled.notices:
                _echo(_describe_notice(notice), languages)
            for problem in pushed.problems + pulled.problems:
                _echo(Sentence("cli_warning", problem=problem), languages, err=True)
            for record in store.rejected():
                _echo(_rejected(record), languages, err=True)

        asyncio.run(one())
        return

    def show(state: SyncState) -> None:
        for line in dict.fromkeys(_describe_state(state, lang) for lang in languages):
            click.echo(line)

    async def forever() -> None:
        stop = asyncio.Event()
        finder = (lambda: browse(2.0)) if discover else None
        async with SyncClient(store, on_state=show, discover=finder,
                              on_notice=lambda n: _echo(_describe_notice(n), languages)
                              ) as client:
            await client.run(stop)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(forever())


@main.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show the data folder, the enrolment and what has reached the head judge."""
    store = _open(ctx)
    folder = Sentence("cli_data_folder", folder=Path(ctx.obj["home"]).resolve())
    enrolment = store.enrolment()
    if enrolment is None:
        _echo(folder)
        _echo(Sentence("cli_not_enrolled", device=store.device_id))
        return
    event = store.event()
    languages = event.languages
    state = store.status()
    receipt = state.last_receipt_at
    lines = [folder,
             Sentence("cli_judge_at", judge=enrolment.judge, event=event.name.both(languages)),
             Sentence("cli_head_judge_at", address=enrolment.address,
                      fingerprint=format_fingerprint(enrolment.pin)),
             Sentence("cli_device", device=enrolment.device),
             Sentence("cli_counts", sheets=state.sheets, outbox=state.outbox,
                      receipts=state.receipts, rejected=state.rejected),
             Sentence("cli_last_receipt", at=shown_iso(receipt, event_zone(event)) if receipt
                      else Sentence("cli_none_yet"))]
    if state.stranded:
        lines.append(Sentence("cli_stranded", n=state.stranded))
    if store.master_event_digest() not in (None, enrolment.event_digest):
        lines.append(Sentence("cli_event_changed"))
    lines += [_rejected(record) for record in store.rejected()]
    for line in lines:
        _echo(line, languages)


def _rejected(record: Any) -> Sentence:
    return Sentence("cli_rejected", sheet=record.seq, contestant=record.contestant,
                    reason=record.rejected_reason, code=record.rejected_code)


if __name__ == "__main__":  # pragma: no cover
    main()
