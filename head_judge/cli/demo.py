"""`head-judge demo`: the embedded livestream final played out for real (see head_judge.demo).

`head-judge --home H demo` keeps the demo's master in H; without --home it is temporary."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource

from ..refusals import Message
from .common import echo_error


@click.command(epilog="""\b
演示的主控（账本、密钥、证书）：给了 --home 就保存在该文件夹（须为新的或空的），
之后可用 head-judge --home 目录 results、audit、export 查看；否则放在临时文件夹。
评委笔记本和记录也是临时的：演示结束后，临时文件夹中不留任何东西。
\b
The master (its ledger, keys and certificate) goes into --home when it is
given (a new or empty folder; look at it afterwards with `head-judge --home
DIR results`, `audit`, `export`), else into a temporary folder. The judges'
laptops and the logs are temporary too: nothing is left in temporary folders
when the demo ends.""")
@click.option("--out", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-output"), show_default=True,
              help="Folder for the printed PDF pack.")
@click.option("--watch", is_flag=True,
              help="Watch it in the head judge's console (needs a terminal): sheets arrive, "
                   "flags, results; Ctrl+Q quits, then the summary is printed.")
@click.pass_context
def demo(ctx: click.Context, output: Path, watch: bool) -> None:
    """Play out a complete final: a master, one process per judge over TLS and mDNS,
    a discrepancy, a dead laptop, a Wi-Fi drop, an appeal; then publish, print, verify.
    With --watch the head judge's console shows it live (Ctrl+Q quits)."""
    from ..demo import NEEDS_TERMINAL, has_terminal, run_demo, watch_demo  # starts servers

    home = _given_home(ctx)
    if watch:
        if not has_terminal():
            echo_error(NEEDS_TERMINAL)
            sys.exit(2)
        sys.exit(watch_demo(output, home))
    report = run_demo(output, home)
    if not report.audit_ok:
        raise SystemExit(1)


def _given_home(ctx: click.Context) -> Path | None:
    """`--home` when given on the command line (a new or empty folder: the demo never plays
    into a real master), else None (a temporary master). Exit 2 when it is not empty."""
    parent = ctx.parent
    if parent is None or parent.get_parameter_source("home") is not ParameterSource.COMMANDLINE:
        return None
    home = Path(ctx.obj["home"])
    if home.exists() and (not home.is_dir() or any(home.iterdir())):
        echo_error(Message("demo_not_empty", home=home, option="--home"))
        sys.exit(2)
    return home


COMMANDS = (demo,)
