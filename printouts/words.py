"""Every word the sheets print, in Chinese and English, and how values are spelled.

Labels are `Text` pairs shown in the event's language order (`w(key, langs)`); the spelling
helpers give the one printed form of a value, used both for the PDF and for the sheet
content that is hashed, so what is hashed is what is printed. No layout here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sync.event import Event, Text
from sync.zones import event_zone, shown_iso

__all__ = [
    "WORDS",
    "advances_word",
    "contestant_name",
    "judge_name",
    "langs",
    "pct",
    "plain",
    "rule_name",
    "scope_name",
    "sheet_zone",
    "show_time",
    "tier_name",
    "w",
    "ws",
]

WORDS: dict[str, Text] = {
    # sheet titles
    "title.judge": Text("评委评分表", "Judge's score sheet"),
    "title.contestant": Text("选手成绩单", "Contestant's score record"),
    "title.results": Text("成绩排名表", "Results and ranking"),
    "title.discrepancy": Text("分歧与改分报告", "Discrepancy and override report"),
    "title.appeal": Text("申诉卷宗与裁决", "Appeal dossier and decision"),
    "title.enrolment": Text("评委终端绑定卡", "Judge terminal enrolment card"),
    # header and footer
    "round": Text("赛程", "Round"),
    "date": Text("日期", "Date"),
    "venue": Text("地点", "Venue"),
    "page": Text("第 {x} 页 / 共 {y} 页", "Page {x} of {y}"),
    "printed_at": Text("打印时间", "Printed"),
    "ledger": Text("账本位置", "Ledger position"),
    "root": Text("根哈希", "root"),
    "sheet_code": Text("表单码", "Sheet code"),
    "verify_hint": Text("扫码或输入表单码核验", "Scan or type the sheet code to verify"),
    # people and things
    "judge": Text("评委", "Judge"),
    "judges": Text("评委", "Judges"),
    "contestant": Text("选手", "Contestant"),
    "organisation": Text("单位", "Organisation"),
    "affiliation": Text("单位", "Affiliation"),
    "members": Text("成员", "Members"),
    "instructor": Text("指导教师", "Instructor"),
    "track": Text("赛道", "Track"),
    "group": Text("组别", "Group"),
    "order": Text("序号", "No."),
    "criterion": Text("评分项", "Criterion"),
    "total": Text("总分", "Total"),
    "comment": Text("评语", "Comment"),
    "status": Text("状态", "Status"),
    "rank": Text("名次", "Rank"),
    "final": Text("最终得分", "Final"),
    "panel": Text("评委评分", "Panel score"),
    "prize": Text("奖项", "Prize"),
    "advances": Text("晋级", "Advances"),
    "yes": Text("是", "yes"),
    "no": Text("否", "no"),
    "undecided": Text("待定", "undecided"),
    "none": Text("无", "none"),
    "component": Text("成绩构成", "Component"),
    "weight": Text("权重", "Weight"),
    "max": Text("满分", "Max"),
    "value": Text("得分", "Value"),
    "mean": Text("平均（计入评委）", "Mean (counted judges)"),
    # marks
    "counted": Text("计入", "counted"),
    "dropped": Text("去掉", "dropped"),
    "dropped_high": Text("去掉最高分", "dropped (highest)"),
    "dropped_low": Text("去掉最低分", "dropped (lowest)"),
    "recused": Text("回避", "recused"),
    "recused_org": Text("回避（同单位）", "recused (same organisation)"),
    "recused_declared": Text("回避（申报）", "recused (declared)"),
    "not_scored": Text("未评", "not scored"),
    "withdrawn": Text("已撤回", "withdrawn"),
    "excused": Text("免评", "excused"),
    "whole_final": Text("全场", "whole final"),
    "excused_head": Text("评委免评（总裁判长准许，评委评分不含该评委）",
                         "Excused judges (by the head judge; panel scores count without them)"),
    "absent": Text("缺席", "Absent"),
    "revised": Text("修订", "revised"),
    "revision": Text("第 {n} 版", "revision {n}"),
    "reason": Text("原因", "reason"),
    "reason_head": Text("原因", "Reason"),
    "was": Text("原为", "was"),
    "override": Text("总裁判长改分", "Head judge override"),
    "override_short": Text("改分", "override"),
    "signature_ok": Text("签名有效", "signature verified"),
    "signature_bad": Text("签名无效", "SIGNATURE INVALID"),
    "legend": Text("说明", "Key"),
    "legend_revised": Text("r 已修订（与第1版不同）", "r revised (differs from revision 1)"),
    "legend_override": Text("† 总裁判长改分后的值", "† value after a head judge override"),
    "legend_dropped": Text("[ ] 去掉的最高/最低分", "[ ] dropped highest/lowest"),
    "legend_recused": Text("— 回避或未评", "— recused or not scored"),
    # scoring words
    "agg.mean": Text("全部评委平均", "mean of all judges"),
    "agg.median": Text("评委中位数", "median of the judges"),
    "agg.trimmed_mean": Text("去掉 {n} 个最高分和 {n} 个最低分后平均",
                             "mean after dropping the {n} highest and {n} lowest"),
    "rounding": Text("保留 {d} 位小数，{mode}", "{d} decimals, {mode}"),
    "round.half_up": Text("四舍五入", "rounded half up"),
    "round.half_even": Text("四舍六入五成双", "rounded half even"),
    "round.half_down": Text("五舍六入", "rounded half down"),
    "round.down": Text("截尾", "truncated"),
    "round.up": Text("进位", "rounded up"),
    "how_scored": Text("计分方法：评委评分 = {agg}；最终得分 = {parts}；{rounding}。",
                       "How scored: panel score = {agg}; final = {parts}; {rounding}."),
    "tiebreak_order": Text("同分排序：最终得分 › {order}。",
                           "Tie-break order: final › {order}."),
    "tiebreak": Text("同分排序", "Tie-break order"),
    "ties": Text("同分处理", "Ties"),
    "tie_broken": Text("{a} 与 {b} 最终得分同为 {final}，按{key}区分：{va} 对 {vb}。",
                       "{a} and {b} tie on {final}; {key} decides: {va} vs {vb}."),
    "tie_shared": Text("{who} 全部排序项相同，并列第 {rank} 名。",
                       "{who} are equal on every tie-break and share rank {rank}."),
    "no_ties": Text("无同分", "no ties"),
    "decisions": Text("总裁判长裁决", "Head judge's decisions"),
    "unresolved": Text("待裁决事项：成绩未最终确定", "Unresolved: these results are not final"),
    "flag": Text("差异", "Flag"),
    "flags": Text("评分差异", "Discrepancy flags"),
    "overrides": Text("总裁判长改分", "Head judge overrides"),
    "revisions": Text("修订记录", "Revisions"),
    "rule": Text("规则", "Rule"),
    "rule.criterion_spread": Text("单项分差", "criterion spread"),
    "rule.total_spread": Text("总分分差", "total spread"),
    "rule.outlier": Text("偏离中位数", "outlier"),
    "raised": Text("提出时间", "Raised"),
    "resolution": Text("处理结果", "Resolution"),
    "flag.open": Text("未处理", "open"),
    "flag.accepted": Text("已接受", "accepted"),
    "flag.reviewed": Text("已复核", "reviewed"),
    "flag.overridden": Text("已改分", "overridden"),
    "flag.withdrawn": Text("已撤回", "withdrawn"),
    "flag.cleared": Text("已消除", "cleared"),
    "before": Text("原值", "Before"),
    "after": Text("改分后", "After"),
    "by": Text("操作人", "By"),
    "at": Text("时间", "Time"),
    "nothing": Text("无", "none"),
    # appeals
    "appeal": Text("申诉", "Appeal"),
    "ground": Text("申诉理由", "Ground"),
    "filed_by": Text("申诉人", "Filed by"),
    "filed_at": Text("提出时间", "Filed"),
    "history": Text("记录（按账本顺序）", "Record (in ledger order)"),
    "position": Text("账本序号", "Entry"),
    "actor": Text("操作人", "Actor"),
    "action": Text("事项", "Action"),
    "detail": Text("内容", "Detail"),
    "signature": Text("签名", "Signature"),
    "checkpoints": Text("覆盖这些记录的签名检查点", "Signed checkpoints covering these entries"),
    "size": Text("条目数", "Size"),
    "preview": Text("修改预览", "Preview of the proposed correction"),
    "decision": Text("裁决", "Decision"),
    "outcome.upheld": Text("申诉成立", "Upheld"),
    "outcome.rejected": Text("申诉驳回", "Rejected"),
    "pending": Text("尚未裁决", "Not yet decided"),
    "decided_by": Text("裁决人", "Decided by"),
    "scores": Text("评分", "Scores"),
    "result": Text("成绩", "Result"),
    # signatures
    "sign_judge": Text("评委签名", "Judge's signature"),
    "sign_head": Text("总裁判长签名", "Head judge's signature"),
    "sign_notary": Text("公证员签名", "Notary's signature"),
    "sign_committee": Text("仲裁委员会签名", "Appeals committee signature"),
    "head_judge": Text("总裁判长", "Head judge"),
    "notary": Text("公证员", "Notary"),
    "signatures": Text("签字确认", "Signatures"),
    # enrolment
    "seat": Text("席位", "Seat"),
    "enrol_code": Text("绑定码", "Enrolment code"),
    "fingerprint": Text("主控指纹", "Master fingerprint"),
    "expires": Text("有效期至", "Valid until"),
    "enrol_how": Text("在评委终端选择本场比赛的主控机，输入绑定码（只有数字，横线可不输）。",
                      "On your judge terminal, choose this final's master and type the "
                      "enrolment code (digits only; the dashes are optional)."),
    "enrol_check": Text("绑定后核对评委终端显示的主控指纹与此处一致，不一致请立即告知总裁判长。",
                        "After enrolling, check that the master fingerprint your terminal "
                        "shows matches this one; tell the head judge at once if it does not."),
    "enrol_secret": Text("绑定码仅限本人使用一次，请勿外传。",
                         "The code works once, for you only: keep it private."),
}


def langs(event: Event) -> tuple[str, ...]:
    return event.languages or ("zh", "en")


def w(key: str, languages: tuple[str, ...], /, **fields: object) -> str:
    """A label in the event's languages on one line, with `{fields}` filled in."""
    return " ".join(_parts(key, languages, fields))


def ws(key: str, languages: tuple[str, ...], /, **fields: object) -> str:
    """Like `w`, one language per line (narrow cells, table headers)."""
    return "\n".join(_parts(key, languages, fields))


def _parts(key: str, languages: tuple[str, ...], fields: dict[str, object]) -> list[str]:
    """The label in each language; a `Text` field is filled in that same language."""
    text = WORDS[key]
    parts = [
        text.get(lang).format(**{k: v.get(lang) if isinstance(v, Text) else v
                                 for k, v in fields.items()})
        for lang in languages
    ]
    return list(dict.fromkeys(p for p in parts if p))


def plain(value: Decimal) -> str:
    """A judge's value as written on paper: `8`, `8.5`, `92` (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text


def pct(weight: Decimal) -> str:
    return plain(weight * 100) + "%"


def judge_name(event: Event, judge_id: str) -> str:
    judge = event.judge(judge_id)
    return judge.name.both(langs(event)) if judge else judge_id


def contestant_name(event: Event, contestant_id: str) -> str:
    contestant = event.contestant(contestant_id)
    return contestant.name if contestant else contestant_id


def tier_name(event: Event, tier_id: str | None, *, stacked: bool = False) -> str:
    if tier_id is None:
        return "—"
    tier = next((t for t in event.awards.tiers if t.id == tier_id), None)
    if tier is None:
        return tier_id
    return tier.name.stacked(langs(event)) if stacked else tier.name.both(langs(event))


def advances_word(advances: bool | None, languages: tuple[str, ...]) -> str:
    return w({True: "yes", False: "no", None: "undecided"}[advances], languages)


def scope_name(event: Event, track_id: str, group_id: str | None) -> str:
    track = event.track(track_id)
    name = track.name.both(langs(event)) if track else track_id
    if group_id:
        group = event.group(group_id)
        name += " · " + (group.name.both(langs(event)) if group else group_id)
    return name


def rule_name(rule: str, languages: tuple[str, ...]) -> str:
    """A discrepancy rule's name, one language per line."""
    key = f"rule.{rule}"
    return ws(key, languages) if key in WORDS else rule


def show_time(iso: str, zone: dt.tzinfo) -> str:
    """An ISO time as printed, in `zone` (`sheet_zone`) with its offset:
    `2020-09-26 10:31:05 +08:00`; anything else as given."""
    return shown_iso(iso, zone)


def sheet_zone(event: Event, printed_at: dt.datetime) -> dt.tzinfo:
    """The zone every time of a printed sheet is in: the event's `timezone`, else the zone of
    the printing time (the clock of the laptop that prints)."""
    zone = event_zone(event) or printed_at.tzinfo
    assert zone is not None  # an Imprint's time carries its zone
    return zone
