"""The in-process master of tests/masters.py for the sync end-to-end tests."""

from tests.masters import event, running

__all__ = ["event", "running"]
