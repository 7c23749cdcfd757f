"""Stats queries and access scope, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from kernel.calendar import Month, month_period, quarter_period, year_period
from kernel.counts import CaseCounts
from storage import case_reports, people, scope, stats_queries, unit_tree, units
from storage.db import Database
from storage.due import due_deadline
from tests.storage_helpers import small_tree


async def _seed(db: Database) -> dict[str, int]:
    async with db.session() as session:
        tree = await small_tree(session, year=2024)
        ids = {code: unit.id for code, unit in tree.items()}
        for code, month, counts, late in [
            ("C11", Month(2025, 1), CaseCounts(1, 2, 0, abuse_sexual=1), False),
            ("C12", Month(2025, 2), CaseCounts(2, 0, 1), True),
            ("C21", Month(2025, 1), CaseCounts(7, 7, 7), False),
            ("C11", Month(2024, 1), CaseCounts(4, 0, 0), False),
            ("C11", Month(2020, 2), CaseCounts(9, 0, 0), False),
        ]:
            deadline = due_deadline(month)
            when = deadline + timedelta(hours=1) if late else deadline - timedelta(hours=1)
            await case_reports.submit_report(session, ids[code], month, counts, person_id=None,
                                             now=when)
        await people.set_role(session, 10, "supervisor", ids["D1"])
        await people.set_role(session, 20, "officer", ids["C11"])
        await people.set_role(session, 21, "officer", ids["C12"])
        await people.deactivate(session, 21)
        await session.commit()
    return ids


async def test_load_stats_for_a_district(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        d1 = await units.unit_by_code(session, "D1")
        data = await stats_queries.load_stats(
            session, d1, quarter_period(2025, 1), baseline_years=[2020]
        )
    assert (data.totals.counts.abuse, data.totals.counts.marriage, data.totals.reports) == (3, 1, 2)
    assert data.totals.counts.abuse_sexual == 1
    assert (data.previous.counts.abuse, data.previous.reports) == (4, 1)
    assert data.baselines[2020].counts.abuse == 9
    assert (data.completeness.expected, data.completeness.received) == (6, 2)
    assert data.completeness.on_time == 1
    # Populations were given for 2024 only: the latest earlier year is used, and said so.
    assert (data.population, data.population_year) == (3000, 2024)
    assert [(c.unit.code, c.totals.counts.abuse, c.completeness.on_time) for c in data.children] \
        == [("C11", 1, 1), ("C12", 2, 0)]
    assert data.plan_id == "tra-vinh-2021-2030" and data.unit.id == ids["D1"]


async def test_population_year_never_uses_a_later_year(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        assert await stats_queries.population_year(session, ids["P"], 2030) == 2024
        assert await stats_queries.population_year(session, ids["P"], 2024) == 2024
        assert await stats_queries.population_year(session, ids["P"], 2019) is None
        c21 = await units.unit_by_code(session, "C21")
        data = await stats_queries.load_stats(session, c21, month_period(Month(2025, 1)))
        early = await stats_queries.load_stats(session, c21, month_period(Month(2023, 1)))
    assert (data.population, data.population_year, data.children) == (3000, 2024, [])
    assert (early.population, early.population_year) == (None, None)


async def test_population_of_the_period_year(db: Database) -> None:
    ids = await _seed(db)
    async with db.session() as session:
        for code, year, population in [("C11", 2025, 1100), ("C12", 2025, 2200),
                                       ("C11", 2026, 1300), ("C12", 2026, 2400)]:
            await unit_tree.set_population(session, ids[code], year, population)
        await session.commit()
    async with db.read_session() as session:
        d1 = await units.unit_by_code(session, "D1")
        found = {
            year: await stats_queries.load_stats(session, d1, year_period(year))
            for year in (2023, 2024, 2025, 2026, 2027)
        }
    assert {y: (d.population, d.population_year) for y, d in found.items()} == {
        2023: (None, None), 2024: (3000, 2024), 2025: (3300, 2025), 2026: (3700, 2026),
        2027: (3700, 2026),
    }


async def test_earlier_periods_completeness(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        d1 = await units.unit_by_code(session, "D1")
        data = await stats_queries.load_stats(
            session, d1, quarter_period(2025, 1), baseline_years=[2020, 2024]
        )
    done = {y: (c.received, c.expected) for y, c in data.earlier_completeness.items()}
    assert done == {2024: (1, 6), 2020: (1, 6)}
    assert data.completeness.unit.id == ids["D1"]


async def test_export_rows_and_chart_series(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        rows = await stats_queries.export_rows(session, ids["D1"], Month(2025, 1), Month(2025, 3))
        series = await stats_queries.monthly_series(
            session, ids["P"], Month(2024, 12), Month(2025, 3)
        )
    assert [(r["unit_code"], r["month"], r["abuse"], r["on_time"]) for r in rows] == [
        ("C11", 1, 1, True), ("C12", 2, 2, False),
    ]
    assert rows[0]["abuse_sexual"] == 1 and rows[1]["abuse_sexual"] is None
    assert [(m.key, v["abuse"]) for m, v in series] == [("2025-01", 8), ("2025-02", 2)]


async def test_people_counts_and_listing(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        by_child = await stats_queries.people_counts_by_child(session, ids["P"])
        everyone = await stats_queries.people_counts(session, [ids["D1"]], active_only=False)
        listed, total = await stats_queries.people_listing(session, ids["D1"], limit=2)
        all_listed, all_total = await stats_queries.people_listing(session, None)
    assert by_child == {ids["D1"]: 2, ids["D2"]: 0}
    assert everyone == {ids["D1"]: 3}
    assert total == 3 and len(listed) == 2 and all(p.active for p, _ in listed)
    assert all_total == 3 and {p.telegram_id for p, _ in all_listed} == {10, 20, 21}
    assert {u.code for _, u in all_listed} == {"D1", "C11", "C12"}


async def test_scope_rules(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        supervisor = scope.scope_of(await people.get_person(session, 10), admin_ids={1})
        officer = scope.scope_of(await people.get_person(session, 20), admin_ids={1})
        inactive = scope.scope_of(await people.get_person(session, 21), admin_ids={1})
        admin_person = await people.get_or_create_person(session, 1)
        admin = scope.scope_of(admin_person, admin_ids={1})
        assert supervisor.role == "supervisor" and officer.role == "officer"
        assert not inactive.can_read and admin.is_admin
        assert await scope.visible_unit(session, supervisor, "c11") is not None
        assert await scope.visible_unit(session, supervisor, "C21") is None
        assert await scope.visible_unit(session, supervisor, "P") is None
        assert await scope.visible_unit(session, officer, "C11") is not None
        assert await scope.visible_unit(session, officer, "D1") is None
        assert await scope.visible_unit(session, admin, "C21") is not None
        assert await scope.visible_unit(session, inactive, "C12") is None
        assert (await scope.home_unit(session, admin)).code == "P"
        assert (await scope.home_unit(session, officer)).id == ids["C11"]
