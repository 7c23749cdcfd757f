"""The bot's aiohttp transport (bot/http_request.py) against the loopback Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.http_request import AiohttpRequest, MeteredRequest
from kernel.metrics import REPLIES_SENT
from tests.botapi import BotApiServer

CHAT = 4242


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


def bot_for(server: BotApiServer, request: AiohttpRequest | None = None) -> Bot:
    return Bot(server.token, base_url=server.base_url, base_file_url=server.base_file_url,
               request=request or AiohttpRequest())


async def test_messages_with_markup_and_files_arrive_as_sent(server: BotApiServer) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Xác nhận ✅", callback_data="ok:1")]])
    async with bot_for(server) as bot:
        message = await bot.send_message(CHAT, "<b>Báo cáo</b> tháng 10/2025", parse_mode="HTML",
                                         reply_markup=markup)
        document = await bot.send_document(CHAT, b"ma_don_vi,so_ca\nC11,2\n",
                                           filename="bao-cao.csv", caption="CSV")
    sent, upload = server.calls(chat_id=CHAT)
    assert message.text == "Báo cáo tháng 10/2025" and sent.parse_mode == "HTML"
    assert sent.text == "<b>Báo cáo</b> tháng 10/2025"
    assert sent.button("Xác nhận ✅")["callback_data"] == "ok:1"
    (file,) = upload.files.values()
    assert (file.filename, file.data) == ("bao-cao.csv", b"ma_don_vi,so_ca\nC11,2\n")
    assert upload.params["caption"] == "CSV" and document.document is not None


async def test_telegram_errors_keep_their_meaning(server: BotApiServer) -> None:
    server.set_rate_limit(None, 1, retry_after=7)
    server.block(CHAT + 1)
    async with bot_for(server) as bot:
        server.fail_next(1, status=400, description="Bad Request: message is not modified")
        with pytest.raises(BadRequest, match="not modified"):
            await bot.send_message(CHAT, "x")
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(CHAT + 1, "x")
        await bot.send_message(CHAT, "first")
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(CHAT, "second, too soon")
    assert raised.value.retry_after in (7, 7.0) or raised.value.retry_after.total_seconds() == 7


async def test_timeouts_and_broken_connections(server: BotApiServer) -> None:
    server.fail_next(1, status=200, delay=2.0)
    server.fail_next(1, drop=True)
    async with bot_for(server, AiohttpRequest(read_timeout=0.3)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "slow answer")
        with pytest.raises(NetworkError, match="aiohttp"):
            await bot.send_message(CHAT, "connection closed")
        await bot.send_message(CHAT, "fine again")
        with pytest.raises(TimedOut):  # a per-call timeout beats the default
            server.fail_next(1, status=200, delay=2.0)
            await bot.send_message(CHAT, "slow", read_timeout=0.2)
    assert "fine again" in [c.text for c in server.calls(chat_id=CHAT)]


async def test_used_only_between_initialize_and_shutdown(server: BotApiServer) -> None:
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{server.base_url}{server.token}/getMe")
    async with bot_for(server, request) as bot:
        assert (await bot.get_me()).username == server.bot_user["username"]
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{server.base_url}{server.token}/getMe")
    async with bot_for(server, request) as bot:  # initialize again after a shutdown
        assert (await bot.get_me()).id == server.bot_user["id"]


async def test_the_bot_s_transport_counts_replies(server: BotApiServer) -> None:
    before = REPLIES_SENT.labels("sendMessage")._value.get()  # noqa: SLF001
    async with bot_for(server, MeteredRequest()) as bot:
        await bot.send_message(CHAT, "one")
        server.block(CHAT)
        with pytest.raises(Forbidden):
            await bot.send_message(CHAT, "two")
    assert REPLIES_SENT.labels("sendMessage")._value.get() == before + 1  # noqa: SLF001
