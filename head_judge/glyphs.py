"""Characters no printing font has, found when names are read, not when paper is printed.

The sheets' font stack (`printouts.fonts`) covers 通用规范汉字表 and CJK Extensions A and B;
a name with a character beyond it (a rarer extension, a private-use character) would print
without that character, so printing refuses it (`print_unprintable`, naming the person and
each character as `U+XXXX`) and loading an event or importing contestants warns at once
(`warn_unprintable`). No I/O; `printouts` is imported on first use (it loads the fonts).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from sync.event import Event

from .refusals import Message

__all__ = ["describe_chars", "event_warnings", "unprintable", "unprintable_texts"]


def describe_chars(chars: str) -> str:
    """`U+2B740 𫝀, U+E000`: each character's code point, then the character itself unless
    it is one a screen cannot show either (private use, unassigned, control)."""
    return ", ".join(
        f"U+{ord(ch):04X}" if unicodedata.category(ch) in ("Co", "Cn", "Cc", "Cf", "Cs")
        else f"U+{ord(ch):04X} {ch}" for ch in chars)


def unprintable(event: Event, others: Iterable[str] = ()) -> list[Message]:
    """One `unprintable_in` per person or name of `event` (and per name in `others`, the
    signatories a print adds) with characters no printing font has; [] when all print."""
    from printouts.fonts import missing_glyphs
    from printouts.fonts import unprintable as scan

    found = [Message("unprintable_in", who=Message(f"unprintable_{kind}", id=id_, name=name),
                     chars=describe_chars(chars))
             for kind, id_, name, chars in scan(event)]
    for name in others:
        chars = missing_glyphs(name)
        if chars:
            found.append(Message("unprintable_in", who=Message("unprintable_signatory",
                                                               name=name),
                                 chars=describe_chars(chars)))
    return found


def unprintable_texts(named: Iterable[tuple[Message, str]]) -> list[Message]:
    """`unprintable` for (who, text) pairs read from elsewhere (an imported workbook)."""
    from printouts.fonts import missing_glyphs

    return [Message("unprintable_in", who=who, chars=describe_chars(chars))
            for who, text in named if (chars := missing_glyphs(text))]


def event_warnings(event: Event) -> list[Message]:
    """What loading `event` warns of at once: [] or one `warn_unprintable`."""
    people = unprintable(event)
    return [Message("warn_unprintable", people=people)] if people else []
