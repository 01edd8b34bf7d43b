"""Canonical JSON for signed records (spec: docs/canonical-encoding.md).

`canonical_bytes` turns a record into the one byte string that is signed and hashed: keys sorted
by code point, no whitespace, UTF-8 without `\\u` escapes, `Decimal` as a plain JSON string kept
at the scale it was given (`Decimal("8.50")` -> `"8.50"`). `parse_canonical` reads such bytes
back and accepts them only if they are exactly what `canonical_bytes` would produce.

Refuses: floats (records hold `Decimal`, never float), NaN/Infinity, bytes, non-str keys,
duplicate keys, lone surrogates, nesting deeper than `MAX_DEPTH`, and any byte of slack.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, NoReturn

__all__ = [
    "MAX_DEPTH",
    "CanonicalError",
    "canonical_bytes",
    "canonical_encoding",
    "canonical_text_of_parsed",
    "parse_canonical",
    "sha256_hex",
]

MAX_DEPTH = 32
"""Most containers (objects and arrays) that may enclose one another; `[]` has depth 1."""


class CanonicalError(ValueError):
    """Bytes (or a value) that are not canonical JSON; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_Json = None | bool | int | str | list["_Json"] | dict[str, "_Json"]


def canonical_bytes(obj: object) -> bytes:
    """The canonical encoding of `obj`.

    Accepts None, bool, int, str, Decimal (finite), list, tuple and dict with str keys.
    Raises TypeError for floats, bytes, non-str keys and any other type; CanonicalError
    (a ValueError) for NaN/Infinity decimals, lone surrogates and nesting deeper than
    `MAX_DEPTH`.
    """
    return canonical_encoding(obj)[1]


def canonical_encoding(obj: object) -> tuple[Any, bytes]:
    """`canonical_bytes(obj)`, and the plain value it encodes (new dicts and lists, decimals
    as their strings): equal to what parsing those bytes gives back, without the parse."""
    try:
        plain = _plain_fast(obj, 0)
    except _Irregular:
        plain = _plain(obj, 0, "$")  # converts subclasses, or raises with the value's path
    text = canonical_text_of_parsed(plain)
    try:
        return plain, text.encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError(
            "string contains a lone surrogate (U+D800..U+DFFF), which UTF-8 cannot encode"
        ) from None


def canonical_text_of_parsed(value: object) -> str:
    """The canonical encoding, as text, of a value made only of what parsing canonical JSON
    gives (dict with str keys, list, str, int, bool, None): `canonical_bytes` without its
    check of every value's type, for values read back from canonical bytes. Anything else
    (a Decimal, a float, a tuple) must go through `canonical_bytes`."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


class _Irregular(Exception):
    """Something `_plain_fast` does not take on: `_plain` converts it or says where it is."""


def _plain_fast(obj: object, depth: int) -> _Json:
    """`_plain` for values of exactly the plain types, without tracking paths for errors."""
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj  # type: ignore[return-value]
    if kind is Decimal:
        if not obj.is_finite():  # type: ignore[attr-defined]
            raise _Irregular
        return format(obj, "f")
    if depth >= MAX_DEPTH:
        raise _Irregular
    if kind is dict:
        out: dict[str, _Json] = {}
        for key, value in obj.items():  # type: ignore[attr-defined]
            if type(key) is not str:
                raise _Irregular
            out[key] = _plain_fast(value, depth + 1)
        return out
    if kind is list or kind is tuple:
        return [_plain_fast(item, depth + 1) for item in obj]  # type: ignore[attr-defined]
    raise _Irregular


def _plain(obj: object, depth: int, where: str) -> _Json:
    """Validate `obj` and convert it to plain JSON types (Decimal -> str, tuple -> list)."""
    if obj is None or isinstance(obj, bool):
        return obj
    if isinstance(obj, str):
        return str.__str__(obj)  # a subclass's (a StrEnum's) text as a plain str
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        raise TypeError(f"{where}: floats are never allowed in records; use Decimal (got {obj!r})")
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise CanonicalError(f"{where}: Decimal {obj} is not finite")
        return format(obj, "f")
    if isinstance(obj, (list, tuple)):
        _check_depth(depth + 1, where)
        return [_plain(item, depth + 1, f"{where}[{i}]") for i, item in enumerate(obj)]
    if isinstance(obj, dict):
        _check_depth(depth + 1, where)
        out: dict[str, _Json] = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: object keys must be str, got {type(key).__name__}")
            out[str(key)] = _plain(value, depth + 1, f"{where}.{key}")
        return out
    if isinstance(obj, (bytes, bytearray, memoryview)):
        raise TypeError(f"{where}: bytes are not allowed in records; encode them as text first")
    raise TypeError(f"{where}: {type(obj).__name__} is not allowed in records")


def _check_depth(depth: int, where: str) -> None:
    if depth > MAX_DEPTH:
        raise CanonicalError(f"{where}: nested deeper than {MAX_DEPTH} levels")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def parse_canonical(data: bytes) -> object:
    """Parse canonical JSON, raising CanonicalError unless `data` is exactly canonical.

    Numbers come back as int, decimals as the str they were encoded as (the record's
    schema, not the encoding, says which strings are decimals).
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected bytes, got {type(data).__name__}")
    raw = bytes(data)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalError(f"not valid UTF-8 at byte {exc.start}") from None
    try:
        # A nest too deep for the parser stops at the interpreter's recursion limit; one
        # deeper than MAX_DEPTH but not that deep is refused by `canonical_bytes` below.
        value: object = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_no_float,
            parse_constant=_no_constant,
        )
    except CanonicalError:
        raise
    except RecursionError:
        raise CanonicalError(f"nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # JSONDecodeError, and int() digit limits
        raise CanonicalError(f"not JSON: {exc}") from None
    try:
        again = canonical_bytes(value)
    except CanonicalError as exc:
        raise CanonicalError(exc.reason) from None
    if again != raw:
        at = next(
            (i for i, (a, b) in enumerate(zip(again, raw, strict=False)) if a != b),
            min(len(again), len(raw)),
        )
        raise CanonicalError(f"valid JSON but not canonical (first difference at byte {at})")
    return value


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise CanonicalError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _no_float(literal: str) -> NoReturn:
    raise CanonicalError(
        f"number {literal} has a fraction or exponent; records carry decimals as strings"
    )


def _no_constant(literal: str) -> NoReturn:
    raise CanonicalError(f"{literal} is not JSON")
