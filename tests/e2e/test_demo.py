"""`head-judge --home H demo` end to end, checked from its artefacts: the master is in H, the
ledger verifies, the published results equal `tabulate` on the same sheets, every PDF's QR
verifies, and nothing is left in the (test's own) temporary folder."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

from head_judge.actions import HeadJudge
from head_judge.audit import audit
from head_judge.master import Master
from head_judge.printing import verify_file


def test_demo_plays_a_whole_final(tmp_path: Path) -> None:
    out = tmp_path / "demo-output"
    temporary = tmp_path / "tmp"  # the demo's TMPDIR: empty again afterwards
    temporary.mkdir()
    home = tmp_path / "master"
    run = subprocess.run([str(Path(sys.executable).with_name("head-judge")), "--home",
                          str(home), "demo", "--out", str(out)],
                         capture_output=True, text=True, timeout=240, check=False,
                         env={"COLUMNS": "200", "PATH": "/usr/bin:/bin",
                              "TMPDIR": str(temporary)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert list(temporary.iterdir()) == []
    assert "Traceback" not in run.stdout + run.stderr
    for stage in ("a judge's laptop dies mid-final", "the Wi-Fi drops",
                  "an appeal is filed and rejected", "print the PDF pack"):
        assert f"✓ {stage}" in run.stdout
    assert "主控数据：" in run.stdout  # each line of the summary in Chinese, then English
    found = re.search(r"master's data: (\S+)", run.stdout)
    assert found, run.stdout
    assert Path(found.group(1)) == home

    report = audit(home)
    assert report.ok, [str(p) for p in report.problems]

    master = Master.open(home, now=dt.datetime.now(dt.UTC))
    try:
        head = HeadJudge(master)
        event = head.event
        kinds = [e.kind for e in master.ledger.entries()]
        assert {"device_revoked", "review_requested", "review_answered", "appeal_decided",
                "results_published", "sheet_printed"} <= set(kinds)
        (published,) = head.publications()
        sheets = tmp_path / "sheets.csv"
        with sheets.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["judge", "contestant", *(c.id for c in event.criteria)])
            for s in head.sheets():
                writer.writerow([s.judge, s.contestant, *(s.values[c.id] for c in event.criteria)])
        data = Path(__file__).resolve().parents[2] / "head_judge" / "demo_final" / "data.csv"
        pdfs = sorted(out.glob("*.pdf"))
        verdicts = [v for pdf in pdfs for v in verify_file(head, pdf)]
    finally:
        master.close()

    paper = subprocess.run([str(Path(sys.executable).with_name("head-judge")), "tabulate",
                            str(Path(__file__).resolve().parents[2] / "head_judge" / "demo_final"
                                / "event.toml"), "--scores", str(sheets), "--component",
                            f"data={data}", "--json",
                            *(f"--absent={cid}" for scope in published.document["scopes"]
                              for cid in scope["absent"])],  # else exit 3: sheets missing
                           capture_output=True, text=True, check=True)
    tabulated = json.loads(paper.stdout)
    assert published.document["scopes"] == tabulated["scopes"]
    assert published.document["unresolved"] == tabulated["unresolved"] == []

    assert len(pdfs) >= 20
    assert [p for p in pdfs if p.name.startswith("inventory-")]  # the notary signs the pack
    assert verdicts and all(v.ok for v in verdicts), [v.lines() for v in verdicts if not v.ok]

    again = subprocess.run([str(Path(sys.executable).with_name("head-judge")), "--home",
                            str(home), "demo", "--out", str(out)],
                           capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 2  # never plays into a master that is there
    assert again.stderr.splitlines()[1].startswith(f"error: {home} is not an empty folder")
