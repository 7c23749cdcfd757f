"""Province-year /stats aggregates over 1,000,000 reports: storage.aggregation vs raw SQL.

The synthetic SQLite database (10 provinces, ~20 districts each, ~50 communes per district,
10,000 communes x 100 months) is cached under ``data/bench/``; a second run skips building it.
Report values are a fixed function of the commune and the month.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month, year_period
from kernel.counts import FIELDS
from storage import aggregation as agg
from storage.db import Database
from storage.due import DEFAULT_DUE_DAY, DEFAULT_TZ, due_deadline
from storage.models import Unit
from storage.stats_queries import load_stats

CACHE_DIR = Path(__file__).resolve().parent.parent / "data" / "bench"
PROVINCES, DISTRICTS, COMMUNES, MONTHS = 10, 200, 10_000, 100
FIRST_MONTH = Month(2017, 1)
YEAR = 2020
RUNS = 7
SEED = 7


# ---------------------------------------------------------------- the synthetic database


def _split(total: int, parts: int, low: int, high: int, rnd: random.Random) -> list[int]:
    """`parts` random sizes in [low, high] summing to `total`."""
    sizes = [rnd.randint(low, high) for _ in range(parts)]
    while (diff := total - sum(sizes)) != 0:
        i = rnd.randrange(parts)
        step = 1 if diff > 0 else -1
        if low <= sizes[i] + step <= high:
            sizes[i] += step
    return sizes


def _units(rnd: random.Random) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, int]],
                                        list[int]]:
    """Unit rows, closure rows and commune ids of the province/district/commune tree."""
    units: list[tuple[Any, ...]] = []
    closure: list[tuple[int, int, int]] = []
    communes: list[int] = []
    per_province = _split(DISTRICTS, PROVINCES, 15, 25, rnd)
    per_district = iter(_split(COMMUNES, DISTRICTS, 30, 70, rnd))
    next_id = 1
    for p, districts in enumerate(per_province):
        pid, next_id = next_id, next_id + 1
        units.append((pid, f"P{p:02d}", f"Tỉnh {p}", "province", None, "plan", 1))
        closure.append((pid, pid, 0))
        for d in range(districts):
            did, next_id = next_id, next_id + 1
            units.append((did, f"P{p:02d}D{d:02d}", f"Huyện {p}-{d}", "district", pid, None, 1))
            closure += [(did, did, 0), (pid, did, 1)]
            for c in range(next(per_district)):
                cid, next_id = next_id, next_id + 1
                units.append((cid, f"P{p:02d}D{d:02d}C{c:02d}", f"Xã {p}-{d}-{c}", "commune",
                              did, None, 1))
                closure += [(cid, cid, 0), (did, cid, 1), (pid, cid, 2)]
                communes.append(cid)
    return units, closure, communes


def _fill(path: Path) -> None:
    """Units and one report per commune and month."""
    rnd = random.Random(SEED)
    units, closure, communes = _units(rnd)
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO units (id, code, name, level, parent_id, plan_id, active) "
                     "VALUES (?,?,?,?,?,?,?)", units)
    conn.executemany("INSERT INTO unit_closure (ancestor_id, descendant_id, depth) "
                     "VALUES (?,?,?)", closure)
    cols = ("unit_id, year, month, period, abuse, injury, marriage, abuse_violence, "
            "abuse_sexual, abuse_exploitation, abuse_other, injury_drowning, injury_traffic, "
            "injury_deaths, submitted_at, updated_at, version")
    sql = f"INSERT INTO reports ({cols}) VALUES ({','.join('?' * 17)})"
    month = FIRST_MONTH
    for _ in range(MONTHS):
        after = month.next()
        stamps = [f"{after.year:04d}-{after.month:02d}-{day:02d} 03:00:00.000000"
                  for day in range(1, 10)]
        conn.executemany(sql, [
            (cid, month.year, month.month, month.year * 100 + month.month, rnd.randint(0, 3),
             rnd.randint(0, 5), rnd.randint(0, 1), None, None, None, None, rnd.randint(0, 2),
             None, None, stamp, stamp, 1)
            for cid in communes
            for stamp in (stamps[rnd.randrange(9)],)
        ])
        month = after
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


async def cached_database() -> tuple[Path, float | None]:
    """The cached database file, built first if missing; (path, build seconds or None)."""
    path = CACHE_DIR / f"aggregation-{PROVINCES}p-{COMMUNES}c-{MONTHS}m-s{SEED}.db"
    if path.exists():
        return path, None
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".building")
    for stale in CACHE_DIR.glob(partial.name + "*"):
        stale.unlink()
    began = time.perf_counter()
    db = Database(f"sqlite+aiosqlite:///{partial}")
    await db.migrate()
    await db.dispose()
    await asyncio.to_thread(_fill, partial)
    with sqlite3.connect(partial) as conn:  # one self-contained file before the rename
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    partial.rename(path)
    return path, time.perf_counter() - began


# ---------------------------------------------------------------- the two ways

SUMS = ", ".join(f"sum(r.{name})" for name in FIELDS) + ", count(r.id)"
SUBTREE = ("FROM unit_closure c JOIN reports r ON r.unit_id = c.descendant_id "
           "WHERE c.ancestor_id = ? AND r.period BETWEEN ? AND ?")
CHILDREN = ("FROM units u JOIN unit_closure c ON c.ancestor_id = u.id "
            "JOIN reports r ON r.unit_id = c.descendant_id "
            "WHERE u.parent_id = ? AND r.period BETWEEN ? AND ?")
REPORTING = ("FROM unit_closure c JOIN units u ON u.id = c.descendant_id "
             "AND u.level = 'commune' AND u.active ")


def _deadline_case(start: Month, end: Month) -> tuple[str, list[Any]]:
    whens, params = [], []
    for m in agg.months_between(start, end):
        deadline = due_deadline(m, DEFAULT_DUE_DAY, DEFAULT_TZ).astimezone(UTC)
        whens.append("WHEN ? THEN ?")
        params += [m.year * 100 + m.month, f"{deadline.replace(tzinfo=None):%Y-%m-%d %H:%M:%S.%f}"]
    return f"CASE r.period {' '.join(whens)} END", params


def _raw_completeness(conn: sqlite3.Connection, where: str, unit_id: int, start: Month,
                      end: Month) -> list[tuple[Any, ...]]:
    """(unit, reporting units, received, on time) for the units `where` selects."""
    span = (start.year * 100 + start.month, end.year * 100 + end.month)
    deadline, params = _deadline_case(start, end)
    expected = dict(conn.execute(
        f"SELECT c.ancestor_id, count(*) {REPORTING} WHERE {where} GROUP BY c.ancestor_id",
        (unit_id,)).fetchall())
    received = conn.execute(
        f"SELECT c.ancestor_id, count(r.id), coalesce(sum(r.submitted_at < {deadline}), 0) "
        f"{REPORTING} JOIN reports r ON r.unit_id = c.descendant_id "
        f"WHERE {where} AND r.period BETWEEN ? AND ? GROUP BY c.ancestor_id",
        (*params, unit_id, *span)).fetchall()
    return sorted((uid, expected.get(uid, 0), got, on_time) for uid, got, on_time in received)


def raw_parts(conn: sqlite3.Connection, unit_id: int, start: Month,
              end: Month) -> dict[str, Callable[[], Any]]:
    """The same figures by hand-written GROUP BY queries (sqlite3: no ORM, no async)."""
    span = (unit_id, start.year * 100 + start.month, end.year * 100 + end.month)
    inside = "c.ancestor_id IN (SELECT id FROM units WHERE parent_id = ?)"
    return {
        "totals": lambda: tuple(conn.execute(f"SELECT {SUMS} {SUBTREE}", span).fetchone()),
        "by_child": lambda: sorted(conn.execute(
            f"SELECT c.ancestor_id, {SUMS} {CHILDREN} GROUP BY c.ancestor_id", span)),
        "monthly": lambda: sorted(conn.execute(
            f"SELECT r.period, {SUMS} {SUBTREE} GROUP BY r.period", span)),
        "completeness": lambda: (
            _raw_completeness(conn, "c.ancestor_id = ?", unit_id, start, end),
            _raw_completeness(conn, inside, unit_id, start, end),
        ),
    }


def _row(totals: agg.Totals) -> tuple[Any, ...]:
    values = totals.counts.as_dict()
    return (*(values.get(name) for name in FIELDS), totals.reports)


def _done(c: agg.Completeness) -> tuple[int, int, int, int]:
    return (c.unit.id, c.reporting_units, c.received, c.on_time)


def aggregation_parts(session: AsyncSession, unit_id: int, start: Month,
                      end: Month) -> dict[str, Callable[[], Awaitable[Any]]]:
    """The figures /stats shows, via storage.aggregation (results shaped like raw_parts)."""
    async def totals() -> Any:
        return _row(await agg.subtree_totals(session, unit_id, start, end))

    async def by_child() -> Any:
        rows = await agg.totals_by_child(session, unit_id, start, end)
        return sorted((c.unit.id, *_row(c.totals)) for c in rows if c.totals.reports)

    async def monthly() -> Any:
        rows = await agg.monthly_series(session, unit_id, start, end)
        return sorted((m.year * 100 + m.month, *_row(t)) for m, t in rows if t.reports)

    async def completeness() -> Any:
        whole = await agg.completeness(session, unit_id, start, end)
        children = await agg.completeness_by_child(session, unit_id, start, end)
        return [_done(whole)], sorted(_done(c) for c in children if c.received)

    return {"totals": totals, "by_child": by_child, "monthly": monthly,
            "completeness": completeness}


def _comparable(value: Any) -> Any:
    """Raw SUMs over no rows are NULL where aggregation says 0; compare rows as tuples."""
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(v) for v in value)
    return 0 if value is None else value


# ---------------------------------------------------------------- the benchmark


async def measure(runs: int = RUNS) -> dict[str, Any]:
    path, built = await cached_database()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sizes = conn.execute(
        "SELECT c.ancestor_id, count(*) FROM unit_closure c JOIN units u "
        "ON u.id = c.descendant_id AND u.level = 'commune' JOIN units p ON p.id = c.ancestor_id "
        "AND p.level = 'province' GROUP BY c.ancestor_id ORDER BY 2 DESC").fetchall()
    reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    province, communes = sizes[0]  # the largest province: the slowest province-year
    start, end = Month(YEAR, 1), Month(YEAR, 12)
    db = Database(f"sqlite+aiosqlite:///{path}")
    via_agg: dict[str, list[float]] = defaultdict(list)
    via_raw: dict[str, list[float]] = defaultdict(list)
    via_stats = []
    try:
        for _ in range(runs):  # interleaved, so both see the same machine load
            raw = raw_parts(conn, province, start, end)
            async with db.read_session() as session:  # one session per /stats, as the bot
                for name, part in aggregation_parts(session, province, start, end).items():
                    began = time.perf_counter()
                    figures = await part()
                    via_agg[name].append(time.perf_counter() - began)
                    began = time.perf_counter()
                    expected = raw[name]()
                    via_raw[name].append(time.perf_counter() - began)
                    if _comparable(figures) != _comparable(expected):
                        raise AssertionError(f"{name}: storage.aggregation and raw SQL disagree")
            async with db.read_session() as session:
                unit = await session.get(Unit, province)
                began = time.perf_counter()
                await load_stats(session, unit, year_period(YEAR))
                via_stats.append(time.perf_counter() - began)
    finally:
        await db.dispose()
        conn.close()
    agg_ms = {name: statistics.median(times) * 1000 for name, times in via_agg.items()}
    raw_ms = {name: statistics.median(times) * 1000 for name, times in via_raw.items()}
    aggregation = statistics.median(map(sum, zip(*via_agg.values(), strict=True))) * 1000
    raw_total = statistics.median(map(sum, zip(*via_raw.values(), strict=True))) * 1000
    return {
        "database": str(path.relative_to(CACHE_DIR.parent.parent)),
        "generation_s": f"{built:.1f}" if built is not None else "cached (skipped)",
        "reports": reports,
        "province_communes": communes,
        "runs": runs,
        "aggregation_ms": aggregation,
        "raw_sql_ms": raw_total,
        "ratio_aggregation_to_raw": aggregation / raw_total,
        **{f"{name}_ms (aggregation / raw)": f"{agg_ms[name]:.1f} / {raw_ms[name]:.1f}"
           for name in agg_ms},
        "load_stats_ms (whole /stats query)": statistics.median(via_stats) * 1000,
    }


def run() -> dict[str, Any]:
    return asyncio.run(measure())


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")
