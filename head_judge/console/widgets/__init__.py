"""The console's widgets, one per module, and `console_app` to reach the running app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from head_judge.console.app import ConsoleApp


def console_app(node: DOMNode) -> ConsoleApp:
    """The `ConsoleApp` a widget or screen runs in."""
    return cast("ConsoleApp", node.app)
