"""Choose a file (a component's CSV or XLSX) or a folder (where PDFs are printed) from a tree
of the event file's folder, so nobody has to type a path. The answer is the path as the
console's fields show it: relative to the event file's folder when it is inside it (the
fields read a relative path from there, never from the process's working directory), else
absolute. `relative_to_event` and `resolve` are those two rules."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Static

from ..words import say
from .base import ConsoleModal

FILE_SUFFIXES = (".csv", ".xlsx")


def resolve(text: str, base: Path | None) -> Path:
    """A path typed into a field: `~` expanded, a relative one read from `base` (the event
    file's folder; the working directory only when there is none)."""
    path = Path(text.strip()).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def relative_to_event(path: Path, base: Path | None) -> str:
    """`path` as a field shows it: relative to `base` when inside it, else absolute."""
    if base is not None:
        try:
            return str(Path(path).resolve().relative_to(base.resolve())) or "."
        except ValueError:
            pass
    return str(path)


class _Tree(DirectoryTree):
    def __init__(self, path: Path, *, folders_only: bool, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.folders_only = folders_only
        self.auto_expand = not folders_only  # a folder: Enter chooses it, Space opens it

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        shown = []
        for path in paths:
            if path.name.startswith("."):
                continue
            if path.is_dir() or (not self.folders_only
                                 and path.suffix.lower() in FILE_SUFFIXES):
                shown.append(path)
        return shown


class BrowseDialog(ConsoleModal[str | None]):
    """A tree of `base`; dismissed with the chosen path as a field shows it, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, base: Path, *, folders: bool) -> None:
        super().__init__()
        self.base = base
        self.folders = folders

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog pick"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Static(id="browse-hint", classes="hint")
            yield _Tree(self.base, folders_only=self.folders, id="browse-tree")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(_Tree).focus()

    def relabel(self) -> None:
        lang = self.capp.lang
        self.query_one("#dialog-title", Static).update(
            say("pick_folder_title" if self.folders else "pick_file_title", lang))
        self.query_one("#browse-hint", Static).update(
            say("pick_hint_folder" if self.folders else "pick_hint_file", lang,
                base=self.base))

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        if not self.folders:
            self.dismiss(relative_to_event(event.path, self.base))

    def on_directory_tree_directory_selected(self,
                                             event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        if self.folders:
            self.dismiss(relative_to_event(event.path, self.base))


def browse_base(event_folder: Path | None) -> Path:
    """Where the tree starts: the event file's folder, else the working directory."""
    return event_folder if event_folder is not None else Path(os.getcwd())
