"""Every word the sheets print, in Chinese and English, and how values are spelled.

Labels are `Text` pairs shown in the event's language order (`w(key, langs)`); the spelling
helpers give the one printed form of a value, used both for the PDF and for the sheet
content that is hashed, so what is hashed is what is printed. No layout here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sync.catalogue import Catalogue
from sync.event import Event, Text
from sync.zones import event_zone, shown_iso

__all__ = [
    "WORDS",
    "actor_name",
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

WORDS = Catalogue("printouts.words", {
    # sheet titles
    "title.judge": Text("评委评分表", "Judge's score sheet"),
    "title.contestant": Text("选手成绩单", "Contestant's score record"),
    "title.results": Text("成绩排名表", "Results and ranking"),
    "title.discrepancy": Text("分歧与改分报告", "Discrepancy and override report"),
    "title.appeal": Text("申诉卷宗与裁决", "Appeal dossier and decision"),
    "title.enrolment": Text("评委终端绑定卡", "Judge terminal enrolment card"),
    "title.inventory": Text("打印清单", "Pack inventory"),
    "title.form": Text("纸质评分表（空白）", "Paper scoring form (blank)"),
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
    # on every page of a sheet of several pages, and across a draft
    "initials": Text("小签", "Initials"),
    "seam_seal": Text("骑缝章", "Seam seal"),
    "draft": Text("草稿 · 未发布", "DRAFT · NOT PUBLISHED"),
    "published_version": Text("第 {n} 版 · 发布于 {at}", "Version {n} · published {at}"),
    "state_provisional": Text("暂定成绩：申诉截止 {closes}",
                              "Provisional: appeals close at {closes}"),
    "state_official": Text("正式成绩：申诉期已结束", "Official: the appeal window has closed"),
    "draft_note": Text("草稿：此排名不是已发布的版本，不能作为正式结果",
                       "Draft: this ranking is not a published version and is not the "
                       "official result"),
    # people and things
    "judge": Text("评委", "Judge"),
    "judges": Text("评委", "Judges"),
    "contestant": Text("选手", "Contestant"),
    "organisation": Text("单位", "Organisation"),
    "affiliation": Text("单位", "Affiliation"),
    "members": Text("成员", "Members"),
    "instructor": Text("指导教师", "Instructor"),
    "draw": Text("抽签号 {n}", "Draw {n}"),
    "draw_none": Text("抽签号 —", "Draw —"),
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
    "honours": Text("荣誉", "Honours"),
    "organisation_awards": Text("单位奖（全部赛道与组别）",
                                "Organisation awards (every track and group)"),
    "org_score": Text("得分", "Score"),
    "org_contestants": Text("选手", "Contestants"),
    "awarded": Text("获奖", "Awarded"),
    "awarded_yes": Text("获奖", "awarded"),
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
    "paper": Text("纸质", "paper"),
    "paper_head": Text("纸质评分表（评委手写，两名录入员分别录入一致）",
                       "Paper sheets (scored by hand, typed in alike by two operators)"),
    "typed_by": Text("录入员", "typed by"),
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
    "lower_first": Text("{name}（小者在前）", "{name} (lower first)"),
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
    "outcome.withdrawn": Text("申诉已撤回", "Withdrawn"),
    "pending": Text("尚未裁决", "Not yet decided"),
    "decided_by": Text("裁决人", "Decided by"),
    "scores": Text("评分", "Scores"),
    "result": Text("成绩", "Result"),
    # what changed since a sheet was printed (`printouts.changes.describe_changes`), one
    # sentence a line; {quoted} values as `chg.quoted` spells them
    "chg.quoted": Text("“{text}”", "'{text}'"),
    "chg.sheet": Text("{judge} 对 {contestant} 的评分表", "{judge}'s sheet for {contestant}"),
    "chg.sheet_added": Text("{sheet}已加入（第 {revision} 版）",
                            "{sheet} was added (revision {revision})"),
    "chg.sheet_gone": Text("{sheet}已不在记录中（原为第 {revision} 版）",
                           "{sheet} is no longer on record (was revision {revision})"),
    "chg.why": Text("（第 {revision} 版：{reason}）", " (revision {revision}: {reason})"),
    "chg.value_of": Text("{judge} 对 {contestant} 的 {criterion}",
                         "{judge}'s {criterion} for {contestant}"),
    "chg.added": Text("{what} 已加入：{new}{why}", "{what} was added: {new}{why}"),
    "chg.removed": Text("{what} 已删除（原为 {old}）{why}", "{what} was removed (was {old}){why}"),
    "chg.changed": Text("{what} 由 {old} 改为 {new}{why}",
                        "{what} changed from {old} to {new}{why}"),
    "chg.comment_of": Text("{judge} 对 {contestant} 的评语", "{judge}'s comment for {contestant}"),
    "chg.reinstated": Text("{sheet}已恢复", "{sheet} was reinstated"),
    "chg.withdrawn": Text("{sheet}已撤回（{reason}）", "{sheet} was withdrawn ({reason})"),
    "chg.signature": Text("{sheet}：签名由 {old} 变为 {new}",
                          "{sheet}: signature {old} is now {new}"),
    "chg.revised_same": Text("{sheet}已修订，但没有改变任何值{why}",
                             "{sheet} was revised without changing a value{why}"),
    "chg.overrode": Text("总裁判长改分：{what} {old} → {new}（原因：{reason}）",
                         "the head judge overrode {what}: {old} -> {new} (reason: {reason})"),
    "chg.override_gone": Text("总裁判长对{what}的改分已取消（原为 {old}）",
                              "the override of {what} was removed (it was {old})"),
    "chg.override_changed": Text("总裁判长对{what}的改分，{field}由 {old} 改为 {new}"
                                 "（原因：{reason}）",
                                 "the override of {what} changed its {field} from {old} to "
                                 "{new} (reason: {reason})"),
    "chg.override_value": Text("改后的值", "value"),
    "chg.sig.verified": Text("有效", "verified"),
    "chg.sig.invalid": Text("无效", "invalid"),
    "chg.flag": Text("差异 {flag} 由 {old} 变为 {new}", "flag {flag} changed from {old} to {new}"),
    "chg.resolution": Text("（{resolution}）", " ({resolution})"),
    "chg.flag_raised": Text("差异 {flag} 已提出（{contestant}：{rule}）",
                            "flag {flag} was raised ({rule} on {contestant})"),
    "chg.flag_gone": Text("差异 {flag} 已不在记录中", "flag {flag} is no longer on record"),
    "chg.ranked": Text("{contestant} 已进入排名", "{contestant} was added to the ranking"),
    "chg.unranked": Text("{contestant} 已不在排名中", "{contestant} is no longer in the ranking"),
    "chg.entry_added": Text("账本第 {entry} 条已加入：{actor} {action} — {detail}",
                            "ledger entry {entry} was added: {action} by {actor} — {detail}"),
    "chg.entry_gone": Text("账本第 {entry} 条已不再列出",
                           "ledger entry {entry} is no longer listed"),
    "chg.the_contestant": Text("该选手", "the contestant"),
    "chg.result_gone": Text("{contestant} 的成绩已不再有效",
                            "{contestant}'s result is no longer available"),
    "chg.result_added": Text("{contestant} 的成绩已加入：最终得分 {final}",
                             "{contestant}'s result was added: final {final}"),
    "chg.decision_gone": Text("裁决已撤回", "the decision was withdrawn"),
    "chg.decided": Text("申诉已裁决：{outcome}（原因：{reason}）",
                        "the appeal was decided: {outcome} (reason: {reason})"),
    "chg.of": Text("{contestant} 的{what}", "{contestant}'s {what}"),
    "chg.judge_total": Text("{judge} 的总分", "total from {judge}"),
    "chg.component": Text("成绩构成 {component}", "component {component}"),
    "chg.mean": Text("{criterion} 平均分", "mean {criterion}"),
    "chg.path_added": Text("{where} 已加入：{new}", "{where} was added: {new}"),
    "chg.path_removed": Text("{where} 已删除（原为 {old}）", "{where} was removed (was {old})"),
    "chg.path_changed": Text("{where} 由 {old} 改为 {new}", "{where} changed from {old} to {new}"),
    # signatures
    "sign_judge": Text("评委签名", "Judge's signature"),
    # the blank paper form
    "form_step": Text("满分 {max}/步长 {step}", "max {max}/step {step}"),
    "form_initials": Text("小签", "Initials"),
    "form_struck": Text("回避 — 此行不评分", "recused — not scored"),
    "form_howto_1": Text("每项填一个分数（0 至满分，按步长）；总分由录入员核对，可不填。",
                         "Write one score per criterion (0 to its max, in its steps); the "
                         "total is checked at entry and may be left blank."),
    "form_howto_2": Text("改分：划掉原数，在旁写新数并小签；不要涂改。"
                         "在笔记本上已评的选手，此行留空。",
                         "To correct: strike the old number, write the new one beside it and "
                         "initial it; no overwriting. Leave a row blank if you scored that "
                         "contestant on the laptop."),
    "form_howto_3": Text("评完后在下方签名，交总裁判长；表单码供录入员两次录入时核对。",
                         "Sign below when done and hand the form to the head judge; the "
                         "sheet code is typed by the operators who enter it twice."),
    "sign_head": Text("总裁判长签名", "Head judge's signature"),
    "sign_notary": Text("公证员签名", "Notary's signature"),
    "sign_committee": Text("仲裁委员会签名", "Appeals committee signature"),
    "category": Text("申诉类别", "Category"),
    "category.calculation": Text("计分错误", "Calculation"),
    "category.procedure": Text("程序问题", "Procedure"),
    "category.eligibility": Text("参赛资格", "Eligibility"),
    "category.judgement": Text("评委评判", "Judgement"),
    "evidence": Text("证据", "Evidence"),
    "replies": Text("答辩", "Replies"),
    "votes": Text("表决", "Votes"),
    "member": Text("委员", "Member"),
    "vote": Text("投票", "Vote"),
    "member_signature": Text("委员签名", "Member's signature"),
    "vote.upheld": Text("支持", "Upheld"),
    "vote.rejected": Text("驳回", "Rejected"),
    "vote.abstain": Text("弃权", "Abstain"),
    "vote.conflict": Text("回避（不计票）", "Conflict declared (not counted)"),
    "correction": Text("改正", "Correction"),
    "moved": Text("名次或奖项变动", "Rank or prize moved"),  # as the export names it
    "page_of": Text("本页为受此申诉裁决影响的选手 {contestant} 而印",
                    "This page is for {contestant}, whom the decision on this appeal moved"),
    "sign_member": Text("仲裁委员会委员签名", "Appeals committee member's signature"),
    "notary_seal": Text("公证处盖章", "Notary office seal"),
    "committee": Text("仲裁委员会", "Appeals committee"),
    "head_judge": Text("总裁判长", "Head judge"),
    "notary": Text("公证员", "Notary"),
    "signatures": Text("签字确认", "Signatures"),
    # the pack inventory
    "inv_sheet": Text("表单", "Sheet"),
    "inv_subject": Text("对象", "Subject"),
    "inv_pages": Text("页数", "Pages"),
    "inv_total": Text("共 {n} 份表单，{pages} 页（不含本清单）",
                      "{n} sheets, {pages} pages (this inventory not counted)"),
    "inv_note": Text("公证员与总裁判长核对每份表单的表单码与页数后在此签名；"
                     "每份表单可用表单码单独核验。",
                     "The notary and the head judge check each sheet's code and page count, "
                     "then sign here; each sheet can be verified by its code."),
    "inv_all": Text("全部", "all"),
    # a contestant's own record
    "absent_note": Text("缺席：未参加本场决赛，不参加排名",
                        "Absent: did not compete in this final; not ranked"),
    "contestant_flags": Text("评分差异及处理", "Discrepancy flags and their outcome"),
    "contestant_ties": Text("同分处理", "Tie-break applied"),
    "appeals": Text("申诉", "Appeals"),
    "appeal_line": Text("申诉 {appeal}（{at}）：{ground} — {outcome}",
                        "Appeal {appeal} ({at}): {ground} — {outcome}"),
    "outcome.open": Text("尚未裁决", "not yet decided"),
    "decided_on": Text("{outcome}，{at}：{reason}", "{outcome}, {at}: {reason}"),
    # what a ledger entry records (the same words as the head judge's console)
    # the panel report (confidential, for the head judge)
    "panel.title": Text("评委组分析报告", "Panel report"),
    "panel.confidential": Text("保密", "CONFIDENTIAL"),
    "panel.note": Text("仅供总裁判长参考，不属于公开成绩材料，不改变任何结果。偏差 = 该评委总分 − "
                       "同一选手的评委评分（正：偏宽，负：偏严）；相关 = 该评委总分与不含该评委的"
                       "评委评分的斯皮尔曼等级相关。",
                       "For the head judge only: not part of the public pack; it changes no "
                       "result. Deviation = the judge's total − the panel score of the same "
                       "contestant (+ lenient, − severe); correlation = Spearman's rank "
                       "correlation of the judge's totals with the panel score without them."),
    "panel.judges": Text("各评委评分情况", "How each judge scored"),
    "panel.fragile": Text("取决于单个评委的结果", "Results that hang on one judge"),
    "panel.fragile_note": Text("逐一去掉每位评委后按本赛事规则重新计算；"
                               "下列选手的奖项或晋级会改变。",
                               "Recomputed leaving out each judge in turn, by the event's "
                               "rules; these contestants' prize or advancement would change."),
    "panel.none": Text("没有：去掉任何一位评委都不改变奖项或晋级。",
                       "None: leaving out any one judge changes no prize or advancement."),
    "panel.sheets": Text("评分表", "Sheets"),
    "panel.mean_total": Text("平均总分", "Mean total"),
    "panel.deviation": Text("平均偏差", "Mean deviation"),
    "panel.absolute": Text("平均绝对偏差", "Mean abs. deviation"),
    "panel.high": Text("作为最高分去掉", "Dropped high"),
    "panel.low": Text("作为最低分去掉", "Dropped low"),
    "panel.flags": Text("分歧", "Flags"),
    "panel.spearman": Text("相关", "Correlation"),
    "panel.without": Text("去掉的评委", "Without judge"),
    "panel.now": Text("现在", "Now"),
    "panel.then": Text("去掉该评委后", "Without them"),
    "panel.advances": Text("晋级", "advances"),
    "panel.not_advancing": Text("不晋级", "does not advance"),
    "panel.undecided": Text("待裁决", "undecided"),
    "panel.not_ranked": Text("无名次", "not ranked"),
    "panel.no_sheet": Text("只有该评委评了此选手：去掉后无评分表，未重算",
                           "only this judge scored them: no sheet left without them, "
                           "not recomputed"),
    # who made a ledger entry
    "actor.head-judge": Text("总裁判长", "head judge"),
    "actor.master": Text("主控机", "master"),
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
})


def langs(event: Event) -> tuple[str, ...]:
    return event.languages or ("zh", "en")


w = WORDS.both
"""A label in the event's languages on one line, with `{fields}` filled in each."""

ws = WORDS.stacked
"""Like `w`, one language per line (narrow cells, table headers)."""


def actor_name(actor: str, languages: tuple[str, ...]) -> str:
    """Who made a ledger entry: `总裁判长 head judge` for the head judge's own id, anything
    else (a name, a judge) as given."""
    key = f"actor.{actor}"
    return w(key, languages) if key in WORDS else actor


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
