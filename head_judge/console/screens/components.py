"""Components: import the values of a component that is not judged (e.g. the platform's live
data) from a CSV or XLSX file, always with a preview of what changes before it is recorded."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from ...actions import ComponentPreview
from ...scoring import plain
from ..widgets.change_table import ChangeTable
from ..words import say
from .base import ConsoleScreen
from .browse import BrowseDialog, browse_base, resolve
from .confirm import ConfirmDialog
from .dialogs import Line, attempt, phrase
from .form import Field, FormDialog


class ComponentsScreen(ConsoleScreen):
    NAME = "components"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "key_edit_path"),
        Binding("p", "preview", "key_preview"),
        Binding("i", "apply", "key_apply"),
        Binding("c", "component", "key_component"),
        Binding("f", "browse", "key_browse"),
    ]
    TOPICS = ("help_components",)

    def __init__(self) -> None:
        super().__init__()
        self.component_index = 0
        self.preview: tuple[str, str, ComponentPreview] | None = None
        """(component, path, preview) of the last preview."""

    def compose_body(self) -> ComposeResult:
        yield Static(id="component-title", classes="heading")
        yield Static(id="path-label", classes="field-label")
        yield Input(id="path", compact=True, select_on_focus=False)
        yield Static(id="preview-title", classes="heading")
        yield ChangeTable(id="changes")

    def on_mount(self) -> None:
        super().on_mount()
        folder = self.capp.event_folder
        if folder is not None:  # a name alone is looked for next to the event file
            self.query_one("#path", Input).placeholder = f"{folder}{os.sep}…"
        self.query_one(ChangeTable).focus()

    def action_edit(self) -> None:
        self.query_one("#path", Input).focus()

    def _components(self) -> list[str]:
        return [c.id for c in self.capp.head.event.scoring.components if c.source == "import"]

    def component(self) -> str | None:
        components = self._components()
        return components[self.component_index % len(components)] if components else None

    def relabel(self) -> None:
        self.query_one("#path-label", Static).update(say("file_label", self.capp.lang))

    def refresh_data(self) -> None:
        app, lang = self.capp, self.capp.lang
        cid = self.component()
        title = self.query_one("#component-title", Static)
        if cid is None:
            title.update(say("no_import_components", lang))
            return
        component = app.head.event.component(cid)
        assert component is not None
        title.update(say("component_title", lang, name=f"{cid} {component.name.get(lang)}",
                         max=plain(component.max), weight=plain(component.weight)))
        table = self.query_one(ChangeTable)
        if self.preview is not None and self.preview[0] == cid:
            preview = self.preview[2]
            title_text = say("preview_title", lang, counts=preview.counts())
            problem = _problem(preview, lang)
            self.query_one("#preview-title", Static).update(
                title_text + (f"\n[b red]{escape(problem)}[/b red]" if problem else ""))
            table.show_preview(preview.rows, lang)
            return
        values = app.head.components().get(cid, {})
        missing = sum(1 for c in app.head.event.contestants if c.id not in values)
        self.query_one("#preview-title", Static).update(
            say("preview_none", lang)
            + (("   " + say("missing_values", lang, n=missing)) if missing else ""))
        table.show_values(values, lang)

    def _path(self) -> str:
        """The file typed, relative to the event file's folder when it is not absolute."""
        text = self.query_one("#path", Input).value.strip()
        return str(resolve(text, self.capp.event_folder)) if text else ""

    def action_browse(self) -> None:
        """Choose the file from a tree of the event file's folder, then preview it."""
        def chosen(path: str | None) -> None:
            if path is not None:
                self.query_one("#path", Input).value = path
                self.action_preview()

        self.capp.push_screen(BrowseDialog(browse_base(self.capp.event_folder), folders=False),
                              chosen)

    # --- keys ---------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def action_preview(self) -> bool:
        app = self.capp
        cid, path = self.component(), self._path()
        if cid is None or not path:
            return False
        found: list[ComponentPreview] = []
        problem = attempt(lambda: found.append(app.head.preview_components(cid, Path(path))))
        if problem is not None:
            self.preview = None
            app.refused(problem)
            self.refresh_data()
            return False
        self.preview = (cid, path, found[0])
        self.refresh_data()
        self.query_one(ChangeTable).focus()
        return True

    def action_apply(self) -> None:
        app = self.capp
        cid, path = self.component(), self._path()
        if cid is None or not path:
            return
        if not self.action_preview():  # afresh: the record may have changed since
            return
        assert self.preview is not None
        preview = self.preview[2]
        problem = _problem(preview, app.lang)
        if problem:  # shown under the preview's title too: nothing to confirm
            app.refused(problem)
            return
        changes = preview.changes
        replaced = [c for c in changes if c.old is not None]
        lines: list[Line] = [phrase("confirm_import_lines", n=len(changes))]
        lines += [f"  {c.contestant}: {plain(c.old)} → {plain(c.new)}" for c in replaced
                  if c.old is not None]

        def imported(reason: str) -> str | None:
            done: list[int] = []
            problem = attempt(lambda: done.append(
                app.head.import_components(cid, Path(path), reason=reason).entry))
            if problem is None:
                self.preview = None
                app.done("msg_imported", n=len(changes), entry=done[0])
            return problem

        title = phrase("confirm_import_title", file=Path(path).name)
        if replaced:
            def with_reason(values: Mapping[str, str]) -> str | None:
                return imported(values["reason"])

            app.push_screen(FormDialog(title, [Field("reason", "field_reason")],
                                       [phrase("reason_replace"), *lines], ok="key_apply",
                                       danger=True, submit=with_reason))
        else:
            app.push_screen(ConfirmDialog(title, lines, ok="key_apply",
                                          submit=lambda: imported("")))

    def action_component(self) -> None:
        self.component_index += 1
        self.preview = None
        self.refresh_data()


def _problem(preview: ComponentPreview, lang: str) -> str:
    """Why the previewed file cannot be imported as it is ("" when it can)."""
    problem = preview.problem()
    return "" if problem is None else problem.render(lang)
