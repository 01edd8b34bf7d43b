"""The head judges heard on the LAN (or the one given with --master): event name, address
and fingerprint in its typable form; the one the typed code pins is marked in words."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from sync.identity import format_fingerprint

from ..lan import SeenMaster
from ..words import say


class MasterList(Static):
    def show(self, masters: Sequence[SeenMaster] | None, pin: bytes | None, lang: str) -> None:
        """`masters` None while searching."""
        if masters is None:
            self.update(say("searching", lang))
            return
        if not masters:
            self.update(say("none_found", lang))
            return
        out = Text()
        for master in masters:
            name = master.event_name.get(lang) if master.event_name else master.label
            out.append(f"{name}\n", style="bold")
            out.append(f"  {master.address}")
            if pin is not None and master.fingerprint == pin:
                out.append("  " + say("matches_code", lang), style="bold")
            out.append("\n")
            if master.fingerprint is not None:
                out.append(f"  {say('fingerprint', lang)} {format_fingerprint(master.fingerprint)}")
            else:
                out.append("  " + say("fingerprint_unknown", lang))
            out.append("\n")
        out.rstrip()
        self.update(out)
