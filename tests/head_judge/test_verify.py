"""`head-judge verify CODE | QR-TEXT | FILE.pdf` on a real master: a sheet that still matches
the record says so (exit 0); one the record moved on from says what changed, naming the
judge, criterion and both values (a signed revision, an override, a withdrawal, an appeal
decided after printing; exit 1); a typo in a code names its block, malformed input is a user
mistake (exit 2); an unknown code, a QR signed by another key and a ledger rewritten under a
checkpoint are refused (exit 1). Scans of the paper (PNG, image-only PDF) are read by their QR
code with pdftoppm and zxing-cpp."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from head_judge.appeals import decide_appeal, file_appeal
from head_judge.printing import VerifyInputError, build_sheets, verify, verify_code, verify_qr
from printouts import Imprint, prepare, sheet_content, sheet_digest, sign_checkpoint
from printouts.sheet_code import qr_payload
from printouts.words import plain
from sync.codes import encode_groups
from sync.event import Event

from ..printouts import tools
from .test_actions import Final, fixture_final
from .test_printing import PRINTED_AT, print_, run

D = Decimal
REASON = "复核后更正 corrected on review"


@pytest.fixture
def final(tmp_path: Path, event: Event, fixtures_dir: Path) -> Iterator[Final]:
    """The livestream final scored and its data imported."""
    opened = Final(tmp_path / "home", event)
    fixture_final(opened, fixtures_dir)
    yield opened
    opened.close()


def pitch(final: Final, judge: str, contestant: str) -> Decimal:
    [sheet] = [s for s in final.head.sheets(contestant) if s.judge == judge]
    return sheet.values["pitch"]


# --- matches ------------------------------------------------------------------------------------


def test_a_sheet_that_still_matches_says_so_by_code_qr_and_file(final: Final,
                                                                tmp_path: Path) -> None:
    sheet = print_(final, tmp_path / "out", ["contestant"], ["L05"])["contestant", "L05"]
    for given in (sheet.code, sheet.code.lower().replace("-", " "), sheet.qr, str(sheet.file)):
        code, out, err = run(final, "verify", given)
        assert (code, err) == (0, ""), out
        lines = out.splitlines()  # each line in Chinese, then in English
        assert lines[:6] == [
            f"相符：与账本位置 {sheet.size} 时的记录一致",
            f"MATCHES the record as of ledger position {sheet.size}",
            f"  选手成绩表 L05，表单码 {sheet.code}，打印于 2025-05-17 16:40:00+08:00"
            f"（账本第 {sheet.entry} 条）",
            f"  contestant sheet L05, sheet code {sheet.code}, printed 2025-05-17 "
            f"16:40:00+08:00 (ledger entry {sheet.entry})",
            f"  检查点由本总裁判长签名；其默克尔根与账本第 1-{sheet.size} 条相符",
            f"  checkpoint signed by this head judge; its Merkle root matches ledger entries "
            f"1-{sheet.size}"]
        if given == str(sheet.file):  # the PDF's pages read against the record's print
            assert lines[6:] == ["  文件每一页的文字都与记录打印的这张表相同",
                                 "  the text on every page of the file is the record's print "
                                 "of the sheet"]
        else:  # a code or QR text: what the paper must show, to compare by eye
            assert lines[6:8] == ["  纸面上必须显示（按当时打印的内容）：",
                                  "  the paper must show (as printed at that position):"]
            assert lines[-1].startswith("    最终得分 Final ")
    code, out, _ = run(final, "verify", "-", input=sheet.qr + "\n")  # a scanner on stdin
    assert code == 0 and out.startswith("相符：")


def test_a_scan_of_the_paper_is_read_by_its_qr_code(final: Final, tmp_path: Path) -> None:
    sheet = print_(final, tmp_path / "out", ["judge"], ["J2"])["judge", "J2"]
    page = tools.pngs(sheet.file.read_bytes(), dpi=150, first=1, last=1)[0]
    scan_png = tmp_path / "scan.png"
    scan_png.write_bytes(page)
    scan_pdf = tmp_path / "scan.pdf"  # an image-only PDF, as a scanner makes: no metadata
    Image.open(io.BytesIO(page)).convert("RGB").save(scan_pdf, "PDF", resolution=150)
    assert b"FKS1:" not in scan_pdf.read_bytes()
    for scan in (scan_png, scan_pdf):
        [verdict] = verify(final.head, str(scan))
        assert verdict.ok and verdict.code == sheet.code, verdict.lines()


# --- changed ------------------------------------------------------------------------------------


def test_a_signed_revision_after_printing_is_named(final: Final, tmp_path: Path) -> None:
    printed = print_(final, tmp_path / "out", ["contestant", "judge", "results"],
                     ["L05", "J2", "live"])
    before = pitch(final, "J2", "L05")
    [sheet] = [s for s in final.head.sheets("L05") if s.judge == "J2"]
    assert final.send("J2", "L05", {**sheet.signed, "pitch": D(14)},
                      reason=REASON)["status"] == "accepted"
    line = (f"  - J2's pitch for L05 changed from {plain(before)} to 14 (revision 2: "
            f"'{REASON}')")
    for key in (("contestant", "L05"), ("judge", "J2")):
        code, out, err = run(final, "verify", printed[key].code)
        assert (code, err) == (1, "")
        lines = out.splitlines()
        assert lines[:2] == ["打印后已改变：", "CHANGED since printing:"] and line in lines, out
        assert lines[lines.index(line) - 1].startswith("  - J2 对 L05 的"), out
        assert f"  printed at ledger position {printed[key].size}; the record now holds " \
               f"{final.last()} entries" in lines
    [verdict] = verify(final.head, printed["contestant", "L05"].qr)
    assert verdict.outcome == "changed" and line[4:] in verdict.changes
    assert "L05's total from J2 changed from" in " ".join(verdict.changes)
    # a judge's sheet of another contestant is untouched: still matches
    assert verify_code(final.head, print_(final, tmp_path / "b", ["judge"], ["J1"])[
        "judge", "J1"].code).ok


def test_an_override_after_printing_is_named(final: Final, tmp_path: Path) -> None:
    printed = print_(final, tmp_path / "out", ["contestant", "discrepancy"], ["L05", "all"])
    before = pitch(final, "J2", "L05")
    final.head.override_value("J2", "L05", "pitch", "14", "录入错误 typed wrong")
    code, out, _ = run(final, "verify", printed["contestant", "L05"].code)
    assert code == 1
    assert (f"  - the head judge overrode J2's pitch for L05: {plain(before)} -> 14 "
            "(reason: '录入错误 typed wrong')") in out.splitlines()
    code, out, _ = run(final, "verify", printed["discrepancy", "all"].code)
    assert code == 1 and "overrides › J2/L05/pitch was added" in out


def test_a_withdrawal_after_printing_is_named(final: Final, tmp_path: Path) -> None:
    printed = print_(final, tmp_path / "out", ["contestant"], ["L05"])
    final.head.withdraw_sheet("J2", "L05", "评委身体不适 judge taken ill")
    code, out, _ = run(final, "verify", printed["contestant", "L05"].code)
    assert code == 1
    assert "  - J2's sheet for L05 was withdrawn ('评委身体不适 judge taken ill')" in \
        out.splitlines()


def test_an_appeal_decided_after_printing_changes_its_dossier(final: Final,
                                                             tmp_path: Path) -> None:
    filed = file_appeal(final.head, "L05", "分数偏低 too low", "L05 本人")
    printed = print_(final, tmp_path / "out", ["appeal"])
    assert verify_code(final.head, printed["appeal", str(filed.id)].code).ok
    decide_appeal(final.head, filed.id, "rejected", "维持 the scores stand")
    verdict = verify_code(final.head, printed["appeal", str(filed.id)].code)
    assert verdict.outcome == "changed"
    assert "the appeal was decided: rejected (reason: '维持 the scores stand')" in \
        verdict.changes
    assert any(c.startswith(f"ledger entry {final.last()} was added: appeal decided")
               for c in verdict.changes), verdict.changes


# --- refused ------------------------------------------------------------------------------------


def test_a_typo_in_a_code_is_a_user_mistake_naming_the_block(final: Final,
                                                            tmp_path: Path) -> None:
    sheet = print_(final, tmp_path / "out", ["results"])["results", "live"]
    typo = sheet.code[:3] + ("B" if sheet.code[3] != "B" else "C") + sheet.code[4:]
    code, out, err = run(final, "verify", typo)
    assert (code, out) == (2, "")
    assert err.splitlines()[1] == (f"error: sheet code '{typo}': typo in blocks 1-2 "
                                   "(characters 1-14): the check character does not match")
    assert err.splitlines()[0] == (f"错误：表单码 '{typo}'：第 1-2 组有输错（第 1-14 个字符）："
                                   "校验字符不符")
    code, _, err = run(final, "verify", sheet.code[:-1])
    assert code == 2 and "expected 14 characters, got 13; block 2" in err
    assert "应为 14 个字符，实际 13 个；第 2 组" in err
    with pytest.raises(VerifyInputError, match="is not used in these codes") as raised:
        verify(final.head, "ABC!EFG-HIJKLMN")
    assert "'!'（第 4 个字符）不是表单码的字符" in raised.value.message.render("zh")


def test_an_unknown_code_is_not_a_sheet_of_this_master(final: Final) -> None:
    unknown = encode_groups(hashlib.sha256(b"never printed").digest()[:8])
    code, out, _ = run(final, "verify", unknown)
    assert code == 1
    assert out.splitlines() == ["本主控机没有打印过带这个表单码的表",
                                "no sheet with this code was printed by this master",
                                f"  表单码 {unknown}", f"  sheet code {unknown}"]


def test_a_stack_of_sheets_is_verified_in_one_command(final: Final, tmp_path: Path) -> None:
    """Several codes, QR texts and PDFs: each reported as alone, in turn, then one line
    summing them up in both languages; exit 1 if any does not match, 2 (and nothing said
    but the problem) if any is not a sheet code, QR text or readable file."""
    printed = print_(final, tmp_path / "out", ["contestant", "judge"], ["L05", "J2"])
    sheet, judge = printed["contestant", "L05"], printed["judge", "J2"]
    alone = [run(final, "verify", given)[1] for given in (sheet.code, str(judge.file))]
    code, out, err = run(final, "verify", sheet.code, str(judge.file))
    assert (code, err) == (0, "")
    assert out == f"{alone[0]}\n{alone[1]}\n" + (
        "共核对 2 项、2 份表：2 份与记录相符，0 份不符\n"
        "2 given, 2 sheet(s) verified: 2 match the record, 0 do not\n")
    unknown = encode_groups(hashlib.sha256(b"never printed").digest()[:8])
    code, out, _ = run(final, "verify", sheet.qr, unknown, str(judge.file))
    assert code == 1
    assert out.startswith("相符：") and "\nno sheet with this code was printed" in out
    assert out.splitlines()[-2:] == ["共核对 3 项、3 份表：2 份与记录相符，1 份不符",
                                     "3 given, 3 sheet(s) verified: 2 match the record, "
                                     "1 do not"]
    code, out, err = run(final, "verify", sheet.code, str(tmp_path / "missing.pdf"))
    assert (code, out) == (2, "") and "cannot read the file" in err


def test_a_qr_signed_by_another_key_is_refused(final: Final, event: Event) -> None:
    rogue = Ed25519PrivateKey.from_private_bytes(bytes(32))
    checkpoint = sign_checkpoint(rogue, event=event.id, size=final.last(), root="ab" * 32,
                                 at="2025-05-17T08:40:00.000Z")
    [sheet] = build_sheets(final.head, ["contestant"], ["L05"])
    forged = prepare(event, sheet, Imprint(PRINTED_AT, checkpoint)).qr
    code, out, _ = run(final, "verify", forged)
    assert code == 1
    assert out.splitlines()[:2] == ["拒绝：检查点不是本总裁判长的密钥签名的",
                                    "REFUSED: the checkpoint is not signed by this head "
                                    "judge's key"]
    # signed by this master, but for another final
    other = sign_checkpoint(final.master.identity.signing_key, event="another-final", size=1,
                            root="00" * 32, at="2025-05-17T08:40:00.000Z")
    digest = sheet_digest(sheet_content(event, sheet))
    [verdict] = verify(final.head, qr_payload("contestant", digest, other))
    assert verdict.outcome == "refused" and verdict.exit_code == 1
    assert verdict.problems == ("the sheet is from the final 'another-final'; this master "
                                "runs 'hrb-live-2020-final'",)


def test_malformed_input_is_a_user_mistake(final: Final, tmp_path: Path) -> None:
    sheet = print_(final, tmp_path / "out", ["judge"], ["J1"])["judge", "J1"]
    code, out, err = run(final, "verify", sheet.qr[:-30])
    assert (code, out) == (2, "") and err.startswith("错误：不是可读的表单二维码：")
    assert "\nerror: not a readable sheet QR code" in err
    blank = tmp_path / "blank.pdf"
    canvas = Canvas(str(blank))
    canvas.drawString(100, 700, "not a sheet")
    canvas.save()
    code, _, err = run(final, "verify", str(blank))
    assert code == 2 and "no sheet QR code found in it" in err
    code, _, err = run(final, "verify", str(tmp_path / "missing.pdf"))
    assert code == 2 and "cannot read the file" in err
    notes = tmp_path / "notes.txt"
    notes.write_text("不是评分表 not a sheet", encoding="utf-8")
    code, _, err = run(final, "verify", str(notes))
    assert code == 2 and err.startswith(f"错误：{notes}：既不是 PDF 也不是图片；")
    assert err.splitlines()[1].startswith(f"error: {notes}: neither a PDF nor an image; ")
    code, _, err = run(final, "verify", "  ")
    assert code == 2 and "give a sheet code" in err


def test_a_history_rewritten_under_the_checkpoint_is_not_intact(final: Final,
                                                               tmp_path: Path) -> None:
    sheet = print_(final, tmp_path / "out", ["contestant"], ["L05"])["contestant", "L05"]
    with sqlite3.connect(final.master.ledger.path) as conn:
        conn.execute("DROP TRIGGER ledger_no_update")
        conn.execute("UPDATE ledger SET at = '2025-05-17T09:00:00.000Z' WHERE seq = 3")
    code, out, _ = run(final, "verify", sheet.code)
    assert code == 1
    lines = out.splitlines()
    assert lines[:2] == ["不完整：记录已不能证明这张表",
                         "NOT INTACT: the record no longer proves this sheet"]
    assert any("no longer give the Merkle root this master signed" in line
               for line in lines), out
    [verdict] = verify(final.head, sheet.qr)
    assert verdict.outcome == "broken" and any("QR code" in p for p in verdict.problems)


def test_verify_qr_and_code_agree_and_write_nothing(final: Final, tmp_path: Path) -> None:
    printed = print_(final, tmp_path / "out", ["judge", "discrepancy"])
    before = final.counts()
    for sheet in printed.values():
        by_code, by_qr = verify_code(final.head, sheet.code), verify_qr(final.head, sheet.qr)
        assert by_code == by_qr and by_code.ok
    assert final.counts() == before
    assert dt.datetime.fromisoformat(by_code.printed_at) == PRINTED_AT
