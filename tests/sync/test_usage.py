"""Click's usage errors in both apps, Chinese first (`sync.usage`): what was wrong and where
the command's help is, before click's own usage lines and English error; exit 2 as click's."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from head_judge.cli import main as head_judge
from judge_terminal.cli import main as judge_terminal


@pytest.mark.parametrize(("app", "args", "chinese", "english"), [
    (head_judge, ["verifi"],
     "没有 verifi 这个命令（是不是 verify？）；用 head-judge --help 查看用法",
     "Error: No such command 'verifi'. Did you mean 'verify'?"),
    (head_judge, ["--hom", "x", "flags"],
     "没有 --hom 这个选项（是不是 --home？）；用 head-judge --help 查看用法",
     "Error: No such option '--hom'. Did you mean '--home'?"),
    (head_judge, ["print", "--kind", "x"],
     "没有 --kind 这个选项；用 head-judge print --help 查看用法",
     "Error: No such option '--kind'."),
    (head_judge, ["audit", "prove", "--from", "x"],
     "'--from' 的值不对；用 head-judge audit prove --help 查看用法",
     "Error: Invalid value for '--from': 'x' is not a valid integer range."),
    (head_judge, ["import-contestants", "a.xlsx"],
     "缺少选项 '--mapping'；用 head-judge import-contestants --help 查看用法",
     "Error: Missing option '--mapping'."),
    (judge_terminal, ["submit"], "缺少参数 'CONTESTANT'；用 judge-terminal submit --help 查看用法",
     "Error: Missing argument 'CONTESTANT'."),
    (judge_terminal, ["submit", "L01", "a=1"],
     "命令的写法不对；用 judge-terminal submit --help 查看用法",
     "Error: Got unexpected extra argument (a=1)"),
])
def test_a_usage_error_is_said_in_chinese_then_as_click_says_it(
        app: object, args: list[str], chinese: str, english: str) -> None:
    name = "head-judge" if app is head_judge else "judge-terminal"
    result = CliRunner().invoke(app, args, prog_name=name)  # type: ignore[arg-type]
    lines = result.stderr.splitlines()
    assert result.exit_code == 2, result.stderr
    assert lines[0] == f"错误：{chinese}"
    assert lines[1].startswith("Usage: ") and lines[-1] == english
