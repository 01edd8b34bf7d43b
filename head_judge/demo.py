"""`head-judge demo`: a complete final played out for real, with nothing to configure.

The livestream final shipped with the package is run by a real master (TLS, mDNS on
loopback, SQLite ledger) and one real process per judge (`judge_terminal.simulate`: the
judge laptop's store and client). On the way it stages what happens in a hall: a judge far
off on one contestant (flag, review request, revised sheet), a judge's laptop killed and the
judge re-enrolled on a spare, the Wi-Fi dropping, the platform data imported, an appeal filed
and rejected. Then every contestant is locked, results are published, the PDF pack printed,
the audit verified and one sheet code checked. Stages run in order; each is timed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sync.discovery import Advertisement, advertise
from sync.event import Event
from sync.event_file import load_event

from .actions import HeadJudge
from .appeals import decide_appeal, dossier, file_appeal
from .audit import audit
from .master import Master
from .server import MasterServer

FAR_OFF = ("J3", "L05")  # the fixture's judge far off on one contestant
DEAD_LAPTOP = "J2"  # whose laptop dies mid-final
APPEAL = ("L13", "tied with L14 on the final score; asks for a shared third prize",
          "L13's instructor")


def demo_final() -> Path:
    """The folder of the final shipped with the package."""
    return Path(str(resources.files("head_judge") / "demo_final"))


@dataclass
class Stage:
    name: str
    seconds: float
    detail: str


@dataclass
class DemoReport:
    home: Path
    output: Path
    stages: list[Stage] = field(default_factory=list)
    sheets_received: int = 0
    flags: list[str] = field(default_factory=list)
    audit_ok: bool = False
    verified_code: str = ""
    code_ok: bool = False
    pdfs: list[Path] = field(default_factory=list)


class Demo:
    """Runs the staged final; `say` reports progress line by line."""

    def __init__(self, output: Path, say: Callable[[str], None], pace: float = 0.03) -> None:
        self.folder = demo_final()
        self.event: Event = load_event(self.folder / "event.toml")
        self.output = output
        self.say = say
        self.pace = pace
        self.work = Path(tempfile.mkdtemp(prefix="finals-kiosk-demo-"))
        self.report = DemoReport(self.work / "master", output)
        self.judges: dict[str, subprocess.Popen[bytes]] = {}
        self.server: MasterServer | None = None
        self.port = 0
        self.advertisement: Advertisement | None = None

    # --- helpers --------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    async def stage(self, name: str, action: Callable[[], object]) -> None:
        self.say(f"▶ {name}")
        start = time.perf_counter()
        result = action()
        if asyncio.iscoroutine(result):
            result = await result
        seconds = time.perf_counter() - start
        detail = str(result or "")
        self.report.stages.append(Stage(name, seconds, detail))
        self.say(f"  ✓ {name} ({seconds:.1f} s){': ' + detail if detail else ''}")

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
        log = (self.work / f"{home.name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "judge_terminal.simulate", "--home", str(home), "--code", code,
             "--judge", judge, "--sheets", str(self.folder / "sheets.csv"), "--event",
             self.event.id, "--pace", str(self.pace), *extra],
            stdout=log, stderr=subprocess.STDOUT)

    # --- stages ---------------------------------------------------------------------------

    async def start_master(self) -> str:
        self.master = Master.open(self.report.home, self.event, now=self.now())
        self.head = HeadJudge(self.master)
        self.server = MasterServer(self.master)
        self.port = await self.server.start("127.0.0.1", 0)
        self.advertisement = await advertise(
            self.event.id, f"demo head judge {os.getpid()}", self.port, ["127.0.0.1"],
            interfaces=["127.0.0.1"])
        return f"https://127.0.0.1:{self.port}, fingerprint {self.master.identity.fingerprint_text}"

    def start_judges(self) -> str:
        with open(self.folder / "sheets.csv", encoding="utf-8") as f:
            self.scored = {line.split(",")[1] for line in f.read().splitlines()[1:] if line}
        codes = self.master.issue_codes(now=self.now())
        for judge, code in codes:
            extra = ["--revise", f"{FAR_OFF[1]}+2.5"] if judge.id == FAR_OFF[0] else []
            self.judges[judge.id] = self.judge_process(judge.id, code.encode(),
                                                       self.work / f"laptop-{judge.id}", *extra)
        return f"{len(codes)} judges, each a process discovering the master by mDNS"

    def sheets_of(self, judge: str) -> set[str]:
        return {s.contestant for s in self.head.sheets() if s.judge == judge}

    async def kill_a_laptop(self) -> str:
        await self.wait_until(lambda: len(self.sheets_of(DEAD_LAPTOP)) >= 6, 60,
                              f"{DEAD_LAPTOP}'s first sheets")
        self.judges[DEAD_LAPTOP].send_signal(signal.SIGKILL)
        self.judges[DEAD_LAPTOP].wait()
        done = self.sheets_of(DEAD_LAPTOP)
        (_, code), = self.master.issue_codes([DEAD_LAPTOP], now=self.now())
        todo = [c.id for c in self.event.contestants if c.id not in done and c.id in self.scored]
        self.judges[DEAD_LAPTOP] = self.judge_process(
            DEAD_LAPTOP, code.encode(), self.work / f"spare-{DEAD_LAPTOP}", "--only",
            ",".join(todo))
        return (f"{DEAD_LAPTOP}'s laptop killed after {len(done)} sheets; re-enrolled on a "
                f"spare (old device revoked), {len(todo)} contestants left to score")

    async def drop_wifi(self) -> str:
        assert self.server is not None
        await self.server.close()
        await asyncio.sleep(2.0)
        self.server = MasterServer(self.master)
        await self.server.start("127.0.0.1", self.port)
        return "master unreachable for 2 s while judges kept scoring"

    async def all_sheets_in(self) -> str:
        await self.wait_until(lambda: len(self.head.sheets()) >= self.expected_sheets(), 120,
                              "every judge's sheets")
        self.report.sheets_received = len(self.head.sheets())
        return f"{self.report.sheets_received} sheets received"

    async def resolve_flags(self) -> str:
        judge, contestant = FAR_OFF
        far = [f for f in self.head.flags("open", contestant) if judge in f.judges]
        if far:
            self.head.request_review(judge, "your total is far from the panel's; please check",
                                     flag=far[0].id)
            await self.wait_until(
                lambda: not self.head.reviews("open", contestant), 30, "the judge's answer")
        for flag in self.head.flags("open"):
            self.head.accept_flag(flag.id, "difference is the judge's considered view")
        for flag in self.head.flags():
            subject = flag.criterion or ", ".join(flag.judges)
            self.report.flags.append(f"{flag.contestant} {flag.rule} ({subject}): {flag.status}")
        return f"{len(self.report.flags)} flags; review of {judge} on {contestant} answered"

    def import_data(self) -> str:
        imported = self.head.import_components("data", self.folder / "data.csv")
        return f"platform data for {len(imported.changes)} contestants"

    def appeal(self) -> str:
        contestant, ground, filed_by = APPEAL
        row = file_appeal(self.head, contestant, ground, filed_by)
        entries = len(dossier(self.head, row.id).history)
        decide_appeal(self.head, row.id, "rejected",
                      "the tie was broken by the published rule (live data component)")
        return f"appeal {row.id} by {contestant}: dossier of {entries} entries, rejected"

    def lock_and_publish(self) -> str:
        for contestant in self.event.contestants:
            if contestant.id in self.head.locks():
                continue
            forced = contestant.id not in self.scored
            self.head.lock(contestant.id, force=forced,
                           reason="did not appear on stage" if forced else "")
        published = [self.head.publish(scope) for scope in self.head.scopes()]
        return ", ".join(f"{p.track} v{p.version}" for p in published)

    def print_pack(self) -> str:
        from .printing import print_sheets  # the PDF pack is the slowest import

        self.output.mkdir(parents=True, exist_ok=True)
        printed = print_sheets(self.head, out_dir=self.output, now=self.now())
        self.report.pdfs = sorted(self.output.glob("*.pdf"))
        self.printed = printed
        return f"{len(printed)} sheets into {self.output}"

    def verify(self) -> str:
        from .printing import verify_code

        report = audit(self.master)
        self.report.audit_ok = report.ok
        code = self.printed[0].code
        verdict = verify_code(self.head, code)
        self.report.verified_code = code
        self.report.code_ok = verdict.ok
        return (f"audit {'OK' if report.ok else 'FAILED'}; sheet code {code}: "
                + " ".join(verdict.lines()[:1]))

    async def run(self) -> DemoReport:
        try:
            await self.stage("start the head judge's master", self.start_master)
            await self.stage("judges' laptops enrol and score", self.start_judges)
            await self.stage("a judge's laptop dies mid-final", self.kill_a_laptop)
            await self.stage("the Wi-Fi drops", self.drop_wifi)
            await self.stage("every sheet reaches the master", self.all_sheets_in)
            await self.stage("discrepancies: review and accept", self.resolve_flags)
            await self.stage("import the platform's live data", self.import_data)
            await self.stage("an appeal is filed and rejected", self.appeal)
            await self.stage("lock every contestant and publish", self.lock_and_publish)
            await self.stage("print the PDF pack", self.print_pack)
            await self.stage("verify the audit trail and a sheet code", self.verify)
        finally:
            await self.shut_down()
        return self.report

    async def shut_down(self) -> None:
        for process in self.judges.values():
            if process.poll() is None:
                process.terminate()
        for process in self.judges.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.advertisement is not None:
            await self.advertisement.close()
        if self.server is not None:
            await self.server.close()
        if hasattr(self, "master"):
            self.master.close()


def summary(demo: Demo, report: DemoReport, console: Console) -> None:
    langs = demo.event.languages
    console.print(f"\n[bold]{demo.event.name.both(langs)}[/bold]")
    console.print(f"sheets received 收到评分表: {report.sheets_received}")
    console.print("flags and how they ended 分歧标记及处理:")
    for line in report.flags:
        console.print(f"  {line}")
    master = Master.open(report.home, now=dt.datetime.now(dt.UTC))
    try:
        results = HeadJudge(master).current_results()
    finally:
        master.close()
    tiers = {t.id: t.name.both(langs) for t in demo.event.awards.tiers}
    for scope in results.scopes:
        track = demo.event.track(scope.track)
        title = f"top 5 前五名 · {track.name.both(langs) if track else scope.track}"
        table = Table(title=title, title_justify="left")
        for column in ("名次 Rank", "选手 Contestant", "最终得分 Final", "奖项 Prize"):
            table.add_column(column)
        for s in scope.ranking[:5]:
            contestant = demo.event.contestant(s.contestant)
            table.add_row(str(s.rank), f"{s.contestant} {contestant.name if contestant else ''}",
                          str(s.final), tiers.get(s.prize or "", "—"))
        console.print(table)
    console.print(f"PDF pack 打印文件: {report.output} ({len(report.pdfs)} files)")
    console.print(f"audit 审计: {'OK' if report.audit_ok else 'FAILED'}; sheet code 表单码 "
                  f"{report.verified_code}: {'matches' if report.code_ok else 'DOES NOT MATCH'}")
    console.print(f"master's data 主控数据: {report.home}")
    console.print("stage timings 各阶段用时:")
    for stage in report.stages:
        console.print(f"  {stage.seconds:5.1f} s  {stage.name}")


def run_demo(output: Path) -> DemoReport:
    console = Console()
    demo = Demo(output, lambda line: console.print(line))
    report = asyncio.run(demo.run())
    summary(demo, report, console)
    return report
