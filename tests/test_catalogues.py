"""One catalogue per app, through one helper (`sync.catalogue.Catalogue`): a missing id is an
error that names the catalogue and the id, every id says itself in every language with its
fields filled, and every kind of ledger entry the master can append has a name (so the Audit
screen, the dossier and the export never show an id as if it were a word). Both languages
with the same placeholders: `tests/head_judge/test_refusals.py`."""

from __future__ import annotations

import re

import pytest

from head_judge.console.ledger_view import kind_name
from head_judge.entry_lines import LINES
from head_judge.projections import MasterProjections
from head_judge.refusals import Message
from sync.catalogue import Catalogue, MissingWord
from sync.entry_kinds import ENTRY_KINDS
from sync.event import Text
from sync.phrases import fields
from tests.head_judge.test_refusals import CATALOGUES

LANGUAGES = ("zh", "en")


@pytest.mark.parametrize("name", CATALOGUES)
def test_each_app_has_one_catalogue_and_a_missing_id_is_an_error(name: str) -> None:
    catalogue = CATALOGUES[name]
    assert isinstance(catalogue, Catalogue)
    with pytest.raises(MissingWord, match=re.escape(f"{catalogue.name} has no word "
                                                    "'no_such_word'")):
        catalogue.say("no_such_word", "zh")


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_id_says_itself_in_every_language_with_its_fields_filled(name: str) -> None:
    catalogue = CATALOGUES[name]
    for key, text in catalogue.items():
        for lang in LANGUAGES:
            values = {field: f"<{field}>" for field in fields(text.get(lang))}
            said = catalogue.say(key, lang, **values)
            assert said == text.get(lang).format(**values), (name, key, lang)
            left = [f for f in fields(text.get(lang)) if "{" + f + "}" in said]
            assert not left, (name, key, lang, left)


def test_both_and_stacked_say_each_language_once() -> None:
    words = Catalogue("test", {"same": Text("OK", "OK"), "pair": Text("警报", "alarm")})
    assert words.both("same", LANGUAGES) == "OK"
    assert words.both("pair", LANGUAGES) == "警报 alarm"
    assert words.stacked("pair", ("en", "zh")) == "alarm\n警报"
    assert Message("sheet_contestant").both(LANGUAGES) == "选手成绩表 contestant sheet"
    assert Message("verify_code", code="X").both(("en",)) == "  sheet code X"
    assert Message("untranslated", text="OK").both(LANGUAGES) == "OK"  # the same words once


def test_every_kind_of_entry_the_master_appends_has_a_name_and_a_line() -> None:
    assert set(ENTRY_KINDS) == MasterProjections().kinds
    assert set(LINES) == set(ENTRY_KINDS)  # what each records, in words


@pytest.mark.parametrize("kind", sorted(ENTRY_KINDS))
def test_the_audit_screen_names_every_kind_in_chinese(kind: str) -> None:
    name = kind_name(kind, "zh")
    assert name and not re.search(r"[A-Za-z_]", name), name
