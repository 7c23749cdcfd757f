"""Several bot instances on one PostgreSQL database: throughput and burst latency.

Each configuration runs real ``python -m bot`` processes in webhook mode on a fresh database
of a throwaway PostgreSQL server; the loopback Bot API server (in this process) delivers the
updates round-robin, as a load balancer would. Configurations: one instance without shared
state (``SHARED_STATE=0``, the single-instance mode), one and two instances with it.

* throughput: many officers at once, each asking questions and sending one report (a
  one-message report plus the confirm tap), each waiting for every reply before the next
  update - updates handled per second;
* burst: 2,000 officers send their report at the same moment and tap confirm as soon as the
  summary arrives - p95 of the time from an update to its reply, and of whole submissions.

Like Telegram (webhook ``max_connections`` 40) at most 40 updates are in flight to the bots at
once; an update whose delivery fails is delivered again (to the next instance).

``SEND_RATE_LIMIT=0`` lifts the bot's own 30 messages/s cap so that processing, not the cap,
is measured. Everything (bots, PostgreSQL, the loopback server and the simulated users)
shares this machine's CPUs, reported as ``cpu_busy``.

``python -m bench.instances --users 100 --burst 300`` for a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.qa_throughput import QUESTIONS
from storage import people, unit_tree
from storage.db import Database
from storage.models import Report
from tests.bot_processes import Instance, start_instance, stop, until_ready
from tests.botapi import BotApiServer, SentCall
from tests.botapi.records import VISIBLE_METHODS
from tests.pg import PgServer, start_server

SECRET = "bench-instances_0123456789"
BOT_NOW = "2025-11-03T09:00"  # October is the last complete month
REPORT_TEXT = "báo cáo tháng 10/2025: xâm hại 2, tai nạn thương tích 5, tảo hôn 0"
FIRST_OFFICER = 300_000
USERS, QUESTIONS_EACH, BURST = 400, 5, 2_000
WAIT_S = 600.0
#: Telegram's default webhook ``max_connections``: updates in flight to the bot at once.
MAX_CONNECTIONS = 40
#: (name, instances, SHARED_STATE)
CONFIGS = (("1_instance_no_shared_state", 1, "0"), ("1_instance", 1, "1"), ("2_instances", 2, "1"))


# ---------------------------------------------------------------- replies, per chat


class Replies:
    """Hands each chat's visible bot messages (sends and edits) to whoever waits for them."""

    def __init__(self, server: BotApiServer) -> None:
        self.server = server
        self._seen = len(server.sent)
        self._inbox: dict[Any, deque[SentCall]] = defaultdict(deque)
        self._changed: dict[Any, asyncio.Event] = defaultdict(asyncio.Event)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Replies:
        self._task = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _watch(self) -> None:
        while True:
            await self.server.wait_for(lambda _c: True, since=self._seen, timeout=WAIT_S)
            new = self.server.sent[self._seen :]
            self._seen += len(new)
            for call in new:
                if call.method in VISIBLE_METHODS:
                    self._inbox[call.chat_id].append(call)
                    self._changed[call.chat_id].set()

    def clear(self, chat_id: Any) -> None:
        self._inbox[chat_id].clear()

    async def next(
        self, chat_id: Any, wanted: Callable[[SentCall], bool] = lambda _c: True
    ) -> SentCall:
        """The chat's next message that is ``wanted`` (others are skipped)."""
        async with asyncio.timeout(WAIT_S):
            while True:
                inbox = self._inbox[chat_id]
                while inbox:
                    call = inbox.popleft()
                    if wanted(call):
                        return call
                event = self._changed[chat_id] = asyncio.Event()
                await event.wait()


def _confirm_data(call: SentCall) -> str | None:
    for button in call.buttons:
        if button.get("callback_data", "").startswith("rp:ok:"):
            return button["callback_data"]
    return None


# ---------------------------------------------------------------- Telegram's side


class Delivery:
    """Deliver updates as Telegram does: at most MAX_CONNECTIONS at once, a failed one again."""

    def __init__(self, server: BotApiServer) -> None:
        self.server = server
        self.retried = 0
        self._slots = asyncio.Semaphore(MAX_CONNECTIONS)

    async def text(self, user: int, text: str) -> None:
        async with self._slots:
            update = await self.server.send_text(user, text)
            await self._until_accepted(update)

    async def tap(self, user: int, message: SentCall, data: str) -> None:
        async with self._slots:
            update = await self.server.tap(user, message, data)
            await self._until_accepted(update)

    async def _until_accepted(self, update: dict[str, Any]) -> None:
        while self._status(update["update_id"]) != 200:
            self.retried += 1
            await asyncio.sleep(0.5)
            await self.server.duplicate(update)  # the same update_id, to the next instance

    def _status(self, update_id: int) -> int:
        for delivery in reversed(self.server.deliveries):
            if delivery.update_id == update_id:
                return delivery.status
        return 0


# ---------------------------------------------------------------- one simulated officer


@dataclass
class Timings:
    updates: list[float] = field(default_factory=list)  # update -> its reply
    submissions: list[float] = field(default_factory=list)  # report -> "saved"
    saved: int = 0


async def _ask(send: Delivery, replies: Replies, user: int, text: str, t: Timings) -> None:
    replies.clear(user)
    started = time.perf_counter()
    await send.text(user, text)
    await replies.next(user)
    t.updates.append(time.perf_counter() - started)


async def _report(send: Delivery, replies: Replies, user: int, t: Timings) -> None:
    replies.clear(user)
    started = time.perf_counter()
    await send.text(user, REPORT_TEXT)
    summary = await replies.next(user, lambda c: _confirm_data(c) is not None)
    tapped = time.perf_counter()
    t.updates.append(tapped - started)
    await send.tap(user, summary, _confirm_data(summary) or "")
    saved = await replies.next(user, lambda c: "lưu" in (c.text or ""))
    done = time.perf_counter()
    t.updates.append(done - tapped)
    t.submissions.append(done - started)
    t.saved += "Đã lưu" in (saved.text or "")


async def _officer(
    send: Delivery, replies: Replies, user: int, questions: int, t: Timings
) -> None:
    """Questions, with the report in the middle."""
    for i in range(questions):
        if i == questions // 2:
            await _report(send, replies, user, t)
        await _ask(send, replies, user, QUESTIONS[(user + i) % len(QUESTIONS)], t)


# ---------------------------------------------------------------- processes and machine


@contextlib.asynccontextmanager
async def _instances(
    server: BotApiServer, url: str, workdir: Path, count: int, shared: str
) -> AsyncIterator[list[Instance]]:
    started = [
        start_instance(server, workdir, url, f"bot{i}", secret=SECRET, SHARED_STATE=shared,
                       BOT_NOW=BOT_NOW, NUDGE_INTERVAL="0", SEND_RATE_LIMIT="0")
        for i in range(count)
    ]
    try:
        for instance in started:
            await until_ready(instance, timeout=120)
        server.set_webhook_targets([i.hook for i in started], SECRET)
        yield started
    finally:
        for instance in started:
            stop(instance, timeout=60)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@contextlib.contextmanager
def _cpu(instances: list[Instance], into: dict[str, float]) -> Any:
    bots = [_cpu_seconds(i.proc.pid) for i in instances]
    busy, total = _machine_ticks()
    own = time.process_time()
    yield
    busy2, total2 = _machine_ticks()
    into["cpu_busy"] = (busy2 - busy) / max(total2 - total, 1)  # share of all CPUs
    into["bot_cpu_s"] = sum(_cpu_seconds(i.proc.pid) for i in instances) - sum(bots)
    into["bench_cpu_s"] = time.process_time() - own


# ---------------------------------------------------------------- the runs


async def _seed(url: str, officers: list[int]) -> None:
    db = Database(url)
    try:
        await db.migrate()
        async with db.session() as session:
            province = await unit_tree.add_unit(session, "BENCH", "Tỉnh Bench", "province",
                                            plan_id="tra-vinh-2021-2030")
            for i, telegram_id in enumerate(officers):
                commune = await unit_tree.add_unit(session, f"B{i}", f"Xã {i}", "commune",
                                               province.id)
                await people.set_role(session, telegram_id, "officer", commune.id)
            await session.commit()
    finally:
        await db.dispose()


async def _saved_reports(url: str) -> int:
    db = Database(url)
    try:
        async with db.read_session() as session:
            return int(await session.scalar(select(func.count()).select_from(Report)) or 0)
    finally:
        await db.dispose()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


async def _one_config(
    pg: PgServer, workdir: Path, count: int, shared: str, users: int, burst: int
) -> dict[str, float]:
    name = await pg.create_database()
    url = pg.url(name)
    officers = [FIRST_OFFICER + i for i in range(users + burst)]
    steady, bursting = officers[:users], officers[users:]
    try:
        await _seed(url, officers)
        async with (
            BotApiServer() as server,
            _instances(server, url, workdir, count, shared) as bots,
            Replies(server) as replies,
        ):
            send, warm = Delivery(server), Timings()
            for user in officers[:10]:  # imports, caches, connections
                await _ask(send, replies, user, QUESTIONS[user % len(QUESTIONS)], warm)

            steady_t, out = Timings(), {}
            with _cpu(bots, out):
                started = time.perf_counter()
                await asyncio.gather(*(_officer(send, replies, u, QUESTIONS_EACH, steady_t)
                                       for u in steady))
                seconds = time.perf_counter() - started

            burst_t, burst_cpu = Timings(), {}
            with _cpu(bots, burst_cpu):
                burst_started = time.perf_counter()
                await asyncio.gather(*(_report(send, replies, u, burst_t) for u in bursting))
                burst_seconds = time.perf_counter() - burst_started
        saved = await _saved_reports(url)
    finally:
        await pg.drop_database(name)
    return {
        "updates_per_s": len(steady_t.updates) / seconds,
        "update_p95_s": _p95(steady_t.updates),
        "cpu_busy": out["cpu_busy"],
        "bot_cpu_ms_per_update": 1000 * out["bot_cpu_s"] / len(steady_t.updates),
        "burst_seconds": burst_seconds,
        "burst_update_p95_s": _p95(burst_t.updates),
        "burst_submission_p95_s": _p95(burst_t.submissions),
        "burst_cpu_busy": burst_cpu["cpu_busy"],
        "reports_saved": saved,
        "reports_confirmed": steady_t.saved + burst_t.saved,
        "deliveries_retried": send.retried,
    }


async def measure(users: int = USERS, burst: int = BURST) -> dict[str, float | int]:
    pg = start_server()
    try:
        results: dict[str, float | int] = {
            "users": users, "updates_each": QUESTIONS_EACH + 2, "burst_reports": burst,
            "cpus": os.cpu_count() or 0,
        }
        with tempfile.TemporaryDirectory() as tmp:
            for label, count, shared in CONFIGS:
                figures = await _one_config(pg, Path(tmp), count, shared, users, burst)
                results.update({f"{label}.{key}": value for key, value in figures.items()})
        one, two = results["1_instance.updates_per_s"], results["2_instances.updates_per_s"]
        plain = results["1_instance_no_shared_state.updates_per_s"]
        results["ratio_2_to_1_instances"] = two / one
        results["shared_state_cost"] = 1 - one / plain
        return results
    finally:
        pg.stop()


def run(users: int = USERS, burst: int = BURST) -> dict[str, float | int]:
    return asyncio.run(measure(users, burst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=USERS, help="officers in the steady mix")
    parser.add_argument("--burst", type=int, default=BURST, help="reports sent at once")
    args = parser.parse_args()
    for key, value in run(args.users, args.burst).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
