"""When do typed entries of a paper sheet agree (`head_judge.double_entry.settle`)?"""

from __future__ import annotations

from decimal import Decimal

import hypothesis.strategies as st
from hypothesis import given

from head_judge.double_entry import Entry, settle

D = Decimal
CRITERIA = ("appearance", "expression", "pitch")


def entry(seq: int, operator: str, **values: str) -> Entry:
    return Entry(seq, operator, {c: D(v) for c, v in values.items()})


def test_two_operators_agreeing_make_the_sheet() -> None:
    got = settle([entry(1, "王芳", appearance="8", pitch="15.5"),
                  entry(2, "李强", appearance="8.0", pitch="15.5")])
    assert got.complete
    assert got.agreed == {"appearance": D(8), "pitch": D("15.5")}
    assert got.entries == (1, 2)


def test_one_entry_counts_for_nothing() -> None:
    got = settle([entry(1, "王芳", appearance="8", pitch="15.5")])
    assert not got.complete and got.agreed == {}
    assert got.waiting == ("appearance", "pitch")


def test_a_slip_names_only_the_differing_criterion_and_a_third_entry_settles_it() -> None:
    first, second = entry(1, "王芳", appearance="8", pitch="15.5"), \
        entry(2, "李强", appearance="8", pitch="5.5")
    got = settle([first, second])
    assert not got.complete
    assert got.differing == ("pitch",) and got.open == ("pitch",)
    assert got.agreed == {"appearance": D(8)}
    settled = settle([first, second, entry(3, "张伟", pitch="15.5")])
    assert settled.complete and settled.agreed["pitch"] == D("15.5")
    assert settled.by["pitch"] == (1, 3)


def test_the_same_operator_never_agrees_with_themself() -> None:
    got = settle([entry(1, "王芳", pitch="15"), entry(2, "王芳", pitch="15")])
    assert not got.complete


def test_entries_are_read_in_ledger_order_whatever_order_they_come_in() -> None:
    entries = [entry(3, "张伟", pitch="9"), entry(1, "王芳", pitch="9"),
               entry(2, "李强", pitch="8")]
    assert settle(entries) == settle(sorted(entries, key=lambda e: e.seq))
    assert settle(entries).by["pitch"] == (1, 3)


VALUES = st.sampled_from([D(7), D("7.5"), D(8)])
ENTRIES = st.lists(st.tuples(st.sampled_from(["王芳", "李强", "张伟"]),
                             st.fixed_dictionaries({c: VALUES for c in CRITERIA})),
                   max_size=5)


@given(ENTRIES)
def test_a_criterion_is_settled_iff_two_operators_typed_the_same_value(
        typed: list[tuple[str, dict[str, Decimal]]]) -> None:
    entries = [Entry(i + 1, operator, values) for i, (operator, values) in enumerate(typed)]
    got = settle(entries)
    for criterion in CRITERIA if entries else ():
        pairs = [(a, b) for a in entries for b in entries
                 if a.seq < b.seq and a.operator != b.operator
                 and a.values[criterion] == b.values[criterion]]
        assert (criterion in got.agreed) == bool(pairs)
        if pairs:  # the earliest completed pair decides
            first = min(pairs, key=lambda p: (p[1].seq, p[0].seq))
            assert got.agreed[criterion] == first[0].values[criterion]
    assert got.complete == (bool(entries) and set(got.agreed) == set(CRITERIA))
