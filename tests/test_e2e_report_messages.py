"""Report messages in everyday forms written before the parser was changed, by someone who had
not seen the bot's code (tests/trials/report_messages.yaml): zero months, counts in words,
blanks, trailing text, markup, repeats, future months, breakdowns and plan questions, in
Vietnamese (with and without accents) and English.

Each is sent through the real Application over the loopback Bot API by an officer of its own
commune. A report must be offered for confirmation and, once confirmed, stored with exactly
the item's values; guidance must be about that report (never a plan answer) and save nothing;
a refusal must give the item's reason and save nothing; a question must be answered as one.
Items marked ``adjusted`` were changed after review: the note says why.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from kernel.clock import FrozenClock
from knowledge.normalize import fold
from storage import people, units
from storage.models import Report
from tests.e2e_support import bot_world
from tests.report_world import NOW, UNITS_CSV, data_of
from usecases.units import csv_import

pytestmark = pytest.mark.slow

TRIAL = Path(__file__).resolve().parent / "trials" / "report_messages.yaml"
WAIT = 30.0
FIRST_USER = 80_000
_TAG = re.compile(r"<[^>]+>")

#: What a reply about a report says (never a plan answer), per language (folded).
_ABOUT_REPORT = {
    "vi": ("bao cao chua duoc luu", "bao cao cho thang nao", "co bao nhieu ca", "xac nhan",
           "de bao ve tre em"),
    "en": ("the report was not saved", "which month", "how many", "confirm",
           "to protect the children"),
}
#: The reason a refusal must give, as the reply says it (folded, either language).
_REASONS = {
    "markup": ("html",),
    "repeated": ("lan trong tin nhan", "times in this message"),
    "trailing_text": ("ngoai bao cao", "besides the report", "qua dai", "too long"),
    "too_long": ("qua dai", "too long", "ngoai bao cao", "besides the report"),
    "future_month": ("chua ket thuc", "chua den", "not over", "has not come"),
    "invalid_number": ("so nguyen", "whole number", "so am", "negative", "qua nhieu",
                       "too many", "khong the lon hon", "cannot be more", "cong lai",
                       "add up to"),
    "conflicting_months": ("nhieu hon mot thang", "more than one month"),
    "personal_details": ("de bao ve tre em", "to protect the children"),
}
#: A plan answer cites its source.
_PLAN_ANSWER = ("nguon:", "source:", "chi tieu", "target", "ke hoach", "plan")


def _shown(texts: list[str | None]) -> str:
    flat = " ".join(html.unescape(_TAG.sub("", "\n".join(t or "" for t in texts))).split())
    return fold(unicodedata.normalize("NFC", flat).casefold())


async def _officers(svc: Any, count: int) -> dict[int, int]:
    """One commune and officer per item: telegram id → unit id."""
    rows = "".join(f"T{n},Xã Thử {n},commune,D1,,1000\n" for n in range(count))
    out: dict[int, int] = {}
    async with svc.db.session() as session:
        await csv_import.import_units_csv(session, UNITS_CSV + rows, population_year=2025)
        for n in range(count):
            unit = await units.unit_by_code(session, f"T{n}")
            assert unit is not None
            await people.set_role(session, FIRST_USER + n, "officer", unit.id)
            out[FIRST_USER + n] = unit.id
        await session.commit()
    return out


async def _saved(svc: Any, unit_id: int) -> list[Report]:
    async with svc.db.read_session() as session:
        stmt = select(Report).where(Report.unit_id == unit_id)
        return list((await session.scalars(stmt)).all())


def _check_report(item: dict, report: Report) -> list[str]:
    wrong = []
    month, year = (int(x) for x in item["month"].split("/"))
    if (report.year, report.month) != (year, month):
        wrong.append(f"month {report.month}/{report.year}")
    expected = item["counts"]
    for name in ("abuse", "injury", "marriage", "abuse_violence", "abuse_sexual",
                 "abuse_exploitation", "abuse_other", "injury_drowning", "injury_traffic",
                 "injury_deaths"):
        if getattr(report, name) != expected.get(name):
            wrong.append(f"{name}={getattr(report, name)} (want {expected.get(name)})")
    return wrong


async def test_everyday_report_messages_through_the_chat(tmp_path: Path) -> None:
    items = yaml.safe_load(TRIAL.read_text(encoding="utf-8"))
    assert len(items) >= 100
    failures: list[str] = []
    async with bot_world(tmp_path, clock=FrozenClock(NOW)) as (server, _app, svc):
        unit_of = await _officers(svc, len(items))
        for n, item in enumerate(items):
            user, lang, expect = FIRST_USER + n, item["lang"], item["expect"]
            replies = await server.ask(user, item["msg"], timeout=WAIT, language_code=lang)
            last = replies[-1]
            shown = _shown([r.text for r in replies])
            problem = None
            if expect == "report":
                if not any(b.get("callback_data", "").startswith("rp:ok:") for b in last.buttons):
                    problem = "not offered for confirmation"
                else:
                    await server.press(user, last, data_of(last, "rp:ok:"), timeout=WAIT)
                    saved = await _saved(svc, unit_of[user])
                    wrong = _check_report(item, saved[0]) if saved else ["nothing saved"]
                    problem = ", ".join(wrong) or None
            else:
                if await _saved(svc, unit_of[user]):
                    problem = "saved"
                elif expect == "question":
                    if any(p in shown for p in _ABOUT_REPORT[lang][:3]):
                        problem = "taken as a report"
                elif any(p in shown for p in _PLAN_ANSWER[:2]) or not any(
                        p in shown for p in _ABOUT_REPORT[lang]):
                    problem = "not a reply about the report"
                elif expect == "refused" and not any(
                        p in shown for p in _REASONS[item["reason"]]):
                    problem = f"reason {item['reason']} not given"
                elif expect == "guidance" and "missing" in item and item["missing"] != "all":
                    problem = _missing_named(shown, item["missing"], lang)
            if problem:
                failures.append(f"#{n} {item['msg']!r} [{expect}]: {problem}\n   {shown[:300]}")
    assert not failures, f"{len(failures)} of {len(items)}:\n" + "\n".join(failures)


_LABELS = {
    "vi": {"abuse": "xam hai", "injury": "tai nan thuong tich", "marriage": "tao hon"},
    "en": {"abuse": "abuse", "injury": "injur", "marriage": "marriage"},
}


def _missing_named(shown: str, missing: list[str], lang: str) -> str | None:
    """Guidance names each missing category, or asks for the counts one by one."""
    if any(p in shown for p in _ABOUT_REPORT[lang][1:3]):
        return None  # the guided report asks for each count
    absent = [m for m in missing if _LABELS[lang][m] not in shown]
    return f"missing not named: {absent}" if absent else None
