"""`head-judge demo --watch` reveals (亮分) each contestant as it goes and serves the audience's
screen, its address shown in the console: the whole watched final under Pilot, the judges
real processes, the screen fetched over HTTP while the demo runs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import aiohttp

from head_judge.demo import watched
from head_judge.scoring import plain
from tests.head_judge.console.conftest import until


async def test_the_watched_demo_reveals_each_contestant_before_publishing(
        tmp_path: Path) -> None:
    app, demo = watched(tmp_path / "demo-output", pace=0.05, beat=0, screen_port=0,
                        reveal_gap=0.05)
    states: list[dict[str, object]] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: bool(demo.screen_url), timeout=30, what="the screen")
            shown = [f"{n.title} {n.message}" for n in app._notifications]
            assert any("观众大屏幕" in m and demo.screen_url in m for m in shown), shown
            assert demo.screen_url.endswith("/screen")
            async with aiohttp.ClientSession() as http:
                async with http.get(demo.screen_url) as page:
                    assert page.status == 200
                state_url = demo.screen_url.removesuffix("/screen") + "/state"
                await until(pilot, lambda: "the Wi-Fi drops" in
                            [s.name for s in demo.report.stages], timeout=120,
                            what="the Wi-Fi drop")
                async with http.get(state_url) as answer:  # served while the judges' port is down
                    states.append(json.loads(await answer.text()))
                await until(pilot, lambda: demo.report.complete or bool(demo.report.failure),
                            timeout=240, what="the end of the demo")
                assert demo.report.failure == ""
                async with http.get(state_url) as answer:  # still up after the last stage
                    states.append(json.loads(await answer.text()))
            await pilot.press("q")
        entries = list(demo.master.ledger.entries())
        sheets = {(x.judge, x.contestant): x for x in demo.head.sheets()}
    finally:
        await demo.shut_down()
        demo.clean_up()
    assert demo.report.audit_ok
    kinds = [(e.kind, dict(e.payload)) for e in entries]
    revealed = [p["contestant"] for k, p in kinds if k == "contestant_revealed"]
    published = next(i for i, (k, _p) in enumerate(kinds) if k == "results_published")
    assert set(revealed) == demo.scored  # every contestant who was scored, none absent
    assert all(i < published for i, (k, _p) in enumerate(kinds) if k == "contestant_revealed")
    (far,) = [p["figures"] for k, p in kinds if k == "contestant_revealed"
              and p["contestant"] == "L05"][-1:]
    shown = {j["judge"]: j["total"] for j in far["judges"]}
    assert shown["J3"] == plain(sum(sheets[("J3", "L05")].values.values(), Decimal(0))), \
        "L05 is on the screen with J3's revised sheet"
    assert states[0]["v"] == 1 and states[-1]["published"]
    names = [s.name for s in demo.report.stages]
    assert names.index("every contestant revealed on the screen") \
        < names.index("lock every contestant and publish")
