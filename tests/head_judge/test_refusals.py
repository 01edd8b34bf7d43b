"""Every word in both languages: every message of every catalogue has Chinese and English with
the same placeholders; every refusal the head judge can meet is raised with a catalogue id
(never a bare English sentence); a refusal is English for the CLI and Chinese in the console."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import head_judge.console.words as console_words
import judge_terminal.words as terminal_words
import printouts.words as printout_words
import sync.i18n as interface_words
from head_judge.actions import ActionRefused
from head_judge.master import MasterError
from head_judge.refusals import RECORDED, REFUSALS, UNTRANSLATED, Message, fields, recorded
from sync.entry_kinds import ENTRY_KINDS
from sync.event import Text
from sync.problems import PROBLEMS, InputProblems, Problem, Said
from tests.english import english_words

from .test_actions import Final, fixture_final

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES: dict[str, dict[str, Text]] = {
    "head_judge.refusals.REFUSALS": REFUSALS,
    "head_judge.console.words.WORDS": console_words.WORDS,
    "judge_terminal.words.WORDS": terminal_words.WORDS,
    "printouts.words.WORDS": printout_words.WORDS,
    "sync.i18n.LABELS": interface_words.LABELS,
    "sync.problems.PROBLEMS": PROBLEMS,
    "sync.entry_kinds.ENTRY_KINDS": ENTRY_KINDS,
}


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_message_has_both_languages_and_the_same_placeholders(name: str) -> None:
    catalogue = CATALOGUES[name]
    empty = [k for k, t in catalogue.items()
             if (t.zh, t.en) != ("", "")  # deliberately blank in both
             and (not t.zh.strip() or not t.en.strip())]
    assert not empty, f"{name}: no Chinese or no English for {empty}"
    differ = {k: (sorted(fields(t.zh)), sorted(fields(t.en))) for k, t in catalogue.items()
              if fields(t.zh) != fields(t.en)}
    assert not differ, f"{name}: placeholders differ: {differ}"


@pytest.mark.parametrize("catalogue", [REFUSALS, PROBLEMS], ids=["refusals", "problems"])
def test_refusals_in_chinese_have_no_english_words(catalogue: dict[str, Text]) -> None:
    """Each template, its placeholders left out: Chinese words only (ids, keys, formats and
    CLI options aside)."""
    leaks = {}
    for key, text in catalogue.items():
        template = text.zh
        for name in fields(template):
            template = template.replace("{" + name + "}", " ")
        words = english_words(template, allowed=("ttl", "track", "group", "version",
                                                 "published", "UTF-8", "GB18030", "Excel",
                                                 ".xlsx", ".xls", ".ods", ".csv", "WPS",
                                                 "LibreOffice", "OpenDocument", "Word",
                                                 "[match]", "match"))
        if words:
            leaks[key] = words
    assert not leaks


def test_a_message_is_english_and_renders_in_either_language() -> None:
    blockers = [Message("blocker_not_locked", contestants=["L04", "L05"]),
                Message("blocker_nobody_ranked")]
    refused = Message("cannot_publish", scope=Text("直播赛", "live"), blockers=blockers)
    assert refused == "cannot publish live: not locked: L04, L05; nobody is ranked in this " \
                      "scope yet"
    assert refused.render("en") == refused
    assert refused.render("zh") == "不能发布 直播赛：未锁定：L04, L05；此排名还没有人有完整成绩"
    with pytest.raises(KeyError):
        Message("no_such_message")


def test_what_the_master_writes_in_its_own_words_reads_back_in_chinese() -> None:
    """Each of `RECORDED`, as the ledger keeps it (English), is found again and shown in
    Chinese; what the head judge typed stays as typed."""
    samples = {"why_sheet_withdrawn": {"reason": "发错了: twice"},
               "why_judge_excused": {"reason": "身体不适"},
               "why_device_replaced": {"judge": "J3", "entry": 12},
               "why_signed_twice": {"device": "3f9a2c71d0e4", "seq": 4}}
    assert set(samples) == set(RECORDED)
    for key, params in samples.items():
        kept = str(Message(key, **params))  # as the ledger has it
        found = recorded(kept)
        assert found.id == key and found == kept
        assert english_words(found.render("zh"), allowed=("twice",)) == []
    assert recorded("J3 enrolled another device (entry 12)").render("zh") == \
        "J3 绑定了另一台终端（账本第 12 条）"
    typed = recorded("recount, please")
    assert typed.id == UNTRANSLATED and typed.render("zh") == "recount, please"


def test_the_terminal_says_every_reason_a_review_is_closed_for_in_its_own_words(
        final: Final) -> None:
    """A `review_closed` notice carries the id its reason was written from; the terminal
    knows each such id (`judge_terminal.words.REASONS`), with the same parameters."""
    closing = {"why_sheet_withdrawn", "why_judge_excused"}  # head_judge.actions
    assert closing <= set(RECORDED) and set(terminal_words.REASONS) == closing
    for key in closing:
        assert fields(terminal_words.WORDS[key].zh) == fields(REFUSALS[key].zh), key
    final.send("J1", "L02")
    review = final.head.request_review("J1", "check", contestant="L02")
    final.head.withdraw_sheet("J1", "L02", "录错选手")
    notices = final.master.pull(final.terminals["J1"].pull(), final.clock())["notices"]
    [closed] = [n["payload"] for n in notices if n["kind"] == "review_closed"]
    assert closed == {"review": review, "contestant": "L02",
                      "reason": "the sheet was withdrawn: 录错选手",  # older terminals
                      "reason_id": "why_sheet_withdrawn", "reason_params": {"reason": "录错选手"}}
    assert terminal_words.reason_of(closed, "zh") == "总裁判长已撤销您的评分（录错选手）"


def test_a_problem_in_a_file_is_english_for_the_cli_and_renders_in_chinese() -> None:
    problem = Problem("data.csv", Said("line_column", line=3, column="value"),
                      Said("not_a_value", text="'abc'", max=100))
    assert str(problem) == "data.csv: line 3, column value: 'abc': expected a number 0–100"
    assert problem.render("zh") == "data.csv：第 3 行 value 列：'abc'：应为 0–100 之间的数"
    plain = Problem("event.toml", "judges", "an English sentence")  # the loaders' own
    assert plain.render("zh") == "event.toml：judges：an English sentence"
    refused = Message("file_problems", problems=InputProblems([problem, problem]))
    assert refused.render("zh") == "文件有误：\n" + "\n".join([problem.render("zh")] * 2)
    assert refused == "\n".join([str(problem)] * 2)


def test_action_refused_keeps_english_for_the_cli_and_carries_the_message() -> None:
    exc = ActionRefused("locked", contestant="L18", doing=Message("doing_review"))
    assert str(exc) == exc.reason == "L18 is locked; unlock it first to ask for a review"
    assert exc.message.id == "locked"
    assert exc.message.render("zh") == "L18 已锁定；请先解锁再请求复核"
    assert MasterError("code_ttl").message.render("zh") == "绑定码的有效期必须大于零"
    legacy = ActionRefused("an English sentence")  # a site not yet given an id
    assert legacy.message.id == UNTRANSLATED and str(legacy) == "an English sentence"


def _first_text(node: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(node.args) > position:
        return node.args[position]
    return next((k.value for k in node.keywords if k.arg == keyword), None)


def _callee(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else \
        node.func.attr if isinstance(node.func, ast.Attribute) else ""


# MasterError is shown by the console from these functions of `head_judge/master.py`
CONSOLE_MASTER_ERRORS = {"append_codes", "_judges", "reopen_seat", "issue_codes"}


def _sites() -> list[tuple[str, int, str, ast.expr | None]]:
    """(file, line, what, the message argument) of every refusal raised to the head judge:
    `ActionRefused(...)` anywhere in head_judge, `MasterError(...)` where the console shows
    it, and the message ids given to `required_text(text, what)` and `_unlocked(c, doing)`."""
    sites = []
    for path in sorted((ROOT / "head_judge").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(ROOT))
        functions = [n for n in ast.walk(tree)
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        in_console_function = {
            id(call) for f in functions if f.name in CONSOLE_MASTER_ERRORS
            for call in ast.walk(f) if isinstance(call, ast.Call)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            if name == "ActionRefused" or (name == "MasterError" and rel.endswith("master.py")
                                           and id(node) in in_console_function):
                sites.append((rel, node.lineno, name, _first_text(node, 0, "reason")))
            elif name == "required_text":
                sites.append((rel, node.lineno, name, _first_text(node, 1, "what")))
            elif name == "_unlocked":
                sites.append((rel, node.lineno, name, _first_text(node, 1, "doing")))
    return sites


def _an_id(arg: ast.expr | None) -> bool:
    """A catalogue id (or a choice of ids), or an expression giving a `Message`; not an
    English sentence built in place."""
    if isinstance(arg, ast.IfExp):
        return _an_id(arg.body) and _an_id(arg.orelse)
    if isinstance(arg, ast.Constant):
        return arg.value in REFUSALS
    return not isinstance(arg, (ast.JoinedStr, ast.BinOp))


def test_every_refusal_is_raised_with_a_catalogue_id() -> None:
    sites = _sites()
    assert len(sites) > 60  # the scan sees them
    bare = [f"{file}:{line} {what}" for file, line, what, arg in sites if not _an_id(arg)]
    assert not bare, "raised without a message id (add one to head_judge/refusals.py):\n" \
        + "\n".join(bare)


def test_a_refused_publication_reads_in_chinese(final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)  # flags open, nobody locked
    with pytest.raises(ActionRefused) as refused:
        final.head.publish(("live", None))
    assert str(refused.value).startswith("cannot publish live: not locked: ")
    shown = refused.value.message.render("zh")
    assert shown.startswith("不能发布 ")
    assert english_words(shown) == []
