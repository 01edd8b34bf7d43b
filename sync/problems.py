"""User-facing input problems: what was wrong, where, and what was expected.

Loaders collect every problem in a file before raising, so a user fixes them all in one go.
A problem's `where` and `message` are plain English, or `Said` phrases (catalogue `PROBLEMS`)
where an app shows them in the user's language (component files in the head judge's
console): `str(problem)` is English either way, `problem.render(lang)` is in `lang`.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from .catalogue import Catalogue
from .event import Text
from .phrases import Phrase

PROBLEMS = Catalogue("sync.problems", {
    # where in the file
    "line": Text("第 {line} 行", "line {line}"),
    "line_column": Text("第 {line} 行 {column} 列", "line {line}, column {column}"),
    # the event file (sync.event_file)
    "tiebreak_prefer": Text("{table} 中 {key} 的 {field} 应为 {higher}（较高者在前）或 {lower}"
                            "（较低者在前），实为 {got}",
                            "{field} for {key} in {table} must be {higher} (the higher value "
                            "ranks first) or {lower} (the lower value ranks first), got {got}"),
    # the event file: what a value was (`event_file._describe`)
    "ev_got_number": Text("数字 {n}", "the number {n}"),
    "ev_got_large": Text("非常大的数", "a very large number"),
    "ev_got_long": Text("非常长的数", "a very long number"),
    "ev_got_text": Text("文字 {text}", "text {text}"),
    "ev_got_list": Text("列表", "a list"),
    "ev_got_table": Text("表", "a table"),
    "ev_got_datetime": Text("日期和时间", "a date and time"),
    "ev_got_date": Text("日期", "a date"),
    "ev_got_time": Text("时间", "a time"),
    # the event file: what a value should be
    "ev_exp_text": Text("带引号的文字", "text in quotes"),
    "ev_exp_id": Text("编号：不含空格和 {chars} 的文字", "an id: text without spaces, {chars}"),
    "ev_exp_number": Text("数字", "a number"),
    "ev_exp_whole": Text("整数", "a whole number"),
    "ev_exp_bool": Text("{yes} 或 {no}", "{yes} or {no}"),
    "ev_exp_name": Text("名称：{form} 或带引号的文字", "a name: {form} or text in quotes"),
    "ev_exp_whole_no_point": Text("整数（不带小数点）", "a whole number (no decimal point)"),
    "ev_exp_whole_between": Text("{low} 到 {high} 之间的整数",
                                 "a whole number between {low} and {high}"),
    "ev_exp_number_unquoted": Text("不带引号的数字", "a number without quotes"),
    "ev_exp_number_between": Text("{low} 到 {high} 之间的数", "a number between {low} and {high}"),
    "ev_exp_finite": Text("有限的数", "a finite number"),
    "ev_exp_places": Text("最多 {n} 位小数", "at most {n} decimal places"),
    "ev_exp_date_only": Text("只写日期，例如 {example}", "a date only, like {example}"),
    "ev_exp_date_unquoted": Text("不带引号的日期，例如 {example}",
                                 "a date without quotes, like {example}"),
    "ev_exp_one_of": Text("其中之一：{options}", "one of {options}"),
    "ev_exp_table": Text("[{table}] 表", "a [{table}] table"),
    "ev_exp_a_table": Text("表", "a table"),
    "ev_exp_entries": Text("{header} 条目", "{header} entries"),
    "ev_exp_one_entry": Text("至少一个 {header} 条目", "at least one {header} entry"),
    "ev_exp_texts": Text("带引号的文字列表", "a list of texts in quotes"),
    "ev_exp_date_like": Text("日期，例如 {example}", "a date like {example}"),
    "ev_exp_list_such": Text("列表，例如 {example}", "a list such as {example}"),
    "ev_exp_positive": Text("大于 0 的数", "a number greater than 0"),
    "ev_exp_whole_from_to": Text("{low} 到 {high} 的整数", "a whole number from {low} to {high}"),
    "ev_exp_whole_at_least": Text("至少为 {low} 的整数", "a whole number of at least {low}"),
    "ev_kind_criterion": Text("评分项", "criterion"),
    "ev_kind_component": Text("成绩项", "component"),
    "ev_kind_tier": Text("奖项", "tier"),
    "ev_kind_organisation_award": Text("单位奖", "organisation award"),
    "ev_kind_honour": Text("荣誉", "honour"),
    "ev_kind_judge": Text("评委", "judge"),
    "ev_kind_track": Text("赛道", "track"),
    "ev_kind_group": Text("组别", "group"),
    "ev_none_defined": Text("尚未定义", "none defined"),
    # the event file: what was wrong
    "ev_unknown_key": Text("未知的键；{hint}应为其中之一：{keys}",
                           "unknown key; {hint}expected one of {keys}"),
    "ev_did_you_mean": Text("是不是“{key}”？", 'did you mean "{key}"? '),
    "ev_missing": Text("缺失；应为{expected}", "missing; expected {expected}"),
    "ev_empty": Text("为空；应为{expected}", "empty; expected {expected}"),
    "ev_expected": Text("应为{expected}", "expected {expected}"),
    "ev_got": Text("{message}，实为{got}", "{message}, got {got}"),
    "ev_twice": Text("{item} 列出了两次", "{item} is listed twice"),
    "ev_duplicate_id": Text("重复的{kind}编号 {id}（另见 {also}）",
                            'duplicate {kind} id {id} (also {also})'),
    "ev_step": Text("步长 {step}", "step {step}"),
    "ev_default_step": Text("默认步长 1", "the default step 1"),
    "ev_step_larger": Text("{step}大于满分 {max}", "{step} is larger than max {max}"),
    "ev_step_divide": Text("{step}不能整除满分 {max}；分数是从 0 到满分的步长整数倍",
                           "{step} does not divide max {max}; scores are multiples of step "
                           "from 0 to max"),
    "ev_weight_zero": Text("评委评分的成绩项要计入：应为大于 0、至多 1 的比例"
                           "（只有导入的成绩项可为 0），实为 0",
                           "a judged component counts: expected a share greater than 0 and at "
                           "most 1 (only an imported component may weigh 0), got 0"),
    "ev_weight_range": Text("应为大于 0、至多 1 的比例（只用于排名并列比较的导入值可为 0），"
                            "实为 {got}",
                            "expected a share greater than 0 and at most 1 (0 for an imported "
                            "value kept for tie-breaks only), got {got}"),
    "ev_weights_sum": Text("权重之和为 {total}；必须恰好为 1",
                           "weights add up to {total}; they must add up to exactly 1"),
    "ev_no_panel": Text("没有 {setting} 的成绩项；至少要有一项是评委评分",
                        "no component has {setting}; at least one component must be the judged "
                        "score"),
    "ev_unknown_id": Text("未知的{kind} {id}；应为其中之一：{choices}",
                          "unknown {kind} {id}; expected one of: {choices}"),
    "ev_value_required": Text("为空；必须填写", "empty; a value is required"),
    "ev_file_or_list": Text("{file} 和 {list} 只能给出其中之一", "give either {file} or {list} "
                            "entries, not both"),
    "ev_no_contestants_given": Text("缺失；应为 {file} 或 {list} 条目",
                                    "missing; expected {file} or {list} entries"),
    "ev_exp_file_name": Text("文件名，例如 {example}", "a file name such as {example}"),
    "ev_exp_csv_xlsx": Text(".csv 或 .xlsx 文件", "a .csv or .xlsx file"),
    "ev_no_such_file": Text("无法读取 {path}：文件不存在", "cannot read {path}: no such file"),
    "ev_exp_columns": Text("应有列 {columns}（必填：{required}）",
                           "expected columns {columns} (required: {required})"),
    "ev_no_header": Text("没有带 {column} 列的表头行；{expected}{hint}",
                         "no header row with an {column} column; {expected}{hint}"),
    "ev_tabs_hint": Text("；各列似乎用制表符或分号分隔，而不是逗号",
                         "; the columns seem separated by tabs or semicolons, not commas"),
    "ev_unknown_column": Text("未知的列；{expected}", "unknown column; {expected}"),
    "ev_duplicate_column": Text("重复的列", "duplicate column"),
    "ev_missing_column": Text("缺少列 {columns}；{expected}",
                              "missing column {columns}; {expected}"),
    "ev_no_rows": Text("表头行（第 {line} 行）下面没有选手",
                       "no contestants below the header row (line {line})"),
    "ev_extra_cells": Text("有 {cells} 个单元格，但表头只有 {columns} 列",
                           "{cells} cells but the header has {columns} columns"),
    "ev_duplicate_contestant": Text("重复的选手编号 {id}（另见 {also}）",
                                    "duplicate contestant id {id} (also {also})"),
    "ev_group_missing": Text("缺失；本赛事各组分别排名，应为其中之一：{choices}",
                             "missing; this event ranks groups separately, expected one of: "
                             "{choices}"),
    "ev_group_without_groups": Text("给出了组别 {group}，但赛事文件没有 {groups}；"
                                    "请留空或添加该组别",
                                    "group {group} given but the event file has no {groups}; "
                                    "leave it empty or add the group"),
    "ev_unknown_judge_ids": Text("未知的评委 {judge}；评委编号为：{choices}",
                                 "unknown judge {judge}; expected judge ids: {choices}"),
    "ev_recused_everywhere": Text("对所有选手都回避；请删去该评委或改正其单位",
                                  "recused from every contestant; remove the judge or fix "
                                  "affiliation"),
    "ev_nobody_left": Text("所有评委都对 {contestant} 回避；没有人能给这名选手评分",
                           "every judge is recused from {contestant}; no one can score this "
                           "contestant"),
    # tie-breaks, prize tiers, appeals, organisation awards, honours
    "ev_exp_list_of": Text("由文字或表组成的列表（{entry}）",
                           "a list of texts or tables ({entry})"),
    "ev_exactly_one": Text("应恰好给出其中之一：{options}{given}",
                           "expected exactly one of {options}{given}"),
    "ev_given": Text("（实为 {keys}）", " (got {keys})"),
    "ev_exp_percentage": Text("大于 0、至多 100 的百分比",
                              "a percentage greater than 0 and at most 100"),
    "ev_rest_true": Text("应为 {setting}；{what}不要写这个键",
                         "expected {setting}; leave the key out of {what}"),
    "ev_what_count_tier": Text("名额或百分比奖项", "a count or percent tier"),
    "ev_what_top_honour": Text("前 N 名荣誉", "a top honour"),
    "ev_last_rest": Text("只有最后一个奖项可以写 {setting}",
                         "only the last tier may have {setting}"),
    "ev_tier_basis": Text("{what}奖项用在 {basis} 的奖项设置中；请用 {use} 或设 {set}",
                          "a {what} tier in awards with {basis}; use {use} or set {set}"),
    "ev_percent_sum": Text("百分比奖项合计 {total}；获奖最多 100",
                           "percent tiers add up to {total}; at most 100 can win"),
    "ev_exp_minutes": Text("至少为 1 的整数分钟", "a whole number of minutes of at least 1"),
    "ev_quorum_committee": Text("法定人数需要仲裁委员会：请在 {setting} 中写明委员",
                                "a quorum needs the committee: name its members in {setting}"),
    "ev_exp_quorum": Text("1 到 {size}（仲裁委员会人数）", "1 to {size} (the committee's size)"),
    "ev_exp_member_names": Text("委员姓名，例如 {example}",
                                "the members' names, such as {example}"),
    "ev_exp_member_name": Text("委员姓名", "a member's name"),
    "ev_best_only": Text("{key} 只用于 {score}；这里不要写", "{key} is for {score}; leave it "
                         "out here"),
    "ev_points_only": Text("{key} 只用于 {score}；这里不要写", "{key} are for {score}; leave "
                           "them out here"),
    "ev_exp_best": Text("每个单位取多少个最好成绩求平均，例如 {example}",
                        "how many of each organisation's best finals to average, such as "
                        "{example}"),
    "ev_exp_points": Text("每个奖项的积分，例如 {example}",
                          "points per prize tier, such as {example}"),
    "ev_no_tiers": Text("没有 {tiers} 可以给积分", "there are no {tiers} to give points for"),
    "ev_exp_point_number": Text("积分数", "a number of points"),
    "ev_exp_points_min": Text("0 分或以上", "0 points or more"),
    "ev_kind_prize_tier": Text("奖项", "prize tier"),
    "ev_groups_empty": Text("为空；要在每个组别都颁发该荣誉，请不写 {key}",
                            "empty; leave {key} out to give the honour in every group"),
    "ev_exp_requires": Text("表，例如 {example}", "a table such as {example}"),
    "ev_exp_minimum": Text("最低分（含）", "a minimum score (inclusive)"),
    # reading the event file (`event_file._read_toml`) and its schema
    "ev_unreadable": Text("无法读取赛事文件：{error}", "cannot read the event file: {error}"),
    "ev_not_utf8": Text("不是 UTF-8 文本；请将赛事文件存为 UTF-8", "not UTF-8 text; save the event "
                        "file as UTF-8"),
    "ev_syntax": Text("{toml} 语法错误：{error}", "{toml} syntax: {error}"),
    "ev_nested": Text("嵌套太深", "nested too deeply"),
    "ev_schema": Text("不支持的版本 {shown}；本版本读取 {setting}",
                      "unsupported schema {shown}; this version reads {setting}"),
    "ev_unknown_zone": Text("未知的时区；{hint}应为 {iana} 时区名，例如 {example}",
                            "unknown time zone; {hint}expected an {iana} time zone name such "
                            "as {example}"),
    # reading a spreadsheet (sync.tabular)
    "unreadable": Text("无法读取文件（{error}）", "cannot read the file: {error}"),
    "not_text": Text("既不是 UTF-8 也不是 GB18030 文本；请另存为 CSV（UTF-8）",
                     "neither UTF-8 nor GB18030 text; save it as CSV (UTF-8)"),
    "not_csv": Text("无法作为 CSV 读取（{error}）", "not readable as CSV: {error}"),
    "not_xlsx": Text("无法作为 Excel .xlsx 工作簿读取（{error}）",
                     "not readable as an Excel .xlsx workbook ({error})"),
    "missing_columns": Text("缺少列 {missing}；应有列 {required}（实有 {found}）",
                            "missing column(s) {missing}; expected columns {required} "
                            "(found {found})"),
    "no_columns": Text("无", "none"),
    "os_ENOENT": Text("文件不存在", "No such file or directory"),
    "os_EACCES": Text("没有读取权限", "Permission denied"),
    "os_EISDIR": Text("这是文件夹，不是文件", "Is a directory"),
    "os_EADDRINUSE": Text("这个端口已被占用", "Address already in use"),
    "os_EADDRNOTAVAIL": Text("本机没有这个地址", "Cannot assign requested address"),
    # a file that is not a spreadsheet we read (sync.tabular `sniff`)
    "old_xls": Text("这是旧版 Excel 97–2003 工作簿（.xls），无法读取：请在 Excel 或 WPS 中打开，"
                    "“另存为” Excel 工作簿（.xlsx），再用 .xlsx 文件",
                    "an old Excel 97–2003 workbook (.xls) cannot be read: open it in Excel or "
                    "WPS, \"Save As\" an Excel Workbook (.xlsx) and give that file instead"),
    "ods_workbook": Text("这是 OpenDocument 表格（.ods），无法读取：请在 WPS、LibreOffice 或 "
                         "Excel 中打开，“另存为” Excel 工作簿（.xlsx），再用 .xlsx 文件",
                         "an OpenDocument spreadsheet (.ods) cannot be read: open it in WPS, "
                         "LibreOffice or Excel, \"Save As\" an Excel Workbook (.xlsx) and give "
                         "that file instead"),
    "not_spreadsheet": Text("不是电子表格（{what}）：应为 CSV 文件或 Excel 工作簿（.xlsx）",
                            "not a spreadsheet ({what}): expected a CSV file or an Excel "
                            "workbook (.xlsx)"),
    "kind_empty": Text("空文件", "the file is empty"),
    "kind_pdf": Text("这是 PDF 文档", "it is a PDF document"),
    "kind_zip": Text("这是压缩包，里面没有 Excel 工作簿", "it is a ZIP archive with no Excel "
                     "workbook inside"),
    "kind_word": Text("这是 Word 文档", "it is a Word document"),
    "kind_binary": Text("内容是二进制数据，不是文字", "its content is binary data, not text"),
    "kind_text_as_xlsx": Text("这是文本文件，却以 {suffix} 结尾；若是 CSV，请改名为 .csv",
                              "it is a text file named {suffix}; if it is CSV, name it .csv"),
    # the Excel export (head_judge.export)
    "export_unwritable": Text("无法在此写入工作簿：{error}",
                              "cannot write the workbook there: {error}"),
    # the registration import (sync.registration)
    "reg_cell": Text("工作表 {sheet} 第 {row} 行 {cell} 单元格", "sheet {sheet}, row {row}, "
                     "cell {cell}"),
    "reg_form_cell": Text("工作表 {sheet} {cell} 单元格", "sheet {sheet}, cell {cell}"),
    "reg_sheet": Text("工作表 {sheet}", "sheet {sheet}"),
    "reg_row": Text("工作表 {sheet} 第 {row} 行", "sheet {sheet}, row {row}"),
    "reg_sheet_at": Text("工作表 {sheet} {where}", "sheet {sheet}, {where}"),
    "reg_row_only": Text("第 {row} 行", "row {row}"),
    "reg_row_cell": Text("第 {row} 行 {cell} 单元格", "row {row}, cell {cell}"),
    "reg_cell_only": Text("{cell} 单元格", "cell {cell}"),
    "reg_with_column": Text("{place}（{column}）", "{place} ({column})"),
    "reg_unreadable": Text("无法读取对应关系文件：{error}",
                           "cannot read the mapping file: {error}"),
    "reg_not_utf8": Text("不是 UTF-8 文本；请将对应关系文件存为 UTF-8",
                         "not UTF-8 text; save the mapping file as UTF-8"),
    "reg_exp_plain_text": Text("文字", "text"),
    "reg_exp_texts_eg": Text("文字列表，例如 {example}", "a list of texts, e.g. {example}"),
    "reg_id_both": Text("{generated}（自动生成编号）和 {column} 只能给出其中之一",
                        "give either {generated} (generated ids) or {column}, not both"),
    "reg_no_id": Text("没有编号：请写 {map}，或用 {generate} 自动生成编号",
                      "no id: map {map} or generate ids with {generate}"),
    "reg_exp_match": Text("应为表头文字，或 {a}、{b} 之一",
                          "expected a header text or one of {a} or {b}"),
    "reg_no_columns": Text("缺失；应有 {table} 表，写明 {fields} 来自哪里",
                           "missing; expected a {table} table saying where {fields} come from"),
    "reg_column_required": Text("缺失；此列必填", "missing; this column is required"),
    "reg_exp_cell": Text("单元格，例如 {example}", "a cell like {example}"),
    "reg_join": Text("{join} 只能与 {headers} 一起用", "{join} only goes with {headers}"),
    "reg_own_id": Text("每名选手都要有自己的编号；请映射一列，或用 {ids} 自动生成编号",
                       "every contestant needs their own id; map a column or generate ids "
                       "with {ids}"),
    "reg_no_contestants": Text("所有工作表中都没有找到选手", "no contestants found in any sheet"),
    "reg_no_sheet": Text("{file} 中没有工作表“{wanted}”；其工作表为 {names}",
                         'no sheet "{wanted}" in {file}; its sheets are {names}'),
    "reg_header_twice": Text("{headers} 在表头行中出现了不止一次；指的是哪一列？",
                             "{headers} appears more than once in the header row; which column "
                             "is meant?"),
    "reg_no_header": Text("前 {rows} 行中没有含 {headers} 的表头行",
                          "no header row with {headers} in the first {rows} rows"),
    "reg_header_partial": Text("表头行有 {found}，但没有 {missing}",
                               "the header row has {found} but not {missing}"),
    "reg_form_empty": Text("{column} 为空（取自每个工作表的这个单元格）",
                           "{column} is empty (mapped from this cell of every sheet)"),
    "reg_header_empty": Text("{header} 为空", "{header} is empty"),
    "reg_headers_empty": Text("{headers} 都为空", "{headers} are all empty"),
    "reg_no_rows": Text("表头行（第 {row} 行）下面没有选手",
                        "no contestants below the header row (row {row})"),
    "reg_not_mapped": Text("{label} “{key}”不在对应关系中（{values} 只有 {choices}）",
                           '{label} "{key}" is not in the mapping ({values} has {choices})'),
    "reg_not_an_id": Text("{column} “{text}”不是编号：编号不含空格和 {chars}",
                          '{column} "{text}" is not an id: text without spaces, {chars}'),
    "reg_bad_order": Text("{column} “{order}”不是至少为 1 的整数",
                          '{column} "{order}" is not a whole number of at least 1'),
    "reg_exists": Text("已存在；要替换请加 {option}",
                       "already exists; give {option} to replace it"),
    "reg_exp_prefix": Text("不含空格和 {chars} 的文字", "text without spaces, {chars}"),
    "reg_event_no_file": Text("要核对导入，赛事文件必须写明选手文件（{setting}）",
                              "the event file must name a contestants file ({setting}) to "
                              "check an import against it"),
    "reg_event_not_csv": Text("要核对导入，赛事的选手文件必须是赛事文件旁边的 {format} 文件",
                              "to check an import, the event's contestants file must be a "
                              "{format} next to the event file"),
    "reg_duplicate_id": Text("重复的编号“{id}”（另见 {also}）",
                             'duplicate id "{id}" (also {also})'),
    "duplicate_person": Text("与{other}重复：同名同单位（{name}，{organisation}）；若确是两个人，"
                             "请在映射文件 [match] 中映射身份证号列，以便区分",
                             "the same name and organisation as {other} ({name}, "
                             "{organisation}); if they are two people, map the ID-card column "
                             "in the mapping's [match] so they can be told apart"),
    "duplicate_id_number": Text("与{other}的身份证号相同：同一个人报名两次",
                                "the same ID-card number as {other}: one person entered twice"),
    "near_affiliation": Text("注意：选手单位“{organisation}”与评委 {judge} 的单位"
                             "“{affiliation}”相近但不相同（{why}），不会自动回避；若是同一单位，"
                             "请把两处写成一样",
                             "warning: the organisation \"{organisation}\" is close "
                             "to judge {judge}'s affiliation \"{affiliation}\" but not the "
                             "same ({why}), so there is no recusal; if they are one "
                             "organisation, write them the same"),
    "near_suffix": Text("只差“有限公司”“分院”之类的通用后缀",
                        "they differ only by a generic ending such as 有限公司 or 分院"),
    "near_contains": Text("一个包含另一个", "one contains the other"),
    "near_spelling": Text("只差个别字", "they differ by a character or two"),
    # an imported component's values (head_judge.paper)
    "not_import_component": Text("{component} 不是本赛事的导入成绩项；导入成绩项为 {imports}",
                                 "{component} is not an imported component of this event; "
                                 "expected one of {imports}"),
    "no_import_components": Text("（无）", "(none)"),
    "unknown_contestant": Text("本赛事没有选手 {contestant}", "unknown contestant {contestant}"),
    "duplicate_value": Text("{contestant} 的值重复（第一次在第 {line} 行）",
                            "duplicate value for {contestant} (first on line {line})"),
    "not_a_value": Text("{text}：应为 0–{max} 之间的数", "{text}: expected a number 0–{max}"),
    # judges' paper sheets (head_judge.paper.read_sheets)
    "unknown_column": Text("列 {column} 无法识别：评分项列的列名应为评分项编号或其任一语言的名称"
                           "（{expected}）",
                           "unknown column {column}: a criterion column is headed by the "
                           "criterion's id or its name in any of the event's languages "
                           "({expected})"),
    "ambiguous_column": Text("列 {column} 可指多个评分项（{criteria}）；请改用评分项编号作列名",
                             "column {column} could be any of the criteria {criteria}; head "
                             "it with the criterion's id instead"),
    "duplicate_column": Text("列 {column} 与列 {other} 是同一评分项 {criterion}",
                             "columns {other} and {column} are both criterion {criterion}"),
    "unknown_judge": Text("本赛事没有评委 {judge}；评委为 {judges}",
                          "unknown judge {judge}; expected one of {judges}"),
    "duplicate_sheet": Text("评分表重复：{judge} 已在第 {line} 行为 {contestant} 评分",
                            "duplicate sheet: {judge} already scored {contestant} on line "
                            "{line}"),
    "recused_sheet": Text("{judge} 须回避 {contestant}（同单位或已申报利益冲突）",
                          "{judge} is recused from {contestant} (same organisation or "
                          "declared conflict)"),
    "declared_absent_sheet": Text("{contestant} 已由 {option} 申报缺席，但此行是其评分表",
                                  "{contestant} is declared absent by {option}, but this "
                                  "row is a sheet for them"),
    "not_a_score": Text("{text} 不是分数：应为 0–{max} 之间、步长 {step} 的数",
                        "{text} is not a score; expected a number 0–{max} in steps of {step}"),
    "unknown_criterion": Text("本赛事没有评分项 {criterion}", "unknown criterion {criterion}"),
    "out_of_range": Text("{value} 超出 0–{max}", "{value} is outside 0–{max}"),
    "off_step": Text("{value} 不是步长 {step} 的整数倍",
                     "{value} is not a multiple of the step {step}"),
    # what a tabulation still lacks (head_judge.cli.tabulate)
    "incomplete": Text("结果不完整：以下评分表、成绩项或裁决缺失，这些结果还不是最终结果"
                       "（退出码 3；确认无误后可加 {option} 照常结束）",
                       "incomplete results: the sheets, values or decisions below are missing, "
                       "so these results are not final (exit code 3; {option} accepts them)"),
    "incomplete_allowed": Text("注意：结果不完整（已用 {option} 接受），以下评分表、成绩项或裁决"
                               "缺失",
                               "warning: incomplete results (accepted by {option}); the "
                               "sheets, values or decisions below are missing"),
    "missing_all_sheets": Text("{contestant}：没有任何评分表，按缺席计（应有 {judges} 的评分表；"
                               "确未参赛请加 {option}）",
                               "{contestant}: no sheets at all, counted absent (expected from "
                               "{judges}; if they did not compete, add {option})"),
    "missing_sheets": Text("{contestant}：缺评委 {judges} 的评分表",
                           "{contestant}: no sheet from judge {judges}"),
    "missing_components": Text("{contestant}：缺导入成绩项 {components} 的值",
                               "{contestant}: no value for the imported component "
                               "{components}"),
    "unresolved_tie_prize": Text("{contestants} 经全部决胜规则仍同分，跨越奖项分界，"
                                 "须由总裁判长裁决",
                                 "{contestants} still tie after every tie-break across a "
                                 "prize boundary; the head judge must decide"),
    "unresolved_tie_advancement": Text("{contestants} 经全部决胜规则仍同分，跨越晋级名额或"
                                       "单位名额上限，须由总裁判长裁决",
                                       "{contestants} still tie after every tie-break across "
                                       "the advancement places or an organisation's cap; the "
                                       "head judge must decide"),
    "unresolved_tie_honour": Text("{contestants} 经全部决胜规则仍同分，跨越荣誉名额，"
                                  "须由总裁判长裁决",
                                  "{contestants} still tie after every tie-break across the "
                                  "last place of an honour; the head judge must decide"),
    "unresolved_tie_organisation": Text("{contestants} 得分相同，跨越单位奖 {award} 的获奖名额，"
                                        "须由总裁判长裁决",
                                        "{contestants} tie across the last place of the "
                                        "organisation award {award}; the head judge must "
                                        "decide"),
    "unresolved_other": Text("待裁决：{reason}", "unresolved: {reason}"),
    # `tabulate --template --out FILE`
    "file_exists": Text("文件已存在，不会覆盖；请换一个文件名或先移走原文件",
                        "the file exists and is not overwritten; choose another name or move "
                        "it away first"),
    "unwritable": Text("无法写入文件（{error}）", "cannot write the file: {error}"),
    # a judge's sheet (`sync.store.check_sheet_values`)
    "sv_not_on_panel": Text("评委 {judge} 不在本赛事的评委名单中",
                            "judge {judge} is not on this event's panel"),
    "sv_no_contestant": Text("本赛事没有选手 {contestant}",
                             "there is no contestant {contestant} in this event"),
    "sv_recused": Text("评委 {judge} 不给选手 {contestant} 评分（回避）",
                       "judge {judge} does not score contestant {contestant} (recused)"),
    "sv_unknown": Text("未知的评分项：{criteria}", "unknown criteria: {criteria}"),
    "sv_missing": Text("{criterion}：未填（0-{max}，步长 {step}）",
                       "{criterion}: missing (0-{max}, step {step})"),
    "sv_not_number": Text("{criterion}：{value} 不是数字", "{criterion}: {value} is not a number"),
    "sv_outside": Text("{criterion}：{value} 超出 0-{max}",
                       "{criterion}: {value} is outside 0-{max}"),
    "sv_not_multiple": Text("{criterion}：{value} 不是 {step} 的倍数",
                            "{criterion}: {value} is not a multiple of {step}"),
    "sv_not_score": Text("{criterion}：{value} 不是分值", "{criterion}: {value} is not a score"),
    # what a judge laptop's store refuses (`sync.store.StoreError`)
    "st_all": Text("{problems}", "{problems}"),
    "st_no_wal": Text("{file}：这块磁盘无法存放这种数据库（它需要预写日志模式）",
                      "{file}: this disk cannot hold a WAL database"),
    "st_damaged": Text("{file} 已损坏，无法读取（{error}）；请告诉总裁判长，并保留这个文件",
                       "{file} is damaged and cannot be read ({error}); tell the head judge "
                       "and keep the file"),
    "st_newer": Text("{file} 由更新版本的评委终端写入；请更新本机的评委终端",
                     "{file} was written by a newer judge-terminal; update this one"),
    "st_not_enrolled": Text("本机尚未绑定：请用总裁判长给的绑定码绑定",
                            "this laptop is not enrolled yet: enrol it with the code from the "
                            "head judge"),
    "st_event_unreadable": Text("本机保存的赛事无法读取：{problem}",
                                "the stored event is unreadable: {problem}"),
    "st_other_device": Text("总裁判长绑定的设备编号不是本机的",
                            "the head judge enrolled another device id than this laptop's"),
    "st_sent_unreadable": Text("总裁判长发来的赛事无法读取：{problem}",
                               "the head judge sent an unreadable event: {problem}"),
    "st_digest": Text("总裁判长发来的赛事与其摘要不符",
                      "the event the head judge sent does not match its digest"),
    "st_key_changed": Text("本机的设备密钥在绑定后变了；请重新绑定",
                           "this laptop's device key changed since enrolment; enrol again"),
    "st_not_numbers": Text("每个分值都必须是数字", "every value must be a number"),
    "st_comment_long": Text("评语超过 {n} 个字", "the comment is longer than {n} characters"),
    "st_reason_long": Text("原因超过 {n} 个字", "the reason is longer than {n} characters"),
    "st_has_sheet": Text("选手 {contestant} 已有你的评分表（第 {revision} 版）；修改需要填写原因",
                         "contestant {contestant} already has your sheet (revision {revision}); "
                         "a correction needs a reason"),
    "st_first_sheet": Text("这是你给选手 {contestant} 的第一张评分表；只有修改才需要原因",
                           "this is your first sheet for contestant {contestant}; a reason is "
                           "only for a correction"),
    "st_unsignable": Text("评分表无法签名：{reason}", "{reason}"),
    "st_too_large": Text("评分表太大，无法发送；请缩短评语",
                         "this sheet is too large to send; shorten the comment"),
    "st_no_review": Text("本机没有给你的复核请求 {review}",
                         "there is no review request {review} for you on this laptop"),
    "st_nothing_to_confirm": Text("你没有选手 {contestant} 的评分表可确认",
                                  "you have no sheet for contestant {contestant} to confirm"),
    # a signed record's shape (`sync.records.RecordError`)
    "rec_not_score": Text("{value} 不是分值", "{value} is not a score"),
    "rec_not_pair": Text("记录应为恰好含 {body} 和 {sig} 两项的对象",
                         "a record is an object with exactly {body} and {sig}"),
    "rec_not_strings": Text("记录的 {body} 和 {sig} 必须是文字",
                            "record {body} and {sig} must be strings"),
    "rec_too_large": Text("记录正文超过 {n} 字节", "record body over {n} bytes"),
    "rec_bad_encoding": Text("记录的 {sig} 不是合法的编码，或 {body} 不是 UTF-8",
                             "record {sig} is not base64 or {body} is not UTF-8"),
    "rec_bad_signature": Text("记录的 {sig} 不是 {algorithm} 签名",
                              "record {sig} is not an {algorithm} signature"),
    "rec_not_canonical": Text("记录正文不是规范编码：{reason}",
                              "record body is not canonical JSON: {reason}"),
    "rec_not_object": Text("记录正文不是对象", "record body is not an object"),
    "rec_other_device": Text("{record}上的设备不是签名密钥的设备",
                             "the {record} names another device than the signing key's"),
    "rec_text_field": Text("{field} 必须是不超过 {limit} 个字符的文字",
                           "{field} must be a string of at most {limit} characters"),
    "rec_bad_characters": Text("{field} 含有不允许的字符",
                               "{field} has characters that are not allowed"),
    "rec_count_field": Text("{field} 必须是从 1 起的整数", "{field} must be a whole number from 1"),
    "rec_fields_wrong": Text("{record}的字段有误：{problems}", "{record} fields wrong: {problems}"),
    "rec_unknown_fields": Text("多出 {fields}", "unknown {fields}"),
    "rec_missing_fields": Text("缺少 {fields}", "missing {fields}"),
    "rec_not_version": Text("不是第 {version} 版的{record}", "not a version {version} {record}"),
    "rec_values": Text("{values} 必须是含 1-64 个评分项的对象",
                       "{values} must be an object of 1-64 criteria"),
    "rec_plain_value": Text("{criterion} 的分值必须是普通数字，例如 8 或 8.5",
                            "value for {criterion} must be a plain number such as 8 or 8.5"),
    "rec_revision": Text("第一版之后的修改须写明被替代的评分表和原因",
                         "a revision after the first names the sheet it supersedes and a reason"),
    "rec_kind": Text("{kind} 必须是 {sheet} 或 {confirmation}",
                     "{kind} must be {sheet} or {confirmation}"),
    "rec_receipt_signer": Text("回执不是本机绑定的总裁判长签的",
                               "receipt not signed by the enrolled head judge"),
    "rec_not_receipt": Text("不是回执", "not a receipt"),
    "rec_sheet": Text("评分表", "sheet"),
    "rec_confirmation": Text("确认", "confirmation"),
    # talking to the head judge's computer (`sync.client.SyncError`)
    "net_at": Text("{where}：{problem}", "{where}: {problem}"),
    "net_timeout": Text("规定时间内没有回答", "no answer in time"),
    "net_refused": Text("连接被拒绝", "connection refused"),
    "net_no_route": Text("网络不通，到不了那台电脑", "no route to that computer"),
    "net_none": Text("无", "none"),
    "net_not_master": Text("这台主控机无法证明它知道你的绑定码：它不是发这个码的总裁判长"
                           "（指纹 {fingerprint}）；什么也没有保存；请核对绑定卡上的主控指纹",
                           "this head judge could not prove it knows your enrolment code: it is "
                           "not the head judge who issued it (fingerprint {fingerprint}); "
                           "nothing was kept; compare the master fingerprint on your card"),
    "net_pin_mismatch": Text("这不是你绑定时的主控机（指纹 {actual}，应为 {expected}）",
                             "this is not the head judge you enrolled with (fingerprint "
                             "{actual}, expected {expected})"),
    "net_no_tls": Text("拒绝与不加密（{tls}）的主控机连接",
                       "refusing a connection to the head judge without {tls}"),
    "net_no_certificate": Text("主控机没有出示可用的证书",
                               "the head judge presented no usable certificate"),
    "net_skipped_pin": Text("内部错误：有连接未经指纹核对，已拒绝",
                            "internal: a connection skipped the pin check; refused"),
    "net_cannot_reach": Text("无法连接 {where} 的主控机：{why}",
                             "cannot reach the head judge at {where}: {why}"),
    "net_master_failed": Text("{where} 的主控机出了问题（{status}）",
                              "the head judge at {where} had a problem ({status})"),
    "net_answered": Text("主控机回答 {status}", "the head judge answered {status}"),
    "net_not_json": Text("{where} 的主控机回答的内容无法识别（应为 {format}）",
                         "the head judge at {where} answered something not {format}"),
    "net_too_large": Text("主控机的回答太大", "the head judge's answer is too large"),
    "net_enrol_start": Text("主控机对绑定请求的回答不合格式",
                            "the head judge's answer to the enrolment start is not one"),
    "net_pake": Text("主控机的 {pake} 消息不合格式", "the head judge's {pake} message is not one"),
    "net_other_device": Text("主控机绑定的设备编号不是本机的",
                             "the head judge enrolled another device id than this one"),
    "net_no_judge": Text("绑定回答中没有评委", "the enrolment answer names no judge"),
    "net_no_event": Text("绑定回答中没有赛事", "the enrolment answer has no event"),
    "net_no_master_key": Text("绑定回答中没有主控密钥", "the enrolment answer has no master key"),
    "net_key_encoding": Text("主控密钥的编码不对", "the master key is not base64"),
    "net_key_kind": Text("主控密钥不是 {algorithm} 公钥",
                         "the master key is not an {algorithm} public key"),
    "net_nobody": Text("本网络上没有找到主控机；请用 {option} 给出它的地址",
                       "no head judge found on this network; give its address with {option}"),
    "net_push_count": Text("推送回答的结果数与所发记录数不符",
                           "the push answer does not have one result per record"),
    "net_push_objects": Text("推送回答的结果不是对象", "the push answer's results are not objects"),
    "net_push_records": Text("推送回答的结果不是所发的记录",
                             "the push answer's results are not the records sent"),
    "net_push_status": Text("未知的推送状态 {status}", "unknown push status {status}"),
    "net_pull_cursor": Text("拉取回答中没有游标", "the pull answer has no cursor"),
    "net_pull_empty": Text("拉取回答中没有通知或回执",
                           "the pull answer has no notices or receipts"),
    "net_broke": Text("与主控机的连接断了：{why}", "the connection to the head judge broke: {why}"),
    "net_live_failed": Text("实时通道失败：{why}", "the live channel failed: {why}"),
    "net_live_no_challenge": Text("实时通道没有发来质询：{why}",
                                  "the live channel sent no challenge: {why}"),
    "net_live_challenge": Text("实时通道的质询不合格式",
                               "the live channel's challenge is malformed"),
    "net_live_broke": Text("实时通道关闭了：{why}", "the live channel closed: {why}"),
    "net_live_closed": Text("与主控机的实时通道关闭了",
                            "the live channel to the head judge closed"),
    "net_notice_object": Text("有一条通知不是对象", "a notice is not an object"),
    "net_notice_fields": Text("有一条通知缺少编号、类别、评委或内容",
                              "a notice does not have id, kind, judge and payload"),
    # keys and certificates (`sync.identity.IdentityError`)
    "id_not_key": Text("{path}：不是 {kind} 私钥", "{path}: not an {kind} private key"),
    "id_cannot_read": Text("{path}：无法读取密钥：{error}", "{path}: cannot read key: {error}"),
    "id_not_pem": Text("{path}：不是未加密的 {format} 私钥（{detail}）",
                       "{path}: not an unencrypted {format} private key ({detail})"),
    "id_missing_signing": Text("{path} 不见了，但后来生成的身份文件还在",
                               "{path} is missing but later identity files exist"),
    "id_missing_tls": Text("{path} 不见了，但它的证书 {cert} 还在",
                           "{path} is missing but its certificate {cert} exists"),
    "id_cert_mismatch": Text("{cert} 不是 {key} 中密钥的证书",
                             "{cert} is not a certificate for the key in {key}"),
    "id_no_master": Text("{home} 中没有总裁判长主控机（没有 {folder} 文件夹）",
                         "no head judge master in {home} (no {folder} folder)"),
    "id_missing": Text("{path} 不见了", "{path} is missing"),
    "id_cert_unreadable": Text("{path}：无法读取证书：{detail}",
                               "{path}: cannot read certificate: {detail}"),
    # click's usage errors (`sync.usage`): the English line is click's own
    "usage_see_help": Text("{problem}；用 {command} 查看用法", "{problem}; see {command}"),
    "usage_missing_option": Text("缺少选项 {name}", "missing option {name}"),
    "usage_missing_argument": Text("缺少参数 {name}", "missing argument {name}"),
    "usage_bad_value": Text("{name} 的值不对", "invalid value for {name}"),
    "usage_no_such_option": Text("没有 {option} 这个选项{hint}", "no such option {option}{hint}"),
    "usage_no_such_command": Text("没有 {command} 这个命令{hint}",
                                  "no such command {command}{hint}"),
    "usage_did_you_mean": Text("（是不是 {options}？）", " (did you mean {options}?)"),
    "usage_bad_option": Text("选项 {option} 的用法不对", "option {option} used wrongly"),
    "usage_wrong": Text("命令的写法不对", "the command is not written as expected"),
    # receipts a judge laptop checks (`sync.store`, `sync.client`)
    "rc_enrolled_again": Text("收到回执后本机又重新绑定了",
                              "this laptop enrolled again since the receipt was checked"),
    "rc_other_event": Text("回执属于另一个赛事或另一台设备",
                           "the receipt is for another event or device"),
    "rc_unreadable": Text("回执无法读取：{reason}", "receipt unreadable: {reason}"),
    "rc_unknown_record": Text("回执所指的记录 {record} 不是本机签的",
                              "the receipt is for record {record}, which this laptop never signed"),
    "rc_wrong_seq": Text("回执所写的记录序号不对",
                         "the receipt names the wrong sequence number for its record"),
    "rc_seq_unreadable": Text("序号 {seq}：回执无法读取：{reason}",
                              "seq {seq}: receipt unreadable: {reason}"),
})


class Said(Phrase):
    """A problem's place or message from `PROBLEMS`, English as a `str`."""

    catalogue = PROBLEMS


def os_reason(error: OSError) -> str:
    """Why the system could not open a file: in both languages for the common causes, else
    the system's own (English) words."""
    name = errno.errorcode.get(error.errno or 0, "")
    if f"os_{name}" in PROBLEMS:
        return Said(f"os_{name}")
    return error.strerror or str(error)


@dataclass(frozen=True)
class Problem:
    """One mistake in one input file. `where` is a field path or `line N, column X`."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}"

    def render(self, lang: str) -> str:
        """The problem in `lang` (its file as it is; plain English parts as they are)."""
        colon = "：" if lang == "zh" else ": "
        where = self.where.render(lang) if isinstance(self.where, Phrase) else self.where
        message = self.message.render(lang) if isinstance(self.message, Phrase) \
            else self.message
        place = f"{self.file}{colon}{where}" if where else self.file
        return f"{place}{colon}{message}"


class InputProblems(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def render(self, lang: str) -> str:
        """Every problem in `lang`, one a line."""
        return "\n".join(p.render(lang) for p in self.problems)
