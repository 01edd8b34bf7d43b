"""What the dialogs share: a phrase (a `words` key and its values, said again in whichever
language is current) and how a dialog runs the action it asks for."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ...master import MasterError
from ...refusals import Message
from ..words import say


@dataclass(frozen=True)
class Phrase:
    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def say(self, lang: str) -> str:
        return say(self.key, lang, **self.values)


def phrase(key: str, **values: object) -> Phrase:
    return Phrase(key, values)


Line = Phrase | str | Callable[[str], str]
"""A line of a dialog: a phrase, plain text (data), or text made for a language."""


def shown(line: Line, lang: str) -> str:
    if isinstance(line, Phrase):
        return line.say(lang)
    return line if isinstance(line, str) else line(lang)


def attempt(action: Callable[[], object]) -> Message | None:
    """Run a core action; the master's refusal (a `Message`, which `say` fills in in the
    current language), None when it was done."""
    try:
        action()
    except MasterError as exc:  # ActionRefused among them
        return exc.message
    return None


def bullet(message: Message) -> Line:
    """A refusal or blocker as a dialog line, `  - …`, in whichever language is current."""
    return lambda lang: f"  - {message.render(lang)}"
