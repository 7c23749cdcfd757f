"""SQLPersistence: JSON round trips, batching, multi-instance refresh, and a real restart."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from telegram import Update
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.persistence import SQLPersistence
from kernel.calendar import Month
from kernel.counts import CaseCounts
from storage.db import Database
from storage.json_codec import decode, encode
from tests.botapi import BotApiServer, application_builder, running_bot


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1, "b": [1, 2.5, None, True], "c": {"d": "é"}},
        {"t": (1, "x"), "s": {1, 2}, 3: "int key", (1, 2): "tuple key"},
        {"when": datetime(2025, 10, 3, 4, 5, tzinfo=UTC), "day": date(2025, 10, 3)},
        {"month": Month(2025, 10), "counts": CaseCounts(1, 2, 3, injury_drowning=1)},
        {"__tuple__": "looks like a tag", "__type__": "x", "fields": {}},
    ],
)
def test_codec_round_trip(value: dict) -> None:
    assert decode(encode(value)) == value


def test_codec_refuses_unknown_objects() -> None:
    with pytest.raises(TypeError, match="object"):
        encode({"x": object()})


async def test_data_and_conversations_survive_a_new_instance(db: Database) -> None:
    first = SQLPersistence(db)
    await first.update_user_data(7, {"draft": {"month": Month(2025, 10), "abuse": 2}})
    await first.update_user_data(8, {"x": 1})
    await first.update_chat_data(-100, {"lang": "vi"})
    await first.update_conversation("report", (7, 7), 2)
    await first.update_conversation("report", (8, 8), 1)
    await first.update_conversation("report", (8, 8), None)
    await first.drop_user_data(8)
    await first.update_callback_data(([("kb1", 1.5, {"b": ("x", 1)})], {"q1": "kb1"}))
    await first.flush()

    second = SQLPersistence(db)
    assert await second.get_user_data() == {
        7: {"draft": {"month": Month(2025, 10), "abuse": 2}}
    }
    assert await second.get_chat_data() == {-100: {"lang": "vi"}}
    assert await second.get_conversations("report") == {(7, 7): 2}
    assert await second.get_conversations("other") == {}
    assert await second.get_callback_data() == ([("kb1", 1.5, {"b": ("x", 1)})], {"q1": "kb1"})
    assert await second.get_bot_data() == {}


async def test_unstorable_values_are_skipped_not_fatal(db: Database) -> None:
    persistence = SQLPersistence(db)
    await persistence.update_user_data(1, {"bad": object()})
    await persistence.update_user_data(2, {"good": 1})
    assert await SQLPersistence(db).get_user_data() == {2: {"good": 1}}


async def test_refresh_from_db_sees_other_instances_only_when_newer(db: Database) -> None:
    a = SQLPersistence(db, refresh_from_db=True)
    b = SQLPersistence(db, refresh_from_db=True)
    await a.update_user_data(5, {"step": 1})
    mine = (await b.get_user_data())[5]
    await b.refresh_user_data(5, mine)
    assert mine == {"step": 1}

    await a.update_user_data(5, {"step": 2})  # another instance moves on
    await b.refresh_user_data(5, mine)
    assert mine == {"step": 2}

    mine["step"] = 3  # a local change not yet saved is not overwritten
    await b.refresh_user_data(5, mine)
    assert mine == {"step": 3}
    await b.update_user_data(5, mine)
    theirs = {"step": 2}
    await a.refresh_user_data(5, theirs)
    assert theirs == {"step": 3}


ASK_ABUSE, ASK_INJURY = range(2)


def _report_conversation() -> ConversationHandler:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data["draft"] = {"month": Month(2025, 10)}
        await update.effective_chat.send_message("abuse?")
        return ASK_ABUSE

    async def abuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data["draft"]["abuse"] = int(update.message.text)
        await update.effective_chat.send_message("injury?")
        return ASK_INJURY

    async def injury(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        draft = context.user_data.pop("draft")
        await update.effective_chat.send_message(
            f"saved {draft['month'].key} abuse={draft['abuse']} injury={update.message.text}"
        )
        return ConversationHandler.END

    number = filters.Regex(r"^\d+$")
    return ConversationHandler(
        entry_points=[CommandHandler("report", start)],
        states={
            ASK_ABUSE: [MessageHandler(number, abuse)],
            ASK_INJURY: [MessageHandler(number, injury)],
        },
        fallbacks=[],
        name="report",
        persistent=True,
    )


def _app(server: BotApiServer, db: Database) -> Application:
    app = application_builder(server).persistence(SQLPersistence(db)).build()
    app.bot_data["live"] = object()  # must survive: bot_data is not persisted by default
    app.add_handler(_report_conversation())
    return app


async def test_half_entered_report_survives_restart(db: Database) -> None:
    user = 4242
    async with BotApiServer() as server:
        async with running_bot(_app(server, db)):
            assert (await server.ask(user, "/report"))[0].text == "abuse?"
            assert (await server.ask(user, "3"))[0].text == "injury?"
        restarted = _app(server, db)
        async with running_bot(restarted):
            assert "live" in restarted.bot_data
            reply = await server.ask(user, "5")
    assert reply[0].text == "saved 2025-10 abuse=3 injury=5"
