"""Real PDFs, read back as a notary's verifier would: rendered to PNG, QR codes scanned and
verified with the master's public key, text extracted and checked against the data, fonts
checked for embedding, and the same input printed twice compared byte for byte."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from printouts import (
    AppealDossier,
    EnrolmentCard,
    ResultsSheet,
    Revision,
    Sheet,
    describe_changes,
    prepare,
    render,
    render_pack,
    results_from,
    sheet_content,
    sign_checkpoint,
    verify_qr_payload,
)
from printouts.fonts import missing_glyphs
from printouts.words import plain
from sync.canonical import canonical_bytes
from sync.codes import EnrolmentCode
from sync.identity import format_fingerprint

from . import tools
from .conftest import one_of_each
from .sample import FINGERPRINT, MASTER_KEY, MASTER_PUBLIC, PRINTED_AT, Record, imprint_for
from .tools import sq

KINDS = ["judge", "contestant", "results", "discrepancy", "appeal", "enrolment", "form"]


@pytest.fixture(scope="module")
def pdfs(record: Record, sheets: dict[str, Sheet]) -> dict[str, bytes]:
    return {kind: render(record.event, sheet, record.imprint) for kind, sheet in sheets.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_carries_a_qr_that_verifies_and_matches_the_content(
    kind: str, record: Record, sheets: dict[str, Sheet], pdfs: dict[str, bytes]
) -> None:
    printed = prepare(record.event, sheets[kind], record.imprint)
    pages = tools.pngs(pdfs[kind], dpi=150)
    texts = tools.text(pdfs[kind])
    assert len(pages) == len(texts) >= 1
    for number, (png, page_text) in enumerate(zip(pages, texts, strict=True), start=1):
        payloads = [t for t in tools.qr_texts(png) if t.startswith("FKS1:")]
        assert payloads == [printed.qr], f"page {number}: one sheet QR, the sheet's own"
        verdict = verify_qr_payload(payloads[0], MASTER_PUBLIC)
        assert verdict.ok, verdict.reason
        assert verdict.kind == kind
        assert verdict.matches(sheet_content(record.event, sheets[kind]))
        assert verdict.checkpoint is not None and verdict.checkpoint.size == 412
        assert sq(verdict.code) in page_text, "the sheet code is printed in words too"
        assert sq(f"第 {number} 页 / 共 {len(pages)} 页") in page_text
        assert sq(f"Page {number} of {len(pages)}") in page_text
        assert sq("哈尔滨市首届直播销售职业技能大赛 决赛") in page_text
        assert sq("Harbin Livestream Sales Skills Contest — Final") in page_text
        assert sq("2020-09-26 · 林达世界欢乐城 Linda World Joy City") in page_text
        assert sq("账本位置 Ledger position 412") in page_text
        assert sq("打印时间 Printed 2020-09-26 16:30:00+08:00") in page_text


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded(kind: str, pdfs: dict[str, bytes]) -> None:
    used = tools.fonts(pdfs[kind])
    assert used, "pdffonts lists the fonts"
    assert all(f["emb"] == "yes" for f in used), used
    assert all("WenQuanYi" in f["name"] for f in used), used


@pytest.mark.parametrize("kind", KINDS)
def test_same_input_same_bytes(kind: str, record: Record, sheets: dict[str, Sheet],
                               pdfs: dict[str, bytes]) -> None:
    assert render(record.event, sheets[kind], record.imprint) == pdfs[kind]


def test_same_bytes_in_a_fresh_process(fixtures_dir: Path, pdfs: dict[str, bytes]) -> None:
    """No process state (font registration order, caches, ids) leaks into the output."""
    script = (
        "import sys, pathlib\n"
        "from tests.printouts.sample import livestream\n"
        "from printouts import render\n"
        f"rec = livestream(pathlib.Path({str(fixtures_dir)!r}))\n"
        "sys.stdout.buffer.write(render(rec.event, rec.contestant_sheet('L05'), rec.imprint))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True,
                         check=True)
    assert out.stdout == pdfs["contestant"]


def test_pdf_metadata_dates_the_printing(pdfs: dict[str, bytes]) -> None:
    assert b"/CreationDate (D:20200926163000+08'00')" in pdfs["results"]


def test_judge_sheet_shows_every_value_recusals_and_the_override(
    record: Record, pdfs: dict[str, bytes]
) -> None:
    words = "".join(tools.text(pdfs["judge"]))
    assert sq("评委 Judge J4 马晓东") in words
    for sheet in record.judge_sheet("J4").scores:
        contestant = record.event.contestant(sheet.contestant)
        assert contestant is not None and sq(f"{contestant.id} {contestant.name}") in words
        assert sq(plain(sheet.current.total)) in words
    assert words.count(sq("回避（同单位） recused (same organisation)")) == 3  # L04, L11, L18
    assert sq("12 → 9†") in words and sq("81.5 → 78.5†") in words
    assert sq("J4 confirmed the integrity score was misread") in words
    assert sq("评委签名 Judge's signature") in words


def test_blank_form_lists_every_criterion_and_contestant_and_strikes_the_recused(
    record: Record, pdfs: dict[str, bytes]
) -> None:
    """J4's paper form: each criterion in both languages with its max and step, every
    contestant by name in running order across pages, the three recused rows struck and
    boxless, the judge's signature line and the instructions."""
    event = record.event
    pages = tools.text(pdfs["form"])
    assert len(pages) >= 2, "18 rows with room for handwriting take more than one page"
    words = "".join(pages)
    assert "纸质评分表（空白）" in words and sq("Paper scoring form (blank)") in words
    assert sq("评委 Judge J4 马晓东") in words
    for page in pages:  # the column heads repeat on every page
        for criterion in event.criteria:
            assert sq(f"{criterion.name.zh} {criterion.name.en}") in page, criterion.id
            assert sq(f"满分 {plain(criterion.max)}/步长 {plain(criterion.step)}") in page
            assert sq(f"max {plain(criterion.max)}/step {plain(criterion.step)}") in page
    at = [words.index(sq(f"{c.id} {c.name}")) for c in event.running_order()]
    assert at == sorted(at), "rows follow the running order"
    assert words.count(sq("回避 — 此行不评分 recused — not scored")) == 3  # L04, L11, L18
    for text in ("小签 Initials", "评委签名 Judge's signature", "日期 Date",
                 "划掉原数", "strike the old number", "Leave a row blank"):
        assert sq(text) in words, text


def test_blank_form_strikes_through_recused_names_and_heads_each_track(
        fixtures_dir: Path, record: Record) -> None:
    """A recused row's name is drawn with a line through it, and a final with several tracks
    heads each track's rows with its name."""
    from reportlab.platypus import Table

    from printouts import BlankForm
    from printouts.sheets import form
    from sync.event_file import load_event

    [table] = [f for f in form.story(record.event, BlankForm("J4"), dt.UTC)
               if isinstance(f, Table) and len(f._cellvalues) > 2]
    struck = [row[0] for row in table._cellvalues[1:] if isinstance(row[1], form._Struck)]
    assert struck == ["4", "11", "18"]  # L04, L11, L18: their order numbers
    roadshow = load_event(fixtures_dir / "roadshow-final" / "event.toml")
    words = "".join(tools.text(render(roadshow, BlankForm("J1"), imprint_for(roadshow))))
    for track in roadshow.tracks:
        assert words.count(sq(f"赛道 Track {track.name.zh} {track.name.en}")) == 1
    [table] = [f for f in form.story(roadshow, BlankForm("J1"), dt.UTC)
               if isinstance(f, Table) and len(f._cellvalues) > 2]
    firsts = [str(row[0]).split("  ")[0] if row[1] == "" else str(row[1])[:3]
              for row in table._cellvalues[1:]]
    assert [firsts[i + 1] for i, x in enumerate(firsts) if x == "赛道 Track"] == \
        ["V01", "I01", "S01"]


def test_contestant_sheet_shows_judges_dropped_recused_revision_result(
    record: Record, pdfs: dict[str, bytes]
) -> None:
    words = "".join(tools.text(pdfs["contestant"]))
    placing = record.placing("L05")
    assert placing is not None
    for judge in record.event.judges:
        assert sq(f"{judge.id} {judge.name.zh}") in words
    for judge_id, total in placing.judges.items():
        marked = f"[{plain(total)}]" if judge_id in placing.dropped else plain(total)
        assert sq(marked) in words
    assert sq("去掉 dropped") in words and sq("计入 counted") in words
    assert sq("8 r") in words and sq("产品推介 Product pitch 18 → 8") in words
    assert sq("录入错误 typo: 18 entered, 8 meant") in words
    assert sq(str(placing.final)) in words and sq(str(placing.panel)) in words
    assert all(sq(str(v)) in words for v in placing.components.values())
    assert sq("优秀奖 Merit award") in words and sq(str(placing.rank)) in words


def test_results_sheet_ranks_explains_ties_and_has_every_signature(
    record: Record, pdfs: dict[str, bytes]
) -> None:
    words = "".join(tools.text(pdfs["results"]))
    for placing in record.scopes[0].ranking:
        contestant = record.event.contestant(placing.contestant)
        assert contestant is not None and sq(f"{contestant.id} {contestant.name}") in words
        assert sq(str(placing.final)) in words
    for tier in ("一等奖 First prize", "二等奖 Second prize", "三等奖 Third prize"):
        assert sq(tier) in words
    assert sq("L14 胡霞萍 与 L13 余平艳 最终得分同为 75.10，按 直播数据分 区分：83.42 对 81.14。") \
        in words
    assert sq("L14 胡霞萍 and L13 余平艳 tie on 75.10; Live data (platform) decides: 83.42 vs "
              "81.14.") in words
    assert sq("缺席 Absent: L18 沈萍") in words
    # signature boxes sit side by side, so a box's role and name are not adjacent in the text
    for judge in record.event.judges:
        assert sq(f"评委签名 Judge's signature · {judge.id}") in words and judge.name.zh in words
    assert sq("总裁判长签名 Head judge's signature") in words and "王建国" in words
    assert sq("公证员签名 Notary's signature") in words and "李静" in words


def test_results_sheet_has_no_notary_block_without_a_notary(record: Record) -> None:
    event = dataclasses.replace(record.event, notary=False)
    pdf = render(event, record.results_sheet(), imprint_for(event))
    assert "公证员" not in "".join(tools.text(pdf))


def test_discrepancy_report_lists_flags_and_overrides(record: Record,
                                                      pdfs: dict[str, bytes]) -> None:
    words = "".join(tools.text(pdfs["discrepancy"]))
    for flag in record.flags:
        assert sq(flag.id) in words and sq(flag.detail) in words
    assert sq("已复核 reviewed") in words and sq("已接受 accepted") in words
    override = record.overrides[0]
    assert sq("诚信经营 Integrity") in words and sq(override.reason) in words


def test_appeal_dossier_has_history_checkpoints_and_decision(
    record: Record, pdfs: dict[str, bytes]
) -> None:
    words = "".join(tools.text(pdfs["appeal"]))
    dossier = record.appeal()
    assert sq(dossier.ground) in words
    for entry in dossier.history:
        assert sq(entry.action) in words
    for checkpoint in dossier.checkpoints:
        assert sq(checkpoint.root) in words
    assert sq("申诉驳回 Rejected") in words and sq("签名有效 signature verified") in words
    assert words.count(sq("仲裁委员会委员签名 Appeals committee member's signature")) == 3
    assert all(name in words for name in ("张伟", "李娜", "王磊"))
    assert "Decidedby" not in words


def test_enrolment_card_shows_the_code_to_type_and_no_qr(record: Record,
                                                         pdfs: dict[str, bytes]) -> None:
    """A judge terminal has no camera: the card carries the short code in digits (which
    parses back to the card's seat) and the master fingerprint; its only QR is the sheet
    code every printout has."""
    card = record.enrolment_cards()[0]
    page = tools.pngs(pdfs["enrolment"], dpi=150)[0]
    assert [t for t in tools.qr_texts(page) if not t.startswith("FKS1:")] == []
    parsed = EnrolmentCode.parse(card.code)
    assert parsed.seat == 1 and card.seat == "1" and parsed.encode() == card.code
    words = "".join(tools.text(pdfs["enrolment"]))
    assert sq(card.code) in words
    fingerprint = format_fingerprint(FINGERPRINT).split("-")
    assert sq("-".join(fingerprint[:4])) in words
    assert sq("周立群") in words and sq("席位 Seat 1") in words


def test_enrolment_code_is_not_in_the_hashed_content(record: Record) -> None:
    """The content the ledger keeps names the code by its id, never by its digits or any
    hash of them (eight digits are searched in a second)."""
    for card in record.enrolment_cards():
        content = canonical_bytes(sheet_content(record.event, card))
        fields = sheet_content(record.event, card)["card"]
        assert isinstance(fields, dict) and fields["code_id"] == card.code_id != ""
        assert "code_sha256" not in fields
        password = EnrolmentCode.parse(card.code).password
        for leak in (card.code.encode(), password, password[:-1]):
            assert leak not in content, leak
        for text in (card.code, password.decode(), card.code.replace("-", "")):
            assert hashlib.sha256(text.encode()).hexdigest().encode() not in content


def test_english_first_event_puts_english_first(record_en: Record) -> None:
    for kind, sheet in one_of_each(record_en).items():
        page = tools.text(render(record_en.event, sheet, record_en.imprint))[0]
        english = page.index(sq("Harbin Livestream Sales Skills Contest"))
        chinese = page.index("哈尔滨市首届直播销售职业技能大赛")
        assert english < chinese, kind
        title = {"judge": ("Judge's score sheet", "评委评分表"),
                 "results": ("Results and ranking", "成绩排名表")}.get(kind)
        if title:
            assert page.index(sq(title[0])) < page.index(title[1])
        assert page.index("Page1of") < page.index("第1页")
    words = "".join(tools.text(render(record_en.event, record_en.results_sheet(),
                                       record_en.imprint)))
    assert sq("First prize 一等奖") in words
    assert sq("Judge's signature 评委签名 · J1") in words


def test_a_pack_numbers_pages_per_sheet_with_each_sheets_code(record: Record) -> None:
    pack: list[Sheet] = [record.judge_sheet("J1"), record.contestant_sheet("L01"),
                         record.results_sheet()]
    pdf = render_pack(record.event, pack, record.imprint)
    pages = tools.text(pdf)
    printed = [prepare(record.event, s, record.imprint) for s in pack]
    sizes = [len(tools.text(render(record.event, s, record.imprint))) for s in pack]
    assert len(pages) == sum(sizes)
    at = 0
    for sheet_printed, size in zip(printed, sizes, strict=True):
        for n in range(1, size + 1):
            assert f"Page{n}of{size}" in pages[at] and sheet_printed.code in pages[at]
            at += 1
    images = tools.pngs(pdf, dpi=110)
    assert tools.qr_texts(images[-1]) == [printed[-1].qr]


def test_every_printed_string_has_a_glyph(record: Record, sheets: dict[str, Sheet]) -> None:
    for sheet in sheets.values():
        text = canonical_bytes(sheet_content(record.event, sheet)).decode()
        assert missing_glyphs(text) == ""


def test_a_sheet_changed_after_printing_fails_and_names_the_change(record: Record) -> None:
    """J2 revises L05's pitch after the sheet was printed and signed: the paper's QR still
    verifies against the master key, but not against the record, and the verifier says what
    moved."""
    before = record.contestant_sheet("L05")
    pdf = render(record.event, before, record.imprint)
    payload = next(t for t in tools.qr_texts(tools.pngs(pdf)[0]) if t.startswith("FKS1:"))
    printed_content = sheet_content(record.event, before)

    j2 = next(s for s in before.scores if s.judge == "J2")
    revised = dataclasses.replace(j2, revisions=(*j2.revisions, Revision(
        2, {**j2.current.values, "pitch": D("14")}, "", "复核后更正 corrected on review",
        "2020-09-26T17:05:00+08:00")))
    after = dataclasses.replace(before, scores=tuple(
        revised if s.judge == "J2" else s for s in before.scores))
    current_content = sheet_content(record.event, after)

    verdict = verify_qr_payload(payload, MASTER_PUBLIC)
    assert verdict.ok and verdict.matches(printed_content)
    assert not verdict.matches(current_content)
    changes = describe_changes(printed_content, current_content)
    assert changes == [
        "J2's pitch for L05 changed from 12.5 to 14 (revision 2: '复核后更正 corrected on review')"
    ]


def test_a_qr_from_another_master_does_not_verify(record: Record) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    rogue = sign_checkpoint(Ed25519PrivateKey.from_private_bytes(bytes(32)),
                            event=record.event.id, size=412, root="ab" * 32,
                            at=PRINTED_AT.isoformat())
    imprint = dataclasses.replace(record.imprint, checkpoint=rogue)
    printed = prepare(record.event, record.discrepancy_report(), imprint)
    verdict = verify_qr_payload(printed.qr, MASTER_PUBLIC)
    assert not verdict.ok and "not signed by this head judge" in verdict.reason


def test_a_checkpoint_of_another_event_is_refused(record: Record) -> None:
    other = sign_checkpoint(MASTER_KEY, event="another-final", size=1, root="00" * 32,
                            at=PRINTED_AT.isoformat())
    with pytest.raises(ValueError, match="another-final"):
        prepare(record.event, record.results_sheet(),
                dataclasses.replace(record.imprint, checkpoint=other))


def test_unknown_sheet_type_is_refused(record: Record) -> None:
    with pytest.raises((TypeError, KeyError)):
        render(record.event, "not a sheet", record.imprint)  # type: ignore[arg-type]


def test_results_adapter_matches_the_independent_expected_results(fixtures_dir: Path) -> None:
    from head_judge.paper import read_component, read_sheets
    from head_judge.scoring import tabulate
    from sync.event_file import load_event

    folder = fixtures_dir / "livestream-final"
    event = load_event(folder / "event.toml")
    results = tabulate(event, read_sheets(event, folder / "sheets.csv"),
                       {"data": read_component(event, "data", folder / "data.csv")})
    expected = json.loads((folder / "expected-results.json").read_text("utf-8"))
    scopes = results_from(results)
    got = [[(p.rank, p.contestant, str(p.final), p.prize) for p in s.ranking] for s in scopes]
    want = [[(r["rank"], r["contestant"], r["final"], r["prize"]) for r in s["ranking"]]
            for s in expected["scopes"]]
    assert got == want
    sheet = ResultsSheet(scopes[0])
    standings = sheet_content(event, sheet)["standings"]
    assert isinstance(standings, dict)
    assert set(standings) == {p.contestant for p in scopes[0].ranking}


def test_card_without_expiry_renders(record: Record) -> None:
    card = dataclasses.replace(record.enrolment_cards()[1], expires="")
    assert isinstance(card, EnrolmentCard)
    assert render(record.event, card, record.imprint).startswith(b"%PDF")


def test_every_printed_time_is_in_the_events_time_zone_with_its_offset(record: Record) -> None:
    """With `timezone = "Asia/Shanghai"`, times recorded in UTC (the ledger's) and a printing
    time taken on a laptop set to UTC all print as Shanghai time, +08:00: the card's "valid
    until", a flag's time, and the imprint's "printed at"."""
    event = dataclasses.replace(record.event, timezone="Asia/Shanghai")
    utc = dt.UTC
    imprint = dataclasses.replace(imprint_for(event),
                                  printed_at=dt.datetime(2020, 9, 26, 8, 30, tzinfo=utc))
    card = dataclasses.replace(record.enrolment_cards()[0], expires="2020-09-26T14:30:00+00:00")
    words = "".join(tools.text(render(event, card, imprint)))
    assert sq("有效期至 Valid until: 2020-09-26 22:30:00 +08:00") in words
    assert sq("2020-09-26 16:30:00+08:00") in words  # printed at (08:30 UTC)
    assert "+00:00" not in words
    flag = dataclasses.replace(record.flags[0], raised_at="2020-09-26T02:31:05.000Z")
    report = dataclasses.replace(record.discrepancy_report(), flags=(flag,))
    words = "".join(tools.text(render(event, report, imprint)))
    assert sq("2020-09-26 10:31:05 +08:00") in words and "02:31:05" not in words


def test_multi_page_sheets_carry_initials_and_a_seam_strip_on_every_page(
        record: Record, sheets: dict[str, Sheet], pdfs: dict[str, bytes]) -> None:
    several = [kind for kind in KINDS if len(tools.text(pdfs[kind])) > 1]
    assert several, "the sample has sheets of several pages"
    for kind in KINDS:
        pages = tools.text(pdfs[kind])
        for page in pages:
            marked = sq("小签 Initials:") in page and sq("骑缝章 Seam seal") in page
            assert marked == (len(pages) > 1), kind


def test_a_draft_ranking_is_watermarked_on_every_page(record: Record) -> None:
    draft = render(record.event, record.results_sheet(version=None), record.imprint)
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=draft, capture_output=True,
                         check=True).stdout.decode()
    pages = [sq(page) for page in out.split("\f") if page.strip()]
    assert len(pages) > 1
    for page in pages:
        assert sq("草稿 · 未发布") in page and sq("DRAFT · NOT PUBLISHED") in page
        assert sq("第 1 版") not in page
    published = "".join(tools.text(render(record.event, record.results_sheet(),
                                          record.imprint)))
    assert sq("第 1 版 · 发布于 2020-09-26 13:20:00 +08:00") in published
    assert sq("Version 1 · published 2020-09-26 13:20:00 +08:00") in published
    assert "草稿" not in published


def test_contestant_sheet_tells_ties_flags_appeal_and_absence(record: Record) -> None:
    l05 = "".join(tools.text(render(record.event, record.contestant_sheet("L05"),
                                    record.imprint)))
    assert sq("申诉 A1 (2020-09-26 14:00:00 +08:00)") in l05 or sq("申诉 A1（") in l05
    assert sq("申诉驳回") in l05 and sq("各评分签名有效，维持原成绩") in l05
    flagged = {f.contestant for f in record.flags}
    for contestant in flagged:
        text = "".join(tools.text(render(record.event, record.contestant_sheet(contestant),
                                         record.imprint)))
        assert sq("评分差异及处理 Discrepancy flags and their outcome") in text
    l14 = "".join(tools.text(render(record.event, record.contestant_sheet("L14"),
                                    record.imprint)))
    assert sq("同分处理 Tie-break applied") in l14 and sq("L14 胡霞萍 与 L13 余平艳") in l14
    l18 = "".join(tools.text(render(record.event, record.contestant_sheet("L18"),
                                    record.imprint)))
    assert sq("缺席：未参加本场决赛，不参加排名") in l18
    assert sq("Absent: did not compete in this final; not ranked") in l18


def test_an_inventory_lists_each_sheet_with_its_code_and_pages(record: Record) -> None:
    from printouts import Inventory, InventoryLine, page_counts

    pack = [record.judge_sheet("J4"), record.contestant_sheet("L05"), record.results_sheet()]
    counts = page_counts(record.event, pack, record.imprint)
    assert counts == [len(tools.text(render(record.event, s, record.imprint))) for s in pack]
    lines = tuple(InventoryLine(prepare(record.event, s, record.imprint).code, kind, subject, n)
                  for s, kind, subject, n in zip(pack, ("judge", "contestant", "results"),
                                                 ("J4", "L05", "live"), counts, strict=True))
    text = "".join(tools.text(render(record.event, Inventory(413, lines, "王建国", "李静"),
                                     record.imprint)))
    for line in lines:
        assert sq(line.code) in text
    assert sq(f"共 3 份表单，{sum(counts)} 页") in text
    assert sq("J4 马晓东") in text and sq("L05 沈秀") in text
    assert sq("公证员签名 Notary's signature") in text and "李静" in text


# --- issue 27: the committee's paper --------------------------------------------------------


def _voted(record: Record, **dossier: object) -> AppealDossier:
    """The sample appeal upheld by a committee that voted (李娜 declared a conflict), with its
    category, evidence, a reply, a correction and who it moved."""
    base = record.appeal()
    assert base.decision is not None
    decision = dataclasses.replace(
        base.decision, outcome="upheld", committee=("张伟", "王磊"),
        votes=(("张伟", "upheld", False), ("李娜", "abstain", True), ("王磊", "rejected", False)),
        correction=("J3 宋佳 的 产品推介 改为 18 J3's Product pitch set to 18",
                    "J2 的评分表不再计分 J2's sheet withdrawn"),
        moved=("L05", "L08"))
    return dataclasses.replace(
        base, decision=decision, category="procedure",
        evidence=("录像.mp4 · 2048 B · SHA-256 0123456789abcdef…",),
        replies=("L08: 原成绩无误 the result stands",), **dossier)  # type: ignore[arg-type]


def test_a_committee_vote_prints_each_member_signing_beside_their_vote(record: Record) -> None:
    sheet = _voted(record)
    assert sheet.decision is not None
    words = "".join(tools.text(render(record.event, sheet, record.imprint)))
    assert sq("申诉类别 Category 程序问题 Procedure") in words
    assert sq(f"证据 Evidence {sheet.evidence[0]}") in words
    assert sq(f"答辩 Replies {sheet.replies[0]}") in words
    assert sq("表决 Votes") in words
    assert sq("委员 Member 投票 Vote") in words and sq("委员签名 Member's signature") in words
    assert sq("张伟 支持 Upheld") in words and sq("王磊 驳回 Rejected") in words
    # a declared conflict shows as such, never as the abstention it was recorded with
    assert sq("李娜 回避（不计票） Conflict declared (not counted)") in words
    assert sq("弃权") not in words
    for line in sheet.decision.correction:
        assert sq(line) in words
    assert sq("名次或奖项变动 Rank or prize moved L05、L08") in words
    # the members sign in the vote table, not in boxes of their own; the head judge in a box
    assert sq("仲裁委员会委员签名") not in words and sq("仲裁委员会签名") not in words
    assert sq("总裁判长签名 Head judge's signature") in words
    content = sheet_content(record.event, sheet)
    assert content["signatories"] == ["张伟", "李娜", "王磊", "王建国"]
    assert missing_glyphs(canonical_bytes(content).decode()) == ""
    # a dossier without votes keeps its boxes, one per member who decided, and no vote table
    plain_one = dataclasses.replace(sheet, decision=dataclasses.replace(
        sheet.decision, votes=(), committee=("张伟", "李娜", "王磊")))
    words = "".join(tools.text(render(record.event, plain_one, record.imprint)))
    assert words.count(sq("仲裁委员会委员签名 Appeals committee member's signature")) == 3
    assert sq("表决 Votes") not in words and sq("委员签名 Member's signature") not in words


def test_a_moved_contestants_page_says_whose_it_is_and_has_its_own_subject(
        record: Record) -> None:
    from printouts.content import subject_of

    appellants = _voted(record)
    page = _voted(record, contestant="L08", moved_contestant="L08",
                  scores=tuple(s for s in record.scores if s.contestant == "L08"),
                  placing=record.placing("L08"))
    assert subject_of(appellants) == "A1" and subject_of(page) == "A1-L08"
    assert sheet_content(record.event, page) != sheet_content(
        record.event, dataclasses.replace(page, moved_contestant=""))
    words = "".join(tools.text(render(record.event, page, record.imprint)))
    assert sq("本页为受此申诉裁决影响的选手 L08 而印") in words
    assert sq("This page is for L08, whom the decision on this appeal moved") in words
    assert sq("申诉 Appeal A1-L08") in words  # the header names the page's subject
    assert "本页为受此申诉裁决影响的选手" not in "".join(
        tools.text(render(record.event, appellants, record.imprint)))


def test_a_published_ranking_prints_provisional_then_official_beside_its_version(
        record: Record) -> None:
    published = record.results_sheet()
    closes = dt.datetime.fromisoformat(published.published_at) + dt.timedelta(minutes=30)

    def shown(sheet: ResultsSheet) -> str:
        return "".join(tools.text(render(record.event, sheet, record.imprint)))

    provisional = shown(dataclasses.replace(published, state="provisional",
                                            appeals_close=closes.isoformat()))
    hhmm = closes.strftime("%H:%M")
    assert sq(f"暂定成绩：申诉截止 {hhmm} +08:00") in provisional
    assert sq(f"Provisional: appeals close at {hhmm} +08:00") in provisional
    assert sq("第 1 版 · 发布于") in provisional and "正式" not in provisional
    # a window closing another day names the day
    next_day = closes + dt.timedelta(days=1)
    assert sq(f"申诉截止 {next_day:%Y-%m-%d %H:%M} +08:00") in shown(dataclasses.replace(
        published, state="provisional", appeals_close=next_day.isoformat()))
    official = shown(dataclasses.replace(published, state="official",
                                         appeals_close=closes.isoformat()))
    assert sq("正式成绩：申诉期已结束 Official: the appeal window has closed") in official
    assert "暂定" not in official and "Provisional" not in official
    # no window: neither word, and the content (what the QR code's digest covers) unchanged
    none = shown(published)
    assert not any(word in none for word in ("暂定", "正式成绩", "Provisional", "Official"))
    assert set(sheet_content(record.event, published)["version"]) == {"n", "published_at"}
