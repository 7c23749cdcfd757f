"""The per-update log line and the metrics behind it: pseudonymous, no message text."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, TypeHandler, filters

from bot.structured_log import UpdateLog, hash_user, instrument_handlers
from bot.update_processor import PerUserUpdateProcessor
from kernel.metrics import NUDGES_SENT, REPORTS_SAVED, render
from tests.botapi import BotApiServer, build_bare_application, running_bot
from tests.e2e_support import bot_world

SECRET_ID = 987_654_321
SECRET_TEXT = "Em bé ở thôn Rạch Sỏi cần hỗ trợ khẩn"
LINE = re.compile(
    r"^update id=\d+ type=(?P<type>\w+) user=(?P<user>[0-9a-f]{12}|-) handler=(?P<handler>\S+) "
    r"ms=\d+\.\d outcome=(?P<outcome>ok|error)$"
)


def update_lines(caplog: pytest.LogCaptureFixture) -> list[re.Match[str]]:
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.updates"]
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    return [m for m in matches if m]


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels or None) or 0.0


async def test_one_line_per_update_with_hashed_user_and_no_text(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.updates")
    salt = "salt-for-this-test"
    async with bot_world(tmp_path, LOG_HASH_SALT=salt) as (server, _app, _svc):
        await server.ask(SECRET_ID, "/start")
        await server.ask(SECRET_ID, SECRET_TEXT)

    lines = update_lines(caplog)
    assert [m["handler"] for m in lines] == ["start.start", "qa.question_message"]
    assert {m["user"] for m in lines} == {hash_user(salt.encode(), SECRET_ID)}
    assert {(m["type"], m["outcome"]) for m in lines} == {("message", "ok")}
    everything = "\n".join(r.getMessage() for r in caplog.records if r.name == "bot.updates")
    assert str(SECRET_ID) not in everything
    assert SECRET_TEXT not in everything and "Rạch Sỏi" not in everything
    assert server.token not in everything


def test_user_hash_is_salted_short_and_stable() -> None:
    one = hash_user(b"salt-a", SECRET_ID)
    assert one == hash_user(b"salt-a", SECRET_ID)
    assert one != hash_user(b"salt-b", SECRET_ID)
    assert one != hash_user(b"salt-a", SECRET_ID + 1)
    assert len(one) == 12 and str(SECRET_ID) not in one


async def test_failed_and_stopped_updates_name_their_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Errors count and mark the line; a pre-processing handler names only what it stops."""
    caplog.set_level(logging.INFO, logger="bot.updates")

    async def gate(update: Update, _context: object) -> None:
        if update.message and update.message.text == "drop":
            raise ApplicationHandlerStop

    async def explode(update: Update, _context: object) -> None:
        if update.message.text == "boom":
            raise RuntimeError("handler failed")
        await update.message.reply_text("fine")

    async def apologise(update: object, _context: object) -> None:
        if isinstance(update, Update) and update.effective_chat:
            await update.effective_chat.send_message("sorry")

    errors_before = value("bot_errors_total", source="update")
    async with BotApiServer() as server:
        processor = PerUserUpdateProcessor(4, observer=UpdateLog(b"salt"))
        app = build_bare_application(server, concurrent_updates=processor)
        app.add_handler(TypeHandler(Update, gate), group=-1)
        app.add_handler(MessageHandler(filters.TEXT, explode))
        app.add_error_handler(apologise)
        instrument_handlers(app)
        instrument_handlers(app)  # idempotent
        async with running_bot(app):
            await server.ask(1, "boom")  # the apology
            await server.ask(1, "hello")
            await server.send_text(1, "drop")
            await server.ask(1, "hello")  # in order after "drop"

    lines = [(m["handler"], m["outcome"]) for m in update_lines(caplog)]
    name = "tests.test_metrics_logs."
    assert lines == [
        (f"{name}test_failed_and_stopped_updates_name_their_handler.<locals>.explode", "error"),
        (f"{name}test_failed_and_stopped_updates_name_their_handler.<locals>.explode", "ok"),
        (f"{name}test_failed_and_stopped_updates_name_their_handler.<locals>.gate", "ok"),
        (f"{name}test_failed_and_stopped_updates_name_their_handler.<locals>.explode", "ok"),
    ]
    assert value("bot_errors_total", source="update") - errors_before == 1


def test_counters_for_other_modules_appear_in_the_exposition() -> None:
    reports, nudges = value("bot_reports_saved_total"), value("bot_nudges_sent_total")
    REPORTS_SAVED.inc()
    NUDGES_SENT.inc(2)
    text, content_type = render()
    assert content_type.startswith("text/plain")
    assert f"bot_reports_saved_total {reports + 1}" in text.decode()
    assert f"bot_nudges_sent_total {nudges + 2}" in text.decode()
    assert "_created" not in text.decode()
