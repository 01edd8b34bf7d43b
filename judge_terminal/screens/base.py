"""What every judge-terminal screen shares: following the language and the store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.screen import ModalScreen, Screen

from ..widgets import judge_app

if TYPE_CHECKING:
    from ..app import JudgeApp

T = TypeVar("T")


class JudgeScreen(Screen[None]):
    """A full screen. `relabel` runs when the language changes, `refresh_data` when the
    store may have changed (at once if this screen is showing, else when it shows again)."""

    def __init__(self) -> None:
        super().__init__()
        self._stale = False

    @property
    def japp(self) -> JudgeApp:
        return judge_app(self)

    def on_mount(self) -> None:
        self.watch(self.japp, "lang", self._language_changed, init=False)
        self.watch(self.japp, "data_version", self._data_changed, init=False)

    def _language_changed(self, _lang: str) -> None:
        self.relabel()

    def _data_changed(self, _version: int) -> None:
        if self.is_current:
            self.refresh_data()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh_data()

    def relabel(self) -> None:
        """Show every word again in `app.lang`."""

    def refresh_data(self) -> None:
        """Read the store again."""


class JudgeModal(ModalScreen[T], Generic[T]):
    """A dialog over the current screen; `relabel` runs when the language changes."""

    @property
    def japp(self) -> JudgeApp:
        return judge_app(self)

    def on_mount(self) -> None:
        self.watch(self.japp, "lang", self._language_changed, init=True)

    def _language_changed(self, _lang: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Show every word again in `app.lang`."""
