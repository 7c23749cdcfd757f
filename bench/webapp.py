"""The dashboard's completeness view for the largest province of the aggregation benchmark's
database (1,305 communes, 1,000,000 reports in all): server time against the raw SQL in the
same run, and the page's weight.

Three ways, each the median of ``RUNS`` after a warm-up:

* ``raw_sql``: the two statements the view needs (communes by district with their report for
  the month, and the districts), by ``sqlite3`` directly;
* ``view``: ``usecases.dashboard.views.completeness`` (scope check, statements through
  SQLAlchemy, sorting, locale formatting, the access log write);
* ``http``: ``GET /app/api/completeness`` through the bot's own ASGI routes (init data checked,
  JSON), in process.

Page weight: the page, its script and styles, and the view's JSON, uncompressed.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from bench.aggregation import cached_database
from bot import webapp
from bot.app import build_application, build_services
from bot.settings import Settings
from kernel.calendar import Month
from storage.due import due_deadline
from storage.models import REPORTING_LEVEL
from usecases.dashboard import views
from usecases.dashboard.init_data import WebAppUser, sign

RUNS = 15
MONTH = Month(2024, 6)
TOKEN = "123456:bench-token-for-the-dashboard"
ADMIN_TELEGRAM_ID = 1

RAW_CHILDREN = """
SELECT b.ancestor_id, count(*),
       sum(CASE WHEN r.id IS NOT NULL AND r.submitted_at < ? THEN 1 ELSE 0 END),
       sum(CASE WHEN r.id IS NOT NULL AND r.submitted_at >= ? THEN 1 ELSE 0 END),
       max(r.submitted_at)
FROM unit_closure b
JOIN units c ON c.id = b.descendant_id
JOIN units ch ON ch.id = b.ancestor_id
LEFT JOIN reports r ON r.unit_id = c.id AND r.period = ?
WHERE ch.parent_id = ? AND ch.active = 1 AND c.level = ? AND c.active = 1
GROUP BY b.ancestor_id
"""
RAW_CHILDREN_LIST = """
SELECT id, code, name, level FROM units WHERE parent_id = ? AND active = 1 ORDER BY name, code
"""


def _largest_province(path: Path) -> tuple[int, int, int]:
    """(province id, its communes, all reports)."""
    with sqlite3.connect(path) as conn:
        unit, communes = conn.execute(
            "SELECT c.ancestor_id, count(*) FROM unit_closure c "
            "JOIN units u ON u.id = c.descendant_id JOIN units p ON p.id = c.ancestor_id "
            "WHERE u.level = 'commune' AND p.level = 'province' "
            "GROUP BY c.ancestor_id ORDER BY 2 DESC LIMIT 1").fetchone()
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        conn.execute("INSERT INTO people (telegram_id, role, active, reminders_enabled, "
                     "language, created_at) VALUES (?, 'admin', 1, 1, 'vi', '2025-01-01')",
                     (ADMIN_TELEGRAM_ID,))
    return unit, communes, reports


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _raw(path: Path, unit_id: int) -> list[float]:
    deadline = due_deadline(MONTH).strftime("%Y-%m-%d %H:%M:%S.%f")
    period = MONTH.year * 100 + MONTH.month
    conn = sqlite3.connect(path)
    samples = []
    for n in range(RUNS + 1):
        began = time.perf_counter()
        conn.execute(RAW_CHILDREN, (deadline, deadline, period, unit_id,
                                    REPORTING_LEVEL)).fetchall()
        conn.execute(RAW_CHILDREN_LIST, (unit_id,)).fetchall()
        if n:
            samples.append(time.perf_counter() - began)
    conn.close()
    return samples


async def _measure(path: Path, unit_id: int) -> dict[str, Any]:
    settings = Settings.from_env({
        "TELEGRAM_BOT_TOKEN": TOKEN, "DATA_DIR": str(path.parent),
        "DATABASE_URL": f"sqlite+aiosqlite:///{path}", "BOT_NOW": "2025-06-10T09:00",
        "WEBAPP_URL": "https://bench.invalid/app/", "TELEGRAM_API_BASE_URL":
        "http://127.0.0.1:9/bot",
    })
    svc = build_services(settings)
    await svc.db.migrate()
    application = build_application(settings, services=svc)
    await svc.refresh_units()
    viewer = await views.viewer_for(svc, WebAppUser(ADMIN_TELEGRAM_ID, "vi", 0))
    view_samples, http_samples = [], []
    body = b""
    routes = webapp.routes(application, settings)
    transport = httpx.ASGITransport(app=Starlette(routes=routes))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for n in range(RUNS + 1):
            began = time.perf_counter()
            data = await views.completeness(svc, viewer, unit_id, MONTH.key)
            if n:
                view_samples.append(time.perf_counter() - began)
            init = sign({"id": ADMIN_TELEGRAM_ID}, TOKEN, auth_date=int(time.time()))
            began = time.perf_counter()
            answer = await client.get("/app/api/completeness",
                                      params={"unit": unit_id, "month": MONTH.key},
                                      headers={"Authorization": "tma " + init})
            if n:
                http_samples.append(time.perf_counter() - began)
            assert answer.status_code == 200, answer.text
            body = answer.content
        trend = await client.get("/app/api/trend", params={"unit": unit_id, "month": MONTH.key},
                                 headers={"Authorization": "tma " + init})
    await svc.db.dispose()
    return {"view": view_samples, "http": http_samples, "json": body,
            "trend_json": trend.content, "districts": len(data["rows"]),
            "communes_seen": data["counts"]["communes"]}


def run() -> dict[str, Any]:
    source, built = asyncio.run(cached_database())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dashboard.db"
        shutil.copyfile(source, path)  # the view writes the access log: not into the cache
        unit_id, communes, reports = _largest_province(path)
        raw = _raw(path, unit_id)
        measured = asyncio.run(_measure(path, unit_id))
    static = sum((webapp.STATIC / name).stat().st_size
                 for name in ("index.html", *webapp.FILES))
    raw_ms, view_ms = _median_ms(raw), _median_ms(measured["view"])
    http_ms = _median_ms(measured["http"])
    return {
        "database_build_s": built if built is not None else 0.0,
        "reports_in_database": reports,
        "province_communes": communes,
        "communes_in_view": measured["communes_seen"],
        "districts_listed": measured["districts"],
        "raw_sql_ms": raw_ms,
        "view_ms": view_ms,
        "http_ms": http_ms,
        "ratio_view_to_raw_sql": view_ms / raw_ms,
        "ratio_http_to_raw_sql": http_ms / raw_ms,
        "page_static_kb": static / 1024,
        "completeness_json_kb": len(measured["json"]) / 1024,
        "trend_json_kb": len(measured["trend_json"]) / 1024,
        "page_weight_kb": (static + len(measured["json"]) + len(measured["trend_json"])) / 1024,
    }
