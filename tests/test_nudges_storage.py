"""The reminder planner and claims on SQLite and PostgreSQL (no Telegram)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.jobs.reminders import NudgeRunner
from bot.settings import Settings
from kernel.calendar import Month
from kernel.clock import VN_TZ, FrozenClock
from kernel.counts import CaseCounts
from knowledge.loader import default_plans
from knowledge.qa import QAEngine
from storage import case_reports, nudges, people
from storage import nudge_queries as queries
from storage.db import Database
from tests.storage_helpers import officer, small_tree
from usecases.deadlines.planner import due_now, remind_again
from usecases.deadlines.policy import DIGEST, NudgePolicy
from usecases.services import Services

PLANS = default_plans()
POLICY = NudgePolicy()
OCTOBER = Month(2025, 10)


def vn(y: int, m: int, d: int, h: int = 9) -> datetime:
    return datetime(y, m, d, h, tzinfo=VN_TZ)


async def _world(db: Database) -> dict:
    """P → D1 (C11, C12), D2 (C21); one officer per commune, a supervisor on D1."""
    async with db.session() as s:
        tree = await small_tree(s)
        for telegram_id, code in ((11, "C11"), (12, "C12"), (21, "C21")):
            await officer(s, telegram_id, tree[code])
        await people.set_role(s, 1, "supervisor", tree["D1"].id)
        await people.set_reminders(s, 21, False)
        await s.commit()
    return tree


async def test_due_now_skips_reported_units_opted_out_people_and_sent_kinds(
    db: Database,
) -> None:
    tree = await _world(db)
    async with db.session() as s:
        await case_reports.submit_report(
            s, tree["C12"].id, OCTOBER, CaseCounts(0, 0, 0), person_id=None, now=vn(2025, 11, 2)
        )
        await s.commit()
    async with db.read_session() as s:
        items = await due_now(s, vn(2025, 11, 4), POLICY, PLANS, "vi")
    assert [(i.chat_id, i.kind, i.month) for i in items] == [(11, "before_1", OCTOBER)]
    async with db.session() as s:
        assert await nudges.record_nudge(s, items[0].person_id, OCTOBER, "before_1")
        await s.commit()
    async with db.read_session() as s:
        assert await due_now(s, vn(2025, 11, 4, 16), POLICY, PLANS, "vi") == []
        assert await due_now(s, vn(2025, 11, 4, 18), POLICY, PLANS, "vi") == []
        after = await due_now(s, vn(2025, 11, 6), POLICY, PLANS, "vi")
    assert {(i.chat_id, i.kind) for i in after} == {(11, "overdue_1"), (1, DIGEST)}
    digest = next(i for i in after if i.kind == DIGEST)
    assert "1/2" in digest.reply.text and "Commune 11" in digest.reply.text


async def test_unit_statuses_and_remind_again_cover_the_subtree(db: Database) -> None:
    tree = await _world(db)
    async with db.session() as s:
        await case_reports.submit_report(
            s, tree["C11"].id, OCTOBER, CaseCounts(1, 0, 0), person_id=None, now=vn(2025, 11, 3)
        )
        await s.commit()
    async with db.read_session() as s:
        statuses = await queries.unit_statuses(s, tree["P"].id, OCTOBER)
        assert [(u.code, u.reported) for u in statuses] == [
            ("C11", True), ("C12", False), ("C21", False),
        ]
        again = await remind_again(s, tree["D1"].id, OCTOBER, vn(2025, 11, 7), POLICY, "en")
    assert again.missing_units == 1
    assert [(i.chat_id, i.kind) for i in again.outgoing] == [(12, "again_20251107")]
    assert "was due" in again.outgoing[0].reply.text


async def test_claims_are_won_once_and_released_claims_can_be_won_again(db: Database) -> None:
    await _world(db)
    clock = FrozenClock(vn(2025, 11, 4))
    services = Services(Settings(), PLANS, QAEngine(PLANS), db, clock)
    first, second = NudgeRunner(services), NudgeRunner(services)
    async with db.read_session() as s:
        items = await due_now(s, clock.now(), first.policy, PLANS, "vi")
    assert len(items) == 2
    won = await asyncio.gather(first._claim(items, clock.now()), second._claim(items, clock.now()))
    assert sorted(len(w) for w in won) == [0, 2]
    async with db.session() as s:
        await queries.forget_nudge(s, items[0].person_id, OCTOBER, "before_1")
        await s.commit()
    assert [i.chat_id for i in await second._claim(items, clock.now())] == [items[0].chat_id]
