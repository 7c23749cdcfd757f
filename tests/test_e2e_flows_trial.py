"""40 scenarios written by someone who had not seen the bot's code
(tests/trials/flows_trial.yaml): stopping a guided report in every way and at every step,
/stats in everyday and wrong forms, /remind, /help per role. Sent through the real Application
over the loopback Bot API, on 3 November 2025 with C11 having reported March, June and
September 2025.

The scenarios' expectations are prose (checked by hand when they were run; see the issue's
closing note); this test keeps what holds for all of them: every message and tap gets an
answer and never an error; a cancel word ends the report and says so; after it, a number is
never a count (nothing is stored by any scenario); no statistics line shows a commune that has
not reported as zeros; a period not over is never shown as figures.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.calendar import Month
from kernel.clock import VN_TZ, FrozenClock
from kernel.counts import CaseCounts
from reports.parse import is_cancel_text
from storage import case_reports as cr
from storage.models import ReportVersion
from tests.e2e_support import bot_world
from tests.report_world import ADMIN, NOW, OFFICER, OUTSIDER, SUPERVISOR, count_rows, populate

pytestmark = pytest.mark.slow

TRIAL = Path(__file__).resolve().parent / "trials" / "flows_trial.yaml"
WAIT = 30.0
USERS = {"guest": OUTSIDER, "officer": OFFICER, "supervisor": SUPERVISOR, "admin": ADMIN}
CANCELLED = ("Đã hủy. Không có gì được lưu.", "Cancelled. Nothing was saved.",
             "Không có việc gì để hủy.", "Nothing to cancel.")
ERROR = ("Sorry, something went wrong", "Xin lỗi, đã có lỗi")
#: How a tap is described → words of the button labels (both languages).
_SYNONYMS = {"cancel": ("hủy", "cancel"), "on": ("bật", "on"), "off": ("tắt", "off"),
             "confirm": ("xác nhận", "confirm"), "bật": ("bật",), "tắt": ("tắt",)}


def _button(buttons: list[dict[str, Any]], described: str) -> str | None:
    low = described.lower()
    for b in buttons:
        if low in b["text"].lower():
            return b["text"]
    for key, words in _SYNONYMS.items():
        if key in low.split():
            for b in buttons:
                if any(w in b["text"].lower() for w in words):
                    return b["text"]
    return None


async def _seed(svc: Any, ids: dict[str, int]) -> None:
    async with svc.db.session() as session:
        for month in (3, 6, 9):
            sent = datetime(2025, month + 1, 2, tzinfo=VN_TZ)
            await cr.submit_report(session, ids["C11"], Month(2025, month), CaseCounts(1, 2, 0),
                                   person_id=None, now=sent)
        await session.commit()


async def test_unseen_flow_scenarios_through_the_chat(tmp_path: Path) -> None:
    scenarios = yaml.safe_load(TRIAL.read_text(encoding="utf-8"))
    assert len(scenarios) >= 30
    failures: list[str] = []
    for n, scenario in enumerate(scenarios):
        async with bot_world(tmp_path / str(n), clock=FrozenClock(NOW), ADMIN_IDS="1") as (
                server, _app, svc):
            await _seed(svc, await populate(svc))
            user, lang, last = USERS[scenario["user"]], scenario["lang"], None
            for step in scenario["steps"]:
                if "send" in step:
                    text = step["send"]
                    replies = await server.ask(user, text, timeout=WAIT, language_code=lang)
                else:
                    label = _button(last.buttons if last else [], step["tap"])
                    if label is None:
                        continue  # described a button this path does not show
                    text = label
                    replies = await server.press(user, last, label=label, timeout=WAIT)
                shown = "\n".join(r.text or "" for r in replies)
                if not replies or any(e in shown for e in ERROR):
                    failures.append(f"{scenario['name']}: {text!r} got {shown[:120]!r}")
                if (is_cancel_text(text) or text in ("/huy", "/cancel") or "Hủy" in text
                        or "Cancel" in text) and not any(c in shown for c in CANCELLED):
                    failures.append(f"{scenario['name']}: {text!r} did not cancel: {shown[:120]!r}")
                for line in shown.splitlines():
                    if "(C12)" in line and "0 / 0 / 0" in line:
                        failures.append(f"{scenario['name']}: C12 shown as zeros: {line}")
                if ("11/2025" in text or "2026" in text) and "📊" in shown:
                    failures.append(f"{scenario['name']}: a period not over shown: {text!r}")
                last = replies[-1] if replies else last
            if await count_rows(svc, ReportVersion) != 3:
                failures.append(f"{scenario['name']}: a report was stored or changed")
    assert not failures, "\n".join(failures)
