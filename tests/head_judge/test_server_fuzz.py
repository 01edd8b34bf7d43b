"""Hypothesis-generated bad requests against every endpoint of a real TLS server: every answer
is a 4xx with `{"error", "reason"}` (never a 5xx), and no row is written anywhere."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from head_judge.server import MAX_BODY_BYTES
from sync.codes import EnrolmentCode
from sync.identity import public_key_bytes
from sync.pake import TerminalExchange

from .test_master import NOW, Terminal, fixture_event, good_values
from .test_server import Served, enrol_over_tls, serving

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
ENDPOINTS = ("/v1/enrol/start", "/v1/enrol/finish", "/v1/push", "/v1/pull")

json_leaves = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
               | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20))
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)


@pytest.fixture
async def served(tmp_path: Path, fixtures_dir: Path) -> AsyncIterator[Served]:
    async with serving(tmp_path / "home", fixture_event(fixtures_dir)) as running:
        yield running


def encode(value: object) -> bytes:
    return json.dumps(value).encode()  # NaN and Infinity come out as the bare tokens


@st.composite
def deeply_nested(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(5, 20_000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('[{"b":', "}]")]))
    return (opener * depth + "0" + closer * depth).encode()


@st.composite
def wrong_shape(draw: st.DrawFn, template: dict[str, Any]) -> dict[str, Any]:
    """`template` with one field of the wrong type, one unknown field, or one field missing."""
    changed = dict(template)
    how = draw(st.sampled_from(["retype", "add", "drop"]))
    if how == "retype":
        key = draw(st.sampled_from(sorted(changed)))
        original = changed[key]
        changed[key] = draw(json_values.filter(lambda v: type(v) is not type(original)))
    elif how == "add":
        changed[draw(st.text(max_size=10).filter(lambda k: k not in changed))] = draw(
            json_values)
    else:
        del changed[draw(st.sampled_from(sorted(changed)))]
    return changed


async def assert_refused(master: Served, path: str, body: bytes) -> None:
    before = master.counts()
    async with master.session.post(master.url(path), data=body) as response:
        status = response.status
        answer = await response.json(content_type=None)
    assert 400 <= status < 500, (status, answer)
    assert isinstance(answer, dict) and set(answer) == {"error", "reason"}
    assert isinstance(answer["error"], str) and isinstance(answer["reason"], str)
    assert answer["reason"]
    assert master.counts() == before


@FUZZ
@given(path=st.sampled_from(ENDPOINTS), body=st.binary(max_size=400))
async def test_random_bytes(served: Served, path: str, body: bytes) -> None:
    await assert_refused(served, path, body)


@FUZZ
@given(path=st.sampled_from(ENDPOINTS), value=json_values)
async def test_random_json(served: Served, path: str, value: object) -> None:
    await assert_refused(served, path, encode(value))


@FUZZ
@given(path=st.sampled_from(ENDPOINTS), body=deeply_nested())
async def test_deeply_nested_json(served: Served, path: str, body: bytes) -> None:
    await assert_refused(served, path, body)


@settings(FUZZ, max_examples=6)
@given(path=st.sampled_from(ENDPOINTS), extra=st.integers(1, 64 * 1024))
async def test_oversized_bodies(served: Served, path: str, extra: int) -> None:
    body = b'{"device": "' + b"a" * (MAX_BODY_BYTES + extra) + b'", "records": []}'
    await assert_refused(served, path, body)


@dataclass(frozen=True)
class Enrolled:
    served: Served
    terminal: Terminal
    code: EnrolmentCode
    """An outstanding code for J2."""
    start: dict[str, Any]
    """A right enrolment start with that code."""
    finish: dict[str, Any]
    """The right finish of an exchange started with that code (never sent)."""


@pytest.fixture
async def enrolled_j1(served: Served) -> Enrolled:
    terminal = await enrol_over_tls(served, "J1")
    [issued] = served.master.issue_codes(["J2"], now=NOW)
    exchange = TerminalExchange(issued.code.seat, issued.code.password)
    start = {"protocol": 1, "seat": issued.code.seat,
             "pake": base64.b64encode(exchange.a).decode()}
    status, started = await served.post("/v1/enrol/start", start)
    assert status == 200, started
    key = public_key_bytes(Terminal("J2", served.master.event.id).key)
    confirm = exchange.confirm(base64.b64decode(started["pake"]), served.connector.pin, key,
                               "laptop")
    finish = {"protocol": 1, "session": started["session"],
              "device_key": base64.b64encode(key).decode(), "device_name": "laptop",
              "confirm": base64.b64encode(confirm).decode()}
    return Enrolled(served, terminal, issued.code, start, finish)


@FUZZ
@given(data=st.data())
async def test_wrong_types_unknown_and_missing_fields(enrolled_j1: Enrolled,
                                                      data: st.DataObject) -> None:
    served, terminal = enrolled_j1.served, enrolled_j1.terminal
    templates = {
        "/v1/enrol/start": enrolled_j1.start,
        "/v1/enrol/finish": enrolled_j1.finish,
        "/v1/push": terminal.push(terminal.sheet("L01", good_values(served.master.event),
                                                 commit=False)),
        "/v1/pull": terminal.pull(),
    }
    path = data.draw(st.sampled_from(ENDPOINTS))
    await assert_refused(served, path, encode(data.draw(wrong_shape(templates[path]))))


@FUZZ
@given(data=st.data())
async def test_garbage_records_are_each_rejected_and_nothing_is_written(
        enrolled_j1: Enrolled, data: st.DataObject) -> None:
    served, terminal = enrolled_j1.served, enrolled_j1.terminal
    record_like = st.fixed_dictionaries({"body": json_values.map(json.dumps) | st.text(),
                                         "sig": st.text(max_size=100)})
    records = data.draw(st.lists(record_like | json_values, min_size=1, max_size=5))
    before = served.counts()
    async with served.session.post(served.url("/v1/push"), data=encode(
            {"device": terminal.device, "records": records})) as response:
        status, answer = response.status, await response.json(content_type=None)
    if status == 200:
        assert [r["status"] for r in answer["results"]] == ["rejected"] * len(records)
        assert all(r["code"] in ("malformed", "bad_signature") for r in answer["results"])
    else:  # a float or NaN somewhere in the request, or only signatures by another key
        assert (status, answer["error"]) in ((400, "bad_request"), (403, "bad_signature"))
    assert served.counts() == before


@FUZZ
@given(message=st.text(max_size=300) | json_values.map(json.dumps) | st.binary(max_size=100))
async def test_garbage_live_hellos(served: Served, message: str | bytes) -> None:
    before = served.counts()
    ws = await served.session.ws_connect(served.url("/v1/live"))
    try:
        assert (await ws.receive_json(timeout=2))["type"] == "challenge"
        if isinstance(message, bytes):
            await ws.send_bytes(message)
        else:
            await ws.send_str(message)
        reply = await ws.receive(timeout=2)
        if reply.type is aiohttp.WSMsgType.TEXT:
            error = json.loads(reply.data)
            assert error["type"] == "error" and error["reason"]
            reply = await ws.receive(timeout=2)
        assert reply.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    finally:
        await ws.close()
    assert served.counts() == before
