"""`head-judge demo`: the embedded livestream final played out for real (see head_judge.demo)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import main


@main.command()
@click.option("--out", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-output"), show_default=True,
              help="Folder for the printed PDF pack.")
@click.option("--watch", is_flag=True,
              help="Watch it in the head judge's console (needs a terminal): sheets arrive, "
                   "flags, results; Ctrl+Q quits, then the summary is printed.")
def demo(output: Path, watch: bool) -> None:
    """Play out a complete final: a master, one process per judge over TLS and mDNS,
    a discrepancy, a dead laptop, a Wi-Fi drop, an appeal; then publish, print, verify.
    With --watch the head judge's console shows it live (Ctrl+Q quits)."""
    from .demo import NEEDS_TERMINAL, has_terminal, run_demo, watch_demo  # starts servers

    if watch:
        if not has_terminal():
            click.echo(NEEDS_TERMINAL, err=True)
            sys.exit(2)
        sys.exit(watch_demo(output))
    report = run_demo(output)
    if not report.audit_ok:
        raise SystemExit(1)
