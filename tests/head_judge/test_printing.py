"""Printing the record: every sheet kind built from a real master's ledger (the livestream
final's sheets signed by real device keys and pushed through `Master.push`, the platform data
imported, a revision, an override, a withdrawal, an accepted flag, an appeal filed and
decided, a tie decided), written as PDFs that are read back as a notary's verifier would:
rendered with pdftoppm, QR codes decoded with zxing-cpp and verified, text extracted with
pdftotext. The print is one ledger transaction (a signed checkpoint, then one `sheet_printed`
entry per sheet); the same ledger state gives the same bytes; enrolment codes never reach the
ledger. The helpers here (`record_final`, `PRINTED_AT`, `run`) are shared with test_verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from head_judge.appeals import decide_appeal, file_appeal
from head_judge.checkpoints import checkpoint_record, verify_checkpoints
from head_judge.cli import main
from head_judge.printing import (
    DEFAULT_KINDS,
    KINDS,
    PrintedSheet,
    Signatories,
    build_sheets,
    print_sheets,
    record_print,
    render_print,
    sheet_subjects,
    verify,
    verify_code,
    verify_file,
)
from printouts import AppealDossier, CheckpointRef, Imprint, render
from printouts.words import plain
from sync.codes import EnrolmentCode
from sync.event import Event

from ..printouts import tools
from ..printouts.tools import sq
from .test_actions import Final, fixture_final, tie
from .test_master import Terminal, dump_projections

D = Decimal
PRINTED_AT = dt.datetime(2025, 5, 17, 16, 40, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NAMES = Signatories("王建国", "李静")
REVISION = ("J3", "L05", "pitch", D(9), "复核后更正 corrected on review")
OVERRIDE = ("J4", "L08", "integrity", D(9), "J4 确认诚信分看错 misread integrity")
WITHDRAWAL = ("J5", "L02", "评委身体不适 judge taken ill")
GROUND = "产品推介分数偏低 the pitch score is too low"
DECISION = "各评分签名有效，维持原成绩 every sheet verifies; the scores stand"
ACCEPTED = "差异属正常评判范围 within normal judging range"


def record_final(final: Final, fixtures_dir: Path) -> int:
    """The fixture's sheets and data, then a revision, an override, a withdrawal, an accepted
    flag and an appeal filed and decided. Returns the appeal's id."""
    fixture_final(final, fixtures_dir)
    head = final.head
    judge, contestant, criterion, value, reason = REVISION
    [sheet] = [s for s in head.sheets(contestant) if s.judge == judge]
    assert final.send(judge, contestant, {**sheet.signed, criterion: value},
                      reason=reason)["status"] == "accepted"
    judge, contestant, criterion, value, reason = OVERRIDE
    head.override_value(judge, contestant, criterion, value, reason)
    head.withdraw_sheet(*WITHDRAWAL)
    head.accept_flag(head.flags("open")[0].id, ACCEPTED)
    filed = file_appeal(head, "L05", GROUND, "L05 本人")
    decide_appeal(head, filed.id, "rejected", DECISION)
    return filed.id


def print_(final: Final, out: Path, kinds: tuple[str, ...] | list[str] = DEFAULT_KINDS,
           subjects: tuple[str, ...] | list[str] = ()) -> dict[tuple[str, str], PrintedSheet]:
    printed = print_sheets(final.head, kinds, subjects, out_dir=out, now=PRINTED_AT,
                           signatories=NAMES)
    return {(p.kind, p.subject): p for p in printed}


def run(final: Final, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(final.master.home), *args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def words(pdf: Path) -> str:
    return "".join(tools.text(pdf.read_bytes()))


# --- every kind, read back --------------------------------------------------------------------


def test_every_kind_prints_a_pdf_whose_qr_code_verifies_against_the_record(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    appeal_id = record_final(final, fixtures_dir)
    printed = print_(final, tmp_path / "out", KINDS)
    subjects = sheet_subjects(final.head)
    assert sorted(printed) == sorted((k, s) for k in KINDS for s in subjects[k])
    assert subjects["appeal"] == [str(appeal_id)] and subjects["results"] == ["live"]
    for kind in KINDS:
        sheet = next(p for (k, _), p in printed.items() if k == kind)
        assert sheet.file.is_file() and sheet.file.parent == tmp_path / "out"
        page = tools.pngs(sheet.file.read_bytes(), dpi=110, first=1, last=1)[0]
        scanned = [t for t in tools.qr_texts(page) if t.startswith("FKS1:")]
        assert scanned == [sheet.qr], kind
        for given in (scanned[0], sheet.code, str(sheet.file)):
            [verdict] = verify(final.head, given)
            assert verdict.ok, (kind, verdict.lines())
            assert (verdict.kind, verdict.subject, verdict.size) == (kind, sheet.subject,
                                                                     sheet.size)
    before = final.counts()
    for sheet in printed.values():  # every sheet matches, and verifying writes nothing
        assert verify_code(final.head, sheet.code).ok, sheet.title
    assert final.counts() == before


def test_the_print_is_one_transaction_a_checkpoint_then_one_entry_per_sheet(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    record_final(final, fixtures_dir)
    start = final.last()
    printed = print_(final, tmp_path / "out", ["judge", "contestant", "enrolment"],
                     ["J2", "L05"])
    assert list(printed) == [("judge", "J2"), ("contestant", "L05"), ("enrolment", "J2")]
    issued, checkpoint, *entries = list(final.master.ledger.entries(start))
    assert [issued.kind, checkpoint.kind] + [e.kind for e in entries] == [
        "codes_issued", "checkpoint", "sheet_printed", "sheet_printed", "sheet_printed"]
    assert checkpoint.payload["reason"] == "print"
    assert {e.at for e in (issued, checkpoint, *entries)} == {"2025-05-17T08:40:00.000Z"}
    record = checkpoint_record(checkpoint).parsed()
    assert record["size"] == checkpoint.seq - 1 == start + 1
    for entry, sheet in zip(entries, printed.values(), strict=True):
        p = entry.payload
        assert (p["kind"], p["subject"], p["code"], p["digest"]) == (
            sheet.kind, sheet.subject, sheet.code, sheet.digest)
        assert (p["checkpoint"], p["size"], sheet.entry) == (checkpoint.seq, start + 1,
                                                              entry.seq)
        assert p["printed_at"] == "2025-05-17T16:40:00+08:00" and p["file"] == sheet.file.name
        assert p["content"]["kind"] == sheet.kind and p["content"]["subject"] == sheet.subject
    assert entries[0].payload["contestants"][:3] == ["L01", "L02", "L03"]
    assert entries[1].payload["contestants"] == ["L05"]
    assert entries[2].payload["codes"] == issued.seq
    assert [p.file.name for p in printed.values()] == [
        f"judge-J2-ledger{start + 1}.pdf", f"contestant-L05-ledger{start + 1}.pdf",
        f"card-J2-ledger{start + 1}.pdf"]
    assert verify_checkpoints(list(final.master.ledger.entries()), final.master.master_key) == []
    rows = final.master.ledger.conn.execute(
        "SELECT ledger_seq, code, kind, subject FROM printed_sheets ORDER BY ledger_seq"
    ).fetchall()
    assert rows == [(p.entry, p.code, p.kind, p.subject) for p in printed.values()]
    stored = dump_projections(final.master.ledger.conn)
    final.master.ledger.rebuild()
    assert dump_projections(final.master.ledger.conn) == stored
    # the appeal dossier lists the prints touching its contestant
    from head_judge.appeals import dossier

    [appeal] = final.head.master.ledger.conn.execute("SELECT id FROM appeals").fetchall()
    kinds = [h.kind for h in dossier(final.head, appeal[0]).history]
    assert kinds.count("sheet_printed") == 2  # J2's sheet shows L05, and L05's own


def test_the_pdfs_hold_the_names_and_values_of_the_record(
        final: Final, fixtures_dir: Path, tmp_path: Path, event: Event) -> None:
    appeal_id = record_final(final, fixtures_dir)
    printed = print_(final, tmp_path / "out",
                     ["judge", "contestant", "results", "discrepancy", "appeal"],
                     ["J3", "L05", "L08", "L02", "live", "all", str(appeal_id)])
    *_, value, reason = REVISION

    j3 = words(printed["judge", "J3"].file)
    assert sq("评委 Judge J3 高振宇") in j3 and sq("沈秀") in j3
    assert sq(f"产品推介 Product pitch 8 → {plain(value)}") in j3 and sq(reason) in j3
    assert sq("评委签名 Judge's signature") in j3

    l05 = words(printed["contestant", "L05"].file)
    standing = next(s for s in final.head.current_results().scopes[0].ranking
                    if s.contestant == "L05")
    assert sq(str(standing.final)) in l05 and sq(str(standing.panel)) in l05
    assert all(sq(str(v)) in l05 for v in standing.components.values())
    for j in event.judges:
        assert sq(f"{j.id} {j.name.zh}") in l05

    l08 = words(printed["contestant", "L08"].file)
    assert sq("12 → 9†") in l08 and sq(OVERRIDE[4]) in l08

    l02 = words(printed["contestant", "L02"].file)
    assert sq("已撤回 withdrawn") in l02 and sq(WITHDRAWAL[2]) in l02

    results = words(printed["results", "live"].file)
    for s in final.head.current_results().scopes[0].ranking:
        c = event.contestant(s.contestant)
        assert c is not None and sq(f"{c.id} {c.name}") in results and sq(str(s.final)) \
            in results
    assert sq("一等奖 First prize") in results
    assert sq("总裁判长签名 Head judge's signature") in results and "王建国" in results
    assert sq("公证员签名 Notary's signature") in results and "李静" in results

    report = words(printed["discrepancy", "all"].file)
    assert sq(ACCEPTED) in report and sq("已接受 accepted") in report
    assert sq(OVERRIDE[4]) in report and sq("诚信经营 Integrity") in report
    assert sq("已撤回 withdrawn") in report or sq("已消除 cleared") in report

    dossier = words(printed["appeal", str(appeal_id)].file)
    assert sq(GROUND) in dossier and sq(DECISION) in dossier
    assert sq("申诉驳回 Rejected") in dossier and sq("签名有效 signature verified") in dossier
    assert sq("sheet received") in dossier and sq("appeal decided") in dossier


def test_a_decided_tie_prints_with_its_reason_and_verifies(final: Final,
                                                          tmp_path: Path) -> None:
    tie(final, tmp_path)
    final.head.decide_tie(("live", None), ["L02", "L01"], "order", ["L02", "L01"],
                          "抽签 drawn by lot")
    [results] = print_(final, tmp_path / "out", ["results"]).values()
    text = words(results.file)
    assert sq("总裁判长裁决 Head judge's decisions") in text
    l01, l02 = (final.head.event.contestant(c) for c in ("L01", "L02"))
    assert l01 is not None and l02 is not None
    assert sq(f"裁决名次 order decided: L02 {l02.name} > L01 {l01.name} — 抽签 drawn by lot") \
        in text
    assert verify_code(final.head, results.code).ok


# --- enrolment cards ----------------------------------------------------------------------------


def test_cards_carry_fresh_codes_that_enrol_and_never_reach_the_ledger(
        final: Final, tmp_path: Path, event: Event) -> None:
    assert "enrolment" not in DEFAULT_KINDS
    start = final.last()
    [card] = print_(final, tmp_path / "out", ["enrolment"], ["J1"]).values()
    page = tools.pngs(card.file.read_bytes(), dpi=150)[0]
    assert [t for t in tools.qr_texts(page) if not t.startswith("FKS1:")] == []  # no QR
    text = words(card.file)
    [typed] = re.findall(r"(?<=Enrolmentcode)[1-9]\d?-\d{4}-\d{5}(?!\d)", text)
    code = EnrolmentCode.parse(typed)
    assert code.seat == 1  # J1 is the first judge on the panel
    assert sq(typed) in text and sq("周立群") in text
    assert sq(final.master.identity.fingerprint_text[:15]) in text
    issued = next(e for e in final.master.ledger.entries(start) if e.kind == "codes_issued")
    [recorded] = issued.payload["codes"]
    code_id = recorded["code_id"]
    assert (recorded["seat"], recorded["number"]) == ("J1", 1)
    assert final.master.seat("J1").code_id == code_id
    assert final.master.codes.password(code_id) == code.password
    printed = next(e for e in final.master.ledger.entries(start) if e.kind == "sheet_printed")
    assert printed.payload["content"]["card"]["code_id"] == code_id
    stored = b"".join(p.read_bytes() for p in final.master.home.glob("master.db*"))
    for secret in (typed, typed.replace("-", ""), code.password.decode()):
        assert secret.encode() not in stored
        assert hashlib.sha256(secret.encode()).hexdigest().encode() not in stored

    [verdict] = verify(final.head, card.code)
    assert verdict.ok and verdict.notes == ("the code on this card has not been used yet",)
    terminal = Terminal("J1", event.id)
    terminal.enrol(final.master, code, PRINTED_AT + dt.timedelta(minutes=1))
    [verdict] = verify(final.head, card.code)
    assert verdict.ok and verdict.notes[0].startswith("the code on this card was used at "
                                                      "ledger entry")
    [again] = print_(final, tmp_path / "again", ["enrolment"], ["J2"]).values()
    final.master.issue_codes(["J2"], now=PRINTED_AT)
    [verdict] = verify(final.head, again.code)
    assert verdict.ok and "was replaced by a new one" in verdict.notes[0]


# --- determinism --------------------------------------------------------------------------------


def test_the_same_ledger_state_gives_the_same_bytes(final: Final, fixtures_dir: Path,
                                                    tmp_path: Path, event: Event) -> None:
    record_final(final, fixtures_dir)
    kinds = DEFAULT_KINDS
    before = build_sheets(final.head, kinds, signatories=NAMES)
    assert build_sheets(final.head, kinds, signatories=NAMES) == before
    printed = list(print_(final, tmp_path / "out", kinds).values())
    # printing appended entries, but every sheet built from the record is still the same
    # (the appeal dossier now lists the print's checkpoint as covering its history, as it
    # did when printed), and rendered at the print's checkpoint it gives exactly the bytes
    # written then
    after = build_sheets(final.head, kinds, signatories=NAMES)
    holder = list(final.master.ledger.entries())[printed[0].checkpoint - 1]
    imprint = Imprint(PRINTED_AT, checkpoint_record(holder))
    *same, dossier = after
    *_, earlier = before
    assert same == before[:-1] and isinstance(dossier, AppealDossier)
    assert isinstance(earlier, AppealDossier) and earlier.checkpoints == ()
    body = checkpoint_record(holder).parsed()
    assert dossier == replace(earlier, checkpoints=(
        CheckpointRef(body["size"], body["root"], body["at"]),))
    for sheet, done in zip(after, printed, strict=True):
        pdf = render(event, sheet, imprint)
        assert pdf == done.file.read_bytes() == render(event, sheet, imprint), done.title


def test_the_print_is_recorded_first_and_drawn_after_without_the_master(
        final: Final, fixtures_dir: Path, tmp_path: Path, event: Event) -> None:
    record_final(final, fixtures_dir)
    start = final.last()
    out = tmp_path / "out"
    job = record_print(final.head, ["contestant", "results", "enrolment"], ["L05", "live", "J2"],
                       out_dir=out, now=PRINTED_AT, signatories=NAMES)
    issued, checkpoint, *entries = list(final.master.ledger.entries(start))
    assert [issued.kind, checkpoint.kind] + [e.kind for e in entries] == [
        "codes_issued", "checkpoint", "sheet_printed", "sheet_printed", "sheet_printed"]
    assert [(e.seq, e.payload["code"], e.payload["file"]) for e in entries] == [
        (p.entry, p.code, p.file.name) for p in job.printed]
    assert out.is_dir() and list(out.iterdir()) == []  # recorded, nothing drawn yet
    final.master.close()  # drawing needs no master, no connection, no transaction
    printed = render_print(job)
    assert printed == job.printed
    assert sorted(p.name for p in out.iterdir()) == sorted(p.file.name for p in printed)
    for sheet, done in job.sheets:
        assert done.file.read_bytes() == render(event, sheet, job.imprint), done.title
    card = tools.text(printed[-1].file.read_bytes())[0]
    assert sq(printed[-1].code) in card


# --- refusals -----------------------------------------------------------------------------------


def test_bad_requests_are_refused_and_write_nothing(final: Final, fixtures_dir: Path,
                                                    tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    head, out = final.head, tmp_path / "out"
    final.refused(lambda: print_sheets(head, ["poster"], out_dir=out, now=PRINTED_AT),
                  "no sheet kind 'poster'")
    final.refused(lambda: print_sheets(head, ["contestant"], ["L99"], out_dir=out,
                                       now=PRINTED_AT), "no contestant sheet is about L99")
    final.refused(lambda: print_sheets(head, ["judge"], ["L05"], out_dir=out,
                                       now=PRINTED_AT), "subjects are judge: J1, J2")
    final.refused(lambda: print_sheets(head, ["appeal"], out_dir=out, now=PRINTED_AT),
                  "nothing to print: there is no appeal sheet yet")
    final.refused(lambda: print_sheets(head, [], out_dir=out, now=PRINTED_AT),
                  "at least one kind")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    final.refused(lambda: print_sheets(head, ["results"], out_dir=blocker, now=PRINTED_AT),
                  "cannot write the PDFs there")
    final.refused(lambda: print_sheets(head, ["results"], out_dir=out,
                                       now=dt.datetime(2025, 5, 17, 16, 40)), "time zone")
    assert not out.exists()


def test_subjects_narrow_every_kind(final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    printed = print_(final, tmp_path / "out", DEFAULT_KINDS, ["J2", "L05", "live"])
    assert list(printed) == [("judge", "J2"), ("contestant", "L05"), ("results", "live")]


# --- the command --------------------------------------------------------------------------------


def test_print_command_lists_each_sheets_code_and_file(final: Final, fixtures_dir: Path,
                                                       tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    out = tmp_path / "out"
    position = final.last()
    code, stdout, _ = run(final, "print", "--sheet", "contestant", "--subject", "L05,L08",
                          "--sheet", "results", "--subject", "live", "--out", str(out),
                          "--head-judge", "王建国", "--notary", "李静")
    assert code == 0, stdout
    chinese, first, *lines = stdout.splitlines()
    assert chinese == (f"已打印 4 张表，账本位置 {position}（检查点为账本第 {position + 1} 条），"
                       f"存于 {out}")
    assert first == (f"printed 4 sheet(s) at ledger position {position} (checkpoint entry "
                     f"{position + 1}) into {out}")
    pattern = re.compile(r"^([A-Z2-7]{7}-[A-Z2-7]{7})  (.+?) +(\S+\.pdf)$")
    found = [pattern.match(line) for line in lines]
    assert all(found), lines
    assert [(m.group(2), m.group(3)) for m in found if m] == [
        (f"打印清单 {position + 1} pack inventory {position + 1}",
         f"inventory-ledger{position}.pdf"),
        ("选手成绩表 L05 contestant sheet L05", f"contestant-L05-ledger{position}.pdf"),
        ("选手成绩表 L08 contestant sheet L08", f"contestant-L08-ledger{position}.pdf"),
        ("结果公示表 live results sheet live", f"results-live-ledger{position}.pdf")]
    for m in found:
        assert m is not None and verify_code(final.head, m.group(1)).ok
        assert [v.ok for v in verify_file(final.head, out / m.group(3))] == [True]
    assert "王建国" in words(out / f"results-live-ledger{position}.pdf")

    code, stdout, _ = run(final, "print", "--sheet", "cards", "--subject", "J1", "--out",
                          str(out))
    assert code == 0 and "enrolment card J1" in stdout and "new one-time codes" in stdout

    before = final.counts()
    for args, message in (
            (("--sheet", "judge", "--subject", "L05"), "no judge sheet is about L05"),
            (("--sheet", "appeal"), "nothing to print"),
            (("--sheet", "poster"), "Invalid value for '--sheet'")):
        code, stdout, stderr = run(final, "print", *args, "--out", str(out))
        assert code == 2 and message in stderr, stderr
        assert final.counts() == before


# --- issue 27: a committee's decision on paper ------------------------------------------------


def test_a_committee_decision_prints_its_record_and_a_page_for_each_contestant_it_moved(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    """The decision sheet shows the category, the evidence (name, size, SHA-256), the
    replies, each member's vote with a line to sign (a declared conflict as 回避, not a
    vote), the correction and whom it moved; `print --sheet appeal` prints a dossier page
    for every other contestant it moved, subject `ID-CONTESTANT`, each verifying."""
    from head_judge.appeals import decide, reply_to_appeal, vote_on_appeal

    from .test_actions import close_everything
    from .test_appeal_committee import LIVE, integrity_plus, with_rules

    fixture_final(final, fixtures_dir)
    close_everything(final)
    with_rules(final)
    head = final.head
    head.publish(LIVE)
    photo = tmp_path / "评分表照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 7)
    filed = file_appeal(head, "L13", GROUND, "L13 教练", category="procedure",
                        evidence=[photo])
    reply_to_appeal(head, filed.id, "L14", "我方认为原成绩无误 the result stands")
    vote_on_appeal(head, filed.id, "张伟", "upheld")
    vote_on_appeal(head, filed.id, "李娜", "rejected", conflict=True)
    vote_on_appeal(head, filed.id, "王磊", "upheld")
    fix = integrity_plus(final, "L13", "J1", 3)
    decided = decide(head, filed.id, "upheld", DECISION, corrections=[fix],
                     withdrawals=["J2"])
    assert decided.preview is not None
    others = [c for c in decided.preview.moved if c != "L13"]
    assert others  # the fixture's correction moves someone besides the appellant
    assert sheet_subjects(head)["appeal"] == [str(filed.id),
                                              *(f"{filed.id}-{c}" for c in others)]

    out = tmp_path / "out"
    code, stdout, stderr = run(final, "print", "--sheet", "appeal", "--out", str(out),
                               "--head-judge", "王建国")
    assert code == 0, stderr
    listed = re.findall(r"^([A-Z2-7]{7}-[A-Z2-7]{7})  .+? +(\S+\.pdf)$", stdout, re.M)
    assert len(listed) == 2 + len(others)  # the inventory, the decision, a page each
    for sheet_code, name in listed:
        assert verify_code(head, sheet_code).ok, name
        assert [v.ok for v in verify_file(head, out / name)] == [True]
    decision = words(next(out / n for _, n in listed if n.startswith(f"appeal-{filed.id}-l")))

    assert sq("申诉类别 Category 程序问题 Procedure") in decision
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert sq(f"{photo.name} · {photo.stat().st_size} B · SHA-256 {digest[:16]}") in decision
    assert sq("答辩 Replies L14: 我方认为原成绩无误 the result stands") in decision
    assert sq("张伟 支持 Upheld") in decision and sq("王磊 支持 Upheld") in decision
    assert sq("李娜 回避（不计票） Conflict declared (not counted)") in decision
    assert sq("李娜 驳回") not in decision
    assert sq("委员签名 Member's signature") in decision
    assert sq("仲裁委员会委员签名") not in decision  # the vote table holds their signatures
    assert sq(f"J1 周立群 的 诚信经营 改为 {plain(fix.value)}") in decision
    assert sq(f"J1 周立群's Integrity set to {plain(fix.value)}") in decision
    assert sq("J2 林雪梅 的评分表不再计分 J2 林雪梅's sheet withdrawn") in decision
    assert sq(f"名次或奖项变动 Rank or prize moved {'、'.join(decided.preview.moved)}") in decision
    assert "本页为受此申诉裁决影响的选手" not in decision

    for other in others:
        [name] = [n for _, n in listed if n.startswith(f"appeal-{filed.id}-{other}-")]
        page = words(out / name)
        contestant = head.event.contestant(other)
        assert contestant is not None
        assert sq(f"本页为受此申诉裁决影响的选手 {other} 而印") in page
        assert sq(f"选手 Contestant {other} {contestant.name}") in page
        assert sq(GROUND) in page and sq("李娜 回避（不计票）") in page  # the appeal's record
        assert sq(f"申诉 Appeal {filed.id}-{other}") in page

    before = final.counts()  # a page for a contestant it did not move is no subject
    code, _, stderr = run(final, "print", "--sheet", "appeal", "--subject",
                          f"{filed.id}-L01", "--out", str(out))
    assert code == 2 and f"no appeal sheet is about {filed.id}-L01" in stderr, stderr
    assert final.counts() == before
