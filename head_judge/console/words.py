"""Every word the head-judge console shows, in Chinese and English (`say(key, lang, **values)`).

One language at a time (F4 or Ctrl+L switches, at any moment); names from the event file are
shown in the chosen language. The master's refusals (`ActionRefused.message`, from the
catalogue in `head_judge.refusals`) are shown in the chosen language too.
"""

from __future__ import annotations

from sync.catalogue import Catalogue
from sync.event import Text

LANGUAGES = ("zh", "en")

WORDS = Catalogue("head_judge.console.words", {
    # chrome
    "app_title": Text("总裁判长主控台", "Head-judge console"),
    "other_language": Text("English", "中文"),
    "serving": Text("服务中 {address}", "serving {address}"),
    "not_serving": Text("未开启服务", "not serving"),
    "screen_port": Text("大屏幕 :{port}/screen", "big screen :{port}/screen"),
    "starting": Text("正在启动服务…", "starting the server…"),
    "terminals_online": Text("终端在线 {n}/{total}", "terminals online {n}/{total}"),
    "standby_synced": Text("备用机已同步", "standby in sync"),
    "standby_behind": Text("备用机落后 {n} 条 · {s} 秒", "standby {n} entries, {s} s behind"),
    "standby_silent": Text("备用机 {s} 秒未同步", "standby silent for {s} s"),
    "on_stage_title": Text("台上：{who}", "On stage: {who}"),
    "on_stage_nobody": Text("台上：未指定", "On stage: not set"),
    "blind_hidden": Text("盲评 · 身份未解密", "blind · identities hidden"),
    "blind_revealed": Text("已解密", "identities revealed"),
    "draw_name": Text("[{draw}] {name}", "[{draw}] {name}"),
    "draw_name_none": Text("[—] {name}", "[—] {name}"),
    # screens (navigation bar)
    "nav_overview": Text("总览", "Overview"),
    "nav_discrepancies": Text("分歧", "Discrepancies"),
    "nav_contestant": Text("选手", "Contestant"),
    "nav_enrolment": Text("终端绑定", "Enrolment"),
    "nav_components": Text("导入成绩", "Components"),
    "nav_results": Text("结果", "Results"),
    "nav_appeals": Text("申诉", "Appeals"),
    "nav_audit": Text("审计", "Audit"),
    "nav_print": Text("打印", "Print"),
    "nav_discrepancies_short": Text("分歧", "Flags"),
    "nav_enrolment_short": Text("绑定", "Enrol"),
    "nav_components_short": Text("导入", "Import"),
    # keys (footer and help)
    "key_screens": Text("切换页面", "screens"),
    "key_language": Text("English", "中文"),
    "key_help": Text("帮助", "help"),
    "key_quit": Text("退出", "quit"),
    "quit_hint": Text("按 Ctrl+Q 退出", "Press Ctrl+Q to quit"),
    "key_open": Text("打开选手", "open"),
    "key_on_stage": Text("设为台上", "on stage"),
    "key_next_on_stage": Text("下一位上台", "next on stage"),
    "key_review": Text("请求复核", "request review"),
    "key_accept": Text("接受分歧", "accept"),
    "key_accept_all": Text("全部接受", "accept all"),
    "key_override": Text("改分", "override"),
    "key_withdraw": Text("撤销", "withdraw"),
    "key_lock": Text("锁定", "lock"),
    "key_reveal": Text("亮分", "reveal"),
    "key_lock_ready": Text("锁定全部可锁定", "lock all ready"),
    "key_judges": Text("评委栏", "judges"),
    "key_unlock": Text("解锁", "unlock"),
    "key_prev": Text("上一位", "previous"),
    "key_next": Text("下一位", "next"),
    "key_prev_next": Text("下一位（[ 上一位）", "next ([ previous)"),
    "key_choose": Text("选择选手", "choose"),
    "key_all_flags": Text("全部/未处理", "all/open"),
    "key_code": Text("发绑定码", "issue code"),
    "key_codes_all": Text("全部发码", "codes for all"),
    "key_reopen": Text("解除锁定席位", "reopen seat"),
    "key_excuse": Text("免评/恢复", "excuse/restore"),
    "key_excuse_seat": Text("免评", "excuse"),
    "key_restore_seat": Text("恢复评分", "restore"),
    "key_preview": Text("预览", "preview"),
    "key_edit_path": Text("输入文件", "file"),
    "key_apply": Text("导入", "import"),
    "key_component": Text("切换成绩项", "component"),
    "key_scope": Text("下一排名（[ 上一个）", "next ranking ([ previous)"),
    "key_publish": Text("发布", "publish"),
    "key_tie": Text("裁决并列", "decide tie"),
    "key_panel": Text("评委组分析", "panel report"),
    # the panel report (confidential)
    "panel_title": Text("评委组分析（保密，仅供总裁判长）",
                        "Panel report (confidential, for the head judge)"),
    "panel_note": Text("仅供参考，不改变任何结果。偏差 = 评委总分 − 评委评分"
                       "（正：偏宽，负：偏严）；相关 = 与去掉该评委后的评委评分的等级相关。",
                       "Informs only; it changes no result. Deviation = the judge's total − "
                       "the panel score (+ lenient, − severe); correlation = rank correlation "
                       "with the panel score without the judge."),
    "panel_sheets": Text("表数", "Sheets"),
    "panel_mean": Text("平均总分", "Mean"),
    "panel_dev": Text("偏差", "Dev."),
    "panel_abs": Text("绝对偏差", "Abs. dev."),
    "panel_high": Text("去最高", "High"),
    "panel_low": Text("去最低", "Low"),
    "panel_flags": Text("分歧", "Flags"),
    "panel_rho": Text("相关", "Corr."),
    "panel_fragile": Text("取决于单个评委的结果", "Results that hang on one judge"),
    "panel_none": Text("没有：去掉任何一位评委都不改变奖项或晋级。",
                       "None: leaving out any one judge changes no prize or advancement."),
    "panel_without": Text("去掉的评委", "Without"),
    "panel_now": Text("现在", "Now"),
    "panel_then": Text("去掉后", "Without them"),
    "panel_advances": Text("晋级", "advances"),
    "panel_not_advancing": Text("不晋级", "does not advance"),
    "panel_undecided": Text("待裁决", "undecided"),
    "panel_not_ranked": Text("无名次", "not ranked"),
    "panel_ranking": Text("排名", "Ranking"),
    "panel_no_sheet": Text("去掉后无评分表，未重算", "no sheet left without them: skipped"),
    "key_file": Text("登记申诉", "file"),
    "key_dossier": Text("卷宗", "dossier"),
    "key_correction": Text("预览修改", "preview correction"),
    "key_decide": Text("裁决", "decide"),
    "key_verify": Text("校验", "verify"),
    "key_filter": Text("筛选", "filter"),
    "key_clear": Text("清除筛选", "clear filter"),
    "key_generate": Text("生成", "generate"),
    "key_toggle": Text("勾选", "tick"),
    "key_all": Text("全选/全不选", "all/none"),
    "key_ok": Text("确定", "OK"),
    "key_cancel": Text("取消", "cancel"),
    "key_close": Text("关闭", "close"),
    "key_back": Text("返回", "back"),
    # overview
    "col_order": Text("序", "#"),
    "col_contestant": Text("选手", "Contestant"),
    "col_flags": Text("分歧", "Flags"),
    "col_final": Text("得分", "Score"),
    "col_rank": Text("名次", "Rank"),
    "col_lock": Text("锁", "Lk"),
    "col_reveal": Text("亮", "Rv"),
    "legend": Text(
        "! 分歧  ? 待复核  * 已改分  p 纸质  · 待评  — 回避  × 不计入（撤销或免评）  ■ 已锁定  "
        "◆ 已亮分  ◇ 亮分后有改动  ▶ 台上",
        "! flagged  ? review asked  * overridden  p paper  · waiting  — recused  "
        "× not counted  ■ locked  ◆ revealed  ◇ changed since revealed  ▶ on stage"),
    "col_judge": Text("评委", "Judge"),
    "col_progress": Text("进度", "Scored"),
    "col_terminal": Text("终端", "Terminal"),
    "col_last_seen": Text("最近联系", "Last seen"),
    "col_outbox": Text("待发", "Outbox"),
    "col_offset": Text("时钟偏差", "Clock"),
    "col_device": Text("设备", "Device"),
    "t_online": Text("● 在线", "● online"),
    "t_offline": Text("○ 离线", "○ offline"),
    "t_unenrolled": Text("- 未绑定", "- not enrolled"),
    "t_paper": Text("纸 纸质评分（{n} 份）", "P on paper ({n})"),
    "mark_excused": Text("免评", "excused"),
    "t_never": Text("从未", "never"),
    "t_ago": Text("{time}（{ago}前）", "{time} ({ago} ago)"),
    "msg_on_stage": Text("已通知各终端：{who} 上台", "Sent to every terminal: {who} is on stage"),
    "msg_last_on_stage": Text("已经是最后一位", "That was the last contestant"),
    # discrepancies
    "flags_title": Text("未处理的分歧 {n} 条（最新在前）", "{n} open flag(s), newest first"),
    "flags_title_all": Text("全部分歧 {n} 条（最新在前）", "All {n} flag(s), newest first"),
    "no_flags": Text("没有未处理的分歧", "No open flags"),
    "col_id": Text("编号", "No."),
    "col_time": Text("时间", "Time"),
    "col_rule": Text("规则", "Rule"),
    "col_values": Text("各评委分值", "Values"),
    "col_diff": Text("差值/阈值", "Diff/limit"),
    "col_status": Text("状态", "Status"),
    "col_judges": Text("评委", "Judges"),
    "list_sep": Text("、", ", "),
    "rule_criterion_spread": Text("单项极差", "criterion spread"),
    "rule_total_spread": Text("总分极差", "total spread"),
    "rule_outlier": Text("偏离中位数", "outlier"),
    "flag_open": Text("未处理", "open"),
    "flag_accepted": Text("已接受", "accepted"),
    "flag_cleared": Text("已消除", "cleared"),
    "flag_line": Text("{contestant}：{rule}（{judges}）差值 {diff} > 阈值 {limit}（{values}）",
                      "{contestant}: {rule} ({judges}) difference {diff} > limit {limit} "
                      "({values})"),
    "flag_detail": Text(
        "分歧 {id}：{contestant}  {rule}{criterion}  差值 {diff} > 阈值 {limit}",
        "Flag {id}: {contestant}  {rule}{criterion}  difference {diff} > limit {limit}"),
    "flag_reviews": Text("复核：{reviews}", "Reviews: {reviews}"),
    "flag_note": Text("说明：{note}", "Note: {note}"),
    "review_state_open": Text("{judge} 待答复", "{judge} waiting"),
    "review_state_confirmed": Text("{judge} 确认原分", "{judge} confirmed"),
    "review_state_answered": Text("{judge} 已修改", "{judge} revised"),
    "review_state_closed": Text("{judge} 已关闭", "{judge} closed"),
    # contestant
    "contestant_head": Text("{order} 号  {id}  {name}  · {org}  · {scope}",
                            "No. {order}  {id}  {name}  · {org}  · {scope}"),
    "locked_word": Text("■ 已锁定", "■ locked"),
    "unlocked_word": Text("未锁定", "not locked"),
    "on_stage_word": Text("▶ 台上", "▶ on stage"),
    "col_criterion": Text("评分项", "Criterion"),
    "col_max": Text("满分", "Max"),
    "row_total": Text("总分", "Total"),
    "row_revision": Text("版本", "Revision"),
    "live_score": Text(
        "评委得分 {panel}  最终得分 {final}  名次 {rank}{prize}{advance}",
        "Panel {panel}  Final {final}  Rank {rank}{prize}{advance}"),
    "live_prize": Text("  奖项 {prize}", "  Prize {prize}"),  # left out when no prizes
    "advances_yes": Text("  晋级", "  advances"),
    "not_ranked": Text("尚未排名", "not ranked yet"),
    "dropped_note": Text("[ ] 去掉的最高/最低分", "[ ] dropped highest/lowest"),
    "section_components": Text("成绩项", "Components"),
    "section_revisions": Text("修改记录", "Revisions"),
    "section_flags": Text("分歧", "Flags"),
    "section_actions": Text("总裁判长操作", "Head-judge actions"),
    "section_blockers": Text("锁定前需处理", "Before locking"),
    "revision_line": Text("{time}  {judge} 第 {revision} 版  总分 {total}  原因：{reason}",
                          "{time}  {judge} revision {revision}  total {total}  reason: {reason}"),
    "revision_first": Text("{time}  {judge} 第 1 版  总分 {total}",
                           "{time}  {judge} revision 1  total {total}"),
    "revision_paper": Text("  纸质评分表：表单 {form}，录入员 {operators}",
                           "  paper sheet: form {form}, typed by {operators}"),
    "paper_mark": Text("纸", "P"),
    "override_line": Text("{judge} {criterion}：{old} → {new}（{status}）原因：{reason}",
                          "{judge} {criterion}: {old} → {new} ({status}) reason: {reason}"),
    "withdrawn_line": Text(
        "{judge} 的评分表已撤销：{reason}",
        "{judge}'s sheet withdrawn: {reason}"),
    "nothing": Text("无", "none"),
    "no_contestant": Text("请选择选手（/ 键）", "Choose a contestant (press /)"),
    "ov_in_force": Text("生效", "in force"),
    "ov_replaced": Text("被替换", "replaced"),
    "ov_lapsed": Text("已失效", "lapsed"),
    "lock_ready": Text("可以锁定", "ready to lock"),
    # enrolment
    "fingerprint": Text("主控指纹：{fp}", "Master fingerprint: {fp}"),
    "fingerprint_hint": Text(
        "评委绑定后核对评委终端显示的主控指纹与此一致；绑定码只显示在本屏，用一次即失效。",
        "After enrolling, judges check that their terminal shows this master fingerprint; codes "
        "show only here and work once."),
    "col_seat": Text("席位", "Seat"),
    "col_affiliation": Text("单位", "Affiliation"),
    "col_code": Text("绑定码", "Code"),
    "col_seat_state": Text("席位状态", "Seat"),
    "seat_code_out": Text("有未用绑定码（至 {time}）", "code out until {time}"),
    "seat_none": Text("未发码", "no code"),
    "seat_locked": Text("× 已锁定（{n} 次错误）", "× locked ({n} wrong codes)"),
    "seat_failures": Text("{n} 次错误", "{n} wrong"),
    "device_line": Text("{device} {name}", "{device} {name}"),
    "device_revoked": Text("（已停用）", "(revoked)"),
    "code_for": Text(
        "{judge} 的绑定码（{expires} 前有效）：",
        "Code for {judge} (valid until {expires}):"),
    "code_none": Text("选中席位后按 C 发绑定码", "Select a seat and press C to issue a code"),
    "confirm_code_title": Text("为 {judge} 发新的绑定码？", "Issue a new code for {judge}?"),
    "confirm_code_enrolled": Text(
        "{judge} 已有绑定的终端 {device}。新码用于备用电脑：新电脑绑定后，旧终端即被停用。",
        "{judge} already has terminal {device}. The new code is for a spare laptop: when it "
        "enrols, the old terminal is revoked."),
    "confirm_code_plain": Text("新码替换该席位尚未使用的旧码。",
                               "The new code replaces the seat's unused code."),
    "confirm_codes_title": Text("为全部 {n} 个席位发新码？", "Issue new codes for all {n} seats?"),
    "confirm_codes_plain": Text(
        "每个席位的旧码作废；已绑定的终端在新电脑用码绑定后被停用。",
        "Every seat's old code stops working; an enrolled terminal is revoked once a new "
        "laptop enrols with the new code."),
    "confirm_codes_excused": Text(
        "{judges} 已免评（全场），不发码；如其到场，先按 X 恢复评分，再按 C 发码。",
        "No code for {judges}, excused for the whole final; should they come, restore the "
        "seat with X, then issue its code with C."),
    "reopen_title": Text("解除 {judge} 席位的锁定", "Reopen {judge}'s seat"),
    "msg_codes": Text("已发码：{judges}", "Codes issued: {judges}"),
    "msg_reopened": Text("{judge} 席位已解除锁定", "{judge}'s seat reopened"),
    "excuse_title": Text("准许 {judge} 免评", "Excuse {judge}'s seat"),
    "excuse_hint": Text(
        "免评的评委不计入这些选手的评委评分，也不再等待其评分；其已提交的评分不再计入，"
        "其终端显示为免评并拒绝提交。",
        "The panel of these contestants counts without this judge and waits for nothing "
        "from them; sheets they already sent no longer count, and their laptop shows the "
        "contestants as excused and refuses sheets for them."),
    "excuse_now": Text("目前已免评：{who}（{reason}）", "Already excused for {who} ({reason})"),
    "field_contestants": Text(
        "选手编号（空格分隔；留空 = 全场）",
        "Contestant ids (separated by spaces; empty = the whole final)"),
    "msg_excused": Text("{judge} 已免评（{who}）", "{judge} excused for {who}"),
    "restore_title": Text("恢复 {judge} 评分", "Restore {judge}'s seat"),
    "restore_hint": Text(
        "恢复后，该评委的评分重新计入，并需为这些选手提交评分。",
        "Once restored, the judge's sheets count again and are expected again."),
    "msg_restored": Text("{judge} 已恢复评分", "{judge}'s seat restored"),
    "seat_excused": Text("免评（{who}）：{reason}", "Excused for {who}: {reason}"),
    "seat_state_excused": Text("免评（全场）", "excused (whole final)"),
    "msg_not_locked_seat": Text(
        "{judge} 席位没有锁定，也没有错误记录",
        "{judge}'s seat was not locked"),
    # components
    "component_title": Text("成绩项：{name}（满分 {max}，权重 {weight}）",
                            "Component: {name} (max {max}, weight {weight})"),
    "no_import_components": Text("本赛事没有需要导入的成绩项",
                                 "This final has no imported components"),
    "file_label": Text("CSV/XLSX 文件（列：contestant,value）",
                       "CSV/XLSX file (columns: contestant,value)"),
    "col_old": Text("原值", "Was"),
    "col_new": Text("新值", "New"),
    "col_value": Text("当前值", "Value"),
    "preview_title": Text(
        "预览（尚未导入）：{counts}", "Preview (not imported): {counts}"),
    "col_why": Text("说明", "Why"),
    "preview_none": Text(
        "先输入文件路径，按 P 预览",
        "Type the file's path and press P to preview"),
    "confirm_import_title": Text("导入 {file}？", "Import {file}?"),
    "confirm_import_lines": Text("{n} 个值将写入记录（含文件 SHA-256）。",
                                 "{n} value(s) go into the record with the file's SHA-256."),
    "msg_imported": Text(
        "已导入 {n} 个值（记录 {entry}）",
        "{n} value(s) imported (entry {entry})"),
    "reason_replace": Text("修改已导入的值需说明原因", "Changing imported values needs a reason"),
    "missing_values": Text("缺少 {n} 名选手的值", "{n} contestant(s) have no value yet"),
    # results
    "scope_title": Text("排名：{scope}（{i}/{n}）", "Ranking: {scope} ({i}/{n})"),
    "col_prize": Text("奖项", "Prize"),
    "col_advances": Text("晋级", "Adv."),
    "col_org": Text("单位", "Organisation"),
    "col_honours": Text("荣誉", "Honours"),
    "col_org_score": Text("得分", "Score"),
    "col_org_contestants": Text("选手", "Contestants"),
    "col_awarded": Text("获奖", "Awarded"),
    "org_awarded": Text("获奖", "awarded"),
    "org_undecided": Text("待裁决", "tie to decide"),
    "blockers_title": Text("不能发布，原因：", "Cannot publish yet:"),
    "blk_nobody": Text("此排名还没有人有完整成绩", "nobody is ranked in this scope yet"),
    "blk_unlocked": Text("{n} 名选手未锁定：{who}", "{n} contestant(s) not locked: {who}"),
    "blk_flags": Text("{n} 条分歧未处理：{ids}（见“分歧”页）",
                      "{n} open flag(s): {ids} (see Discrepancies)"),
    "blk_missing": Text("{n} 名选手缺少成绩项 {component}：{who}（见“导入成绩”页）",
                        "{n} contestant(s) have no {component} value: {who} (see Components)"),
    "ready_to_publish": Text("可以发布", "Ready to publish"),
    "state_provisional": Text("暂定成绩：申诉截止 {closes}",
                              "Provisional: appeals close at {closes}"),
    "state_official": Text("正式成绩：申诉期已结束", "Official: the appeal window has closed"),
    "state_due": Text("暂定成绩：申诉已于 {closes} 截止，即将转为正式",
                      "Provisional: appeals closed at {closes}; official shortly"),
    "state_held": Text("暂定成绩：申诉已于 {closes} 截止，尚有申诉待裁决或改正待发布",
                       "Provisional: appeals closed at {closes}; an appeal is open or an "
                       "upheld correction is not yet published"),
    "published_title": Text(
        "已发布：第 {version} 版（{time}）",
        "Published: version {version} ({time})"),
    "never_published": Text("尚未发布", "Not published yet"),
    "diff_title": Text("与已发布版本的差异：", "Changes since the published version:"),
    "diff_none": Text("与已发布版本相同", "Same as the published version"),
    "ties_title": Text("待裁决的并列：", "Unresolved ties:"),
    "confirm_publish_title": Text("发布 {scope} 的结果？", "Publish the results of {scope}?"),
    "publish_open_appeals_line": Text("还有未裁决的申诉：{appeals}。仍要发布，请写明原因",
                                      "Appeals still open: {appeals}. To publish anyway, "
                                      "give a reason"),
    "confirm_publish_lines": Text(
        "将冻结为第 {version} 版并签署检查点；此后更改需发布新版本。",
        "This freezes version {version} with a signed checkpoint; later changes need a new "
        "version."),
    "msg_published": Text("{scope} 第 {version} 版已发布（记录 {entry}）",
                          "{scope}: version {version} published (entry {entry})"),
    "tie_title": Text("裁决并列：{who}", "Decide the tie: {who}"),
    "tie_kind": Text("方式", "Decision"),
    "tie_order": Text(
        "名次顺序（用空格分隔，先者在前）",
        "Order (ids separated by spaces, best first)"),
    "tie_kind_order": Text("按顺序排名", "rank in this order"),
    "tie_kind_shared": Text("并列共享较高奖项", "share the better prize"),
    "msg_tie": Text("并列已裁决", "Tie decided"),
    "no_ties": Text("没有待裁决的并列", "No unresolved tie here"),
    # appeals
    "appeals_title": Text("申诉 {n} 件", "{n} appeal(s)"),
    "col_ground": Text("申诉理由", "Ground"),
    "col_filed_by": Text("申诉人", "Filed by"),
    "col_category": Text("类别", "Category"),
    "appeal_open": Text("待裁决", "open"),
    "appeal_upheld": Text("支持", "upheld"),
    "appeal_rejected": Text("驳回", "rejected"),
    "appeal_withdrawn": Text("撤回", "withdrawn"),
    "file_title": Text("登记申诉", "File an appeal"),
    "field_contestant": Text("选手", "Contestant"),
    "field_ground": Text("申诉理由", "Ground"),
    "field_filed_by": Text("申诉人", "Filed by"),
    "field_category": Text("类别", "Category"),
    "field_late_reason": Text("逾期受理的原因（申诉时限已过时填写）",
                              "Reason to accept it late (only after the appeal window)"),
    "late_reason_field": Text("“逾期受理的原因”一栏", "the “Reason to accept it late” field"),
    "msg_filed": Text("申诉 {id} 已登记", "Appeal {id} filed"),
    "correction_title": Text(
        "预览修改（申诉 {id}，{who}）",
        "Preview a correction (appeal {id}, {who})"),
    "preview_result": Text(
        "若按此修改，排名变化：",
        "With this correction the ranking would change:"),
    "decide_title": Text("裁决申诉 {id}", "Decide appeal {id}"),
    "field_outcome": Text("结论", "Outcome"),
    "msg_decided": Text("申诉 {id}：{outcome}", "Appeal {id}: {outcome}"),
    "dossier_title": Text("申诉 {id} 卷宗：{who}", "Dossier of appeal {id}: {who}"),
    "dossier_status": Text("状态：{status}{reason}", "Status: {status}{reason}"),
    "dossier_now": Text("目前：名次 {rank}，最终得分 {final}{prize}",
                        "Now: rank {rank}, final {final}{prize}"),
    "dossier_prize": Text("，奖项 {prize}", ", prize {prize}"),  # left out when no prizes
    "dossier_sheets": Text("评分表（含签名核验）", "Sheets (signatures checked)"),
    "dossier_history": Text("记录（按账本顺序）", "History (ledger order)"),
    "dossier_checkpoints": Text("覆盖这些记录的签名检查点", "Signed checkpoints covering them"),
    "not_checkpointed": Text("尚无检查点", "not yet checkpointed"),
    "checkpoint_ok": Text("已核验", "verified"),
    "no_appeals": Text("没有申诉；按 F 登记", "No appeals; press F to file one"),
    "upheld_hint": Text(
        "改正已随裁决记录，选手已重新锁定；请到成绩页重新发布。",
        "The correction was recorded with the decision and the contestant locked again; "
        "publish again on the Results screen."),
    "tally": Text("表决：支持 {up} · 驳回 {down} · 弃权 {abstain}{conflicts}{needed}",
                  "Votes: {up} upheld · {down} rejected · {abstain} abstained{conflicts}"
                  "{needed}"),
    "tally_conflicts": Text(" · 回避 {names}", " · conflict declared: {names}"),
    "tally_needed": Text("（需 {n} 票）", " ({n} needed)"),
    # audit
    "audit_title": Text("账本 {shown}/{total} 条", "Ledger: {shown} of {total} entries"),
    "col_seq": Text("序号", "Entry"),
    "col_kind": Text("类型", "Kind"),
    "col_actor": Text("操作者", "Actor"),
    "col_summary": Text("内容", "What"),
    "filter_contestant": Text("选手", "contestant"),
    "filter_judge": Text("评委", "judge"),
    "filter_kind": Text("类型", "kind"),
    "filter_since": Text("起 HH:MM", "from HH:MM"),
    "filter_until": Text("止 HH:MM", "to HH:MM"),
    "verify_running": Text("正在校验整个记录…", "Verifying the whole record…"),
    "verify_ok": Text(
        "校验通过：{entries} 条记录，{checkpoints} 个检查点，{signatures} 个签名有效，"
        "{tables} 张投影表与重建一致",
        "Record intact: {entries} entries, {checkpoints} checkpoints, {signatures} signatures "
        "verified, {tables} projection tables match a rebuild"),
    "verify_bad": Text("校验发现问题（{n} 处）：", "Verification found {n} problem(s):"),
    "verify_none": Text("按 V 校验哈希链、签名、检查点与投影",
                        "Press V to verify the chain, signatures, checkpoints and projections"),
    # print
    "print_title": Text("选择要打印的表", "Choose the sheets to print"),
    "print_folder": Text("输出文件夹", "Output folder"),
    "pk_judge": Text("评委评分表（每位评委一份，{n} 份）", "Judge sheets (one per judge, {n})"),
    "pk_form": Text("空白纸质评分表（每位评委一份，{n} 份；赛前备用）",
                    "Blank paper forms (one per judge, {n}; printed before the final)"),
    "pk_contestant": Text("选手成绩表（每位选手一份，{n} 份）",
                          "Contestant sheets (one per contestant, {n})"),
    "pk_results": Text(
        "结果公示表（每个排名一份，{n} 份）",
        "Results sheets (one per ranking, {n})"),
    "pk_discrepancy": Text("分歧与改分报告", "Discrepancy and override report"),
    "pk_appeal": Text("申诉卷宗（{n} 份）", "Appeal dossiers ({n})"),
    "pk_enrolment": Text("绑定卡（{n} 张；会发新码，旧码作废）",
                         "Enrolment cards ({n}; issues new codes, old ones stop working)"),
    "print_subjects": Text("只打印这些编号（逗号分隔，空=全部）",
                           "Only these ids (comma-separated; empty: all)"),
    "print_head_judge": Text("结果表：总裁判长姓名", "Head judge's name (results sheets)"),
    "print_notary": Text("结果表：公证员姓名", "Notary's name (results sheets)"),
    "confirm_cards_title": Text("打印绑定卡？", "Print enrolment cards?"),
    "confirm_cards_lines": Text(
        "每张卡带一个新的一次性绑定码；该席位之前的码作废。卡片请当面交给评委。",
        "Each card carries a new one-time code; the seat's earlier code stops working. Hand "
        "the cards to the judges in person."),
    "print_running": Text("正在生成 PDF…（{seconds} 秒）", "Generating the PDFs… ({seconds} s)"),
    "print_done": Text("已打印 {n} 份，保存在 {folder}（账本位置 {size}，检查点 {checkpoint}）",
                       "{n} sheet(s) printed into {folder} (ledger position {size}, "
                       "checkpoint {checkpoint})"),
    "print_failed": Text("生成失败：{reason}", "Generation failed: {reason}"),
    "print_nothing": Text("请至少勾选一项", "Tick at least one sheet"),
    "col_file": Text("文件", "File"),
    "col_kind_subject": Text("表", "Sheet"),
    "col_sheet_code": Text("表单码", "Sheet code"),
    "col_subject": Text("对象", "Subject"),
    # dialogs
    "confirm": Text("确认", "Confirm"),
    "refused": Text("未执行：{reason}", "Refused: {reason}"),
    "required": Text("请填写：{what}", "Please fill in: {what}"),
    "review_title": Text("请求复核：{who}", "Request a review: {who}"),
    "field_judge": Text("评委", "Judge"),
    "field_note": Text("给评委的说明", "Note for the judge"),
    "field_reason": Text("原因（记入账本）", "Reason (kept in the ledger)"),
    "field_criterion": Text("评分项", "Criterion"),
    "field_value": Text("新分值", "New value"),
    "field_path": Text("文件", "File"),
    "msg_review": Text("已向 {judge} 发出复核请求（复核 {id}）", "Review {id} sent to {judge}"),
    "accept_title": Text("接受分歧 {id}（差异属实）", "Accept flag {id} (the difference stands)"),
    "field_accept_note": Text("说明（记入账本）", "Note (kept in the ledger)"),
    "msg_accepted": Text("分歧 {id} 已接受", "Flag {id} accepted"),
    "override_title": Text("改分：{who}", "Override a value: {who}"),
    "override_hint": Text("原值与新值都会保留并打印在各表上。",
                          "Both values are kept and printed on every sheet."),
    "msg_overridden": Text("{judge} 的 {criterion} 已改为 {value}",
                           "{judge}'s {criterion} is now {value}"),
    "withdraw_title": Text("撤销 {judge} 对 {who} 的评分表", "Withdraw {judge}'s sheet for {who}"),
    "withdraw_hint": Text("该评委对此选手的分数不再计入，也不再等待其评分。",
                          "This judge's score for the contestant no longer counts and none is "
                          "expected."),
    "msg_withdrawn": Text("{judge} 的评分表已撤销", "{judge}'s sheet withdrawn"),
    "lock_title": Text("锁定 {who}？", "Lock {who}?"),
    # the reveal (亮分) to the hall's screen
    "reveal_title": Text("为 {who} 亮分？", "Reveal {who}?"),
    "reveal_again_title": Text("为 {who} 重新亮分？", "Reveal {who} again?"),
    "reveal_blocked_title": Text("还不能为 {who} 亮分", "{who} cannot be revealed yet"),
    "reveal_lines": Text("以下分数将显示在大屏幕上（一条账本记录），亮分后不能收回：",
                         "These figures go to the hall's screen (one ledger entry) and cannot "
                         "be taken back:"),
    "reveal_judges": Text("  评委分：{totals}（括号内为去掉的最高分、最低分）",
                          "  Judges: {totals} (in brackets: struck out, highest and lowest)"),
    "reveal_score": Text("  评委评分 {panel}  最终得分 {final}",
                         "  Panel score {panel}  Final score {final}"),
    "reveal_no_final": Text("待导入成绩", "waiting for imported components"),
    "reveal_before": Text("已于 {time} 亮分（记录 {entry}）；大屏幕将改为显示新的分数。",
                          "Revealed at {time} (entry {entry}); the screen will show the new "
                          "figures instead."),
    "msg_revealed": Text("{who} 已亮分（记录 {entry}）", "{who} revealed (entry {entry})"),
    "revealed_word": Text("◆ 已亮分", "◆ revealed"),
    "reveal_changed_word": Text("◇ 亮分后有改动，需重新亮分", "◇ changed since revealed: reveal "
                                "again"),
    "lock_lines": Text("锁定后评委不能再提交或修改该选手的分数。",
                       "Once locked, judges can no longer send or change this contestant's "
                       "sheets."),
    "force_title": Text("强制锁定 {who}", "Force the lock of {who}"),
    "force_lines": Text("尚未满足锁定条件：", "Not ready to lock:"),
    "msg_locked": Text("{who} 已锁定", "{who} locked"),
    "unlock_title": Text("解锁 {who}", "Unlock {who}"),
    "msg_unlocked": Text("{who} 已解锁", "{who} unlocked"),
    "accept_all_title": Text("接受 {who} 的全部 {n} 个分歧（差异属实）",
                             "Accept all {n} open flags of {who} (the differences stand)"),
    "accept_all_lines": Text("一条说明，一条账本记录：",
                             "One note, one ledger entry, for:"),
    "msg_accepted_all": Text("{who} 的 {n} 个分歧已接受", "{n} flag(s) of {who} accepted"),
    "no_open_flags_of": Text("{who} 没有未处理的分歧", "{who} has no open flag"),
    "lock_ready_title": Text("锁定 {n} 名可以锁定的选手？", "Lock the {n} contestant(s) ready?"),
    "lock_ready_lines": Text("评分表齐全、没有未处理的分歧或复核（一条账本记录）：",
                             "Every sheet in, no open flag or review (one ledger entry):"),
    "lock_ready_rest": Text("另有 {n} 名未锁定的选手尚不能锁定（见选手页）：{who}",
                            "{n} more not locked are not ready (see their pages): {who}"),
    "none_ready": Text("没有可以锁定的选手：评分表未齐，或有未处理的分歧或复核",
                       "No contestant is ready to lock: sheets missing, or flags or reviews "
                       "open"),
    "msg_locked_ready": Text("{n} 名选手已锁定", "{n} contestant(s) locked"),
    "pick_title": Text(
        "选择选手（输入序号、编号或姓名）",
        "Choose a contestant (order, id or name)"),
    "help_title": Text("按键说明", "Keys"),
    "help_components": Text(
        "E 输入文件路径，回车预览：每行标明新增、修改、不变或受阻及原因；I 导入（先确认）；"
        "有受阻的行则不能导入（已锁定选手的值只能补填，不能修改）；C 切换成绩项。",
        "E to type the file's path, Enter previews it row by row: new, changed, unchanged or "
        "blocked, and why; I imports (it asks first), not while a row is blocked (a locked "
        "contestant's value may be filled in, not changed); C switches component."),
    "help_reveal": Text(
        "V 亮分：先列出将显示在大屏幕上的分数（各评委总分、去掉的最高分和最低分、评委评分、"
        "最终得分），"
        "确认后写入账本，大屏幕随即显示；评分表未齐、有未处理的分歧或复核时不能亮分。"
        "◆ 已亮分；◇ 亮分后分数有改动，可再次亮分。",
        "V reveals (亮分): it lists the figures the hall's screen will show (each judge's "
        "total, the highest and lowest struck out, the panel score, the final score); once "
        "confirmed they are in the ledger and on the screen. Not while a sheet is missing or a "
        "flag or review is open. ◆ revealed; ◇ changed since: reveal again."),
    "help_always": Text(
        "随时可用：1–9 切换页面（也可点击顶部；在输入框中先按 Esc），"
        "F4 或 Ctrl+L 切换中文/English，F1 或 ? 帮助，Ctrl+Q 退出（服务同时停止）。",
        "Always: 1–9 switch screens (or click the bar at the top; in a text field press Esc "
        "first), F4 or Ctrl+L 中文/English, F1 or ? help, Ctrl+Q quit (stops the server too)."),
    "help_dialogs": Text(
        "对话框：Tab 切换输入项，回车确定，Esc 取消。凡改变分数或有风险的操作都要确认并填写原因。",
        "Dialogs: Tab moves between fields, Enter confirms, Esc cancels. Anything that changes "
        "a number or cannot be undone asks first and takes a reason."),
    "help_screen": Text("本页按键：", "Keys on this screen:"),
    "quit_title": Text("退出主控台？", "Quit the console?"),
    "quit_lines": Text("服务将停止，评委终端会先把分数保存在本机，恢复后自动补发。",
                       "The server stops; judges' terminals keep their sheets and send them "
                       "when it is back."),
    "yes": Text("是", "yes"),
    "no": Text("否", "no"),
    "time_unknown": Text("—", "—"),
    # ledger entries (Audit screen)
    "whole_final": Text("全场", "the whole final"),
    # focus, blocked dialogs, pickers, seat states, the contestant's record (issue 20, 5 and 7)
    "blocked_cannot_confirm": Text("有未处理的事项，不能确认：先处理上面列出的问题。",
                                   "Blocked: this cannot be confirmed until the items above "
                                   "are dealt with."),
    "print_blocked_title": Text("不能打印", "Cannot print"),
    "publish_blocked_title": Text("还不能发布 {scope} 的结果", "{scope} cannot be published yet"),
    "key_browse": Text("选择…", "browse…"),
    "pick_file_title": Text("选择成绩文件（CSV 或 XLSX）", "Choose the file (CSV or XLSX)"),
    "pick_folder_title": Text("选择输出文件夹", "Choose the output folder"),
    "pick_hint_file": Text("↑↓ 移动  Enter 打开文件夹或选中文件  Esc 取消\n"
                           "相对于赛事文件所在文件夹 {base}",
                           "↑↓ move  Enter open a folder or choose the file  Esc cancel\n"
                           "relative to the event file's folder {base}"),
    "pick_hint_folder": Text("↑↓ 移动  Space 展开  Enter 选中高亮的文件夹  Esc 取消\n"
                             "相对于赛事文件所在文件夹 {base}",
                             "↑↓ move  Space open  Enter choose the highlighted folder  "
                             "Esc cancel\nrelative to the event file's folder {base}"),
    "seat_code_expired": Text("绑定码已过期（{time}）", "code expired ({time})"),
    "seat_used_at": Text("已绑定（{time} 用码）", "enrolled (code used {time})"),
    "code_used": Text("{judge} 的绑定码已于 {time} 使用（终端 {device}），不能再用；"
                      "换终端时按 C 发新码。",
                      "{judge}'s code was used at {time} (device {device}) and cannot be used "
                      "again; press C for a new one to move to another laptop."),
    "code_expired": Text("{judge} 的绑定码已于 {time} 过期，不能再用；按 C 发新码。",
                         "{judge}'s code expired at {time} and cannot be used; press C for a "
                         "new one."),
    "code_out_hidden": Text("{judge} 有一个未用的绑定码，至 {time} 有效（码只在发码时显示；"
                            "找不到时按 C 重新发码）。",
                            "{judge} has an unused code, valid until {time} (the code is shown "
                            "only when issued; press C to issue a new one if it is lost)."),
    "code_seat_locked": Text("{judge} 的席位已锁定（{n} 次错误码），按 O 解锁。",
                             "{judge}'s seat is locked ({n} wrong codes); press O to reopen it."),
    "section_comments": Text("评委评语", "Judges' comments"),
    "comment_line": Text("{judge} 第 {revision} 版：{comment}",
                         "{judge} revision {revision}: {comment}"),
    "recused_judges": Text("{judges} 回避", "{judges} recused"),
    "excused_judges": Text("{judges} 免评", "{judges} excused"),
    # the paper desk: operators typing judges' paper sheets twice
    "paper_title": Text("纸质评分表录入", "Paper sheets"),
    "paper_form_head": Text("表单 {code} · {judge} {name} · 录入员 {operator}",
                            "form {code} · {judge} {name} · operator {operator}"),
    "paper_howto": Text("按评分表顺序录入每行 {n} 项分数，以空格分隔；空行跳过此行；q 退出",
                        "type each row's {n} scores in the form's order, separated by "
                        "spaces; an empty line skips the row; q quits"),
    "paper_criteria": Text("评分项：{criteria}", "criteria: {criteria}"),
    "paper_ask_all": Text("{order} {contestant} {name}（{n} 项）",
                          "{order} {contestant} {name} ({n} scores)"),
    "paper_ask_settle": Text("{order} {contestant} {name}：两次录入不一致，只录入 {criteria}",
                             "{order} {contestant} {name}: the two entries differ; type only "
                             "{criteria}"),
    "paper_count": Text("需录入 {n} 项，录入了 {typed} 项", "{n} scores wanted, {typed} typed"),
    "paper_first": Text("{judge} 对 {contestant}：第 1 次录入已记录，等待另一名录入员再录一次",
                        "{judge} for {contestant}: first entry recorded; another operator "
                        "types it again"),
    "paper_agreed": Text("{judge} 对 {contestant}：录入一致，评分表计入成绩（第 {revision} 版）",
                         "{judge} for {contestant}: the entries agree; the sheet counts "
                         "(revision {revision})"),
    "paper_differs": Text("{judge} 对 {contestant}：与前次录入不一致：{criteria}；请第三名录入员"
                          "只录入这几项",
                          "{judge} for {contestant}: differs from the earlier entry on "
                          "{criteria}; a third operator types only these"),
    "paper_conflict": Text("注意：{judge} 对 {contestant} 还有笔记本评分表，需总裁判长选定其一",
                           "note: {judge} also has a laptop sheet for {contestant}; the head "
                           "judge chooses one"),
    "paper_done": Text("本表单没有需要您录入的行", "nothing on this form for you to type"),
    "paper_summary": Text("本次录入 {rows} 行，用时 {seconds} 秒", "{rows} rows typed in "
                          "{seconds} s"),
    "paper_status_struck": Text("回避", "recused"),
    "paper_status_excused": Text("免评", "excused"),
    "paper_status_laptop": Text("笔记本已评", "scored on laptop"),
    "paper_status_agreed": Text("已一致（第 {revision} 版）", "agreed (revision {revision})"),
    "paper_status_new": Text("待录入", "to type"),
    "paper_status_second": Text("待第二次录入", "second entry due"),
    "paper_status_settle": Text("不一致：{criteria}", "differs: {criteria}"),
    "paper_status_typed": Text("已录入，等待他人", "typed, waiting for another"),
    "paper_status_conflict": Text("与笔记本评分表冲突", "conflicts with the laptop sheet"),
    "paper_no_forms": Text("还没有打印纸质评分表（head-judge print --sheet form）",
                           "no paper form printed yet (head-judge print --sheet form)"),
    "paper_resolved": Text("{judge} 对 {contestant}：保留{keep}评分表", "{judge} for {contestant}: "
                           "the {keep} sheet kept"),
    "keep_laptop": Text("笔记本", "laptop"),
    "keep_paper": Text("纸质", "paper"),
    # the paper desk screen (key 0)
    "nav_paper": Text("纸质录入", "Paper"),
    "key_paper_skip": Text("跳过此行", "skip row"),
    "key_paper_back": Text("上一行", "previous row"),
    "key_paper_operator": Text("换录入员", "operator"),
    "key_paper_form": Text("换表单", "other form"),
    "key_paper_resolve": Text("选定评分表", "resolve conflict"),
    "paper_operator_label": Text("录入员", "Operator"),
    "paper_code_label": Text("表单码", "Form code"),
    "paper_ask_operator": Text("请输入录入员姓名，按 Enter",
                               "Type the operator's name, then Enter"),
    "paper_ask_code": Text("请输入或扫描评分表上的表单码（如 ABCDEFG-HIJKLMN），按 Enter",
                           "Type or scan the form's code (ABCDEFG-HIJKLMN), then Enter"),
    "paper_form_judge": Text("评委 {judge} {name}", "judge {judge} {name}"),
    "paper_row_first": Text("▸ {order} {contestant} {name} · 第一次录入",
                            "▸ {order} {contestant} {name} · first entry"),
    "paper_row_second": Text("▸ {order} {contestant} {name} · 第二次录入（盲录）",
                             "▸ {order} {contestant} {name} · second entry (blind)"),
    "paper_row_settle": Text("▸ {order} {contestant} {name} · 两次录入不一致，只录入：{criteria}",
                             "▸ {order} {contestant} {name} · entries differ; type only: "
                             "{criteria}"),
    "paper_rows_left": Text("还需录入 {n} 行", "{n} rows to type"),
    "paper_typing_hint": Text("空格/Tab 下一格 · Enter 记录本行 · ↓ 跳过此行 · ↑ 上一行",
                              "space/Tab next box · Enter records the row · ↓ skips it · "
                              "↑ back"),
    "paper_box_empty": Text("“{criterion}”未填写；纸上空白请按 ↓ 跳过此行",
                            "{criterion} is empty; if it is blank on paper, ↓ skips the row"),
    "paper_skipped": Text("已跳过 {contestant}（留待之后录入）", "{contestant} skipped (left to "
                          "type later)"),
    "paper_form_finished": Text("本表单已录完；仍有 {n} 行待录入（↑ 返回，或在表中选择）",
                                "end of the form; {n} rows still to type (↑ goes back, or "
                                "choose one in the table)"),
    "paper_qr_bad": Text("扫描的二维码不是本主控机打印的评分表", "the scanned QR code is not a "
                         "sheet printed by this master"),
    "paper_qr_not_form": Text("扫描的二维码不是纸质评分表的", "the scanned QR code is not a "
                              "paper form's"),
    "paper_resolve_title": Text("{judge} 对 {contestant}：笔记本与纸质评分表只能保留一份",
                                "{judge} for {contestant}: keep the laptop or the paper sheet"),
    "paper_resolve_context": Text("评委此前在笔记本上评分，后改用纸质评分表；被选定的评分表"
                                  "计入成绩，另一份留在账本中不计分。",
                                  "The judge scored on a laptop and also on paper; the sheet "
                                  "kept counts, the other stays in the ledger and does not."),
    "paper_no_conflict": Text("本表单没有需要选定的冲突", "no conflict to resolve on this form"),
    "field_keep": Text("保留", "Keep"),
})


say = WORDS.say
"""The words for `key` in `lang`, with `{name}` placeholders filled in; a value that is a
refusal or any other `sync.phrases.Phrase` is filled in in `lang` too."""


def colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "
