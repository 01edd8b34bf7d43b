"""A character no printing font has is refused before anything is recorded or written, named
with the person and `U+XXXX`, in both languages; loading the event and importing contestants
warn at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from head_judge.actions import ActionRefused
from head_judge.cli import main
from head_judge.glyphs import event_warnings
from head_judge.printing import Signatories, print_blockers, print_sheets
from sync.event import Event
from tests.sync.test_registration import EXAMPLE, form, make_book

from .test_actions import Final, fixture_final
from .test_printing import PRINTED_AT

EXT_D = "\U0002B740"  # CJK Extension D: in no face of the stack


@pytest.fixture
def rare_event(event: Event) -> Event:
    contestants = list(event.contestants)
    contestants[1] = replace(contestants[1], name="龚璟𬌗")  # prints (fallback face)
    contestants[2] = replace(contestants[2], name="李" + EXT_D)  # does not
    return replace(event, contestants=tuple(contestants))


def test_printing_refuses_a_character_no_font_has_and_writes_nothing(
        tmp_path: Path, rare_event: Event, fixtures_dir: Path) -> None:
    final = Final(tmp_path / "home", rare_event)
    try:
        fixture_final(final, fixtures_dir)
        who = rare_event.contestants[2]
        size = final.last()
        out = tmp_path / "out"
        with pytest.raises(ActionRefused) as refused:
            print_sheets(final.head, ["judge"], ["J1"], out_dir=out, now=PRINTED_AT)
        text = str(refused.value)
        assert f"contestant {who.id} 李{EXT_D}" in text and "U+2B740" in text
        zh = refused.value.message.render("zh")
        assert zh.startswith("不能打印") and f"选手 {who.id}" in zh and "U+2B740" in zh
        assert "龚璟𬌗" not in text  # it prints
        assert not out.exists() and final.last() == size  # no file, no ledger entry
        blockers = print_blockers(final.head, ["results"], [], out)
        assert any("U+2B740" in b and who.id in b for b in blockers)

        home = str(final.master.home)
        final.master.close()
        result = CliRunner().invoke(main, ["--home", home, "print", "--sheet", "results",
                                           "--out", str(out)])
        assert result.exit_code == 2
        assert "U+2B740" in result.stderr and who.id in result.stderr
        assert not out.exists()
    finally:
        final.close()


def test_a_signatory_no_font_can_print_is_refused(final: Final, fixtures_dir: Path,
                                                 tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    with pytest.raises(ActionRefused) as refused:
        print_sheets(final.head, ["results"], out_dir=tmp_path / "out", now=PRINTED_AT,
                     signatories=Signatories("王建国", "李\ue000"))
    assert "signatory 李" in str(refused.value) and "U+E000" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_loading_the_event_warns_at_once(rare_event: Event, event: Event) -> None:
    [warning] = event_warnings(rare_event)
    assert warning.id == "warn_unprintable"
    assert "U+2B740" in warning and rare_event.contestants[2].id in warning
    assert "注意" in warning.render("zh") and "选手" in warning.render("zh")
    assert event_warnings(event) == []


def test_importing_contestants_warns_of_a_character_no_font_has(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b.xlsx", {"甲": form(
        "甲校", [1, "学生组", "赵䶮", "x", "李老师"], [2, "学生组", "王" + EXT_D, "x", "张老师"])})
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(main, ["import-contestants", str(book), "--mapping",
                                       str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert "U+2B740" in result.stderr and "王" + EXT_D in result.stderr
    assert "赵䶮" not in result.stderr  # that one prints


async def test_the_console_warns_when_it_opens_the_event(tmp_path: Path,
                                                         rare_event: Event) -> None:
    import datetime as dt

    from head_judge.console.app import ConsoleApp
    from head_judge.master import Master

    master = Master.open(tmp_path / "home", rare_event, now=dt.datetime.now(dt.UTC))
    try:
        app = ConsoleApp(master, lang="zh", prints=tmp_path / "prints")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            said = [str(n.message) for n in app._notifications]
            assert any("U+2B740" in s and "选手" in s and n.severity == "warning"
                       for s, n in zip(said, app._notifications, strict=True)), said
    finally:
        master.close()
