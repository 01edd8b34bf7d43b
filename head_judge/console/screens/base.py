"""What every console screen shares: the title, the screens bar and the footer around a
body, following the language and the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from ..widgets import console_app
from ..widgets.key_footer import KeyFooter, footer_bindings
from ..widgets.nav_bar import NavBar
from ..widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from ..app import ConsoleApp

T = TypeVar("T")


class ConsoleScreen(Screen[None]):
    """A top-level screen (one of the ten). `relabel` runs when the language changes,
    `refresh_data` when the ledger grew (at once if this screen shows, else when it shows
    again), `refresh_live` every second and when terminals report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_input", show=False),
    ]
    NAME: ClassVar[str] = ""
    TOPICS: ClassVar[tuple[str, ...]] = ()
    """`words` keys of the lines the help dialog shows for this screen."""

    def __init__(self) -> None:
        super().__init__()
        self._stale = False

    @property
    def capp(self) -> ConsoleApp:
        return console_app(self)

    @property
    def key_bindings(self) -> dict[str, ActiveBinding]:
        """The keys that work here, as Textual finds them (descriptions are `words` ids): what
        the help dialog lists."""
        return super().active_bindings

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys as the footer shows them (`footer_bindings`); keys are dispatched from the
        binding chain, not from here."""
        return footer_bindings(self.key_bindings, self.capp.lang)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield NavBar(self.NAME, id="nav")
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        app = self.capp
        self.watch(app, "lang", self._language_changed, init=False)
        self.watch(app, "data_version", self._data_changed, init=False)
        self.watch(app, "live_version", self._live_changed, init=False)
        self.relabel()
        self.refresh_data()

    def _language_changed(self, _lang: str) -> None:
        self.relabel()
        self.refresh_data()

    def _data_changed(self, _version: int) -> None:
        if self.is_current:
            self.refresh_data()
        else:
            self._stale = True

    def _live_changed(self, _version: int) -> None:
        if self.is_current:
            self.refresh_live()

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh_data()

    def relabel(self) -> None:
        """Show every fixed word again in `app.lang`."""

    def action_leave_input(self) -> None:
        """Esc in a text field gives the keys back to the screen (1-9 and 0 switch again)."""
        if isinstance(self.focused, Input):
            target = next(iter(self.query("DataTable, SelectionList, OptionList")), None)
            if target is not None:
                target.focus()

    def refresh_data(self) -> None:
        """Read the master again."""

    def refresh_live(self) -> None:
        """Terminals' status or the clock moved."""


class ConsoleModal(ModalScreen[T], Generic[T]):
    """A dialog over the current screen; `relabel` runs when the language changes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    @property
    def capp(self) -> ConsoleApp:
        return console_app(self)

    def on_mount(self) -> None:
        self.watch(self.capp, "lang", self._language_changed, init=True)

    def _language_changed(self, _lang: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Show every word again in `app.lang`."""

    def action_cancel(self) -> None:
        self.dismiss(None)
