"""The event as plain JSON-able data, so the master can hand terminals the exact event it
runs (at enrolment and whenever it changes) and a terminal can keep it in its store.

Decimals travel as strings, dates as ISO text; `event_from_snapshot` refuses anything that
does not rebuild the model exactly (SnapshotError).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from .canonical import canonical_bytes, sha256_hex
from .event import Event


class SnapshotError(ValueError):
    pass


def event_snapshot(event: Event) -> dict[str, Any]:
    return cast(dict[str, Any], _dump(event))


def snapshot_digest(event: Event) -> str:
    """Identifies an event configuration: terminals compare it to notice changes."""
    return sha256_hex(canonical_bytes(event_snapshot(event)))


def event_from_snapshot(data: object) -> Event:
    try:
        return cast(Event, _load(Event, data))
    except (TypeError, ValueError, KeyError, InvalidOperation) as exc:
        raise SnapshotError(f"not an event snapshot: {exc}") from None


def _dump(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name))
                for f in dataclasses.fields(value) if f.init and not _omitted(value, f)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    return value


def _omitted(value: object, f: dataclasses.Field[Any]) -> bool:
    """A field added after events were first digested is left out while it holds its "not
    used" value (None, or its default), so such events keep the digest they always had."""
    mode = f.metadata.get("snapshot")
    held = getattr(value, f.name)
    return (mode == "omit_if_none" and held is None) or (
        mode == "omit_if_default" and held == f.default)


@functools.cache
def _shape(kind: type) -> tuple[dict[str, Any], list[dataclasses.Field[Any]]]:
    """A dataclass's resolved field types and init fields (looked up once per class: an event
    holds thousands of contestants)."""
    return typing.get_type_hints(kind), [f for f in dataclasses.fields(kind) if f.init]


def _load(kind: Any, data: object) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        real = [o for o in options if o is not type(None)]
        return _load(real[0], data)
    if origin is typing.Literal:
        if data not in typing.get_args(kind):
            raise ValueError(f"{data!r} not one of {typing.get_args(kind)}")
        return data
    if origin is tuple:
        if not isinstance(data, list):
            raise TypeError("expected a list")
        (item,) = typing.get_args(kind)[:1]
        return tuple(_load(item, v) for v in data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {kind.__name__}")
        hints, fields = _shape(kind)
        unknown = set(data) - {f.name for f in fields}
        if unknown:
            raise KeyError(f"unknown field(s) {sorted(unknown)} in {kind.__name__}")
        return kind(**{f.name: _load(hints[f.name], data[f.name]) for f in fields
                       if f.name in data})
    if kind is Decimal:
        if not isinstance(data, str):
            raise TypeError("expected a decimal string")
        return Decimal(data)
    if kind is dt.date:
        if not isinstance(data, str):
            raise TypeError("expected a date string")
        return dt.date.fromisoformat(data)
    if kind in (str, int, bool):
        if type(data) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(data).__name__}")
        return data
    raise TypeError(f"cannot load {kind!r}")
