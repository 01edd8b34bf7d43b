"""Every word the judge terminal shows, in Chinese and English (`say(key, lang, **values)`).

Screens show one language at a time (F4 switches); names from the event file (criteria,
the event) are shown in both, primary first. Plain, short sentences: a judge reads them
between two contestants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from rich.cells import cell_len

from sync.catalogue import Catalogue, other
from sync.event import Contestant, Event, Text
from sync.phrases import Phrase, fields

LANGUAGES = ("zh", "en")

WORDS = Catalogue("judge_terminal.words", {
    # chrome
    "app_title": Text("评委终端", "Judge terminal"),
    "judge": Text("评委", "Judge"),
    "other_language": Text("English", "中文"),
    "first_run": Text("首次使用：绑定主控机", "First run: enrol with the head judge's master"),
    # keys (the key bar and the help screen)
    "key_open": Text("打开", "open"),
    "key_on_stage": Text("台上", "on stage"),
    "key_reviews": Text("复核", "reviews"),
    "key_next": Text("下一位", "next"),
    "key_language": Text("English", "中文"),
    "key_help": Text("帮助", "help"),
    "key_quit": Text("退出", "quit"),
    "quit_hint": Text("按 Ctrl+Q 退出", "Press Ctrl+Q to quit"),
    "key_submit": Text("提交", "submit"),
    "key_back": Text("返回", "back"),
    "key_back_queue": Text("返回队列", "back to queue"),
    "key_correct": Text("修改", "correct"),
    "key_move": Text("下一项", "next field"),
    "key_enrol": Text("绑定", "enrol"),
    "key_search": Text("重新搜索", "search again"),
    "key_choose": Text("选择主控机", "choose"),
    "key_confirm": Text("确认保存", "confirm and save"),
    "key_cancel": Text("返回修改", "go back"),
    "key_ok": Text("确定", "OK"),
    "key_confirm_as_is": Text("确认原分", "confirm as is"),
    "key_revise": Text("修改分数", "revise"),
    "key_later": Text("稍后", "later"),
    "key_close": Text("关闭", "close"),
    # status bar
    "online": Text("在线", "online"),
    "reconnecting": Text("重新连接中", "reconnecting"),
    "offline": Text("离线", "offline"),
    "not_connected": Text("未连接", "not connected"),
    "outbox": Text("待发送 {n}", "{n} to send"),
    "last_receipt": Text("最后回执 {time}", "last receipt {time}"),
    "no_receipt": Text("尚无回执", "no receipt yet"),
    "clock_off": Text(
        "本机时钟与主控机相差 {offset}，请校准",
        "clock differs from head judge's by {offset}; set it"),
    "unreachable": Text("主控机 {master} 无应答", "{master} not answering"),
    "pin_mismatch": Text(
        "对方不是已绑定的主控机（主控指纹不符），未发送任何数据",
        "not the head judge you enrolled with (fingerprint differs); nothing sent"),
    "event_changed": Text("总裁判长已修改赛事设置", "the head judge changed the event"),
    # queue
    "queue": Text("选手队列", "Queue"),
    "queue_counts": Text(
        "共 {total} 位 · 已提交 {done} · 待评 {todo}",
        "{total} contestants · {done} submitted · {todo} to score"),
    "on_stage_now": Text("台上：{who}", "On stage: {who}"),
    "on_stage_none": Text("台上：总裁判长尚未指定", "On stage: not set by the head judge"),
    "col_order": Text("序", "#"),
    "col_id": Text("编号", "ID"),
    "col_name": Text("选手", "Contestant"),
    "col_org": Text("单位", "Organisation"),
    "col_status": Text("状态", "Status"),
    "col_total": Text("总分", "Total"),
    "reviews_badge": Text("! 复核请求 {n} 条（按 R）", "! {n} review request(s) (press R)"),
    "no_on_stage": Text("总裁判长尚未指定台上选手",
                        "The head judge has not marked anyone on stage"),
    "nothing_to_score": Text("没有待评分的选手了", "Nobody is left to score"),
    "no_reviews": Text("没有待处理的复核请求", "No review request is waiting"),
    # statuses (word first; the symbol in front is ASCII so columns line up everywhere)
    "st_to_score": Text("  待评分", "  to score"),
    "st_draft": Text("~ 草稿", "~ draft"),
    "st_correction": Text("~ 修改中", "~ correcting"),
    "st_waiting": Text("> 已提交待同步", "> submitted, waiting"),
    "st_synced": Text("+ 已同步", "+ synced"),
    "st_review": Text("! 请复核", "! review requested"),
    "st_rejected": Text("x 被退回", "x rejected"),
    "st_locked": Text("# 已锁定", "# locked"),
    "st_recused": Text("- 回避", "- recused"),
    "st_excused": Text("= 免评", "= excused"),
    # score sheet
    "col_criterion": Text("评分项", "Criterion"),
    "col_score": Text("分数", "Score"),
    "col_max": Text("满分", "Max"),
    "col_step": Text("步长", "Step"),
    "col_check": Text("检查", "Check"),
    "comment": Text("评语（可选）", "Comment (optional)"),
    "total": Text("总分", "Total"),
    "missing_n": Text("还差 {n} 项", "{n} still to fill"),
    "bad_n": Text("{n} 项有误", "{n} to fix"),
    "complete": Text("已填完", "complete"),
    "chk_empty": Text("", ""),
    "chk_ok": Text("ok", "ok"),
    "chk_not_number": Text("x 不是数字", "x not a number"),
    "chk_bad_char": Text("x “{char}”不是数字", "x “{char}” not a digit"),
    "chk_range": Text("x 超出 0–{max}", "x outside 0–{max}"),
    "chk_step": Text("x 须为 {step} 的倍数", "x use steps of {step}"),
    "chk_digits": Text("x 小数位太多", "x too many decimals"),
    "members": Text("成员：{members}", "Members: {members}"),
    "draw_number": Text("抽签号 {draw}", "Draw {draw}"),
    "msg_draft_restored": Text(
        "已恢复草稿（{time} 自动保存）。",
        "Draft restored (autosaved {time})."),
    "msg_fill_all": Text("请先填完所有评分项：{names}", "Fill in every criterion first: {names}"),
    "msg_fix": Text("请修正：{names}", "Please fix: {names}"),
    "msg_saved": Text(
        "已保存（第 {revision} 版，总分 {total}），等待发送给主控机。",
        "Saved (revision {revision}, total {total}), waiting to be sent."),
    "msg_saved_synced": Text(
        "已保存并已同步：主控机已收到（第 {revision} 版，总分 {total}）。",
        "Saved and synced: the head judge has it (revision {revision}, total {total})."),
    "msg_submitted": Text(
        "已提交第 {revision} 版{state}。如需修改，按 E（需填写原因）。",
        "Revision {revision} submitted{state}. To correct it, press E (a reason is asked)."),
    "state_synced": Text("，主控机已收到", ", the head judge has it"),
    "state_waiting": Text("，等待发送", ", waiting to be sent"),
    "msg_correcting": Text(
        "正在修改（原因：{reason}）。改好后按 F2 提交。",
        "Correcting (reason: {reason}). Press F2 when done."),
    "msg_locked": Text(
        "# 已锁定：总裁判长已锁定该选手{reason}。分数不能再修改；如有错误，请告知总裁判长解锁。",
        "# Locked: the head judge locked this contestant{reason}. Scores can no longer change; "
        "if something is wrong, ask the head judge to unlock it."),
    "msg_recused": Text(
        "- 回避：您不为该选手评分（同单位或已声明回避）。如有误，请告知总裁判长。",
        "- Recused: you do not score this contestant (same organisation or a declared conflict). "
        "Tell the head judge if this is wrong."),
    "msg_excused": Text(
        "= 免评：总裁判长已准许您不为该选手评分（{reason}）。"
        "无需评分；此处的评分不再计入，也不会被接收。",
        "= Excused: the head judge excused you from scoring this contestant ({reason}). Nothing "
        "to do; a sheet for them no longer counts and is not accepted."),
    "msg_withdrawn": Text(
        "总裁判长已撤销您对该选手的评分：{reason}",
        "The head judge withdrew your sheet for this contestant: {reason}"),
    "msg_store_refused": Text("未保存：{reason}", "Not saved: {reason}"),
    "msg_review_open": Text(
        "! 总裁判长请您复核该选手的评分（按 R 查看）。",
        "! The head judge asks you to review this sheet (press R)."),
    "msg_confirmed": Text("已确认原分，等待发送给主控机。", "Confirmed as is; waiting to be sent."),
    # rejections: what happened, then what to do
    "rej_title": Text(
        "x 主控机未接受第 {revision} 版：",
        "x The head judge did not accept revision {revision}:"),
    "rej_locked": Text(
        "该选手在您的评分送达前已被锁定。请告知总裁判长；解锁后再按 F2 重新提交。",
        "the contestant was locked before your sheet arrived. Tell the head judge; once "
        "unlocked, press F2 to send it again."),
    "rej_recused": Text(
        "您不为该选手评分（回避）。无需操作；如有误请告知总裁判长。",
        "you do not score this contestant (recused). Nothing to do; tell the head judge if this "
        "is wrong."),
    "rej_out_of_rubric": Text(
        "有分数不符合评分标准（标准可能已修改）。请核对后按 F2 重新提交。",
        "a value is off the rubric (it may have changed). Check the values and press F2 to send "
        "again."),
    "rej_bad_revision": Text(
        "主控机持有的版本与本机不同。请核对分数后提交修改。",
        "the head judge holds another revision. Check the values and submit a correction."),
    "rej_excused": Text(
        "总裁判长已准许您不为该选手评分（免评），无需再提交。",
        "the head judge excused you from scoring this contestant; nothing to send."),
    "rej_withdrawn": Text(
        "总裁判长已撤销您对该选手的评分，无需再提交。",
        "the head judge withdrew your sheet for this contestant; nothing to send."),
    "rej_other": Text("请告知总裁判长。", "tell the head judge."),
    "rej_reason": Text("总裁判长说明：{reason}", "Head judge's words: {reason}"),
    "revoked": Text(
        "本机已被另一台设备替换，评分不能再发送。请使用新设备，或向总裁判长索取新绑定码重新绑定。",
        "This laptop was replaced by another device for your seat; it can no longer send scores. "
        "Use the new laptop, or ask the head judge for a new code."),
    "unknown_device": Text(
        "主控机不认识本机。请向总裁判长索取新绑定码重新绑定。",
        "The head judge does not know this laptop. Ask for a new code and enrol again."),
    "master_refused": Text(
        "主控机拒绝了本机的请求（{code}），请告知总裁判长。",
        "The head judge's computer refused this laptop's request ({code}); tell the head judge."),
    # confirmation
    "confirm_title": Text("提交前请核对", "Check before saving"),
    "confirm_revision": Text("修改原因：{reason}", "Reason for the correction: {reason}"),
    "confirm_comment": Text("评语：{comment}", "Comment: {comment}"),
    "confirm_hint": Text(
        "确认后分数将签名保存在本机，并发送给主控机。",
        "Confirming signs and saves the sheet on this laptop, then sends it."),
    # reason
    "reason_title": Text("修改已提交的评分", "Correct a submitted sheet"),
    "reason_prompt": Text(
        "请写明修改原因（将记录在案）：",
        "Why are you correcting it? (it is recorded)"),
    "reason_needed": Text("请填写原因", "A reason is needed"),
    # review request
    "review_title": Text("复核请求 #{id}", "Review request #{id}"),
    "review_note": Text("总裁判长说明：{note}", "Head judge's note: {note}"),
    "review_rule": Text("触发规则：{rule}", "Rule that fired: {rule}"),
    "review_flag": Text("触发规则：差异标记 #{flag}", "Rule that fired: discrepancy flag #{flag}"),
    "review_no_flag": Text(
        "触发规则：无（总裁判长直接请求）",
        "Rule that fired: none (asked directly)"),
    "review_your_values": Text(
        "您的评分（第 {revision} 版）：",
        "Your values (revision {revision}):"),
    "review_no_sheet": Text(
        "本机没有您对该选手的评分。",
        "This laptop holds no sheet of yours for this contestant."),
    "review_answered": Text("您已答复此复核请求。", "You have answered this review request."),
    "review_arrived": Text("复核请求：{who}。按 R 查看。", "Review request: {who}. Press R."),
    "lock_arrived": Text("总裁判长已锁定 {who}", "The head judge locked {who}"),
    "unlock_arrived": Text("总裁判长已解锁 {who}", "The head judge unlocked {who}"),
    "on_stage_arrived": Text("台上选手：{who}（按 O）", "On stage: {who} (press O)"),
    "reviews_arrived": Text("{n} 条复核请求，按 R 查看", "{n} review requests. Press R."),
    "review_closed_arrived": Text("{who} 的复核请求无需再答复：{reason}",
                                  "The review request for {who} needs no answer any more: "
                                  "{reason}"),
    "reviews_closed_arrived": Text("{n} 条复核请求无需再答复",
                                   "{n} review requests need no answer any more"),
    # why a review request needs no answer any more: the ids the master sends with a
    # `review_closed` notice (`reason_id`, `reason_params`; head_judge.refusals.RECORDED)
    "why_sheet_withdrawn": Text("总裁判长已撤销您的评分（{reason}）",
                                "the head judge withdrew your sheet ({reason})"),
    "why_judge_excused": Text("总裁判长已准许您免评（{reason}）",
                              "the head judge excused you ({reason})"),
    "locks_arrived": Text("{n} 位选手已锁定", "{n} contestants locked"),
    "unlocks_arrived": Text("{n} 位选手已解锁", "{n} contestants unlocked"),
    "rule_criterion_spread": Text("同一评分项分差过大", "spread of one criterion"),
    "rule_total_spread": Text("总分分差过大", "spread of the totals"),
    "rule_outlier": Text("与全组中位数差距过大", "far from the panel's median"),
    # enrolment
    "masters_found": Text(
        "1. 网络中的主控机（比赛、地址、主控指纹）：",
        "1. Masters on this network (final, address, master fingerprint):"),
    "masters_choose": Text(
        "1. 找到 {n} 台主控机：按 ↑↓ 选择与卡片上比赛和主控指纹相同的一台：",
        "1. {n} masters: press ↑↓ to choose the final and fingerprint on your card:"),
    "masters_given": Text(
        "1. --master 指定的主控机（比赛、地址、主控指纹）：",
        "1. The master given with --master (final, address, master fingerprint):"),
    "searching": Text("正在搜索……", "Searching…"),
    "none_found": Text(
        "未找到主控机。请确认已连接赛场 Wi-Fi，按 F5 重新搜索。",
        "No master heard. Check you are on the venue Wi-Fi; F5 searches again."),
    "no_network": Text(
        "本机没有联网（没有 IPv4 地址），无法搜索主控机。请连接赛场 Wi-Fi 后按 F5 重新搜索，或用 "
        "--master 指定地址。",
        "This laptop has no network connection (no IPv4 address), so it cannot look for the "
        "head judge. Connect to the venue Wi-Fi and press F5, or give --master."),
    "fingerprint_unknown": Text(
        "主控指纹无法读取（连不上）",
        "master fingerprint could not be read (no answer)"),
    "code_prompt": Text(
        "2. 输入卡片上的绑定码（只有数字，横线可不输）：",
        "2. Type the enrolment code from your card (digits only; dashes optional):"),
    "code_empty": Text(
        "绑定码是 10 或 11 位数字，最后一位是校验位：输错会立即提示。",
        "The code is 10 or 11 digits; the last is a check digit, so a typo shows at once."),
    "code_progress": Text("已输入 {n} 位，请继续。", "Digits typed: {n}; keep going."),
    "code_bad_char": Text(
        "x 第 {position} 个字符“{char}”不是数字：绑定码只有数字。",
        "x Character {position} (“{char}”) is not a digit: codes are digits only."),
    "code_zero_start": Text(
        "x 绑定码不以 0 开头：请对照卡片检查第一位。",
        "x A code never starts with 0: check the first digit against your card."),
    "code_too_long": Text(
        "x 位数太多：绑定码只有 10 或 11 位，请对照卡片检查。",
        "x Too many digits: a code has 10 or 11. Check it against your card."),
    "code_maybe_more": Text(
        "校验位暂不符：卡片上的绑定码若有 11 位，请继续输入；否则请逐位对照卡片检查。",
        "The check digit does not match yet: if your card's code has 11 digits, keep typing; "
        "if not, compare each digit with the card."),
    "code_typo": Text(
        "x 校验位不符：有数字输错或前后颠倒，请逐位对照卡片检查。",
        "x Typo: the check digit does not match. Compare each digit with your card."),
    "code_ok": Text("ok 绑定码无误：席位 {seat}。", "ok No typo: seat {seat}."),
    "enrolling": Text("正在与 {address} 绑定……", "Enrolling with {address}…"),
    "enrolled": Text(
        "已绑定为 {judge}，请核对上方主控指纹。",
        "Enrolled as {judge}. Compare the master fingerprint above with your card."),
    "pinned": Text(
        "主控指纹（请与卡片核对，不一致请告知总裁判长）：",
        "Master fingerprint (if it differs from your card's, tell the head judge):"),
    "enrol_ready": Text("按 Enter 绑定：{master}", "Press Enter to enrol with {master}"),
    "enrol_choose": Text(
        "请先按 ↑↓ 选择卡片上的比赛（核对名称和主控指纹），再按 Enter。",
        "First choose the final on your card with ↑↓ (compare its name and fingerprint), "
        "then press Enter."),
    "enrol_wait": Text(
        "正在搜索主控机，请稍候再按 Enter。",
        "Still looking for the master; press Enter again in a moment."),
    "enrol_bad_code": Text(
        "绑定码被拒绝：码不对、已用过或已过期，或所选主控机不是卡片上的比赛。请核对，或向总裁判长索取新码。",
        "The code was refused: wrong, used or expired, or this master is not the final on your "
        "card. Check, or ask the head judge for a new code."),
    "enrol_seat_locked": Text(
        "输错次数过多，席位已锁定。请总裁判长重新开放席位。",
        "Too many wrong tries: the seat is locked. Ask the head judge to reopen it."),
    "enrol_unknown_seat": Text(
        "这台主控机没有席位 {seat}：请核对所选主控机是卡片上的比赛，并核对绑定码。",
        "This master has no seat {seat}: check it runs the final on your card, and check the "
        "code."),
    "enrol_stale": Text(
        "绑定超时，或总裁判长刚发了新码。请按 Enter 重试；仍不行请向总裁判长索取新码。",
        "The enrolment timed out, or the head judge just issued a new code. Press Enter to "
        "retry; if it fails again, ask for a new code."),
    "enrol_not_master": Text(
        "这台电脑无法证明绑定码是它发的：它不是总裁判长的主控机，未保存任何内容。请核对卡片上的主控指纹，"
        "选择正确的主控机。",
        "This computer could not prove it issued your code: it is not the head judge's master. "
        "Nothing was kept. Compare the fingerprint on your card and choose the right master."),
    "enrol_pin": Text(
        "绑定途中对方的主控指纹变了，已停止，未发送任何数据。请重试。",
        "The master's fingerprint changed during the enrolment: stopped, nothing sent. Try "
        "again."),
    "enrol_unreachable": Text(
        "连不上主控机：{reason}。请检查 Wi-Fi，再按 Enter 重试。",
        "Cannot reach the master: {reason}. Check the Wi-Fi and press Enter to retry."),
    "enrol_nowhere": Text(
        "还没有找到主控机。按 F5 重新搜索，或用 --master 指定地址。",
        "No master found yet. Press F5 to search again, or give --master."),
    "enrol_failed": Text("绑定失败：{reason}", "Enrolment failed: {reason}"),
    # help
    "help_title": Text("按键说明", "Keys"),
    "help_queue": Text(
        "队列：↑↓ 选择，Enter 打开，输入序号直接跳转，O 台上选手，N 下一位待评，R 复核请求。",
        "Queue: ↑↓ to choose, Enter opens, type a running number to jump, O on stage, N next to s"
        "core, R review requests."),
    "help_sheet": Text(
        "评分表：输入数字，Tab 或 Enter 到下一项，Shift+Tab 上一项；评语处按 Enter 或 F2/Ctrl+S "
        "提交；Esc 返回队列（草稿自动保存）；E 修改已提交的评分。",
        "Sheet: type digits, Tab or Enter for the next field, Shift+Tab back; Enter on the "
        "comment or F2/Ctrl+S submits; Esc back to the queue (drafts save themselves); E "
        "corrects a submitted sheet."),
    "help_modal": Text(
        "确认框：Enter 确认，Esc 返回。复核：C 确认原分，R 修改。",
        "Dialogs: Enter confirms, Esc goes back. Review: C confirm as is, R revise."),
    "help_always": Text(
        "随时：F4 或 Ctrl+L 切换中文/English，? 或 F1 帮助，Ctrl+Q 退出。鼠标也可点击。",
        "Always: F4 or Ctrl+L switches 中文/English, ? or F1 help, Ctrl+Q quits. The mouse works "
        "too."),
    "help_status": Text(
        "状态：待评分 / ~ 草稿 / > 已提交待同步 / + 已同步 / ! 请复核 / x 被退回 / # 已锁定 / - "
        "回避 / = 免评。",
        "Status: to score / ~ draft / > submitted, waiting / + synced / ! review requested / x "
        "rejected / # locked / - recused / = excused."),
    "help_enrol_find": Text(
        "1. 程序在赛场网络上寻找主控机（总裁判长的电脑）。找到几台时，按 ↑↓ 选择卡片上写的比赛，"
        "并核对主控指纹；F5 重新搜索。",
        "1. The app looks for the master (the head judge's laptop) on the venue network. If "
        "several answer, choose the final on your card with ↑↓ and compare the master "
        "fingerprint; F5 searches again."),
    "help_enrol_code": Text(
        "2. 输入卡片上的绑定码（10 或 11 位数字，横线可不输），按 Enter 绑定。输错会立即提示，"
        "不会发送。",
        "2. Type the enrolment code from your card (10 or 11 digits, dashes optional) and "
        "press Enter. A typo shows at once and nothing is sent."),
    "help_enrol_once": Text(
        "绑定码只能用一次，12 小时内有效。被拒绝或已过期时，请向总裁判长索取新码。",
        "A code works once, for 12 hours. If it is refused or expired, ask the head judge for "
        "a new one."),
    "help_enrol_pin": Text(
        "3. 绑定后，核对屏幕上的主控指纹与卡片一致；不一致时请停止，并告诉总裁判长。",
        "3. Once enrolled, compare the master fingerprint on screen with your card; if it "
        "differs, stop and tell the head judge."),
    "help_enrol_keys": Text(
        "按键：Enter 绑定，↑↓ 选择主控机，F5 重新搜索，F4 或 Ctrl+L 切换中文/English，F1 帮助，"
        "Ctrl+Q 退出。",
        "Keys: Enter enrols, ↑↓ chooses the master, F5 searches again, F4 or Ctrl+L switches "
        "中文/English, F1 help, Ctrl+Q quits."),
    "help_enrol_title": Text("首次绑定说明", "Enrolling this laptop"),
    "help_safe": Text(
        "已保存的评分写入本机磁盘后才显示“已保存”，断网也不会丢失，联网后自动发送。",
        "“Saved” appears only once the sheet is on this laptop's disk; it is sent by itself when "
        "the network is back."),
    # the `judge-terminal` command line: each line in Chinese, then in English
    "cli_error": Text("错误：{problem}", "error: {problem}"),
    "cli_seat": Text("席位：{seat}", "seat: {seat}"),
    "cli_code_ok": Text("绑定码：{code}（没有输错：校验位相符）",
                        "code: {code} (no typo: its check digit matches)"),
    "cli_master_heard": Text("{address}  赛事 {event}  协议 {proto}  {name}",
                             "{address}  event {event}  protocol {proto}  {name}"),
    "cli_nobody_heard": Text("网络上没有找到总裁判长的主控机",
                             "no head judge heard on this network"),
    "cli_nobody_heard_give": Text("网络上没有找到总裁判长的主控机；请用 {option} 给出其地址",
                                  "no head judge heard on this network; give its address with "
                                  "{option}"),
    "cli_skipped": Text("跳过：{problem}", "skipped: {problem}"),
    "cli_enrolled": Text("已绑定为 {judge}，赛事：{event}", "enrolled as {judge} for {event}"),
    "cli_enrolled_master": Text("主控机 {address}，主控指纹 {fingerprint}",
                                "head judge at {address}, master fingerprint {fingerprint}"),
    "cli_compare_fingerprint": Text("请将主控指纹与绑定卡核对；如不同，立即告诉总裁判长",
                                    "compare the master fingerprint with your card; if it "
                                    "differs, tell the head judge at once"),
    "cli_fingerprint_unread": Text("无法读取", "could not be read"),
    "cli_master_fingerprint": Text("  主控指纹 {fingerprint}",
                                   "  master fingerprint {fingerprint}"),
    "cli_several_masters": Text("网络上有 {n} 台主控机；请选择与绑定卡上赛事和主控指纹相同的一台，"
                                "用 {option} 给出其地址",
                                "{n} head judges heard on this network; choose the one on your "
                                "card (its final and master fingerprint) and give its address "
                                "with {option}"),
    "cli_not_a_pair": Text("{given}：应为 评分项=分值，例如 {example}",
                           "{given}: expected CRITERION=VALUE, e.g. {example}"),
    "cli_given_twice": Text("{criterion} 给了两次", "{criterion} is given twice"),
    "cli_not_a_number": Text("{criterion}：{given} 不是数字",
                             "{criterion}: {given} is not a number"),
    "cli_give_every_criterion": Text("请用 {option} 给出每个评分项：{criteria}",
                                     "give every criterion with {option}: {criteria}"),
    "cli_excused": Text("总裁判长已准许您对 {contestant} 免评（{reason}）；没有要发送的内容",
                        "the head judge excused you from scoring {contestant} ({reason}); "
                        "nothing to send"),
    "cli_locked": Text("{contestant} 已被总裁判长锁定{why}；未保存任何内容。请先请总裁判长解锁",
                       "{contestant} is locked by the head judge{why}; nothing was saved. Ask "
                       "the head judge to unlock it first"),
    "cli_why": Text("（{reason}）", " ({reason})"),
    "cli_saved": Text("已保存：{contestant} 第 {revision} 版（评分表 {sheet}，总分 {total}）；"
                      "{waiting} 份待发送",
                      "saved: {contestant} revision {revision} (sheet {sheet}, total {total}); "
                      "{waiting} waiting to be sent"),
    "cli_not_an_address": Text("{given} 不是地址；应为 主机:端口，例如 192.168.1.10:8765",
                               "{given} is not an address; expected HOST:PORT such as "
                               "192.168.1.10:8765"),
    "cli_enrol_stale": Text("绑定超时，或总裁判长刚发了新码。请再运行一次；"
                            "仍不行请向总裁判长索取新码。",
                            "The enrolment timed out, or the head judge just issued a new code. "
                            "Run it again; if it fails again, ask for a new code."),
    "cli_enrol_unreachable": Text("连不上主控机：{reason}。请检查 Wi-Fi 后再运行一次。",
                                  "Cannot reach the master: {reason}. Check the Wi-Fi and run "
                                  "it again."),
    "cli_code_typo": Text("{problem}；未发送任何内容", "{problem}; nothing was sent"),
    "cli_typo_bad_char": Text("第 {position} 个字符“{char}”不是数字：绑定码只有数字",
                              "character {position} (“{char}”) is not a digit: codes are "
                              "digits only"),
    "cli_typo_zero_start": Text("绑定码不以 0 开头：请对照卡片检查第一位",
                                "a code never starts with 0: check the first digit against "
                                "your card"),
    "cli_typo_too_long": Text("位数太多：绑定码只有 10 或 11 位，请对照卡片检查",
                              "too many digits: a code has 10 or 11; check it against your "
                              "card"),
    "cli_typo_typing": Text("位数太少：绑定码有 10 或 11 位，请对照卡片检查",
                            "too few digits: a code has 10 or 11; check it against your card"),
    "cli_typo_typo": Text("校验位不符：有数字输错或前后颠倒，请逐位对照卡片检查",
                          "typo: the check digit does not match; compare each digit with your "
                          "card"),
    "cli_no_network": Text("无法查找总裁判长的主控机：本机没有网络连接（没有 IPv4 地址）；"
                           "请连接赛场网络{instead}",
                           "cannot look for the head judge: this laptop has no network "
                           "connection (no IPv4 address); connect to the venue network"
                           "{instead}"),
    "cli_no_network_browse": Text("（或用 {option} 绑定）", " (or enrol with {option})"),
    "cli_no_network_enrol": Text("，或给出 {option}", ", or give {option}"),
    "cli_sent": Text("已发送 {sent} 份：{accepted} 份已接收，{duplicate} 份此前已在，"
                     "{rejected} 份被拒绝；{waiting} 份待发送；{notices} 条新通知",
                     "sent {sent}: {accepted} accepted, {duplicate} already there, {rejected} "
                     "rejected; {waiting} waiting; {notices} new notices"),
    "cli_warning": Text("注意：{problem}", "warning: {problem}"),
    "cli_rejected": Text("被拒绝：{contestant} 的评分表 {sheet}：{reason}（{code}）",
                         "rejected: sheet {sheet} for {contestant}: {reason} ({code})"),
    "cli_data_folder": Text("数据文件夹 {folder}", "data folder {folder}"),
    "cli_not_enrolled": Text("尚未绑定（终端 {device}）；请用总裁判长给的绑定码绑定",
                             "not enrolled (device {device}); enrol with the code from the "
                             "head judge"),
    "cli_judge_at": Text("评委 {judge}，赛事：{event}", "judge {judge} at {event}"),
    "cli_head_judge_at": Text("主控机 {address}，主控指纹 {fingerprint}",
                              "head judge {address}, fingerprint {fingerprint}"),
    "cli_device": Text("终端 {device}", "device {device}"),
    "cli_counts": Text("评分表 {sheets}，待发送 {outbox}，回执 {receipts}，被拒绝 {rejected}",
                       "sheets {sheets}, waiting to be sent {outbox}, receipts {receipts}, "
                       "rejected {rejected}"),
    "cli_last_receipt": Text("最近回执 {at}", "last receipt {at}"),
    "cli_none_yet": Text("尚无", "none yet"),
    "cli_stranded": Text("{n} 份此前绑定时的评分表无法发送",
                         "{n} sheets of an earlier enrolment cannot be sent"),
    "cli_event_changed": Text("自本机上次获知以来，总裁判长修改了赛事设置",
                              "the head judge changed the event since this laptop last heard "
                              "of it"),
    # the sync state, as `judge-terminal sync` prints it while it runs
    "cli_state_outbox": Text("待发送 {n}", "outbox {n}"),
    "cli_state_receipt": Text("最近回执 {at}", "last receipt {at}"),
    "cli_state_offset": Text("时钟偏差 {s} 秒", "clock offset {s} s"),
    "cli_state_event_changed": Text("总裁判长修改了赛事", "the head judge changed the event"),
    # notices, as `judge-terminal sync` prints them
    "cli_notice": Text("通知 {id}：{sentence}", "notice {id}: {sentence}"),
    "cli_because": Text("（原因：{reason}）", " (reason: {reason})"),
    "cli_about_flag": Text("（分歧 {flag}）", " (flag {flag})"),
    "cli_note": Text("：{note}", ": {note}"),
    "cli_whole_final": Text("整场比赛", "the whole final"),
    "cli_notice_event_changed": Text("总裁判长修改了赛事设置；新的评分表按新设置检查",
                                     "the head judge changed the event settings; new sheets "
                                     "are checked against them"),
    "cli_notice_review_request": Text("总裁判长请您复核对 {who} 的评分{flag}{note}；复核 {review}："
                                      "请确认原分或提交修改",
                                      "the head judge asks you to review your sheet for {who}"
                                      "{flag}{note}; review {review}: confirm it or submit a "
                                      "correction"),
    "cli_notice_review_closed": Text("{who} 的复核 {review} 无需再答复{because}",
                                     "review {review} for {who} needs no answer any more"
                                     "{because}"),
    "cli_notice_withdrawn": Text("总裁判长撤回了您对 {who} 的评分表{because}",
                                 "the head judge withdrew your sheet for {who}{because}"),
    "cli_notice_excused": Text("总裁判长准许您的席位对 {named} 免评{because}",
                               "the head judge excused your seat for {named}{because}"),
    "cli_notice_restored": Text("总裁判长恢复了您的席位对 {named} 的评分{because}",
                                "the head judge restored your seat for {named}{because}"),
    "cli_notice_lock": Text("{who} 已被总裁判长锁定{because}",
                            "{who} locked by the head judge{because}"),
    "cli_notice_unlock": Text("{who} 已被总裁判长解锁{because}",
                              "{who} unlocked by the head judge{because}"),
    "cli_notice_checkpoint": Text("总裁判长记录了账本检查点{because}",
                                  "the head judge recorded a checkpoint of the ledger{because}"),
    "cli_notice_on_stage": Text("{who} 在台上", "{who} is on stage"),
    "cli_notice_nobody_on_stage": Text("没有标记台上选手", "nobody is marked on stage"),
    "cli_notice_succession": Text("总裁判长指定了备用主控机，主控机出故障时由它接替",
                                  "the head judge named a standby master, the successor if "
                                  "the master fails"),
    "cli_notice_unknown": Text("{kind}（此版本不认识这种通知）",
                               "{kind} (this version does not know this kind of notice)"),
})


say = WORDS.say
"""The word or sentence `key` in `lang`, with `{name}` fields filled from `values`."""


class Sentence(Phrase):
    """One sentence of the terminal's words with its parameters; as a `str`, the English."""

    catalogue = WORDS


_DRAWS_ONLY: list[tuple[Event, bool]] = []
"""The last event asked about and whether it names contestants by draw number only."""


def draws_only(event: Event) -> bool:
    """Whether the master sent this terminal a blind final's draw numbers in place of names
    (identities not yet revealed, docs/blind.md): no contestant has an organisation, members
    or an instructor then."""
    if _DRAWS_ONLY and _DRAWS_ONLY[0][0] is event:
        return _DRAWS_ONLY[0][1]
    hidden = event.blind and not any(c.organisation or c.members or c.instructor
                                     for c in event.contestants)
    _DRAWS_ONLY[:] = [(event, hidden)]
    return hidden


def contestant_name(event: Event, contestant: Contestant, lang: str) -> str:
    """How the terminal names a contestant: `抽签号 07` while a blind final's identities are
    hidden (the name the master sent is the draw number), else the name."""
    return say("draw_number", lang, draw=contestant.name) if draws_only(event) \
        else contestant.name


REASONS: Final = ("why_sheet_withdrawn", "why_judge_excused")
"""The reasons the master sends as message ids (`reason_id`) that this terminal says in its
own words."""


def reason_of(payload: Mapping[str, object], lang: str) -> str:
    """The reason a notice gives, in `lang`: from its message id and parameters when the
    master sent one this terminal knows (`REASONS`), otherwise the text as sent (the
    master's English, from a master that sends no id)."""
    key, params = payload.get("reason_id"), payload.get("reason_params")
    if key in REASONS and isinstance(key, str) and isinstance(params, Mapping):
        values = {str(k): str(v) for k, v in params.items()}
        if fields(WORDS[key].get(lang)) <= set(values):
            return say(key, lang, **values)
    return str(payload.get("reason") or "").strip()


def pair(lang: str) -> tuple[str, str]:
    """The shown language first, the other second: for bilingual event names."""
    return (lang, other(lang))


_TOKEN = re.compile(r"\s+|[!-~]+|.")
"""Where a line may break: spaces, ASCII words, and between any two other characters."""
_NO_LINE_START = frozenset("，。、；：！？）」』】》”’")
"""Chinese punctuation that never starts a line."""


def fold(text: str, width: int) -> str:
    """`text` with line breaks so that no line is wider than `width` cells, breaking Chinese
    between any two characters (Textual breaks only at spaces: a long Chinese sentence after
    a short mark such as `x ` would start on a line of its own)."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(text):
        if token in _NO_LINE_START and cell_len(line + token) > width and len(line) > 1 \
                and not line[-1].isspace() and not line[-1].isascii():
            lines.append(line[:-1].rstrip())  # carry the character before it along
            line = line[-1]
        while cell_len(line + token) > width and width > 0:
            if line.strip():
                lines.append(line.rstrip())
                line, token = "", token.lstrip()
            else:  # a word wider than the line: cut it
                lines.append(token[:width])
                line, token = "", token[width:]
        line += token
    return "\n".join([*lines, line.rstrip()])
