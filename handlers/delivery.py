"""Sending one reminder within Telegram's limits, and what became of it.

* The :class:`Pacer` spaces sends evenly below the overall limit of 30 messages/s (the
  default 27/s leaves room for replies to users) and one second apart per chat.
* The fan-out goes through a twin of the bot *without* PTB's AIORateLimiter: that limiter
  allows bursts above 30/s (a full leaky bucket), does not limit private chats, and after a 429
  halts every request and then releases them together, which provokes the next 429. Replies to
  users keep going through it.
* A 429 is honoured: the whole pacer pauses for ``retry_after``, then the message is retried.
* 403 Forbidden: the user blocked the bot, never retried.
* Transient errors (5xx, connection failures) are retried with exponential backoff. A read or
  write timeout is *not* retried: the message may have arrived, and a reminder must never be
  sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from handlers import outbox as telegram_reply
from kernel.reply import Reply

log = logging.getLogger(__name__)

DEFAULT_RATE = 27.0
CHAT_GAP = 1.0
#: 429 answers tolerated for one message before it is left for a later tick.
MAX_RATE_LIMITED = 10


class Outcome(enum.Enum):
    SENT = "sent"
    BLOCKED = "blocked"  # 403: the user blocked the bot
    FAILED = "failed"  # permanent error (e.g. chat not found)
    UNCERTAIN = "uncertain"  # timed out after sending: may have arrived, not retried
    RETRY_LATER = "retry_later"  # transient errors persisted: free the claim for a later tick


class Pacer:
    """Even spacing: at most ``rate`` sends a second overall, one per ``chat_gap`` per chat."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        chat_gap: float = CHAT_GAP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self.chat_gap = chat_gap
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()
        self._last_by_chat: dict[int | str, float] = {}

    async def wait(self, chat_id: int | str) -> None:
        """Return when a message to ``chat_id`` may go out."""
        async with self._lock:  # FIFO: senders go out in the order they asked
            now = self._clock()
            last = self._last_by_chat.get(chat_id)
            start = max(now, self._next, now if last is None else last + self.chat_gap)
            if start > now:
                await self._sleep(start - now)
            self._next = start + self.interval
            self._last_by_chat[chat_id] = start
            if len(self._last_by_chat) > 4096:
                self._forget(start)

    def pause(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (Telegram answered 429 with this retry_after)."""
        self._next = max(self._next, self._clock() + seconds)

    def _forget(self, now: float) -> None:
        for chat, at in list(self._last_by_chat.items()):
            if at + self.chat_gap < now:
                del self._last_by_chat[chat]


def _retry_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the type becomes timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _surely_unsent(error: TimedOut) -> bool:
    """A pool or connect timeout means the request never reached Telegram."""
    return isinstance(error.__cause__, httpx.PoolTimeout | httpx.ConnectTimeout)


async def send_reply(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    pacer: Pacer,
    *,
    attempts: int = 5,
    backoff: float = 1.0,
) -> Outcome:
    """Send ``reply`` to ``chat_id`` paced by ``pacer``; never raises (but for cancellation)."""
    delay, attempt, limited = backoff, 0, 0
    while attempt < attempts:
        attempt += 1
        await pacer.wait(chat_id)
        try:
            await telegram_reply.send_message(bot, chat_id, reply)
            return Outcome.SENT
        except Forbidden:
            return Outcome.BLOCKED
        except RetryAfter as exc:
            seconds = _retry_seconds(exc)
            log.info("reminders rate-limited: pausing %.1f s", seconds)
            pacer.pause(seconds)
            limited += 1
            if limited < MAX_RATE_LIMITED:
                attempt -= 1  # waiting as told is not a failed attempt
            continue
        except TimedOut as exc:
            if not _surely_unsent(exc):
                log.warning("reminder timed out; not retried to avoid a duplicate")
                return Outcome.UNCERTAIN
            error: Exception = exc
        except BadRequest as exc:
            log.warning("reminder refused: %s", exc.message)
            return Outcome.FAILED
        except NetworkError as exc:
            error = exc
        except Exception:  # noqa: BLE001 - one bad message must not stop the fan-out
            log.exception("reminder failed")
            return Outcome.FAILED
        if attempt < attempts:
            log.info("reminder failed (%s), retry %d in %.1f s", type(error).__name__,
                     attempt, delay)
            await asyncio.sleep(delay)
            delay *= 2
    return Outcome.RETRY_LATER


@contextlib.asynccontextmanager
async def fanout_bot(bot: Bot, connections: int = 16) -> AsyncIterator[Bot]:
    """``bot`` itself if it has no rate limiter, else a twin without one (same token, URLs)."""
    if getattr(bot, "rate_limiter", None) is None:
        yield bot
        return
    twin = Bot(
        bot.token,
        base_url=lambda _token: bot.base_url,
        base_file_url=lambda _token: bot.base_file_url,
        request=HTTPXRequest(connection_pool_size=connections),
    )
    async with twin:
        yield twin
