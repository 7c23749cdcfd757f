"""First contact over HTTP: strangers' first questions through the real bot vs a bare echo bot.

Both bots poll their own loopback Bot API server (``tests/botapi``) in this process, as they
would poll Telegram. In each round, ``--users`` people the bot has never seen (fresh ids every
round) each send one question from the question set at the same moment; the round lasts until
every one of them has a reply. The bot runs with ``SEND_RATE_LIMIT=0`` (no 30 messages/s cap),
on its embedded SQLite database; the echo bot is a bare python-telegram-bot Application with
the same number of concurrent updates, replying with the text it got. Rounds alternate between
the bots, so all see the same machine load; the figures are medians. The bot runs twice: with
its fast paths (``FAST_PATHS=1``, the default) and on the libraries' stock paths
(``FAST_PATHS=0``); both use the bot's aiohttp transport, the echo bot PTB's default (httpx).

A stranger's question needs nothing of theirs stored: ``db_rows_written`` counts the rows of
people, conversation state, persisted data, processed updates and the access log written
during the rounds (0 expected).

``python -m bench.first_contact --users 300 --rounds 5``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bench.qa_throughput import QUESTIONS
from storage.models import AccessLog, ConversationState, PersistedData, Person, ProcessedUpdate
from tests.botapi import BotApiServer
from tests.botapi.harness import build_bare_application, running_bot
from tests.e2e_support import running_app

USERS, ROUNDS = 300, 5
WAIT_S = 300.0
BOT_ENV = {"SEND_RATE_LIMIT": "0", "NUDGE_INTERVAL": "0"}
FIRST_ID = 7_000_000


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_message is not None
    await update.effective_chat.send_message(update.effective_message.text or "")


async def _round(server: BotApiServer, first_id: int, users: int) -> float:
    """``users`` strangers send one question each at once: replies per second."""
    since = server.mark()
    ids = range(first_id, first_id + users)
    start = time.perf_counter()
    await asyncio.gather(*(
        server.send_text(user, QUESTIONS[(user - FIRST_ID) % len(QUESTIONS)]) for user in ids))
    await server.wait_for(lambda c: _all_answered(server, ids, since), since=since,
                          timeout=WAIT_S)
    return users / (time.perf_counter() - start)


def _all_answered(server: BotApiServer, ids: range, since: int) -> bool:
    chats = {call.chat_id for call in server.calls(since=since)}
    return all(user in chats for user in ids)


@contextlib.asynccontextmanager
async def _echo_bot(server: BotApiServer, concurrency: int) -> AsyncIterator[Application]:
    app = build_bare_application(server, concurrent_updates=concurrency)
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    async with running_bot(app):
        yield app


async def _rows_written(services) -> int:
    async with services.db.session() as session:
        total = 0
        for model in (Person, ConversationState, PersistedData, ProcessedUpdate, AccessLog):
            total += (await session.execute(select(func.count()).select_from(model))).scalar_one()
        return total


async def measure(users: int = USERS, rounds: int = ROUNDS) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        fast_dir, stock_dir = Path(tmp) / "fast", Path(tmp) / "stock"
        fast_dir.mkdir()
        stock_dir.mkdir()
        async with BotApiServer() as fast_api, BotApiServer() as stock_api, \
                BotApiServer() as echo_api, \
                running_app(fast_api, fast_dir, **BOT_ENV) as (_fast, services), \
                running_app(stock_api, stock_dir, FAST_PATHS="0", **BOT_ENV) as (_stock, stock):
            concurrency = services.settings.concurrent_updates
            servers = {"echo": echo_api, "bot": fast_api, "bot_stock_path": stock_api}
            async with _echo_bot(echo_api, concurrency):
                for server in servers.values():  # warm up: imports, first connections
                    await _round(server, 1, 10)
                await asyncio.sleep(1.5)  # let persistence flush anything the warm-up left
                before = await _rows_written(services) + await _rows_written(stock)
                rates: dict[str, list[float]] = {name: [] for name in servers}
                for r in range(rounds):  # alternate, so all see the same machine load
                    for name, server in servers.items():
                        rates[name].append(await _round(server, FIRST_ID + r * users, users))
                await asyncio.sleep(1.5)
                written = await _rows_written(services) + await _rows_written(stock) - before
    echo = statistics.median(rates["echo"])
    result = {"users_per_round": float(users), "rounds": float(rounds),
              "concurrent_updates": float(concurrency), "echo_replies_per_s": echo}
    for name in ("bot", "bot_stock_path"):
        result[f"{name}_replies_per_s"] = statistics.median(rates[name])
        result[f"ratio_{name}_to_echo"] = result[f"{name}_replies_per_s"] / echo
    result["db_rows_written"] = float(written)
    return result


def run(users: int = USERS, rounds: int = ROUNDS) -> dict[str, float]:
    return asyncio.run(measure(users, rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    for key, value in run(args.users, args.rounds).items():
        print(f"{key}: {value:.3f}")


if __name__ == "__main__":
    main()
