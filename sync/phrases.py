"""A sentence from a catalogue of both languages, with its parameters: `Phrase`.

A `Phrase` is a `str`, its English sentence, so it can be joined, logged, compared or
recorded as before; `render(lang)` is the same sentence in `lang`. Each catalogue subclasses
it with its own `catalogue` (`sync.problems.Said` for problems found in input files,
`head_judge.refusals.Message` for the head judge's refusals). An unknown id is a KeyError.

Parameters are filled per language (`shown`): a `Phrase` is rendered in that language, a
`sync.event.Text` gives its name in it, a list is joined (phrases with `；`/`; `, anything
else with `, `), anything else is `str()`.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

from .event import Text

__all__ = ["Phrase", "cells", "fields", "fill", "shown"]


class Phrase(str):
    """One sentence of `catalogue`: an id and its parameters; as a `str`, the English."""

    catalogue: ClassVar[Mapping[str, Text]] = {}
    id: str
    params: Mapping[str, object]

    def __new__(cls, phrase_id: str, /, **params: object) -> Self:
        template = cls.catalogue[phrase_id]
        made = super().__new__(cls, fill(template.en, params, "en"))
        made.id = phrase_id
        made.params = params
        return made

    def render(self, lang: str) -> str:
        return fill(self.catalogue[self.id].get(lang), self.params, lang)

    def both(self, languages: Sequence[str]) -> str:
        """The sentence in each of `languages` on one line (the same words once), as
        `Catalogue.both` and `Text.both` say theirs."""
        return " ".join(dict.fromkeys(self.render(lang) for lang in languages))

    def stacked(self, languages: Sequence[str]) -> str:
        """Like `both`, one language a line, as `Catalogue.stacked` says its words."""
        return "\n".join(dict.fromkeys(self.render(lang) for lang in languages))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.id, dict(self.params)))


def _rebuild(cls: type[Phrase], phrase_id: str, params: dict[str, object]) -> Phrase:
    return cls(phrase_id, **params)


def fields(template: str) -> set[str]:
    """The `{placeholders}` of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def shown(value: object, lang: str) -> str:
    """A parameter as `lang` shows it (see the module's doc)."""
    if isinstance(value, Phrase):
        return value.render(lang)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, (list, tuple)):
        sep = ("；" if lang == "zh" else "; ") if any(isinstance(v, Phrase) for v in value) \
            else ", "
        return sep.join(shown(v, lang) for v in value)
    render = getattr(value, "render", None)
    if callable(render):  # e.g. `InputProblems`: every problem, one a line
        return str(render(lang))
    return str(value)


def fill(template: str, params: Mapping[str, object], lang: str) -> str:
    return template.format(**{k: shown(v, lang) for k, v in params.items()})


def cells(text: str) -> int:
    """The width `text` takes in a terminal or a spreadsheet column: a Chinese character
    (East Asian wide or full-width) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
