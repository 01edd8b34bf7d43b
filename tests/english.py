"""English left on a screen that should be in Chinese: a scan both apps' Pilot tests use.

`english_words(text)` lists the English words in a text, leaving out what a Chinese screen
may show as it is: ids (`L04`, `J1`, `r2`), numbers, units, key names (`Enter`, `Esc`, `F4`,
`Ctrl+L`), hexadecimal (fingerprints, hashes), file paths and names, and whatever the caller
allows (the event's English name where it is printed beside the Chinese, a device's name).
`app_text(app)` is everything the app's current screen holds: what is drawn now (the screens
below a dialog, toasts included) and the whole text of every text widget and table on the
current screen, scrolled out of view or not. `EnglishScan` gathers what it finds, step by
step, so one run of a whole final reports every leak at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

KEYS = frozenset({
    "Enter", "Esc", "Tab", "Shift", "Ctrl", "Alt", "Space", "Backspace", "Delete", "Del",
    "Home", "End", "PgUp", "PgDn", "Up", "Down", "Left", "Right", "Caps", "Lock",
    "enter", "esc", "escape", "tab", "shift", "ctrl", "space", "backspace", "delete",
    "home", "end", "pageup", "pagedown", "up", "down", "left", "right",
})
"""Key names, as the footers, buttons and help print them."""

UNITS = frozenset({
    "PDF", "CSV", "XLSX", "TOML", "SHA", "HH", "MM", "SS", "QR", "TLS", "mDNS", "LAN", "IP",
    "UTC", "GMT", "ms", "KB", "MB", "GB", "No",
})
"""Units, formats and abbreviations a Chinese screen writes in Latin letters."""

LANGUAGE_NAMES = frozenset({"English"})
"""The other language's name, on the switch key."""

ALLOWED = KEYS | UNITS | LANGUAGE_NAMES

_TOKEN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_+./\\:'’-]*")
_LETTERS = re.compile(r"[A-Za-z]{2,}")
_ID = re.compile(r"^[A-Za-z]{1,3}-?\d+[A-Za-z]?$")  # L04, J1, C2, r2, F4, P-1
_HEX = re.compile(r"^[0-9a-fA-F:-]{8,}$")
_GROUPS = re.compile(r"^([A-Z2-7]{7}-?)+$")  # a fingerprint typed in groups of seven
_PATH = re.compile(r"[/\\]|\.(pdf|csv|xlsx|toml|json|db|txt|svg|png)$", re.IGNORECASE)
_KEY = re.compile(r"^(ctrl|shift|alt|super)\+\S+$|^\^[a-z]$|^F\d{1,2}$", re.IGNORECASE)


def english_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The English words of `text` outside the allowlist, in order, each once."""
    extra = set(allowed)
    extra_words = {w for phrase in extra for w in _LETTERS.findall(phrase)}
    found: dict[str, None] = {}
    for token in _TOKEN.findall(text):
        token = token.strip(".:'’-/\\")
        if not token or token in extra or _ID.match(token) or _HEX.match(token) \
                or _GROUPS.match(token) or _PATH.search(token) or _KEY.match(token):
            continue
        for word in _LETTERS.findall(token):
            if word not in ALLOWED and word not in extra_words:
                found[word] = None
    return list(found)


def app_text(app: Any) -> str:
    """Everything the app's current screen holds, as plain text (see the module's doc)."""
    from rich.text import Text
    from textual.widgets import Button, DataTable, Input, OptionList, Select, Static

    screen = app.screen
    parts = [strip.text for strip in screen._compositor.render_strips()]
    for widget in screen.query("*"):
        if isinstance(widget, DataTable):
            parts += [str(getattr(c.label, "plain", c.label)) for c in widget.columns.values()]
            for key in widget.rows:
                parts.append("  ".join(getattr(c, "plain", str(c))
                                       for c in widget.get_row(key)))
        elif isinstance(widget, Button):
            parts.append(str(getattr(widget.label, "plain", widget.label)))
        elif isinstance(widget, Static):
            rendered = widget.render()
            parts.append(rendered.plain if isinstance(rendered, Text)
                         else str(getattr(rendered, "plain", "")))
        elif isinstance(widget, Input):
            parts.append(str(widget.placeholder))
        elif isinstance(widget, OptionList):
            parts += [str(getattr(o.prompt, "plain", o.prompt)) for o in widget.options]
        elif isinstance(widget, Select) and widget._allow_blank:  # else never shown
            parts.append(str(widget.prompt))
        tooltip = getattr(widget, "tooltip", None)
        if tooltip:
            parts.append(str(tooltip))
    parts += [f"{n.title}\n{n.message}" for n in app._notifications]
    return "\n".join(parts)


@dataclass
class EnglishScan:
    """English found on an app's screens, by the step where it was seen."""

    allowed: set[str] = field(default_factory=set)
    found: dict[str, list[str]] = field(default_factory=dict)

    def check(self, app: Any, where: str) -> list[str]:
        words = english_words(app_text(app), self.allowed)
        if words:
            self.found[where] = words
        return words

    def report(self) -> str:
        return "\n".join(f"{where}: {' '.join(words)}" for where, words in self.found.items())

    def assert_clean(self) -> None:
        assert not self.found, "English on Chinese screens:\n" + self.report()
