"""Replies posted without parsing Telegram's answer: same request as python-telegram-bot's."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.app import build_application
from bot.settings import Settings
from handlers import outbox
from handlers.common import edit
from kernel.reply import Button, Reply
from tests.botapi import BotApiServer, build_bare_application

USER = 2002
REPLY = Reply(
    "<b>Tháng 10/2025</b>: xâm hại 2",
    [[Button("Lưu", "rp:ok:x"), Button("Huỷ", "rp:no")], [Button("Sửa", "rp:edit")]],
    html=True,
)


def test_keyboard_is_what_python_telegram_bot_would_send() -> None:
    ptb = InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
         for row in REPLY.buttons]
    )
    assert outbox.keyboard(REPLY) == ptb.to_dict()
    assert outbox.keyboard(Reply("no buttons")) is None


async def test_send_and_edit_post_the_same_parameters_as_the_typed_methods() -> None:
    async with BotApiServer() as server:
        app = build_bare_application(server)
        async with app:
            typed = await app.bot.send_message(
                USER, REPLY.text, parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup.de_json(outbox.keyboard(REPLY), None),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
            await outbox.send_message(app.bot, USER, REPLY)
            mine = server.sent[-1]
            assert mine.params == server.sent[-2].params
            assert (mine.method, mine.chat_id, mine.parse_mode) == ("sendMessage", USER, "HTML")
            assert mine.button("Sửa")["callback_data"] == "rp:edit"

            plain = Reply("Đã lưu.")
            await outbox.edit_message(app.bot, USER, typed.message_id, plain)
            edited = server.sent[-1]
            assert (edited.method, edited.message_id, edited.text) == (
                "editMessageText", typed.message_id, "Đã lưu.")
            assert edited.parse_mode is None and edited.reply_markup is None


async def test_errors_are_raised_as_by_python_telegram_bot() -> None:
    async with BotApiServer() as server:
        app = build_bare_application(server)
        async with app:
            message = await app.bot.send_message(USER, "x")
            with pytest.raises(BadRequest, match="not modified"):
                await outbox.edit_message(app.bot, USER, message.message_id, Reply("x"))
            server.block(USER)
            with pytest.raises(Forbidden):
                await outbox.send_message(app.bot, USER, REPLY)


def test_the_bot_has_nothing_that_send_message_would_add(tmp_path) -> None:
    settings = Settings.from_env({"DATA_DIR": str(tmp_path), "NUDGE_INTERVAL": "0"})
    bot = build_application(settings).bot
    assert bot.defaults is None and bot.callback_data_cache is None


async def test_a_button_on_an_inaccessible_message_gets_a_new_message() -> None:
    async with BotApiServer() as server:
        app = build_bare_application(server)
        async with app:
            query = {
                "id": "1", "chat_instance": "c", "data": "x",
                "from": {"id": USER, "is_bot": False, "first_name": "U"},
                # date 0: Telegram no longer gives access to the message (too old, deleted)
                "message": {"message_id": 7, "date": 0, "chat": {"id": USER, "type": "private"}},
            }
            update = Update.de_json({"update_id": 1, "callback_query": query}, app.bot)
            await edit(update, Reply("Tháng đã lưu."))
            assert [(c.method, c.chat_id, c.text) for c in server.sent] == [
                ("sendMessage", USER, "Tháng đã lưu.")]


async def test_the_stock_path_sends_the_same_request() -> None:
    """FAST_PATHS=0: python-telegram-bot's own send_message and edit_message_text, posting
    what the fast path posts."""
    async with BotApiServer() as server:
        app = build_bare_application(server)
        async with app:
            await outbox.send_message(app.bot, USER, REPLY)
            fast = server.sent[-1]
            outbox.configure(app.bot, fast=False)
            try:
                await outbox.send_message(app.bot, USER, REPLY)
                stock = server.sent[-1]
                await outbox.edit_message(app.bot, USER, stock.message_id, Reply("Đã lưu."))
                edited = server.sent[-1]
            finally:
                outbox.configure(app.bot, fast=True)
        assert stock.params == fast.params
        assert (edited.method, edited.text, edited.reply_markup) == (
            "editMessageText", "Đã lưu.", None)
