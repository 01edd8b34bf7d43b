"""What changed between a printed sheet's content and the record's current content, in words.

`describe_changes(printed, current, lang)` compares two `sheet_content` dicts and returns one
plain sentence per change in `lang` (default English), e.g. `J3's pitch for L05 changed from
16 to 18 (revision 2: 'typo')` or `J3 对 L05 的 pitch 由 16 改为 18（第 2 版：“typo”）`. Known
places (scores, overrides, standings, results, flags, ledger history, decisions) get their own
wording; anything else is named by its path. The words are `printouts.words`' `chg.*`; ids
(judges, contestants, criteria) stay ids, and in English statuses and outcomes stay as
recorded. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from sync.entry_kinds import ENTRY_KINDS

from .words import WORDS

__all__ = ["describe_changes"]

Path = tuple[str, ...]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
_BOOKKEEPING = {"total", "revision", "reason", "at", "earlier"}
"""Entry fields a value change already explains (its revision) or that follow from values."""
_NAMED_FIELDS = {"rank", "final", "prize", "advances", "panel", "total", "dropped"}
"""Result fields named by their printed label (`printouts.words`) outside English."""


class _Say:
    """The sentences of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, /, **fields: object) -> str:
        return WORDS[f"chg.{key}"].get(self.lang).format(**fields)

    def show(self, value: object) -> str:
        if value is MISSING or value is None:
            return "nothing" if self.lang == "en" else WORDS["nothing"].get(self.lang)
        if isinstance(value, list):
            return "[" + ", ".join(self.show(v) for v in value) + "]"
        if isinstance(value, Mapping):
            return "{" + ", ".join(f"{k}: {self.show(v)}" for k, v in value.items()) + "}"
        text = str(value)
        return text if re.fullmatch(r"-?\d+(\.\d+)?", text) else self("quoted", text=text)

    def named(self, prefix: str, value: object, shown: str) -> str:
        """A recorded id (a flag's status, an outcome) by its name in the language; in
        English, and for an id without a name, `shown`."""
        key = f"{prefix}{value}"
        return shown if self.lang == "en" or key not in WORDS else WORDS[key].get(self.lang)


def describe_changes(printed: Mapping[str, object], current: Mapping[str, object],
                     lang: str = "en") -> list[str]:
    """Sentences in `lang` naming every difference from `printed` to `current`; [] when
    equal."""
    say = _Say(lang)
    diffs = _diff(printed, current, ())
    lines: list[str] = []
    handled: set[Path] = set()
    for path, old, new in diffs:
        if path[:1] == ("scores",) and len(path) == 2:  # a judge with no sheet on one side
            sheets = new if old is MISSING else old
            for contestant in sorted(sheets, key=_natural):
                one: Path = (*path, contestant)
                lines += _score_entry(say, one, [(one, _at(old, (contestant,)),
                                                  _at(new, (contestant,)))],
                                      _at(printed, one), _at(current, one))
        elif path[:1] == ("scores",):
            entry: Path = path[:3]
            if entry not in handled:
                handled.add(entry)
                lines += _score_entry(say, entry, [d for d in diffs if d[0][:3] == entry],
                                      _at(printed, entry), _at(current, entry))
        elif path[:1] == ("flags",) and len(path) == 3:
            flag = path[:2]
            if flag not in handled:
                handled.add(flag)
                lines += _flag(say, flag[1], [d for d in diffs if d[0][:2] == flag])
        else:
            lines.append(_phrase(say, path, old, new, current))
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


def _score_entry(say: _Say, entry: Path, diffs: list[tuple[Path, Any, Any]], old: Any,
                 new: Any) -> list[str]:
    """Sentences for one judge's sheet for one contestant (`scores.J.C`)."""
    _, judge, contestant = entry
    sheet = say("sheet", judge=judge, contestant=contestant)
    if old is MISSING:
        return [say("sheet_added", sheet=sheet, revision=new.get("revision", "?"))]
    if new is MISSING:
        return [say("sheet_gone", sheet=sheet, revision=old.get("revision", "?"))]
    revised = old.get("revision") != new.get("revision")
    why = say("why", revision=new.get("revision"), reason=say.show(new.get("reason"))) \
        if revised else ""
    lines: list[str] = []
    for path, before, after in diffs:
        field, rest = path[3], path[4:]
        if field == "values" and rest:
            what = say("value_of", judge=judge, criterion=rest[0], contestant=contestant)
            lines.append(_change(say, what, before, after, why))
        elif field == "overrides" and rest:
            lines.append(_override(say, judge, contestant, rest[0], path[5:], before, after,
                                   new))
        elif field == "comment":
            what = say("comment_of", judge=judge, contestant=contestant)
            lines.append(say("changed", what=what, old=say.show(before), new=say.show(after),
                             why=why))
        elif field == "withdrawn":
            lines.append(say("reinstated", sheet=sheet) if after is None
                         else say("withdrawn", sheet=sheet, reason=say.show(after)))
        elif field == "signature":
            lines.append(say("signature", sheet=sheet,
                             old=say.named("chg.sig.", before, say.show(before)),
                             new=say.named("chg.sig.", after, say.show(after))))
        elif field not in _BOOKKEEPING:
            lines.append(_generic(say, path, before, after))
    if revised and not lines:
        lines.append(say("revised_same", sheet=sheet, why=why))
    return lines


def _change(say: _Say, what: str, before: Any, after: Any, why: str) -> str:
    if before is MISSING:
        return say("added", what=what, new=say.show(after), why=why)
    if after is MISSING:
        return say("removed", what=what, old=say.show(before), why=why)
    return say("changed", what=what, old=say.show(before), new=say.show(after), why=why)


def _override(say: _Say, judge: str, contestant: str, criterion: str, rest: Path, before: Any,
              after: Any, current: Any) -> str:
    what = say("value_of", judge=judge, criterion=criterion, contestant=contestant)
    now = _at(current, ("overrides", criterion))
    if not rest and before is MISSING:
        return say("overrode", what=what, old=say.show(after["from"]),
                   new=say.show(after["to"]), reason=say.show(after["reason"]))
    if not rest and after is MISSING:
        return say("override_gone", what=what, old=say.show(before["to"]))
    reason = say.show(now["reason"]) if isinstance(now, Mapping) else say.show(None)
    return say("override_changed", what=what,
               field=rest[0] if rest else say("override_value"),
               old=say.show(before), new=say.show(after), reason=reason)


def _flag(say: _Say, flag: str, diffs: list[tuple[Path, Any, Any]]) -> list[str]:
    """A flag's status change, with its resolution; other fields by name."""
    fields = {path[2]: (old, new) for path, old, new in diffs}
    if "status" not in fields:
        return [_generic(say, path, old, new) for path, old, new in diffs]
    old, new = fields.pop("status")
    _, resolution = fields.pop("resolution", (None, ""))
    fields.pop("resolved_at", None)
    line = say("flag", flag=flag, old=say.named("flag.", old, str(old)),
               new=say.named("flag.", new, str(new)))
    lines = [line + (say("resolution", resolution=say.show(resolution)) if resolution else "")]
    return lines + [_generic(say, ("flags", flag, k), *v) for k, v in fields.items()]


_WHOLE: dict[str, Callable[[_Say, str, Any, Any], str]] = {
    "standings": lambda say, c, old, new: (say("ranked", contestant=c) if old is MISSING
                                           else say("unranked", contestant=c)),
    "flags": lambda say, f, old, new: (
        say("flag_raised", flag=f, rule=say.named("rule.", new["rule"], str(new["rule"])),
            contestant=new["contestant"]) if old is MISSING
        else say("flag_gone", flag=f)),
    "history": lambda say, p, old, new: (
        say("entry_added", entry=p,
            action=_kind(new["action"], say.lang),
            actor=say.named("actor.", new["actor"], _english("actor.", new["actor"])),
            detail=new["detail"])
        if old is MISSING else say("entry_gone", entry=p)),
}


def _kind(kind: object, lang: str) -> str:
    """A printed history's action by its name; content printed by another version may name a
    kind this one does not know: shown as recorded."""
    return ENTRY_KINDS.say(kind, lang) if isinstance(kind, str) and kind in ENTRY_KINDS \
        else str(kind)


def _english(prefix: str, value: object) -> str:
    key = f"{prefix}{value}"
    return WORDS[key].en if key in WORDS else str(value)


def _phrase(say: _Say, path: Path, old: Any, new: Any, current: Mapping[str, object]) -> str:
    head = path[0]
    if len(path) == 2 and head in _WHOLE and MISSING in (old, new):
        return _WHOLE[head](say, path[1], old, new)
    if head == "standings" and len(path) >= 3:
        return _result(say, path[1], path[2:], old, new)
    if head == "result" and len(path) >= 2:
        contestant = str(current.get("subject", say("the_contestant")))
        if old is None or new is None:
            return (say("result_gone", contestant=contestant) if new is None
                    else say("result_added", contestant=contestant,
                             final=say.show(new["final"])))
        return _result(say, contestant, path[1:], old, new)
    if head == "decision" and len(path) == 1:
        if new is None:
            return say("decision_gone")
        return say("decided", outcome=say.named("outcome.", new["outcome"], new["outcome"]),
                   reason=say.show(new["reason"]))
    return _generic(say, path, old, new)


def _result(say: _Say, contestant: str, rest: Path, old: Any, new: Any) -> str:
    field = rest[0]
    if field in ("judges", "components", "criterion_means") and len(rest) > 1:
        what = {"judges": say("judge_total", judge=rest[1]),
                "components": say("component", component=rest[1]),
                "criterion_means": say("mean", criterion=rest[1])}[field]
    else:
        what = field.replace("_", " ")
        if field in _NAMED_FIELDS:
            what = say.named("", field, what)
    return say("changed", what=say("of", contestant=contestant, what=what), old=say.show(old),
               new=say.show(new), why="")


def _generic(say: _Say, path: Path, old: Any, new: Any) -> str:
    where = " › ".join(path)
    if old is MISSING:
        return say("path_added", where=where, new=say.show(new))
    if new is MISSING:
        return say("path_removed", where=where, old=say.show(old))
    return say("path_changed", where=where, old=say.show(old), new=say.show(new))
