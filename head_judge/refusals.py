"""Why the master will not do what the head judge asked, in both languages: one catalogue of
messages (`REFUSALS`, id -> `Text(zh, en)` templates) and `Message`, one message with its
parameters.

The core raises `ActionRefused(message_id, **params)` (or `MasterError`); the CLI prints
`str(exc)`, the English sentence; the console shows `exc.message.render(lang)`. A `Message`
is a `str` (its English sentence), so a list of blockers can be joined, logged or recorded in
the ledger as before, and rendered in Chinese where it is shown.

Parameters are filled per language: a `Message` is rendered in that language, a
`sync.event.Text` (a name from the event file) gives its name in it, a list is joined
(messages with `；`/`; `, anything else with `, `), anything else is `str()`.
"""

from __future__ import annotations

import re
from typing import Final

from sync.catalogue import Catalogue
from sync.event import Text
from sync.phrases import Phrase, fields

__all__ = ["RECORDED", "REFUSALS", "UNTRANSLATED", "Message", "fields", "message", "read_back",
           "recorded"]

UNTRANSLATED: Final = "untranslated"
"""The id given to a plain English sentence raised before its site had an id of its own (a
test fails while any raise site is like that)."""

REFUSALS = Catalogue("head_judge.refusals", {
    UNTRANSLATED: Text("{text}", "{text}"),
    # what was named does not exist
    "no_contestant": Text("本赛事没有选手 {contestant}", "there is no contestant {contestant} in "
                          "this final"),
    "no_judge": Text("评委组中没有 {judge}；评委组为 {panel}",
                     "there is no judge {judge} on the panel; the panel is {panel}"),
    "unknown_judges": Text("评委组中没有 {judges}；评委组为 {panel}",
                           "unknown judge(s) {judges}; the panel is {panel}"),
    "no_criterion": Text("没有评分项 {criterion}；评分项为 {rubric}",
                         "there is no criterion {criterion}; the rubric has {rubric}"),
    "no_scope": Text("没有排名 {scope}；排名为 {scopes}",
                     "there is no ranking {scope}; rankings are {scopes}"),
    "no_flag": Text("没有分歧 {flag}", "there is no flag {flag}"),
    "no_appeal": Text("没有申诉 {appeal}", "there is no appeal {appeal}"),
    "no_master_here": Text("{home} 中没有主控机（没有 {folder} 文件夹）；请检查 {option}，"
                           "或用 {command} 启动主控机",
                           "no head judge master in {home} (no {folder} folder); check {option}, "
                           "or start one with {command}"),
    "audit_no_master": Text("{home}：这里没有主控机（没有 {file}）",
                            "{home}: no head judge master here (no {file})"),
    "no_event_loaded": Text("{home}：这里还没有加载赛事；请给出赛事文件（或运行 {command}）",
                            "{home}: no event has been loaded here yet; give the event file "
                            "(or run {command})"),
    "standby_bad_address": Text("主控机地址 {given}：应为 主机:端口，例如 198.18.0.2:8765",
                                "--master {given}: expected HOST:PORT, e.g. 198.18.0.2:8765"),
    "standby_needs_code": Text("第一次运行需要备用机绑定码和主控机地址：{command}",
                               "the first run needs the standby's code and the master's "
                               "address: {command}"),
    "standby_already": Text("这里已是 {host}:{port} 的备用主控机；继续同步时不要再给绑定码",
                            "this home is already the standby of {host}:{port}; run it "
                            "without a code to carry on"),
    "standby_link_unreadable": Text("备用机设置无法读取：{error}",
                                    "the standby's settings cannot be read: {error}"),
    "standby_not_standby_code": Text("这个绑定码不是备用主控机席位的：请用 {command} 打印的绑定码",
                                     "the code is not the standby seat's: give the code "
                                     "printed by {command}"),
    "standby_mirror_answer": Text("镜像回答中没有条目和总数",
                                  "the mirror answer has no entries and size"),
    "file_cannot_be_read": Text("{path} 无法读取（{error}）", "{path} cannot be read ({error})"),
    "standby_enrol_failed": Text("无法登记为 {host}:{port} 的备用主控机：{error}",
                                 "could not enrol as the standby of {host}:{port}: {error}"),
    "standby_code_typo": Text("绑定码有误（{where}）：请对照打印的备用机绑定码逐位核对",
                              "the code has a typo ({where}): compare each digit with the "
                              "printed standby code"),
    "code_typo_check": Text("校验位不符", "the check digit does not match"),
    "code_typo_length": Text("位数不对", "wrong number of digits"),
    "code_typo_bad_char": Text("只能是数字", "digits only"),
    "code_typo_seat": Text("绑定码不会以 0 开头", "a code never starts with 0"),
    "standby_judge_code": Text("这是评委席位 {seat} 的绑定码，不是备用主控机的；备用机绑定码由 "
                               "{command} 打印，未发送任何内容",
                               "this is the code of judge seat {seat}, not the standby's (it "
                               "is printed by {command}); nothing was sent"),
    "standby_code_refused": Text("主控机不接受这个绑定码（错误、已用过或已过期）：请总裁判长用 "
                                 "{command} 重新打印备用机绑定码",
                                 "the master refused this code (wrong, used or expired): ask "
                                 "the head judge for a new standby code ({command})"),
    "standby_unreachable": Text("连接不上 {host}:{port} 的主控机：请检查地址和网络",
                                "cannot reach the master at {host}:{port}: check the address "
                                "and the network"),
    "standby_not_the_master": Text("{host}:{port} 不能证明它知道这个绑定码：它不是发出绑定码的"
                                   "主控机，什么都没有保存",
                                   "{host}:{port} could not prove it knows this code: it is "
                                   "not the master that issued it; nothing was kept"),
    "standby_enrolled": Text("已登记为 {host}:{port} 的备用主控机，开始同步记录",
                             "enrolled as the standby master of {host}:{port}; mirroring "
                             "the ledger"),
    "standby_mirror_caught_up": Text("备用机已同步：{held} 条记录",
                                     "standby in sync: {held} entries"),
    "standby_mirror_behind": Text("备用机同步中：{held}/{size} 条，落后 {n} 条 · {s} 秒",
                                  "standby mirroring: {held}/{size} entries, {n} entries, "
                                  "{s} s behind"),
    "mirror_unreachable": Text("主控机无应答；已保存 {held} 条记录，{s} 秒未同步",
                                "the master does not answer; {held} entries held, silent for "
                                "{s} s"),
    "mirror_refused": Text("主控机拒绝本机的同步请求（本备用机可能已被替换）；"
                           "已保存 {held} 条记录，{s} 秒未同步",
                            "the master refuses this standby's requests (it may have been "
                            "replaced); {held} entries held, silent for {s} s"),
    "mirror_not_the_ledger": Text("收到的记录未通过校验，未保存；"
                                  "已保存 {held} 条记录，{s} 秒未同步，继续重试",
                                   "what the master sent did not verify and was not stored; "
                                   "{held} entries held, silent for {s} s; trying again"),
    "promote_not_standby": Text("{home} 不是备用主控机（没有用 {command} 登记过）",
                                "{home} is not a standby master (never enrolled with "
                                "{command})"),
    "promote_already": Text("这台备用主控机已经接管过了", "this standby has already taken over"),
    "promote_not_named": Text("主控机从未把本机指定为继任主控机：登记后至少要同步一次",
                              "the master never named this laptop its successor: it must "
                              "mirror at least once after enrolling"),
    "promote_master_alive": Text("主控机 {host}:{port} 仍在应答；现在接管会出现两台主控机。"
                                 "确认它已失效后再接管，或加 {force} 强制接管",
                                 "the master at {host}:{port} still answers; taking over now "
                                 "would make two masters. Take over once it is gone, or give "
                                 "{force}"),
    "promote_done": Text("已接管：本机现在是主控机，从第 {entry} 条记录起用本机密钥签名",
                         "taken over: this laptop is the master now, signing with its own "
                         "key from entry {entry} on"),
    "promote_all_mirrored": Text("主控机最后一次应答（{at}）时的 {size} 条记录全部已同步",
                                 "all {size} entries the master held at its last answer "
                                 "({at}) were mirrored"),
    "promote_lost": Text("主控机最后一次应答（{at}）时有 {size} 条记录，只同步了 {mirrored} 条：第 "
                         "{first}–{size} 条未同步。评委的评分表会从评委终端重新发送；总裁判长"
                         "在 {at} 之后的操作请核对并重做",
                         "the master held {size} entries at its last answer ({at}); "
                         "{mirrored} were mirrored: entries {first}-{size} were not. Judges' "
                         "sheets come again from their terminals; check and redo the head "
                         "judge's acts after {at}"),
    "promote_unknown_size": Text("主控机从未应答过本机的同步请求：已同步 {mirrored} 条",
                                 "the master never answered this standby: {mirrored} entries "
                                 "mirrored"),
    "promote_serving": Text("正在运行的备用机进程会在 1 秒内开始服务；"
                            "若它没有运行，请运行 {command}",
                            "the running standby process starts serving within a second; if "
                            "none is running, run {command}"),
    "standby_serving": Text("本机已接管，作为主控机在端口 {port} 服务",
                            "this laptop has taken over: serving as the master on port "
                            "{port}"),
    "standby_no_seat": Text("评委组已占满全部 {seats} 个席位，没有留给备用主控机的席位",
                            "the panel takes all {seats} seats: none is left for the standby "
                            "master"),
    "master_damaged": Text("{path} 已损坏，无法读取（{error}）；主控机不会在它上面重建。"
                           "有备用主控机时在备用机上运行 {promote} 接管；没有时用 {command} "
                           "从评委终端重建到一个新的空数据文件夹。原文件请保留作为证据",
                           "{path} is damaged and cannot be read ({error}); the master will "
                           "not be recreated over it. With a standby master, take over on it "
                           "with {promote}; without one, rebuild from the judges' terminals "
                           "into a new, empty data folder with {command}. Keep this file as "
                           "evidence"),
    "master_empty_file": Text("文件为空，0 字节", "the file is empty: 0 bytes"),
    "master_not_sqlite": Text("不是数据库文件", "it is not an SQLite database file"),
    "ledger_altered": Text("{problem}：账本被改动过，主控机不在上面继续；"
                           "请运行 {command} 查看全部问题",
                           "{problem}: the ledger was altered and the master does not go on "
                           "with it; run {command} to see everything wrong"),
    "ledger_unknown_kind": Text("账本第 {seq} 条的类别 {kind} 本版本不认识"
                                "（可能由更新版本的主控写入）",
                                "entry {seq}: no projection knows the kind {kind}"),
    "master_event_unreadable": Text("{path}：记录中的赛事无法读取：{error}",
                                    "{path}: the recorded event cannot be read: {error}"),
    "master_no_event": Text("还没有加载赛事", "no event loaded"),
    "cannot_listen": Text("无法在 {host}:{port} 上监听：{error}",
                          "cannot listen on {host}:{port}: {error}"),
    # `head-judge rebuild` (recovery from the judges' terminals)
    "rebuild_no_store": Text("{path}：这里没有评委终端的数据（应为 {file} 或其所在文件夹）",
                             "{path}: no judge terminal store there (expected {file} or its "
                             "folder)"),
    "rebuild_unreadable": Text("{path}：数据库文件无法读取（{error}）",
                               "{path}: SQLite cannot read it ({error})"),
    "rebuild_not_store": Text("{path}：不是评委终端的数据（{error}）",
                              "{path}: not a judge terminal store ({error})"),
    "rebuild_damaged": Text("{path}：评委终端的数据已损坏（{error}）",
                            "{path}: the store is damaged ({error})"),
    "rebuild_not_empty": Text("{home}：这里已有主控；请重建到空的 {option} 文件夹",
                              "{home}: already holds a master; rebuild into an empty {option}"),
    "rebuild_is_file": Text("{home}：这是文件，不是文件夹", "{home}: is a file, not a folder"),
    "rebuild_no_stores": Text("请至少给出一份评委终端的数据（{option}）",
                              "name at least one terminal store ({option})"),
    # reading a printed PDF's pages (`page_reading`)
    "page_tool_missing": Text("读取 PDF 的页面需要 {tool}（{package}）",
                              "reading a PDF's pages needs {tool} ({package})"),
    "page_tool_failed": Text("{tool} 无法读取这个 PDF：{error}",
                             "{tool} cannot read the PDF: {error}"),
    "page_bad_picture": Text("{tool} 生成的图片格式不对", "{tool} wrote an unexpected picture"),
    # a signed checkpoint's shape (`checkpoints.read_checkpoint`)
    "cp_not_one": Text("不是第 {version} 版的检查点", "not a version {version} checkpoint"),
    "cp_size": Text("检查点的 {field} 必须是从 0 起的整数",
                    "checkpoint {field} must be a whole number from 0"),
    "cp_root": Text("检查点的 {field} 必须是 64 位小写十六进制数字",
                    "checkpoint {field} must be 64 lower-case hex digits"),
    "cp_text": Text("检查点的 {event} 和 {at} 必须是文字",
                    "checkpoint {event} and {at} must be text"),
    # `head-judge audit`
    "audit_key_unreadable": Text("{home}：主控密钥无法读取（{error}）",
                                 "{home}: the master's key cannot be read ({error})"),
    "audit_unreadable": Text("{path}：数据库文件无法读取（{error}）；请运行 {command}",
                             "{path}: SQLite cannot read it ({error}); run {command}"),
    # text the head judge must type
    "text_required": Text("请填写{what}", "{what} is required"),
    "text_too_long": Text("{what}超过 {max} 个字符", "{what} is longer than {max} characters"),
    "what_reason": Text("原因", "the reason"),
    "what_review_note": Text("给评委的说明", "a note for the judge"),
    "what_accept_note": Text("接受分歧的说明", "a note saying why the flag is accepted"),
    "what_accept_all_note": Text("接受这些分歧的说明", "a note saying why the flags are accepted"),
    "what_override_reason": Text("改分原因", "a reason for the override"),
    "what_withdraw_reason": Text("撤销原因", "a reason for the withdrawal"),
    "what_excuse_reason": Text("评委回避/缺席的原因", "a reason for excusing the judge"),
    "what_restore_reason": Text("恢复评委的原因", "a reason for restoring the judge"),
    "what_force_reason": Text("强制锁定的原因", "a reason for a forced lock"),
    "what_unlock_reason": Text("解锁原因", "a reason for unlocking"),
    "what_reimport_reason": Text("修改已导入值的原因（{changes}）",
                                 "a reason for changing imported values ({changes})"),
    "what_tie_reason": Text("裁决并列的原因", "a reason for the tie decision"),
    "what_republish_reason": Text("再次发布的原因", "a reason for publishing again"),
    "what_appeal_ground": Text("申诉理由", "the ground of the appeal"),
    "what_appeal_filer": Text("申诉人", "who files the appeal"),
    "what_decision_reason": Text("裁决原因", "a reason for the decision"),
    "what_committee_member": Text("仲裁委员会委员的姓名", "a committee member's name"),
    # who scores whom
    "recused": Text("{judge} 不为 {contestant} 评分（同单位或已申报回避）",
                    "{judge} does not score {contestant} (same organisation or a declared "
                    "conflict)"),
    "no_sheet": Text("{judge} 尚未提交 {contestant} 的评分表",
                     "{judge} has not sent a sheet for {contestant}"),
    "sheet_withdrawn": Text("{judge} 对 {contestant} 的评分表已撤销",
                            "{judge}'s sheet for {contestant} was withdrawn"),
    "already_withdrawn": Text("{judge} 对 {contestant} 的评分表已经撤销",
                              "{judge}'s sheet for {contestant} is already withdrawn"),
    # locks
    "locked": Text("{contestant} 已锁定；请先解锁再{doing}",
                   "{contestant} is locked; unlock it first to {doing}"),
    "locked_because": Text("{contestant} 已锁定（{reason}）；请先解锁再{doing}",
                           "{contestant} is locked ({reason}); unlock it first to {doing}"),
    "doing_review": Text("请求复核", "ask for a review"),
    "doing_override": Text("改分", "override a value"),
    "doing_withdraw": Text("撤销评分表", "withdraw a sheet"),
    "already_locked": Text("{contestant} 已经锁定", "{contestant} is already locked"),
    "not_locked": Text("{contestant} 没有锁定", "{contestant} is not locked"),
    "cannot_lock": Text("不能锁定 {contestant}：{blockers}（请先处理，或填写原因强制锁定）",
                        "cannot lock {contestant}: {blockers} (resolve these, or force the "
                        "lock with a reason)"),
    "cannot_lock_plain": Text("不能锁定 {contestant}：{blockers}",
                              "cannot lock {contestant}: {blockers}"),
    "none_ready_to_lock": Text("没有可以锁定的选手：都已锁定，或缺评分表，或有未处理的分歧或复核",
                               "no contestant is ready to lock: every one is locked already, "
                               "or has missing sheets or open flags or reviews"),
    "name_contestants_to_lock": Text("请指定要锁定的选手", "name the contestants to lock"),
    # excused seats
    "name_excused_contestants": Text("请至少指定一名选手；不指定则为整场比赛",
                                     "name at least one contestant, or none for the whole "
                                     "final"),
    "excused_whole_final": Text("{judge} 已在整场比赛中回避/缺席",
                                "{judge} is already excused for the whole final"),
    "already_excused_for": Text("{judge} 已对 {contestants} 回避/缺席",
                                "{judge} is already excused for {contestants}"),
    "excuse_locked": Text("{contestants} 已锁定且 {judge} 对其的评分表计入成绩；请先解锁，"
                          "或只对其他选手免去 {judge}",
                          "{contestants} locked and {judge}'s sheets for them count; unlock "
                          "first, or excuse {judge} for other contestants only"),
    "excuse_alone": Text("免去 {judge} 后 {contestants} 将没有任何评委",
                         "excusing {judge} would leave {contestants} with no judge on the "
                         "panel"),
    "not_excused": Text("{judge} 没有被免去", "{judge} is not excused"),
    "restore_whole_seat": Text("{judge} 在整场比赛中被免去；请恢复整个席位（不指定选手）",
                               "{judge} is excused for the whole final; restore the whole "
                               "seat (name no contestant)"),
    "not_excused_for": Text("{judge} 没有对 {contestants} 被免去",
                            "{judge} is not excused for {contestants}"),
    "restore_locked": Text("{contestants} 已锁定；请先解锁再为其恢复 {judge}",
                           "{contestants} locked; unlock first to restore {judge} for them"),
    "open_flags_changed": Text("{contestant} 的未处理分歧已变化：现为 {now}（原为 {was}）；"
                               "请重新查看",
                               "the open flags of {contestant} changed: now {now} (was {was}); "
                               "look at them again"),
    # what blocks a lock or a publication
    "blocker_no_sheet": Text("尚缺 {judges} 的评分表", "no sheet yet from {judges}"),
    "blocker_flag": Text("分歧 {flag} 未处理：{description}", "flag {flag} is open: {description}"),
    "flag_criterion_spread": Text(
        "{contestant}：{criterion}单项极差 {diff} > {limit}，最低 {low}，最高 {high}（{values}）",
        "{contestant}: {criterion} spread {diff} > {limit}, lowest {low}, highest {high} "
        "({values})"),
    "flag_total_spread": Text(
        "{contestant}：总分极差 {diff} > {limit}，最低 {low}，最高 {high}（{values}）",
        "{contestant}: total spread {diff} > {limit}, lowest {low}, highest {high} ({values})"),
    "flag_outlier": Text(
        "{contestant}：{judge} 与全体评委中位数相差 {diff} > {limit}（{values}）",
        "{contestant}: {judge} differs from the panel's median by {diff} > {limit} ({values})"),
    "blocker_review": Text("{judge} 的复核 {review} 尚未答复",
                           "review {review} of {judge}'s sheet is open"),
    "blocker_not_locked": Text("未锁定：{contestants}", "not locked: {contestants}"),
    "blocker_missing_sheets": Text("{contestant}：尚缺 {judges} 的评分表",
                                   "{contestant}: no sheet yet from {judges}"),
    "blocker_missing_component": Text("{contestant}：缺少成绩项 {component}",
                                      "{contestant}: no value for component {component}"),
    "blocker_tie_prize": Text("{contestants} 比较全部规则后仍并列，且跨越奖项分界：需裁决并列",
                              "{contestants} tie after every tie-break across a prize "
                              "boundary: decide the tie"),
    "blocker_tie_advancement": Text("{contestants} 比较全部规则后仍并列，且跨越晋级名额："
                                    "需裁决并列",
                                    "{contestants} tie after every tie-break across the "
                                    "advancement places: decide the tie"),
    "blocker_tie_honour": Text("{contestants} 比较全部规则后仍并列，且跨越荣誉名额：需裁决并列",
                               "{contestants} tie after every tie-break across the last "
                               "place of an honour: decide the tie"),
    "blocker_tie_organisation": Text("{contestants} 得分相同，跨越单位奖的获奖名额：需裁决并列",
                                     "{contestants} tie across the last place of an "
                                     "organisation award: decide the tie (decide-tie … "
                                     "--award)"),
    "cli_tie_needs_track_or_award": Text("请给出赛道选项（某一排名中的并列）或单位奖选项（单位奖中"
                                         "单位之间的并列），二者取一",
                                         "give --track (a tie in a ranking) or --award (a tie "
                                         "between organisations for an organisation award), "
                                         "one of them"),
    "no_organisation_award": Text("没有单位奖 {award}；可选：{awards}",
                                  "no organisation award {award}; the awards are: {awards}"),
    "blocker_nobody_ranked": Text("此排名还没有人有完整成绩",
                                  "nobody is ranked in this scope yet"),
    # discrepancies and reviews
    "flag_not_open": Text("分歧 {flag} {status}，不是未处理状态",
                          "flag {flag} is {status}, not open"),
    "flag_other_contestant": Text("分歧 {flag} 是关于 {contestant} 的，不是 {named}",
                                  "flag {flag} is about {contestant}, not {named}"),
    "status_accepted": Text("已接受", "accepted"),
    "status_cleared": Text("已消除", "cleared"),
    "status_open": Text("未处理", "open"),
    "review_status_open": Text("待答复", "open"),
    "review_status_confirmed": Text("确认原分", "confirmed"),
    "review_status_answered": Text("已修改", "answered"),
    "review_status_closed": Text("已关闭", "closed"),
    "review_needs_subject": Text("请指定要复核的分歧或选手",
                                 "name the flag or the contestant to review"),
    "review_still_open": Text("{judge} 对 {contestant} 评分表的复核 {review} 尚未答复",
                              "review {review} of {judge}'s sheet for {contestant} is still "
                              "open"),
    "no_open_flags": Text("{contestant} 没有未处理的分歧", "{contestant} has no open flag to "
                          "accept"),
    # values
    "not_a_score": Text("{value} 不是有效分值", "{value} is not a score"),
    "value_out_of_range": Text("{criterion}：{value} 超出 0–{max}",
                               "{criterion}: {value} is outside 0–{max}"),
    "value_off_step": Text("{criterion}：{value} 不是步长 {step} 的整数倍",
                           "{criterion}: {value} is not a multiple of the step {step}"),
    "value_unchanged": Text("{judge} 对 {contestant} 的 {criterion} 已经是 {value}",
                            "{judge}'s {criterion} for {contestant} is already {value}"),
    # imported components
    "file_problems": Text("文件有误：\n{problems}", "{problems}"),
    "file_unreadable": Text("{path}：无法读取文件（{error}）",
                            "{path}: cannot read the file: {error}"),
    "file_changed": Text("{path}：读取时文件被修改，请重试",
                         "{path}: the file changed while it was read; try again"),
    "import_changes_nothing": Text("{file} 没有带来任何变化：每个值都与已记录的 {component} "
                                   "相同",
                                   "{file} changes nothing: every value in it equals the "
                                   "{component} value already recorded"),
    "cannot_import": Text("不能导入 {file}：{blockers}", "cannot import {file}: {blockers}"),
    "import_locked": Text("{contestant} 已锁定；请先解锁再修改其 {component} 值（{old} → {new}）",
                          "{contestant} is locked; unlock it first to change its {component} "
                          "value ({old} → {new})"),
    "import_locked_because": Text("{contestant} 已锁定（{reason}）；请先解锁再修改其 {component} "
                                  "值（{old} → {new}）",
                                  "{contestant} is locked ({reason}); unlock it first to change "
                                  "its {component} value ({old} → {new})"),
    # ties
    "tie_kind": Text("并列裁决方式只能是“按顺序”或“共享”，不是 {kind}",
                     "a tie decision is `order` or `shared`, not {kind}"),
    "tie_order": Text("按顺序裁决需把每位并列选手列出一次：{contestants}",
                      "an `order` decision lists each tied contestant once: {contestants}"),
    "tie_shared_order": Text("“共享”裁决不需要顺序", "a `shared` decision has no order"),
    "no_such_tie": Text("{scope} 中 {contestants} 之间没有待裁决的并列（那里待裁决的并列：{ties}）",
                        "there is no unresolved tie among exactly {contestants} in {scope} "
                        "(unresolved ties there: {ties})"),
    "none": Text("无", "none"),
    "tie_not_settled": Text("只对这些选手作出的裁决不能解决此并列",
                            "a decision on exactly these contestants does not settle this tie"),
    # publishing
    "cannot_publish": Text("不能发布 {scope}：{blockers}", "cannot publish {scope}: {blockers}"),
    "publish_open_appeals": Text("{scope} 还有未裁决的申诉：{appeals}。仍要发布，请写明原因",
                                 "{scope} has appeals still open: {appeals}. To publish "
                                 "anyway, give a reason"),
    "already_published": Text("{scope} 第 {version} 版已经发布了完全相同的结果",
                              "version {version} of {scope} already publishes exactly these "
                              "results"),
    "nothing_published": Text("尚未发布任何结果", "nothing has been published yet"),
    "no_such_published": Text("没有这样的已发布结果", "no such published results"),
    "no_such_version": Text("{scope} 没有第 {versions} 版；已发布的版本：{known}",
                            "{scope} has no version {versions}; published versions: {known}"),
    "print_needs_out": Text("打印需要给出输出文件夹 {option}", "printing needs {option}"),
    "print_reprint_needs_outdated": Text("{reprint} 只能与 {outdated} 一起使用",
                                         "{reprint} goes with {outdated}"),
    "print_outdated": Text("{n} 份已打印的表与当前记录不符（需重新打印）",
                           "{n} printed sheet(s) no longer match the record (reprint them)"),
    "cli_diff_needs_track": Text("比较两个版本需要同时给出 --track", "--diff needs --track"),
    "diff_nothing": Text("两版结果相同", "the two versions give the same results"),
    "cli_version_needs_track": Text("--version 需要同时给出 --track", "--version needs --track"),
    "cli_published_options": Text("--track、--group 和 --version 需与 --published 一起使用",
                                  "--track, --group and --version go with --published"),
    # appeals
    "appeal_decided": Text("申诉 {appeal} 已裁决：{status}（{reason}）",
                           "appeal {appeal} was already decided: {status} ({reason})"),
    "appeal_outcome": Text("申诉的结论只能是支持或驳回，不是 {outcome}",
                           "an appeal is upheld or rejected, not {outcome}"),
    "outcome_upheld": Text("支持", "upheld"),
    "outcome_rejected": Text("驳回", "rejected"),
    "outcome_withdrawn": Text("撤回", "withdrawn"),
    "what_appeal_withdraw_reason": Text("撤回申诉的原因", "the reason the appeal is withdrawn"),
    "correction_empty": Text("请至少给出一个修改后的分值或一位退出的评委",
                             "propose at least one corrected value or withdrawn judge"),
    "cli_no_appeals": Text("没有申诉", "no appeals"),
    "cli_appeal_filed": Text("申诉 {appeal} 已受理（{contestant}）",
                             "appeal {appeal} filed for {contestant}"),
    "cli_appeal_ended": Text("申诉 {appeal}：{status}", "appeal {appeal} {status}"),
    "cli_evidence_kept": Text("证据 {name} 已保存（{size} 字节，SHA-256 {sha}…）",
                              "evidence {name} kept ({size} bytes, SHA-256 {sha}…)"),
    "cli_reply_recorded": Text("{contestant} 对申诉 {appeal} 的答辩已记录",
                               "{contestant}'s reply to appeal {appeal} recorded"),
    "cli_vote_recorded": Text("{member} 对申诉 {appeal} 的投票已记录：{vote}",
                              "{member}'s vote on appeal {appeal} recorded: {vote}"),
    "cli_vote_recorded_conflict": Text(
        "{member} 就申诉 {appeal} 声明回避，已记录（{vote}，不计票）",
        "{member} declared a conflict on appeal {appeal}: recorded ({vote}), not counted"),
    "cli_publish_next": Text("改正已记录并重新锁定；请发布新版本：{command}",
                             "the correction is recorded and locked again; publish the new "
                             "version: {command}"),
    "cli_no_window": Text("赛事文件没有设定申诉时限，成绩不分暂定与正式",
                          "the event file sets no appeal window: results are not marked "
                          "provisional or official"),
    "cli_official_made": Text("{scope} 第 {version} 版现为正式成绩",
                              "{scope} version {version} is now official"),
    "cli_state_official": Text("{scope} 第 {version} 版：正式成绩",
                               "{scope} version {version}: official"),
    "cli_state_provisional": Text("{scope} 第 {version} 版：暂定成绩，申诉截止 {closes}",
                                  "{scope} version {version}: provisional, appeals close at "
                                  "{closes}"),
    "state_provisional": Text("暂定（申诉截止 {closes}）", "provisional (appeals close {closes})"),
    "state_official": Text("正式", "official"),
    "state_superseded": Text("已被新版本取代", "superseded"),
    "why_appeals_upheld": Text("申诉 {appeals} 成立", "appeal {appeals} upheld"),
    "appeal_category": Text("申诉类别只能是 {categories} 之一，不是 {category}",
                            "an appeal's category is one of {categories}, not {category}"),
    "appeal_judgement_refused": Text(
        "本赛事不受理针对评委评判本身的申诉（评判属评委职权）；计分、程序、资格问题可以申诉",
        "this event does not hear appeals against the judges' evaluation itself (category "
        "judgement); appeals about calculation, procedure or eligibility are heard"),
    "appeal_window_closed": Text(
        "{scope} 的申诉时限已于 {closed} 截止；{contestant} 的申诉只能作为逾期申诉，用 "
        "{option} 写明原因后受理",
        "the appeal window of {scope} closed at {closed}; an appeal for {contestant} is "
        "accepted late only with a reason ({option})"),
    "what_late_reason": Text("逾期受理的原因", "a reason the late appeal is accepted"),
    "evidence_unreadable": Text("证据文件 {file} 无法读取：{reason}",
                                "cannot read the evidence file {file}: {reason}"),
    "reply_not_affected": Text(
        "{contestant} 不是申诉 {appeal} 可能影响的选手（申诉针对 {about}，答辩人须是同一排名的"
        "其他选手）",
        "{contestant} is not a contestant appeal {appeal} may affect (it is about {about}; a "
        "reply comes from another contestant of the same ranking)"),
    "what_appeal_reply": Text("答辩内容", "the reply"),
    "no_committee": Text("赛事文件没有列出仲裁委员会委员，无法投票",
                         "the event file names no appeals committee, so nobody can vote"),
    "not_a_member": Text("{member} 不是仲裁委员会委员；委员为 {committee}",
                         "{member} is not a member of the appeals committee; its members are "
                         "{committee}"),
    "vote_choice": Text("投票只能是支持、驳回或弃权，不是 {vote}",
                        "a vote is upheld, rejected or abstain, not {vote}"),
    "already_voted": Text("{member} 已对申诉 {appeal} 投票：{vote}",
                          "{member} has already voted on appeal {appeal}: {vote}"),
    "vote_upheld": Text("支持", "upheld"),
    "vote_rejected": Text("驳回", "rejected"),
    "vote_abstain": Text("弃权", "abstain"),
    "appeal_no_quorum": Text("申诉 {appeal} 未达法定人数：已计 {counted} 票，需要 {needed} 票",
                             "appeal {appeal} has no quorum: {counted} votes counted, "
                             "{needed} needed"),
    "appeal_against_votes": Text(
        "申诉 {appeal} 的投票结果不是{outcome}：支持 {upheld}、驳回 {rejected}、弃权 {abstained}",
        "the votes on appeal {appeal} do not decide it {outcome}: {upheld} upheld, "
        "{rejected} rejected, {abstained} abstained"),
    "committee_from_votes": Text(
        "申诉 {appeal} 已有委员投票，裁决的委员即投票的委员，不能另行指定",
        "the committee has voted on appeal {appeal}: the decision names those who voted, not "
        "other names"),
    "upheld_needs_correction": Text(
        "支持申诉 {appeal} 须同时给出改正：修改的分值或退出的评委",
        "upholding appeal {appeal} needs its correction: a corrected value or a withdrawn "
        "judge"),
    "rejected_with_correction": Text(
        "驳回申诉 {appeal} 不改动任何分数，请勿给出改正",
        "rejecting appeal {appeal} changes no score: give no correction"),
    "override_despite_appeal": Text(
        "{contestant} 的申诉 {appeal} 已被驳回（{reason}）；仍要改分，请另写明理由",
        "appeal {appeal} about {contestant} was rejected ({reason}); an override of its "
        "scores needs its own reason (despite the appeal)"),
    "what_despite_appeal_reason": Text("不顾驳回仍改分的理由",
                                       "a reason to override despite the rejected appeal"),
    # printing
    "print_kind_unknown": Text("没有表的种类 {kinds}；种类为 {known}",
                               "there is no sheet kind {kinds}; kinds are {known}"),
    "print_no_kind": Text("请至少选择一种要打印的表", "choose at least one kind of sheet to print"),
    "print_no_subject": Text("没有关于 {missing} 的{kinds}（可选：{choices}）",
                             "no {kinds} sheet is about {missing} (subjects are {choices})"),
    "print_nothing": Text("没有可打印的内容：还没有{kinds}",
                          "nothing to print: there is no {kinds} sheet yet"),
    "sheet_about": Text("{sheet} {subject}", "{sheet} {subject}"),
    "sheet_judge": Text("评委评分表", "judge sheet"),
    "sheet_form": Text("纸质评分表", "paper form"),
    "sheet_contestant": Text("选手成绩表", "contestant sheet"),
    "sheet_results": Text("结果公示表", "results sheet"),
    "sheet_discrepancy": Text("分歧与改分报告", "discrepancy report"),
    "sheet_appeal": Text("申诉卷宗", "appeal dossier"),
    "sheet_enrolment": Text("绑定卡", "enrolment card"),
    "print_no_sheet": Text("没有{sheet}", "there is no {sheet}"),
    "print_folder": Text("{folder}：无法在此写入 PDF（{error}）",
                         "{folder}: cannot write the PDFs there ({error})"),
    "print_naive_time": Text("打印时间必须带时区", "the printing time must carry its time zone"),
    # `head-judge verify`: the verdict on one sheet, line by line
    "verify_unknown": Text("本主控机没有打印过带这个表单码的表",
                           "no sheet with this code was printed by this master"),
    "verify_code": Text("  表单码 {code}", "  sheet code {code}"),
    "verify_sheet": Text("表", "sheet"),
    "verify_file_unreadable": Text("{path}：{error}", "{path}: {error}"),
    "verify_nothing_given": Text("请给出表单码、二维码的文字或 PDF 文件",
                                 "give a sheet code, the QR code's text or a PDF file"),
    "verify_cannot_read": Text("{path}：无法读取文件（{error}）",
                               "{path}: cannot read the file ({error})"),
    "verify_not_pdf": Text("{path}：不是 PDF 文件", "{path}: not a PDF file"),
    "verify_no_qr": Text("{path}：其中找不到表单二维码；请改为输入二维码旁印的表单码",
                         "{path}: no sheet QR code found in it; type the sheet code printed "
                         "beside the QR code instead"),
    "verify_needs_zxing": Text("{path}：文件元数据中没有表单内容（是扫描件？），读取其二维码需要 "
                               "{packages}；请改为输入表单码",
                               "{path}: the file holds no sheet payload in its metadata (a "
                               "scan?), and reading its QR code needs the {packages} packages; "
                               "type the sheet code instead"),
    "verify_needs_pdftoppm": Text("{path}：文件元数据中没有表单内容（是扫描件？），渲染其页面需要 "
                                  "{tool}；请改为输入表单码",
                                  "{path}: the file holds no sheet payload in its metadata (a "
                                  "scan?), and rendering its pages needs {tool}; type the sheet "
                                  "code instead"),
    "verify_pdftoppm_failed": Text("{path}：{tool} 无法读取：{error}",
                                   "{path}: {tool} cannot read it: {error}"),
    "verify_not_a_sheet_file": Text("{path}：既不是 PDF 也不是图片；应为打印的表单 PDF、"
                                    "其扫描件或照片（{formats}）、表单码或二维码文字",
                                    "{path}: neither a PDF nor an image; expected a printed "
                                    "sheet's PDF, a scan or photo of it ({formats}), its sheet "
                                    "code or its QR text"),
    "verify_image_unreadable": Text("{path}：无法读取图片（{error}）",
                                    "{path}: cannot read the image ({error})"),
    "verify_bad_code": Text("表单码 {text}：{error}", "sheet code {text}: {error}"),
    "verify_qr_not_signed": Text("检查点不是本总裁判长的密钥签名的",
                                 "the checkpoint is not signed by this head judge's key"),
    "verify_qr_code_mismatch": Text("表单码 {code} 与摘要和检查点不符（应为 {expected}）",
                                    "the code {code} does not match the digest and checkpoint "
                                    "(expected {expected})"),
    # a typed sheet code that does not parse (`sync.codes.decode_groups` says it in English;
    # `verification` reads it back)
    "sheet_code_char": Text("{char}（第 {n} 个字符）不是表单码的字符；表单码只用 A-Z 和 2-7",
                            "{char} (character {n}) is not used in these codes; they use A-Z "
                            "and 2-7"),
    "sheet_code_length_block": Text("应为 {want} 个字符，实际 {got} 个；"
                                    "第 {i} 组（{block}）有 {n} 个",
                                    "expected {want} characters, got {got}; block {i} "
                                    "({block}) has {n}"),
    "sheet_code_length": Text("应为 {want} 个字符，实际 {got} 个",
                              "expected {want} characters, got {got}"),
    "sheet_code_block_typo": Text("第 {first}-{last} 组有输错（第 {start}-{end} 个字符）："
                                  "校验字符不符",
                                  "typo in blocks {first}-{last} (characters {start}-{end}): "
                                  "the check character does not match"),
    "sheet_code_padding": Text("不是这种表单码：填充字符不为零",
                               "not a code of this kind: padding characters are not zero"),
    "verify_bad_qr": Text("不是可读的表单二维码：{error}",
                          "not a readable sheet QR code: {error}"),
    "verify_refused": Text("拒绝：{problems}", "REFUSED: {problems}"),
    "verify_refused_about": Text("  {what}{code}", "  {what}{code}"),
    "verify_with_code": Text("，表单码 {code}", ", sheet code {code}"),
    "verify_about": Text("  {what}，表单码 {code}，打印于 {at}（账本第 {entry} 条）",
                         "  {what}, sheet code {code}, printed {at} (ledger entry {entry})"),
    "verify_broken": Text("不完整：记录已不能证明这张表",
                          "NOT INTACT: the record no longer proves this sheet"),
    "verify_proof": Text("  检查点由本总裁判长签名；其默克尔根与账本第 1-{size} 条相符",
                         "  checkpoint signed by this head judge; its Merkle root matches "
                         "ledger entries 1-{size}"),
    "verify_matches": Text("相符：与账本位置 {size} 时的记录一致",
                           "MATCHES the record as of ledger position {size}"),
    "verify_altered": Text("页面不同：与记录打印的这张表不一致：",
                           "PAGE DIFFERS from the record's print of this sheet:"),
    "verify_record_unchanged": Text("  记录本身自打印以来没有改变",
                                    "  the record itself is unchanged since printing"),
    "verify_changed": Text("打印后已改变：", "CHANGED since printing:"),
    "verify_item": Text("  - {item}", "  - {item}"),
    "verify_note": Text("  {note}", "  {note}"),
    "verify_printed_at": Text("  打印于账本位置 {size}；记录现有 {now} 条",
                              "  printed at ledger position {size}; the record now holds "
                              "{now} entries"),
    "verify_pages_same": Text("  文件每一页的文字都与记录打印的这张表相同",
                              "  the text on every page of the file is the record's print of "
                              "the sheet"),
    "verify_pages_differ": Text("  文件的页面与记录打印的这张表不同：",
                                "  the file's pages differ from the record's print of the "
                                "sheet:"),
    "verify_figures": Text("  纸面上必须显示（按当时打印的内容）：",
                           "  the paper must show (as printed at that position):"),
    "verify_figure": Text("    {figure}", "    {figure}"),
    "verify_change": Text("{change}", "{change}"),
    "verify_other_final": Text("这张表属于赛事 {given}；本主控机运行的是 {event}",
                               "the sheet is from the final {given}; this master runs {event}"),
    "verify_not_the_print": Text("账本第 {entry} 条不是这张表的打印记录",
                                 "ledger entry {entry} is not the print of this sheet"),
    "verify_subject_gone": Text("记录中已没有{what}（其对象已不存在）",
                                "the record no longer has the {what} (its subject is gone)"),
    "verify_layout_differs": Text("表的内容在版面数据上与记录不同",
                                  "the sheet's content differs from the record in its layout "
                                  "data"),
    "verify_bad_print_entry": Text("打印记录的账本条目形状不对",
                                   "the print's ledger entry is not of the `sheet_printed` "
                                   "shape"),
    "verify_digest_changed": Text("这次打印记录的内容算不出其摘要（账本条目被改动过）",
                                  "the content recorded for this print does not give its "
                                  "digest (the ledger entry was changed)"),
    "verify_no_checkpoint": Text("账本第 {entry} 条不是打印这张表时的检查点",
                                 "ledger entry {entry} is not the checkpoint the sheet was "
                                 "printed at"),
    "verify_checkpoint_unreadable": Text("账本第 {entry} 条的检查点无法读取：{error}",
                                         "the checkpoint at entry {entry} is unreadable: "
                                         "{error}"),
    "verify_checkpoint_size": Text("账本第 {entry} 条的检查点覆盖 {covers} 条，"
                                   "打印记录说是 {says} 条",
                                   "the checkpoint at entry {entry} covers {covers} entries, "
                                   "the print says {says}"),
    "verify_code_unbound": Text("表单码没有把这份内容与这个检查点绑定在一起",
                                "the sheet code does not bind this content to this checkpoint"),
    "verify_qr_digest": Text("二维码中的摘要不是这次打印记录的摘要",
                             "the QR code's digest is not the one recorded for this print"),
    "verify_qr_checkpoint": Text("二维码指向的检查点不是打印时的检查点",
                                 "the QR code names another checkpoint than the print's"),
    "verify_card_used": Text("这张卡上的绑定码已在账本第 {entry} 条绑定终端 {device}；"
                             "不能再绑定其他终端",
                             "the code on this card was used at ledger entry {entry} to enrol "
                             "device {device}; it cannot enrol another"),
    "verify_card_replaced": Text("这张卡上的绑定码已在账本第 {entry} 条被新码取代；不能再绑定终端",
                                 "the code on this card was replaced by a new one at ledger "
                                 "entry {entry}; it no longer enrols a terminal"),
    "verify_card_unused": Text("这张卡上的绑定码尚未使用", "the code on this card has not been "
                               "used yet"),
    "verify_pages_not_read": Text("没有读取页面：{why}", "{why}; its pages were not read"),
    "verify_mixed_times": Text("文件中的表打印于不同时间", "the file's sheets were printed at "
                               "different times"),
    "verify_imprint_unreadable": Text("打印时间或检查点无法读取",
                                      "the print's time or checkpoint is unreadable"),
    "verify_not_rebuilt": Text("无法从账本重建记录打印的这张表",
                               "the record's print of this sheet cannot be rebuilt from the "
                               "ledger"),
    "verify_mixed_names": Text("文件中的表以不同方式称呼选手（盲评的抽签号）",
                               "the file's sheets name the contestants differently (a blind "
                               "final's draw numbers)"),
    "verify_text_unchecked": Text("未核对页面文字（{why}）：结论只依据表上二维码的内容；请用肉眼"
                                  "对照下面的数字与页面",
                                  "the page text was not checked ({why}): the verdict is from "
                                  "the sheet's QR payload only; compare the figures below with "
                                  "the pages"),
    "verify_no_card_code": Text("第 1 页：卡上没有印绑定码",
                                "page 1: no enrolment code is printed on the card"),
    "verify_card_code_invalid": Text("第 1 页：印的绑定码 {code} 无效（校验位不对）",
                                     "page 1: enrolment code printed {code} is not a valid code "
                                     "(its check digit is wrong)"),
    "verify_card_code_seat": Text("第 1 页：印的绑定码 {code} 属于席位 {seat}，"
                                  "这张卡是席位 {card} 的",
                                  "page 1: enrolment code printed {code} is for seat {seat}, "
                                  "the card is for seat {card}"),
    "verify_card_code_other": Text("第 1 页：印的绑定码 {code} 不是为这张卡发出的绑定码",
                                   "page 1: enrolment code printed {code} is not the code "
                                   "issued for this card"),
    "verify_page": Text("第 {page} 页：{text}", "page {page}: {text}"),
    # where a PDF's pages differ from the record's print (`head_judge.page_reading`)
    "page_at": Text("距左上角横 {x} 点、纵 {y} 点处", "at {x},{y} pt from the top left"),
    "page_line": Text("行“{text}”", 'line "{text}"'),
    "page_the_line": Text("该行", "line"),
    "page_blank": Text("（空白）", "(blank)"),
    "page_printed_record": Text("{where}：印的是 {now}，记录是 {was}",
                                "{where}: printed {now}, record {was}"),
    "page_drawn_over": Text("{where}：被涂改（读出 {was}，与记录相同，但不是打印的样子）",
                            "{where}: drawn over (reads {was} as in the record, but not as "
                            "printed)"),
    "page_stray": Text("{where}：印的是 {text}，记录中没有",
                       "{where}: printed {text}, not in the record"),
    "page_marks": Text("{where}：有记录的页面上没有的笔画或图形",
                       "{where}: something is drawn that the record's page does not have"),
    "page_count": Text("{n} 页", "{n} pages"),
    "page_count_one": Text("{n} 页", "{n} page"),
    "page_missing": Text("缺页（记录的打印有 {pages}，文件有 {file} 页）",
                         "missing (the record's print has {pages}, the file {file})"),
    "page_extra": Text("不在记录的打印中（记录有 {pages}，文件有 {file} 页）",
                       "not in the record's print (it has {pages}, the file {file})"),
    "verify_summary": Text("共核对 {given} 项、{sheets} 份表：{matched} 份与记录相符，"
                           "{other} 份不符",
                           "{given} given, {sheets} sheet(s) verified: {matched} match the "
                           "record, {other} do not"),
    # a character no printing font has (`head_judge.glyphs`): refused, never dropped
    "print_unprintable": Text("不能打印：打印字体中没有这些字：{people}。"
                              "请在赛事文件中改正后再打印",
                              "cannot print: no printing font has these characters: "
                              "{people}. Correct them in the event file, then print"),
    "warn_unprintable": Text("注意：打印字体中没有这些字：{people}。打印前请在赛事文件中改正，"
                             "否则不能打印",
                             "warning: no printing font has these characters: {people}. "
                             "Correct them in the event file before printing; printing is "
                             "refused until then"),
    "unprintable_in": Text("{who}：{chars}", "{who}: {chars}"),
    "unprintable_contestant": Text("选手 {id} {name}", "contestant {id} {name}"),
    "unprintable_judge": Text("评委 {id} {name}", "judge {id} {name}"),
    "unprintable_event": Text("赛事文件 {id}（{name}）", "event file {id} ({name})"),
    "unprintable_signatory": Text("签名人 {name}", "signatory {name}"),
    "unprintable_row": Text("{place} 的选手 {name}", "contestant {name} at {place}"),
    # what changed between two results documents (`describe_changes`) and what an appeal's
    # correction would change (`CorrectionPreview.lines`): not refusals, shown the same way
    "chg_newly_ranked": Text("{contestant}：新进入排名，第 {rank} 名，{final} 分",
                             "{contestant}: newly ranked {rank} with {final}"),
    "chg_contestant": Text("{contestant}：{parts}", "{contestant}: {parts}"),
    "chg_value": Text("{what} {old} → {new}", "{what} {old} → {new}"),
    "chg_rank": Text("名次", "rank"),
    "chg_final": Text("最终得分", "final"),
    "chg_prize": Text("奖项", "prize"),
    "chg_advances": Text("晋级", "advances"),
    "chg_component": Text("成绩项 {item}", "component {item}"),
    "chg_total_of": Text("{item} 的总分", "total of {item}"),
    "chg_dropped": Text("去掉的评分", "dropped"),
    "chg_yes": Text("是", "yes"),
    "chg_no": Text("否", "no"),
    "chg_no_longer_ranked": Text("{contestant}：不再排名（原为第 {rank} 名）",
                                 "{contestant}: no longer ranked (was {rank})"),
    "chg_now_unresolved": Text("现需裁决：{reason}", "now unresolved: {reason}"),
    "chg_no_longer_unresolved": Text("不再需要裁决：{reason}", "no longer unresolved: {reason}"),
    "chg_ranking_unchanged": Text("排名不会改变", "the ranking would not change"),
    # reasons and details the master itself writes into the ledger (kept there in English,
    # as data; `recorded` reads them back so that they are shown in either language)
    "why_sheet_withdrawn": Text("评分表已撤销：{reason}", "the sheet was withdrawn: {reason}"),
    "why_judge_excused": Text("评委已免评：{reason}", "the judge was excused: {reason}"),
    "why_device_replaced": Text("{judge} 绑定了另一台终端（账本第 {entry} 条）",
                                "{judge} enrolled another device (entry {entry})"),
    "why_signed_twice": Text("终端 {device} 对第 {seq} 号记录签了两份不同的内容",
                             "device {device} signed two different records as number {seq}"),
    # what importing a component's file would do, row by row (`import-component --preview`,
    # the console's Components screen)
    "import_row_new": Text("新增", "new"),
    "import_row_changed": Text("修改", "changed"),
    "import_row_unchanged": Text("不变", "unchanged"),
    "import_row_blocked": Text("受阻", "blocked"),
    "import_why_new": Text("尚无值", "no value yet"),
    "import_why_new_locked": Text("已锁定，但尚无值：可以导入", "locked, but no value yet: may be "
                                  "imported"),
    "import_why_changed": Text("替换已记录的值：需说明原因", "replaces the value recorded: needs "
                               "a reason"),
    "import_why_unchanged": Text("与已记录的值相同", "same as recorded"),
    "import_why_blocked": Text("已锁定{reason}：先解锁才能修改",
                               "locked{reason}: unlock it first to change it"),
    "import_lock_reason": Text("（{reason}）", " ({reason})"),
    "import_counts": Text("新增 {new}，修改 {changed}，不变 {unchanged}，受阻 {blocked}",
                          "{new} new, {changed} changed, {unchanged} unchanged, {blocked} "
                          "blocked"),
    "import_blocked": Text("{n} 行受阻，不能导入：先解锁这些选手，或从文件中删去这些行",
                           "{n} row(s) blocked, nothing can be imported: unlock those "
                           "contestants first, or remove those rows from the file"),
    "import_needs_reason": Text("导入会修改已记录的值：需要 {option}",
                                "importing it changes values already recorded: it needs "
                                "{option}"),
    "cli_nothing_recorded": Text("{what}；未记录任何内容", "{what}; nothing was recorded"),
    # `head-judge flags`, `reviews`, `accept-flags --dry-run`, `lock-ready --dry-run`
    "cli_no_flags": Text("没有分歧", "no flags"),
    "cli_no_open_flags": Text("没有未处理的分歧", "no open flags"),
    "cli_no_reviews": Text("没有复核请求", "no reviews"),
    "cli_no_open_reviews": Text("没有待答复的复核请求", "no open reviews"),
    "cli_flags_would_accept": Text("将接受 {contestant} 的 {n} 个分歧",
                                   "{n} flag(s) of {contestant} would be accepted"),
    "cli_lock_ready": Text("可以锁定", "ready"),
    "cli_lock_not_ready": Text("不能锁定：{blockers}", "not ready: {blockers}"),
    "cli_locks_would": Text("将锁定 {n} 名选手", "{n} contestant(s) would be locked"),
    # `head-judge audit verify`, `audit prove`, `checkpoint`
    "audit_ok": Text("通过：{entries}、{checkpoints}、{signatures}已核验，{tables}与重建一致",
                     "OK: {entries}, {checkpoints}, {signatures} verified, {tables} match a "
                     "rebuild"),
    "audit_failed": Text("未通过：在 {entries}、{checkpoints}中发现 {problems}",
                         "FAILED: {problems} in {entries}, {checkpoints}"),
    "audit_problem": Text("  {problem}", "  {problem}"),
    # what `audit` finds wrong, line by line (`head_judge.audit`, `checkpoints`, `ledger`)
    "au_entry": Text("账本第 {seq} 条：{text}", "entry {seq}: {text}"),
    "au_entry_kind": Text("账本第 {seq} 条（{kind}）：{text}", "entry {seq} ({kind}): {text}"),
    "au_checkpoint_at": Text("账本第 {seq} 条的检查点：{text}",
                             "checkpoint at entry {seq}: {text}"),
    "au_where": Text("{where}：{text}", "{where}: {text}"),
    "au_where_entry": Text("账本第 {seq} 条的检查点", "the checkpoint at entry {seq}"),
    "au_where_qr": Text("表上二维码中的检查点", "the checkpoint in the sheet's QR code"),
    "au_where_store": Text("终端存储 {label} 保存的检查点",
                           "the checkpoint terminal store {label} kept"),
    "au_where_notice": Text("通知表第 {id} 行", "table notices, row id={id}"),
    "au_expected_seq": Text("此处应为第 {expected} 条", "expected entry number {expected} here"),
    "au_not_following": Text("没有接在前一条之后（其前序哈希不是前一条的哈希）",
                             "does not follow the entry before it (its `prev` is not that "
                             "entry's hash)"),
    "au_cannot_hash": Text("内容无法计算哈希", "content cannot be hashed"),
    "au_cannot_hash_because": Text("内容无法计算哈希（{error}）",
                                   "content cannot be hashed ({error})"),
    "au_hash_mismatch": Text("内容与其哈希不符", "content does not match its hash"),
    "au_not_canonical": Text("内容不是规范的 {format}（{reason}）",
                             "payload is not canonical {format} ({reason})"),
    "au_not_object": Text("内容不是 {format} 对象", "payload is not a {format} object"),
    "au_no_device": Text("没有写明终端、评委或公钥", "names no device, judge or public key"),
    "au_key_not_base64": Text("终端公钥不是 {format} 编码",
                              "the device's public key is not {format}"),
    "au_device_id": Text("终端编号 {device} 与其公钥不符",
                         "device id {device} is not the id of its key"),
    "au_enrolled_twice": Text("终端 {device} 已在账本第 {entry} 条绑定过",
                              "device {device} was already enrolled at entry {entry}"),
    "au_revokes_unknown": Text("注销终端 {device}，但此前从未绑定",
                               "revokes device {device}, never enrolled before it"),
    "au_unknown_signer": Text("由终端 {device} 签名，但此前没有任何记录绑定它",
                              "signed by device {device}, which no earlier entry enrolled"),
    "au_record_unreadable": Text("签名的记录无法读取（{reason}）",
                                 "the signed record is unreadable ({reason})"),
    "au_bad_signature": Text("评委签名无法用终端 {device} 的公钥验证"
                             "（{judge}，账本第 {entry} 条绑定）",
                             "the judge's signature does not verify with the key of device "
                             "{device} ({judge}, enrolled at entry {entry})"),
    "au_revoked_before": Text("终端 {device} 已在此前的账本第 {entry} 条注销",
                              "device {device} was revoked at entry {entry}, before it"),
    "au_hash_not_body": Text("其记录哈希不是签名内容的哈希",
                             "its `hash` is not the hash of the signed body"),
    "au_other_device": Text("签名内容写的是另一台终端", "the signed body names another device"),
    "au_other_judge": Text("签名内容属于评委 {judge}，但终端 {device} 属于 {owner}",
                           "the signed body is for judge {judge} but device {device} is "
                           "{owner}'s"),
    "au_other_event": Text("签名内容属于赛事 {event}", "the signed body is for event {event}"),
    "au_receipt_unbuildable": Text("其回执无法重建", "its receipt cannot be rebuilt"),
    "au_receipt_bad": Text("主控的回执签名无法验证（终端持有的回执指向这一条）",
                           "the master's receipt signature does not verify (the receipt the "
                           "terminal holds names this entry)"),
    "au_cp_unreadable": Text("无法读取（{reason}）", "unreadable ({reason})"),
    "au_cp_not_signed": Text("不是本主控机的密钥签名的", "not signed by this master's key"),
    "au_cp_covers": Text("覆盖 {size} 条，但其前有 {index} 条",
                         "covers {size} entries but {index} precede it"),
    "au_cp_root": Text("默克尔根与其覆盖的记录不符（其前的历史被改过）",
                       "Merkle root differs from the entries it covers (history before it "
                       "was changed)"),
    "au_cp_other_event": Text("属于赛事 {event}，不是 {expected}",
                              "for event {event}, not {expected}"),
    "au_copy_unreadable": Text("检查点无法读取（{reason}）", "unreadable checkpoint ({reason})"),
    "au_copy_not_signed": Text("覆盖 {size} 条的检查点不是本主控机的密钥签名的",
                               "checkpoint of size {size} not signed by this master's key"),
    "au_copy_cut": Text("本主控机签名的检查点覆盖 {size} 条，但账本只有 {held} 条"
                        "（末尾的记录被截掉了）",
                        "a checkpoint signed by this master covers {size} entries but the "
                        "ledger holds only {held} (entries were cut off its end)"),
    "au_copy_root": Text("前 {size} 条记录算出的默克尔根已不是本主控机签名的那个（历史被改过）",
                         "the first {size} entries no longer give the Merkle root this master "
                         "signed (history was changed)"),
    "au_recorded_cut": Text("检查点表第 {seq} 行记录了覆盖 {size} 条的检查点，"
                            "但账本只有 {held} 条（末尾的记录被截掉了）",
                            "table checkpoints, row ledger_seq={seq}: records a checkpoint "
                            "that covers {size} entries but the ledger holds only {held} "
                            "(entries were cut off its end)"),
    "au_table_stray": Text("表 {table}：既不是账本，也不是账本的投影",
                           "table {table}: is neither the ledger nor a projection of it"),
    "au_table_missing": Text("表 {table}：缺失（账本给出 {n} 行）",
                             "table {table}: missing (the ledger gives {n} rows)"),
    "au_table_columns": Text("表 {table}：列为 {have}；投影的列为 {want}",
                             "table {table}: has columns {have}; the projection has {want}"),
    "au_cell": Text("表 {table}，行 {row}：{column} 为 {got}，但账本给出 {want}",
                    "table {table}, row {row}: {column} is {got} but the ledger gives {want}"),
    "au_row_extra": Text("表 {table}，行 {row}：账本中没有（多出 {extra}）",
                         "table {table}, row {row}: not in the ledger ({extra})"),
    "au_extra_row": Text("{n} 行", "{n} extra row"),
    "au_extra_rows": Text("{n} 行", "{n} extra rows"),
    "au_row_missing": Text("表 {table}，行 {row}：缺失（账本中有）",
                           "table {table}, row {row}: missing (the ledger gives it)"),
    "au_row_count": Text("表 {table}，行 {row}：有 {got} 行，账本给出 {want} 行",
                         "table {table}, row {row}: {got} rows where the ledger gives {want}"),
    "au_damaged": Text("数据库文件已损坏：{found}", "the database file is damaged: {found}"),
    "au_guard_removed": Text("账本的只可追加保护（触发器 {name}）已被删除",
                             "the ledger's append-only guard (trigger {name}) has been removed"),
    "au_schema_removed": Text("{kind} {name} 已被删除", "the {kind} {name} has been removed"),
    "au_schema_extra": Text("{kind} {name} 不属于主控机",
                            "the {kind} {name} is not part of a master"),
    "au_schema_changed": Text("{kind} {name} 已被重新定义：{sql}",
                              "the {kind} {name} has been redefined: {sql}"),
    "au_no_ledger": Text("没有账本表", "there is no ledger table"),
    "au_unreadable_db": Text("{db}：{engine} 无法读取（{error}）",
                             "{db}: {engine} cannot read it ({error})"),
    "au_cannot_replay": Text("无法重放（{error}）", "cannot be replayed ({error})"),
    "au_no_succession": Text("之前没有指定接替的记录", "names no succession entry before it"),
    "au_wrong_successor": Text("其密钥不是账本第 {entry} 条指定的那个",
                               "its key is not the one entry {entry} named"),
    "au_key_not_handed": Text("本主控机的密钥不是账本交接给的那个",
                              "this master's key is not the one the ledger hands the record "
                              "to"),
    "audit_more": Text("  ……另有 {n} 个", "  ... and {n} more"),
    "audit_rebuilt": Text("重建的主控机的审计：{summary}",
                          "audit of the rebuilt master: {summary}"),
    # `head-judge rebuild`
    "rebuilt_from": Text("已从 {n} 个终端存储为 {event} 在 {home} 重建主控机：",
                         "Rebuilt the master for {event} in {home} from {n} terminal store(s):"),
    "rebuilt_store": Text("  {label}：评委 {judge}，{key}，本赛事 {sheets} 份评分表，"
                          "其中 {receipted} 份有原主控机的回执{other}",
                          "  {label}: judge {judge}, {key}, {sheets} sheet(s) of this final, "
                          "{receipted} receipted by the old master{other}"),
    "rebuilt_device": Text("终端 {device}", "device {device}"),
    "rebuilt_no_device": Text("旁边没有终端密钥", "NO device key beside it"),
    "rebuilt_other_events": Text("，另有 {n} 份其他赛事的已忽略", ", {n} of other finals ignored"),
    "rebuilt_many_masters": Text("注意：这些存储绑定过 {n} 位不同的总裁判长（密钥 {keys}）",
                                 "warning: the stores were enrolled with {n} different head "
                                 "judges (keys {keys})"),
    "rebuilt_other_event_file": Text("注意：有些存储中的赛事文件与给出的（{option}）版本不同；"
                                     "其评分表已按给出的赛事文件核对",
                                     "warning: some stores hold another version of the event "
                                     "file than the one given ({option}); their sheets were "
                                     "checked against the one given"),
    "rebuilt_recovered": Text("从 {judges_n} 位评委（{judges}）的 {devices} 台终端"
                              "恢复了 {n} 份评分表；账本现有 {size} 条",
                              "Recovered {n} sheet(s) from {devices} device(s) of {judges_n} "
                              "judge(s) ({judges}); the ledger holds {size} entries."),
    "rebuilt_nobody": Text("无", "none"),
    "rebuilt_refused": Text("拒绝了 {n} 份评分表：", "REFUSED {n} sheet(s):"),
    "rebuilt_skipped": Text("跳过了 {n} 条记录：", "Skipped {n} record(s):"),
    "rebuilt_skip": Text("  来自 {source} 的记录 {record}：{why}",
                         "  record {record} from {source}: {why}"),
    "rebuilt_new_master": Text("这是一台新的主控机：主控指纹 {fingerprint}。",
                               "This is a NEW head judge: fingerprint {fingerprint}."),
    "rebuilt_enrol_again": Text("原来的密钥已丢失，所以每台终端都必须用新的绑定码"
                                "（{command}）重新绑定，之后才能收发任何内容。",
                                "The old key is gone, so every terminal must enrol again with "
                                "a new code ({command}) before it can send or receive anything."),
    "cli_checkpoint": Text("检查点为账本第 {entry} 条：覆盖 {size} 条，根哈希 {root}",
                           "checkpoint at entry {entry}: {size} entries, root {root}"),
    "prove_from": Text("起点：{size} 条，根哈希 {root}", "from: size {size}, root {root}"),
    "prove_to": Text("终点：{size} 条，根哈希 {root}", "to:   size {size}, root {root}"),
    "prove_signed": Text("      本主控机已在账本第 {entry} 条的检查点签名（{at}）",
                         "      signed by this master in the checkpoint at entry {entry} "
                         "({at})"),
    "prove_unsigned": Text("      （没有这个大小的已签名检查点：请运行 {command}）",
                           "      (no signed checkpoint of this size: run {command})"),
    "prove_out_of_range": Text("无法证明从 {a} 条到 {b} 条：账本有 {n} 条（需要 {rule}）",
                               "no proof from size {a} to size {b}: the ledger holds {n} "
                               "entries (need {rule})"),
    "prove_path": Text("证明：{n} 个哈希，{rfc} 第 2.1.4 节",
                       "proof: {n} hash(es), {rfc} section 2.1.4"),
    # `head-judge import-contestants` and `export`
    "cli_contestants_written": Text("已从 {sheets} 个工作表读取 {n} 名选手，写入 {out}",
                                    "{n} contestants from {sheets} sheet(s) written to {out}"),
    "cli_exported": Text("{path}：{results} 行结果，{sheets} 份评委评分表，{audit} 条账本记录",
                         "{path}: {results} result rows, {sheets} judges' sheets, {audit} "
                         "ledger entries"),
    # who made a ledger entry (the Audit screen, the appeal dossier)
    "actor_head_judge": Text("总裁判长", "head judge"),
    "actor_master": Text("主控", "master"),
    "actor_unauthenticated": Text("未认证", "unauthenticated"),
    "actor_operator": Text("录入员 {name}", "operator {name}"),
    "actor_device": Text("{judge}", "{judge}"),
    # `head-judge demo`: its stages and what each did
    "demo_master": Text("启动总裁判长主控", "start the head judge's master"),
    "demo_judges": Text("评委笔记本绑定并评分", "judges' laptops enrol and score"),
    "demo_dead_laptop": Text("一台评委笔记本中途损坏", "a judge's laptop dies mid-final"),
    "demo_wifi": Text("无线网络中断", "the Wi-Fi drops"),
    "demo_all_sheets": Text("全部评分表到达主控", "every sheet reaches the master"),
    "demo_flags": Text("分歧：请求复核并接受", "discrepancies: review and accept"),
    "demo_import": Text("导入平台直播数据", "import the platform's live data"),
    "demo_appeal": Text("申诉提出并被驳回", "an appeal is filed and rejected"),
    "demo_reveal": Text("全部选手已在大屏幕亮分", "every contestant revealed on the screen"),
    "demo_publish": Text("锁定全部选手并发布成绩", "lock every contestant and publish"),
    "demo_print": Text("打印 PDF 文件", "print the PDF pack"),
    "demo_verify": Text("核验审计记录和表单码", "verify the audit trail and a sheet code"),
    "demo_stage_done": Text("✓ {stage}（{seconds} 秒）{detail}", "✓ {stage} ({seconds} s){detail}"),
    "demo_detail": Text("：{detail}", ": {detail}"),
    "demo_listening": Text("{url}，主控指纹 {fingerprint}{screen}",
                           "{url}, fingerprint {fingerprint}{screen}"),
    "demo_screen": Text("；观众大屏幕 {url}", "; the audience's screen {url}"),
    "demo_did_judges": Text("{n} 位评委，各为一个进程，经 mDNS 找到主控",
                            "{n} judges, each a process discovering the master by mDNS"),
    "demo_did_dead": Text("{judge} 的笔记本在 {n} 份评分表后被关闭；已在备用机上重新绑定"
                          "（旧终端已注销），尚有 {left} 名选手待评",
                          "{judge}'s laptop killed after {n} sheets; re-enrolled on a spare "
                          "(old device revoked), {left} contestants left to score"),
    "demo_did_wifi": Text("主控 2 秒无法连接，评委照常评分",
                          "master unreachable for 2 s while judges kept scoring"),
    "demo_did_sheets": Text("收到 {n} 份评分表", "{n} sheets received"),
    "demo_did_flags": Text("{n} 个分歧；{judge} 对 {contestant} 的复核已答复",
                           "{n} flags; review of {judge} on {contestant} answered"),
    "demo_did_import": Text("{n} 名选手的平台数据", "platform data for {n} contestants"),
    "demo_did_appeal": Text("{contestant} 的申诉 {appeal}：卷宗 {n} 条记录，已驳回",
                            "appeal {appeal} by {contestant}: dossier of {n} entries, rejected"),
    "demo_detail_list": Text("{items}", "{items}"),
    "demo_version": Text("{track} 第 {version} 版", "{track} v{version}"),
    "demo_did_print": Text("{n} 张表存入 {folder}", "{n} sheets into {folder}"),
    "demo_did_verify": Text("审计{audit}；表单码 {code}：{verdict}",
                            "audit {audit}; sheet code {code}: {verdict}"),
    "demo_ok": Text("通过", "OK"),
    "demo_failed": Text("未通过", "FAILED"),
    "demo_did_reveal": Text("{n} 名选手已亮分{again}", "{n} contestants revealed{again}"),
    "demo_again": Text("，其中 {n} 名改分后再次亮分", ", {n} again after a change"),
    "demo_flag_ended": Text("{flag}：{status}", "{flag}: {status}"),
    "demo_revealed": Text("  ◆ 亮分 {contestant} {name}", "  ◆ revealed {contestant} {name}"),
    "demo_screen_at": Text("观众大屏幕：{url}", "the audience's screen: {url}"),
    "demo_screen_title": Text("观众大屏幕", "the audience's screen"),
    "demo_screen_notice": Text("用浏览器打开 {url} 观看亮分与成绩（另有 {overlay} 直播叠加层、"
                               "{results} 成绩公布）。",
                               "Open {url} in a browser to watch the reveals and results (also "
                               "{overlay} for a livestream, {results} for phones)."),
    "demo_needs_terminal": Text("{option} 要在终端窗口里运行（这里的标准输入或输出不是终端）。"
                                "不加 {option} 则运行演示并打印摘要。",
                                "{option} needs a terminal (standard input or output here is "
                                "not one). Without {option} the demo runs and prints a summary."),
    "demo_not_empty": Text("{home} 不是空文件夹；演示只在新的或空的 {option} 文件夹中建主控，"
                           "以免混入真实比赛的数据",
                           "{home} is not an empty folder; the demo makes its master only in a "
                           "new or empty {option} folder, so that it never mixes with a real "
                           "final's data"),
    "demo_revealed_notice": Text("◆ 亮分 {contestant}", "◆ revealed {contestant}"),
    "demo_failed_because": Text("✗ 演示失败：{error}", "✗ the demo failed: {error}"),
    "demo_complete": Text("成绩已发布，PDF 文件在 {folder}，评委终端已关闭。按 {key} 退出。",
                          "Results published, PDF pack in {folder}, the judges' laptops closed. "
                          "{key} quits."),
    "demo_complete_title": Text("✓ 演示完成", "✓ demo complete"),
    # the demo's summary
    "demo_sum_sheets": Text("收到评分表：{n}", "sheets received: {n}"),
    "demo_sum_flags": Text("分歧标记及处理：", "flags and how they ended:"),
    "demo_sum_top": Text("前五名 · {track}", "top 5 · {track}"),
    "demo_sum_rank": Text("名次", "Rank"),
    "demo_sum_contestant": Text("选手", "Contestant"),
    "demo_sum_final": Text("最终得分", "Final"),
    "demo_sum_prize": Text("奖项", "Prize"),
    "demo_sum_pack": Text("打印文件：{folder}（{n} 个文件）", "PDF pack: {folder} ({n} files)"),
    "demo_sum_audit": Text("审计：{audit}；表单码 {code}：{verdict}",
                           "audit: {audit}; sheet code {code}: {verdict}"),
    "demo_sum_screen": Text("观众大屏幕：{url}（{n} 名已亮分；随演示关闭）",
                            "the audience's screen: {url} ({n} revealed; closed with the demo)"),
    "demo_sum_kept": Text("主控数据：{home}", "master's data: {home}"),
    "demo_sum_temporary": Text("主控数据：临时文件夹，演示结束即删除；"
                               "{command} 可保留在 {folder} 中",
                               "master's data: temporary, removed when the demo ends; "
                               "{command} keeps it in {folder}"),
    "demo_sum_matches": Text("一致", "matches"),
    "demo_sum_no_match": Text("不一致", "DOES NOT MATCH"),
    "demo_sum_timings": Text("各阶段用时：", "stage timings:"),
    "demo_sum_logs": Text("记录：{folder}", "logs: {folder}"),
    # `head-judge enrol-codes` and `reopen-seat`
    "cli_fingerprint": Text("主控指纹：{fingerprint}", "head judge fingerprint: {fingerprint}"),
    "cli_codes_expire": Text("绑定码在 {at} 失效，每个只能用一次",
                             "codes expire at {at}; each works once"),
    "cli_code_col_judge": Text("评委", "judge"),
    "cli_code_col_seat": Text("席位", "seat"),
    "cli_code_col_name": Text("姓名", "name"),
    "cli_code_col_code": Text("绑定码", "code"),
    "cli_code_seat_locked": Text("（席位已锁定：请先运行 {command}）",
                                 "(seat locked: {command} first)"),
    "cli_seat_reopened": Text("{judge} 已重新开放（清除 {failures} 次失败的绑定）",
                              "{judge} reopened ({failures} failed attempt(s) cleared)"),
    "cli_seat_not_locked": Text("{judge} 未被锁定，也没有失败的绑定；无需操作",
                                "{judge} was not locked and had no failed attempts; nothing "
                                "to do"),
    # `head-judge print`
    "cli_printed": Text("已打印 {n} 张表，账本位置 {size}（检查点为账本第 {checkpoint} 条），"
                        "存于 {folder}",
                        "printed {n} sheet(s) at ledger position {size} (checkpoint entry "
                        "{checkpoint}) into {folder}"),
    "cli_printed_cards": Text("绑定卡上是新的一次性绑定码（此前的绑定码已失效）；"
                              "账本只记下打印了绑定卡",
                              "enrolment cards carry new one-time codes (earlier ones no longer "
                              "work); the ledger keeps only that the cards were printed"),
    # `head-judge appeal dossier`, line by line
    "cli_dos_appeal": Text("申诉 {appeal}：{contestant}，{filed_by} 于 {at} 提出：{ground}",
                           "appeal {appeal}: {contestant}, filed {at} by {filed_by}: {ground}"),
    "cli_dos_category": Text("类别：{category}{late}", "category: {category}{late}"),
    "cli_dos_late": Text("（逾期受理：{reason}）", " (late: {reason})"),
    "cli_dos_evidence": Text("证据：{name}  {size} 字节  sha256 {sha}",
                             "evidence: {name}  {size} bytes  sha256 {sha}"),
    "cli_dos_status": Text("状态：{status}{reason}", "status: {status}{reason}"),
    "cli_dos_status_reason": Text("（{reason}）", " ({reason})"),
    "cli_dos_status_open": Text("待裁决", "open"),
    "cli_dos_vote": Text("表决：{member} {vote}{conflict}", "vote: {member} {vote}{conflict}"),
    "cli_dos_conflict": Text("（声明回避，不计票）", " (conflict declared, not counted)"),
    "cli_dos_reply": Text("{contestant} 答辩（{at}）：{reply}", "reply by {contestant} ({at}): "
                          "{reply}"),
    "cli_dos_now": Text("当前：第 {rank} 名，最终得分 {final}，奖项 {prize}",
                        "now: rank {rank}, final {final}, prize {prize}"),
    "cli_dos_sheets": Text("评分表：", "sheets:"),
    "cli_dos_sheet": Text("  账本第 {entry} 条  {judge} 第 {revision} 版  总分 {total}  {origin}",
                          "  entry {entry}  {judge} revision {revision}  total {total}  "
                          "{origin}"),
    "cli_dos_paper": Text("纸质：表单 {form}，录入员 {operators}",
                          "paper: form {form}, typed by {operators}"),
    "cli_dos_signature": Text("签名{signature}", "signature {signature}"),
    "cli_dos_sig_verified": Text("有效", "verified"),
    "cli_dos_sig_invalid": Text("无效", "invalid"),
    "cli_dos_sig_unknown_device": Text("来自未知终端", "unknown device"),
    "cli_dos_history": Text("记录：", "history:"),
    "cli_dos_entry": Text("  {entry}  {at}  {actor}  {summary}  [{cover}]",
                          "  {entry}  {at}  {actor}  {summary}  [{cover}]"),
    "cli_dos_covered": Text("检查点 {entry}", "checkpoint {entry}"),
    "cli_dos_uncovered": Text("尚无检查点", "not yet checkpointed"),
    "cli_dos_checkpoints": Text("检查点：", "checkpoints:"),
    "cli_dos_checkpoint": Text("  账本第 {entry} 条  覆盖 {size} 条  根哈希 {root}  {at}"
                               "（{reason}）{state}",
                               "  entry {entry}  size {size}  root {root}  {at}  ({reason}) "
                               "{state}"),
    "cli_dos_verified": Text("已核验", "verified"),
    "cli_dos_failed": Text("核验失败：{problem}", "FAILED: {problem}"),
    # what each ledger entry records, one line (`entry_lines.entry_line`): the console's Audit,
    # an appeal's dossier (screen, CLI, printed) and the export say it in these words
    "line_about": Text("{subject}：{line}", "{subject}: {line}"),
    "line_by_appeal": Text("{line}（依申诉 {appeal}）", "{line} (by appeal {appeal})"),
    "line_despite_appeal": Text("{line}；不顾已驳回的申诉 {appeal}：{reason}",
                                "{line}; despite rejected appeal {appeal}: {reason}"),
    "line_event_loaded": Text("载入赛事 {event_id}", "event {event_id} loaded"),
    "line_event_changed": Text("赛事 {event_id} 的赛事文件已变更",
                               "the event file of {event_id} changed"),
    "line_codes_issued": Text("发出绑定码：席位 {seats}", "enrolment codes for seats {seats}"),
    "line_enrol_failed": Text("席位 {seat} 绑定失败：{cause}", "seat {seat}: enrolment failed, "
                              "{cause}"),
    "line_cause_used": Text("绑定码已用过", "the code was already used"),
    "line_cause_wrong": Text("绑定码不对", "wrong code"),
    "line_seat_locked": Text("席位 {seat} 连续 {failures} 次绑定失败，已锁定",
                             "seat {seat} locked after {failures} failed enrolments"),
    "line_seat_reopened": Text("席位 {seat} 重新开放{reason}", "seat {seat} reopened{reason}"),
    "line_device_enrolled": Text("{judge} 绑定终端 {device}（{device_name}）",
                                 "{judge} enrolled device {device} ({device_name})"),
    "line_device_confirmed": Text("{judge} 重新确认终端 {device}",
                                  "{judge} confirmed device {device} again"),
    "line_device_revoked": Text("{judge} 的终端 {device} 已停用{reason}",
                                "{judge}'s device {device} revoked{reason}"),
    "line_on_stage": Text("上台：{who}", "on stage: {who}"),
    "line_nobody": Text("无人", "nobody"),
    "line_checkpoint": Text("覆盖前 {size} 条（{reason}）",
                            "covers the first {size} entries ({reason})"),
    "line_checkpoint_publish": Text("发布", "publish"),
    "line_checkpoint_print": Text("打印", "print"),
    "line_checkpoint_periodic": Text("定时", "periodic"),
    "line_checkpoint_promote": Text("接管", "takeover"),
    "line_printed": Text("打印{sheet}，表单码 {code}，账本位置 {size}",
                         "printed {sheet}, sheet code {code}, ledger position {size}"),
    "line_promoted": Text("备用主控机接管（已同步至第 {mirrored} 条）：{reason}",
                          "the standby took over (mirrored up to entry {mirrored}): {reason}"),
    "line_succession": Text("备用主控机 {device} 为继任主控机，接管后在 {where} 服务",
                            "standby master {device} named successor, to serve at {where} once "
                            "promoted"),
    "line_imported_all": Text("{component} 导入自 {file}（sha256 {sha}），{n} 个值改变{reason}",
                              "{component} imported from {file} (sha256 {sha}), {n} changed"
                              "{reason}"),
    "line_draw_all": Text("{how}：{n} 名选手", "{how}: {n} contestants"),
    "line_locked_all": Text("{names} 完整且无分歧，一并锁定{reason}",
                            "{names} locked together as complete and clear{reason}"),
    "line_extra": Text("；{parts}", "; {parts}"),
    "line_appeal_category": Text("类别：{category}", "category: {category}"),
    "line_evidence": Text("证据：{names}", "evidence: {names}"),
    "line_late": Text("逾期受理：{reason}", "accepted late: {reason}"),
    "line_category_calculation": Text("计分", "calculation"),
    "line_category_procedure": Text("程序", "procedure"),
    "line_category_eligibility": Text("资格", "eligibility"),
    "line_category_judgement": Text("评判", "judgement"),
    "line_sheet": Text("{judge} 提交第 {revision} 版：总分 {total}（{values}）{reason}{comment}",
                      "{judge} sent revision {revision}: total {total} ({values}){reason}"
                      "{comment}"),
    "line_reason": Text("；原因：{reason}", "; reason: {reason}"),
    "line_comment": Text("；评语：{comment}", "; comment: {comment}"),
    "line_colon": Text("：{text}", ": {text}"),
    "line_confirmed": Text("{judge} 确认评分表无误（复核 {review}）{comment}",
                          "{judge} confirmed the sheet as it is (review {review}){comment}"),
    "line_alarm": Text("警报：{detail}", "alarm: {detail}"),
    "line_flag_raised": Text("提出分歧 {flag}：{description}", "flag {flag} raised: {description}"),
    "line_flag_cleared": Text("分歧 {flag} 已消除：账本第 {cause} 条后不再成立",
                             "flag {flag} cleared: it no longer holds after entry {cause}"),
    "line_flag_accepted": Text("分歧 {flag} 已接受：{note}", "flag {flag} accepted: {note}"),
    "line_flags_accepted": Text("{contestant} 的分歧 {flags} 一并接受：{note}",
                               "flags {flags} of {contestant} accepted together: {note}"),
    "line_review": Text("请 {judge} 复核（复核 {review}）{about}：{note}",
                       "review {review} asked of {judge}{about}: {note}"),
    "line_about_flag": Text("，关于分歧 {flag}", " about flag {flag}"),
    "line_answered": Text("复核 {review} 以第 {revision} 版答复{reason}",
                          "review {review} answered by revision {revision}{reason}"),
    "line_review_closed": Text("复核 {review} 已关闭：{reason}",
                               "review {review} closed: {reason}"),
    "line_override": Text("总裁判长将 {judge} 的{criterion}（第 {revision} 版）由 {old} 改为 "
                          "{new}：{reason}",
                         "{judge}'s {criterion} (revision {revision}) overridden from {old} to "
                         "{new}: {reason}"),
    "line_withdrawn": Text("{judge} 的评分表已撤销：{reason}",
                          "{judge}'s sheet withdrawn: {reason}"),
    "line_excused": Text("{judge} 对{who}免评：{reason}", "{judge} excused for {who}: {reason}"),
    "line_restored": Text("{judge} 对{who}恢复评分：{reason}",
                         "{judge} restored for {who}: {reason}"),
    "line_whole_final": Text("整场比赛", "the whole final"),
    "line_locked": Text("已锁定{reason}{forced}", "locked{reason}{forced}"),
    "line_forced": Text("（强制锁定，未处理：{blockers}）", " (forced over: {blockers})"),
    "line_locked_together": Text("完整且无分歧，与另外共 {n} 名选手一并锁定{reason}",
                                "locked as complete and clear, one of {n} locked together"
                                "{reason}"),
    "line_unlocked": Text("已解锁：{reason}", "unlocked: {reason}"),
    "line_imported": Text("{component} = {value}{was}，导入自 {file}（sha256 {sha}）{reason}",
                         "{component} = {value}{was} imported from {file} (sha256 {sha})"
                         "{reason}"),
    "line_was": Text("（原为 {old}）", " (was {old})"),
    "line_tie": Text("{contestants} 并列，裁决{how}：{reason}",
                    "tie among {contestants} decided {how}: {reason}"),
    "line_tie_order": Text("名次顺序为 {order}", "in the order {order}"),
    "line_tie_shared": Text("共享较好名次", "sharing the better place"),
    "line_published": Text("发布第 {version} 版结果{place}", "results version {version} published"
                          "{place}"),
    "line_place": Text("：第 {rank} 名，最终得分 {final}，奖项 {prize}",
                      ": rank {rank}, final {final}, prize {prize}"),
    "line_place_unawarded": Text("：第 {rank} 名，最终得分 {final}",
                                 ": rank {rank}, final {final}"),
    "line_not_ranked": Text("：未排名", ": not ranked"),
    "line_appeal_filed": Text("申诉 {appeal} 由 {filed_by} 提出：{ground}{extra}",
                              "appeal {appeal} filed by {filed_by}: {ground}{extra}"),
    "line_appeal_withdrawn": Text("申诉 {appeal} 撤回：{reason}",
                                 "appeal {appeal} withdrawn: {reason}"),
    "line_appeal_decided": Text("申诉 {appeal} {outcome}：{reason}",
                               "appeal {appeal} {outcome}: {reason}"),
    "line_appeal_decided_with": Text("{decided}；改正：{correction}；表决：{votes}；"
                                     "名次或奖项变动：{moved}",
                                    "{decided}; correction: {correction}; votes: {votes}; "
                                    "rank or prize moved: {moved}"),
    "line_correction_set": Text("{judge} 的 {criterion} 改为 {value}",
                               "{judge}'s {criterion} set to {value}"),
    "line_correction_withdraw": Text("{judge} 的评分表不再计分",
                                    "{judge}'s sheet withdrawn"),
    "line_vote": Text("{member} {vote}", "{member} {vote}"),
    "line_vote_conflict": Text("{member} 回避", "{member} declared a conflict"),
    "line_appeal_voted": Text("仲裁委员 {member} 对申诉 {appeal} 投票：{vote}",
                             "committee member {member} voted on appeal {appeal}: {vote}"),
    "line_appeal_voted_conflict": Text(
        "仲裁委员 {member} 就申诉 {appeal} 声明回避（记为{vote}，不计票）",
        "committee member {member} declared a conflict on appeal {appeal} (recorded as "
        "{vote}, not counted)"),
    "line_appeal_replied": Text("{contestant} 就申诉 {appeal} 答辩：{reply}",
                               "{contestant} replied to appeal {appeal}: {reply}"),
    "line_results_official": Text("第 {version} 版成绩成为正式成绩",
                                 "results version {version} became official"),
    "not_moved_by_appeal": Text("申诉 {appeal} 的裁决没有改变 {contestant} 的名次或奖项",
                                "the decision on appeal {appeal} did not move {contestant}'s "
                                "rank or prize"),
    "line_paper_entered": Text("录入员 {operator} 录入 {judge} 的纸质评分表第 {revision} 版"
                               "{typing}（表单 {form}）：{values}",
                               "operator {operator} typed {judge}'s paper sheet, revision "
                               "{revision}{typing} (form {form}): {values}"),
    "line_typing": Text("第 {n} 次录入", ", typing {n}"),
    "line_revealed": Text("{contestant} 亮分：评委评分 {panel}，最终得分 {final}",
                         "{contestant} revealed to the hall: panel score {panel}, final score "
                         "{final}"),
    "line_conflict_resolved": Text("{judge} 同时有笔记本与纸质评分表，总裁判长保留{keep}评分表："
                                  "{reason}",
                                  "{judge} had a laptop and a paper sheet; the head judge kept "
                                  "the {keep} sheet: {reason}"),
    "line_draw": Text("抽签号 {draw}（{how}）", "draw number {draw} ({how})"),
    "line_draw_seed": Text("按种子 {seed} 抽签", "drawn from the seed {seed}"),
    "line_draw_import": Text("导入 {file}，sha256 {sha}", "imported from {file}, sha256 {sha}"),
    "line_identities_revealed": Text("选手身份解密：{reason}", "identities revealed: {reason}"),
    "line_keep_laptop": Text("笔记本", "laptop"),
    "line_keep_paper": Text("纸质", "paper"),
    # a discrepancy flag's reason for the head judge's decision, by the master's words
    "flag_cleared_after": Text("账本第 {entry} 条后不再成立",
                               "no longer holds after entry {entry}"),
    "flag_cleared_arrived": Text("{judge} 的评分表送达后不再成立",
                                 "no longer holds once {judge}'s sheet arrived"),
    "flag_cleared_revision": Text("{judge} 提交第 {revision} 版",
                                  "{judge} sent revision {revision}"),
    "flag_cleared_override": Text("总裁判长改分 {judge} 的{criterion}",
                                  "head judge override of {judge}'s {criterion}"),
    "flag_cleared_withdrawn": Text("{judge} 的评分表已撤回", "{judge}'s sheet withdrawn"),
    "flag_review_asked": Text("已请 {judge} 复核", "review asked of {judge}"),
    "flag_review_confirmed": Text("{judge} 确认原评分", "{judge} confirmed the sheet"),
    "sheet_inventory": Text("打印清单", "pack inventory"),
    "print_inventory_alone": Text("打印清单列出同一次打印的其他表单：请同时选择要打印的表单",
                                  "an inventory lists the other sheets of its print: choose "
                                  "the sheets to print too"),
    # enrolment codes and seats
    "code_ttl": Text("绑定码的有效期必须大于零", "a code must stay valid for some time (ttl > 0)"),
    "code_failed": Text("无法发绑定码：{error}", "cannot issue an enrolment code: {error}"),
    "seat_reason_required": Text("请说明解除席位锁定的原因",
                                 "say why the seat is reopened (--reason)"),
    # paper sheets typed twice
    "what_operator": Text("录入员姓名", "the operator's name"),
    "doing_paper_entry": Text("录入纸质评分表", "type in a paper sheet"),
    "form_code_typo": Text("表单码 {code} 有误（第 {group} 组有错字）；请核对纸质评分表上印的"
                           "表单码",
                           "the form code {code} has a typo (group {group}); check the code "
                           "printed at the top of the paper form"),
    "form_code_bad": Text("{code} 不是表单码；表单码形如 ABCDEFG-HIJKLMN，印在纸质评分表右上角",
                          "{code} is not a form code; a form code looks like "
                          "ABCDEFG-HIJKLMN, printed at the top of the paper form"),
    "no_form": Text("{code} 不是已打印的纸质评分表的表单码；请先打印纸质评分表",
                    "{code} is not a printed paper scoring form; print the forms first "
                    "(head-judge print --sheet form)"),
    "form_struck": Text("{judge} 回避 {contestant}：评分表上此行已划去，不应有分数",
                        "{judge} is recused from {contestant}: the row is struck on the form "
                        "and has no scores"),
    "paper_excused": Text("{judge} 已被免去为 {contestant} 评分，不再录入其评分表",
                          "{judge} is excused from scoring {contestant}; their sheet is not "
                          "typed in"),
    "paper_twice": Text("{operator} 已录入过 {judge} 对 {contestant} 的评分表（第 {round} 版）；"
                        "再次录入须由另一名录入员完成",
                        "{operator} already typed {judge}'s sheet for {contestant} (revision "
                        "{round}); the next entry must be typed by another operator"),
    "paper_missing": Text("尚缺 {criteria}：前两次录入须填写每一项",
                          "{criteria} missing: the first two entries carry every criterion"),
    "paper_only_open": Text("{criteria} 两次录入已一致，无需再录；只录入不一致的项：{open}",
                            "{criteria} already agreed; type only the criteria that differ: "
                            "{open}"),
    "paper_other_form": Text("这份评分表第一次录入时用的是表单 {first}，不是 {form}",
                             "this sheet was first typed from form {first}, not {form}"),
    "paper_no_values": Text("没有录入任何分数", "no score was typed"),
    "paper_pair": Text("{text} 不是“评分项=分数”的形式",
                       "{text} is not CRITERION=VALUE (e.g. pitch=15.5)"),
    "paper_agreed_already": Text("{judge} 对 {contestant} 的纸质评分表已两次录入一致"
                                 "（第 {revision} 版）；评委修改后的评分表请按“修改”录入",
                                 "{judge}'s paper sheet for {contestant} is already agreed "
                                 "(revision {revision}); type a corrected sheet as a revision "
                                 "(--revise)"),
    # a judge's laptop sheet and paper sheet for the same contestant
    "what_conflict_reason": Text("选定评分表的原因", "a reason for the choice"),
    "conflict_keep": Text("只能保留笔记本评分表或纸质评分表，不是 {keep}",
                          "keep `laptop` or `paper`, not {keep}"),
    "no_conflict": Text("{judge} 对 {contestant} 没有待选定的笔记本评分表与纸质评分表",
                        "{judge} has no laptop sheet and paper sheet for {contestant} to "
                        "choose between"),
    "cannot_reveal": Text("还不能为 {contestant} 亮分：{blockers}",
                          "cannot reveal {contestant} yet: {blockers}"),
    "reveal_no_sheets": Text("{contestant} 没有计分的评分表，无分可亮",
                             "{contestant} has no sheet that counts: nothing to reveal"),
    "blocker_sheet_conflict": Text("{judge} 对 {contestant} 同时有笔记本与纸质评分表，需总裁判长"
                                   "选定其一",
                                   "{judge} has both a laptop sheet and a paper sheet for "
                                   "{contestant}: the head judge chooses one"),
    # blind judging: the draw (抽签号) and the reveal of identities (解密)
    "blocker_identities_hidden": Text("本赛事为加密评分，选手身份尚未解密：请先解密",
                                      "identities are still hidden in this blind final: reveal "
                                      "them first (head-judge reveal-identities)"),
    "not_blind": Text("本赛事不是加密评分，无需抽签或解密",
                      "this final is not blind ([event] blind = true in the event file): "
                      "there is no draw and nothing to reveal"),
    "identities_already_revealed": Text("选手身份已于账本第 {entry} 条解密，不能再抽签或再次解密",
                                        "identities were revealed at ledger entry {entry}: no "
                                        "draw or second reveal"),
    "draw_after_sheets": Text("已收到评分表，不能再抽签（重新抽签只能在评分开始前）",
                              "sheets have already been received: the draw can be made again "
                              "only before scoring starts"),
    "draw_seed_or_import": Text("抽签请给出种子或导入抽签表，二者取其一",
                                "give either a seed (--seed) or a draw file (--import), not "
                                "both or neither"),
    "what_seed": Text("抽签种子", "the seed"),
    "what_reveal_reason": Text("解密原因", "a reason for revealing identities"),
    "no_draw_yet": Text("尚未抽签，无可解密",
                        "no draw has been made yet: nothing to reveal (head-judge draw)"),
    "draw_bad": Text("抽签表有误，未记录：{problems}", "the draw was not recorded: {problems}"),
    "draw_not_recorded": Text("抽签未记录", "the draw was not recorded"),
    "draw_at_line": Text("第 {line} 行：{problem}", "line {line}: {problem}"),
    "draw_unknown_contestant": Text("没有选手 {contestant}", "there is no contestant "
                                    "{contestant}"),
    "draw_empty_number": Text("{contestant} 的抽签号为空", "{contestant} has no draw number"),
    "draw_bad_number": Text("{contestant} 的抽签号 {draw} 过长或含有空格等字符"
                            "（至多 {max} 个字符）",
                            "{contestant}'s draw number {draw} is too long or has spaces or "
                            "other odd characters (at most {max} characters)"),
    "draw_contestant_twice": Text("{contestant} 出现两次（另见第 {line} 行）",
                                  "{contestant} is given twice (also on line {line})"),
    "draw_number_twice": Text("抽签号 {draw} 重复（另见第 {line} 行，{contestant}）",
                              "draw number {draw} is repeated (also on line {line}, "
                              "{contestant})"),
    "draw_missing": Text("没有抽签号的选手：{contestants}",
                         "contestants without a draw number: {contestants}"),
    "draw_empty": Text("抽签表没有任何一行", "the draw has no rows"),
    # what `head-judge draw` and `head-judge reveal-identities` say when they are done
    "said_draw_seed": Text("已按种子 {seed} 抽签（账本第 {entry} 条），共 {count} 名选手",
                           "draw from the seed {seed} recorded (ledger entry {entry}), "
                           "{count} contestants"),
    "said_draw_import": Text("已导入抽签表 {file}（sha256 {digest}，账本第 {entry} 条），"
                             "共 {count} 名选手",
                             "draw imported from {file} (sha256 {digest}, ledger entry "
                             "{entry}), {count} contestants"),
    "said_col_draw": Text("抽签号", "draw"),
    "said_col_contestant": Text("选手", "contestant"),
    "said_revealed": Text("选手身份已解密（账本第 {entry} 条）：评委终端将收到姓名与单位，"
                          "成绩可以发布",
                          "identities revealed (ledger entry {entry}): terminals now get "
                          "names and organisations, and results may be published"),
})


class Message(Phrase):
    """One refusal: a catalogue id and its parameters. As a `str` it is the English
    sentence; `render(lang)` is the sentence in `lang`. An unknown id is a KeyError."""

    catalogue = REFUSALS


RECORDED: Final = ("why_sheet_withdrawn", "why_judge_excused", "why_device_replaced",
                   "why_signed_twice")
"""The ids of what the master writes into the ledger in its own words."""


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)  # text, name, text, name, ..., text
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)"
                              for i, p in enumerate(parts)), re.DOTALL)


_RECORDED_PATTERNS = {key: _pattern(REFUSALS[key].en) for key in RECORDED}


def recorded(text: str) -> Message:
    """A reason or detail as the ledger keeps it: one the master wrote in its own words
    (`RECORDED`) as the message it was written from, to be shown in either language;
    anything else (what the head judge typed) as it is."""
    for key, pattern in _RECORDED_PATTERNS.items():
        found = pattern.fullmatch(text)
        if found:
            return Message(key, **found.groupdict())
    return Message(UNTRANSLATED, text=text)


def read_back(key: str, text: str) -> Message | None:
    """`text` as the message `key` it is the English of, its parameters read back (as
    text); None when it is not. For sentences other code writes in the same words as a
    catalogue's English (the scoring's reasons for what is unresolved)."""
    found = _pattern(REFUSALS[key].en).fullmatch(text)
    return None if found is None else Message(key, **found.groupdict())


def message(reason: str | Message, /, **params: object) -> Message:
    """A refusal as a `Message`: a message as it is, a catalogue id with its parameters, or
    (while raise sites are being given ids) a plain English sentence as `UNTRANSLATED`."""
    if isinstance(reason, Message):
        return reason
    if reason in REFUSALS:
        return Message(reason, **params)
    return Message(UNTRANSLATED, text=reason)


class Refused(Exception):
    """What the head judge's side cannot do, in the catalogue's words: raised with a message
    id and its parameters (or a `Message`; or, from a site not yet given an id, an English
    sentence). `str(exc)` is the English; `exc.message.render(lang)` what a screen shows."""

    def __init__(self, reason: str | Message = "", /, **params: object) -> None:
        self.message = message(reason, **params)
        super().__init__(str(self.message))
