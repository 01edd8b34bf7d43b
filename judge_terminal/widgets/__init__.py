"""The judge terminal's widgets, one per module, and `judge_app` to reach the running app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from judge_terminal.app import JudgeApp


def judge_app(node: DOMNode) -> JudgeApp:
    """The `JudgeApp` a widget or screen runs in."""
    return cast("JudgeApp", node.app)
