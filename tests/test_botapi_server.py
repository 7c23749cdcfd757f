"""The loopback Bot API server, driven by the real python-telegram-bot over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError
from telegram.ext import (
    AIORateLimiter,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from tests.botapi import (
    BotApiServer,
    build_bare_application,
    free_port,
    running_bot,
    running_webhook_bot,
)
from tests.botapi.formatting import ParseError, plain_text
from tests.botapi.server import RateLimit

USER = 1001


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as srv:
        yield srv


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


async def raw_call(server: BotApiServer, method: str, **data: Any) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.base_url}{server.token}/{method}", data=data) as response,
    ):
        return response.status, await response.json()


# ---------------------------------------------------------------------- protocol


async def test_envelopes_for_unknown_method_and_token(server: BotApiServer) -> None:
    status, body = await raw_call(server, "getMe")
    assert status == 200 and body["ok"] is True
    assert body["result"]["is_bot"] is True and "can_join_groups" in body["result"]

    status, body = await raw_call(server, "frobnicate")
    assert (status, body["ok"], body["error_code"]) == (404, False, 404)

    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.base_url}999:wrong/getMe") as response,
    ):
        assert response.status == 404
        assert (await response.json())["description"] == "Not Found"


async def test_form_values_are_json_decoded_but_text_is_not(server: BotApiServer) -> None:
    status, body = await raw_call(
        server, "sendMessage", chat_id="42", text="123", reply_markup='{"inline_keyboard": []}'
    )
    assert status == 200
    call = server.sent[-1]
    assert call.chat_id == 42 and call.text == "123"
    assert call.reply_markup == {"inline_keyboard": []}
    assert body["result"]["chat"]["id"] == 42


async def test_ptb_bot_calls(server: BotApiServer) -> None:
    app = build_bare_application(server)
    async with app:
        me = await app.bot.get_me()
        assert me.username == "test_bot" and me.is_bot
        await app.bot.set_my_commands([("start", "Bắt đầu"), ("help", "Trợ giúp")])
        commands = await app.bot.get_my_commands()
        assert [c.command for c in commands] == ["start", "help"]
        assert await app.bot.get_my_commands(language_code="en") == ()
        await app.bot.set_webhook("https://example.invalid/hook", secret_token="s3")
        info = await app.bot.get_webhook_info()
        assert info.url == "https://example.invalid/hook"
        with pytest.raises(Conflict):
            await app.bot.get_updates()
        await app.bot.delete_webhook()
        assert (await app.bot.get_webhook_info()).url == ""


async def test_get_updates_offset_limit_and_long_poll(server: BotApiServer) -> None:
    app = build_bare_application(server)
    async with app:
        assert await app.bot.get_updates(timeout=0) == ()
        for i in range(3):
            await server.send_text(USER, f"m{i}")
        first = await app.bot.get_updates(limit=2)
        assert [u.message.text for u in first] == ["m0", "m1"]
        again = await app.bot.get_updates(limit=2)  # nothing confirmed yet
        assert [u.update_id for u in again] == [u.update_id for u in first]
        rest = await app.bot.get_updates(offset=first[-1].update_id + 1)
        assert [u.message.text for u in rest] == ["m2"]
        assert rest[0].message.chat.id == USER and rest[0].message.from_user.language_code == "vi"

        async def later() -> None:
            await asyncio.sleep(0.2)
            await server.send_text(USER, "late")

        task = asyncio.create_task(later())
        polled = await app.bot.get_updates(offset=rest[-1].update_id + 1, timeout=5)
        await task
        assert [u.message.text for u in polled] == ["late"]


async def test_second_poller_terminates_the_first(server: BotApiServer) -> None:
    app = build_bare_application(server)
    async with app:
        first = asyncio.create_task(app.bot.get_updates(timeout=3))
        await asyncio.sleep(0.2)
        status, body = await raw_call(server, "getUpdates", timeout="0")
        with pytest.raises(Conflict):
            await first
        assert (status, body["result"]) == (200, [])


async def test_wait_for_times_out_with_a_useful_message(server: BotApiServer) -> None:
    with pytest.raises(AssertionError, match="timed out"):
        await server.wait_for(1, chat_id=USER, timeout=0.2)


# ---------------------------------------------------------------------- end to end


async def echo(update: Update, context: CallbackContext) -> None:
    await update.effective_message.reply_text(
        f"echo: {update.effective_message.text}", reply_markup=keyboard(("Again", "again"))
    )


async def test_echo_bot_over_polling(server: BotApiServer) -> None:
    app = build_bare_application(server)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with running_bot(app):
        replies = await server.ask(USER, "xin chào")
        assert replies[0].method == "sendMessage"
        assert replies[0].chat_id == USER and replies[0].text == "echo: xin chào"
        assert replies[0].button_labels == ["Again"]
        assert replies[0].button("Again")["callback_data"] == "again"
        await server.send_text(USER + 1, "hai", first_name="Lan")
        await server.wait_for(1, chat_id=USER + 1)
    assert [c.text for c in server.messages_to(USER + 1)] == ["echo: hai"]
    assert server.stats.delivered == 2 and server.stats.duplicates == 0


async def test_command_duplicate_delivery_and_duplicate_counter(server: BotApiServer) -> None:
    seen: list[int] = []

    async def start(update: Update, context: CallbackContext) -> None:
        seen.append(update.update_id)
        await update.effective_message.reply_text(f"hello {context.args}")

    app = build_bare_application(server)
    app.add_handler(CommandHandler("start", start))
    async with running_bot(app):
        update = await server.send_command(USER, "start", "abc")
        await server.wait_for(1, chat_id=USER)
        await server.duplicate(update)
        await server.wait_for(2, chat_id=USER)
    assert seen == [update["update_id"], update["update_id"]]
    assert [c.text for c in server.messages_to(USER)] == ["hello ['abc']"] * 2
    assert server.stats.duplicates == 1


async def test_callback_edits_message_and_answers(server: BotApiServer) -> None:
    errors: list[Exception] = []

    async def menu(update: Update, context: CallbackContext) -> None:
        await update.effective_message.reply_text(
            "Chọn:", reply_markup=keyboard(("Một", "pick:1"), ("Hai", "pick:2"))
        )

    async def pick(update: Update, context: CallbackContext) -> None:
        query = update.callback_query
        await query.answer("OK")
        await query.edit_message_text(f"<b>Đã chọn</b> {query.data}", parse_mode="HTML")
        try:  # same content again: Telegram refuses
            await query.edit_message_text(f"<b>Đã chọn</b> {query.data}", parse_mode="HTML")
        except BadRequest as exc:
            errors.append(exc)

    app = build_bare_application(server)
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(pick, pattern=r"^pick:"))
    async with running_bot(app):
        (msg,) = await server.ask(USER, "/menu")
        (edit,) = await server.press(USER, msg, label="Hai")
        assert edit.method == "editMessageText" and edit.message_id == msg.message_id
        answers = await server.wait_for(lambda c: c.method == "answerCallbackQuery", chat_id=USER)
        assert answers[0].text == "OK"
        state = server.message_state(USER, msg.message_id)
        assert state is not None and state["text"] == "Đã chọn pick:2"
        assert "reply_markup" not in state  # the edit did not keep the keyboard
        with pytest.raises(LookupError):  # the button is gone
            await server.tap(USER, msg, "pick:1")
    assert len(errors) == 1 and "not modified" in str(errors[0])


async def test_photo_and_document_uploads(server: BotApiServer) -> None:
    downloaded: list[bytes] = []

    async def files(update: Update, context: CallbackContext) -> None:
        chat = update.effective_chat.id
        await context.bot.send_photo(chat, photo=b"\x89PNG-bytes", caption="Ảnh")
        sent = await context.bot.send_document(
            chat, document=b"col1,col2\n", filename="plan.csv", caption="Kế hoạch"
        )
        file = await sent.document.get_file()
        downloaded.append(bytes(await file.download_as_bytearray()))

    app = build_bare_application(server)
    app.add_handler(CommandHandler("files", files))
    async with running_bot(app):
        photo, document = await server.ask(USER, "/files", count=2)
    assert photo.method == "sendPhoto" and photo.text == "Ảnh"
    assert photo.files["photo"].data == b"\x89PNG-bytes"
    assert photo.result["photo"][-1]["width"] == 800
    assert document.method == "sendDocument"
    assert document.files["document"].filename == "plan.csv"
    assert document.files["document"].data == b"col1,col2\n"
    assert document.result["document"]["file_name"] == "plan.csv"
    assert downloaded == [b"col1,col2\n"]


async def test_user_upload_is_downloadable(server: BotApiServer) -> None:
    app = build_bare_application(server)
    got: list[tuple[str, bytes]] = []

    async def on_doc(update: Update, context: CallbackContext) -> None:
        doc = update.message.document
        data = await (await doc.get_file()).download_as_bytearray()
        got.append((doc.file_name, bytes(data)))
        await update.message.reply_text("received")

    app.add_handler(MessageHandler(filters.Document.ALL, on_doc))
    async with running_bot(app):
        await server.send_document(USER, b"%PDF-1.4", "bao-cao.pdf")
        await server.wait_for(1, chat_id=USER)
    assert got == [("bao-cao.pdf", b"%PDF-1.4")]


async def test_blocked_user_raises_forbidden(server: BotApiServer) -> None:
    seen: list[Exception] = []

    async def notify(update: Update, context: CallbackContext) -> None:
        try:
            await context.bot.send_message(USER + 5, "reminder")
        except Forbidden as exc:
            seen.append(exc)
        await update.message.reply_text("done")

    server.block(USER + 5)
    app = build_bare_application(server)
    app.add_handler(CommandHandler("notify", notify))
    async with running_bot(app):
        await server.ask(USER, "/notify")
    assert len(seen) == 1 and "bot was blocked by the user" in str(seen[0])
    assert server.messages_to(USER + 5) == []
    assert server.stats.errors[403] == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_429_is_retried_by_aioratelimiter(server: BotApiServer) -> None:
    async def burst(update: Update, context: CallbackContext) -> None:
        await update.message.reply_text("one")
        await update.message.reply_text("two")

    server.set_rate_limit(global_per_sec=None, per_chat_per_sec=1, retry_after=1)
    app = build_bare_application(server, rate_limiter=AIORateLimiter(max_retries=2))
    app.add_handler(CommandHandler("burst", burst))
    async with running_bot(app):
        replies = await server.ask(USER, "/burst", count=2)
    assert [c.text for c in replies] == ["one", "two"]
    assert server.stats.rate_limited == 1
    assert any(code == 429 for method, _, code in server.api_calls if method == "sendMessage")


async def test_transient_errors(server: BotApiServer) -> None:
    seen: list[Exception] = []

    async def flaky(update: Update, context: CallbackContext) -> None:
        for _ in range(3):
            try:
                await update.message.reply_text("hello")
            except NetworkError as exc:
                seen.append(exc)

    server.fail_next(1, status=500)
    server.fail_next(1, drop=True)
    app = build_bare_application(server)
    app.add_handler(CommandHandler("flaky", flaky))
    async with running_bot(app):
        await server.ask(USER, "/flaky")
    assert len(seen) == 2 and "Internal Server Error" in str(seen[0])
    assert [c.text for c in server.messages_to(USER)] == ["hello"]


async def test_parse_errors_reach_the_bot(server: BotApiServer) -> None:
    app = build_bare_application(server)
    async with app:
        with pytest.raises(BadRequest, match="(?i)can't parse entities"):
            await app.bot.send_message(USER, "<b>bold", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)reserved"):
            await app.bot.send_message(USER, "Xong.", parse_mode="MarkdownV2")
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await app.bot.send_message(USER, " ")
        msg = await app.bot.send_message(USER, "a &lt; b <i>ok</i>", parse_mode="HTML")
        assert msg.text == "a < b ok"
    assert len(server.sent) == 1


def test_plain_text_rules() -> None:
    assert plain_text(r"*Đậm* và \. \- `x.y` [link](http://a.b/c)", "MarkdownV2") == (
        "Đậm và . - x.y link"
    )
    assert plain_text('<a href="x">y</a> &amp;', "HTML") == "y &"
    for bad in ("<b><i>x</b></i>", "<script>x</script>", "1 < 2"):
        with pytest.raises(ParseError):
            plain_text(bad, "HTML")
    assert plain_text("1 < 2", None) == "1 < 2"


def test_rate_limit_windows() -> None:
    limit = RateLimit(global_per_sec=2, per_chat_per_sec=1)
    assert limit.check(1, 100.0) is None
    assert limit.check(1, 100.1) == 1  # per chat
    assert limit.check(2, 100.2) is None
    assert limit.check(3, 100.3) == 1  # global
    assert limit.check(3, 101.05) is None  # window moved on


# ---------------------------------------------------------------------- webhooks


async def test_ptb_webhook_mode(server: BotApiServer) -> None:
    app = build_bare_application(server)
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with running_webhook_bot(app, port=free_port(), secret_token="s3cret") as url:
        assert server.webhook["url"] == url and server.webhook["secret_token"] == "s3cret"
        (reply,) = await server.ask(USER, "qua webhook")
        assert reply.text == "echo: qua webhook"
        assert server.deliveries[-1].status == 200
        bad = await server.deliver_webhook(url, {"update_id": 999}, secret_token="wrong")
        assert bad == 403


async def test_round_robin_webhook_targets(server: BotApiServer) -> None:
    received: dict[str, list[int]] = {"a": [], "b": []}

    def receiver(name: str):
        async def handle(request: web.Request) -> web.Response:
            assert request.headers["X-Telegram-Bot-Api-Secret-Token"] == "tok"
            received[name].append((await request.json())["update_id"])
            return web.Response(status=200 if name == "a" else 503)

        return handle

    app = web.Application()
    app.router.add_post("/a", receiver("a"))
    app.router.add_post("/b", receiver("b"))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        base = f"http://127.0.0.1:{port}"
        server.set_webhook_targets([f"{base}/a", f"{base}/b"], secret_token="tok")
        updates = [await server.send_text(USER, str(i)) for i in range(4)]
    finally:
        await runner.cleanup()
    ids = [u["update_id"] for u in updates]
    assert received == {"a": ids[0::2], "b": ids[1::2]}
    assert [d.status for d in server.deliveries] == [200, 503, 200, 503]
