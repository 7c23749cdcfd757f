"""Reminders under Telegram's limits and failures: 429, 403, 5xx, dropped connections,
two bot instances, and a report that arrives while the fan-out is already planned."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from bot.jobs.reminders import LEASE_NAME, LEASE_TTL, NudgeRunner
from bot.jobs.scheduler import runner_of
from kernel.clock import FrozenClock
from storage import leases, nudges, people
from tests.botapi import BotApiServer
from tests.e2e_support import bot_world, fake_time_runner, running_app
from tests.test_e2e_deadlines import OCTOBER, OFFICERS, SUPERVISOR, report, seed, tick, vn
from usecases.deadlines.planner import due_now

BEFORE_1 = vn(2025, 11, 4)  # Tuesday: "due tomorrow" for October's report
MANY = tuple(range(1001, 1031))  # 30 officers


def nudged(server: BotApiServer) -> Counter:
    return Counter(c.chat_id for c in server.calls(methods=["sendMessage"]))


async def test_a_user_who_blocked_the_bot_is_marked_and_not_retried(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 1))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, supervisor=None)
        server.block(OFFICERS[1])
        result = await tick(app)
        assert (result.sent, result.blocked) == (2, 1)
        tries = [c for c in server.api_calls if c[1].get("chat_id") == OFFICERS[1]]
        assert [status for _m, _p, status in tries] == [403]  # once, no retry
        async with svc.db.read_session() as s:
            person = await people.get_person(s, OFFICERS[1])
            assert person is not None and person.blocked_at is not None
        clock.set(BEFORE_1)
        assert (await tick(app)).sent == 2
        assert len([c for c in server.api_calls if c[1].get("chat_id") == OFFICERS[1]]) == 1
        assert nudged(server) == {OFFICERS[0]: 2, OFFICERS[2]: 2}
        # They unblock the bot and turn reminders on: reminded again from the next nudge.
        server.unblock(OFFICERS[1])
        await server.ask(OFFICERS[1], "/remind on")
        clock.set(vn(2025, 11, 5, 9))
        assert (await tick(app)).sent == 3
        assert "05/11/2025" in server.last_message(OFFICERS[1]).text


async def test_429_is_honoured_and_nothing_is_lost_or_doubled(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, officers=MANY, supervisor=None)
        server.set_rate_limit(global_per_sec=8, per_chat_per_sec=1)  # in real time, so...
        result = await NudgeRunner(svc).tick(app.bot)  # ...the pacer keeps real time here
        assert result.sent == len(MANY) and result.released == 0
        assert server.stats.rate_limited > 0
        assert nudged(server) == dict.fromkeys(MANY, 1)


async def test_transient_errors_are_retried_with_backoff(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, supervisor=None)
        runner = fake_time_runner(svc, backoff=0.05)
        server.fail_next(2, status=500)
        server.fail_next(1, drop=True)
        result = await runner.tick(app.bot)
        assert (result.sent, result.released) == (3, 0)
        assert server.stats.errors[500] >= 2
        assert nudged(server) == dict.fromkeys(OFFICERS, 1)


async def test_undelivered_reminders_are_released_for_a_later_tick(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, supervisor=None)
        runner = fake_time_runner(svc, attempts=2, backoff=0.01)
        server.fail_next(6, status=502)  # every try of all three
        result = await runner.tick(app.bot)
        assert (result.sent, result.released) == (0, 3)
        async with svc.db.read_session() as s:
            person = await people.get_person(s, OFFICERS[0])
            assert not await nudges.was_sent(s, person.id, OCTOBER, "before_1")
        clock.set(vn(2025, 11, 4, 11))  # the same day, later: sent now, once
        assert (await runner.tick(app.bot)).sent == 3
        assert nudged(server) == dict.fromkeys(OFFICERS, 1)


async def test_two_instances_send_each_reminder_once(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with BotApiServer() as server:
        env = {"NUDGE_INTERVAL": "0"}
        async with (
            running_app(server, tmp_path, clock=clock, **env) as (app1, svc),
            running_app(server, tmp_path, clock=clock, **env) as (app2, _),
        ):
            await seed(svc, officers=MANY, supervisor=None)
            first, second = await asyncio.gather(tick(app1), tick(app2))
            assert first.sent + second.sent == len(MANY)
            # Without the lease (it was released), claims alone still prevent doubles.
            async with svc.db.read_session() as s:
                items = await due_now(s, clock.now(), runner_of(app1).policy, svc.plans, "vi")
            assert items == []
        assert nudged(server) == dict.fromkeys(MANY, 1)


async def test_claims_prevent_doubles_even_without_the_lease(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, officers=MANY, supervisor=None)
        runner_a, runner_b = fake_time_runner(svc), fake_time_runner(svc)
        async with svc.db.read_session() as s:
            items = await due_now(s, clock.now(), runner_a.policy, svc.plans, "vi")
        a, b = await asyncio.gather(
            runner_a.deliver(app.bot, items), runner_b.deliver(app.bot, items)
        )
        assert a.sent + b.sent == len(MANY) and a.skipped + b.skipped == len(MANY)
        assert nudged(server) == dict.fromkeys(MANY, 1)


async def test_a_second_instance_waits_for_the_lease(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, supervisor=None)
        holder, other = fake_time_runner(svc, holder="instance-a"), fake_time_runner(svc)
        async with svc.db.session() as s:
            assert await leases.acquire(s, LEASE_NAME, holder.holder, LEASE_TTL)
            await s.commit()
        skipped = await other.tick(app.bot)
        assert skipped.reason == "lease held by another instance"
        assert not server.calls(methods=["sendMessage"])
        assert (await holder.tick(app.bot)).sent == 3  # its own lease: goes ahead
        assert (await other.tick(app.bot)).reason is None  # released after the tick


async def test_a_report_arriving_after_planning_cancels_its_reminder(tmp_path: Path) -> None:
    clock = FrozenClock(BEFORE_1)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        communes = await seed(svc, supervisor=None)
        runner = fake_time_runner(svc)
        async with svc.db.read_session() as s:
            items = await due_now(s, clock.now(), runner.policy, svc.plans, "vi")
        assert len(items) == 3
        await report(svc, communes[2], OCTOBER, clock.now())
        result = await runner.deliver(app.bot, items)
        assert (result.sent, result.skipped) == (2, 1)
        assert OFFICERS[2] not in nudged(server)


async def test_supervisors_are_reminded_of_plan_milestones(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2026, 6, 2))  # a week before HCMC's six-monthly report (by 9 June)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, plan="hcmc-2022-2030", officers=(), supervisor=SUPERVISOR, code="HCM")
        assert (await tick(app)).sent == 1
        text = server.last_message(SUPERVISOR).text
        assert "09/06/2026" in text and "6 tháng" in text
        clock.set(vn(2026, 6, 3))
        assert (await tick(app)).sent == 0
