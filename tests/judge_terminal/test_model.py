"""The terminal's view of the store, without Textual: values checked as typed, codes checked
as typed, the notices replayed, and a status for every contestant."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from judge_terminal.model import Board, build_queue, check_code, check_sheet, check_value
from judge_terminal.words import WORDS, say
from sync.codes import BLOCK
from sync.event import Criterion, Text
from sync.identity import public_key_bytes
from sync.records import device_id_of
from sync.snapshot import event_snapshot, snapshot_digest
from sync.store import Notice, StoreError

from . import support

PITCH = Criterion("pitch", Text("产品推介", "Product pitch"), Decimal(20), Decimal("0.5"))


@pytest.mark.parametrize(("typed", "state", "problem"), [
    ("", "empty", None), ("  ", "empty", None), ("18", "ok", None), ("18.5", "ok", None),
    ("0", "ok", None), ("20", "ok", None), ("18,5", "ok", None), ("18。5", "ok", None),
    (".5", "ok", None), ("20.5", "bad", "chk_range"), ("18.3", "bad", "chk_step"),
    ("1e1", "bad", "chk_not_number"), ("1.2.3", "bad", "chk_not_number"),
    ("-1", "bad", "chk_not_number"), ("NaN", "bad", "chk_not_number"),
])
def test_a_value_is_checked_as_typed(typed: str, state: str, problem: str | None) -> None:
    check = check_value(PITCH, typed)
    assert (check.state, check.problem) == (state, problem)


def test_the_total_counts_valid_values_and_names_what_is_left() -> None:
    event = support.livestream()
    check = check_sheet(event, {"appearance": "9", "expression": "15.5", "pitch": "18"})
    assert check.total == Decimal(27)
    assert check.bad == ["expression"] and len(check.missing) == 4 and not check.complete


def test_a_code_is_checked_as_it_is_typed_naming_the_blocks_of_a_typo() -> None:
    code = support.code_for("J1")
    assert check_code("").state == "empty"
    assert check_code(code[:20]).state == "typing"
    assert check_code(code.lower().replace("-", " ")).state == "ok"
    wrong = code[:9] + ("A" if code[9] != "A" else "B") + code[10:]  # block 2
    for typed in (wrong[:16], wrong):
        found = check_code(typed)
        assert (found.state, found.bad_blocks) == ("typo", (1, 2))
    bad = check_code(code[:8] + "!" + code[9:])
    assert bad.state == "bad_char" and bad.char == "!" and bad.char_block == 2
    assert check_code(code + "A" * 28).state == "invalid"  # a whole code's length, not one
    assert check_code(code + "A" * 35).state == "too_long"
    ok = check_code(code)
    assert ok.code is not None and ok.code.seat == "J1" and ok.code.fingerprint == support.PIN
    assert len(ok.blocks) == 12 and all(len(b) == BLOCK for b in ok.blocks)


def test_notices_are_replayed_in_order() -> None:
    board = Board.from_notices([
        Notice(1, "lock", None, {"contestant": "L01", "reason": "done"}),
        Notice(2, "on_stage", None, {"contestant": "L02"}),
        Notice(3, "review_request", "J1", {"review": 9, "contestant": "L03", "flag": None,
                                           "note": "n", "sheet": "ab" * 32}),
        Notice(4, "review_request", "J2", {"review": 10, "contestant": "L04", "note": "x"}),
        Notice(5, "lock", None, {"contestant": "L05"}),
        Notice(6, "unlock", None, {"contestant": "L05", "reason": "again"}),
        Notice(7, "review_closed", "J1", {"review": 9, "contestant": "L03", "reason": "r"}),
        Notice(8, "checkpoint", None, {"checkpoint": {}}),
    ], "J1")
    assert board.locks == {"L01": "done"} and board.on_stage == "L02"
    assert set(board.reviews) == {9} and board.closed == {9}


def test_every_status_of_the_scenario(tmp_path: Path) -> None:
    event = support.livestream()
    with support.open_store(tmp_path) as store:
        support.enrol(store, event, "J2")
        support.scenario(store, event)
        queue = build_queue(store)
        statuses = {r.contestant.id: r.status for r in queue.rows}
        assert [statuses[f"L0{i}"] for i in range(1, 10)] == [
            "synced", "review", "waiting", "draft", "to_score", "locked", "recused",
            "rejected", "to_score"]
        assert [r.contestant.order for r in queue.rows] == sorted(
            c.order for c in event.contestants)
        assert [r.contestant.id for r in queue.rows if r.on_stage] == ["L05"]
        (review,) = queue.open_reviews
        assert review.id == 41 and review.contestant == "L02"
        # answering it as is closes it here at once (the master hears of it later)
        store.confirm_review(41, now=support.FIXED)
        queue = build_queue(store)
        assert queue.open_reviews == [] and queue.row("L02").status == "waiting"  # type: ignore[union-attr]
        # a correction in progress of a submitted sheet
        store.save_draft("L01", {"appearance": "8"}, now=support.FIXED)
        assert build_queue(store).row("L01").status == "correction"  # type: ignore[union-attr]


def test_confirm_review_signs_and_queues_a_confirmation(tmp_path: Path) -> None:
    event = support.livestream()
    with support.open_store(tmp_path) as store:
        support.enrol(store, event, "J2")
        support.scenario(store, event)
        before = store.outbox_size()
        current = store.current_sheet("L02")
        stored = store.confirm_review(41, "我确认", now=support.FIXED)
        assert stored.is_confirmation and stored.in_outbox and store.outbox_size() == before + 1
        confirmation = stored.confirmation
        assert (confirmation.review, confirmation.contestant, confirmation.comment) == \
            (41, "L02", "我确认")
        assert current is not None and confirmation.sheet == current.hash
        assert store.current_sheet("L02") == current  # a confirmation is not a sheet
        last = max(r.seq for r in store.sheets() if r.hash != stored.hash)
        assert confirmation.seq == last + 1 and stored.record.verify(store.device_public_key)
        # a correction after it still supersedes the sheet, not the confirmation
        again = store.submit_sheet("L02", support.marks(event), reason="after all",
                                   now=support.FIXED)
        assert again.revision == 2 and again.supersedes == current.hash
        with pytest.raises(StoreError, match="no review request 99"):
            store.confirm_review(99, now=support.FIXED)
        support.notices(store, Notice(50, "review_request", "J2", {
            "review": 50, "contestant": "L09", "note": "?", "flag": None, "sheet": None}))
        with pytest.raises(StoreError, match="no sheet for contestant L09"):
            store.confirm_review(50, now=support.FIXED)


def test_every_word_has_both_languages_and_fills_its_fields() -> None:
    for key, text in WORDS.items():
        if key == "chk_empty":
            continue
        assert text.zh and text.en, key
        values = dict.fromkeys(("n", "total", "done", "todo", "who", "time", "offset", "max",
                                "step", "names", "revision", "state", "reason", "id", "note",
                                "rule", "flag", "first", "second", "block", "char", "seat",
                                "judge", "fingerprint", "members", "master", "comment"), "1")
        for lang in ("zh", "en"):
            assert "{" not in say(key, lang, **values), (key, lang)


def test_enrolling_again_re_signs_a_waiting_confirmation_with_the_new_key(tmp_path: Path) -> None:
    event = support.livestream()
    with support.open_store(tmp_path) as store:
        support.enrol(store, event, "J2")
        sheet = store.submit_sheet("L01", support.marks(event), now=support.FIXED)
        support.notices(store, Notice(5, "review_request", "J2", {
            "review": 5, "contestant": "L01", "note": "?", "flag": None, "sheet": sheet.hash}))
        store.confirm_review(5, now=support.FIXED)
        new_device = device_id_of(public_key_bytes(store.next_device_key()))
        store.save_enrolment(pin=support.PIN, host="127.0.0.1", port=9,
                             master_key=support.MASTER_KEY, judge="J2", device=new_device,
                             snapshot=event_snapshot(event), event_digest=snapshot_digest(event),
                             now=support.FIXED)
        waiting = store.outbox()
        assert [r.is_confirmation for r in waiting] == [False, True]
        assert all(r.record.verify(store.device_public_key) for r in waiting)
        assert waiting[1].confirmation.sheet == waiting[0].hash
        assert waiting[1].confirmation.prev == waiting[0].hash and waiting[1].seq == 2
