"""Load an event file (docs/event-file.md) into the immutable `sync.event.Event`.

`load_event` reads the TOML event file and, when it names one, the contestants CSV/XLSX
next to it; it reads nothing else and writes nothing. Every mistake in either file is
collected and raised at once as `InputProblems`, each naming the file, the field (or the
line and column) and what was expected; a user mistake never surfaces as a traceback.

It refuses rather than guesses: floats (numbers are read as `Decimal`), unknown keys and
columns (typo protection), schemas other than 1, and any file it cannot fully validate;
there is no partial `Event`. Mapping organisers' registration workbooks is not done here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final, Generic, TypeVar

from sync.event import (
    ROUNDING_MODES,
    Advancement,
    Aggregate,
    AppealRules,
    AwardBasis,
    Awards,
    Component,
    ComponentSource,
    Contestant,
    Criterion,
    Discrepancy,
    Event,
    Group,
    Honour,
    Judge,
    OrganisationAward,
    OrganisationScore,
    Requirement,
    RequirementKind,
    Scoring,
    Text,
    TiebreakKey,
    TiebreakKind,
    TiebreakPrefer,
    Tier,
    TierPoints,
    Track,
)
from sync.problems import InputProblems, Problem, Said, os_reason
from sync.tabular import read_lines
from sync.zones import is_zone_name, zone_names

__all__ = ["CONTESTANT_COLUMNS", "LANGUAGES", "REQUIRED_COLUMNS", "SCHEMA", "load_event"]

SCHEMA: Final = 1
LANGUAGES: Final = ("zh", "en")
CONTESTANT_COLUMNS: Final = (
    "id", "name", "members", "organisation", "track", "group", "order", "instructor", "recuse",
)
REQUIRED_COLUMNS: Final = ("id", "name", "organisation", "track")

_AGGREGATES: Final[Mapping[str, Aggregate]] = {
    "mean": "mean", "median": "median", "trimmed_mean": "trimmed_mean",
}
_SOURCES: Final[Mapping[str, ComponentSource]] = {"panel": "panel", "import": "import"}
_BASES: Final[Mapping[str, AwardBasis]] = {"count": "count", "percent": "percent"}
_TIEBREAK_KINDS: Final[Mapping[str, TiebreakKind]] = {
    "component": "component", "criterion": "criterion",
}
_PREFERS: Final[Mapping[str, TiebreakPrefer]] = {"higher": "higher", "lower": "lower"}
_ROUNDINGS: Final[Mapping[str, str]] = {name: name for name in ROUNDING_MODES}

_TOP_KEYS: Final = (
    "schema", "event", "rubric", "scoring", "discrepancy", "awards", "advancement",
    "tracks", "groups", "judges", "contestants", "appeals", "screen", "organisation_awards",
    "honours",
)
_EVENT_KEYS: Final = (
    "id", "name", "round", "date", "venue", "organiser", "languages", "notary", "timezone",
    "blind",
)
_ORGANISATION_AWARD_KEYS: Final = ("id", "name", "score", "points", "best", "count")
_ORGANISATION_SCORES: Final[Mapping[str, OrganisationScore]] = {
    "prize_points": "prize_points", "best_mean": "best_mean",
}
_HONOUR_KEYS: Final = ("id", "name", "groups", "requires", "top", "rest")
_REQUIREMENT: Final = Text('"final"、"component:ID" 或 "criterion:ID"',
                          '"final", "component:ID" or "criterion:ID"')

_CRITERION_KEYS: Final = ("id", "name", "max", "step")
_SCORING_KEYS: Final = (
    "aggregate", "trim", "min_remaining", "decimals", "rounding", "components", "tiebreak",
)
_COMPONENT_KEYS: Final = ("id", "name", "source", "max", "weight")
_DISCREPANCY_KEYS: Final = ("criterion_spread", "total_spread", "outlier")
_TIER_KEYS: Final = ("id", "name", "count", "percent", "rest")
_TIEBREAK_ENTRY_KEYS: Final = ("key", "prefer")
_TIEBREAK_ENTRY: Final = Text(
    '"component:ID"、"criterion:ID" 或 { key = "component:ID", prefer = "lower" }',
    '"component:ID", "criterion:ID" or { key = "component:ID", prefer = "lower" }')
_TIEBREAK_KEY: Final = Text('"component:ID" 或 "criterion:ID"', '"component:ID" or "criterion:ID"')
_MAJORITIES: Final = Text('"simple" 或 "two_thirds"', '"simple" or "two_thirds"')
_NAMED_KEYS: Final = ("id", "name")
_JUDGE_KEYS: Final = ("id", "name", "affiliation")

# Numbers are bounded so that no Decimal operation on them can overflow or lose digits.
_NUMBER_LIMIT: Final = 10**9
_PLACES: Final = Decimal("0.000001")
_BAD_ID: Final = re.compile(r"[\s:;,]")
ID_CHARS: Final = Text('":"、";" 或 ","', '":", ";" or ","')
"""The characters an id may not hold (besides spaces), as problems name them."""
_ID_RULE: Final = Said("ev_exp_id", chars=ID_CHARS)
_TOML_POSITION: Final = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.DOTALL)
_NUMERAL: Final = re.compile(r"^[+-]?\d+(\.\d+)?$")
_WHOLE: Final = re.compile(r"^\+?(\d{1,9})(\.0*)?$")
_RECUSE_SPLIT: Final = re.compile(r"[;；]")

T = TypeVar("T")


def load_event(path: str | Path) -> Event:
    """Read, validate and return the event at `path`; raise `InputProblems` listing every
    mistake found in it and in its contestants file."""
    file = str(path)
    doc = _read_toml(Path(path), file)
    schema = doc.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema != SCHEMA:
        # Nothing else is checked: the rest follows rules this version does not know.
        shown = schema if abs(schema) < 10**6 else "(a very large number)"
        raise InputProblems([Problem(file, "schema", Said("ev_schema", shown=shown,
                                                          setting="schema = 1"))])
    out = _Out()
    root = _Table(out, file, "", doc, _TOP_KEYS)
    root.integer("schema", None, required=True)
    event = _event(root, Path(path))
    if out.problems:
        raise InputProblems(out.problems)
    return event


# ---------------------------------------------------------------------------------------------
# reading values


class _Out:
    """Every problem found so far, in the order found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, where: str, message: str) -> None:
        self.problems.append(Problem(file, where, message))


class _Wrong(Exception):
    """A value of the wrong kind: what was expected instead (`Said("ev_exp_…")`; None: what
    the caller said), or the whole `message`."""

    def __init__(self, expected: str | None = None, *, message: str | None = None) -> None:
        super().__init__(message or expected or "")
        self.expected = expected
        self.message = message


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return Said("ev_got_number", n=value) if abs(value) < 10**15 else Said("ev_got_large")
    if isinstance(value, Decimal):
        shown = str(value)
        return Said("ev_got_number", n=shown) if len(shown) <= 20 else Said("ev_got_long")
    if isinstance(value, str):
        return Said("ev_got_text", text=f'"{value[:30]}…"' if len(value) > 30 else f'"{value}"')
    kinds = ((list, "ev_got_list"), (dict, "ev_got_table"), (dt.datetime, "ev_got_datetime"),
             (dt.date, "ev_got_date"), (dt.time, "ev_got_time"))
    found = next((key for kind, key in kinds if isinstance(value, kind)), None)
    return Said(found) if found else type(value).__name__  # not reachable from TOML


_AT_LEAST_1: Final = Said("ev_exp_whole_at_least", low=1)


Expected = str | Text
"""What a value should be: a `Said` (`ev_exp_…`), or a `Text` of ids and quoted forms."""


def _said_got(expected: Expected, value: object) -> Said:
    """`expected X, got V`, V the value as the file wrote it."""
    return Said("ev_got", message=Said("ev_expected", expected=expected), got=value)


def _got(expected: Expected, got: object) -> Said:
    """`expected X, got Y`, X one of the `ev_exp_…` words."""
    return Said("ev_got", message=Said("ev_expected", expected=expected), got=_describe(got))


def _as_str(value: object) -> str:
    if not isinstance(value, str):
        raise _Wrong()
    return value


def _as_id(value: object) -> str:
    text = _as_str(value)
    if not text or _BAD_ID.search(text):
        raise _Wrong()
    return text


def _as_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Wrong()
    return value


def _as_int(value: object) -> int:
    if isinstance(value, Decimal):
        raise _Wrong(Said("ev_exp_whole_no_point"))
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Wrong()
    if abs(value) > _NUMBER_LIMIT:
        raise _Wrong(Said("ev_exp_whole_between", low=-_NUMBER_LIMIT, high=_NUMBER_LIMIT))
    return value


def _as_number(value: object) -> Decimal:
    if isinstance(value, str) and _NUMERAL.match(value.strip()):
        raise _Wrong(Said("ev_exp_number_unquoted"))
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _Wrong()
    if isinstance(value, int):
        if abs(value) > _NUMBER_LIMIT:
            raise _Wrong(Said("ev_exp_number_between", low=-_NUMBER_LIMIT, high=_NUMBER_LIMIT))
        return Decimal(value)
    if not value.is_finite():
        raise _Wrong(Said("ev_exp_finite"))
    if value.copy_abs() > _NUMBER_LIMIT:
        raise _Wrong(Said("ev_exp_number_between", low=-_NUMBER_LIMIT, high=_NUMBER_LIMIT))
    if value != value.quantize(_PLACES):
        raise _Wrong(Said("ev_exp_places", n=6))
    return value


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _Wrong(Said("ev_exp_date_only", example="2025-09-20"))
    if isinstance(value, str):
        raise _Wrong(Said("ev_exp_date_unquoted", example="date = 2025-09-20"))
    if not isinstance(value, dt.date):
        raise _Wrong()
    return value


def _as_zone(value: object) -> str:
    name = _as_str(value)
    if not is_zone_name(name):
        close = difflib.get_close_matches(name, sorted(zone_names()), n=1)
        hint = Said("ev_did_you_mean", key=close[0]) if close else ""
        raise _Wrong(message=Said("ev_unknown_zone", hint=hint, iana="IANA",
                                  example='"Asia/Shanghai"'))
    return name


def _choice(options: Mapping[str, T]) -> Callable[[object], T]:
    def convert(value: object) -> T:
        if not isinstance(value, str) or value not in options:
            raise _Wrong(_one_of(options))
        return options[value]

    return convert


def _one_of(options: Sequence[str] | Mapping[str, object]) -> Said:
    return Said("ev_exp_one_of", options=_quoted(options))


def _quoted(options: Sequence[str] | Mapping[str, object]) -> str:
    return ", ".join(f'"{o}"' for o in options)


class _Table:
    """One TOML table: typed access by key; unknown keys are reported on sight."""

    def __init__(
        self, out: _Out, file: str, where: str, data: Mapping[str, object], keys: Sequence[str]
    ) -> None:
        self.out = out
        self.file = file
        self.where = where
        self.data = data
        for key in data:
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                hint = Said("ev_did_you_mean", key=close[0]) if close else ""
                self.problem(key, Said("ev_unknown_key", hint=hint, keys=", ".join(keys)))

    def at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def problem(self, key: str | None, message: str) -> None:
        self.out.add(self.file, self.at(key) if key is not None else self.where, message)

    def has(self, key: str) -> bool:
        return key in self.data

    def value(
        self,
        key: str,
        convert: Callable[[object], T],
        default: T,
        expected: Expected,
        *,
        required: bool = True,
    ) -> T:
        if key not in self.data:
            if required:
                self.problem(key, Said("ev_missing", expected=expected))
            return default
        return _convert(self.out, self.file, self.at(key), self.data[key], convert, default,
                        expected)

    def string(self, key: str, *, required: bool = True) -> str:
        return self.value(key, _as_str, "", Said("ev_exp_text"), required=required)

    def ident(self, key: str = "id") -> str:
        return self.value(key, _as_id, "", _ID_RULE)

    def number(self, key: str, *, required: bool = True) -> Decimal | None:
        return self.value(key, _as_number, None, Said("ev_exp_number"), required=required)

    def integer(self, key: str, default: int | None, *, required: bool = False) -> int | None:
        return self.value(key, _as_int, default, Said("ev_exp_whole"), required=required)

    def boolean(self, key: str, default: bool) -> bool:
        return self.value(key, _as_bool, default, Said("ev_exp_bool", yes="true", no="false"),
                          required=False)

    def text(self, key: str, *, required: bool = True) -> Text:
        """A bilingual name `{ zh = "…", en = "…" }`, or one text for both languages."""
        expected = Said("ev_exp_name", form='{ zh = "…", en = "…" }')
        if key not in self.data:
            if required:
                self.problem(key, Said("ev_missing", expected=expected))
            return Text()
        raw = self.data[key]
        if isinstance(raw, str):
            if not raw.strip():
                self.problem(key, Said("ev_empty", expected=expected))
            return Text(zh=raw, en=raw)
        if not isinstance(raw, dict):
            self.problem(key, _got(expected, raw))
            return Text()
        table = _Table(self.out, self.file, self.at(key), raw, LANGUAGES)
        zh = table.string("zh", required=False)
        en = table.string("en", required=False)
        if not zh.strip() and not en.strip():
            self.problem(key, Said("ev_empty", expected=expected))
        return Text(zh=zh, en=en)

    def table(self, key: str, keys: Sequence[str], *, required: bool = True) -> _Table | None:
        expected = Said("ev_exp_table", table=self.at(key))
        if key not in self.data:
            if required:
                self.problem(key, Said("ev_missing", expected=expected))
            return None
        raw = self.data[key]
        if not isinstance(raw, dict):
            self.problem(key, _got(expected, raw))
            return None
        return _Table(self.out, self.file, self.at(key), raw, keys)

    def tables(self, key: str, keys: Sequence[str], *, required: bool = True) -> list[_Table]:
        """An array of tables `[[key]]`; it must not be empty when `required`."""
        header = f"[[{self.at(key)}]]"
        if key not in self.data:
            if required:
                self.problem(key, Said("ev_missing", expected=Said("ev_exp_one_entry",
                                                                   header=header)))
            return []
        raw = self.data[key]
        if not isinstance(raw, list):
            self.problem(key, _got(Said("ev_exp_entries", header=header), raw))
            return []
        if not raw and required:
            self.problem(key, Said("ev_empty", expected=Said("ev_exp_one_entry", header=header)))
        items: list[_Table] = []
        for index, item in enumerate(raw):
            where = f"{self.at(key)}[{index}]"
            if isinstance(item, dict):
                items.append(_Table(self.out, self.file, where, item, keys))
            else:
                self.out.add(self.file, where, _got(Said("ev_exp_a_table"), item))
        return items

    def strings(self, key: str, *, required: bool = True) -> list[tuple[str, str]] | None:
        """A list of texts, each with its field path; `None` when absent or not a list."""
        if key not in self.data:
            if required:
                self.problem(key, Said("ev_missing", expected=Said("ev_exp_texts")))
            return None
        raw = self.data[key]
        if not isinstance(raw, list):
            self.problem(key, _got(Said("ev_exp_texts"), raw))
            return None
        found: list[tuple[str, str]] = []
        for index, item in enumerate(raw):
            where = f"{self.at(key)}[{index}]"
            if isinstance(item, str):
                found.append((where, item))
            else:
                self.out.add(self.file, where, _got(Said("ev_exp_text"), item))
        return found


def _convert(
    out: _Out,
    file: str,
    where: str,
    raw: object,
    convert: Callable[[object], T],
    default: T,
    expected: Expected,
) -> T:
    try:
        return convert(raw)
    except _Wrong as wrong:
        message = wrong.message or Said("ev_expected", expected=wrong.expected or expected)
        out.add(file, where, Said("ev_got", message=message, got=_describe(raw)))
        return default


# ---------------------------------------------------------------------------------------------
# the event file


def _read_toml(path: Path, file: str) -> dict[str, object]:
    def fail(where: str, message: str) -> InputProblems:
        return InputProblems([Problem(file, where, message)])

    try:
        data = path.read_bytes()
    except OSError as error:
        raise fail("", Said("ev_unreadable", error=os_reason(error))) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise fail(Said("line", line=line), Said("ev_not_utf8")) from None
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except RecursionError:
        raise fail("", Said("ev_syntax", toml="TOML", error=Said("ev_nested"))) from None
    except ValueError as error:  # tomllib.TOMLDecodeError, or an integer too long to convert
        message = str(error)
        match = _TOML_POSITION.match(message)
        if match:
            where = Said("line_column", line=match.group(2), column=match.group(3))
            raise fail(where, Said("ev_syntax", toml="TOML", error=match.group(1))) from None
        raise fail("", Said("ev_syntax", toml="TOML", error=message)) from None


def _event(root: _Table, path: Path) -> Event:
    """Every section in file order, then the checks that need the whole event."""
    identity = root.table("event", _EVENT_KEYS)
    event_id, name, round_, venue, organiser = "", Text(), Text(), Text(), Text()
    notary = blind = False
    timezone: str | None = None
    if identity is not None:
        event_id = identity.ident()
        name = identity.text("name")
        round_ = identity.text("round")
        venue = identity.text("venue", required=False)
        organiser = identity.text("organiser", required=False)
        notary = identity.boolean("notary", False)
        blind = identity.boolean("blind", False)
        timezone = identity.value("timezone", _as_zone, None,
                                  'an IANA time zone name such as "Asia/Shanghai"',
                                  required=False)
    date = _date(identity)
    languages = _languages(identity)
    criteria = _criteria(root)
    scoring = _scoring(root, criteria)
    discrepancy = _discrepancy(root)
    awards = _awards(root)
    advancement = _advancement(root)
    committee, appeal_rules = _appeals(root)
    judge_names = _screen(root)
    tracks = _named(root, "tracks", "track", Track, required=True)
    groups = _named(root, "groups", "group", Group, required=False)
    judges = _judges(root)
    organisation_awards = _organisation_awards(root, awards)
    honours = _honours(root, scoring, criteria, groups)
    mark = len(root.out.problems)
    contestants = _contestants(root, path, tracks, groups, judges)
    contestants_ok = len(root.out.problems) == mark
    event = Event(
        id=event_id,
        name=name,
        round=round_,
        date=date,
        venue=venue,
        organiser=organiser,
        languages=languages,
        notary=notary,
        criteria=tuple(c for c, _ in criteria.items),
        scoring=scoring,
        discrepancy=discrepancy,
        awards=awards,
        tracks=tuple(t for t, _ in tracks.items),
        judges=tuple(j for j, _ in judges.items),
        contestants=tuple(c for c, _ in contestants),
        groups=tuple(g for g, _ in groups.items),
        advancement=advancement,
        timezone=timezone,
        committee=committee,
        appeal_rules=appeal_rules,
        screen_judge_names=judge_names,
        organisation_awards=organisation_awards,
        honours=honours,
        blind=blind,
        schema=SCHEMA,
    )
    if contestants_ok and judges.ids.complete:
        _check_recusals(root.out, event, judges, contestants)
    return event


def _date(identity: _Table | None) -> dt.date:
    placeholder = dt.date(2000, 1, 1)
    if identity is None:
        return placeholder
    return identity.value("date", _as_date, placeholder,
                          Said("ev_exp_date_like", example="2025-09-20"))


def _languages(identity: _Table | None) -> tuple[str, ...]:
    given = identity.strings("languages", required=False) if identity else None
    if identity is None or given is None:
        return LANGUAGES
    if not identity.data["languages"]:
        identity.problem("languages", Said("ev_empty", expected=Said(
            "ev_exp_list_such", example='["zh", "en"]')))
    seen: list[str] = []
    for where, lang in given:
        if lang not in LANGUAGES:
            identity.out.add(identity.file, where, _got(_quoted(LANGUAGES), lang))
        elif lang in seen:
            identity.out.add(identity.file, where, Said("ev_twice", item=f'"{lang}"'))
        else:
            seen.append(lang)
    return tuple(seen) or LANGUAGES


class _Ids:
    """The ids of one kind of entry and where each was defined; `complete` while every entry
    had a valid id (only then is an unknown id worth reporting)."""

    def __init__(self, kind: str) -> None:
        self.kind = Said(f"ev_kind_{kind.replace(' ', '_')}")
        self.where: dict[str, str] = {}
        self.complete = True

    def add(self, table: _Table, ident: str) -> None:
        if not ident:
            self.complete = False
        elif ident in self.where:
            table.problem("id", Said("ev_duplicate_id", kind=self.kind, id=f'"{ident}"',
                                     also=self.where[ident]))
        else:
            self.where[ident] = table.where

    def unknown(self, ident: str) -> bool:
        return self.complete and ident not in self.where

    def choices(self) -> str:
        return ", ".join(self.where) or Said("ev_none_defined")


@dataclass
class _Found(Generic[T]):
    """The entries of one array of tables, each with the table it came from."""

    items: list[tuple[T, _Table]]
    ids: _Ids


def _criteria(root: _Table) -> _Found[Criterion]:
    found = _Found[Criterion]([], _Ids("criterion"))
    rubric = root.table("rubric", ("criteria",))
    if rubric is None:
        found.ids.complete = False
        return found
    for table in rubric.tables("criteria", _CRITERION_KEYS):
        ident = table.ident()
        found.ids.add(table, ident)
        name = table.text("name")
        maximum = _positive(table, "max", required=True)
        step = _positive(table, "step", required=False)
        if step is None and not table.has("step"):
            step = Decimal(1)
        if maximum is not None and step is not None:
            shown = Said("ev_step", step=step) if table.has("step") else Said("ev_default_step")
            if step > maximum:
                table.problem("step", Said("ev_step_larger", step=shown, max=maximum))
            elif maximum % step != 0:
                table.problem("step", Said("ev_step_divide", step=shown, max=maximum))
        criterion = Criterion(ident, name, maximum or Decimal(0), step or Decimal(1))
        found.items.append((criterion, table))
    if not found.items:
        found.ids.complete = False
    return found


def _positive(table: _Table, key: str, *, required: bool) -> Decimal | None:
    value = table.number(key, required=required)
    if value is not None and value <= 0:
        table.problem(key, _said_got(Said("ev_exp_positive"), value))
        return None
    return value


def _bounded(table: _Table, key: str, default: int, *, low: int, high: int | None = None) -> int:
    value = table.integer(key, default)
    if value is None:
        return default
    if value < low or (high is not None and value > high):
        expected = (Said("ev_exp_whole_from_to", low=low, high=high) if high is not None
                    else Said("ev_exp_whole_at_least", low=low))
        table.problem(key, _said_got(expected, value))
        return default
    return value


def _scoring(root: _Table, criteria: _Found[Criterion]) -> Scoring:
    scoring = root.table("scoring", _SCORING_KEYS)
    if scoring is None:
        return Scoring(aggregate="mean", components=())
    aggregate: Aggregate = scoring.value("aggregate", _choice(_AGGREGATES), "mean",
                              _one_of(_AGGREGATES))
    trim = _bounded(scoring, "trim", 1, low=0)
    min_remaining = _bounded(scoring, "min_remaining", 3, low=1)
    decimals = _bounded(scoring, "decimals", 2, low=0, high=6)
    rounding = scoring.value("rounding", _choice(_ROUNDINGS), "half_up",
                             _one_of(_ROUNDINGS), required=False)
    components = _components(scoring)
    return Scoring(
        aggregate=aggregate,
        components=tuple(c for c, _ in components.items),
        tiebreak=_tiebreak(scoring, components, criteria),
        trim=trim,
        min_remaining=min_remaining,
        decimals=decimals,
        rounding=rounding,
    )


def _components(scoring: _Table) -> _Found[Component]:
    found = _Found[Component]([], _Ids("component"))
    weights: list[Decimal] = []
    sources: list[str | None] = []
    entries = scoring.tables("components", _COMPONENT_KEYS)
    for table in entries:
        ident = table.ident()
        found.ids.add(table, ident)
        name = table.text("name")
        source = table.value("source", _choice(_SOURCES), None, _one_of(_SOURCES))
        sources.append(source)
        maximum = _positive(table, "max", required=True)
        weight = table.number("weight")
        if weight is not None:
            if 0 < weight <= 1 or (weight == 0 and source == "import"):
                weights.append(weight)  # 0: an imported value kept for tie-breaks only
            elif weight == 0:
                table.problem("weight", Said("ev_weight_zero"))
            else:
                table.problem("weight", Said("ev_weight_range", got=weight))
        component = Component(ident, name, source or "panel", maximum or Decimal(0),
                              weight or Decimal(0))
        found.items.append((component, table))
    if entries and len(weights) == len(entries):
        total = sum(weights, Decimal(0))
        if total != 1:
            scoring.problem("components", Said("ev_weights_sum", total=total))
    if entries and None not in sources and "panel" not in sources:
        scoring.problem("components", Said("ev_no_panel", setting='source = "panel"'))
    if not entries:
        found.ids.complete = False
    return found


def _tiebreak(
    scoring: _Table, components: _Found[Component], criteria: _Found[Criterion]
) -> tuple[TiebreakKey, ...]:
    """`[scoring.tiebreak] order`: each entry "kind:id" (the higher value ranks first) or
    `{ key = "kind:id", prefer = "lower" }`."""
    table = scoring.table("tiebreak", ("order",), required=False)
    if table is None or not table.has("order"):
        return ()
    raw = table.data["order"]
    if not isinstance(raw, list):
        table.problem("order", _got(Said("ev_exp_list_of", entry=_TIEBREAK_ENTRY), raw))
        return ()
    known = {"component": components.ids, "criterion": criteria.ids}
    keys: list[TiebreakKey] = []
    for index, item in enumerate(raw):
        where = f"{table.at('order')}[{index}]"
        prefer: TiebreakPrefer = "higher"
        if isinstance(item, dict):
            entry_table = _Table(table.out, table.file, where, item, _TIEBREAK_ENTRY_KEYS)
            entry = entry_table.value("key", _as_str, None, _TIEBREAK_KEY)
            if entry is None:
                continue
            where = entry_table.at("key")
            if entry_table.has("prefer"):
                given = item["prefer"]
                if isinstance(given, str) and given in _PREFERS:
                    prefer = _PREFERS[given]
                else:
                    table.out.add(table.file, entry_table.at("prefer"), Said(
                        "tiebreak_prefer", table=f"[{table.where}]", key=str(entry),
                        field="prefer", higher='"higher"', lower='"lower"',
                        got=_describe(given)))
                    continue
        elif isinstance(item, str):
            entry = item
        else:
            table.out.add(table.file, where, _got(_TIEBREAK_ENTRY, item))
            continue
        kind, sep, ident = entry.partition(":")
        if not sep or kind not in _TIEBREAK_KINDS or not ident:
            table.out.add(table.file, where, _got(_TIEBREAK_KEY, entry))
            continue
        ids = known[kind]
        if ids.unknown(ident):
            table.out.add(table.file, where, Said("ev_unknown_id", kind=ids.kind,
                                                  id=f'"{ident}"', choices=ids.choices()))
            continue
        key = TiebreakKey(_TIEBREAK_KINDS[kind], ident, prefer)
        if any((k.kind, k.id) == (key.kind, key.id) for k in keys):
            table.out.add(table.file, where, Said("ev_twice", item=f'"{entry}"'))
            continue
        keys.append(key)
    return tuple(keys)


def _discrepancy(root: _Table) -> Discrepancy:
    table = root.table("discrepancy", _DISCREPANCY_KEYS, required=False)
    if table is None:
        return Discrepancy()
    return Discrepancy(
        criterion_spread=_positive(table, "criterion_spread", required=False),
        total_spread=_positive(table, "total_spread", required=False),
        outlier=_positive(table, "outlier", required=False),
    )


def _awards(root: _Table) -> Awards:
    """`[awards]`; without it (a round that only advances) nobody gets a prize: no tiers."""
    awards = root.table("awards", ("basis", "tiers"), required=False)
    if awards is None:
        return Awards(basis="count", tiers=())
    basis = awards.value("basis", _choice(_BASES), None, _one_of(_BASES))
    ids = _Ids("tier")
    tiers: list[Tier] = []
    percents: list[Decimal] = []
    entries = awards.tables("tiers", _TIER_KEYS)
    for index, table in enumerate(entries):
        ident = table.ident()
        ids.add(table, ident)
        name = table.text("name")
        kinds = [k for k in ("count", "percent", "rest") if table.has(k)]
        if len(kinds) != 1:
            given = Said("ev_given", keys=", ".join(kinds)) if kinds else ""
            table.problem(None, Said("ev_exactly_one", options=Text(
                "count、percent 或 rest = true", "count, percent or rest = true"), given=given))
        count = table.integer("count", None)
        if count is not None and count < 1:
            table.problem("count", _said_got(_AT_LEAST_1, count))
        percent = table.number("percent", required=False)
        if percent is not None:
            if 0 < percent <= 100:
                percents.append(percent)
            else:
                table.problem("percent", _said_got(Said("ev_exp_percentage"), percent))
        rest = table.boolean("rest", False)
        if table.data.get("rest") is False:
            table.problem("rest", Said("ev_rest_true", setting="rest = true",
                                       what=Said("ev_what_count_tier")))
        if rest and index != len(entries) - 1:
            table.problem("rest", Said("ev_last_rest", setting="rest = true"))
        if basis == "count" and table.has("percent"):
            table.problem("percent", Said("ev_tier_basis", what=Text("百分比", "percent"),
                                          basis='basis = "count"', use="count = N",
                                          set='basis = "percent"'))
        if basis == "percent" and table.has("count"):
            table.problem("count", Said("ev_tier_basis", what=Text("名额", "count"),
                                        basis='basis = "percent"', use="percent = N",
                                        set='basis = "count"'))
        tiers.append(Tier(ident, name, count=count, percent=percent, rest=rest))
    total = sum(percents, Decimal(0))
    if total > 100:
        awards.problem("tiers", Said("ev_percent_sum", total=total))
    return Awards(basis=basis or "count", tiers=tuple(tiers))


def _advancement(root: _Table) -> Advancement | None:
    table = root.table("advancement", ("top", "per_organisation_cap"), required=False)
    if table is None:
        return None
    top = table.integer("top", None, required=True)
    if top is not None and top < 1:
        table.problem("top", _said_got(_AT_LEAST_1, top))
    cap = table.integer("per_organisation_cap", None)
    if cap is not None and cap < 1:
        table.problem("per_organisation_cap", _said_got(_AT_LEAST_1, cap))
    return Advancement(top=top or 1, per_organisation_cap=cap)


def _appeals(root: _Table) -> tuple[tuple[str, ...] | None, AppealRules]:
    """`[appeals]`: the committee's members by name, as the appeal decisions print them (None
    when the file names none), and the rules of appeal (window, quorum, majority, whether the
    judges' evaluation may be appealed)."""
    table = root.table("appeals", ("committee", "window_minutes", "quorum", "majority",
                                   "allow_judgement"), required=False)
    if table is None:
        return None, AppealRules()
    committee = _committee(table)
    window = table.integer("window_minutes", None)
    if window is not None and window < 1:
        table.problem("window_minutes", _said_got(Said("ev_exp_minutes"), window))
    quorum = table.integer("quorum", None)
    if quorum is not None:
        if committee is None:
            table.problem("quorum", Said("ev_quorum_committee", setting="committee = [...]"))
        elif not 1 <= quorum <= len(committee):
            table.problem("quorum", _said_got(Said("ev_exp_quorum", size=len(committee)),
                                              quorum))
    majority = table.value("majority", _as_str, "simple", _MAJORITIES, required=False)
    if majority not in ("simple", "two_thirds"):
        table.problem("majority", _said_got(_MAJORITIES, f'"{majority}"'))
        majority = "simple"
    rules = AppealRules(window_minutes=window, quorum=quorum, majority=majority,
                        allow_judgement=table.boolean("allow_judgement", False))
    return committee, rules


def _committee(table: _Table) -> tuple[str, ...] | None:
    """`committee = ["…", "…"]`: the members, each once; None when the table names none."""
    given = table.strings("committee", required=False)
    if given is None:
        return None
    if not given and table.data["committee"] == []:
        table.problem("committee", Said("ev_empty", expected=Said(
            "ev_exp_member_names", example='["张伟", "李娜"]')))
    members: list[str] = []
    for where, name in given:
        name = name.strip()
        if not name:
            table.out.add(table.file, where, Said("ev_empty", expected=Said("ev_exp_member_name")))
        elif name in members:
            table.out.add(table.file, where, Said("ev_twice", item=f'"{name}"'))
        else:
            members.append(name)
    return tuple(members) or None


def _screen(root: _Table) -> bool:
    """`[screen] judge_names = true`: the audience's screen names the judges beside their
    seats (评委1 周立群); without it, seats only."""
    table = root.table("screen", ("judge_names",), required=False)
    return table.boolean("judge_names", False) if table is not None else False


def _organisation_awards(root: _Table, awards: Awards) -> tuple[OrganisationAward, ...]:
    """`[[organisation_awards]]`: organisations ranked over the whole event by the points of
    their contestants' prize tiers or by the mean of their best finals."""
    ids = _Ids("organisation award")
    found: list[OrganisationAward] = []
    for table in root.tables("organisation_awards", _ORGANISATION_AWARD_KEYS, required=False):
        ident = table.ident()
        ids.add(table, ident)
        name = table.text("name")
        score = table.value("score", _choice(_ORGANISATION_SCORES), None,
                            _one_of(_ORGANISATION_SCORES))
        count = table.integer("count", None, required=True)
        if count is not None and count < 1:
            table.problem("count", _said_got(_AT_LEAST_1, count))
        points: list[TierPoints] = []
        best = table.integer("best", None)
        if best is not None and best < 1:
            table.problem("best", _said_got(_AT_LEAST_1, best))
        if score == "prize_points":
            if table.has("best"):
                table.problem("best", Said("ev_best_only", key="best",
                                           score='score = "best_mean"'))
            points = _tier_points(table, awards)
        elif score == "best_mean":
            if table.has("points"):
                table.problem("points", Said("ev_points_only", key="points",
                                             score='score = "prize_points"'))
            if best is None and not table.has("best"):
                table.problem("best", Said("ev_missing", expected=Said(
                    "ev_exp_best", example="best = 3")))
        found.append(OrganisationAward(ident, name, score or "prize_points", count or 1,
                                       tuple(points), best))
    return tuple(found)


def _tier_points(table: _Table, awards: Awards) -> list[TierPoints]:
    """`points = { first = 3, second = 2 }`: points per prize tier id, 0 or more."""
    tiers = [t.id for t in awards.tiers]
    expected = Said("ev_exp_points", example="{ " + ", ".join(
        f"{t} = {len(tiers) - i}" for i, t in enumerate(tiers)) + " }")
    if not table.has("points"):
        table.problem("points", Said("ev_missing", expected=expected))
        return []
    raw = table.data["points"]
    if not isinstance(raw, dict) or not tiers:
        table.problem("points", _got(expected, raw) if tiers
                      else Said("ev_no_tiers", tiers="[[awards.tiers]]"))
        return []
    points: list[TierPoints] = []
    for key, value in raw.items():
        where = f"{table.at('points')}.{key}"
        if key not in tiers:
            table.out.add(table.file, where, Said("ev_unknown_id", kind=Said(
                "ev_kind_prize_tier"), id=f'"{key}"', choices=", ".join(tiers)))
            continue
        number = _convert(table.out, table.file, where, value, _as_number, None,
                          Said("ev_exp_point_number"))
        if number is not None and number < 0:
            table.out.add(table.file, where, _said_got(Said("ev_exp_points_min"), number))
        elif number is not None:
            points.append(TierPoints(key, number))
    return points


def _honours(root: _Table, scoring: Scoring, criteria: _Found[Criterion],
             groups: _Found[Group]) -> tuple[Honour, ...]:
    """`[[honours]]`: given per ranking scope to those who meet every minimum, the `top` N
    by rank or, with `rest = true`, everyone else who qualifies."""
    ids = _Ids("honour")
    components = {c.id for c in scoring.components}
    found: list[Honour] = []
    for table in root.tables("honours", _HONOUR_KEYS, required=False):
        ident = table.ident()
        ids.add(table, ident)
        name = table.text("name")
        chosen: tuple[str, ...] | None = None
        listed = table.strings("groups", required=False)
        if listed is not None:
            chosen = tuple(group for _, group in listed)
            for where, group in listed:
                if groups.ids.unknown(group):
                    table.out.add(table.file, where, Said(
                        "ev_unknown_id", kind=groups.ids.kind, id=f'"{group}"',
                        choices=groups.ids.choices()))
            if not listed:
                table.problem("groups", Said("ev_groups_empty", key="groups"))
        requires: list[Requirement] = []
        given = table.data.get("requires", {})
        if not isinstance(given, dict):
            table.problem("requires", _got(Said("ev_exp_requires",
                                                example='{ "final" = 60 }'), given))
            given = {}
        for key, raw in given.items():
            where = f"{table.at('requires')}.{key}"
            kind, sep, ident_ = key.partition(":")
            if key == "final":
                kind, ident_ = "final", ""
            elif not sep or kind not in ("component", "criterion") or not ident_:
                table.out.add(table.file, where, _got(_REQUIREMENT, key))
                continue
            elif (ident_ not in components if kind == "component"
                  else criteria.ids.unknown(ident_)):
                choices = (", ".join(sorted(components)) if kind == "component"
                           else criteria.ids.choices())
                table.out.add(table.file, where, Said(
                    "ev_unknown_id", kind=Said(f"ev_kind_{kind}"), id=f'"{ident_}"',
                    choices=choices))
                continue
            minimum = _convert(table.out, table.file, where, raw, _as_number, None,
                               Said("ev_exp_minimum"))
            if minimum is not None:
                kind_: RequirementKind = "final" if kind == "final" else (
                    "component" if kind == "component" else "criterion")
                requires.append(Requirement(kind_, ident_, minimum))
        top = table.integer("top", None)
        if top is not None and top < 1:
            table.problem("top", _said_got(_AT_LEAST_1, top))
        rest = table.boolean("rest", False)
        if table.data.get("rest") is False:
            table.problem("rest", Said("ev_rest_true", setting="rest = true",
                                       what=Said("ev_what_top_honour")))
        if table.has("top") == table.has("rest"):
            table.problem(None, Said("ev_exactly_one", options=Text(
                "top = N 或 rest = true", "top = N or rest = true"), given=""))
        found.append(Honour(ident, name, tuple(requires), chosen, top, rest))
    return tuple(found)


def _named(
    root: _Table, key: str, kind: str, make: Callable[[str, Text], T], *, required: bool
) -> _Found[T]:
    found = _Found[T]([], _Ids(kind))
    for table in root.tables(key, _NAMED_KEYS, required=required):
        ident = table.ident()
        found.ids.add(table, ident)
        found.items.append((make(ident, table.text("name")), table))
    if required and not found.items:
        found.ids.complete = False
    return found


def _judges(root: _Table) -> _Found[Judge]:
    found = _Found[Judge]([], _Ids("judge"))
    for table in root.tables("judges", _JUDGE_KEYS):
        ident = table.ident()
        found.ids.add(table, ident)
        name = table.text("name")
        affiliation = table.string("affiliation", required=False)
        found.items.append((Judge(ident, name, affiliation.strip()), table))
    if not found.items:
        found.ids.complete = False
    return found


# ---------------------------------------------------------------------------------------------
# contestants


@dataclass(frozen=True)
class _Where:
    """Where a contestant came from: `contestants.list[i]` or `line N` of a contestants file."""

    file: str
    place: str
    inline: bool

    line: int = 0
    """The line of a contestants file (not inline)."""

    def at(self, column: str) -> str:
        return f"{self.place}.{column}" if self.inline else Said("line_column", line=self.line,
                                                                column=column)


@dataclass(frozen=True)
class _Draft:
    """A contestant as written, before cross-checks against tracks, groups and judges."""

    where: _Where
    id: str
    name: str
    organisation: str
    track: str
    group: str
    order: int | None
    members: str
    instructor: str
    recuse: tuple[str, ...]


def _contestants(
    root: _Table, path: Path, tracks: _Found[Track], groups: _Found[Group], judges: _Found[Judge]
) -> list[tuple[Contestant, _Where]]:
    table = root.table("contestants", ("file", "list"))
    if table is None:
        return []
    if table.has("file") and table.has("list"):
        table.problem(None, Said("ev_file_or_list", file="file", list="[[contestants.list]]"))
        return []
    if table.has("list"):
        drafts = _inline_drafts(table)
    elif table.has("file"):
        drafts = _file_drafts(table, path)
    else:
        table.problem(None, Said("ev_no_contestants_given", file='file = "contestants.csv"',
                                 list="[[contestants.list]]"))
        return []
    return _check_contestants(root, drafts, tracks, groups, judges)


def _inline_drafts(table: _Table) -> list[_Draft]:
    """`[[contestants.list]]` rows; text is trimmed as in a contestants file."""
    drafts: list[_Draft] = []
    for row in table.tables("list", CONTESTANT_COLUMNS):
        text = {column: row.string(column, required=column in REQUIRED_COLUMNS).strip()
                for column in ("id", "name", "organisation", "track", "group", "members",
                               "instructor")}
        for column in REQUIRED_COLUMNS:
            if isinstance(row.data.get(column), str) and not text[column]:
                row.problem(column, Said("ev_value_required"))
        order = row.integer("order", None)
        if order is not None and order < 1:
            row.problem("order", _said_got(_AT_LEAST_1, order))
        drafts.append(_Draft(
            where=_Where(row.file, row.where, inline=True),
            id=text["id"],
            name=text["name"],
            organisation=text["organisation"],
            track=text["track"],
            group=text["group"],
            order=order,
            members=text["members"],
            instructor=text["instructor"],
            recuse=_inline_recuse(row),
        ))
    return drafts


def _inline_recuse(row: _Table) -> tuple[str, ...]:
    raw = row.data.get("recuse")
    if isinstance(raw, str):
        return _split_recuse(raw)
    if raw is None:
        return ()
    given = row.strings("recuse")
    return tuple(s.strip() for _, s in given or () if s.strip())


def _split_recuse(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _RECUSE_SPLIT.split(cell) if part.strip())


def _file_drafts(table: _Table, event_path: Path) -> list[_Draft]:
    name = table.string("file")
    if not name.strip():
        if isinstance(table.data.get("file"), str):
            table.problem("file", Said("ev_empty", expected=Said(
                "ev_exp_file_name", example='"contestants.csv"')))
        return []
    path = event_path.parent / name
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        table.problem("file", _said_got(Said("ev_exp_csv_xlsx"), f'"{name}"'))
        return []
    if not path.is_file():
        table.problem("file", Said("ev_no_such_file", path=shown))
        return []
    try:
        lines = read_lines(path)
    except InputProblems as problems:
        for problem in problems.problems:
            table.out.add(problem.file, problem.where, problem.message)
        return []
    return _sheet_drafts(table.out, shown, lines)


def _sheet_drafts(out: _Out, shown: str, lines: list[tuple[int, list[str]]]) -> list[_Draft]:
    """Contestant rows below the header row (the first row with an `id` cell)."""
    expected = Said("ev_exp_columns", columns=", ".join(CONTESTANT_COLUMNS),
                    required=", ".join(REQUIRED_COLUMNS))
    header_at = next((i for i, (_, cells) in enumerate(lines)
                      if "id" in (c.strip().lower() for c in cells)), None)
    if header_at is None:
        separated = any("id" in re.split(r"[\t;]", c.strip().lower())
                        for _, cells in lines[:20] for c in cells)
        hint = Said("ev_tabs_hint") if separated else ""
        out.add(shown, "", Said("ev_no_header", column="id", expected=expected, hint=hint))
        return []
    header_line, header = lines[header_at]
    columns: list[str | None] = []
    for cell in header:
        column = cell.strip().lower()
        if column and column not in CONTESTANT_COLUMNS:
            out.add(shown, Said("line_column", line=header_line, column=cell.strip()),
                    Said("ev_unknown_column", expected=expected))
        elif column in columns:
            out.add(shown, Said("line_column", line=header_line, column=column),
                    Said("ev_duplicate_column"))
        columns.append(column if column in CONTESTANT_COLUMNS and column not in columns
                       else None)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        out.add(shown, Said("line", line=header_line),
                Said("ev_missing_column", columns=", ".join(missing), expected=expected))
        return []
    drafts: list[_Draft] = []
    for number, cells in lines[header_at + 1:]:
        if not any(c.strip() for c in cells):
            continue
        drafts.append(_sheet_draft(out, _Where(shown, Said("line", line=number), inline=False,
                                               line=number), columns, cells))
    if not drafts:
        out.add(shown, "", Said("ev_no_rows", line=header_line))
    return drafts


def _sheet_draft(out: _Out, where: _Where, columns: list[str | None], cells: list[str]) -> _Draft:
    if any(c.strip() for c in cells[len(columns):]):
        out.add(where.file, where.place,
                Said("ev_extra_cells", cells=len(cells), columns=len(columns)))
    values = dict.fromkeys(CONTESTANT_COLUMNS, "")
    for column, cell in zip(columns, cells, strict=False):
        if column is not None:
            values[column] = cell.strip()
    for column in REQUIRED_COLUMNS:
        if not values[column]:
            out.add(where.file, where.at(column), Said("ev_value_required"))
    order: int | None = None
    if values["order"]:
        match = _WHOLE.match(values["order"])
        if match is None or int(match.group(1)) < 1:
            out.add(where.file, where.at("order"),
                    _said_got(_AT_LEAST_1, f'"{values["order"][:30]}"'))
        else:
            order = int(match.group(1))
    return _Draft(
        where=where,
        id=values["id"],
        name=values["name"],
        organisation=values["organisation"],
        track=values["track"],
        group=values["group"],
        order=order,
        members=values["members"],
        instructor=values["instructor"],
        recuse=_split_recuse(values["recuse"]),
    )


def _check_contestants(
    root: _Table,
    drafts: list[_Draft],
    tracks: _Found[Track],
    groups: _Found[Group],
    judges: _Found[Judge],
) -> list[tuple[Contestant, _Where]]:
    out = root.out
    seen: dict[str, str] = {}
    found: list[tuple[Contestant, _Where]] = []
    for position, draft in enumerate(drafts, start=1):
        where = draft.where

        def problem(column: str, message: str, where: _Where = where) -> None:
            out.add(where.file, where.at(column), message)

        if draft.id and _BAD_ID.search(draft.id):
            problem("id", _got(_ID_RULE, draft.id))
        elif draft.id in seen:
            problem("id", Said("ev_duplicate_contestant", id=f'"{draft.id}"',
                               also=seen[draft.id]))
        elif draft.id:
            seen[draft.id] = where.place
        if draft.track and tracks.ids.unknown(draft.track):
            problem("track", Said("ev_unknown_id", kind=tracks.ids.kind,
                                  id=f'"{draft.track}"', choices=tracks.ids.choices()))
        if groups.items:
            if not draft.group:
                problem("group", Said("ev_group_missing", choices=groups.ids.choices()))
            elif groups.ids.unknown(draft.group):
                problem("group", Said("ev_unknown_id", kind=groups.ids.kind,
                                      id=f'"{draft.group}"', choices=groups.ids.choices()))
        elif draft.group and not root.has("groups"):
            problem("group", Said("ev_group_without_groups", group=f'"{draft.group}"',
                                  groups="[[groups]]"))
        for judge in draft.recuse:
            if judges.ids.unknown(judge):
                problem("recuse", Said("ev_unknown_judge_ids", judge=f'"{judge}"',
                                       choices=judges.ids.choices()))
        contestant = Contestant(
            id=draft.id,
            name=draft.name,
            organisation=draft.organisation,
            track=draft.track,
            group=draft.group or None,
            order=draft.order or position,
            members=draft.members,
            instructor=draft.instructor,
            recuse=draft.recuse,
        )
        found.append((contestant, where))
    return found


def _check_recusals(
    out: _Out, event: Event, judges: _Found[Judge], contestants: list[tuple[Contestant, _Where]]
) -> None:
    """Nobody may be left without a judge, and every judge must have someone to score."""
    if not event.contestants or not event.judges:
        return
    for judge, table in judges.items:
        if all(event.is_recused(judge, c) for c in event.contestants):
            out.add(table.file, f"{table.where} ({judge.id})", Said("ev_recused_everywhere"))
    for contestant, where in contestants:
        if not event.panel_for(contestant):
            out.add(where.file, where.place, Said("ev_nobody_left", contestant=contestant.id))
