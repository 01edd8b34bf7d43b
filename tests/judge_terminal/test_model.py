"""The terminal's view of the store, without Textual: values checked as typed, codes checked
as typed, the notices replayed, and a status for every contestant."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest

from judge_terminal.model import Board, CodeState, build_queue, check_code, check_sheet, check_value
from judge_terminal.words import WORDS, say
from sync.codes import EnrolmentCode, TypedCodeError
from sync.event import Criterion, Text
from sync.identity import public_key_bytes
from sync.phrases import fields
from sync.records import device_id_of
from sync.snapshot import event_snapshot, snapshot_digest
from sync.store import Notice, StoreError

from . import support

PITCH = Criterion("pitch", Text("产品推介", "Product pitch"), Decimal(20), Decimal("0.5"))


@pytest.mark.parametrize(("typed", "state", "problem"), [
    ("", "empty", None), ("  ", "empty", None), ("18", "ok", None), ("18.5", "ok", None),
    ("0", "ok", None), ("20", "ok", None), ("18,5", "ok", None), ("18。5", "ok", None),
    (".5", "ok", None), ("20.5", "bad", "chk_range"), ("18.3", "bad", "chk_step"),
    ("1e1", "bad", "chk_bad_char"), ("1.2.3", "bad", "chk_not_number"),
    ("-1", "bad", "chk_range"), ("NaN", "bad", "chk_bad_char"), (".", "bad", "chk_not_number"),
    ("１８", "ok", None), ("１８．５", "ok", None), ("18．5", "ok", None),
    ("-", "bad", "chk_bad_char"),
    ("18.55", "bad", "chk_step"), ("12345678", "bad", "chk_range"), ("1O", "bad", "chk_bad_char"),
    ("1 8", "bad", "chk_bad_char"), ("١٨", "bad", "chk_bad_char"), ("1²", "bad", "chk_bad_char"),
])
def test_a_value_is_checked_as_typed(typed: str, state: str, problem: str | None) -> None:
    check = check_value(PITCH, typed)
    assert (check.state, check.problem) == (state, problem)


def test_the_total_counts_valid_values_and_names_what_is_left() -> None:
    event = support.livestream()
    check = check_sheet(event, {"appearance": "9", "expression": "15.5", "pitch": "18"})
    assert check.total == Decimal(27)
    assert check.bad == ["expression"] and len(check.missing) == 4 and not check.complete


SEAT_1 = support.code_for(1)  # 1-4827-19563
SEAT_12 = support.code_for(12)  # 12-4827-19561


def swapped(code: str, at: int) -> str:
    """`code` with the digits at `at` and the next one swapped (not a dash)."""
    return code[:at] + code[at + 1] + code[at] + code[at + 2:]


@pytest.mark.parametrize(("typed", "state", "shown"), [
    ("", "empty", ""),
    (" - ", "empty", ""),
    ("1", "typing", "1"),
    ("1-48", "typing", "1-48"),
    ("148271956", "typing", "1-4827-1956"),  # nine digits: one to go
    (SEAT_1, "ok", SEAT_1),
    (SEAT_1.replace("-", ""), "ok", SEAT_1),  # dashes optional
    (" 1 4827 19563 ", "ok", SEAT_1),  # spaces too
    ("１－４８２７－１９５６３", "ok", SEAT_1),  # full-width digits from a Chinese IME
    (SEAT_12, "ok", SEAT_12),
    (SEAT_12.replace("-", ""), "ok", SEAT_12),  # 11 digits: a two-digit seat
    (SEAT_12[:-1], "typing", "12-4827-1956"),  # the judge's dash says the seat has two
    (SEAT_12.replace("-", "")[:-1], "maybe_more", "1-2482-71956"),  # 11 digits coming?
    (swapped(SEAT_1, 2), "typo", "1-8427-19563"),  # two digits swapped
    (SEAT_1[:-1] + "4", "typo", "1-4827-19564"),  # a wrong check digit, dash typed
    (SEAT_1.replace("-", "")[:-1] + "4", "maybe_more", "1-4827-19564"),
    (SEAT_12[:-1] + "7", "typo", "12-4827-19567"),
    (swapped(SEAT_12.replace("-", ""), 5), "typo", "12-4821-79561"),
    (SEAT_1 + "0", "too_long", "1-4827-19563-0"),  # the dash said a one-digit seat
    (SEAT_12 + "0", "too_long", "12-4827-19561-0"),
    ("148271956300", "too_long", "1-4827-19563-00"),  # more than 11 digits
    ("0", "zero_start", "0"),
    ("0-4827", "zero_start", "0-4827"),
])
def test_a_code_is_checked_as_it_is_typed(typed: str, state: str, shown: str) -> None:
    check = check_code(typed)
    assert (check.state, check.display) == (state, shown)
    assert (check.code is not None) == (state == "ok")
    if state == "ok":  # exactly what the core accepts, and no more
        assert check.code == EnrolmentCode.parse(typed)


def test_an_ok_code_gives_its_seat_and_a_typo_is_refused_by_the_core_too() -> None:
    ok = check_code(SEAT_12)
    assert ok.code is not None and ok.code.seat == 12 and ok.code.encode() == SEAT_12
    assert ok.groups == ["12", "4827", "19561"] and ok.seat_digits == 2
    for typed in ("1-8427-19563", "12-4827-19567", SEAT_1.replace("-", "")[:-1] + "4"):
        with pytest.raises(TypedCodeError):
            EnrolmentCode.parse(typed)
    # every single wrong digit of a whole code is caught (Damm), none shows as ok
    digits = SEAT_1.replace("-", "")
    for at in range(len(digits)):
        for other in "0123456789":
            if other != digits[at]:
                wrong = digits[:at] + other + digits[at + 1:]
                assert check_code(wrong).state != "ok", wrong


@pytest.mark.parametrize(("typed", "char", "position"), [
    ("1-48A7", "A", 5), ("O", "O", 1), ("1 4827 l9563", "l", 8), ("1-4827-1956３!", "!", 13),
])
def test_a_character_that_is_not_a_digit_is_named_with_its_place(typed: str, char: str,
                                                                  position: int) -> None:
    check = check_code(typed)
    assert (check.state, check.char, check.position) == ("bad_char", char, position)
    assert typed[position - 1] == char


def test_the_code_messages_say_each_state_in_both_languages() -> None:
    keys = {"empty": "code_empty", "typing": "code_progress", "bad_char": "code_bad_char",
            "zero_start": "code_zero_start", "too_long": "code_too_long",
            "maybe_more": "code_maybe_more", "typo": "code_typo", "ok": "code_ok"}
    assert set(keys) == set(get_args(CodeState))
    assert "keep typing" in say("code_maybe_more", "en") and "11" in say("code_maybe_more", "zh")
    for key in keys.values():
        for lang in ("zh", "en"):
            words = say(key, lang, n=3, char="A", position=5, seat=12)
            assert "主裁" not in words and "主机" not in words and "{" not in words


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
        values = dict.fromkeys(fields(text.zh) | fields(text.en), "1")
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
