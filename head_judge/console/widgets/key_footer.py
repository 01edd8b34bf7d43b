"""The footer: the keys that work here, described in the console's language (a binding's
description is a `words` key), each one clickable."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ..words import WORDS, say
from . import console_app


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(console_app(self), "lang", self._language_changed, init=False)

    def _language_changed(self, _lang: str) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        lang = console_app(self).lang
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            words = binding.description
            text = say(words, lang) if words in WORDS else words
            yield FooterKey(binding.key, self.app.get_key_display(binding), text,
                            binding.action, disabled=not enabled,
                            tooltip=tooltip).data_bind(compact=Footer.compact)
