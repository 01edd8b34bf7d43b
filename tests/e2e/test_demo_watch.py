"""`head-judge demo --watch`: the head judge's console on the running demo, in a real terminal
(tmux at 120x40). The matrix fills while the judges' processes score; once the staged final is
published the Results screen shows the finals and prizes; q quits, the summary is printed and
the PDF pack is in --out. Without a terminal it says so, in Chinese then English, and exits 2.
A stage that fails is shown in the console, which stays open (Pilot)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from head_judge.demo import watched
from tests.head_judge.console.conftest import until
from tests.judge_terminal.tmux_run import StepFailed, Tmux

HEAD_JUDGE = str(Path(sys.executable).with_name("head-judge"))


def test_watch_without_a_terminal_says_so(tmp_path: Path) -> None:
    out = tmp_path / "demo-output"
    run = subprocess.run([HEAD_JUDGE, "demo", "--watch", "--out", str(out)],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                         check=False)
    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr
    zh, en = run.stderr.strip().splitlines()
    assert zh.startswith("错误：--watch 要在终端")
    assert en.startswith("error: --watch needs a terminal")
    assert not out.exists()  # nothing was started


@dataclass
class OwnServer(Tmux):
    """tmux on a server of its own, its socket at `socket` (in the test's folder, so it goes
    with it): another one's global environment (COLUMNS, LINES) would set the console's
    size."""

    socket: str = ""

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout


def filled(screen: str) -> int:
    """How many sheets the matrix on `screen` shows: cells of the judges' columns with a total
    (`·` waiting, `—` recused)."""
    lines = screen.splitlines()
    header = next((line for line in lines if " 选手 " in line and " J1 " in line), "")
    judges = len(re.findall(r"\bJ\d+\b", header))
    rows = [line.split() for line in lines if re.match(r"\s+\d+ L\d\d ", line)]
    return sum(any(ch.isdigit() for ch in cell) for row in rows for cell in row[3:3 + judges])


@pytest.mark.skipif(shutil.which("tmux") is None,
                    reason="tmux is not installed (apt-get install -y tmux)")
def test_watch_shows_the_final_live_in_the_console(tmp_path: Path) -> None:
    out = tmp_path / "demo-output"
    session = f"demo-watch-{os.getpid()}"
    tmux = OwnServer(session, socket=str(tmp_path / "tmux"))
    command = (f"env -u COLUMNS -u LINES {shlex.quote(HEAD_JUDGE)} demo --watch --out "
               f"{shlex.quote(str(out))}; echo EXIT=$?")
    tmux.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "sh", "-c", command)
    tmux.run("set-option", "-t", session, "remain-on-exit", "on")
    try:
        tmux.wait_for("分歧", timeout=60, step="the console's Overview")
        seen: set[int] = set()  # sheets on the matrix, as the judges score
        deadline = time.monotonic() + 240
        while "演示完成" not in (screen := tmux.screen()):
            if "演示失败" in screen or "EXIT=" in screen or time.monotonic() > deadline:
                raise StepFailed(f"the demo did not complete; the screen:\n{screen}")
            if "▸1 总览" in screen:
                seen.add(filled(screen))
            time.sleep(0.2)
        assert len({n for n in seen if 0 < n < 82}) >= 2, seen  # the matrix filled as we watched

        # the published final on the Results screen: rank, contestant, final score, prize
        results = tmux.wait_for("已发布：第 1 版", step="the Results screen")
        assert "▸6 结果" in results
        assert re.search(r"1\s+8 L08 姚梓飞 .* 92\.96\s+一等奖", results), results
        assert re.search(r"5\s+10 L10 石飞秀 .* 82\.18\s+三等奖", results), results

        tmux.keys("1")  # the matrix: every sheet in, every contestant locked
        matrix = tmux.wait_for("▸1 总览", step="back to the Overview")
        assert re.search(r"8 L08 姚梓飞\s+92\s+82\s+82\.5\s+81\.5\s+81\.5\s+92\.96\s+■", matrix), \
            matrix
        assert filled(matrix) == 82
        assert "◆" in matrix and "◇" not in matrix, matrix  # on the screen as it stands

        tmux.keys("q")
        done = tmux.wait_for("EXIT=", timeout=30, step="quitting with q")
        assert "EXIT=0" in done and "Traceback" not in done
        assert "审计：通过" in done and "audit: OK" in done and f"PDF pack: {out}" in done
    finally:
        subprocess.run(["tmux", "-S", tmux.socket, "kill-server"], capture_output=True,
                       check=False)
    assert len(list(out.glob("*.pdf"))) >= 20


async def test_a_failing_stage_is_shown_and_the_console_stays(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    app, demo = watched(tmp_path / "demo-output", beat=0)

    def no_judges() -> str:
        raise RuntimeError("no laptops today")

    monkeypatch.setattr(demo, "start_judges", no_judges)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: bool(demo.report.failure), timeout=60, what="the failure")
            assert demo.report.failure == "no laptops today"
            assert [s.name for s in demo.report.stages] == ["start the head judge's master"]
            shown = [n.message for n in app._notifications]
            failed = "✗ 演示失败：no laptops today\n✗ the demo failed: no laptops today"
            assert failed in shown, shown
            assert app.is_running and demo.server is None  # stopped serving, still on screen
            await pilot.press("ctrl+c")
        assert app.return_code == 0
    finally:
        await demo.shut_down()
    assert not demo.report.complete and not (tmp_path / "demo-output").exists()
