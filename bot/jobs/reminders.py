"""One scheduler tick: take the lease, work out what is due, claim it, send it.

Exactly-once in practice: each reminder is recorded under its unique key (person, month,
kind) in the same transaction that re-checks it is still wanted, *before* it is sent; only
the first claimant sends. A message that could not be delivered because of transient errors
has its claim dropped so a later tick (the same day) tries again. The lease keeps a second
bot instance from doing the work twice; the claims alone would already prevent duplicates.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from itertools import groupby

from telegram import Bot

from handlers.outbox import DEFAULT_RATE, Outcome, Pacer, deliver, fanout_bot
from kernel.calendar import Month
from kernel.metrics import NUDGES_SENT
from storage import leases, people
from storage import nudge_queries as queries
from storage.nudges import record_nudge
from usecases.deadlines.planner import AgainPlan, Outgoing, due_now, remind_again
from usecases.services import Services

log = logging.getLogger(__name__)

LEASE_NAME = "report-nudges"
LEASE_TTL = timedelta(minutes=5)

KeepGoing = Callable[[], bool]


@dataclass
class TickResult:
    """What one tick (or one "remind again") did."""

    planned: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    uncertain: int = 0
    released: int = 0  # not delivered (transient errors): a later tick tries again
    skipped: int = 0  # claimed elsewhere already, or the unit reported in the meantime
    reason: str | None = None  # why nothing was attempted

    def count(self, outcome: Outcome) -> None:
        name = "released" if outcome is Outcome.RETRY_LATER else outcome.value
        setattr(self, name, getattr(self, name) + 1)
        if outcome is Outcome.SENT:
            NUDGES_SENT.inc()

    def as_dict(self) -> dict[str, int | str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class NudgeRunner:
    """Reminders for one Application: its pacing, its lease holder name, its tick guard."""

    def __init__(
        self,
        services: Services,
        *,
        rate: float = DEFAULT_RATE,
        workers: int = 8,
        batch: int = 50,
        holder: str | None = None,
        attempts: int = 5,
        backoff: float = 1.0,
        pacer: Pacer | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``pacer`` and ``sleep`` (between retries) are real time unless given (tests drive
        them with a fake clock)."""
        self.services = services
        self.policy = services.nudge_policy
        self.pacer = pacer or Pacer(rate)
        self.sleep = sleep
        self.workers = workers
        self.batch = batch
        self.attempts, self.backoff = attempts, backoff
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._busy = asyncio.Lock()

    @property
    def language(self) -> str:
        return self.services.settings.default_language

    # ------------------------------------------------------------------ the tick

    async def tick(self, bot: Bot, *, keep_going: KeepGoing = lambda: True) -> TickResult:
        """Send whatever is due now; skipped while a previous tick is still sending."""
        if self._busy.locked():
            return TickResult(reason="busy")
        async with self._busy:
            now = self.services.clock.now()
            if not self.policy.is_working_time(now):
                return TickResult(reason="outside working hours")
            if not await self._lease(leases.acquire):
                return TickResult(reason="lease held by another instance")
            try:
                async with self.services.db.read_session() as session:
                    items = await due_now(
                        session, now, self.policy, self.services.plans, self.language
                    )
                renewed = time.monotonic()

                async def still_ours() -> bool:
                    nonlocal renewed
                    if time.monotonic() - renewed < LEASE_TTL.total_seconds() / 3:
                        return True
                    renewed = time.monotonic()
                    return await self._lease(leases.renew)

                result = await self.deliver(
                    bot, items, now=now, keep_going=keep_going, before_batch=still_ours
                )
            finally:
                await self._release()
        if result.planned:
            log.info("reminders: %s", result.as_dict())
        return result

    async def _lease(self, operation: Callable[..., Awaitable[bool]]) -> bool:
        async with self.services.db.session() as session:
            held = await operation(session, LEASE_NAME, self.holder, LEASE_TTL)
            await session.commit()
        return held

    async def _release(self) -> None:
        try:
            async with self.services.db.session() as session:
                await leases.release(session, LEASE_NAME, self.holder)
                await session.commit()
        except Exception:  # noqa: BLE001 - it expires on its own
            log.warning("could not release the reminder lease", exc_info=True)

    # ------------------------------------------------------------------ "remind them again"

    async def plan_again(self, scope_unit_id: int | None, month: Month) -> AgainPlan:
        now = self.services.clock.now()
        async with self.services.db.read_session() as session:
            return await remind_again(
                session, scope_unit_id, month, now, self.policy, self.language
            )

    # ------------------------------------------------------------------ claim and send

    async def deliver(
        self,
        bot: Bot,
        items: Sequence[Outgoing],
        *,
        now: datetime | None = None,
        keep_going: KeepGoing = lambda: True,
        before_batch: Callable[[], Awaitable[bool]] | None = None,
    ) -> TickResult:
        """Claim ``items`` batch by batch and send the claimed ones, paced, with retries."""
        now = now or self.services.clock.now()
        result = TickResult(planned=len(items))
        if not items:
            return result
        async with fanout_bot(bot, self.workers + 4) as sender:
            await self._fan_out(sender, items, result, now, keep_going, before_batch)
        return result

    async def _fan_out(
        self,
        bot: Bot,
        items: Sequence[Outgoing],
        result: TickResult,
        now: datetime,
        keep_going: KeepGoing,
        before_batch: Callable[[], Awaitable[bool]] | None,
    ) -> None:
        queue: asyncio.Queue[Outgoing | None] = asyncio.Queue(maxsize=self.batch * 2)

        async def produce() -> None:
            try:
                for start in range(0, len(items), self.batch):
                    if not keep_going() or (before_batch and not await before_batch()):
                        break
                    batch = items[start : start + self.batch]
                    claimed = await self._claim(batch, now)
                    result.skipped += len(batch) - len(claimed)
                    for item in claimed:
                        await queue.put(item)
            finally:
                for _ in range(self.workers):
                    await queue.put(None)

        async def work() -> None:
            while (item := await queue.get()) is not None:
                outcome = await deliver(
                    bot, item.chat_id, item.reply, self.pacer,
                    attempts=self.attempts, backoff=self.backoff, sleep=self.sleep,
                )
                result.count(outcome)
                await self._settle(item, outcome)

        senders = [asyncio.create_task(work()) for _ in range(self.workers)]
        try:
            await produce()
        finally:  # the claimed reminders already queued are still sent
            await asyncio.gather(*senders, return_exceptions=True)

    async def _claim(self, batch: Sequence[Outgoing], now: datetime) -> list[Outgoing]:
        """Record the batch's reminders that are still wanted; return those this call won."""
        async with self.services.db.session() as session:
            reachable = await queries.still_reachable(session, {i.person_id for i in batch})
            reported: dict[Month, set[int]] = {}
            for month, group in groupby(sorted(batch, key=lambda i: i.month), lambda i: i.month):
                units = {i.unit_id for i in group if i.unit_id is not None}
                reported[month] = await queries.reported_units(session, month, units)
            claimed = [
                item
                for item in batch
                if item.person_id in reachable
                and item.unit_id not in reported[item.month]
                and await record_nudge(session, item.person_id, item.month, item.kind, now)
            ]
            await session.commit()
        return claimed

    async def _settle(self, item: Outgoing, outcome: Outcome) -> None:
        if outcome not in (Outcome.BLOCKED, Outcome.RETRY_LATER):
            return
        try:
            async with self.services.db.session() as session:
                if outcome is Outcome.BLOCKED:
                    await people.mark_blocked(session, item.chat_id)
                else:
                    await queries.forget_nudge(session, item.person_id, item.month, item.kind)
                await session.commit()
        except Exception:  # noqa: BLE001 - the fan-out goes on
            log.exception("could not record the outcome of a reminder")
