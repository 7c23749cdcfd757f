"""The supervisors' dashboard (Telegram Mini App) in a real browser: Debian's Chromium driven by
Playwright, against the bot's own process (the real Application, the loopback Bot API).

Opened with init data signed by the bot token, as Telegram opens it: the completeness table
matches the database, the month changes, a province supervisor drills down to a district,
exports reach the chat, the reminder follows the chat's rules; an officer sees only their
commune; forged, expired and strangers' init data get no data at all. Screenshots of each view
on a 360-pixel phone, light and dark, are saved under ``build/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from bot.webapp import PORT_KEY
from kernel.calendar import Month
from kernel.clock import VN_TZ, FrozenClock
from kernel.counts import CaseCounts
from storage import case_reports as cr
from storage import people
from storage.models import AccessLog
from tests.e2e_support import bot_world
from tests.report_world import NOW, OFFICER, SUPERVISOR, count_rows, populate
from usecases.dashboard.init_data import sign

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
PROVINCE_SUPERVISOR = 401
STRANGER = 999
PHONE = {"width": 360, "height": 740}
DARK = {"bg_color": "#17212b", "text_color": "#f5f5f5", "hint_color": "#708499",
        "link_color": "#6ab3f3", "button_color": "#5288c1", "button_text_color": "#ffffff",
        "secondary_bg_color": "#232e3c"}
WAIT_MS = 15_000
#: A week after October's due date (5 November): a missing October report is overdue.
LATER = datetime(2025, 11, 10, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required under CI (.ci/run installs it)", pytrace=False)
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            await launched.close()


async def _world(svc: Any) -> dict[str, int]:
    """Trà Vinh: D1 (C11 on time in October, C12 missing), D2 (C21 late); September all on
    time in D1; a province supervisor."""
    ids = await populate(svc)
    on_time, late = datetime(2025, 11, 2, 10, tzinfo=VN_TZ), datetime(2025, 11, 7, tzinfo=VN_TZ)
    async with svc.db.session() as session:
        await people.set_role(session, PROVINCE_SUPERVISOR, "supervisor", ids["TV"])
        await cr.submit_report(session, ids["C11"], Month(2025, 10), CaseCounts(1, 2, 0),
                               person_id=None, now=on_time)
        await cr.submit_report(session, ids["C21"], Month(2025, 10), CaseCounts(0, 1, 0),
                               person_id=None, now=late)
        for code in ("C11", "C12"):
            await cr.submit_report(session, ids[code], Month(2025, 9), CaseCounts(0, 1, 1),
                                   person_id=None, now=datetime(2025, 10, 3, tzinfo=VN_TZ))
        await session.commit()
    await svc.refresh_units()
    return ids


def _url(port: int, init_data: str, *, dark: bool = False, **query: str) -> str:
    launch = {"tgWebAppData": init_data, "tgWebAppVersion": "8.0", "tgWebAppPlatform": "tdesktop"}
    if dark:
        import json

        launch["tgWebAppThemeParams"] = json.dumps(DARK)
    return f"http://127.0.0.1:{port}/app/?{urlencode(query)}#{urlencode(launch)}"


def _init(token: str, user_id: int, *, age: int = 10, lang: str = "vi") -> str:
    return sign({"id": user_id, "first_name": "Cán bộ", "language_code": lang}, token,
                auth_date=int(time.time()) - age)


async def _rows(page: Any) -> list[tuple[str, str]]:
    items = await page.query_selector_all("ul.rows li")
    out = []
    for item in items:
        name = await (await item.query_selector(".name")).evaluate("n => n.firstChild.textContent")
        out.append((name, await item.get_attribute("data-status")))
    return out


async def _tiles(page: Any) -> dict[str, str]:
    found = {}
    for key in ("communes", "on_time", "late", "missing"):
        found[key] = await page.inner_text(f".tile.{key} b")
    return found


async def _until(page: Any, selector: str, wanted: Any, timeout_s: float = 15.0) -> str:
    """The text of ``selector`` once ``wanted(text)`` holds (polled from here: the page's
    content security policy forbids evaluating strings, as it should)."""
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        found = await page.query_selector(selector)
        text = await found.inner_text() if found else ""
        if wanted(text):
            return text
        await page.wait_for_timeout(50)
    raise AssertionError(f"{selector}: {text!r}")


def _settings() -> dict[str, str]:
    return {"ADMIN_IDS": "1", "WEBAPP_URL": "http://127.0.0.1:9/app/", "WEBAPP_PORT": "0"}


async def test_a_supervisor_sees_completeness_trend_targets_and_exports(
    tmp_path: Path, browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    async with bot_world(tmp_path, clock=FrozenClock(LATER), **_settings()) as (
            server, app, svc):
        ids = await _world(svc)
        port = app.bot_data[PORT_KEY]
        # the chat offers the dashboard under /stats, at the unit and month shown
        (stats,) = await server.ask(SUPERVISOR, "/thongke", timeout=30)
        opener = [b for b in stats.buttons if "web_app" in b][0]
        assert opener["text"] == "📊 Mở bảng điều khiển"
        assert f"unit={ids['D1']}" in opener["web_app"]["url"]
        assert "month=2025-10" in opener["web_app"]["url"]

        page = await browser.new_page(viewport=PHONE)
        await page.goto(_url(port, _init(server.token, PROVINCE_SUPERVISOR),
                             view="completeness", month="2025-10"))
        await page.wait_for_selector("ul.rows li", timeout=WAIT_MS)
        assert await page.inner_text("#unit") == "Tỉnh Trà Vinh"
        assert await _tiles(page) == {"communes": "3", "on_time": "1", "late": "1",
                                      "missing": "1"}
        # the district with a commune missing first
        assert await _rows(page) == [("Huyện Càng Long", "missing"), ("Huyện Cầu Kè", "late")]
        assert "1 đúng hạn · 0 muộn · 1 chưa gửi, trên 2 xã" in await page.inner_text("ul.rows")
        assert "đã quá hạn" in await page.inner_text("main")
        await page.screenshot(path=SHOTS / "webapp-completeness-province.png", full_page=True)

        # drill down to the district: its communes, the missing one first
        await page.click("ul.rows li >> text=Huyện Càng Long")
        await _until(page, "#unit", lambda t: t == "Huyện Càng Long")
        await page.wait_for_selector("li[data-status='missing'] >> text=Xã Bình Phú",
                                     timeout=WAIT_MS)
        assert await _rows(page) == [("Xã Bình Phú", "missing"), ("Xã An Trường", "on_time")]
        assert await _tiles(page) == {"communes": "2", "on_time": "1", "late": "0",
                                      "missing": "1"}
        assert "Tỉnh Trà Vinh" in await page.inner_text("#path")
        await page.screenshot(path=SHOTS / "webapp-completeness-district.png", full_page=True)

        # another month: September, both communes on time
        await page.select_option("#month", "2025-09")
        await _until(page, ".tile.on_time b", lambda t: t == "2")
        assert await _tiles(page) == {"communes": "2", "on_time": "2", "late": "0",
                                      "missing": "0"}
        assert await page.is_hidden("#remind")

        # the trend and the targets, in the page's language, nothing fetched from elsewhere
        await page.click("#tab-trend")
        await page.wait_for_selector("svg.chart", timeout=WAIT_MS)
        assert len(await page.query_selector_all("svg.chart")) == 3
        assert "Xâm hại trẻ em" in await page.inner_text("main")
        await page.screenshot(path=SHOTS / "webapp-trend.png", full_page=True)
        await page.click("#tab-targets")
        await page.wait_for_selector(".targets li", timeout=WAIT_MS)
        targets = await page.inner_text("main")
        assert "Chỉ tiêu 9" in targets and "Chỉ tiêu 13" in targets and "Nguồn:" in targets
        assert "Chưa đủ báo cáo để đánh giá" in targets  # 3 of 20 reports: not judged
        await page.screenshot(path=SHOTS / "webapp-targets.png", full_page=True)

        # exports go to the chat with the bot
        since = server.mark()
        await page.click("#export-csv")
        (sent,) = await server.wait_for(1, chat_id=PROVINCE_SUPERVISOR, methods=["sendDocument"],
                                        since=since, timeout=30)
        assert sent.files and "reports_D1_2025-01_2025-09.csv" in next(
            iter(sent.files.values())).filename
        await _until(page, "#notice", lambda t: "Đã gửi" in t)
        await page.click("#export-xlsx")
        await server.wait_for(1, chat_id=PROVINCE_SUPERVISOR, methods=["sendDocument"],
                              since=server.mark() - 0, timeout=30)

        # the reminder to the missing commune, by the chat's rules (working hours, once a day)
        await page.click("#tab-completeness")
        await page.select_option("#month", "2025-10")
        await page.wait_for_selector("#remind:not([hidden])", timeout=WAIT_MS)
        assert await page.inner_text("#remind") == "Nhắc 1 xã chưa gửi báo cáo 10/2025"
        await page.click("#remind")
        notice = await _until(page, "#notice", lambda t: len(t) > 12 and "…" not in t)
        assert "1" in notice, notice

        # dark theme from Telegram's theme parameters, at the same phone size
        dark = await browser.new_page(viewport=PHONE, color_scheme="dark")
        await dark.goto(_url(port, _init(server.token, SUPERVISOR), dark=True,
                             view="completeness", month="2025-10"))
        await dark.wait_for_selector("ul.rows li", timeout=WAIT_MS)
        background = await dark.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(23, 33, 43)"
        await dark.screenshot(path=SHOTS / "webapp-completeness-dark.png", full_page=True)

        # every read was written to the access log
        assert await count_rows(svc, AccessLog) >= 8


async def test_before_the_due_date_a_missing_report_is_not_yet_overdue(
    tmp_path: Path, browser: Any
) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), **_settings()) as (server, app, svc):
        await _world(svc)
        page = await browser.new_page(viewport=PHONE)
        await page.goto(_url(app.bot_data[PORT_KEY], _init(server.token, SUPERVISOR),
                             month="2025-10"))
        await page.wait_for_selector("ul.rows li", timeout=WAIT_MS)
        assert await _rows(page) == [("Xã Bình Phú", "pending"), ("Xã An Trường", "on_time")]
        assert "chưa gửi" in await page.inner_text("li[data-status='pending']")
        assert "chưa quá hạn" in await page.inner_text("main")
        assert await page.is_hidden("#remind")  # as in the chat: reminders after the due date


async def test_an_officer_sees_only_their_commune(tmp_path: Path, browser: Any) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), **_settings()) as (server, app, svc):
        ids = await _world(svc)
        port = app.bot_data[PORT_KEY]
        page = await browser.new_page(viewport=PHONE)
        await page.goto(_url(port, _init(server.token, OFFICER, lang="en"),
                             month="2025-10", unit=str(ids["D1"])))
        await page.wait_for_selector(".error", timeout=WAIT_MS)  # D1 is not theirs
        await page.goto(_url(port, _init(server.token, OFFICER, lang="en"), month="2025-10"))
        await page.wait_for_selector("ul.rows li", timeout=WAIT_MS)
        assert await page.inner_text("#unit") == "Xã An Trường"
        assert await _rows(page) == [("Xã An Trường", "on_time")]
        assert await page.inner_text("#tab-completeness") == "Who reported"
        assert await page.is_hidden("#remind")
        # asking the API for the district directly: 403, no data
        headers = {"Authorization": "tma " + _init(server.token, OFFICER)}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for path in ("completeness", "trend", "targets", "units"):
                answer = await client.get(f"/app/api/{path}",
                                          params={"unit": ids["D1"], "month": "2025-10"},
                                          headers=headers)
                assert answer.status_code == 403 and "Xã" not in answer.text


async def test_forged_expired_and_strangers_init_data_get_nothing(
    tmp_path: Path, browser: Any
) -> None:
    async with bot_world(tmp_path, clock=FrozenClock(NOW), **_settings()) as (server, app, svc):
        await _world(svc)
        port = app.bot_data[PORT_KEY]
        good = _init(server.token, SUPERVISOR)
        cases = {
            "forged": good.replace("id%22%3A201", "id%22%3A401"),
            "another bot": _init("654321:another-bots-token", SUPERVISOR),
            "expired": _init(server.token, SUPERVISOR, age=7200),
            "stranger": _init(server.token, STRANGER),
            "none": "",
        }
        for name, init_data in cases.items():
            page = await browser.new_page(viewport=PHONE)
            await page.goto(_url(port, init_data, month="2025-10"))
            await page.wait_for_selector(".error", timeout=WAIT_MS)
            body = await page.inner_text("body")
            assert "Xã" not in body and "Huyện" not in body, name
            assert await page.query_selector_all("ul.rows li") == [], name
            await page.close()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for name, init_data in cases.items():
                answer = await client.get("/app/api/completeness",
                                          headers={"Authorization": ("tma " + init_data).strip()})
                expected = 403 if name == "stranger" else 401
                assert answer.status_code == expected, name
                assert "Xã" not in answer.text and "rows" not in answer.text
            page = await client.get("/app/")
            policy = page.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "default-src 'none'" in policy
