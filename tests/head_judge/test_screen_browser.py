"""The audience's pages in a real browser: Debian's headless `chromium` driven by Playwright
(the system browser, never a downloaded one), against a real master and its real screen
server (`head_judge.screen_server`) on a free port.

The browser runs with a fontconfig that knows only DejaVu (Latin), as on a venue laptop with no
Chinese font: every glyph on the pages must come from the faces the server sends. (With no
font folder at all Chromium loads no web font either.)

The figures in docs/screenshots/screen-*.png are these tests' pages; to write them again:

    SCREEN_SHOTS=docs/screenshots .venv/bin/pytest -q -p no:randomly \
        tests/head_judge/test_screen_browser.py

Skipped, saying why, where there is no chromium or no Playwright (`.ci/run` installs both).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from head_judge.reveal import reveal
from head_judge.screen_server import ScreenServer

from .test_actions import Final, close_everything, fixture_final

playwright_api = pytest.importorskip(
    "playwright.async_api", reason="Playwright for Python is not installed (pip install "
    "'.[test]')")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH: the browser tests need Debian's chromium "
    "(apt-get install chromium; .ci/run installs it)")

STATE_FIXTURE = Path(__file__).resolve().parents[1] / "data" / "screen_state.json"
SHOTS = os.environ.get("SCREEN_SHOTS")
OUR_FACES = {"WenQuanYi Micro Hei", "FK Han A", "FK Han B", "FK Han S"}
"""The families of the faces `/assets/fonts/` sends (head_judge/screen_fonts.py)."""
WAIT_MS = 5000
LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")


def _expected(fixtures_dir: Path) -> dict[str, dict[str, Any]]:
    document = json.loads((fixtures_dir / "livestream-final" / "expected-results.json")
                          .read_text(encoding="utf-8"))
    return {s["contestant"]: s for s in document["scopes"][0]["ranking"]}


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Any]:
    """Headless chromium that knows no Chinese font: DejaVu only."""
    if not LATIN_FONTS.is_dir():
        pytest.skip(f"no {LATIN_FONTS} (apt-get install fonts-dejavu-core; .ci/run does)")
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig><dir>{LATIN_FONTS}</dir>"
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
                    encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path)}
    async with playwright_api.async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, env=env)
        yield chromium
        await chromium.close()


class Site:
    """The real screen server over one master; `restart` stops it and binds the same port."""

    def __init__(self, server: ScreenServer) -> None:
        self.server = server
        self.port = 0

    async def start(self) -> None:
        self.port = await self.server.start("127.0.0.1", self.port)

    async def stop(self) -> None:
        await self.server.close()

    def url(self, page: str, animate: bool = False) -> str:
        return f"http://127.0.0.1:{self.port}/{page}" + ("" if animate else "?animate=0")


@pytest.fixture
async def site(final: Final) -> AsyncIterator[Site]:
    running = Site(ScreenServer(final.head, poll_seconds=0.05))
    await running.start()
    yield running
    await running.server.close()


class FixedScreen(ScreenServer):
    """The real server's pages, assets and fonts, sending tests/data/screen_state.json (the
    contract's example: a republished ranking, a rare character in a name) as the state."""

    def __init__(self, head: Any, state: dict[str, Any]) -> None:
        super().__init__(head)
        self.fixed = state

    def refresh(self) -> None:
        if self.version is None:
            self.version = self.fixed["version"]
            self.state_json = json.dumps(self.fixed, ensure_ascii=False).encode()
            self.frame = b"event: state\ndata: " + self.state_json + b"\n\n"


async def open_page(browser: Any, url: str, width: int = 1920, height: int = 1080) -> Any:
    page = await browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    await page.goto(url)
    # (a locator, not wait_for_function: the pages' Content-Security-Policy forbids eval)
    await page.locator("body[data-version]").wait_for(state="attached", timeout=WAIT_MS)
    await page.evaluate("document.fonts.ready.then(() => true)")
    return page


async def shoot(page: Any, name: str, tmp_path: Path, transparent: bool = False) -> Path:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    await page.screenshot(path=str(path), omit_background=transparent)
    assert path.stat().st_size > 10_000
    return path


async def text_of(page: Any, selector: str) -> str:
    return str(await page.locator(selector).first.inner_text(timeout=WAIT_MS)).strip()


async def until(check: Callable[[], Awaitable[bool]], what: str, seconds: float = 5) -> None:
    """Wait until `check()` holds (polling: the browser's push arrives on its own time)."""
    import asyncio

    for _ in range(int(seconds * 20)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {seconds} s: {what}")


def reveal_clear(final: Final, contestant: str) -> None:
    for flag in final.head.flags("open", contestant):
        final.head.accept_flag(flag.id, "genuine difference")
    reveal(final.head, contestant)


# --- the reveal -----------------------------------------------------------------------------------


async def test_a_reveal_appears_on_the_screen_and_the_overlay(
        final: Final, fixtures_dir: Path, site: Site, browser: Any, tmp_path: Path) -> None:
    expected = _expected(fixtures_dir)
    fixture_final(final, fixtures_dir)
    screen = await open_page(browser, site.url("screen"))
    assert (await text_of(screen, "#reveal")).startswith("等待亮分")
    assert expected["L08"]["final"] not in await screen.content()

    for contestant in ("L01", "L16", "L07", "L05", "L08"):
        reveal_clear(final, contestant)
    final.head.announce_on_stage("L09")
    overlay = await open_page(browser, site.url("overlay"))

    async def shows_l08() -> bool:
        return bool(await screen.locator("#reveal[data-contestant='L08']").count())
    await until(shows_l08, "the screen shows L08's reveal without a reload")
    for page in (screen, overlay):
        assert await text_of(page, ".final-value") == expected["L08"]["final"]
        totals = await page.locator(".judge .total").all_inner_texts()
        assert [t.strip() for t in totals] == list(expected["L08"]["judges"].values())
        struck = await page.locator(".judge.dropped .seat .l1").all_inner_texts()
        assert struck == [f"评委{j[1:]}" for j in sorted(expected["L08"]["dropped"])]
        assert await page.locator("#stale").is_hidden()
        assert page.errors == []
    assert "L09" not in await text_of(screen, "#on-stage")  # the name, not the id
    assert final.event.contestant("L09").name in await text_of(screen, "#on-stage")
    board = await screen.locator(".board.is-provisional .row .rname").all_inner_texts()
    order = sorted(("L01", "L16", "L07", "L05", "L08"),
                   key=lambda c: -Decimal(expected[c]["final"]))
    assert board == [final.event.contestant(c).name for c in order]
    assert "暂定" in await text_of(screen, ".board .badge")
    assert await text_of(screen, ".row.highlight .score") == expected["L08"]["final"]
    await shoot(screen, "screen-big.png", tmp_path)
    await shoot(overlay, "screen-overlay.png", tmp_path, transparent=True)
    transparent = await overlay.evaluate(
        "getComputedStyle(document.body).backgroundColor")
    assert transparent in ("rgba(0, 0, 0, 0)", "transparent")


async def test_the_reveal_animates_for_about_three_seconds_unless_told_not_to(
        final: Final, fixtures_dir: Path, site: Site, browser: Any) -> None:
    fixture_final(final, fixtures_dir)
    reveal_clear(final, "L08")
    animated = await open_page(browser, site.url("screen", animate=True))
    durations = await animated.evaluate(
        "document.getAnimations().map(a => a.effect.getComputedTiming().endTime)")
    assert durations and 2500 <= max(durations) <= 4000
    still = await open_page(browser, site.url("screen"))
    assert await still.evaluate("document.getAnimations().filter(a => "
                                "a.effect.target.closest('#reveal')).length") == 0


# --- published results ----------------------------------------------------------------------------


async def test_a_published_ranking_appears_on_results_and_a_new_version_says_so(
        final: Final, fixtures_dir: Path, site: Site, browser: Any, tmp_path: Path) -> None:
    expected = _expected(fixtures_dir)
    fixture_final(final, fixtures_dir)
    phone = await open_page(browser, site.url("results"), 390, 844)
    assert (await text_of(phone, "#published")).startswith("成绩尚未发布")
    assert expected["L08"]["final"] not in await phone.content()

    close_everything(final)
    final.head.publish(("live", None))

    async def published() -> bool:
        return bool(await phone.locator(".ranking .result").count())
    await until(published, "the phone shows the published ranking without a reload")
    names = await phone.locator(".result .rname").all_inner_texts()
    ranking = sorted(expected.values(), key=lambda s: s["rank"])
    assert names == [final.event.contestant(s["contestant"]).name for s in ranking]
    scores = await phone.locator(".result .score").all_inner_texts()
    assert scores == [s["final"] for s in ranking]
    assert (await text_of(phone, ".result .prize .l1")) == "一等奖"
    assert "第1版" in await text_of(phone, ".ranking-meta")
    wide = await phone.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, "nothing sticks out sideways on a phone"
    narrow = await open_page(browser, site.url("results"), 360, 740)
    assert await narrow.evaluate("document.documentElement.scrollWidth") <= 360
    assert await narrow.locator(".result .rname").first.is_visible()
    await shoot(phone, "screen-results-phone.png", tmp_path)

    screen = await open_page(browser, site.url("screen"))
    assert "已发布 第1版" in await text_of(screen, ".board .badge")
    assert await screen.locator(".board .row .prize").count() > 0

    # an appeal changes a figure: the head judge publishes version 2, and every page says so
    final.head.unlock("L07", "申诉 appeal")
    final.head.override_value("J1", "L07", "integrity", "9", "申诉复核 appeal review")
    final.head.lock("L07")
    final.head.publish(("live", None), reason="申诉后更新 after an appeal")

    async def second() -> bool:
        return "第2版" in await text_of(phone, ".ranking-meta") and \
            "第2版" in await text_of(screen, ".board .badge")
    await until(second, "version 2 on the phone and on the big screen")
    assert "已更新为第2版" in await text_of(phone, ".ranking-meta")
    desk = await open_page(browser, site.url("results"))
    await shoot(desk, "screen-results.png", tmp_path)
    await shoot(screen, "screen-big-published.png", tmp_path)


async def test_a_ranking_under_an_appeal_window_says_provisional_then_official(
        final: Final, fixtures_dir: Path, site: Site, browser: Any, tmp_path: Path) -> None:
    """Issue 27: 暂定 with the time appeals close, on the phone and the big screen, then 正式
    once the window closed, without a reload."""
    import dataclasses
    import datetime as dt

    from head_judge.appeals import declare_official
    from sync.event import AppealRules

    final.master._event = dataclasses.replace(final.master.event,
                                              appeal_rules=AppealRules(window_minutes=30))
    fixture_final(final, fixtures_dir)
    close_everything(final)
    final.head.publish(("live", None))
    phone = await open_page(browser, site.url("results"), 390, 844)
    screen = await open_page(browser, site.url("screen"))

    async def provisional() -> bool:
        return "暂定 · 申诉截止" in await text_of(phone, ".ranking-meta") and \
            "申诉截止" in await text_of(screen, ".board-head")
    await until(provisional, "暂定 on the phone and on the big screen")
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    await shoot(phone, "screen-results-provisional-phone.png", tmp_path)
    final.clock.now += dt.timedelta(minutes=31)
    assert declare_official(final.head)

    async def official() -> bool:
        return "正式成绩" in await text_of(phone, ".ranking-meta") and \
            "正式成绩" in await text_of(screen, ".board-head")
    await until(official, "正式 on the phone and on the big screen")
    assert "申诉截止" not in await text_of(phone, ".ranking-meta")
    await shoot(screen, "screen-big-official.png", tmp_path)


# --- losing the master ----------------------------------------------------------------------------


async def test_the_pages_say_they_are_stale_while_the_server_is_gone_and_recover(
        final: Final, fixtures_dir: Path, site: Site, browser: Any) -> None:
    pages = [await open_page(browser, site.url(name)) for name in ("screen", "results")]
    for page in pages:
        assert await page.locator("#stale").is_hidden()
    await site.stop()

    async def all_stale() -> bool:
        return all([await p.locator("#stale").is_visible() for p in pages])
    await until(all_stale, "the stale badge on every page")
    for page in pages:
        assert "连接中断，正在重连" in await text_of(page, "#stale")
        assert "reconnecting" in await text_of(page, "#stale")

    fixture_final(final, fixtures_dir)
    reveal_clear(final, "L08")  # while the pages are away
    site.server = ScreenServer(final.head, poll_seconds=0.05)
    await site.start()

    async def all_fresh() -> bool:
        return all([await p.locator("#stale").is_hidden() for p in pages])
    await until(all_fresh, "the badge gone once the server is back", seconds=10)
    assert await text_of(pages[0], ".final-value") == _expected(fixtures_dir)["L08"]["final"]


# --- fonts and words ------------------------------------------------------------------------------


async def _fonts_of_every_text(page: Any) -> dict[str, set[str]]:
    """The faces Chromium drew each element's own text with, by the element's text."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("DOM.enable")
    await cdp.send("CSS.enable")
    root = (await cdp.send("DOM.getDocument", {"depth": -1}))["root"]["nodeId"]
    found = await cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})
    faces: dict[str, set[str]] = {}
    for node in found["nodeIds"]:
        fonts = (await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node}))["fonts"]
        if fonts:
            text = (await cdp.send("DOM.getOuterHTML", {"nodeId": node}))["outerHTML"][:80]
            faces[text] = {f["familyName"] for f in fonts if f["glyphCount"]}
    return faces


@pytest.mark.parametrize("name", ["screen", "overlay", "results"])
async def test_every_character_is_drawn_with_a_face_the_server_sends(
        final: Final, browser: Any, name: str) -> None:
    state = json.loads(STATE_FIXTURE.read_text(encoding="utf-8"))
    fixed = Site(FixedScreen(final.head, state))
    await fixed.start()
    try:
        page = await open_page(browser, fixed.url(name))
        faces = await _fonts_of_every_text(page)
        assert faces, "no text drawn"
        strangers = {text: got - OUR_FACES for text, got in faces.items() if got - OUR_FACES}
        assert strangers == {}
        if name != "overlay":
            assert any("䶮" in text and "FK Han A" in got for text, got in faces.items())
        assert page.errors == []
    finally:
        await fixed.stop()


async def test_every_word_of_the_pages_has_chinese_and_english(final: Final,
                                                                browser: Any) -> None:
    fixed = Site(FixedScreen(final.head, json.loads(STATE_FIXTURE.read_text("utf-8"))))
    await fixed.start()
    try:
        page = await open_page(browser, fixed.url("screen"))
        words = await page.evaluate("window.screenWords")
        assert words and all(set(w) == {"zh", "en"} and all(w.values())
                             for w in words.values())
        # Chinese first: the first language of the event is the large line everywhere
        firsts = await page.locator(".bi > :first-child").evaluate_all(
            "els => els.map(e => e.lang)")
        assert set(firsts) == {"zh-CN"}
    finally:
        await fixed.stop()
