"""The footer: the keys that work here, described in the console's language (a binding's
description is a `words` key), each one clickable. Laid out again only when the keys or the
language changed, not at every change of focus."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ..words import WORDS, say
from . import console_app

Shown = tuple[tuple[str, str, str, bool], ...]


def _function_key(key: str) -> bool:
    return key[:1] == "f" and key[1:].isdigit()


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._shown: tuple[str, Shown] | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(console_app(self), "lang", self._language_changed, init=False)

    def _keys(self) -> Shown:
        """One key per action (a function key when it has one, e.g. F4 before Ctrl+L)."""
        keys: dict[str, tuple[str, str, str, bool]] = {}
        for _node, binding, enabled, _tip in self.screen.active_bindings.values():
            if not binding.show:
                continue
            held = keys.get(binding.action)
            if held is None or (_function_key(binding.key) and not _function_key(held[0])):
                keys[binding.action] = (binding.key, binding.action, binding.description,
                                        enabled)
        return tuple(keys.values())

    def _language_changed(self, _lang: str) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._shown != (console_app(self).lang, self._keys()):
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        lang = console_app(self).lang
        keys = self._keys()
        self._shown = (lang, keys)
        bindings = {(b.action, b.key): b for _n, b, _e, _t in
                    self.screen.active_bindings.values()}
        for key, action, words, enabled in keys:
            binding = bindings[(action, key)]
            text = say(words, lang) if words in WORDS else words
            yield FooterKey(binding.key, self.app.get_key_display(binding), text, action,
                            disabled=not enabled, classes="-compact")
