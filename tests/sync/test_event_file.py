"""The event-file loader: both shared fixtures load, and every kind of user mistake comes
back as `InputProblems` naming the file, the field and what was expected — never a traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.event import ROUNDING_MODES, Event, Text, TiebreakKey
from sync.event_file import load_event
from sync.problems import InputProblems, Problem
from sync.snapshot import event_from_snapshot, event_snapshot, snapshot_digest
from tests.events import BASE, BASE_TOML, DELETE, Mutation, Path_, mutate, write_event

# ---------------------------------------------------------------------------------------------
# helpers (BASE, the document every test here changes, and `mutate`: tests/events.py)

GROUPS = [{"id": "staff", "name": "职工组"}, {"id": "students", "name": "学生组"}]
ORG_AWARD = {"id": "org", "name": {"zh": "优秀组织奖", "en": "Organisation award"},
             "score": "prize_points", "points": {"first": 3, "merit": 1}, "count": 2}
HONOUR = {"id": "tech", "name": {"zh": "技师", "en": "Technician"},
          "requires": {"component:stage": 60, "criterion:pitch": 30}, "top": 6}


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(InputProblems) as caught:
        load_event(path)
    return caught.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def copy_fixture(fixtures_dir: Path, name: str, folder: Path) -> Path:
    for file in ("event.toml", "contestants.csv"):
        shutil.copy(fixtures_dir / name / file, folder / file)
    return folder / "event.toml"


# ---------------------------------------------------------------------------------------------
# the fixtures


def test_livestream_fixture(fixtures_dir: Path) -> None:
    event = load_event(fixtures_dir / "livestream-final" / "event.toml")
    assert event.id == "hrb-live-2020-final"
    assert event.date == dt.date(2020, 9, 26)
    assert event.languages == ("zh", "en")
    assert event.notary is True
    assert event.round == Text(zh="决赛", en="Final")
    assert len(event.criteria) == 7
    assert all(c.step == Decimal("0.5") for c in event.criteria)
    assert event.rubric_max == Decimal(100)
    assert [(c.id, c.source, c.weight) for c in event.scoring.components] == [
        ("quality", "panel", Decimal("0.30")),
        ("data", "import", Decimal("0.70")),
    ]
    assert all(isinstance(c.weight, Decimal) and isinstance(c.max, Decimal)
               for c in event.scoring.components)
    assert event.scoring.aggregate == "trimmed_mean"
    assert (event.scoring.trim, event.scoring.min_remaining) == (1, 3)
    assert (event.scoring.decimals, event.scoring.rounding) == (2, "half_up")
    assert event.scoring.tiebreak == (
        TiebreakKey("component", "data"), TiebreakKey("criterion", "integrity"),
    )
    assert event.discrepancy.criterion_spread == Decimal(4)
    assert event.discrepancy.outlier == Decimal(10)
    assert event.awards.basis == "count"
    assert [(t.id, t.count, t.rest) for t in event.awards.tiers] == [
        ("first", 1, False), ("second", 2, False), ("third", 7, False), ("merit", None, True),
    ]
    assert [t.id for t in event.tracks] == ["live"]
    assert event.groups == ()
    assert event.advancement is None
    assert len(event.judges) == 5
    assert event.judges[0].name == Text(zh="周立群", en="周立群")
    assert len(event.contestants) == 18
    first = event.contestant("L01")
    assert first is not None
    assert (first.name, first.group, first.order, first.track) == ("钱华", None, 1, "live")
    # one judge recused by declaration, one by affiliation
    declared = event.contestant("L07")
    assert declared is not None and declared.recuse == ("J2",)
    assert [j.id for j in event.panel_for(declared)] == ["J1", "J3", "J4", "J5"]
    same_school = event.contestant("L04")
    assert same_school is not None
    assert [j.id for j in event.panel_for(same_school)] == ["J1", "J2", "J3", "J5"]


def test_roadshow_fixture(fixtures_dir: Path) -> None:
    event = load_event(str(fixtures_dir / "roadshow-final" / "event.toml"))
    assert event.id == "qd-2025-champion-final"
    assert event.languages == ("zh", "en")
    assert [t.id for t in event.tracks] == ["video", "intl", "site"]
    assert len(event.criteria) == 6
    assert all(c.step == Decimal(1) for c in event.criteria)
    assert event.rubric_max == Decimal(100)
    assert [c.weight for c in event.scoring.components] == [Decimal("0.60"), Decimal("0.40")]
    assert [str(k) for k in event.scoring.tiebreak] == ["component:roadshow", "criterion:defence"]
    assert len(event.contestants) == 24
    assert sum(1 for c in event.contestants if c.track == "video") == 8
    assert event.contestant("S08") is not None
    assert event.contestant("S08").order == 24  # type: ignore[union-attr]
    assert event.judge("J3") is not None
    assert event.judge("J3").name.get("en") == "Daniel Weber"  # type: ignore[union-attr]
    # J4 (青岛大学) sits out every team of their own university
    recused = [c.id for c in event.contestants
               if event.judge("J4") not in event.panel_for(c)]
    assert recused == ["V02", "V06", "I01", "I04", "I07"]
    assert all(len(event.panel_for(c)) == 4 for c in event.contestants if c.id in recused)


def test_base_document_loads(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, BASE))
    assert event == load_event(write_event(tmp_path, BASE_TOML, "base.toml"))
    assert [c.order for c in event.contestants] == [1, 2]
    assert event.criterion("pitch") is not None
    assert event.discrepancy.total_spread == Decimal(15)
    assert event.discrepancy.criterion_spread is None


def test_defaults(tmp_path: Path) -> None:
    doc = mutate(BASE, {("event", "languages"): DELETE, ("event", "notary"): DELETE,
                        ("event", "venue"): DELETE, ("discrepancy",): DELETE,
                        ("rubric", "criteria", 1, "step"): DELETE})
    event = load_event(write_event(tmp_path, doc))
    assert event.scoring.trim == 1
    assert event.scoring.min_remaining == 3
    assert event.scoring.decimals == 2
    assert event.scoring.rounding == "half_up"
    assert event.languages == ("zh", "en")
    assert event.notary is False
    assert event.venue == Text()
    assert event.criteria[1].step == Decimal(1)
    assert event.discrepancy.outlier is None and event.discrepancy.total_spread is None
    assert event.timezone is None  # the laptop's own


def test_timezone_is_an_iana_name_and_travels_in_the_snapshot(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {
        ("event", "timezone"): "Asia/Shanghai"})))
    assert event.timezone == "Asia/Shanghai"
    assert event_from_snapshot(event_snapshot(event)) == event
    assert event_snapshot(event)["timezone"] == "Asia/Shanghai"
    without = load_event(write_event(tmp_path, BASE, "without.toml"))
    assert "timezone" not in event_snapshot(without)  # its digest is the one it always had
    assert event_from_snapshot(event_snapshot(without)).timezone is None


def test_rounding_modes_are_the_decimal_constants() -> None:
    import decimal

    assert set(ROUNDING_MODES) == {"half_up", "half_even", "half_down", "down", "up"}
    assert ROUNDING_MODES["half_up"] == decimal.ROUND_HALF_UP
    assert ROUNDING_MODES["down"] == decimal.ROUND_DOWN


@pytest.mark.parametrize("mode", sorted(ROUNDING_MODES))
def test_every_rounding_mode_loads(tmp_path: Path, mode: str) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {("scoring", "rounding"): mode})))
    assert event.scoring.rounding == mode


def test_optional_sections(tmp_path: Path) -> None:
    doc = mutate(BASE, {
        ("groups",): GROUPS,
        ("contestants", "list", 0, "group"): "staff",
        ("contestants", "list", 1, "group"): "students",
        ("contestants", "list", 1, "recuse"): "J1; J2",
        ("contestants", "list", 1, "order"): 7,
        ("advancement",): {"top": 3, "per_organisation_cap": 1},
        ("awards",): {"basis": "percent", "tiers": [
            {"id": "first", "name": "一等奖", "percent": 10},
            {"id": "second", "name": "二等奖", "percent": Decimal("20.5")},
            {"id": "merit", "name": "优秀奖", "rest": True}]},
    })
    event = load_event(write_event(tmp_path, doc))
    assert [g.id for g in event.groups] == ["staff", "students"]
    assert event.groups[0].name == Text("职工组", "职工组")
    assert [c.group for c in event.contestants] == ["staff", "students"]
    assert event.contestants[1].recuse == ("J1", "J2")
    assert event.contestants[1].order == 7
    assert event.advancement is not None
    assert (event.advancement.top, event.advancement.per_organisation_cap) == (3, 1)
    assert [t.percent for t in event.awards.tiers] == [Decimal(10), Decimal("20.5"), None]


def test_organisation_awards_honours_and_blind_load_and_travel(tmp_path: Path) -> None:
    plain = load_event(write_event(tmp_path, BASE))
    doc = mutate(BASE, {("organisation_awards",): [ORG_AWARD], ("honours",): [
        HONOUR, {**{k: v for k, v in HONOUR.items() if k != "top"}, "id": "rest",
                 "rest": True}], ("event", "blind"): True})
    event = load_event(write_event(tmp_path, doc))
    (award,) = event.organisation_awards
    assert (award.score, award.count, award.points_for("first"), award.points_for(None)) == (
        "prize_points", 2, Decimal(3), Decimal(0))
    assert [(str(r), r.minimum) for r in event.honours[0].requires] == [
        ("component:stage", Decimal(60)), ("criterion:pitch", Decimal(30))]
    assert (event.honours[0].top, event.honours[1].rest, event.blind) == (6, True, True)
    assert event_from_snapshot(event_snapshot(event)) == event
    assert snapshot_digest(event) != snapshot_digest(plain)
    assert "honours" not in event_snapshot(plain)  # files without them keep their digest


def test_awards_are_optional_for_a_round_that_only_advances(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {
        ("awards",): DELETE, ("advancement",): {"top": 1, "per_organisation_cap": 1}})))
    assert event.awards.tiers == ()
    assert event.advancement is not None and event.advancement.top == 1
    assert event_from_snapshot(event_snapshot(event)) == event


def test_the_advance_only_test_event_loads() -> None:
    event = load_event(Path(__file__).resolve().parents[1] / "data" / "advance_only.toml")
    assert event.awards.tiers == ()
    assert event.advancement is not None
    assert (event.advancement.top, event.advancement.per_organisation_cap) == (10, 2)
    assert event.scoring.tiebreak == (TiebreakKey("component", "submitted", "lower"),
                                      TiebreakKey("criterion", "defence"))
    assert [c.weight for c in event.scoring.components] == [Decimal(1), Decimal(0)]
    assert len(event.contestants) == 14


def test_tiebreak_prefer_lower_is_read_and_travels_in_the_snapshot(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {
        ("scoring", "tiebreak", "order"): [{"key": "component:stage", "prefer": "lower"},
                                           {"key": "criterion:defence", "prefer": "higher"}]})))
    assert [(str(k), k.prefer) for k in event.scoring.tiebreak] == [
        ("component:stage", "lower"), ("criterion:defence", "higher")]
    order = event_snapshot(event)["scoring"]["tiebreak"]
    assert order == [{"kind": "component", "id": "stage", "prefer": "lower"},
                     {"kind": "criterion", "id": "defence"}]  # "higher" is left out
    assert event_from_snapshot(event_snapshot(event)) == event


def test_an_event_with_awards_keeps_its_digest(fixtures_dir: Path) -> None:
    """Digests of the fixtures as the kiosk computed them before `prefer` and optional
    awards: terminals enrolled for an event must not see it change."""
    digests = {
        "livestream-final": "4b68c822df5c69bf4d8639bcdd554e19a49c6fd5c9066267f0021341f2e57b69",
        "roadshow-final": "06cef9c24578c47a160d199d9583c98732cf47aaa86a0c67154d67e470b9f2a6",
    }
    for name, digest in digests.items():
        event = load_event(fixtures_dir / name / "event.toml")
        assert snapshot_digest(event) == digest, name
        assert all("prefer" not in k for k in event_snapshot(event)["scoring"]["tiebreak"])


def test_a_bad_prefer_is_said_in_both_languages(tmp_path: Path) -> None:
    path = write_event(tmp_path, mutate(BASE, {
        ("scoring", "tiebreak", "order", 0): {"key": "component:panel", "prefer": "first"}}))
    problem = only_problem(path)
    assert problem.where == "scoring.tiebreak.order[0].prefer"
    assert problem.render("zh").endswith(
        '：scoring.tiebreak.order[0].prefer：[scoring.tiebreak] 中 component:panel 的 prefer 应为 '
        '"higher"（较高者在前）或 "lower"（较低者在前），实为 文字 "first"')


# ---------------------------------------------------------------------------------------------
# one test per kind of mistake: (mutation of BASE, where the problem is, what it says)

C0 = ("rubric", "criteria", 0)
S0 = ("scoring", "components", 0)
S1 = ("scoring", "components", 1)
T0 = ("awards", "tiers", 0)
K0 = ("contestants", "list", 0)
K1 = ("contestants", "list", 1)
PERCENT_TIERS = {"basis": "percent", "tiers": [
    {"id": "a", "name": "甲", "percent": 60}, {"id": "b", "name": "乙", "percent": 50},
    {"id": "c", "name": "丙", "rest": True}]}


def tier(**kinds: object) -> dict[str, object]:
    return {"id": "x", "name": "奖", **kinds}


MISTAKES: list[tuple[str, Mutation, str, str]] = [
    # schema, unknown keys
    ("schema-unsupported", {("schema",): 2}, "schema", "unsupported schema 2"),
    ("schema-missing", {("schema",): DELETE}, "schema", "missing; expected a whole number"),
    ("schema-type", {("schema",): "1"}, "schema", 'expected a whole number, got text "1"'),
    ("unknown-key", {("scoring", "agregate"): "mean"}, "scoring.agregate",
     'unknown key; did you mean "aggregate"? expected one of aggregate, trim'),
    ("unknown-top-key", {("judge",): []}, "judge", 'did you mean "judges"? expected one of schema'),
    ("unknown-key-no-hint", {("scoring", "zzz"): 1}, "scoring.zzz",
     "unknown key; expected one of aggregate"),
    ("unknown-key-deep", {(*C0, "maxx"): 3}, "rubric.criteria[0].maxx", "unknown key"),
    ("unknown-language-key", {("event", "name"): {"zh": "决赛", "fr": "Finale"}},
     "event.name.fr", "unknown key; expected one of zh, en"),
    # missing sections and keys
    ("event-missing", {("event",): DELETE}, "event", "missing; expected a [event] table"),
    ("event-id-missing", {("event", "id"): DELETE}, "event.id", "missing; expected an id"),
    ("rubric-missing", {("rubric",): DELETE}, "rubric", "missing"),
    ("criteria-empty", {("rubric", "criteria"): []}, "rubric.criteria",
     "empty; expected at least one [[rubric.criteria]]"),
    ("tracks-missing", {("tracks",): DELETE}, "tracks", "missing; expected at least one"),
    ("judges-missing", {("judges",): DELETE}, "judges", "missing"),
    ("contestants-missing", {("contestants",): DELETE}, "contestants", "missing"),
    ("criterion-max-missing", {(*C0, "max"): DELETE}, "rubric.criteria[0].max",
     "missing; expected a number"),
    ("criterion-name-missing", {(*C0, "name"): DELETE}, "rubric.criteria[0].name", "missing"),
    ("awards-basis-missing", {("awards", "basis"): DELETE}, "awards.basis", "missing"),
    ("advancement-top-missing", {("advancement",): {"per_organisation_cap": 2}},
     "advancement.top", "missing"),
    # wrong types
    ("max-text", {(*C0, "max"): "ten"}, "rubric.criteria[0].max",
     'expected a number, got text "ten"'),
    ("max-quoted", {(*C0, "max"): "60"}, "rubric.criteria[0].max",
     'expected a number without quotes, got text "60"'),
    ("max-bool", {(*C0, "max"): True}, "rubric.criteria[0].max", "expected a number, got true"),
    ("max-list", {(*C0, "max"): [10]}, "rubric.criteria[0].max", "got a list"),
    ("max-nan", {(*C0, "max"): Decimal("nan")}, "rubric.criteria[0].max", "finite"),
    ("weight-inf", {(*S0, "weight"): Decimal("inf")}, "scoring.components[0].weight", "finite"),
    ("max-huge-int", {(*C0, "max"): 10**30}, "rubric.criteria[0].max", "between"),
    ("max-huge-float", {(*C0, "max"): Decimal("1e400")}, "rubric.criteria[0].max", "between"),
    ("step-tiny", {(*C0, "step"): Decimal("1e-9")}, "rubric.criteria[0].step",
     "at most 6 decimal places"),
    ("id-list", {("tracks", 0, "id"): ["main"]}, "tracks[0].id", "expected an id"),
    ("id-space", {("judges", 0, "id"): "J 1"}, "judges[0].id", "without spaces"),
    ("id-colon", {(*C0, "id"): "a:b"}, "rubric.criteria[0].id", "expected an id"),
    ("name-number", {("event", "name"): 5}, "event.name",
     "expected a name: { zh = \"…\", en = \"…\" }"),
    ("name-empty", {("event", "name"): {"zh": "", "en": " "}}, "event.name", "empty"),
    ("name-list", {("tracks", 0, "name"): ["主赛道"]}, "tracks[0].name", "got a list"),
    ("date-quoted", {("event", "date"): "2025-01-02"}, "event.date", "without quotes"),
    ("date-time", {("event", "date"): dt.datetime(2025, 1, 2, 9, 0)}, "event.date",
     "a date only"),
    ("notary-text", {("event", "notary"): "yes"}, "event.notary", "expected true or false"),
    ("tracks-text", {("tracks",): "main"}, "tracks", "expected [[tracks]] entries, got text"),
    ("tracks-item-text", {("tracks",): ["main"]}, "tracks[0]", "expected a table, got text"),
    ("scoring-text", {("scoring",): "mean"}, "scoring", "expected a [scoring] table"),
    ("trim-decimal", {("scoring", "trim"): Decimal("1.0")}, "scoring.trim", "no decimal point"),
    ("decimals-bool", {("scoring", "decimals"): False}, "scoring.decimals",
     "expected a whole number, got false"),
    ("order-text", {(*K0, "order"): "1"}, "contestants.list[0].order", "whole number"),
    ("contestant-name-list", {(*K0, "name"): ["队一"]}, "contestants.list[0].name",
     "expected text in quotes, got a list"),
    ("recuse-number", {(*K1, "recuse"): [1]}, "contestants.list[1].recuse[0]",
     "expected text in quotes, got the number 1"),
    ("recuse-table", {(*K1, "recuse"): {"J1": True}}, "contestants.list[1].recuse",
     "expected a list of texts"),
    # event languages
    ("language-unknown", {("event", "languages"): ["zh", "fr"]}, "event.languages[1]",
     'expected "zh", "en", got text "fr"'),
    ("languages-empty", {("event", "languages"): []}, "event.languages", "empty"),
    ("language-twice", {("event", "languages"): ["en", "en"]}, "event.languages[1]",
     "listed twice"),
    # tie-break chain
    ("tiebreak-unknown-criterion", {("scoring", "tiebreak", "order", 1): "criterion:nope"},
     "scoring.tiebreak.order[1]", 'unknown criterion "nope"; expected one of: pitch, defence'),
    ("tiebreak-unknown-component", {("scoring", "tiebreak", "order", 0): "component:data"},
     "scoring.tiebreak.order[0]", 'unknown component "data"; expected one of: panel, stage'),
    ("tiebreak-malformed", {("scoring", "tiebreak", "order", 0): "defence"},
     "scoring.tiebreak.order[0]", 'expected "component:ID" or "criterion:ID"'),
    ("tiebreak-bad-kind", {("scoring", "tiebreak", "order", 0): "judge:J1"},
     "scoring.tiebreak.order[0]", 'expected "component:ID" or "criterion:ID"'),
    ("tiebreak-no-id", {("scoring", "tiebreak", "order", 0): "component:"},
     "scoring.tiebreak.order[0]", 'expected "component:ID"'),
    ("tiebreak-not-list", {("scoring", "tiebreak", "order"): "component:panel"},
     "scoring.tiebreak.order", "expected a list of texts"),
    ("tiebreak-twice", {("scoring", "tiebreak", "order", 1): "component:panel"},
     "scoring.tiebreak.order[1]", "listed twice"),
    ("tiebreak-twice-preferred", {("scoring", "tiebreak", "order", 1):
                                  {"key": "component:panel", "prefer": "lower"}},
     "scoring.tiebreak.order[1].key", "listed twice"),
    ("tiebreak-prefer-unknown", {("scoring", "tiebreak", "order", 0):
                                 {"key": "component:panel", "prefer": "earlier"}},
     "scoring.tiebreak.order[0].prefer",
     'prefer for component:panel in [scoring.tiebreak] must be "higher" (the higher value '
     'ranks first) or "lower" (the lower value ranks first), got text "earlier"'),
    ("tiebreak-prefer-not-text", {("scoring", "tiebreak", "order", 0):
                                  {"key": "component:panel", "prefer": 1}},
     "scoring.tiebreak.order[0].prefer", 'must be "higher"'),
    ("tiebreak-entry-no-key", {("scoring", "tiebreak", "order", 0): {"prefer": "lower"}},
     "scoring.tiebreak.order[0].key", 'missing; expected "component:ID" or "criterion:ID"'),
    ("tiebreak-entry-unknown-key", {("scoring", "tiebreak", "order", 0):
                                    {"key": "component:panel", "prefr": "lower"}},
     "scoring.tiebreak.order[0].prefr", 'did you mean "prefer"?'),
    ("tiebreak-entry-unknown-id", {("scoring", "tiebreak", "order", 0):
                                   {"key": "component:data", "prefer": "lower"}},
     "scoring.tiebreak.order[0].key", 'unknown component "data"'),
    ("tiebreak-entry-number", {("scoring", "tiebreak", "order", 0): 3},
     "scoring.tiebreak.order[0]", 'expected "component:ID", "criterion:ID" or { key = '),
    # components
    ("weights-sum", {(*S1, "weight"): Decimal("0.5")}, "scoring.components",
     "weights add up to 1.1; they must add up to exactly 1"),
    ("weights-sum-low", {(*S0, "weight"): Decimal("0.59")}, "scoring.components",
     "add up to 0.99"),
    ("weight-zero", {(*S0, "weight"): 0}, "scoring.components[0].weight", "greater than 0"),
    ("weight-zero-panel", {(*S0, "weight"): 0}, "scoring.components[0].weight",
     "only an imported component may weigh 0"),
    ("weight-negative", {(*S0, "weight"): Decimal("-0.6")}, "scoring.components[0].weight",
     "greater than 0"),
    ("weight-over-one", {(*S0, "weight"): Decimal("1.5")}, "scoring.components[0].weight",
     "at most 1"),
    ("weight-text", {(*S0, "weight"): "60%"}, "scoring.components[0].weight",
     "expected a number"),
    ("source-unknown", {(*S0, "source"): "manual"}, "scoring.components[0].source",
     'expected one of "panel", "import"'),
    ("no-panel-component", {(*S0, "source"): "import"}, "scoring.components",
     'no component has source = "panel"'),
    ("components-empty", {("scoring", "components"): []}, "scoring.components", "empty"),
    ("component-max-zero", {(*S1, "max"): 0}, "scoring.components[1].max", "greater than 0"),
    ("component-duplicate", {(*S1, "id"): "panel"}, "scoring.components[1].id",
     'duplicate component id "panel" (also scoring.components[0])'),
    # criteria
    ("max-zero", {(*C0, "max"): 0}, "rubric.criteria[0].max", "greater than 0, got 0"),
    ("max-negative", {(*C0, "max"): -5}, "rubric.criteria[0].max", "greater than 0, got -5"),
    ("step-zero", {(*C0, "step"): 0}, "rubric.criteria[0].step", "greater than 0"),
    ("step-not-dividing", {(*C0, "step"): Decimal("0.7")}, "rubric.criteria[0].step",
     "step 0.7 does not divide max 60"),
    ("default-step-not-dividing", {(*C0, "step"): DELETE, (*C0, "max"): Decimal("7.5")},
     "rubric.criteria[0].step", "the default step 1 does not divide max 7.5"),
    ("step-over-max", {(*C0, "step"): 70}, "rubric.criteria[0].step", "larger than max 60"),
    ("criterion-duplicate", {("rubric", "criteria", 1, "id"): "pitch"},
     "rubric.criteria[1].id", 'duplicate criterion id "pitch"'),
    # scoring options
    ("aggregate-unknown", {("scoring", "aggregate"): "average"}, "scoring.aggregate",
     'expected one of "mean", "median", "trimmed_mean", got text "average"'),
    ("aggregate-missing", {("scoring", "aggregate"): DELETE}, "scoring.aggregate", "missing"),
    ("trim-negative", {("scoring", "trim"): -1}, "scoring.trim", "of at least 0, got -1"),
    ("min-remaining-zero", {("scoring", "min_remaining"): 0}, "scoring.min_remaining",
     "of at least 1, got 0"),
    ("decimals-seven", {("scoring", "decimals"): 7}, "scoring.decimals", "from 0 to 6, got 7"),
    ("decimals-negative", {("scoring", "decimals"): -1}, "scoring.decimals", "from 0 to 6"),
    ("rounding-unknown", {("scoring", "rounding"): "bankers"}, "scoring.rounding",
     '"half_up", "half_even", "half_down", "down", "up"'),
    ("timezone-unknown", {("event", "timezone"): "Asia/Shangai"}, "event.timezone",
     'unknown time zone; did you mean "Asia/Shanghai"? expected an IANA time zone name such '
     'as "Asia/Shanghai", got text "Asia/Shangai"'),
    ("timezone-offset", {("event", "timezone"): "+08:00"}, "event.timezone",
     "expected an IANA time zone name"),
    ("timezone-path", {("event", "timezone"): "../../etc/passwd"}, "event.timezone",
     "unknown time zone"),
    ("timezone-number", {("event", "timezone"): 8}, "event.timezone",
     "expected an IANA time zone name such as \"Asia/Shanghai\", got the number 8"),
    ("discrepancy-negative", {("discrepancy", "outlier"): -1}, "discrepancy.outlier",
     "greater than 0"),
    ("discrepancy-text", {("discrepancy", "total_spread"): "15"}, "discrepancy.total_spread",
     "expected a number"),
    # awards
    ("percent-over-100", {("awards",): PERCENT_TIERS}, "awards.tiers",
     "percent tiers add up to 110; at most 100"),
    ("percent-in-count-basis", {(*T0,): tier(percent=10)}, "awards.tiers[0].percent",
     'a percent tier in awards with basis = "count"'),
    ("count-in-percent-basis", {("awards", "basis"): "percent"}, "awards.tiers[0].count",
     'a count tier in awards with basis = "percent"'),
    ("rest-not-last", {(*T0,): tier(rest=True)}, "awards.tiers[0].rest",
     "only the last tier may have rest = true"),
    ("tier-no-kind", {(*T0,): tier()}, "awards.tiers[0]",
     "expected exactly one of count, percent or rest = true"),
    ("tier-two-kinds", {(*T0, "rest"): True}, "awards.tiers[0]", "(got count, rest)"),
    ("rest-false", {("awards", "tiers", 1, "rest"): False}, "awards.tiers[1].rest",
     "expected rest = true"),
    ("count-zero", {(*T0, "count"): 0}, "awards.tiers[0].count", "at least 1, got 0"),
    ("percent-zero", {("awards",): {"basis": "percent", "tiers": [tier(percent=0)]}},
     "awards.tiers[0].percent", "greater than 0 and at most 100"),
    ("percent-over", {("awards",): {"basis": "percent", "tiers": [tier(percent=101)]}},
     "awards.tiers[0].percent", "at most 100, got 101"),
    ("basis-unknown", {("awards", "basis"): "share"}, "awards.basis",
     'expected one of "count", "percent"'),
    ("tier-duplicate", {("awards", "tiers", 1, "id"): "first"}, "awards.tiers[1].id",
     'duplicate tier id "first"'),
    ("tiers-empty", {("awards", "tiers"): []}, "awards.tiers", "empty"),
    # advancement
    ("advancement-top-zero", {("advancement",): {"top": 0}}, "advancement.top",
     "at least 1, got 0"),
    ("advancement-cap-zero", {("advancement",): {"top": 3, "per_organisation_cap": 0}},
     "advancement.per_organisation_cap", "at least 1, got 0"),
    # tracks, groups, judges
    ("track-duplicate", {("tracks",): [BASE["tracks"][0], {"id": "main", "name": "又一个"}]},
     "tracks[1].id",
     'duplicate track id "main" (also tracks[0])'),
    ("group-duplicate", {("groups",): [GROUPS[0], GROUPS[0]],
                         (*K0, "group"): "staff", (*K1, "group"): "staff"},
     "groups[1].id", 'duplicate group id "staff"'),
    ("judge-duplicate", {("judges", 2, "id"): "J1"}, "judges[2].id", 'duplicate judge id "J1"'),
    ("judge-affiliation-number", {("judges", 0, "affiliation"): 3}, "judges[0].affiliation",
     "expected text in quotes, got the number 3"),
    # contestants
    ("contestant-duplicate", {(*K1, "id"): "C1"}, "contestants.list[1].id",
     'duplicate contestant id "C1" (also contestants.list[0])'),
    ("contestant-bad-id", {(*K1, "id"): "C;2"}, "contestants.list[1].id", "without spaces"),
    ("contestant-unknown-track", {(*K0, "track"): "video"}, "contestants.list[0].track",
     'unknown track "video"; expected one of: main'),
    ("contestant-unknown-group", {("groups",): GROUPS, (*K0, "group"): "staff",
                                  (*K1, "group"): "teachers"},
     "contestants.list[1].group", 'unknown group "teachers"; expected one of: staff, students'),
    ("contestant-group-without-groups", {(*K0, "group"): "staff"}, "contestants.list[0].group",
     "no [[groups]]"),
    ("contestant-no-group", {("groups",): GROUPS, (*K0, "group"): "staff"},
     "contestants.list[1].group", "missing; this event ranks groups separately"),
    ("contestant-unknown-judge", {(*K1, "recuse"): ["J1", "J9"]}, "contestants.list[1].recuse",
     'unknown judge "J9"; expected judge ids: J1, J2, J3'),
    ("contestant-unknown-judge-text", {(*K1, "recuse"): "J1;J9"},
     "contestants.list[1].recuse", 'unknown judge "J9"'),
    ("contestant-organisation-missing", {(*K0, "organisation"): DELETE},
     "contestants.list[0].organisation", "missing"),
    ("contestant-id-empty", {(*K0, "id"): ""}, "contestants.list[0].id", "empty"),
    ("contestant-name-blank", {(*K1, "name"): "  "}, "contestants.list[1].name", "empty"),
    ("contestant-unknown-key", {(*K0, "school"): "x"}, "contestants.list[0].school",
     "unknown key; expected one of id, name, members"),
    ("contestant-order-zero", {(*K0, "order"): 0}, "contestants.list[0].order", "at least 1"),
    ("contestants-empty", {("contestants", "list"): []}, "contestants.list", "empty"),
    ("contestants-both", {("contestants", "file"): "c.csv"}, "contestants", "not both"),
    ("contestants-neither", {("contestants", "list"): DELETE}, "contestants",
     'missing; expected file = "contestants.csv"'),
    ("contestants-file-missing", {("contestants",): {"file": "nope.csv"}}, "contestants.file",
     "cannot read"),
    ("contestants-file-xls", {("contestants",): {"file": "c.xls"}}, "contestants.file",
     "expected a .csv or .xlsx file"),
    ("contestants-file-empty-name", {("contestants",): {"file": ""}}, "contestants.file",
     "empty"),
    ("contestants-file-number", {("contestants",): {"file": 3}}, "contestants.file",
     "expected text in quotes"),
    # organisation awards and honours
    ("org-award-score", {("organisation_awards",): [{**ORG_AWARD, "score": "sum"}]},
     "organisation_awards[0].score", 'one of "prize_points", "best_mean"'),
    ("org-award-points-unknown-tier", {("organisation_awards",): [
        {**ORG_AWARD, "points": {"gold": 3}}]}, "organisation_awards[0].points.gold",
     'unknown prize tier "gold"; expected one of: first, merit'),
    ("org-award-points-negative", {("organisation_awards",): [
        {**ORG_AWARD, "points": {"first": -1}}]}, "organisation_awards[0].points.first",
     "expected 0 points or more"),
    ("org-award-points-missing", {("organisation_awards",): [
        {k: v for k, v in ORG_AWARD.items() if k != "points"}]},
     "organisation_awards[0].points", "missing; expected points per prize tier"),
    ("org-award-best-missing", {("organisation_awards",): [
        {"id": "m", "name": "最佳", "score": "best_mean", "count": 1}]},
     "organisation_awards[0].best", "missing"),
    ("org-award-best-with-points", {("organisation_awards",): [
        {**ORG_AWARD, "best": 2}]}, "organisation_awards[0].best", "best_mean"),
    ("org-award-count-zero", {("organisation_awards",): [{**ORG_AWARD, "count": 0}]},
     "organisation_awards[0].count", "at least 1"),
    ("honour-both-top-and-rest", {("honours",): [{**HONOUR, "rest": True}]}, "honours[0]",
     "exactly one of top = N or rest = true"),
    ("honour-unknown-criterion", {("honours",): [
        {**HONOUR, "requires": {"criterion:style": 10}}]}, "honours[0].requires.criterion:style",
     'unknown criterion "style"; expected one of: pitch, defence'),
    ("honour-bad-requirement", {("honours",): [{**HONOUR, "requires": {"total": 10}}]},
     "honours[0].requires.total", 'expected "final", "component:ID" or "criterion:ID"'),
    ("honour-requirement-text", {("honours",): [{**HONOUR, "requires": {"final": "60"}}]},
     "honours[0].requires.final", "expected a number without quotes"),
    ("honour-unknown-group", {("honours",): [{**HONOUR, "groups": ["staff"]}]},
     "honours[0].groups[0]", 'unknown group "staff"'),
    # recusal
    ("judge-recused-everywhere", {("judges", 2, "affiliation"): "C学校",
                                  (*K1, "recuse"): ["J1", "J3"]},
     "judges[2] (J3)", "recused from every contestant; remove the judge or fix affiliation"),
    ("contestant-without-judges", {(*K1, "recuse"): ["J1", "J2", "J3"]}, "contestants.list[1]",
     "every judge is recused from C2"),
]


@pytest.mark.parametrize(("mutation", "where", "message"),
                         [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_mistake_is_reported(tmp_path: Path, mutation: Mutation, where: str, message: str
                             ) -> None:
    path = write_event(tmp_path, mutate(BASE, mutation))
    problems = problems_of(path)
    assert any(p.where == where and message in p.message for p in problems), \
        "\n".join(map(str, problems))
    assert all(p.file == str(path) for p in problems)
    assert all(p.message for p in problems)


def test_unsupported_schema_is_the_only_problem(tmp_path: Path) -> None:
    problem = only_problem(write_event(tmp_path, mutate(BASE, {("schema",): 2, ("future",): {}})))
    assert problem.where == "schema"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    doc = mutate(BASE, {
        ("scoring", "agregate"): "mean",
        (*C0, "max"): "ten",
        (*S1, "weight"): Decimal("0.5"),
        ("scoring", "tiebreak", "order", 1): "criterion:nope",
        ("awards", "tiers", 1, "count"): 3,
        ("judges", 1, "id"): "J1",
        (*K0, "track"): "video",
    })
    path = write_event(tmp_path, doc)
    with pytest.raises(InputProblems) as caught:
        load_event(path)
    wheres = [p.where for p in caught.value.problems]
    assert wheres == [
        "rubric.criteria[0].max",
        "scoring.agregate",
        "scoring.components",
        "scoring.tiebreak.order[1]",
        "awards.tiers[1]",
        "judges[1].id",
        "contestants.list[0].track",
    ]
    text = str(caught.value)
    assert text.count(str(path)) == 7
    assert f"{path}: rubric.criteria[0].max: expected a number" in text


# ---------------------------------------------------------------------------------------------
# the event file itself


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write_event(tmp_path, 'schema = 1\n[event]\nid = "x"\nname = = 3\n')
    problem = only_problem(path)
    assert problem.where == "line 4, column 8"
    assert problem.message.startswith("TOML syntax: ")


def test_syntax_error_at_end_of_document(tmp_path: Path) -> None:
    problem = only_problem(write_event(tmp_path, 'schema = 1\nlanguages = ["zh",\n'))
    assert "TOML syntax" in problem.message


def test_duplicate_table_is_a_syntax_error(tmp_path: Path) -> None:
    problem = only_problem(write_event(tmp_path, BASE_TOML + "\n[scoring]\ntrim = 2\n"))
    assert problem.where.startswith("line ")
    assert "TOML syntax" in problem.message


def test_event_file_missing(tmp_path: Path) -> None:
    problem = only_problem(tmp_path / "nope.toml")
    assert problem.file == str(tmp_path / "nope.toml")
    assert "cannot read the event file" in problem.message


def test_event_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "event.toml"
    path.write_bytes(BASE_TOML.encode("gb18030"))
    problem = only_problem(path)
    assert "not UTF-8" in problem.message
    assert problem.where == "line 6"  # the first Chinese text


def test_event_file_with_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "event.toml"
    path.write_bytes(BASE_TOML.encode("utf-8-sig"))
    assert load_event(path).id == "test-final"


def test_huge_integer_literal(tmp_path: Path) -> None:
    problem = only_problem(write_event(tmp_path, "schema = " + "9" * 5000 + "\n"))
    assert "TOML syntax" in problem.message


def test_deep_nesting(tmp_path: Path) -> None:
    problem = only_problem(write_event(tmp_path, "x = " + "[" * 100_000 + "]" * 100_000 + "\n"))
    assert "TOML syntax" in problem.message


def test_plain_text_name_is_both_languages(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {("event", "name"): "Final"})))
    assert event.name == Text(zh="Final", en="Final")


def test_integers_become_decimals(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {
        (*S0, "weight"): 1, (*S1,): DELETE, ("scoring", "tiebreak"): DELETE})))
    component = event.scoring.components[0]
    assert type(component.weight) is Decimal and component.weight == 1
    assert type(event.criteria[0].max) is Decimal


# ---------------------------------------------------------------------------------------------
# contestants files

CSV_HEADER = "id,name,members,organisation,track,group,order,instructor,recuse"


def file_event(folder: Path, name: str = "contestants.csv", **changes: object) -> Path:
    """BASE with `[contestants] file = NAME` and the given top-level changes."""
    doc = mutate(BASE, {("contestants",): {"file": name}})
    doc.update(changes)
    return write_event(folder, doc)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_fixture_csv_in_each_encoding(fixtures_dir: Path, tmp_path: Path, encoding: str) -> None:
    event_path = copy_fixture(fixtures_dir, "roadshow-final", tmp_path)
    text = (tmp_path / "contestants.csv").read_text(encoding="utf-8")
    (tmp_path / "contestants.csv").write_bytes(text.encode(encoding))
    original = load_event(fixtures_dir / "roadshow-final" / "event.toml")
    event = load_event(event_path)
    assert event.contestants == original.contestants
    assert event.contestant("V01") is not None
    assert event.contestant("V01").members == "尹明娜、侯娜飞"  # type: ignore[union-attr]


def test_csv_neither_utf8_nor_gb18030(fixtures_dir: Path, tmp_path: Path) -> None:
    event_path = copy_fixture(fixtures_dir, "livestream-final", tmp_path)
    csv_path = tmp_path / "contestants.csv"
    csv_path.write_bytes(csv_path.read_text(encoding="utf-8").encode("utf-16"))
    problem = only_problem(event_path)
    assert problem.file == str(csv_path)
    assert "neither UTF-8 nor GB18030" in problem.message


def test_csv_missing_required_column_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").write_text("id,name,track\nC1,队一,main\nC2,队二,main\n",
                                              encoding="utf-8")
    problem = only_problem(file_event(tmp_path))
    assert problem.file == str(tmp_path / "contestants.csv")
    assert problem.where == "line 1"
    assert "missing column organisation" in problem.message
    assert "expected columns id, name, members, organisation, track" in problem.message


def test_csv_rows_name_line_and_column(tmp_path: Path) -> None:
    rows = [
        CSV_HEADER,
        "C1,队一,,C学校,main,,,,",          # line 2: fine, order from position
        "",                                  # line 3: blank, skipped but counted
        "C2,队二,,D学校,video,,x,,J1；J9",   # line 4: unknown track, bad order, unknown judge
        "C1,队三,,,main,,,,",                # line 5: duplicate id, no organisation
        "C4,队四,,E学校,main,staff,,,,extra",  # line 6: group without groups, a 10th cell
    ]
    csv_path = tmp_path / "contestants.csv"
    csv_path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    problems = problems_of(file_event(tmp_path))
    found = {(p.where, p.message.split(";")[0].split(",")[0]) for p in problems}
    assert all(p.file == str(csv_path) for p in problems)
    assert found == {
        ("line 4, column order", 'expected a whole number of at least 1'),
        ("line 4, column track", 'unknown track "video"'),
        ("line 4, column recuse", 'unknown judge "J9"'),
        ("line 5, column organisation", "empty"),
        ("line 5, column id", 'duplicate contestant id "C1" (also line 2)'),
        ("line 6", "10 cells but the header has 9 columns"),
        ("line 6, column group", 'group "staff" given but the event file has no [[groups]]'),
    }


def test_csv_order_defaults_to_position(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").write_text(
        f"{CSV_HEADER}\nC1,队一,,C学校,main,,,,\n\nC2,队二,,D学校,main,,5,,J1\n"
        "C3,队三,,E学校,main,,3.0,,\n",
        encoding="utf-8")
    event = load_event(file_event(tmp_path))
    assert [(c.id, c.order) for c in event.contestants] == [("C1", 1), ("C2", 5), ("C3", 3)]
    assert event.contestants[1].recuse == ("J1",)
    assert event.contestants[0].group is None


def test_csv_header_case_and_column_order(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("Track,ID,Organisation,Name\nmain,C1,C学校,队一\n",
                                    encoding="utf-8")
    event = load_event(file_event(tmp_path, "c.csv"))
    assert [(c.id, c.name, c.organisation, c.track) for c in event.contestants] == [
        ("C1", "队一", "C学校", "main")]


def test_csv_unknown_and_duplicate_columns(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "id,name,organisation,track,school,name\nC1,队一,C学校,main,x,y\n", encoding="utf-8")
    problems = problems_of(file_event(tmp_path, "c.csv"))
    assert [(p.where, p.message.split(";")[0]) for p in problems] == [
        ("line 1, column school", "unknown column"),
        ("line 1, column name", "duplicate column"),
    ]


def test_csv_header_only(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").write_text(CSV_HEADER + "\n", encoding="utf-8")
    problem = only_problem(file_event(tmp_path))
    assert "no contestants" in problem.message


def test_csv_without_header(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").write_text("", encoding="utf-8")
    assert "no header row" in only_problem(file_event(tmp_path)).message


def test_csv_separated_by_tabs(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").write_text(CSV_HEADER.replace(",", "\t") + "\n",
                                              encoding="utf-8")
    assert "tabs or semicolons" in only_problem(file_event(tmp_path)).message


def test_csv_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").mkdir()
    problem = only_problem(file_event(tmp_path))
    assert (problem.where, problem.file) == ("contestants.file", str(tmp_path / "event.toml"))


def test_xlsx_contestants(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2025 决赛名单"])                 # row 1: a title
    sheet.append([])                                 # row 2: blank
    sheet.append(["ID", "name", "organisation", "track", "order", "recuse"])  # row 3
    sheet.append([101, "队一", "C学校", "main", 3.0, None])
    sheet.append([102, "队二", "D学校", "main", None, "J1;J2"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["103", "队三", "E学校", "main", 1, ""])
    book.save(tmp_path / "contestants.xlsx")
    event = load_event(file_event(tmp_path, "contestants.xlsx"))
    assert [(c.id, c.order, c.recuse) for c in event.contestants] == [
        ("101", 3, ()), ("102", 2, ("J1", "J2")), ("103", 1, ())]


def test_xlsx_problems_name_sheet_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["报名表"])
    sheet.append(["id", "name", "organisation", "track", "order"])
    sheet.append(["A1", "队一", "C学校", "nope", 2.5])
    sheet.append(["A2", "队二", True, "main", dt.datetime(2025, 1, 2)])
    book.save(tmp_path / "c.xlsx")
    problems = problems_of(file_event(tmp_path, "c.xlsx"))
    assert all(p.file == str(tmp_path / "c.xlsx") for p in problems)
    assert [(p.where, p.message[:28]) for p in problems] == [
        ("line 3, column order", 'expected a whole number of a'),
        ("line 4, column order", 'expected a whole number of a'),
        ("line 3, column track", 'unknown track "nope"; expect'),
    ]
    assert 'got "2.5"' in problems[0].message


def test_xlsx_without_id_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "姓名", "单位"])
    book.save(tmp_path / "c.xlsx")
    problem = only_problem(file_event(tmp_path, "c.xlsx"))
    assert "no header row with an id column" in problem.message


def test_xlsx_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    problem = only_problem(file_event(tmp_path, "c.xlsx"))
    assert problem.file == str(tmp_path / "c.xlsx")
    assert "not readable as an Excel .xlsx workbook" in problem.message


def test_problems_in_both_files_are_reported_together(tmp_path: Path) -> None:
    (tmp_path / "contestants.csv").write_text(f"{CSV_HEADER}\nC1,队一,,C学校,nope,,,,\n",
                                              encoding="utf-8")
    problems = problems_of(file_event(tmp_path, scoring={"aggregate": "avg", "components": []}))
    assert {p.file for p in problems} == {str(tmp_path / "event.toml"),
                                         str(tmp_path / "contestants.csv")}


# ---------------------------------------------------------------------------------------------
# nothing but InputProblems, whatever the input


def loads_or_input_problems(path: Path) -> None:
    try:
        event = load_event(path)
    except InputProblems as problems:
        assert problems.problems
        assert all(isinstance(p, Problem) and p.message for p in problems.problems)
    else:
        assert isinstance(event, Event)


scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "panel", "import", "mean", "main", "J1", "C1", "zh", "en", "count",
                     "component:panel", "criterion:nope", "half_up", "0.5", "nan", "J1;J9"]),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["id", "name", "zh", "en", "max", "x"]) | st.text(
            max_size=5), inner, max_size=3),
    ),
    max_leaves=6,
)


def paths_of(node: object, prefix: Path_ = ()) -> list[Path_]:
    found: list[Path_] = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths_of(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths_of(value, (*prefix, index))
    return found


FORMAT_KEYS = sorted({step for path in paths_of(BASE) for step in path if isinstance(step, str)}
                     | {"groups", "advancement", "file", "group", "order", "percent", "count",
                        "top", "per_organisation_cap", "trim", "min_remaining", "decimals",
                        "rounding", "outlier", "criterion_spread", "members", "instructor"})


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        candidates = paths_of(doc)
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        node: Any = doc
        for step in path[:-1]:
            node = node[step]
        if action == "replace":
            node[path[-1]] = draw(values)
        elif action == "delete":
            del node[path[-1]]
        elif isinstance(node, dict):
            node[draw(st.sampled_from(FORMAT_KEYS) | st.text(max_size=8))] = draw(values)
    return doc


FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated_documents())
def test_mutated_documents_give_only_input_problems(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loads_or_input_problems(write_event(Path(folder), doc))


@FUZZ
@given(st.text(max_size=400))
def test_garbage_text_gives_only_input_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "event.toml"
        path.write_text(text, encoding="utf-8")
        loads_or_input_problems(path)


edits = st.lists(st.tuples(st.integers(0, len(BASE_TOML)), st.integers(0, 8),
                           st.text(alphabet='=[]{}"\',.:;#\n 0123456789abcnfiletru-_', max_size=6)),
                 min_size=1, max_size=4)


@FUZZ
@given(edits)
def test_edited_toml_gives_only_input_problems(changes: list[tuple[int, int, str]]) -> None:
    text = BASE_TOML
    for at, length, insert in changes:
        text = text[:at] + insert + text[at + length:]
    with tempfile.TemporaryDirectory() as folder:
        loads_or_input_problems(write_event(Path(folder), text))


@FUZZ
@given(st.one_of(
    st.binary(max_size=300),
    st.lists(st.lists(st.text(max_size=6) | st.sampled_from(["C1", "main", "J1", "3", "3.5"]),
                      max_size=10), max_size=5).map(
        lambda rows: "\n".join([CSV_HEADER] + [",".join(r) for r in rows]).encode("gb18030")),
))
def test_garbage_csv_gives_only_input_problems(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "contestants.csv").write_bytes(data)
        loads_or_input_problems(file_event(Path(folder)))
