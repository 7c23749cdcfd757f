"""Per-user ordering: one user's updates in order, different users concurrently."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.update_processor import PerUserUpdateProcessor, ordering_key
from tests.botapi import BotApiServer, build_bare_application, running_bot
from tests.e2e_support import bot_world

ALICE, BOB = 7001, 7002
PER_USER = 12


async def test_each_users_updates_in_order_while_users_overlap() -> None:
    events: list[tuple[str, int, int]] = []  # (start|end, user, n)

    async def slow_echo(update: Update, _context: object) -> None:
        user = update.effective_user.id
        n = int(update.message.text)
        events.append(("start", user, n))
        await asyncio.sleep(0.01)  # yield: another user's update may run meanwhile
        await update.message.reply_text(f"done {n}")
        events.append(("end", user, n))

    processor = PerUserUpdateProcessor(max_active=8)
    async with BotApiServer() as server:
        app = build_bare_application(server, concurrent_updates=processor)
        app.add_handler(MessageHandler(filters.TEXT, slow_echo))
        for n in range(PER_USER):  # interleaved, all queued before the bot starts
            await server.send_text(ALICE, str(n))
            await server.send_text(BOB, str(n))
        async with running_bot(app):
            await server.wait_for(2 * PER_USER, methods=["sendMessage"], timeout=30)
        assert processor.waiting_users == 0  # per-user locks are dropped when idle

    for user in (ALICE, BOB):
        replies = [c.text for c in server.messages_to(user)]
        assert replies == [f"done {n}" for n in range(PER_USER)]
        mine = [(kind, n) for kind, who, n in events if who == user]
        # strictly one at a time, in order: start 0, end 0, start 1, end 1, ...
        assert mine == [(kind, n) for n in range(PER_USER) for kind in ("start", "end")]

    running: set[int] = set()
    overlapped = False
    for kind, user, _n in events:
        if kind == "start":
            running.add(user)
            overlapped = overlapped or running == {ALICE, BOB}
        else:
            running.discard(user)
    assert overlapped, "the two users' updates never ran at the same time"


async def test_max_active_bounds_updates_handled_at_once() -> None:
    running = 0
    peak = 0

    async def slow(update: Update, _context: object) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        await update.message.reply_text("ok")

    async with BotApiServer() as server:
        app = build_bare_application(
            server, concurrent_updates=PerUserUpdateProcessor(max_active=2)
        )
        app.add_handler(MessageHandler(filters.TEXT, slow))
        for user in range(8101, 8107):
            await server.send_text(user, "hi")
        async with running_bot(app):
            await server.wait_for(6, methods=["sendMessage"], timeout=30)
    assert peak == 2


def test_ordering_key_is_the_user_then_the_chat() -> None:
    bot_message = {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "channel"}}
    from_user = {**bot_message, "from": {"id": 42, "is_bot": False, "first_name": "A"}}
    assert ordering_key(Update.de_json({"update_id": 1, "message": from_user}, None)) == 42
    assert ordering_key(Update.de_json({"update_id": 2, "channel_post": bot_message}, None)) == -100
    assert ordering_key(Update.de_json({"update_id": 3}, None)) is None
    assert ordering_key("not an update") is None


async def test_the_real_bot_uses_the_per_user_processor(tmp_path: Path) -> None:
    async with bot_world(tmp_path, CONCURRENT_UPDATES="5") as (server, app, _svc):
        processor = app.update_processor
        assert isinstance(processor, PerUserUpdateProcessor)
        assert processor.max_active == 5
        (reply,) = await server.ask(7100, "/help")
        assert "/lang" in reply.text
