"""The figures a printed sheet must show, read from what its print recorded (`sheet_printed`
entry, `content`), for a notary to compare the paper against the screen: `head-judge verify
CODE`, `verify QR-TEXT` and a scan of the paper list them.

Per kind: results, each row's rank, contestant, final and prize (and who was absent); judge
sheet, each contestant's total (or recused, withdrawn); contestant sheet, each judge's total
(dropped ones marked), the final, rank and prize; discrepancy report, each flag's contestant,
rule and status, each override's values; appeal dossier, the decision; enrolment card, the
seat, master fingerprint and expiry; pack inventory, each sheet's code and pages. Labels are
the sheet's own (`printouts.words`, in the event's languages). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from printouts.words import WORDS, langs, tier_name, w
from sync.event import Event

__all__ = ["sheet_figures"]

SEP = " · "


def _map(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _rank(text: object) -> tuple[int, str]:
    try:
        return int(str(text)), ""
    except ValueError:
        return 10**6, str(text)


def _judge(event: Event, judge: str) -> str:
    found = event.judge(judge)
    return f"{judge} {found.name.both(langs(event))}" if found else judge


def _contestant(event: Event, contestant: str, name: object = None) -> str:
    found = event.contestant(contestant)
    shown = name if isinstance(name, str) and name else (found.name if found else "")
    return f"{contestant} {shown}".strip()


def _prize(event: Event, prize: Any) -> list[str]:
    """The prize a sheet prints; none at all in a round that only advances (no prize column)."""
    return [f"{w('prize', langs(event))} {tier_name(event, prize)}"] if event.awards.tiers else []


def _results(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    standings = _map(content.get("standings"))
    out = []
    for cid, row in sorted(standings.items(), key=lambda kv: (_rank(_map(kv[1]).get("rank")),
                                                              kv[0])):
        row = _map(row)
        if row.get("rank") is None:
            continue
        out.append(SEP.join([f"{w('rank', lg)} {row.get('rank')}",
                             _contestant(event, cid, row.get("name")),
                             f"{w('final', lg)} {row.get('final')}",
                             *_prize(event, row.get("prize"))]))
    absent = content.get("absent") or []
    if absent:
        out.append(f"{w('absent', lg)}: " + ", ".join(_contestant(event, c) for c in absent))
    return out


def _judge_sheet(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    judge = str(_map(content.get("judge")).get("id", ""))
    scores = _map(_map(content.get("scores")).get(judge))
    out = []
    order = {c.id: i for i, c in enumerate(event.contestants)}
    for cid, sheet in sorted(scores.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0])):
        sheet = _map(sheet)
        total = f"{w('total', lg)} {sheet.get('total')}"
        if sheet.get("withdrawn"):
            total += f" ({w('withdrawn', lg)})"
        out.append(SEP.join([_contestant(event, cid), total]))
    out += [SEP.join([_contestant(event, str(c)), w("recused", lg)])
            for c in content.get("recused") or []]
    return out


def _contestant_sheet(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    result = _map(content.get("result"))
    dropped = set(result.get("dropped") or [])
    out = [SEP.join([_judge(event, j), f"{w('total', lg)} {total}"
                     + (f" ({w('dropped', lg)})" if j in dropped else "")])
           for j, total in _map(result.get("judges")).items()]
    if content.get("absent") is True:
        out.append(w("absent", lg))
    if result:
        out.append(SEP.join([f"{w('final', lg)} {result.get('final')}",
                             f"{w('rank', lg)} {result.get('rank')}",
                             *_prize(event, result.get("prize"))]))
    return out


def _discrepancy(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    out = []
    for fid, flag in sorted(_map(content.get("flags")).items(), key=lambda kv: _rank(kv[0])):
        flag = _map(flag)
        rule, status = f"rule.{flag.get('rule')}", f"flag.{flag.get('status')}"
        out.append(SEP.join([f"{w('flag', lg)} {fid}",
                             _contestant(event, str(flag.get("contestant", ""))),
                             w(rule, lg) if rule in WORDS else str(flag.get("rule")),
                             w(status, lg) if status in WORDS else str(flag.get("status"))]))
    for key, override in sorted(_map(content.get("overrides")).items()):
        override = _map(override)
        judge, contestant, criterion = (key.split("/") + ["", "", ""])[:3]
        found = event.criterion(criterion)
        out.append(SEP.join([w("override", lg), _judge(event, judge),
                             _contestant(event, contestant),
                             found.name.both(lg) if found else criterion,
                             f"{override.get('from')} → {override.get('to')}"]))
    return out


def _appeal(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    appeal = _map(content.get("appeal"))
    decision = _map(content.get("decision"))
    out = [SEP.join([f"{w('appeal', lg)} {appeal.get('id', '')}",
                     _contestant(event, str(appeal.get("contestant", "")))])]
    outcome = f"outcome.{decision.get('outcome')}"
    if not decision or outcome not in WORDS:
        out.append(f"{w('decision', lg)}: {w('pending', lg)}")
        return out
    out.append(f"{w('decision', lg)}: {w(outcome, lg)}" + (
        f"{SEP}{decision['reason']}" if decision.get("reason") else ""))
    committee = decision.get("committee") or []
    if committee:
        out.append(", ".join(str(m) for m in committee))
    return out


def _card(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    card = _map(content.get("card"))
    return [SEP.join([_judge(event, str(card.get("judge", ""))),
                      f"{w('seat', lg)} {card.get('seat', '')}"]),
            f"{w('fingerprint', lg)} {card.get('fingerprint', '')}",
            f"{w('expires', lg)} {card.get('expires', '')}"]


def _inventory(event: Event, content: Mapping[str, Any]) -> list[str]:
    lg = langs(event)
    return [SEP.join([f"{w('sheet_code', lg)} {_map(s).get('code')}",
                      f"{_map(s).get('kind')} {_map(s).get('subject')}",
                      f"{_map(s).get('pages')} pages"])
            for s in content.get("sheets") or []]


_BY_KIND: dict[str, Callable[[Event, Mapping[str, Any]], list[str]]] = {
    "results": _results, "judge": _judge_sheet, "contestant": _contestant_sheet,
    "discrepancy": _discrepancy, "appeal": _appeal, "enrolment": _card,
    "inventory": _inventory,
}


def sheet_figures(event: Event, kind: str, content: object) -> list[str]:
    """What the sheet of `kind` printed with `content` must show, one line a row."""
    make = _BY_KIND.get(kind)
    return make(event, _map(content)) if make is not None else []
