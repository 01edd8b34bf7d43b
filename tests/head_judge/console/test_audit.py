"""Audit: the ledger filtered by contestant, judge, kind and time; the whole record verified
in a worker thread."""

from __future__ import annotations

from textual.widgets import Select

from head_judge.console.screens.audit import AuditScreen
from head_judge.master import Master

from .conftest import screen_text, until, world_app


def filter_to(app: object, **values: str) -> None:
    for name, value in values.items():
        field = app.screen.query_one(f"#filter-{name}")  # type: ignore[attr-defined]
        if isinstance(field, Select):
            if value:
                field.value = value
            else:
                field.clear()
        else:
            field.value = value


async def test_filters_and_verify(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("8")
        assert isinstance(app.screen, AuditScreen)
        total = len(world.ledger)
        assert f"{total} of {total}" in screen_text(app, "#audit-title")

        filter_to(app, contestant="L06")
        await pilot.pause()
        rows = screen_text(app, "#ledger").splitlines()
        assert rows and all("L06" in row or "components imported" in row for row in rows)
        filter_to(app, judge="J2", kind="sheet_received")
        await pilot.pause()
        rows = screen_text(app, "#ledger").splitlines()
        assert len(rows) == 2 and "revision 2" in rows[0] and "typed 16 for 17" in rows[0]
        filter_to(app, contestant="", judge="", kind="value_overridden")
        await pilot.pause()
        assert "L08: J4's Integrity (revision 1) overridden from 12 to 9" in \
            screen_text(app, "#ledger")
        filter_to(app, kind="", since="09:05", until="09:10")
        await pilot.pause()
        rows = screen_text(app, "#ledger").splitlines()
        assert rows and all(" 09:0" in row for row in rows)
        await pilot.press("escape", "x")  # back to the table, filters cleared
        assert f"{total} of {total}" in screen_text(app, "#audit-title")

        await pilot.press("v")
        await until(pilot, lambda: "Record intact" in screen_text(app, "#verify"),
                    what="verified")
        assert f"{total} entries" in screen_text(app, "#verify")
