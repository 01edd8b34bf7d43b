"""What the audience's screens may show: the one public state the screen server sends.

`screen_state(head)` builds it from the record: the event's names, who is on stage, the
latest reveal (the figures the `contestant_revealed` entry recorded, judges shown as 评委N by
seat), a leaderboard per ranking of the revealed contestants (provisional) or, once the
ranking is published, its latest published version with prizes. It reads nothing else: no
sheet, criterion value, comment or flag of any contestant, and no figure that was not
revealed or published, is in it (`head_judge.screen_server` sends only this).

`public_version(conn)` is the ledger position of the latest entry that changes the state,
cheap enough to poll.
"""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from typing import Any, Final

from printouts.blind import blind_view
from sync.event import Event, Text
from sync.zones import event_zone, recorded_moment

from .actions import HeadJudge
from .appeals import scope_standings
from .blind import DRAW_MADE, IDENTITIES_REVEALED, blind_state
from .projections import PublicationRow, publication_rows
from .scoring import ScopeKey

__all__ = ["PUBLIC_KINDS", "public_version", "screen_state"]

PUBLIC_KINDS: Final = ("event_loaded", "event_changed", "on_stage", "contestant_revealed",
                       "results_published", "results_official", DRAW_MADE,
                       IDENTITIES_REVEALED)
"""The ledger kinds whose entries change what the screens show."""

_VERSION = 1


def public_version(conn: sqlite3.Connection) -> int:
    """The position of the latest ledger entry that changes the screens (0: none)."""
    row = conn.execute(
        f"SELECT MAX(seq) FROM ledger WHERE kind IN ({','.join('?' * len(PUBLIC_KINDS))})",
        PUBLIC_KINDS).fetchone()
    return int(row[0] or 0)


def _text(text: Text) -> dict[str, str]:
    return {"zh": text.get("zh"), "en": text.get("en")}


def _scope_name(event: Event, track: str, group: str | None) -> dict[str, str]:
    found, grp = event.track(track), event.group(group) if group else None
    names = [found.name if found else Text(track, track)] + ([grp.name] if grp else [])
    return {lang: " · ".join(n.get(lang) for n in names) for lang in ("zh", "en")}


def _who(event: Event, contestant_id: str) -> dict[str, Any]:
    c = event.contestant(contestant_id)
    if c is None:
        return {"contestant": contestant_id, "order": None, "name": "", "organisation": "",
                "track": "", "group": None}
    return {"contestant": c.id, "order": c.order, "name": c.name,
            "organisation": c.organisation, "track": c.track, "group": c.group}


def _judge_name(event: Event, judge_id: str) -> dict[str, str] | None:
    """A judge's name on the screen only when the event says so (`[screen] judge_names`)."""
    judge = event.judge(judge_id)
    return _text(judge.name) if event.screen_judge_names and judge is not None else None


def _reveal(event: Event, contestant: str, seq: int, at: str,
            figures: dict[str, Any]) -> dict[str, Any]:
    seats = {j.id: n for n, j in enumerate(event.judges, start=1)}
    components = []
    for c in event.scoring.components:
        components.append({"id": c.id, "name": _text(c.name),
                           "value": figures["components"].get(c.id), "weight": str(c.weight)})
    return {
        **_who(event, contestant), "seq": seq, "at": at,
        "judges": [{"seat": seats.get(j["judge"], 0),
                    "label": {"zh": f"评委{seats.get(j['judge'], 0)}",
                              "en": f"Judge {seats.get(j['judge'], 0)}"},
                    "name": _judge_name(event, j["judge"]), "total": j["total"],
                    "dropped": bool(j["dropped"])}
                   for j in figures["judges"]],
        "panel": figures["panel"],
        "panel_label": {"zh": "评委评分", "en": "Panel score"},
        "components": components,
        "final": figures["final"],
    }


def _provisional(event: Event, scope: ScopeKey, revealed: list[dict[str, Any]]
                 ) -> dict[str, Any]:
    def key(r: dict[str, Any]) -> tuple[Decimal, Decimal]:
        return (Decimal(r["final"]) if r["final"] is not None else Decimal(-1),
                Decimal(r["panel"]))

    rows: list[dict[str, Any]] = []
    ordered = sorted(revealed, key=key, reverse=True)
    for i, r in enumerate(ordered):
        rank = rows[-1]["rank"] if rows and key(ordered[i - 1]) == key(r) else i + 1
        rows.append({"rank": rank, **{k: r[k] for k in ("contestant", "name", "organisation")},
                     "final": r["final"], "panel": r["panel"]})
    return {"track": scope[0], "group": scope[1], "name": _scope_name(event, *scope),
            "provisional": True, "rows": rows}


def _published(event: Event, track: str, group: str | None, version: int, at: str,
               document: dict[str, Any]) -> dict[str, Any]:
    tiers = {t.id: _text(t.name) for t in event.awards.tiers}
    rows = []
    ranking = [s for scope in document.get("scopes", []) for s in scope.get("ranking", [])]
    for s in ranking:
        who = _who(event, s["contestant"])
        rows.append({"rank": s["rank"], "contestant": s["contestant"], "name": who["name"],
                     "organisation": who["organisation"], "final": s["final"],
                     "prize": tiers.get(s["prize"]) if s.get("prize") else None,
                     "advances": s.get("advances")})
    return {"track": track, "group": group, "name": _scope_name(event, track, group),
            "provisional": False, "version": version, "at": at, "republished": version > 1,
            "rows": rows}


def screen_state(head: HeadJudge) -> dict[str, Any]:
    """The public state, read at one moment of the record. In a blind final, while
    identities are hidden, every contestant is their draw number (`抽签号 07 Draw 07`) with no
    name or organisation; after the reveal, by name."""
    event = head.event
    with head.master.ledger.snapshot() as conn:
        blind = blind_state(conn, event)
        if blind.hidden:
            event = blind_view(event, blind.draws, names=False)
        version = public_version(conn)
        stage = head.last_on_stage()
        reveals = conn.execute("SELECT contestant, ledger_seq, at, figures FROM reveals "
                               "ORDER BY ledger_seq").fetchall()
        latest: dict[ScopeKey, PublicationRow] = {}
        for row in publication_rows(conn):
            held = latest.get((row.track, row.group))
            if held is None or row.version > held.version:
                latest[(row.track, row.group)] = row
    shown = [_reveal(event, cid, seq, at, json.loads(figures))
             for cid, seq, at, figures in reveals if event.contestant(cid) is not None]
    scopes = sorted({(c.track, c.group) for c in event.contestants},
                    key=lambda k: (k[0], k[1] or ""))
    published = [_published(event, pub.track, pub.group, pub.version, pub.at,
                            dict(pub.document))
                 for key in scopes if (pub := latest.get(key)) is not None]
    standings = {(s.track, s.group): s for s in scope_standings(head)}
    zone = event_zone(head.event)
    for board in published:  # with an appeal window: 暂定 until it closes, then 正式
        standing = standings.get((board["track"], board["group"]))
        board["state"] = standing.state if standing else None
        closes = recorded_moment(standing.closes) if standing and standing.closes else None
        board["appeals_close"] = closes.astimezone(zone).strftime("%H:%M") if closes else None
    boards = []
    for scope in scopes:
        done = next((b for b in published if (b["track"], b["group"]) == scope), None)
        boards.append(done if done is not None else _provisional(
            event, scope, [r for r in shown if (r["track"], r["group"]) == scope]))
    return {
        "v": _VERSION, "version": version,
        "event": {"name": _text(event.name), "round": _text(event.round),
                  "organiser": _text(event.organiser), "languages": list(event.languages)},
        "on_stage": _who(event, stage) if stage and event.contestant(stage) else None,
        "reveal": shown[-1] if shown else None,
        "leaderboards": boards,
        "published": published,
    }
