"""Aggregation over the unit tree: totals, per child, series, completeness, population."""

from __future__ import annotations

from datetime import UTC, datetime

from kernel.calendar import Month
from kernel.counts import CaseCounts
from storage import aggregation as agg
from storage import case_reports as cr
from storage import unit_tree
from storage.db import Database
from storage.due import due_deadline
from tests.storage_helpers import small_tree

JAN, FEB, MAR = Month(2025, 1), Month(2025, 2), Month(2025, 3)


async def _seed(db: Database) -> dict[str, int]:
    """C11 reports Jan (on time) and Feb (late); C12 Jan (on time); C21 Mar (on time).

    Also a December 2024 report (outside every range used below).
    """
    async with db.session() as session:
        tree = await small_tree(session, year=2025)
        ids = {code: unit.id for code, unit in tree.items()}

        async def put(code: str, month: Month, counts: CaseCounts, late: bool = False) -> None:
            deadline = due_deadline(month)
            when = deadline.replace(day=deadline.day + 1) if late else datetime(
                month.next().year, month.next().month, 1, tzinfo=UTC
            )
            result = await cr.submit_report(session, ids[code], month, counts, person_id=None,
                                            now=when)
            assert result.status is cr.SubmitStatus.CREATED

        await put("C11", JAN, CaseCounts(1, 2, 0, abuse_sexual=1, injury_drowning=2))
        await put("C11", FEB, CaseCounts(0, 1, 1), late=True)
        await put("C12", JAN, CaseCounts(3, 0, 0, abuse_sexual=2))
        await put("C21", MAR, CaseCounts(0, 4, 0))
        await put("C21", Month(2024, 12), CaseCounts(9, 9, 9))
        await session.commit()
    return ids


async def test_subtree_totals_and_breakdowns(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        province = await agg.subtree_totals(session, ids["P"], JAN, MAR)
        district = await agg.subtree_totals(session, ids["D1"], JAN, JAN)
        empty = await agg.subtree_totals(session, ids["D2"], JAN, FEB)
    assert province.reports == 4
    assert (province.counts.abuse, province.counts.injury, province.counts.marriage) == (4, 7, 1)
    assert province.counts.abuse_sexual == 3 and province.counts.injury_drowning == 2
    assert province.counts.abuse_violence is None
    assert district.reports == 2 and district.counts.abuse == 4
    assert empty == agg.Totals.empty()


async def test_totals_by_child_and_monthly_series(db: Database) -> None:
    ids = await _seed(db)
    async with db.read_session() as session:
        by_child = await agg.totals_by_child(session, ids["P"], JAN, MAR)
        series = await agg.monthly_series(session, ids["P"], Month(2024, 12), MAR)
    assert [(c.unit.code, c.totals.reports, c.totals.counts.injury) for c in by_child] == [
        ("D1", 3, 3), ("D2", 1, 4),
    ]
    assert [(m.key, t.reports, t.counts.abuse) for m, t in series] == [
        ("2024-12", 1, 9), ("2025-01", 2, 4), ("2025-02", 1, 0), ("2025-03", 1, 0),
    ]


async def test_completeness_and_timeliness(db: Database) -> None:
    ids = await _seed(db)
    async with db.session() as session:
        await unit_tree.add_unit(session, "C22", "Commune 22", "commune", ids["D2"])
        closed = await unit_tree.add_unit(session, "C23", "Commune 23", "commune", ids["D2"])
        await unit_tree.set_active(session, closed.id, False)
        await session.commit()
    async with db.read_session() as session:
        whole = await agg.completeness(session, ids["P"], JAN, MAR)
        per_child = await agg.completeness_by_child(session, ids["P"], JAN, MAR)
        commune = await agg.completeness(session, ids["C11"], JAN, MAR)
        # With the due day on the 1st, the reports sent on the 1st are still on time.
        strict = await agg.completeness(session, ids["P"], JAN, MAR, due_day=1)
    assert (whole.reporting_units, whole.months, whole.expected) == (4, 3, 12)
    assert (whole.received, whole.on_time) == (4, 3)
    assert whole.completeness == 4 / 12 and whole.timeliness == 3 / 12
    assert [(c.unit.code, c.expected, c.received, c.on_time) for c in per_child] == [
        ("D1", 6, 3, 2), ("D2", 6, 1, 1),
    ]
    assert (commune.expected, commune.received, commune.on_time) == (3, 2, 1)
    assert strict.on_time == 3


async def test_child_population_prefers_own_figure(db: Database) -> None:
    ids = await _seed(db)
    async with db.session() as session:
        await unit_tree.set_population(session, ids["D2"], 2025, 3500)
        await session.commit()
    async with db.read_session() as session:
        assert await agg.child_population(session, ids["D1"], 2025) == 3000
        assert await agg.child_population(session, ids["D2"], 2025) == 3500
        assert await agg.child_population(session, ids["P"], 2025) == 6000
        assert await agg.child_population(session, ids["P"], 2024) is None
        by_child = await agg.child_population_by_child(session, ids["P"], 2025)
    assert by_child == {ids["D1"]: 3000, ids["D2"]: 3500}
    assert agg.rate_per_100k(3, 6000) == 50.0
    assert agg.rate_per_100k(3, None) is None
