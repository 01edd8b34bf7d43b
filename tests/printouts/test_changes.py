"""`describe_changes` names what moved between a printed sheet and the record, in words."""

from __future__ import annotations

import copy
from typing import Any

from printouts import describe_changes


def entry(values: dict[str, str], revision: str = "1", reason: str | None = None,
          **more: Any) -> dict[str, Any]:
    return {"values": values, "total": "0", "comment": "", "revision": revision,
            "reason": reason, "at": "", "signature": "verified", "withdrawn": None,
            "earlier": {}, "overrides": {}, **more}


PRINTED: dict[str, Any] = {
    "v": 1, "kind": "contestant", "subject": "L05",
    "scores": {"J3": {"L05": entry({"pitch": "16", "timing": "4"})},
               "J1": {"L05": entry({"pitch": "13", "timing": "6.5"})}},
    "result": {"rank": "16", "final": "66.43", "prize": "merit",
               "components": {"data": "70.11"}},
}


def changed(**edits: Any) -> dict[str, Any]:
    current = copy.deepcopy(PRINTED)
    for path, value in edits.items():
        *head, last = path.split("__")
        at = current
        for key in head:
            at = at[key]
        at[last] = value
    return current


def test_nothing_changed() -> None:
    assert describe_changes(PRINTED, copy.deepcopy(PRINTED)) == []


def test_a_revision_names_judge_criterion_contestant_values_and_reason() -> None:
    current = changed(scores__J3__L05=entry({"pitch": "18", "timing": "4"}, "2", "typo"))
    assert describe_changes(PRINTED, current) == [
        "J3's pitch for L05 changed from 16 to 18 (revision 2: 'typo')"
    ]


def test_a_revision_that_changes_nothing_is_still_reported() -> None:
    current = changed(scores__J3__L05=entry({"pitch": "16", "timing": "4"}, "2", "confirmed"))
    assert describe_changes(PRINTED, current) == [
        "J3's sheet for L05 was revised without changing a value (revision 2: 'confirmed')"
    ]


def test_an_override_a_new_sheet_and_a_withdrawal() -> None:
    current = changed(
        scores__J3__L05=entry({"pitch": "16", "timing": "4"}, overrides={
            "pitch": {"from": "16", "to": "14", "reason": "misread", "by": "", "at": ""}}),
        scores__J2={"L05": entry({"pitch": "12", "timing": "5"})},
    )
    current["scores"]["J1"]["L05"]["withdrawn"] = "taken ill"
    assert describe_changes(PRINTED, current) == [
        "J1's sheet for L05 was withdrawn ('taken ill')",
        "J2's sheet for L05 was added (revision 1)",
        "the head judge overrode J3's pitch for L05: 16 -> 14 (reason: 'misread')",
    ]


def test_result_changes_are_named_per_field() -> None:
    current = changed(result__rank="15", result__final="67.00",
                      result__components={"data": "71.00"})
    assert describe_changes(PRINTED, current) == [
        "L05's component data changed from 70.11 to 71.00",
        "L05's final changed from 66.43 to 67.00",
        "L05's rank changed from 16 to 15",
    ]


def test_standings_flags_history_and_decision() -> None:
    printed: dict[str, Any] = {"standings": {"L01": {"rank": "3", "prize": "third"}},
               "flags": {"F1": {"rule": "outlier", "contestant": "L05", "status": "open",
                                "resolution": ""}},
               "history": {"9": {"action": "lock", "actor": "head judge", "detail": "x"}},
               "decision": None}
    current: dict[str, Any] = copy.deepcopy(printed)
    current["standings"]["L01"]["prize"] = "second"
    current["standings"]["L02"] = {"rank": "4", "prize": None}
    current["flags"]["F1"].update(status="accepted", resolution="within range")
    current["history"]["10"] = {"action": "unlock", "actor": "head judge", "detail": "appeal"}
    current["decision"] = {"outcome": "upheld", "reason": "typo confirmed"}
    assert describe_changes(printed, current) == [
        "the appeal was decided: upheld (reason: 'typo confirmed')",
        "flag F1 changed from open to accepted ('within range')",
        "ledger entry 10 was added: unlock by head judge — appeal",
        "L01's prize changed from 'third' to 'second'",
        "L02 was added to the ranking",
    ]


def test_anything_else_is_named_by_its_path() -> None:
    printed = {"event": {"venue": "Hall A"}, "title": "x"}
    current = {"event": {"venue": "Hall B"}}
    assert describe_changes(printed, current) == [
        "event › venue changed from 'Hall A' to 'Hall B'",
        "title was removed (was 'x')",
    ]


def test_english_is_the_default_and_the_same_as_lang_en() -> None:
    current = changed(scores__J3__L05=entry({"pitch": "18", "timing": "4"}, "2", "typo"))
    assert describe_changes(PRINTED, current, "en") == describe_changes(PRINTED, current)


def test_every_kind_of_change_in_chinese() -> None:
    """The same changes as above, said in Chinese (ids and values as recorded)."""
    current = changed(
        scores__J3__L05=entry({"pitch": "18", "timing": "4"}, "2", "typo", overrides={
            "pitch": {"from": "18", "to": "14", "reason": "misread", "by": "", "at": ""}}),
        scores__J2={"L05": entry({"pitch": "12", "timing": "5"})},
        result__rank="15", result__components={"data": "71.00"})
    current["scores"]["J1"]["L05"].update(withdrawn="taken ill", signature="invalid")
    assert describe_changes(PRINTED, current, "zh") == [
        "L05 的成绩构成 data 由 70.11 改为 71.00",
        "L05 的名次 由 16 改为 15",
        "J1 对 L05 的评分表：签名由 有效 变为 无效",
        "J1 对 L05 的评分表已撤回（“taken ill”）",
        "J2 对 L05 的评分表已加入（第 1 版）",
        "总裁判长改分：J3 对 L05 的 pitch 18 → 14（原因：“misread”）",
        "J3 对 L05 的 pitch 由 16 改为 18（第 2 版：“typo”）",
    ]
    printed: dict[str, Any] = {"flags": {"F1": {"rule": "outlier", "contestant": "L05",
                                                "status": "open", "resolution": ""}},
                               "history": {}, "decision": None, "event": {"venue": "Hall A"}}
    later: dict[str, Any] = copy.deepcopy(printed)
    later["flags"]["F1"].update(status="accepted", resolution="within range")
    later["flags"]["F2"] = {"rule": "total_spread", "contestant": "L06", "status": "open",
                            "resolution": ""}
    later["history"]["10"] = {"action": "unlock", "actor": "head judge", "detail": "appeal"}
    later["decision"] = {"outcome": "upheld", "reason": "typo confirmed"}
    later["event"]["venue"] = "Hall B"
    assert describe_changes(printed, later, "zh") == [
        "申诉已裁决：申诉成立（原因：“typo confirmed”）",
        "event › venue 由 “Hall A” 改为 “Hall B”",
        "差异 F1 由 未处理 变为 已接受（“within range”）",
        "差异 F2 已提出（L06：总分分差）",
        "账本第 10 条已加入：head judge unlock — appeal",
    ]
    assert describe_changes(printed, later, "en")[0] == (
        "the appeal was decided: upheld (reason: 'typo confirmed')")
