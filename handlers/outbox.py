"""The one path out to Telegram: replies (new or in place of a message), files, and reminders
fanned out within Telegram's limits — the same requests, errors, retries and metrics.

Replies
    :func:`send_message` and :func:`edit_message` post a :class:`~kernel.reply.Reply`. With
    the fast path on (``FAST_PATHS``, the default) they make the Bot API call through the
    bot's own request path (rate limiter, transport, errors raised as by ``send_message``:
    BadRequest, Forbidden, RetryAfter, ...) but leave Telegram's answer unparsed:
    python-telegram-bot turns it into a ``Message`` attribute by attribute through
    TelegramObject's frozen-attribute check, more CPU than the rest of a reply. That rests on
    ``Bot._post`` (python-telegram-bot <23, pinned); with the fast path off they call the
    stock ``send_message`` / ``edit_message_text``. The bot is built without ``Defaults`` and
    without arbitrary callback data (a test checks), which the stock calls would apply.

Files
    :func:`send_file`: a chart as a photo, an export as a document.

Reminders
    :func:`deliver` sends one reminder paced by a :class:`Pacer`, and says what became of it:

    * the pacer spaces sends evenly below the overall limit of 30 messages/s (the default
      27/s leaves room for replies to users) and one second apart per chat;
    * the fan-out goes through a twin of the bot without PTB's AIORateLimiter (same transport,
      so the same metrics; :func:`fanout_bot`): that limiter allows bursts above 30/s, does
      not limit private chats, and after a 429 halts every request and then releases them
      together, which provokes the next 429;
    * a 429 is honoured: the whole pacer pauses for ``retry_after``, then the message is
      retried; 403 Forbidden (the user blocked the bot) is never retried;
    * transient errors (5xx, connection failures) are retried with exponential backoff; a read
      timeout is not: the message may have arrived, and a reminder must never be sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
import warnings
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import httpx
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    WebAppInfo,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from kernel.reply import Button, Reply

__all__ = [
    "Outcome", "Pacer", "configure", "deliver", "edit_message", "fanout_bot", "keyboard",
    "send_file", "send_message",
]

log = logging.getLogger(__name__)

_NO_PREVIEW = {"is_disabled": True}
#: Bots whose replies take python-telegram-bot's stock path (FAST_PATHS=0).
_STOCK: weakref.WeakSet[Bot] = weakref.WeakSet()


def configure(bot: Bot, *, fast: bool) -> None:
    """Use the fast path for ``bot``'s replies, or the stock one (set when the bot is built)."""
    if fast:
        _STOCK.discard(bot)
    else:
        _STOCK.add(bot)


# ---------------------------------------------------------------------- replies


def keyboard(reply: Reply) -> dict[str, Any] | None:
    """The reply's buttons as an ``InlineKeyboardMarkup`` (Bot API JSON), if any."""
    if not reply.buttons:
        return None
    return {"inline_keyboard": [[_button(b) for b in row] for row in reply.buttons]}


def _button(button: Button) -> dict[str, Any]:
    if button.web_app:
        return {"text": button.label, "web_app": {"url": button.web_app}}
    return {"text": button.label, "callback_data": button.data}


async def send_message(bot: Bot, chat_id: int, reply: Reply) -> None:
    """``sendMessage``: `reply` as a new message in the chat."""
    if bot in _STOCK:
        await bot.send_message(chat_id, **_stock_kwargs(reply))
        return
    await _post(bot, "sendMessage", {"chat_id": chat_id}, reply)


async def edit_message(bot: Bot, chat_id: int, message_id: int, reply: Reply) -> None:
    """``editMessageText``: `reply` in place of the bot's message `message_id`."""
    if bot in _STOCK:
        await bot.edit_message_text(chat_id=chat_id, message_id=message_id,
                                    **_stock_kwargs(reply))
        return
    await _post(bot, "editMessageText", {"chat_id": chat_id, "message_id": message_id}, reply)


async def send_file(
    bot: Bot, chat_id: int, data: bytes, filename: str, caption: str, *, photo: bool
) -> None:
    """A chart (``photo``) or an export (a document) with its caption."""
    if photo:
        await bot.send_photo(chat_id, photo=data, filename=filename, caption=caption)
    else:
        await bot.send_document(chat_id, document=data, filename=filename, caption=caption)


def _stock_kwargs(reply: Reply) -> dict[str, Any]:
    markup = None
    if reply.buttons:
        markup = InlineKeyboardMarkup([
            [InlineKeyboardButton(b.label, web_app=WebAppInfo(b.web_app)) if b.web_app
             else InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ])
    return {
        "text": reply.text,
        "parse_mode": ParseMode.HTML if reply.html else None,
        "reply_markup": markup,
        "link_preview_options": LinkPreviewOptions(is_disabled=True),
    }


async def _post(bot: Bot, method: str, where: dict[str, Any], reply: Reply) -> None:
    params = {
        **where,
        "text": reply.text,
        "parse_mode": ParseMode.HTML if reply.html else None,
        "reply_markup": keyboard(reply),
        "link_preview_options": _NO_PREVIEW,
    }
    # What Bot.send_message / edit_message_text run, minus building the returned Message.
    await bot._post(method, params)


# ---------------------------------------------------------------------- reminders

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
    """Even spacing: at most ``rate`` sends a second overall, one per ``chat_gap`` per chat.

    ``clock`` and ``sleep`` are injectable (tests drive it with a fake clock)."""

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


#: Timeouts that mean the request never reached Telegram (waiting for a connection, or
#: connecting), for both transports the bot may use.
_UNSENT = (httpx.PoolTimeout, httpx.ConnectTimeout, aiohttp.ConnectionTimeoutError)


def _surely_unsent(error: TimedOut) -> bool:
    return isinstance(error.__cause__, _UNSENT)


async def deliver(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    pacer: Pacer,
    *,
    attempts: int = 5,
    backoff: float = 1.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Outcome:
    """Send ``reply`` to ``chat_id`` paced by ``pacer``; never raises (but for cancellation)."""
    delay, attempt, limited = backoff, 0, 0
    while attempt < attempts:
        attempt += 1
        await pacer.wait(chat_id)
        try:
            await send_message(bot, chat_id, reply)
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
            await sleep(delay)
            delay *= 2
    return Outcome.RETRY_LATER


@contextlib.asynccontextmanager
async def fanout_bot(bot: Bot, connections: int = 16) -> AsyncIterator[Bot]:
    """``bot`` itself if it has no rate limiter, else a twin without one: same token, URLs,
    transport class (so the same errors and metrics) and reply path."""
    if getattr(bot, "rate_limiter", None) is None:
        yield bot
        return
    twin = Bot(
        bot.token,
        base_url=lambda _token: bot.base_url,
        base_file_url=lambda _token: bot.base_file_url,
        request=type(bot.request)(connection_pool_size=connections),
    )
    configure(twin, fast=bot not in _STOCK)
    async with twin:
        yield twin
