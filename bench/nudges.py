"""Reminder fan-out through the loopback Bot API server at Telegram's limits.

5,000 officers are due a reminder at once; the server allows 30 messages a second (one per
chat) and answers 429 beyond that. Meanwhile a user asks a question about every second.
Reports the delivered rate, lost and doubled reminders, and the questions' latency.

``python -m bench.nudges --nudges 500`` for a quick run (the full run takes ~3.5 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.qa_throughput import QUESTIONS
from bot.jobs.scheduler import runner_of
from kernel.clock import VN_TZ, FrozenClock
from storage import people, unit_tree
from tests.botapi import BotApiServer
from tests.e2e_support import running_app

FULL_RUN = 5_000
OFFICERS_PER_COMMUNE = 5
FIRST_OFFICER = 100_000
ASKERS = tuple(range(900_001, 900_021))
#: Tuesday 4 November 2025, 09:00: October's report is due tomorrow.
NUDGE_TIME = datetime(2025, 11, 4, 9, 0, tzinfo=VN_TZ)


async def _seed(services: Any, count: int) -> list[int]:
    officers = [FIRST_OFFICER + i for i in range(count)]
    async with services.db.session() as s:
        province = await unit_tree.add_unit(s, "BENCH", "Tỉnh Bench", "province",
                                        plan_id="tra-vinh-2021-2030")
        commune = None
        for i, telegram_id in enumerate(officers):
            if i % OFFICERS_PER_COMMUNE == 0:
                commune = await unit_tree.add_unit(
                    s, f"BENCH-{i}", f"Xã {i // OFFICERS_PER_COMMUNE}", "commune", province.id
                )
            assert commune is not None
            await people.set_role(s, telegram_id, "officer", commune.id)
        await s.commit()
    return officers


async def _ask_until(server: BotApiServer, done: asyncio.Event) -> list[float]:
    """About one question a second, each from one of a few users; the reply latencies."""
    latencies: list[float] = []
    i = 0
    while not done.is_set():
        started = time.perf_counter()
        await server.ask(ASKERS[i % len(ASKERS)], QUESTIONS[i % len(QUESTIONS)], timeout=120)
        latencies.append(time.perf_counter() - started)
        i += 1
        await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))
    return latencies


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


async def measure(count: int = FULL_RUN) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(NUDGE_TIME)
        async with BotApiServer() as server, running_app(
            server, Path(tmp), clock=clock, NUDGE_INTERVAL="0"
        ) as (app, services):
            seed_started = time.perf_counter()
            officers = await _seed(services, count)
            seed_seconds = time.perf_counter() - seed_started
            for user in ASKERS[:3]:  # warm up the question path
                await server.ask(user, "/start", timeout=60)
            server.set_rate_limit(global_per_sec=30, per_chat_per_sec=1)
            limited_before = server.stats.rate_limited
            mark = server.mark()

            done = asyncio.Event()
            asker = asyncio.create_task(_ask_until(server, done))
            started = time.perf_counter()
            result = await runner_of(app).tick(app.bot)
            seconds = time.perf_counter() - started
            done.set()
            latencies = await asker

            wanted = set(officers)
            calls = [c for c in server.calls(methods=["sendMessage"], since=mark)
                     if c.chat_id in wanted]
            per_chat = Counter(c.chat_id for c in calls)
            span = (max(c.at for c in calls) - min(c.at for c in calls)) if calls else 0.0
            return {
                "nudges": count,
                "seed_seconds": seed_seconds,
                "fanout_seconds": seconds,
                "delivered": len(calls),
                "lost": sum(1 for o in officers if per_chat[o] == 0),
                "doubled": sum(1 for n in per_chat.values() if n > 1),
                "delivered_per_s": (len(calls) - 1) / span if span else 0.0,
                "peak_messages_per_s": server.stats.peak_per_second,
                "rate_limited_429": server.stats.rate_limited - limited_before,
                "tick_sent": result.sent,
                "tick_failed": result.failed + result.released + result.uncertain,
                "questions": len(latencies),
                "question_latency_median_s": statistics.median(latencies) if latencies else 0.0,
                "question_latency_p95_s": _p95(latencies),
            }


def run(count: int = FULL_RUN) -> dict[str, float | int]:
    return asyncio.run(measure(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nudges", type=int, default=FULL_RUN, help="reminders to send")
    args = parser.parse_args()
    for key, value in run(args.nudges).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
