"""What a command's `--help` loads (Harlequin's import-hygiene test is the model):
`judge-terminal --help` and `head-judge --help` load neither the interface (Textual), the
network stack (aiohttp) nor the printer (ReportLab): each command imports them when it
runs. Each in a fresh interpreter, so nothing imported by another test counts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("textual", "aiohttp", "reportlab")

PROBE = """
import json, sys
from {module} import main
try:
    main(["--help"], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))
"""


def loaded_by_help(module: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(module=module, heavy=HEAVY)],
                          capture_output=True, text=True, check=True, timeout=120)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("module", ["judge_terminal.cli", "head_judge.cli"])
def test_help_loads_no_interface_network_or_printer(module: str) -> None:
    assert loaded_by_help(module) == []
