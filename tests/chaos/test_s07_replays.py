"""Scenario 7: replays and equivocation over real TLS. A captured push is replayed to the same
master (a duplicate: no new row) and to the master of another final (unknown device); a record
re-signed with different content under a used sequence number (equivocation: refused, alarm
recorded); forged signatures; a revoked device. Rows written = 0 apart from the alarms."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path

import pytest

from head_judge.master import Master
from sync.event import Event
from tests.head_judge.test_master import Terminal, enrolled, good_values
from tests.head_judge.test_server import serving

from .common import figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def sheet_and_alarm_rows(master: Master) -> tuple[int, int]:
    entries = list(master.ledger.entries())
    return (sum(e.kind != "alarm" for e in entries), sum(e.kind == "alarm" for e in entries))


async def test_replays_forgeries_and_revoked_devices_write_nothing(tmp_path: Path,
                                                                   event: Event) -> None:
    other_event = dataclasses.replace(event, id=f"{event.id}-other")
    codes: dict[str, int] = {}

    def count(answer: object) -> None:
        if isinstance(answer, dict) and "results" in answer:
            for r in answer["results"]:
                codes[r["code"] or r["status"]] = codes.get(r["code"] or r["status"], 0) + 1
        elif isinstance(answer, dict):
            codes[answer["error"]] = codes.get(answer["error"], 0) + 1

    async with serving(tmp_path / "a", event) as a, serving(tmp_path / "b", other_event) as b:
        j1 = enrolled(a.master, "J1")
        first = j1.sheet("L01", good_values(event))
        captured = j1.push(first)
        status, answer = await a.post("/v1/push", captured)
        assert status == 200 and answer["results"][0]["status"] == "accepted"
        rows_a, alarms_a = sheet_and_alarm_rows(a.master)
        rows_b, _ = sheet_and_alarm_rows(b.master)
        enrolled(b.master, "J1")  # the other final has its own J1 device
        rows_b, _ = sheet_and_alarm_rows(b.master)

        attacks = 0
        for _ in range(5):  # replay to the same master
            status, answer = await a.post("/v1/push", captured)
            count(answer)
            attacks += 1
            assert status == 200 and answer["results"][0]["status"] == "duplicate"
        status, answer = await b.post("/v1/push", captured)  # to another final
        count(answer)
        attacks += 1
        assert status == 403 and answer["error"] == "unknown_device"

        # equivocation: another record signed as the same number
        twin = Terminal("J1", event.id, key=j1.key)
        lower = {k: v - 1 for k, v in good_values(event).items()}
        status, answer = await a.post("/v1/push", twin.push(twin.sheet("L01", lower)))
        count(answer)
        attacks += 1
        assert answer["results"][0]["code"] == "equivocation"

        # forged signatures: flipped bits, another key's signature, a signature from nowhere
        impostor = Terminal("J1", event.id)
        for i in range(20):
            record = j1.sheet(f"L{2 + i % 16:02d}", good_values(event), commit=False)
            wire = record.to_wire()
            sig = bytearray(base64.b64decode(wire["sig"]))
            if i % 2:
                sig[i % len(sig)] ^= 1 << (i % 8)
            else:
                sig = bytearray(base64.b64decode(impostor.sheet(
                    "L02", good_values(event), device=j1.device).to_wire()["sig"]))
            wire["sig"] = base64.b64encode(bytes(sig)).decode()
            status, answer = await a.post("/v1/push", {"device": j1.device, "records": [wire]})
            count(answer)
            attacks += 1
            # nothing in the push is signed by the device it names: refused like a stranger
            assert status == 403 and answer["error"] == "bad_signature"

        # a revoked device: J1 moved to a spare laptop
        enrolled(a.master, "J1")
        rows_after_revoke, _ = sheet_and_alarm_rows(a.master)
        status, answer = await a.post("/v1/push", j1.push(j1.sheet("L03", good_values(event))))
        count(answer)
        attacks += 1
        assert status == 403 and answer["error"] == "revoked_device"

        rows_a_after, alarms_after = sheet_and_alarm_rows(a.master)
        rows_b_after, _ = sheet_and_alarm_rows(b.master)
        alarms = [json.loads(json.dumps(e.payload)) for e in a.master.ledger.entries()
                  if e.kind == "alarm"]
    written = (rows_a_after - rows_after_revoke) + (rows_b_after - rows_b)
    figure("s07_replays", attacks=attacks, rows_written=written,
           alarms_recorded=alarms_after - alarms_a,
           refusals=",".join(f"{k}:{n}" for k, n in sorted(codes.items())))
    assert written == 0
    assert alarms_after - alarms_a == 1 and alarms[-1]["alarm"] == "equivocation"
    # only the spare laptop's code, enrolment and the revocation were written in between
    assert rows_a == rows_after_revoke - 3
