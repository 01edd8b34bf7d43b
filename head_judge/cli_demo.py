"""`head-judge demo`: the embedded livestream final played out for real (see head_judge.demo)."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import main


@main.command()
@click.option("--out", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path("demo-output"), show_default=True,
              help="Folder for the printed PDF pack.")
def demo(output: Path) -> None:
    """Play out a complete final: a master, one process per judge over TLS and mDNS,
    a discrepancy, a dead laptop, a Wi-Fi drop, an appeal; then publish, print, verify."""
    from .demo import run_demo  # starts servers: imported only when asked for

    report = run_demo(output)
    if not report.audit_ok:
        raise SystemExit(1)
