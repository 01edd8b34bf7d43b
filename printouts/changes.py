"""What changed between a printed sheet's content and the record's current content, in words.

`describe_changes(printed, current)` compares two `sheet_content` dicts and returns one plain
sentence per change, e.g. `J3's pitch for L05 changed from 16 to 18 (revision 2: 'typo')`.
Known places (scores, overrides, standings, results, flags, ledger history, decisions) get
their own wording; anything else is named by its path. Pure: no I/O; ids, not names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["describe_changes"]

Path = tuple[str, ...]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
_BOOKKEEPING = {"total", "revision", "reason", "at", "earlier"}
"""Entry fields a value change already explains (its revision) or that follow from values."""


def describe_changes(printed: Mapping[str, object], current: Mapping[str, object]) -> list[str]:
    """Sentences naming every difference from `printed` to `current`; [] when equal."""
    diffs = _diff(printed, current, ())
    lines: list[str] = []
    handled: set[Path] = set()
    for path, old, new in diffs:
        if path[:1] == ("scores",) and len(path) == 2:  # a judge with no sheet on one side
            sheets = new if old is MISSING else old
            for contestant in sorted(sheets, key=_natural):
                one: Path = (*path, contestant)
                lines += _score_entry(one, [(one, _at(old, (contestant,)),
                                             _at(new, (contestant,)))],
                                      _at(printed, one), _at(current, one))
        elif path[:1] == ("scores",):
            entry: Path = path[:3]
            if entry not in handled:
                handled.add(entry)
                lines += _score_entry(entry, [d for d in diffs if d[0][:3] == entry],
                                      _at(printed, entry), _at(current, entry))
        elif path[:1] == ("flags",) and len(path) == 3:
            flag = path[:2]
            if flag not in handled:
                handled.add(flag)
                lines += _flag(flag[1], [d for d in diffs if d[0][:2] == flag])
        else:
            lines.append(_phrase(path, old, new, current))
    return lines


def _diff(a: object, b: object, path: Path) -> list[tuple[Path, Any, Any]]:
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        out: list[tuple[Path, Any, Any]] = []
        for key in sorted(set(a) | set(b), key=_natural):
            out += _diff(a.get(key, MISSING), b.get(key, MISSING), (*path, key))
        return out
    return [] if a == b else [(path, a, b)]


def _natural(key: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", key))


def _at(obj: object, path: Path) -> Any:
    for key in path:
        if not isinstance(obj, Mapping) or key not in obj:
            return MISSING
        obj = obj[key]
    return obj


def _show(value: object) -> str:
    if value is MISSING or value is None:
        return "nothing"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if re.fullmatch(r"-?\d+(\.\d+)?", text) else f"'{text}'"


def _score_entry(entry: Path, diffs: list[tuple[Path, Any, Any]], old: Any, new: Any
                 ) -> list[str]:
    """Sentences for one judge's sheet for one contestant (`scores.J.C`)."""
    _, judge, contestant = entry
    sheet = f"{judge}'s sheet for {contestant}"
    if old is MISSING:
        return [f"{sheet} was added (revision {new.get('revision', '?')})"]
    if new is MISSING:
        return [f"{sheet} is no longer on record (was revision {old.get('revision', '?')})"]
    revised = old.get("revision") != new.get("revision")
    why = f" (revision {new.get('revision')}: {_show(new.get('reason'))})" if revised else ""
    lines: list[str] = []
    for path, before, after in diffs:
        field, rest = path[3], path[4:]
        if field == "values" and rest:
            what = f"{judge}'s {rest[0]} for {contestant}"
            if before is MISSING:
                lines.append(f"{what} was added: {_show(after)}{why}")
            elif after is MISSING:
                lines.append(f"{what} was removed (was {_show(before)}){why}")
            else:
                lines.append(f"{what} changed from {_show(before)} to {_show(after)}{why}")
        elif field == "overrides" and rest:
            lines.append(_override(judge, contestant, rest[0], path[5:], before, after, new))
        elif field == "comment":
            lines.append(f"{judge}'s comment for {contestant} changed from {_show(before)} "
                         f"to {_show(after)}{why}")
        elif field == "withdrawn":
            lines.append(f"{sheet} was reinstated" if after is None
                         else f"{sheet} was withdrawn ({_show(after)})")
        elif field == "signature":
            lines.append(f"{sheet}: signature {_show(before)} is now {_show(after)}")
        elif field not in _BOOKKEEPING:
            lines.append(_generic(path, before, after))
    if revised and not lines:
        lines.append(f"{sheet} was revised without changing a value{why}")
    return lines


def _override(judge: str, contestant: str, criterion: str, rest: Path, before: Any, after: Any,
              current: Any) -> str:
    what = f"{judge}'s {criterion} for {contestant}"
    now = _at(current, ("overrides", criterion))
    if not rest and before is MISSING:
        return (f"the head judge overrode {what}: {_show(after['from'])} -> {_show(after['to'])} "
                f"(reason: {_show(after['reason'])})")
    if not rest and after is MISSING:
        return f"the override of {what} was removed (it was {_show(before['to'])})"
    reason = _show(now["reason"]) if isinstance(now, Mapping) else "nothing"
    return (f"the override of {what} changed its {rest[0] if rest else 'value'} from "
            f"{_show(before)} to {_show(after)} (reason: {reason})")


def _flag(flag: str, diffs: list[tuple[Path, Any, Any]]) -> list[str]:
    """A flag's status change, with its resolution; other fields by name."""
    fields = {path[2]: (old, new) for path, old, new in diffs}
    if "status" not in fields:
        return [_generic(path, old, new) for path, old, new in diffs]
    old, new = fields.pop("status")
    _, resolution = fields.pop("resolution", (None, ""))
    fields.pop("resolved_at", None)
    line = f"flag {flag} changed from {old} to {new}"
    lines = [line + (f" ({_show(resolution)})" if resolution else "")]
    return lines + [_generic(("flags", flag, k), *v) for k, v in fields.items()]


_WHOLE: dict[str, Callable[[str, Any, Any], str]] = {
    "standings": lambda c, old, new: (f"{c} was added to the ranking" if old is MISSING
                                      else f"{c} is no longer in the ranking"),
    "flags": lambda f, old, new: (
        f"flag {f} was raised ({new['rule']} on {new['contestant']})" if old is MISSING
        else f"flag {f} is no longer on record"),
    "history": lambda p, old, new: (
        f"ledger entry {p} was added: {new['action']} by {new['actor']} — {new['detail']}"
        if old is MISSING else f"ledger entry {p} is no longer listed"),
}


def _phrase(path: Path, old: Any, new: Any, current: Mapping[str, object]) -> str:
    head = path[0]
    if len(path) == 2 and head in _WHOLE and MISSING in (old, new):
        return _WHOLE[head](path[1], old, new)
    if head == "standings" and len(path) >= 3:
        return _result(path[1], path[2:], old, new)
    if head == "result" and len(path) >= 2:
        contestant = str(current.get("subject", "the contestant"))
        if old is None or new is None:
            return (f"{contestant}'s result is no longer available" if new is None
                    else f"{contestant}'s result was added: final {_show(new['final'])}")
        return _result(contestant, path[1:], old, new)
    if head == "decision" and len(path) == 1:
        if new is None:
            return "the decision was withdrawn"
        return f"the appeal was decided: {new['outcome']} (reason: {_show(new['reason'])})"
    return _generic(path, old, new)


def _result(contestant: str, rest: Path, old: Any, new: Any) -> str:
    field = rest[0]
    if field in ("judges", "components", "criterion_means") and len(rest) > 1:
        what = {"judges": f"total from {rest[1]}", "components": f"component {rest[1]}",
                "criterion_means": f"mean {rest[1]}"}[field]
    else:
        what = field.replace("_", " ")
    return f"{contestant}'s {what} changed from {_show(old)} to {_show(new)}"


def _generic(path: Path, old: Any, new: Any) -> str:
    where = " › ".join(path)
    if old is MISSING:
        return f"{where} was added: {_show(new)}"
    if new is MISSING:
        return f"{where} was removed (was {_show(old)})"
    return f"{where} changed from {_show(old)} to {_show(new)}"
