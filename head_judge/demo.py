"""`head-judge demo`: a complete final played out for real, with nothing to configure.

The livestream final shipped with the package is run by a real master (TLS, mDNS on
loopback, SQLite ledger) and one real process per judge (`judge_terminal.simulate`: the
judge laptop's store and client). On the way it stages what happens in a hall: a judge far
off on one contestant (flag, review request, revised sheet), a judge's laptop killed and the
judge re-enrolled on a spare, the Wi-Fi dropping, the platform data imported, an appeal filed
and rejected. Then every contestant is locked, results are published, the PDF pack printed,
the audit verified and one sheet code checked. Stages run in order; each is timed.

`head-judge demo --watch` shows the same final in the head judge's console (`watched`): the
console runs over the demo's master and server while the stages play in the background. It
also serves the audience's screen (`head_judge.screen_server`, on `DEFAULT_SCREEN_PORT` or any
free port) and reveals (亮分) each contestant once every sheet is in and nothing is open
(`reveal_as_it_goes`), one reveal at a time, before results are published; the console shows
the screen's address, to open in a browser while the demo runs.

`head-judge --home H demo` keeps the demo's master in H (which must be empty or new), to be
opened afterwards by any command (`head-judge --home H results`, `audit`, `export`); without
--home the master is temporary. Either way the judges' laptops, their certificates and logs
live in a temporary folder the demo removes when it ends (`clean_up`), so nothing is left in
the system's temporary folder; when a stage fails, the logs are first copied into the output
folder (`LOGS`) and the summary says where.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from rich.console import Console
from rich.table import Table

from sync.clock import utc_now
from sync.discovery import Advertisement, advertise
from sync.event import Event, Text
from sync.event_file import load_event

from .actions import ActionRefused, HeadJudge
from .appeals import decide_appeal, dossier, file_appeal
from .audit import audit
from .entry_lines import flag_message
from .master import Master
from .refusals import Message
from .reveal import reveal, reveal_blockers, reveal_figures
from .server import MasterServer

if TYPE_CHECKING:
    from .console.app import ConsoleApp
    from .screen_server import ScreenServer

FAR_OFF = ("J3", "L05")  # the fixture's judge far off on one contestant
DEAD_LAPTOP = "J2"  # whose laptop dies mid-final
SPOKEN: Final = ("zh", "en")
"""The demo's own lines and notices speak both languages, Chinese first."""
APPEAL = ("L13", "与 L14 最终得分并列，请求并列三等奖 tied with L14 on the final score; asks "
          "for a shared third prize", "L13 的指导老师 L13's instructor")
"""The appeal the demo files, in the words a head judge types: Chinese, then English."""
JUDGES_STOP_SECONDS = 3.0
"""How long a judge process is given to stop on SIGTERM before it is killed."""

SEEN_WHILE_RUNNING = {"demo_wifi"}
"""Stages the console announces as they start (their effect shows while they run); the
others are announced when done."""


def demo_final() -> Path:
    """The folder of the final shipped with the package."""
    return Path(str(resources.files("head_judge") / "demo_final"))


@dataclass
class Stage:
    name: Message
    """As a str, its English name (`demo_*` in the catalogue)."""
    seconds: float
    detail: Message | None

    def said(self) -> Message:
        return Message("demo_stage_done", stage=self.name, seconds=f"{self.seconds:.1f}",
                       detail=Message("demo_detail", detail=self.detail) if self.detail else "")


@dataclass
class DemoReport:
    home: Path
    output: Path
    stages: list[Stage] = field(default_factory=list)
    sheets_received: int = 0
    flags: list[Message] = field(default_factory=list)
    audit_ok: bool = False
    verified_code: str = ""
    code_ok: bool = False
    pdfs: list[Path] = field(default_factory=list)
    complete: bool = False
    """Every stage ran."""
    failure: str = ""
    """Why a watched demo stopped (`watched`)."""


class Demo:
    """Runs the staged final; `say` reports progress line by line."""

    def __init__(self, output: Path, say: Callable[[str], None], pace: float = 0.03,
                 beat: float = 0.0, home: Path | None = None, *,
                 screen_port: int | None = None, reveal_gap: float | None = None) -> None:
        self.folder = demo_final()
        self.event: Event = load_event(self.folder / "event.toml")
        self.output = output
        self.say = say
        self.pace = pace
        self.beat = beat
        """A pause after each stage, for someone watching."""
        self.work = Path(tempfile.mkdtemp(prefix="finals-kiosk-demo-"))
        """The judges' laptops and the logs: removed by `clean_up`."""
        self.kept = home is not None
        """The master is in a folder the user named (--home), kept after the demo."""
        self.report = DemoReport(home if home is not None else self.work / "master", output)
        self.judges: dict[str, subprocess.Popen[bytes]] = {}
        self._master: Master | None = None
        self.server: MasterServer | None = None
        self.port = 0
        self.advertisement: Advertisement | None = None
        self.screen_port = screen_port
        """The audience's screen's port (0: any free one); None: no screen."""
        self.screen: ScreenServer | None = None
        self.screen_url = ""
        self.reveal_gap = reveal_gap
        """Seconds from one reveal to the next (`reveal_as_it_goes`); None: no reveals."""
        self.revealed: list[str] = []
        """The contestants revealed, in the order they were (again, after a change)."""
        self._revealer: asyncio.Task[None] | None = None

    # --- helpers --------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return utc_now()

    async def stage(self, name: str, action: Callable[[], object]) -> None:
        """Run the stage `name` (its `demo_*` message id); say what it did."""
        said = Message(name)
        self.stage_started(said)
        start = time.perf_counter()
        result = action()
        if asyncio.iscoroutine(result):
            result = await result
        done = Stage(said, time.perf_counter() - start,
                     result if isinstance(result, Message) else None)
        self.report.stages.append(done)
        self.stage_done(done)
        if self.beat:
            await asyncio.sleep(self.beat)

    def stage_started(self, name: Message) -> None:
        self.say(f"▶ {name.both(('zh', 'en'))}")

    def stage_done(self, stage: Stage) -> None:
        for lang in ("zh", "en"):
            self.say(f"  {stage.said().render(lang)}")

    async def wait_until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the demo timed out waiting for {what}")
            await asyncio.sleep(0.1)

    def expected_sheets(self) -> int:
        return sum(len(self.event.panel_for(c)) for c in self.event.contestants
                   if c.id in self.scored)

    def judge_process(self, judge: str, code: str, home: Path, *extra: str
                      ) -> subprocess.Popen[bytes]:
        with (self.work / f"{home.name}.log").open("ab") as log:  # the child keeps its copy
            return subprocess.Popen(
                [sys.executable, "-m", "judge_terminal.simulate", "--home", str(home), "--code",
                 code, "--judge", judge, "--sheets", str(self.folder / "sheets.csv"), "--event",
                 self.event.id, "--pace", str(self.pace), *extra],
                stdout=log, stderr=subprocess.STDOUT)

    # --- stages ---------------------------------------------------------------------------

    @property
    def master(self) -> Master:
        """The demo's master, opened the first time it is needed."""
        if self._master is None:
            self._master = Master.open(self.report.home, self.event, now=self.now())
            self.head = HeadJudge(self._master)
        return self._master

    async def listen(self, port: int) -> int:
        """Start the master's server on loopback (`port` 0: any); the port bound."""
        self.server = MasterServer(self.master)
        return await self.server.start("127.0.0.1", port)

    async def stop_listening(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            await server.close()

    async def start_master(self) -> Message:
        self.port = await self.listen(0)
        self.advertisement = await advertise(
            self.event.id, f"demo head judge {os.getpid()}", self.port, ["127.0.0.1"],
            interfaces=["127.0.0.1"])
        if self.screen_port is not None:
            self.screen_url = await self.start_screen(self.screen_port)
        return Message("demo_listening", url=f"https://127.0.0.1:{self.port}",
                       fingerprint=self.master.identity.fingerprint_text,
                       screen=Message("demo_screen", url=self.screen_url)
                       if self.screen_url else "")

    async def start_screen(self, port: int) -> str:
        """Serve the audience's screen on loopback (`port`, else any free port when it is
        taken); the big screen's address. It stays up while the judges' Wi-Fi drops, until
        the master closes."""
        from .screen_server import ScreenServer, open_screen, screen_urls

        head = HeadJudge(self.master)
        opened = await open_screen(head, "127.0.0.1", port, ["127.0.0.1"])
        if not isinstance(opened, ScreenServer) and port != 0:
            opened = await open_screen(head, "127.0.0.1", 0, ["127.0.0.1"])
        if not isinstance(opened, ScreenServer):
            raise RuntimeError(str(opened))
        self.screen = opened
        return screen_urls("127.0.0.1", opened.port or 0)["screen"]

    # --- the reveal (亮分), as the head judge does it on stage ----------------------------------

    def shown_figures(self) -> dict[str, dict[str, Any]]:
        """Each revealed contestant's figures as last shown on the screen."""
        rows = self.master.ledger.conn.execute("SELECT contestant, figures FROM reveals")
        return {cid: json.loads(figures) for cid, figures in rows}

    def next_to_reveal(self) -> str | None:
        """The first contestant in running order whose sheets are all in with nothing open
        and who is not on the screen yet, or is with figures that changed since (a review's
        revision, or the final score once the platform data is in); None when there is
        none now."""
        shown = self.shown_figures()
        components = self.head.components()
        for contestant in self.event.running_order():
            if contestant.id not in self.scored or reveal_blockers(self.head, contestant.id):
                continue
            totals = {s.judge: sum(s.values.values(), Decimal(0))
                      for s in self.head.sheets(contestant.id) if not s.withdrawn}
            if totals and shown.get(contestant.id) != reveal_figures(
                    self.event, contestant, totals, components):
                return contestant.id
        return None

    async def reveal_as_it_goes(self) -> None:
        """Reveal each contestant as soon as it can be, one every `reveal_gap` seconds (the
        screen's animation takes about 3 s); runs until cancelled."""
        while True:
            contestant = self.next_to_reveal()
            if contestant is None:
                await asyncio.sleep(0.2)
                continue
            try:
                reveal(self.head, contestant)
            except ActionRefused:  # a flag raised in between: it waits for the head judge
                await asyncio.sleep(0.2)
                continue
            self.revealed.append(contestant)
            self.revealed_now(contestant)
            await asyncio.sleep(self.reveal_gap or 0.0)

    def revealed_now(self, contestant: str) -> None:
        found = self.event.contestant(contestant)
        self.say(Message("demo_revealed", contestant=contestant,
                         name=found.name if found else "").stacked(SPOKEN))

    async def reveal_the_rest(self) -> Message:
        """Wait until every contestant who was scored is on the screen with the totals
        that count now, then stop revealing."""
        gap = self.reveal_gap or 0.0
        await self.wait_until(lambda: self.next_to_reveal() is None
                              and set(self.shown_figures()) >= self.scored,
                              30 + gap * 2 * len(self.scored), "every reveal")
        await self.stop_revealing()
        again = len(self.revealed) - len(set(self.revealed))
        return Message("demo_did_reveal", n=len(set(self.revealed)),
                       again=Message("demo_again", n=again) if again else "")

    async def stop_revealing(self) -> None:
        revealer, self._revealer = self._revealer, None
        if revealer is not None:
            revealer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await revealer

    def start_judges(self) -> Message:
        with open(self.folder / "sheets.csv", encoding="utf-8") as f:
            self.scored = {line.split(",")[1] for line in f.read().splitlines()[1:] if line}
        codes = self.master.issue_codes(now=self.now())
        for issued in codes:
            judge = issued.judge
            extra = ["--revise", f"{FAR_OFF[1]}+2.5"] if judge.id == FAR_OFF[0] else []
            self.judges[judge.id] = self.judge_process(judge.id, issued.code.encode(),
                                                       self.work / f"laptop-{judge.id}", *extra)
        return Message("demo_did_judges", n=len(codes))

    def sheets_of(self, judge: str) -> set[str]:
        return {s.contestant for s in self.head.sheets() if s.judge == judge}

    async def kill_a_laptop(self) -> Message:
        await self.wait_until(lambda: len(self.sheets_of(DEAD_LAPTOP)) >= 6, 60,
                              f"{DEAD_LAPTOP}'s first sheets")
        self.judges[DEAD_LAPTOP].send_signal(signal.SIGKILL)
        self.judges[DEAD_LAPTOP].wait()
        done = self.sheets_of(DEAD_LAPTOP)
        (issued,) = self.master.issue_codes([DEAD_LAPTOP], now=self.now())
        todo = [c.id for c in self.event.contestants if c.id not in done and c.id in self.scored]
        self.judges[DEAD_LAPTOP] = self.judge_process(
            DEAD_LAPTOP, issued.code.encode(), self.work / f"spare-{DEAD_LAPTOP}", "--only",
            ",".join(todo))
        return Message("demo_did_dead", judge=DEAD_LAPTOP, n=len(done), left=len(todo))

    async def drop_wifi(self) -> Message:
        await self.stop_listening()
        await asyncio.sleep(2.0)
        await self.listen(self.port)
        return Message("demo_did_wifi")

    async def all_sheets_in(self) -> Message:
        await self.wait_until(lambda: len(self.head.sheets()) >= self.expected_sheets(), 120,
                              "every judge's sheets")
        self.report.sheets_received = len(self.head.sheets())
        return Message("demo_did_sheets", n=self.report.sheets_received)

    async def resolve_flags(self) -> Message:
        judge, contestant = FAR_OFF
        far = [f for f in self.head.flags("open", contestant) if judge in f.judges]
        if far:
            self.head.request_review(judge, "总分与其他评委相差较大，请核对 your total is far "
                                     "from the panel's; please check",
                                     flag=far[0].id)
            await self.wait_until(
                lambda: not self.head.reviews("open", contestant), 30, "the judge's answer")
        for flag in self.head.flags("open"):
            self.head.accept_flag(flag.id, "差异属评委的专业判断 difference is the judge's "
                                  "considered view")
        for flag in self.head.flags():
            self.report.flags.append(Message("demo_flag_ended", status=Message(
                f"status_{flag.status}"), flag=flag_message(flag.flag(), self.event)))
        return Message("demo_did_flags", n=len(self.report.flags), judge=judge,
                       contestant=contestant)

    def import_data(self) -> Message:
        imported = self.head.import_components("data", self.folder / "data.csv")
        return Message("demo_did_import", n=len(imported.changes))

    def appeal(self) -> Message:
        contestant, ground, filed_by = APPEAL
        row = file_appeal(self.head, contestant, ground, filed_by)
        entries = len(dossier(self.head, row.id).history)
        decide_appeal(self.head, row.id, "rejected",
                      "并列已按公布的规则（直播数据分）区分 the tie was broken by the published "
                      "rule (live data component)")
        return Message("demo_did_appeal", appeal=row.id, contestant=contestant, n=entries)

    def lock_and_publish(self) -> Message:
        for contestant in self.event.contestants:
            if contestant.id in self.head.locks():
                continue
            forced = contestant.id not in self.scored
            self.head.lock(contestant.id, force=forced,
                           reason="未上场 did not appear on stage" if forced else "")
        published = [self.head.publish(scope) for scope in self.head.scopes()]
        said = [Message("demo_version", track=self._track_name(p.track), version=p.version)
                for p in published]
        return Message("demo_detail_list", items=said)

    def _track_name(self, track: str) -> Text | str:
        found = self.event.track(track)
        return found.name if found is not None else track

    def print_pack(self) -> Message:
        from .printing import print_sheets  # the PDF pack is the slowest import

        self.output.mkdir(parents=True, exist_ok=True)
        printed = print_sheets(self.head, out_dir=self.output, now=self.now(),
                               inventory=True)
        self.report.pdfs = sorted(self.output.glob("*.pdf"))
        self.printed = printed
        return Message("demo_did_print", n=len(printed), folder=self.output)

    def verify(self) -> Message:
        from .verification import verify_code

        report = audit(self.master)
        self.report.audit_ok = report.ok
        code = self.printed[0].code
        verdict = verify_code(self.head, code)
        self.report.verified_code = code
        self.report.code_ok = verdict.ok
        return Message("demo_did_verify", audit=Message("demo_ok" if report.ok else "demo_failed"),
                       code=code, verdict=verdict.said()[0])

    async def play(self) -> None:
        """Every stage, in order (the master, its server and the judges keep running)."""
        await self.stage("demo_master", self.start_master)
        await self.stage("demo_judges", self.start_judges)
        if self.reveal_gap is not None:
            self._revealer = asyncio.create_task(self.reveal_as_it_goes())
        await self.stage("demo_dead_laptop", self.kill_a_laptop)
        await self.stage("demo_wifi", self.drop_wifi)
        await self.stage("demo_all_sheets", self.all_sheets_in)
        await self.stage("demo_flags", self.resolve_flags)
        await self.stage("demo_import", self.import_data)
        await self.stage("demo_appeal", self.appeal)
        if self.reveal_gap is not None:
            await self.stage("demo_reveal", self.reveal_the_rest)
        await self.stage("demo_publish", self.lock_and_publish)
        await self.stage("demo_print", self.print_pack)
        await self.stage("demo_verify", self.verify)
        self.report.complete = True

    async def run(self) -> DemoReport:
        try:
            await self.play()
        finally:
            await self.shut_down()
        return self.report

    async def stop_judges(self) -> None:
        """SIGTERM to every judge process, SIGKILL to those still running after a while."""
        for process in self.judges.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + JUDGES_STOP_SECONDS
        while (any(p.poll() is None for p in self.judges.values())
               and time.monotonic() < deadline):
            await asyncio.sleep(0.05)
        for process in self.judges.values():
            if process.poll() is None:
                process.kill()
                process.wait()

    async def shut_down(self, *, close_master: bool = True) -> None:
        """Stop the judges, the advertisement and the server (and close the master); safe
        to call again."""
        await self.stop_revealing()
        await self.stop_judges()
        advertisement, self.advertisement = self.advertisement, None
        if advertisement is not None:
            await advertisement.close()
        await self.stop_listening()
        if close_master and self.screen is not None:  # the screen stays until the master
            screen, self.screen = self.screen, None
            await screen.close()
        if close_master and self._master is not None:
            self._master.close()
            self._master = None

    def clean_up(self) -> Path | None:
        """Remove the temporary folder (the laptops, and the master unless --home); call it
        after `shut_down` and the summary. When the demo did not finish or the audit failed,
        the logs are first copied into `output/LOGS`, returned."""
        kept: Path | None = None
        if not (self.report.complete and self.report.audit_ok):
            logs = sorted(self.work.glob("*.log"))
            if logs:
                kept = self.output / LOGS
                kept.mkdir(parents=True, exist_ok=True)
                for log in logs:
                    shutil.copy2(log, kept / log.name)
        shutil.rmtree(self.work, ignore_errors=True)
        return kept


LOGS = "demo-logs"
"""Where in the output folder the logs of a demo that failed are kept."""


def summary(demo: Demo, report: DemoReport, console: Console) -> None:
    langs = demo.event.languages

    def lines(said: Message, indent: str = "") -> None:
        console.print(textwrap.indent(said.stacked(langs), indent), markup=False)

    console.print(f"\n[bold]{demo.event.name.both(langs)}[/bold]")
    lines(Message("demo_sum_sheets", n=report.sheets_received))
    lines(Message("demo_sum_flags"))
    for flag in report.flags:
        lines(flag, "  ")
    master = Master.open(report.home, now=utc_now())
    try:
        results = HeadJudge(master).current_results()
    finally:
        master.close()
    tiers = {t.id: t.name.both(langs) for t in demo.event.awards.tiers}
    for scope in results.scopes:
        track = demo.event.track(scope.track)
        title = Message("demo_sum_top", track=track.name if track else scope.track)
        table = Table(title=title.stacked(langs), title_justify="left")
        for column in ("demo_sum_rank", "demo_sum_contestant", "demo_sum_final",
                       "demo_sum_prize"):
            table.add_column(Message(column).both(langs))
        for s in scope.ranking[:5]:
            contestant = demo.event.contestant(s.contestant)
            table.add_row(str(s.rank), f"{s.contestant} {contestant.name if contestant else ''}",
                          str(s.final), tiers.get(s.prize or "", "—"))
        console.print(table)
    lines(Message("demo_sum_pack", folder=report.output, n=len(report.pdfs)))
    lines(Message("demo_sum_audit", audit=Message("demo_ok" if report.audit_ok else "demo_failed"),
                  code=report.verified_code,
                  verdict=Message("demo_sum_matches" if report.code_ok else "demo_sum_no_match")))
    if demo.screen_url:
        lines(Message("demo_sum_screen", url=demo.screen_url, n=len(set(demo.revealed))))
    if demo.kept:
        lines(Message("demo_sum_kept", home=report.home))
    else:
        lines(Message("demo_sum_temporary", command="`head-judge --home DIR demo`", folder="DIR"))
    lines(Message("demo_sum_timings"))
    for stage in report.stages:
        console.print(f"  {stage.seconds:5.1f} s  {stage.name.both(langs)}", markup=False)


def run_demo(output: Path, home: Path | None = None) -> DemoReport:
    """The demo with its stage lines and summary on the terminal; the master in `home` (kept)
    or in a temporary folder; nothing left in temporary folders afterwards."""
    console = Console()
    demo = Demo(output, lambda line: console.print(line), home=home)
    try:
        report = asyncio.run(demo.run())
        summary(demo, report, console)
    finally:
        logs = demo.clean_up()
        if logs is not None:
            console.print(Message("demo_sum_logs", folder=logs).stacked(SPOKEN), markup=False)
    return report


# --- `--watch`: the head judge's console on the running demo ------------------------------------

WATCH_PACE = 0.4
"""Seconds between a judge's sheets when watched: slow enough to see the matrix fill."""
WATCH_BEAT = 2.0
"""Seconds after each stage when watched: time to read its notification."""
WATCH_REVEAL_GAP = 3.5
"""Seconds from one reveal to the next when watched: the screen's animation (about 3 s)
plays out before the next contestant's figures arrive."""
SCREEN_NOTICE_SECONDS = 30.0
"""How long the console keeps the screen's address in view (it is also in the demo log and
the summary printed at the end); longer, and it hides the matrix's last judge column."""
DEMO_LOG = "demo.log"
"""The stage lines, in the demo's folder, while the console has the screen."""

NEEDS_TERMINAL = Message("demo_needs_terminal", option="--watch")


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        print(line, file=f)


def has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def watched(output: Path, pace: float = WATCH_PACE, beat: float = WATCH_BEAT,
            home: Path | None = None, *, screen_port: int | None = None,
            reveal_gap: float | None = WATCH_REVEAL_GAP) -> tuple[ConsoleApp, Demo]:
    """The head judge's console over a demo about to run, and the demo. The console serves
    through the demo's master (the server is the demo's, on loopback); once the console is on
    screen the stages play as a worker on its loop, a notification for each (the stage lines
    go to `DEMO_LOG` in the demo's folder), and the Results screen shows once published.
    The audience's screen is served on loopback (`screen_port`, default `DEFAULT_SCREEN_PORT`
    or any free port when it is taken), its address shown in the console, and each
    contestant is revealed as soon as it can be, `reveal_gap` seconds apart. After
    the last stage the judges and the server stop and the console stays until quit (Ctrl+Q,
    Ctrl+C or q, without asking).
    Whoever runs the app calls `demo.shut_down()` after it (the stages may not have finished).
    """
    from .console.app import ConsoleApp  # Textual only when watching
    from .console.serving import ServeOptions, Serving
    from .screen_server import DEFAULT_SCREEN_PORT

    if screen_port is None:
        screen_port = DEFAULT_SCREEN_PORT

    class WatchedDemo(Demo):
        async def listen(self, port: int) -> int:
            serving = Serving(self.master, ServeOptions("127.0.0.1", port, advertise=False,
                                                        screen_port=None),  # the demo's own
                              on_answer=app.ledger_touched)
            bound = await serving.start()
            self.server = serving.server
            app.serving, app.serve_state = serving, "on"
            return bound

        async def stop_listening(self) -> None:
            self.server = None
            await app.stop_serving()

        def stage_started(self, name: Message) -> None:
            super().stage_started(name)
            if name.id in SEEN_WHILE_RUNNING:
                app.notify(f"▶ {name.render('zh')} · {name.render('en')}", timeout=3.0,
                           markup=False)

        def stage_done(self, stage: Stage) -> None:
            super().stage_done(stage)
            detail = "\n".join(stage.detail.render(lang) for lang in ("zh", "en")) \
                if stage.detail else ""
            app.notify(detail, title=f"✓ {stage.name.render('zh')} · {stage.name.render('en')}",
                       timeout=max(3.0, 2 * self.beat), markup=False)

        async def start_screen(self, port: int) -> str:
            url = await super().start_screen(port)
            self.say(Message("demo_screen_at", url=url).stacked(SPOKEN))
            notice = Message("demo_screen_notice", url=url, overlay="/overlay",
                             results="/results")
            app.notify(notice.stacked(SPOKEN),
                       title=Message("demo_screen_title").both(SPOKEN),
                       timeout=SCREEN_NOTICE_SECONDS, markup=False)
            return url

        def revealed_now(self, contestant: str) -> None:
            super().revealed_now(contestant)
            app.ledger_touched()
            revealed = Message("demo_revealed_notice", contestant=app.contestant_label(contestant))
            app.notify(revealed.stacked(SPOKEN), timeout=3.0, markup=False)

        def lock_and_publish(self) -> Message:
            published = super().lock_and_publish()
            if app.current_mode == "overview":  # nobody has looked elsewhere: show the finale
                app.call_later(app.action_screen, "results")
            return published

    class DemoConsole(ConsoleApp):
        CSS_PATH = str(resources.files("head_judge.console") / "console.tcss")  # not ours
        BINDINGS = [("q", "quit", "key_quit")]  # noqa: RUF012  # Textual merges the MRO's

        def on_ready(self) -> None:
            self.run_worker(self.play(), name="demo", exit_on_error=False)

        async def play(self) -> None:
            try:
                await demo.play()
            except Exception as exc:  # shown; the console stays for a look at what happened
                await demo.shut_down(close_master=False)
                demo.report.failure = str(exc)
                failed = Message("demo_failed_because", error=exc)
                demo.say(failed.stacked(SPOKEN))
                self.notify(failed.stacked(SPOKEN), severity="error", timeout=3600, markup=False)
                return
            await demo.shut_down(close_master=False)
            complete = Message("demo_complete", folder=demo.output, key="Ctrl+Q")
            self.notify(complete.stacked(SPOKEN), title=Message("demo_complete_title").both(SPOKEN),
                        timeout=3600, markup=False)

        async def action_quit(self) -> None:
            self.exit(0)  # a demo: nothing to lose

        def action_help_quit(self) -> None:  # Ctrl+C
            self.exit(0)

    demo = WatchedDemo(output, lambda line: _append(demo.work / DEMO_LOG, line), pace=pace,
                       beat=beat, home=home, screen_port=screen_port, reveal_gap=reveal_gap)
    app = DemoConsole(demo.master, event_folder=demo.folder)
    return app, demo


def watch_demo(output: Path, home: Path | None = None) -> int:
    """`head-judge demo --watch`: the exit code (0 when every stage ran and the audit is OK).
    Needs a terminal (`has_terminal`). The master in `home` (kept) or a temporary folder;
    nothing left in temporary folders afterwards (the logs of a failed demo are copied into
    the output folder first)."""
    app, demo = watched(output, home=home)
    run_log = logging.FileHandler(demo.work / "serve.log", encoding="utf-8")
    logging.basicConfig(level=logging.INFO, handlers=[run_log], force=True,
                        format="%(asctime)s %(message)s")
    logging.getLogger("aiohttp").setLevel(logging.WARNING)

    async def run() -> None:
        try:
            await app.run_async()
        finally:
            await demo.shut_down()

    try:
        asyncio.run(run())
        console = Console()
        report = demo.report
        if report.complete:
            summary(demo, report, console)
            return 0 if report.audit_ok else 1
    finally:
        logging.getLogger().removeHandler(run_log)
        run_log.close()
        logs = demo.clean_up()
    log = logs / DEMO_LOG if logs is not None else "—"
    if report.failure:
        console.print(f"演示失败 The demo failed: {report.failure}. Log 记录: {log}",
                      markup=False)
        return 1
    printed = (f"PDF 文件在 {output}，但未核验。", f"the PDF pack in {output} was not verified"
               ) if report.pdfs else ("没有打印 PDF 文件。", "nothing was printed")
    console.print(f"演示未完成就退出了，{printed[0]}The console was closed before the demo "
                  f"finished: {printed[1]}. Log 记录: {log}", markup=False)
    return 1
