"""The `head-judge` group: its `--home` option, and every command attached from the module
that defines it. Command modules import neither this module nor each other (an import-linter
layers contract keeps them so)."""

from __future__ import annotations

from pathlib import Path

import click
import platformdirs

from . import (
    appeal,
    audit,
    blind,
    demo,
    excel,
    master,
    panel,
    paper,
    prints,
    record,
    standby,
    tabulate,
)
from .common import KioskGroup


@click.group(cls=KioskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home", type=click.Path(file_okay=False, path_type=Path),
    default=lambda: platformdirs.user_data_dir("finals-kiosk", appauthor=False),
    show_default="the platform's user data folder", help="Data folder of this master.",
)
@click.version_option(package_name="finals-kiosk")
@click.pass_context
def main(ctx: click.Context, home: Path) -> None:
    """Head judge's master for an on-site final (总裁判长主控)."""
    ctx.obj = {"home": home}


for _module in (tabulate, master, record, appeal, audit, excel, prints, paper, blind, panel,
                standby, demo):
    for _command in _module.COMMANDS:
        main.add_command(_command)
