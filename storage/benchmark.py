"""Aggregation speed on a large synthetic SQLite database (a local check, not a test).

    .venv/bin/python -m storage.benchmark [--communes 10000] [--months 100] [--path FILE]

Builds provinces -> districts -> communes (one province much larger than the others), one
report per commune and month, then times the province-year aggregations.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from kernel.calendar import Month
from storage import aggregation
from storage.db import Database

COMMUNES_PER_DISTRICT = 100


def build(path: Path, communes: int, months: int) -> tuple[int, int]:
    """Fill the schema with units and reports; returns (big province id, small province id)."""
    rnd = random.Random(7)
    conn = sqlite3.connect(path)
    cur = conn.cursor()
    districts = max(2, communes // COMMUNES_PER_DISTRICT)
    big_share = int(districts * 0.7)
    provinces = [(1, "P-BIG"), (2, "P-SMALL")]
    units: list[tuple] = []
    closure: list[tuple[int, int, int]] = []
    for pid, code in provinces:
        units.append((pid, code, code, "province", None, "plan", 1))
        closure.append((pid, pid, 0))
    next_id = 3
    commune_ids = []
    for d in range(districts):
        pid = 1 if d < big_share else 2
        did = next_id
        next_id += 1
        units.append((did, f"D{d}", f"District {d}", "district", pid, "plan", 1))
        closure += [(did, did, 0), (pid, did, 1)]
        for c in range(COMMUNES_PER_DISTRICT):
            cid = next_id
            next_id += 1
            units.append((cid, f"C{d}-{c}", f"Commune {d}-{c}", "commune", did, "plan", 1))
            closure += [(cid, cid, 0), (did, cid, 1), (pid, cid, 2)]
            commune_ids.append(cid)
    cur.executemany("INSERT INTO units VALUES (?,?,?,?,?,?,?)", units)
    cur.executemany("INSERT INTO unit_closure VALUES (?,?,?)", closure)
    start = Month(2017, 1)
    month_list = [start]
    for _ in range(months - 1):
        month_list.append(month_list[-1].next())
    cols = (
        "unit_id, year, month, period, abuse, injury, marriage, abuse_violence, abuse_sexual, "
        "abuse_exploitation, abuse_other, injury_drowning, injury_traffic, injury_deaths, "
        "submitted_at, updated_at, version"
    )
    sql = f"INSERT INTO reports ({cols}) VALUES ({','.join('?' * 17)})"
    for m in month_list:
        nxt = m.next()
        stamp = datetime(nxt.year, nxt.month, rnd.randint(1, 9), 3, tzinfo=UTC)
        text = stamp.replace(tzinfo=None).isoformat(sep=" ")
        rows = [
            (cid, m.year, m.month, m.year * 100 + m.month, rnd.randint(0, 3), rnd.randint(0, 5),
             rnd.randint(0, 1), None, None, None, None, rnd.randint(0, 2), None, None, text, text,
             1)
            for cid in commune_ids
        ]
        cur.executemany(sql, rows)
    conn.commit()
    cur.execute("ANALYZE")
    conn.close()
    return 1, 2


async def measure(url: str, province_id: int, year: int) -> None:
    db = Database(url)
    start, end = Month(year, 1), Month(year, 12)
    checks = {
        "subtree_totals": lambda s: aggregation.subtree_totals(s, province_id, start, end),
        "totals_by_child": lambda s: aggregation.totals_by_child(s, province_id, start, end),
        "monthly_series": lambda s: aggregation.monthly_series(s, province_id, start, end),
        "completeness": lambda s: aggregation.completeness(s, province_id, start, end),
        "completeness_by_child": lambda s: aggregation.completeness_by_child(
            s, province_id, start, end
        ),
        "child_population": lambda s: aggregation.child_population(s, province_id, year),
    }
    async with db.read_session() as session:
        for name, run in checks.items():
            began = time.perf_counter()
            result = await run(session)
            elapsed = time.perf_counter() - began
            summary = result if not isinstance(result, list) else f"{len(result)} rows"
            print(f"  {name:<22} {elapsed * 1000:7.1f} ms   {str(summary)[:80]}")
    await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=100)
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    path = args.path or Path(tempfile.mkdtemp()) / "bench.db"
    url = f"sqlite+aiosqlite:///{path}"
    if not path.exists():
        db = Database(url)
        await db.migrate()
        await db.dispose()
        began = time.perf_counter()
        build(path, args.communes, args.months)
        print(f"built {path} in {time.perf_counter() - began:.1f} s")
    for pid, label in ((1, "big province (70% of communes)"), (2, "small province")):
        print(f"{label}, year 2020:")
        await measure(url, pid, 2020)


if __name__ == "__main__":
    asyncio.run(main())
