"""30 dashboard scenarios written by someone who had not seen the code
(tests/trials/dashboard_trial.yaml), played in Debian's Chromium against the bot's process on
3 November 2025 (October due on the 5th: not overdue yet).

Their expectations are prose, checked by hand when they were run (see the issue's closing
note); this test keeps what must hold in every one: the page always ends with content (data
or a clear message), never a blank page or a spinner; officers, deactivated officers and
strangers never see another unit; no month that is not over is offered; before the due date
nothing is called missing or overdue and no reminder can be sent; an expired link says so.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from sqlalchemy import update

from bot.webapp import PORT_KEY
from kernel.clock import FrozenClock
from storage.models import Person
from tests.e2e_support import bot_world
from tests.report_world import NOW, OFFICER, OFFICER_2, SUPERVISOR
from tests.test_webapp_browser import DARK, PROVINCE_SUPERVISOR, _settings, _world, browser
from usecases.dashboard.init_data import sign

__all__ = ["browser"]  # the fixture, shared with the browser tests
pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TRIAL = Path(__file__).resolve().parent / "trials" / "dashboard_trial.yaml"
WHO = {"province_supervisor": PROVINCE_SUPERVISOR, "district_supervisor": SUPERVISOR,
       "officer": OFFICER, "deactivated_officer": OFFICER_2, "stranger": 999}
#: What a commune officer (An Trường) must never see.
OTHERS = ("Bình Phú", "Cầu Kè", "Hòa Ân", "Huyện Càng Long", "Tỉnh Trà Vinh")


async def _step(page: Any, kind: str, value: Any) -> None:
    selectors = {
        "tap_tab": f"#tab-{value}",
        "drill": "li.drill[data-status='missing'], li.drill[data-status='pending']"
        if value == "first_missing" else "li.drill",
        "up": "#path button >> nth=-1",
        "remind": "#remind:not([hidden])",
        "export": f"#export-{value}",
    }
    if kind == "choose_month":
        if await page.query_selector(f"#month option[value='{value}']"):
            await page.select_option("#month", value)
        return
    target = page.locator(selectors[kind]).first
    if await target.count() and await target.is_visible():
        await target.click(timeout=5000)  # waits until the element is stable


async def _settled(page: Any) -> str:
    """The page's text once nothing is loading any more."""
    deadline = time.monotonic() + 15
    text = ""
    while time.monotonic() < deadline:
        text = await page.inner_text("body")
        if text.strip() and "Đang tải" not in text and "Loading" not in text:
            return text
        await page.wait_for_timeout(50)
    raise AssertionError(f"still loading or blank: {text[:200]!r}")


async def test_unseen_dashboard_scenarios(tmp_path: Path, browser: Any) -> None:
    scenarios = yaml.safe_load(TRIAL.read_text(encoding="utf-8"))
    assert len(scenarios) >= 30
    failures: list[str] = []
    async with bot_world(tmp_path, clock=FrozenClock(NOW), **_settings()) as (server, app, svc):
        ids = await _world(svc)
        async with svc.db.session() as session:
            await session.execute(update(Person).where(Person.telegram_id == OFFICER_2)
                                  .values(active=False))
            await session.commit()
        svc.people.forget(OFFICER_2)
        port = app.bot_data[PORT_KEY]
        for scenario in scenarios:
            name, who = scenario["name"], scenario["who"]
            age = 86_400 + 60 if scenario["opened"] == "one_day_old" else 10
            init = sign({"id": WHO[who], "first_name": "X", "language_code": scenario["lang"]},
                        server.token, auth_date=int(time.time()) - age)
            start = scenario["start"]
            unit = {"own": None, "district": ids["D1"], "commune": ids["C12"]}[start["unit"]]
            query = {"month": start["month"], **({"unit": unit} if unit else {})}
            launch = {"tgWebAppData": init}
            if scenario["theme"] == "dark":
                launch["tgWebAppThemeParams"] = json.dumps(DARK)
            page = await browser.new_page(viewport={"width": 360, "height": 740},
                                          color_scheme=scenario["theme"])
            await page.goto(f"http://127.0.0.1:{port}/app/?{urlencode(query)}#"
                            f"{urlencode(launch)}")
            text = await _settled(page)
            for step in scenario["steps"] or []:
                kind, value = next(iter(step.items()))
                await _step(page, kind, value)
                text = await _settled(page)
            options = [await o.get_attribute("value")
                       for o in await page.query_selector_all("#month option")]
            if "2025-11" in options:
                failures.append(f"{name}: November (not over) offered")
            if who in ("officer", "deactivated_officer", "stranger") and any(
                    other in text for other in OTHERS):
                failures.append(f"{name}: another unit shown to {who}")
            if scenario["opened"] == "one_day_old" and "hết hạn" not in text:
                failures.append(f"{name}: an expired link not said to be expired")
            october = options and await page.input_value("#month") == "2025-10"
            if october and await page.query_selector("li[data-status='missing']"):
                failures.append(f"{name}: a commune called missing before the due date")
            if october and await page.is_visible("#remind"):
                failures.append(f"{name}: a reminder offered before the due date")
            await page.close()
    assert not failures, "\n".join(failures)
