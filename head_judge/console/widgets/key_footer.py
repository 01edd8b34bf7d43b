"""The footer: the keys that work here, described in the console's language (a binding's
description is a `words` key), each one clickable. Textual's own `Footer` draws them from
`footer_bindings`, which `ConsoleScreen.active_bindings` returns; laid out again only when the
keys or the language changed, not at every change of focus."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widgets import Footer

from ..words import say
from . import console_app

Shown = tuple[tuple[str, str, str, bool], ...]


def _function_key(key: str) -> bool:
    return key[:1] == "f" and key[1:].isdigit()


def footer_bindings(active: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    """`active` as the footer shows it: one key per action, in the place of the action's first
    key (its function key when it has one, e.g. F4 before Ctrl+L), described in `lang`; the
    other keys of the action are kept but not shown."""
    chosen: dict[str, tuple[str, ActiveBinding]] = {}
    for key, binding in active.items():
        if not binding.binding.show:
            continue
        held = chosen.get(binding.binding.action)
        if held is None or (_function_key(key) and not _function_key(held[0])):
            chosen[binding.binding.action] = (key, binding)
    shown: dict[str, ActiveBinding] = {}
    for key, binding in active.items():
        action = binding.binding.action
        if not binding.binding.show or action not in chosen:
            shown.setdefault(key, binding)
            continue
        key_shown, binding_shown = chosen.pop(action)
        described = dataclasses.replace(binding_shown.binding,
                                        description=say(binding_shown.binding.description, lang))
        shown[key_shown] = binding_shown._replace(binding=described)
    for key, binding in active.items():
        if key not in shown:
            shown[key] = binding._replace(binding=dataclasses.replace(binding.binding, show=False))
    return shown


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._shown: tuple[str, Shown] | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(console_app(self), "lang", self._language_changed, init=False)

    def _keys(self) -> tuple[str, Shown]:
        return console_app(self).lang, tuple(
            (key, b.binding.action, b.binding.description, b.enabled)
            for key, b in self.screen.active_bindings.items() if b.binding.show)

    def _language_changed(self, _lang: str) -> None:
        if self.is_attached:
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._shown != self._keys():
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys()
        yield from super().compose()
