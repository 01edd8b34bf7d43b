"""One app's words: a `Catalogue` maps ids to a `Text` in every language, and says them
(`say` one language, `both` the event's languages on one line, `stacked` one per line), with
`{fields}` filled per language (`sync.phrases.shown`). A missing id is a `MissingWord` naming
the catalogue and the id, never the id shown as if it were a word; each app has one
catalogue (`judge_terminal.words`, `head_judge.console.words`, `printouts.words`,
`head_judge.refusals`, `sync.problems`, `sync.i18n`, `sync.entry_kinds`) and tests hold every
id to every language with the same fields."""

from __future__ import annotations

from collections.abc import Mapping

from .event import Text
from .phrases import fill

__all__ = ["Catalogue", "MissingWord", "other"]


class MissingWord(KeyError):
    """An id a catalogue does not have: a bug in the caller, not a user's mistake."""


class Catalogue(dict[str, Text]):
    """Ids to words, as a dict; `catalogue[id]` of an unknown id raises `MissingWord`."""

    def __init__(self, name: str, words: Mapping[str, Text]) -> None:
        super().__init__(words)
        self.name = name

    def __missing__(self, key: str) -> Text:
        raise MissingWord(f"{self.name} has no word {key!r}")

    def say(self, key: str, lang: str, /, **values: object) -> str:
        """The words of `key` in `lang`, `{fields}` filled in that language."""
        text = self[key].get(lang)
        return fill(text, values, lang) if values else text

    def _parts(self, key: str, languages: tuple[str, ...], values: dict[str, object]
               ) -> list[str]:
        parts = (self.say(key, lang, **values) for lang in languages)
        return list(dict.fromkeys(p for p in parts if p))

    def both(self, key: str, languages: tuple[str, ...], /, **values: object) -> str:
        """The words of `key` in each of `languages` on one line (the same words once)."""
        return " ".join(self._parts(key, languages, values))

    def stacked(self, key: str, languages: tuple[str, ...], /, **values: object) -> str:
        """Like `both`, one language a line (narrow cells, table headers)."""
        return "\n".join(self._parts(key, languages, values))


def other(lang: str) -> str:
    """The language F4 switches to."""
    return "en" if lang == "zh" else "zh"
