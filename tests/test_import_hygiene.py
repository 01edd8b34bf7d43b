"""What a command's `--help` loads (Harlequin's import-hygiene test is the model):
`judge-terminal --help` and `head-judge --help` load neither the interface (Textual), the
network stack (aiohttp) nor the printer (ReportLab): each command imports them when it
runs. Each in a fresh interpreter, so nothing imported by another test counts. And no module
imports a library's private module."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

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


PACKAGES = ("sync", "printouts", "head_judge", "judge_terminal", "bench")


def private_imports(source: str) -> list[str]:
    """Modules `source` imports whose dotted path has a private part below its top package
    (`textual.widgets._footer`): names a library may move in any release."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [name for name in names
                  if name.split(".")[0] not in PACKAGES
                  and any(part.startswith("_") for part in name.split(".")[1:])]
    return found


def test_private_imports_are_found() -> None:
    assert private_imports("from textual.widgets._footer import FooterKey\n"
                           "import textual.widgets\nfrom sync._x import y\n") == [
        "textual.widgets._footer"]


def test_no_private_imports_of_libraries() -> None:
    root = Path(__file__).resolve().parent.parent
    found = {str(path.relative_to(root)): names
             for package in PACKAGES for path in sorted((root / package).rglob("*.py"))
             if (names := private_imports(path.read_text(encoding="utf-8")))}
    assert found == {}
