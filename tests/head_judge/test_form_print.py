"""`head-judge print --sheet form`: the blank paper forms through the command line, as the
head judge prints them for a judge whose laptop died. Each form is a `sheet_printed` ledger
entry of kind `form` about the judge (what double entry reads), its code verifies, and a bad
subject is one `error:` line with nothing written."""

from __future__ import annotations

import re
from pathlib import Path

from .test_actions import Final
from .test_cli_record import refused, run


def printed_entries(final: Final, since: int) -> list[dict[str, object]]:
    return [e.payload for e in final.master.ledger.entries(since) if e.kind == "sheet_printed"]


def test_one_judges_form_is_printed_recorded_and_verifies(final: Final,
                                                          tmp_path: Path) -> None:
    start = final.last()
    code, out, err = run(final, "print", "--sheet", "form", "--subject", "J4",
                         "--out", str(tmp_path / "pdf"))
    assert code == 0, (out, err)
    [line] = [x for x in out.splitlines() if "form-J4" in x]
    sheet_code = line.split()[0]
    assert re.fullmatch(r"[A-Z2-7]{7}-[A-Z2-7]{7}", sheet_code), line
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [line.split()[-1]]
    [entry] = printed_entries(final, start)
    assert (entry["kind"], entry["subject"], entry["code"]) == ("form", "J4", sheet_code)
    rows = entry["content"]["rows"]  # type: ignore[index]
    assert [r["contestant"] for r in rows if r["struck"]] == ["L04", "L11", "L18"]

    code, out, _ = run(final, "verify", sheet_code)
    assert code == 0 and out.startswith("相符：与账本位置"), out
    assert "\nMATCHES the record" in out
    assert f"paper form J4, sheet code {sheet_code}" in out
    code, out, _ = run(final, "verify", str(tmp_path / "pdf" / line.split()[-1]))
    assert code == 0 and "the text on every page of the file is the record's print" in out


def test_every_judges_form_in_one_pack_with_its_inventory(final: Final, tmp_path: Path) -> None:
    start = final.last()
    code, out, _ = run(final, "print", "--sheet", "form", "--out", str(tmp_path))
    assert code == 0, out
    entries = printed_entries(final, start)
    assert [e["kind"] for e in entries] == ["inventory"] + ["form"] * len(final.event.judges)
    assert [e["subject"] for e in entries[1:]] == [j.id for j in final.event.judges]
    inventory = entries[0]["content"]["sheets"]  # type: ignore[index]
    assert [s["kind"] for s in inventory] == ["form"] * len(final.event.judges)


def test_print_all_leaves_the_blank_forms_out(final: Final, tmp_path: Path) -> None:
    """The record pack after the final holds no blank forms: they are asked for by name."""
    start = final.last()
    assert run(final, "print", "--out", str(tmp_path))[0] == 0
    assert "form" not in {e["kind"] for e in printed_entries(final, start)}


def test_a_form_for_no_judge_is_refused(final: Final, tmp_path: Path) -> None:
    err = refused(final, "print", "--sheet", "form", "--subject", "J9", "--out",
                  str(tmp_path / "pdf"))
    assert err == "error: no form sheet is about J9 (subjects are form: J1, J2, J3, J4, J5)\n"
    assert not (tmp_path / "pdf").exists()
