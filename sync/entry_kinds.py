"""The name of every kind of ledger entry, in Chinese and English: one table for every
place that names an entry (the console's Audit screen and dossier, printed appeal dossiers,
the Excel export's Audit sheet, `head-judge audit`). A kind the master can append and this
table does not name fails the tests (`tests/test_catalogues.py`)."""

from __future__ import annotations

from .catalogue import Catalogue
from .event import Text

__all__ = ["ENTRY_KINDS"]

ENTRY_KINDS = Catalogue("sync.entry_kinds", {
    "event_loaded": Text("载入赛事", "event loaded"),
    "event_changed": Text("赛事变更", "event changed"),
    "codes_issued": Text("发绑定码", "codes issued"),
    "enrol_failed": Text("绑定失败", "enrol failed"),
    "seat_locked": Text("席位锁定", "seat locked"),
    "seat_reopened": Text("席位解锁", "seat reopened"),
    "device_enrolled": Text("终端绑定", "device enrolled"),
    "device_confirmed": Text("终端确认", "device confirmed"),
    "device_revoked": Text("终端停用", "device revoked"),
    "sheet_received": Text("收到评分表", "sheet received"),
    "review_confirmed": Text("确认原分", "review confirmed"),
    "alarm": Text("警报", "alarm"),
    "checkpoint": Text("签名检查点", "checkpoint"),
    "flag_raised": Text("出现分歧", "flag raised"),
    "flag_cleared": Text("分歧消除", "flag cleared"),
    "flag_accepted": Text("接受分歧", "flag accepted"),
    "review_requested": Text("请求复核", "review requested"),
    "review_answered": Text("复核已改", "review answered"),
    "review_closed": Text("复核关闭", "review closed"),
    "value_overridden": Text("总裁判长改分", "value overridden"),
    "sheet_withdrawn": Text("撤销评分表", "sheet withdrawn"),
    "seat_excused": Text("评委免评", "seat excused"),
    "seat_restored": Text("恢复评委评分", "seat restored"),
    "flags_accepted": Text("一并接受分歧", "flags accepted"),
    "contestant_locked": Text("锁定选手", "contestant locked"),
    "contestants_locked": Text("批量锁定", "contestants locked"),
    "contestant_unlocked": Text("解锁选手", "contestant unlocked"),
    "components_imported": Text("导入成绩", "components imported"),
    "tie_decided": Text("裁决并列", "tie decided"),
    "results_published": Text("发布结果", "results published"),
    "appeal_filed": Text("登记申诉", "appeal filed"),
    "appeal_decided": Text("裁决申诉", "appeal decided"),
    "appeal_withdrawn": Text("撤回申诉", "appeal withdrawn"),
    "appeal_voted": Text("仲裁委员投票", "appeal vote"),
    "appeal_replied": Text("申诉答辩", "appeal reply"),
    "results_official": Text("成绩转为正式", "results made official"),
    "sheet_printed": Text("打印", "sheet printed"),
    "on_stage": Text("台上", "on stage"),
    "paper_entered": Text("录入纸质评分表", "paper sheet typed"),
    "sheet_conflict_resolved": Text("选定评分表", "sheet conflict resolved"),
    "contestant_revealed": Text("亮分", "scores revealed"),
    "draw_made": Text("抽签", "draw made"),
    "identities_revealed": Text("解密", "identities revealed"),
    "succession": Text("指定继任主控机", "successor named"),
    "promoted": Text("备用主控机接管", "standby took over"),
})
"""Kind → its name, in ledger order (the Audit screen's filter lists them so)."""
