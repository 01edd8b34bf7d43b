"""Canonical JSON: the fixed vectors of docs/canonical-encoding.md, refusals, and properties."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal as D
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.canonical import (
    MAX_DEPTH,
    CanonicalError,
    canonical_bytes,
    canonical_encoding,
    canonical_text_of_parsed,
    parse_canonical,
    sha256_hex,
)

SPEC = Path(__file__).resolve().parents[2] / "docs" / "canonical-encoding.md"

NESTED = {
    "kind": "sheet",
    "judge": "J1",
    "contestant": "C07",
    "rev": 1,
    "scores": {"q_and_a": D("9"), "appearance": D("8.50")},
    "note": "表现很好",
    "replaces": None,
    "tags": ("live", "final"),
    "empty": {"list": [], "object": {}},
}

# name, input, exact canonical bytes, sha256 (all of which docs/canonical-encoding.md states)
VECTORS: list[tuple[str, object, bytes, str]] = [
    (
        "order",
        {"b": 2, "a": 1},
        b'{"a":1,"b":2}',
        "43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777",
    ),
    (
        "scalars",
        [None, True, False, 0, -1, 12345678901234567890],
        b"[null,true,false,0,-1,12345678901234567890]",
        "a96462dd3075fb567f38fcbb85706d47ccf466aee09c2acd6d521c89cbb57269",
    ),
    (
        "chinese",
        {"评分": "很好", "name": "张三"},
        '{"name":"张三","评分":"很好"}'.encode(),
        "9cfdfd81a9caf8429536d5a1f20ba643728a025dd8de59331c9a5926d81f4022",
    ),
    (
        "decimals",
        [D("8.50"), D("8.5"), D("1E+2"), D("1E-7"), D("-0.00"), D("100")],
        b'["8.50","8.5","100","0.0000001","-0.00","100"]',
        "4fce3d3580374d2e4a7ba48e51964e92fbf4d84b81cd6d9be11c1a19fb9ee8dd",
    ),
    (
        "code-points",
        {"😀": 1, "\uff5a": 2, "中": 3, "é": 4, "a": 5, "Z": 6, "": 7},
        '{"":7,"Z":6,"a":5,"é":4,"中":3,"\uff5a":2,"😀":1}'.encode(),
        "1c3dce1777668a34fd2ba82fd0a720b15c7679f88445cf12a8bc91d76a4da84b",
    ),
    (
        "nested",
        NESTED,
        '{"contestant":"C07","empty":{"list":[],"object":{}},"judge":"J1","kind":"sheet",'
        '"note":"表现很好","replaces":null,"rev":1,'
        '"scores":{"appearance":"8.50","q_and_a":"9"},"tags":["live","final"]}'.encode(),
        "b9b2f904221918d971b759a4a70b51a0d2583e8c188c8469f702d7e30b261d0d",
    ),
    (
        "escapes",
        'q" b\\ t\t n\n c\x01 u\x1f s/ d\x7f l\u2028',
        bytes.fromhex(
            "22715c2220625c5c20745c74206e5c6e20635c753030303120755c753030316620732f"
            "20647f206ce280a822"
        ),
        "bb866df92cca6fb78cd4b8c5b711a791e282893a757d0e1d6c3c1defe32e18fa",
    ),
]


@pytest.mark.parametrize(
    ("name", "value", "expected", "digest"), VECTORS, ids=[v[0] for v in VECTORS]
)
def test_fixed_vectors_byte_for_byte(
    name: str, value: object, expected: bytes, digest: str
) -> None:
    out = canonical_bytes(value)
    assert out == expected
    assert sha256_hex(out) == digest == hashlib.sha256(expected).hexdigest()


@pytest.mark.parametrize(
    ("name", "value", "expected", "digest"), VECTORS, ids=[v[0] for v in VECTORS]
)
def test_vectors_are_the_ones_the_spec_states(
    name: str, value: object, expected: bytes, digest: str
) -> None:
    spec = SPEC.read_text(encoding="utf-8")
    assert f"| {name} |" in spec
    assert digest in spec
    if name == "escapes":
        assert expected.hex() in spec
    else:
        assert expected.decode("utf-8") in spec


@pytest.mark.parametrize(
    ("name", "value", "expected", "digest"), VECTORS, ids=[v[0] for v in VECTORS]
)
def test_vectors_parse_back(name: str, value: object, expected: bytes, digest: str) -> None:
    parsed = parse_canonical(expected)
    assert parsed == json.loads(expected)
    assert canonical_bytes(parsed) == expected


def test_decimal_keeps_the_scale_it_was_given() -> None:
    assert canonical_bytes(D("8.50")) == b'"8.50"'
    assert canonical_bytes(D("8.5")) == b'"8.5"'
    assert canonical_bytes(D("8.50")) != canonical_bytes(D("8.5"))
    assert canonical_bytes(D("850E-2")) == b'"8.50"'
    assert canonical_bytes(D("1.2345E+3")) == b'"1234.5"'
    assert canonical_bytes(D("-0")) == b'"-0"'
    # a decimal and the string of its digits are the same bytes; the schema tells them apart
    assert canonical_bytes({"s": D("9.00")}) == canonical_bytes({"s": "9.00"})
    assert parse_canonical(canonical_bytes(D("9.00"))) == "9.00"


def test_non_ascii_is_raw_utf8_not_escaped() -> None:
    assert canonical_bytes("张三") == '"张三"'.encode()
    assert b"\\u" not in canonical_bytes({"名字": "评委一 😀"})


def test_keys_sort_by_code_point_not_utf16() -> None:
    out = canonical_bytes({"\U0001f600": 0, "\uff5a": 0}).decode()
    assert out.index("\uff5a") < out.index("\U0001f600")


# --- refusals when encoding -------------------------------------------------------------------


@pytest.mark.parametrize("value", [1.0, 0.5, float("nan"), [1, 2.5], {"a": {"b": -0.0}}])
def test_floats_are_never_allowed(value: object) -> None:
    with pytest.raises(TypeError, match="floats are never allowed"):
        canonical_bytes(value)


@pytest.mark.parametrize("value", [D("NaN"), D("sNaN"), D("Infinity"), D("-Infinity"), [D("nan")]])
def test_non_finite_decimals_are_refused(value: object) -> None:
    with pytest.raises(CanonicalError, match="not finite"):
        canonical_bytes(value)


@pytest.mark.parametrize("value", [{1: "a"}, {None: 1}, {("a",): 1}, {"ok": {D("1"): 2}}])
def test_non_str_keys_are_refused(value: object) -> None:
    with pytest.raises(TypeError, match="keys must be str"):
        canonical_bytes(value)


@pytest.mark.parametrize(
    "value", [b"x", bytearray(b"x"), memoryview(b"x"), {1, 2}, object(), 1j, {"a": b""}]
)
def test_other_types_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        canonical_bytes(value)


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb", {"\udc00": 1}, ["ok", "\ud83d"]])
def test_lone_surrogates_are_refused(value: object) -> None:
    with pytest.raises(CanonicalError, match="surrogate"):
        canonical_bytes(value)


def nest(depth: int) -> object:
    value: object = 0
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


def test_nesting_limit_when_encoding() -> None:
    assert parse_canonical(canonical_bytes(nest(MAX_DEPTH))) == nest(MAX_DEPTH)
    with pytest.raises(CanonicalError, match="deeper than 32"):
        canonical_bytes(nest(MAX_DEPTH + 1))


def test_cycles_are_refused_not_recursed_forever() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(CanonicalError, match="deeper"):
        canonical_bytes(loop)


# --- refusals when parsing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"a": 1}', "not canonical"),
        (b'{"b":1,"a":2}', "not canonical"),
        (b'{"a":1,"a":1}', "duplicate key"),
        (b'{"a":{"x":1,"x":2}}', "duplicate key"),
        (b"1.0", "fraction or exponent"),
        (b"[1e3]", "fraction or exponent"),
        (b"1E3", "fraction or exponent"),
        (b"-0", "not canonical"),
        (b"01", "not JSON"),
        (b"+1", "not JSON"),
        (b"NaN", "not JSON"),
        (b"[Infinity]", "not JSON"),
        (b"-Infinity", "not JSON"),
        (b'"\\u00e9"', "not canonical"),
        (b'"\\/"', "not canonical"),
        (b'"\\u001F"', "not canonical"),
        (b'"\\u0041"', "not canonical"),
        (b'"\\ud83d\\ude00"', "not canonical"),
        (b'"\\ud800"', "surrogate"),
        (b'{"\\udfff":1}', "surrogate"),
        (b'"\xed\xa0\x80"', "UTF-8"),
        (b'"\xc0\xaf"', "UTF-8"),
        (b"\xff", "UTF-8"),
        (b'\xef\xbb\xbf{"a":1}', "not JSON"),
        (b'{"a":1}\n', "not canonical"),
        (b" 1", "not canonical"),
        (b'"tab\there"', "not JSON"),
        (b"", "not JSON"),
        (b"[1,]", "not JSON"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "deeper than 32"),
        (b"[" * 100_000, "deeper than 32"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "deeper than 32"),
    ],
)
def test_parse_rejects(data: bytes, reason: str) -> None:
    with pytest.raises(CanonicalError, match=reason) as err:
        parse_canonical(data)
    assert isinstance(err.value, ValueError)
    assert err.value.reason


def test_parse_depth_ignores_brackets_inside_strings() -> None:
    data = canonical_bytes(["[" * 100, {"{{{{": "]]]"}])
    assert parse_canonical(data) == ["[" * 100, {"{{{{": "]]]"}]


def test_parse_accepts_exactly_32_levels() -> None:
    data = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert canonical_bytes(parse_canonical(data)) == data


def test_parse_wants_bytes() -> None:
    with pytest.raises(TypeError):
        parse_canonical('{"a":1}')  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.text()
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)
decimals = st.decimals(allow_nan=False, allow_infinity=False)
with_decimals = st.recursive(
    scalars | decimals,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


def without_decimals(value: object) -> object:
    if isinstance(value, D):
        return format(value, "f")
    if isinstance(value, list):
        return [without_decimals(v) for v in value]
    if isinstance(value, dict):
        return {k: without_decimals(v) for k, v in value.items()}
    return value


@given(json_values)
def test_round_trip(value: object) -> None:
    assert parse_canonical(canonical_bytes(value)) == value


@given(json_values)
def test_idempotent_under_parse_and_reencode(value: object) -> None:
    data = canonical_bytes(value)
    assert canonical_bytes(parse_canonical(data)) == data


@given(json_values)
def test_a_parsed_value_encodes_back_to_its_bytes_without_the_type_checks(value: object) -> None:
    data = canonical_bytes(value)
    assert canonical_text_of_parsed(parse_canonical(data)).encode("utf-8") == data
    assert canonical_text_of_parsed(json.loads(data)).encode("utf-8") == data


def same(a: object, b: object) -> bool:
    """Equal, and of the same type all the way down (1 == True, but not here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))  # type: ignore[arg-type]
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)  # type: ignore[attr-defined]
    return a == b


@given(with_decimals)
def test_the_encoding_comes_with_the_value_its_bytes_parse_back_to(value: object) -> None:
    """What `Ledger.append` stores as the entry's payload instead of parsing its bytes."""
    plain, data = canonical_encoding(value)
    assert data == canonical_bytes(value)
    assert same(plain, json.loads(data)) and same(plain, parse_canonical(data))
    if isinstance(value, (list, dict)):
        assert plain is not value  # a copy: changing the caller's value later changes nothing


def test_the_value_of_subclasses_is_made_of_plain_types() -> None:
    class Kind(StrEnum):
        SHEET = "sheet"

    class Seat(IntEnum):
        J1 = 1

    plain, data = canonical_encoding({"kind": Kind.SHEET, "seat": Seat.J1, "v": D("8.50")})
    assert data == b'{"kind":"sheet","seat":1,"v":"8.50"}'
    assert same(plain, json.loads(data))


@given(json_values)
def test_any_json_parser_reads_the_same_value(value: object) -> None:
    assert json.loads(canonical_bytes(value).decode("utf-8")) == value


@given(json_values, st.sampled_from(["default", "ascii", "indent", "spaced"]))
def test_other_encodings_are_rejected_unless_identical(value: object, style: str) -> None:
    styles: dict[str, dict[str, Any]] = {
        "default": {},
        "ascii": {"ensure_ascii": True, "separators": (",", ":"), "sort_keys": True},
        "indent": {"indent": 1, "ensure_ascii": False, "sort_keys": True},
        "spaced": {"ensure_ascii": False, "sort_keys": True},
    }
    other = json.dumps(value, **styles[style]).encode("utf-8")
    if other == canonical_bytes(value):
        assert parse_canonical(other) == value
    else:
        with pytest.raises(CanonicalError):
            parse_canonical(other)


@given(with_decimals)
def test_decimals_come_back_as_their_plain_strings(value: object) -> None:
    data = canonical_bytes(value)
    assert parse_canonical(data) == without_decimals(value)
    assert canonical_bytes(without_decimals(value)) == data
    for text in _decimal_strings(value):
        assert "E" not in text and "e" not in text


def _decimal_strings(value: object) -> list[str]:
    if isinstance(value, D):
        return [format(value, "f")]
    if isinstance(value, list):
        return [s for v in value for s in _decimal_strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _decimal_strings(v)]
    return []


@given(st.dictionaries(st.text(), st.integers(), min_size=1, max_size=8))
def test_keys_come_out_in_code_point_order(value: dict[str, int]) -> None:
    parsed = parse_canonical(canonical_bytes(value))
    assert isinstance(parsed, dict)
    keys = list(parsed)
    assert keys == sorted(value)
    assert keys == sorted(value, key=lambda k: k.encode("utf-8"))
