"""Two bot processes (``python -m bot``, webhook mode) on one PostgreSQL database.

The loopback Bot API server, in this process, delivers one officer's report conversation to
the two instances in turn; one instance is killed with SIGKILL mid-conversation and the other
finishes it. Both instances run the reminder job every second: each officer gets each
reminder once. Units and people are set up through the storage functions beforehand.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from bot.jobs.reminders import LEASE_NAME, LEASE_TTL
from bot.jobs.scheduler import runner_of
from bot.persistence import SQLPersistence
from kernel.clock import VN_TZ, FrozenClock
from storage import leases, people, unit_tree, units
from storage.db import Database
from storage.models import Report, ReportVersion
from storage.types import utcnow
from tests.bot_processes import Instance, start_instance, stop, until_ready
from tests.botapi import BotApiServer, SentCall
from tests.e2e_support import bot_world
from tests.report_world import OFFICER, OFFICER_2, OFFICER_EN, data_of, labels, populate

SECRET = "multi-instance_0123456789"
#: Tuesday 4 November 2025, 09:00: October's report is due tomorrow ("before_1" reminders).
BOT_NOW = "2025-11-04T09:00"
EXTRA_OFFICERS = tuple(range(5001, 5041))
OFFICERS = (OFFICER, OFFICER_2, OFFICER_EN, *EXTRA_OFFICERS)
WAIT = 60.0



@contextlib.contextmanager
def instances(
    server: BotApiServer, tmp_path: Path, url: str, nudge_interval: str = "1"
) -> Iterator[list[Instance]]:
    started = [
        start_instance(server, tmp_path, url, name, secret=SECRET, SHARED_STATE="1",
                       BOT_NOW=BOT_NOW, NUDGE_INTERVAL=nudge_interval)
        for name in ("a", "b")
    ]
    try:
        yield started
    finally:
        for instance in started:
            stop(instance)


async def until(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await _value(condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _value(result: Any) -> Any:
    return await result if asyncio.iscoroutine(result) else result


def reminders(server: BotApiServer) -> Counter[tuple[int, str]]:
    """How often each (chat, reminder text) was sent; every reminder tells how to stop them."""
    sent: list[SentCall] = server.calls(methods=["sendMessage"])
    return Counter((c.chat_id, c.text) for c in sent if c.text and "/remind" in c.text)


async def seed(url: str) -> None:
    db = Database(url)
    try:
        await populate(SimpleNamespace(db=db))  # type: ignore[arg-type]
        async with db.session() as session:
            district = await units.unit_by_code(session, "D1")
            assert district is not None
            for i, officer in enumerate(EXTRA_OFFICERS):
                commune = await unit_tree.add_unit(session, f"X{i}", f"Xã số {i}", "commune",
                                               district.id)
                await people.set_role(session, officer, "officer", commune.id)
            await session.commit()
    finally:
        await db.dispose()


async def stored_step(db: Database) -> tuple[object, object]:
    """The report conversation's stored state and the stored draft's step, for OFFICER."""
    persistence = SQLPersistence(db, migrate=False)
    states = await persistence.reload_for_update((OFFICER, OFFICER), ["report"])
    draft = (await persistence.get_user_data()).get(OFFICER, {}).get("report_draft") or {}
    return states["report"], draft.get("step")


@pytest.mark.postgres
async def test_a_report_survives_sigkill_of_one_instance_and_reminders_go_out_once(
    tmp_path: Path, pg_url: str
) -> None:
    await seed(pg_url)
    db = Database(pg_url)
    try:
        async with BotApiServer() as server:
            with instances(server, tmp_path, pg_url) as (a, b):
                await until_ready(a, WAIT)
                await until_ready(b, WAIT)
                # Both tick every second; the lease and the claims let one reminder through.
                await until(lambda: {chat for chat, _ in reminders(server)} >= set(OFFICERS),
                            "every officer's reminder")
                server.set_webhook_targets([a.hook, b.hook], SECRET)  # round robin from a

                (months,) = await server.ask(OFFICER, "/baocao", timeout=WAIT)  # a
                assert labels(months)[:3] == ["10/2025", "09/2025", "08/2025"]
                (abuse,) = await server.press(OFFICER, months, "rp:m:2025-10",
                                              timeout=WAIT)  # b
                assert "xâm hại trẻ em" in abuse.text
                (details,) = await server.ask(OFFICER, "2", timeout=WAIT)  # a
                assert "Trong 2 ca xâm hại trẻ em" in details.text
                # a committed that step right after handling it; then it dies without warning.
                await until(lambda: _is(stored_step(db), ("details", "details")),
                            "the stored step")
                a.proc.send_signal(signal.SIGKILL)
                a.proc.wait()
                server.set_webhook_targets([b.hook], SECRET)  # the load balancer drops a

                (injury,) = await server.ask(OFFICER, "bạo lực 1, tình dục 1", timeout=WAIT)
                assert "tai nạn thương tích" in injury.text
                (injury_details,) = await server.press(OFFICER, injury, "rp:n:1", timeout=WAIT)
                (marriage,) = await server.press(OFFICER, injury_details, "rp:s", timeout=WAIT)
                assert "tảo hôn" in marriage.text
                (summary,) = await server.ask(OFFICER, "0", timeout=WAIT)
                assert "Xâm hại trẻ em: 2 (bạo lực 1, xâm hại tình dục 1)" in summary.text
                assert "Tai nạn thương tích: 1" in summary.text and "Tảo hôn: 0" in summary.text
                (saved,) = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"),
                                              timeout=WAIT)
                assert "Đã lưu báo cáo tháng 10/2025" in saved.text
                assert b.proc.poll() is None, b.log_tail()

            delivered_to = Counter(d.url for d in server.deliveries if d.status == 200)
            assert delivered_to[a.hook] == 2 and delivered_to[b.hook] == 6
            sent = reminders(server)
            assert set(sent.values()) == {1}  # no reminder twice
            per_officer = Counter(chat for chat, _ in sent)
            assert all(per_officer[officer] == 1 for officer in OFFICERS), per_officer
            assert all("ngày mai" in text for _, text in sent)  # the one kind due today

        async with db.read_session() as session:
            (report,) = (await session.scalars(select(Report))).all()
            versions = (await session.scalars(select(ReportVersion))).all()
        assert (report.year, report.month) == (2025, 10)
        assert (report.abuse, report.abuse_violence, report.abuse_sexual) == (2, 1, 1)
        assert (report.injury, report.injury_drowning, report.marriage) == (1, None, 0)
        assert len(versions) == 1
    finally:
        await db.dispose()


async def _is(stored: Any, expected: tuple[object, object]) -> bool:
    return await stored == expected


@pytest.mark.postgres
async def test_an_instance_killed_between_its_reply_and_its_state_write_loses_no_step(
    tmp_path: Path, pg_url: str
) -> None:
    """Telegram gets its answer only once the state is written; until then the update is
    delivered again (here: to the other instance), so the step is redone, never lost."""
    await seed(pg_url)
    db = Database(pg_url)
    try:
        async with BotApiServer() as server:
            server.webhook_retries = 3  # like Telegram, try a failed delivery again
            with instances(server, tmp_path, pg_url, nudge_interval="0") as (a, b):
                await until_ready(a, WAIT)
                await until_ready(b, WAIT)
                server.set_webhook_targets([a.hook, b.hook], SECRET)  # round robin from a
                (months,) = await server.ask(OFFICER, "/baocao", timeout=WAIT)  # a
                await server.press(OFFICER, months, "rp:m:2025-10", timeout=WAIT)  # b

                # a sends its reply to "2" (the officer sees it), then waits for Telegram's
                # answer before writing the step; it is killed meanwhile.
                server.fail_next(1, status=200, hold=WAIT)
                mark = server.mark()
                delivery = asyncio.create_task(server.send_text(OFFICER, "2"))  # to a
                await until(lambda: server.calls(chat_id=OFFICER, since=mark), "a's reply")
                a.proc.send_signal(signal.SIGKILL)
                a.proc.wait()
                await asyncio.wait_for(delivery, WAIT)  # a never answered: b gets it
                first, again = server.calls(chat_id=OFFICER, since=mark)
                assert first.text == again.text and "Trong 2 ca xâm hại trẻ em" in again.text
                assert [d.status for d in server.deliveries[-2:]] == [0, 200]
                assert [d.url for d in server.deliveries[-2:]] == [a.hook, b.hook]
                assert await stored_step(db) == ("details", "details")

                server.set_webhook_targets([b.hook], SECRET)
                (injury,) = await server.ask(OFFICER, "bạo lực 2", timeout=WAIT)
                assert "tai nạn thương tích" in injury.text
                (marriage,) = await server.ask(OFFICER, "0", timeout=WAIT)
                assert "tảo hôn" in marriage.text
                (summary,) = await server.ask(OFFICER, "0", timeout=WAIT)
                assert "Xâm hại trẻ em: 2 (bạo lực 2)" in summary.text
                (saved,) = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"),
                                              timeout=WAIT)
                assert "Đã lưu báo cáo tháng 10/2025" in saved.text
                assert b.proc.poll() is None, b.log_tail()

        async with db.read_session() as session:
            (report,) = (await session.scalars(select(Report))).all()
            versions = (await session.scalars(select(ReportVersion))).all()
        assert (report.abuse, report.abuse_violence, report.injury, report.marriage) == (
            2, 2, 0, 0)
        assert len(versions) == 1
    finally:
        await db.dispose()


# ---------------------------------------------------------------- the reminder lease


async def test_reminders_wait_for_a_live_holder_and_take_over_from_a_dead_one(
    tmp_path: Path,
) -> None:
    clock = FrozenClock(datetime(2025, 11, 4, 9, tzinfo=VN_TZ))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await populate(svc)
        runner = runner_of(app)
        gone = "other-host:4242:deadbeef"
        async with svc.db.session() as session:
            assert await leases.acquire(session, LEASE_NAME, gone, LEASE_TTL)
            await session.commit()
        assert (await runner.tick(app.bot)).reason == "lease held by another instance"
        assert not reminders(server)

        # The holder died in the middle of a tick: nobody renews its lease, so it runs out.
        async with svc.db.session() as session:
            expired = utcnow() - LEASE_TTL - timedelta(seconds=1)
            assert await leases.acquire(session, LEASE_NAME, gone, LEASE_TTL, now=expired)
            await session.commit()
        result = await runner.tick(app.bot)
        assert result.reason is None and result.sent == 3
        assert {chat for chat, _ in reminders(server)} == {OFFICER, OFFICER_2, OFFICER_EN}
        async with svc.db.read_session() as session:
            assert await leases.holder_of(session, LEASE_NAME) is None  # released after
