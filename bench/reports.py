"""Reports saved per second: the bot (message + Confirm tap) vs submit_report vs Core inserts,
and the bot on its fast paths vs on the libraries' stock ones (FAST_PATHS=0), in one run.

Each method writes the same N reports (one per officer, each officer on their own commune)
into its own fresh SQLite file (WAL, migrated, same units and people); rounds repeat this for
earlier months and the medians are reported. The bot runs twice per round: officers one after
another, and AT_ONCE officers at the same time (as the update processor lets different users'
updates run concurrently), each on months of its own.
"""

from __future__ import annotations

import asyncio
import secrets
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select
from telegram import Update
from telegram.ext import Application

from bench.inprocess import BOT, SilentRequest, text_update
from bot.app import build_application
from bot.runtime import started
from bot.settings import Settings
from kernel.calendar import Month
from kernel.clock import VN_TZ
from kernel.counts import FIELDS, CaseCounts
from storage import people
from storage.case_reports import submit_report
from storage.db import Database
from storage.models import Person, Report, ReportVersion, Unit
from usecases.services import SERVICES_KEY, Services
from usecases.units import csv_import

TOKEN = "123456:bench-token-000000000000000000"
#: 3 November 2025 in Vietnam: October 2025 and earlier months may be reported.
NOW = datetime(2025, 11, 3, 9, 0, tzinfo=VN_TZ)
MONTHS = tuple(Month(2025, m) for m in range(10, 4, -1))  # October back to May 2025
FIRST_OFFICER = 100_000
PLAN = "tra-vinh-2021-2030"
COMMUNES_PER_DISTRICT = 50
#: Officers reporting at the same moment in the concurrent run (the bot's default allows 64).
AT_ONCE = 16


@dataclass(frozen=True)
class Row:
    """One report to save: who, where, when and the three counts."""

    telegram_id: int
    unit_code: str
    month: Month
    counts: CaseCounts

    @property
    def text(self) -> str:
        c = self.counts
        return (f"báo cáo tháng {self.month.month}/{self.month.year}: xâm hại {c.abuse}, "
                f"tai nạn thương tích {c.injury}, tảo hôn {c.marriage}")


def rows_for(officers: int, month: Month) -> list[Row]:
    return [
        Row(FIRST_OFFICER + i, f"C{i:05d}", month,
            CaseCounts(i % 4, (i * 7 + month.month) % 6, i % 2))
        for i in range(officers)
    ]


def units_csv(officers: int) -> str:
    lines = ["code,name,level,parent_code,plan_id,child_population",
             f"P,Tỉnh Bench,province,,{PLAN},"]
    for d in range((officers + COMMUNES_PER_DISTRICT - 1) // COMMUNES_PER_DISTRICT):
        lines.append(f"D{d:03d},Huyện {d},district,P,,")
    lines += [f"C{i:05d},Xã {i},commune,D{i // COMMUNES_PER_DISTRICT:03d},,1000"
              for i in range(officers)]
    return "\n".join(lines) + "\n"


async def populate(db: Database, officers: int) -> None:
    """Units, and one officer per commune (display name as in the benchmark's updates)."""
    async with db.session() as session:
        await csv_import.import_units_csv(session, units_csv(officers), population_year=2025)
        ids = dict((await session.execute(select(Unit.code, Unit.id))).all())
        for i in range(officers):
            tid = FIRST_OFFICER + i
            await people.get_or_create_person(session, tid, display_name="U")
            await people.set_role(session, tid, "officer", ids[f"C{i:05d}"])
        await session.commit()


async def fresh_db(path: Path, officers: int) -> Database:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.migrate()
    await populate(db, officers)
    return db


async def saved_reports(db: Database) -> tuple[int, int, list[tuple[Any, ...]]]:
    """(reports, versions, sorted (unit code, period, counts) of every report)."""
    async with db.read_session() as session:
        n = await session.scalar(select(func.count()).select_from(Report))
        v = await session.scalar(select(func.count()).select_from(ReportVersion))
        stmt = select(Unit.code, Report.period, Report.abuse, Report.injury, Report.marriage)
        rows = (await session.execute(stmt.join(Unit, Unit.id == Report.unit_id))).all()
        return int(n or 0), int(v or 0), sorted(tuple(row) for row in rows)


# ---------------------------------------------------------------- through the bot


def callback_update(app: Application, update_id: int, user_id: int, data: str,
                    message_id: int) -> Update:
    """A tap on an inline button of the bot's message `message_id`."""
    user = {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "vi"}
    message = {"message_id": message_id, "date": int(time.time()), "from": BOT,
               "chat": {"id": user_id, "type": "private"}, "text": "…"}
    query = {"id": str(update_id), "from": user, "chat_instance": str(user_id),
             "message": message, "data": data}
    return Update.de_json({"update_id": update_id, "callback_query": query}, app.bot)


def confirm_data(sent: dict[str, Any]) -> str:
    """The callback data of the Confirm button on the last message sent to a chat."""
    for row in (sent.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if button.get("callback_data", "").startswith("rp:ok:"):
                return button["callback_data"]
    raise LookupError(f"no Confirm button in the reply: {sent.get('text', '')[:200]!r}")


async def _one_report(app: Application, request: SilentRequest, row: Row,
                      update_id: int) -> None:
    """The one-message report, then the tap on Confirm of the bot's reply."""
    await app.process_update(text_update(app, update_id, row.telegram_id, row.text))
    data = confirm_data(request.last[row.telegram_id])
    message_id = request.last[row.telegram_id]["message_id"]
    await app.process_update(
        callback_update(app, update_id + 1, row.telegram_id, data, message_id))


async def through_bot(app: Application, request: SilentRequest, rows: list[Row],
                      first_update: int, *, officers_at_once: int = 1) -> float:
    """Reports/s: every row's report and Confirm through ``Application.process_update``.

    ``officers_at_once`` officers report at the same time (each one's updates in order), as
    the bot's update processor runs different users' updates concurrently; 1 = one after
    another. The final persistence flush (drafts, conversation states) is part of the time.
    """
    queue = iter(enumerate(rows))

    async def officer_after_officer() -> None:
        for n, row in queue:
            await _one_report(app, request, row, first_update + 2 * n)

    start = time.perf_counter()
    await asyncio.gather(*(officer_after_officer() for _ in range(officers_at_once)))
    await app.update_persistence()
    return len(rows) / (time.perf_counter() - start)


class SQLCounter:
    """Statements and transactions an engine runs while ``on`` is set."""

    def __init__(self, db: Database) -> None:
        self.on = False
        self.statements = self.transactions = 0
        engine = db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _statement(self, *_: Any) -> None:
        self.statements += self.on

    def _end(self, *_: Any) -> None:
        self.transactions += self.on


async def round_trip_us(db: Database, n: int = 500) -> float:
    """One aiosqlite call (event loop -> driver thread -> back), e.g. ``SELECT 1``."""
    async with db.engine.connect() as conn:
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        start = time.perf_counter()
        for _ in range(n):
            await driver.execute("SELECT 1")
        return (time.perf_counter() - start) / n * 1e6


# ---------------------------------------------------------------- raw storage


async def _ids(db: Database) -> tuple[dict[str, int], dict[int, int]]:
    async with db.read_session() as session:
        unit_ids = dict((await session.execute(select(Unit.code, Unit.id))).all())
        person_ids = dict(
            (await session.execute(select(Person.telegram_id, Person.id))).all())
    return unit_ids, person_ids


async def through_submit(db: Database, rows: list[Row]) -> float:
    """Reports/s: storage.case_reports.submit_report, one session and commit per report."""
    unit_ids, person_ids = await _ids(db)
    start = time.perf_counter()
    for row in rows:
        async with db.session() as session:
            result = await submit_report(
                session, unit_ids[row.unit_code], row.month, row.counts,
                person_id=person_ids[row.telegram_id],
                token=f"tg:{row.telegram_id}:{secrets.token_urlsafe(9)}", now=NOW,
            )
            assert result.saved, result.status
            await session.commit()
    return len(rows) / (time.perf_counter() - start)


async def through_core(db: Database, rows: list[Row], first_id: int) -> float:
    """Reports/s: the same report and version rows by two Core executemany, one transaction."""
    unit_ids, person_ids = await _ids(db)
    now = NOW.astimezone(UTC)
    start = time.perf_counter()
    reports, versions = [], []
    for n, row in enumerate(rows, first_id):
        given = row.counts.as_dict()
        values = {name: given.get(name) for name in FIELDS}
        person = person_ids[row.telegram_id]
        reports.append({
            "id": n, "unit_id": unit_ids[row.unit_code], "year": row.month.year,
            "month": row.month.month, "period": row.month.year * 100 + row.month.month,
            **values, "submitted_by": person, "submitted_at": now, "updated_by": person,
            "updated_at": now, "version": 1,
        })
        versions.append({
            "report_id": n, "version": 1, "action": "created", "old_values": None,
            "new_values": values, "changed_by": person, "changed_at": now,
            "client_token": f"tg:{row.telegram_id}:{secrets.token_urlsafe(9)}",
        })
    async with db.engine.begin() as conn:
        await conn.execute(insert(Report), reports)
        await conn.execute(insert(ReportVersion), versions)
    return len(rows) / (time.perf_counter() - start)


# ---------------------------------------------------------------- the benchmark


async def measure(officers: int = 400, rounds: int = 3) -> dict[str, float]:
    """Interleaved rounds (one month each) of the three methods; medians and ratios."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        def settings(name: str, fast: str) -> Settings:
            return Settings.from_env({
                "TELEGRAM_BOT_TOKEN": TOKEN,  # as deployed: repeated-update check included
                "DATABASE_URL": f"sqlite+aiosqlite:///{root / name}",
                "DATA_DIR": tmp, "BOT_NOW": NOW.isoformat(), "NUDGE_INTERVAL": "0",
                "FAST_PATHS": fast,
            })

        request, stock_request = SilentRequest(), SilentRequest()
        app = build_application(settings("bot.db", "1"), request=request)
        stock_app = build_application(settings("stock.db", "0"), request=stock_request)
        svc: Services = app.bot_data[SERVICES_KEY]
        submit_db = await fresh_db(root / "submit.db", officers)
        core_db = await fresh_db(root / "core.db", officers)
        bot_rates, together_rates, submit_rates, core_rates, trips = [], [], [], [], []
        stock_rates = []
        async with started(app), started(stock_app):
            await populate(svc.db, officers)
            await populate(stock_app.bot_data[SERVICES_KEY].db, officers)
            counter = SQLCounter(svc.db)
            for r, month in enumerate(MONTHS[:rounds]):
                rows = rows_for(officers, month)
                counter.on = True
                bot_rates.append(await through_bot(app, request, rows, 1 + r * 2 * officers))
                counter.on = False
                stock_rates.append(
                    await through_bot(stock_app, stock_request, rows, 1 + r * 2 * officers))
                together_rates.append(await through_bot(
                    app, request, rows_for(officers, MONTHS[rounds + r]),
                    1 + (rounds + r) * 2 * officers, officers_at_once=AT_ONCE))
                submit_rates.append(await through_submit(submit_db, rows))
                core_rates.append(await through_core(core_db, rows, 1 + r * officers))
                trips.append(await round_trip_us(submit_db))
            bot_saved = await saved_reports(svc.db)
        submit_saved = await saved_reports(submit_db)
        core_saved = await saved_reports(core_db)
        await submit_db.dispose()
        await core_db.dispose()
    expected = officers * rounds
    if bot_saved[:2] != (2 * expected, 2 * expected):  # one-by-one and at-once rounds
        raise AssertionError(f"bot: {bot_saved[:2]} reports, versions; expected {2 * expected}")
    sequential = {m.year * 100 + m.month for m in MONTHS[:rounds]}
    bot_saved = (expected, expected, [row for row in bot_saved[2] if row[1] in sequential])
    for name, (n, v, _) in (("bot", bot_saved), ("submit", submit_saved),
                            ("core", core_saved)):
        if n != expected or v != expected:
            raise AssertionError(f"{name}: {n} reports, {v} versions saved; expected {expected}")
    if not bot_saved[2] == submit_saved[2] == core_saved[2]:
        raise AssertionError("the three methods saved different report values")
    bot, together, submit, core, stock = (statistics.median(x) for x in (
        bot_rates, together_rates, submit_rates, core_rates, stock_rates))
    return {
        "officers": float(officers),
        "rounds": float(rounds),
        "reports_saved_per_method": float(expected),
        "bot_reports_per_s": bot,
        "bot_stock_paths_reports_per_s": stock,
        "ratio_fast_to_stock_paths": bot / stock,
        f"bot_{AT_ONCE}_officers_at_once_reports_per_s": together,
        "submit_report_reports_per_s": submit,
        "core_executemany_reports_per_s": core,
        "ratio_bot_to_submit": bot / submit,
        "ratio_bot_to_core": bot / core,
        f"ratio_bot_{AT_ONCE}_at_once_to_core": together / core,
        "ratio_submit_to_core": submit / core,
        "bot_sql_statements_per_report": counter.statements / expected,
        "bot_transactions_per_report": counter.transactions / expected,
        "aiosqlite_round_trip_us": statistics.median(trips),
    }


def run() -> dict[str, float]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.4g}")
