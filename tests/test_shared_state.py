"""Shared state for several instances: PTB internals, per-update reload, user locks, settings."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, text
from telegram import Update
from telegram.ext import (
    Application,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.ext._utils.trackingdict import TrackingDict

from bot.app import ALLOWED_UPDATES, build_application
from bot.persistence import SQLPersistence
from bot.settings import ConfigError, Settings
from bot.shared_app import SharedStateApplication
from bot.shared_state import (
    conversation_key,
    persistent_conversations,
    reload_user_state,
    set_state,
    states_of,
)
from bot.user_locks import LOCK_SPACE, NoUserLocks, UserLocks, fold, user_locks_for
from bot.web import serving
from kernel.i18n import translator
from storage.db import Database
from storage.models import Report
from tests.botapi import BotApiServer, application_builder, free_port
from tests.e2e_support import settings_for
from tests.report_world import OFFICER, data_of, labels, populate
from usecases.services import services_of

SECRET = "shared-state_0123456789"
WAIT = 30.0
ASK_A, ASK_B = "ask_a", "ask_b"



def raw_text(update_id: int, user_id: int, text_: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Cán bộ"}
    message: dict[str, Any] = {
        "message_id": update_id, "date": int(time.time()), "text": text_, "from": user,
        "chat": {"id": user_id, "type": "private", "first_name": "Cán bộ"},
    }
    if text_.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text_)}]
    return {"update_id": update_id, "message": message}


def _conversation() -> ConversationHandler:
    async def start(update: Update, _context: Any) -> str:
        await update.effective_chat.send_message("a?")
        return ASK_A

    async def answer_a(update: Update, _context: Any) -> str:
        await update.effective_chat.send_message("b?")
        return ASK_B

    return ConversationHandler(
        entry_points=[CommandHandler("go", start)],
        states={ASK_A: [MessageHandler(filters.TEXT, answer_a)], ASK_B: []},
        fallbacks=[],
        name="demo",
        persistent=True,
    )


# ---------------------------------------------------------------- PTB internals we rely on


async def test_the_ptb_internals_shared_state_relies_on(tmp_path: Path) -> None:
    """Fails loudly when python-telegram-bot changes what bot/shared_state.py touches."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'ptb.db'}")
    user = 5150
    try:
        async with BotApiServer() as server:
            app = application_builder(server).persistence(SQLPersistence(db)).build()
            handler = _conversation()
            app.add_handler(handler)
            app.add_handler(ConversationHandler([], {}, [], name="volatile"))  # not persistent
            await app.initialize()
            try:
                assert persistent_conversations(app) == [handler]
                states = states_of(handler)
                assert isinstance(states, TrackingDict)
                assert callable(states.update_no_track) and isinstance(states.data, dict)

                update = Update.de_json(raw_text(1, user, "/go"), app.bot)
                key = conversation_key(handler, update)
                assert key == (user, user)
                assert conversation_key(handler, object()) is None
                await app.process_update(update)
                assert states[key] == ASK_A  # PTB keeps the state in that mapping
                assert states.pop_accessed_keys() == {key}  # ... and tracks the write

                set_state(handler, key, ASK_B)  # our writes are not tracked
                assert states[key] == ASK_B and states.pop_accessed_keys() == set()
                set_state(handler, key, None)
                assert key not in states and states.pop_accessed_keys() == set()
                set_state(handler, key, ConversationHandler.END)
                assert key not in states
            finally:
                await app.shutdown()
    finally:
        await db.dispose()


async def test_only_marks_made_while_handling_count(tmp_path: Path) -> None:
    """PTB marks an update's user again after its task ended (Application internals); a
    SharedStateApplication ignores that mark so a stale copy is never written later."""
    assert {"update", "job"} <= set(
        inspect.signature(Application._mark_for_persistence_update).parameters
    )
    assert "_mark_for_persistence_update(update=update)" in inspect.getsource(Application)
    user = 5152
    async with BotApiServer() as server:
        settings = settings_for(server, tmp_path, SHARED_STATE="1", NUDGE_INTERVAL="0")
        app = build_application(settings)
        assert isinstance(app, SharedStateApplication)
        await app.initialize()
        try:
            update = Update.de_json(raw_text(1, user, "/help"), app.bot)
            await app.process_update(update)
            assert server.messages_to(user)  # handled, and its data written already
            marked = app._user_ids_to_be_updated_in_persistence  # noqa: SLF001
            assert user not in marked
            app._mark_for_persistence_update(update=update)  # what PTB does after the task
            assert user not in app._user_ids_to_be_updated_in_persistence  # noqa: SLF001
        finally:
            await app.shutdown()
            await services_of(app.bot_data).db.dispose()


async def test_states_of_refuses_a_handler_without_persistence() -> None:
    with pytest.raises(TypeError, match="not initialised for persistence"):
        states_of(_conversation())


async def test_reload_takes_the_state_another_instance_stored(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'reload.db'}")
    user = 5151
    try:
        async with BotApiServer() as server:
            apps = []
            for _ in range(2):
                app = application_builder(server).persistence(SQLPersistence(db)).build()
                app.add_handler(_conversation())
                await app.initialize()
                apps.append(app)
            first, second = apps
            (mine,), (theirs,) = (persistent_conversations(a) for a in apps)
            start = Update.de_json(raw_text(1, user, "/go"), first.bot)
            await first.process_update(start)
            await first.update_persistence()
            key = conversation_key(mine, start)
            assert key not in states_of(theirs)  # loaded once, at start-up

            assert (await reload_user_state(second, start)).refreshed == 1
            assert states_of(theirs)[key] == ASK_A
            await second.process_update(Update.de_json(raw_text(2, user, "x"), second.bot))
            await second.update_persistence()
            assert server.messages_to(user)[-1].text == "b?"

            await reload_user_state(first, start)
            assert states_of(mine)[key] == ASK_B
            del states_of(theirs)[key]  # the conversation ends there (as PTB does it)
            await second.update_persistence()
            await reload_user_state(first, start)
            assert key not in states_of(mine)
            for app in apps:
                await app.shutdown()
    finally:
        await db.dispose()


async def test_reload_for_update_reads_one_key_and_newer_data(db: Database) -> None:
    writer, reader = SQLPersistence(db), SQLPersistence(db)
    await writer.update_conversation("report", (7, 7), "count")
    await writer.update_conversation("report", (8, 8), "month")
    assert await reader.reload_for_update((7, 7), ["report", "other"]) == {
        "report": "count", "other": None,
    }
    await writer.update_conversation("report", (7, 7), None)
    assert await reader.reload_for_update((7, 7), ["report"]) == {"report": None}
    assert await reader.reload_for_update((7, 7), []) == {}

    await writer.update_user_data(7, {"draft": 1})
    mine: dict[str, Any] = {"draft": 0}
    chat: dict[str, Any] = {}
    await reader.reload_for_update((7, 7), [], user=(7, mine), chat=(7, chat))
    assert (mine, chat) == ({"draft": 1}, {})  # newer: taken; nothing stored: kept
    mine["draft"] = 2  # a local change, not newer in the database: kept
    await reader.reload_for_update((7, 7), [], user=(7, mine))
    assert mine == {"draft": 2}
    await reader.update_user_data(7, mine)
    theirs: dict[str, Any] = {"draft": 1}
    await writer.reload_for_update((7, 7), [], user=(7, theirs))
    assert theirs == {"draft": 2}


# ---------------------------------------------------------------- two instances, one database


@contextlib.asynccontextmanager
async def two_instances(
    server: BotApiServer, tmp_path: Path, url: str
) -> AsyncIterator[list[Application]]:
    """Two real Applications in webhook mode on one database; updates go to each in turn."""
    async with contextlib.AsyncExitStack() as stack:
        apps, hooks = [], []
        for i in range(2):
            port = free_port()
            hook = f"http://127.0.0.1:{port}/telegram/updates"
            settings = settings_for(
                server, tmp_path / f"instance{i}", DATABASE_URL=url, WEBHOOK_URL=hook,
                WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port), WEBHOOK_SECRET=SECRET,
                NUDGE_INTERVAL="0", BOT_NOW="2025-11-03T09:00",
            )
            app = build_application(settings)
            await stack.enter_async_context(
                serving(app, settings, allowed_updates=ALLOWED_UPDATES)
            )
            apps.append(app)
            hooks.append(hook)
        server.set_webhook_targets(hooks, SECRET)
        yield apps


@pytest.mark.postgres
async def test_two_instances_take_turns_on_one_report(tmp_path: Path, pg_url: str) -> None:
    seed_db = Database(pg_url)
    try:
        await populate(SimpleNamespace(db=seed_db))  # type: ignore[arg-type]
        async with BotApiServer() as server, two_instances(server, tmp_path, pg_url) as apps:
            assert all(isinstance(app, SharedStateApplication) for app in apps)
            (months,) = await server.ask(OFFICER, "/baocao", timeout=WAIT)  # first
            (abuse,) = await server.press(OFFICER, months, "rp:m:2025-10", timeout=WAIT)  # second
            assert "xâm hại trẻ em" in abuse.text
            (details,) = await server.ask(OFFICER, "2", timeout=WAIT)  # first
            assert "Trong 2 ca xâm hại trẻ em" in details.text
            (injury,) = await server.ask(OFFICER, "bạo lực 1, tình dục 1", timeout=WAIT)
            (injury_details,) = await server.press(OFFICER, injury, "rp:n:1", timeout=WAIT)
            (marriage,) = await server.press(OFFICER, injury_details, "rp:s", timeout=WAIT)
            (summary,) = await server.ask(OFFICER, "0", timeout=WAIT)
            assert "Xâm hại trẻ em: 2 (bạo lực 1, xâm hại tình dục 1)" in summary.text
            assert "✅ Xác nhận" in labels(summary)
            (saved,) = await server.press(OFFICER, summary, data_of(summary, "rp:ok:"),
                                          timeout=WAIT)
            assert "Đã lưu" in saved.text
            # The conversation ended on one instance; the other no longer asks for counts.
            (answer,) = await server.ask(OFFICER, "3", timeout=WAIT)
            assert "Có bao nhiêu ca" not in answer.text
        async with seed_db.read_session() as session:
            (report,) = (await session.scalars(select(Report))).all()
        assert (report.abuse, report.abuse_violence, report.abuse_sexual) == (2, 1, 1)
        assert (report.injury, report.marriage) == (1, 0)
        targets = {d.url for d in server.deliveries}
        assert len(targets) == 2  # both instances took part
    finally:
        await seed_db.dispose()


@pytest.mark.postgres
async def test_the_other_instance_sees_a_language_change_at_once_and_drops_a_redelivery(
    tmp_path: Path, pg_url: str
) -> None:
    seed_db = Database(pg_url)
    try:
        await populate(SimpleNamespace(db=seed_db))  # type: ignore[arg-type]
        async with BotApiServer() as server, two_instances(server, tmp_path, pg_url):
            (help_vi,) = await server.ask(OFFICER, "/help", timeout=WAIT)  # first: caches
            (done,) = await server.ask(OFFICER, "/lang en", timeout=WAIT)  # second
            assert done.text == translator("en").gettext("Language set: English.")
            (help_en,) = await server.ask(OFFICER, "/help", timeout=WAIT)  # first, at once
            assert help_en.text != help_vi.text
            assert help_en.text == (await server.ask(OFFICER, "/help", timeout=WAIT))[0].text

            # Telegram delivers an update again (e.g. its answer was lost): to the other
            # instance, which knows it was handled and stays silent.
            mark = server.mark()
            sent = await server.send_text(OFFICER, "/help")  # answered once handled
            assert len(server.calls(chat_id=OFFICER, since=mark)) == 1
            await server.duplicate(sent)
            await asyncio.sleep(0.3)
            assert len(server.calls(chat_id=OFFICER, since=mark)) == 1
            assert [d.status for d in server.deliveries[-2:]] == [200, 200]
            assert len({d.url for d in server.deliveries[-2:]}) == 2
    finally:
        await seed_db.dispose()


# ---------------------------------------------------------------- user locks


@pytest.mark.postgres
async def test_user_locks_exclude_other_instances_until_released_or_dead(pg_url: str) -> None:
    a, b = UserLocks(pg_url), UserLocks(pg_url, wait_s=0)
    probe = Database(pg_url)

    async def held() -> int:
        async with probe.read_session() as session:
            query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = :s"
            return int(await session.scalar(text(query), {"s": LOCK_SPACE}) or 0)

    try:
        async with a.holding(7_000_000_001) as got:
            assert got and await held() == 1
            async with b.holding(7_000_000_001) as other:
                assert not other  # held elsewhere: b gives up at once (wait_s=0)
            async with b.holding(7_000_000_002) as different_user:
                assert different_user
        assert await held() == 0
        async with b.holding(7_000_000_001) as got_after_release:
            assert got_after_release

        waiting = UserLocks(pg_url)
        try:
            holder = a.holding(42)
            assert await holder.__aenter__()
            task = asyncio.create_task(_hold(waiting, 42))
            await a.close()  # the holder's connections close, as when a process dies
            assert await asyncio.wait_for(task, WAIT)
        finally:
            await waiting.close()
    finally:
        await b.close()
        await a.close()
        await probe.dispose()


async def _hold(locks: UserLocks, user_id: int) -> bool:
    async with locks.holding(user_id) as got:
        return got


def test_lock_keys_fold_into_32_bits() -> None:
    assert fold(5) == 5 and fold(-5) == -5 and fold(2**31) == -(2**31)
    big = 7_000_000_001  # Telegram ids exceed 32 bits
    assert -(2**31) <= fold(big) < 2**31 and fold(big) == fold(big + 2**32) != fold(big + 1)
    assert isinstance(user_locks_for("sqlite+aiosqlite:///x.db", "sqlite"), NoUserLocks)


# ---------------------------------------------------------------- settings


def test_shared_state_defaults_on_for_postgresql_only() -> None:
    pg = "postgresql+asyncpg://bot@db/bot"
    assert Settings.from_env({"DATABASE_URL": pg}).shared_state
    assert not Settings.from_env({"DATABASE_URL": "sqlite+aiosqlite:///x.db"}).shared_state
    assert not Settings.from_env({"DATABASE_URL": pg, "SHARED_STATE": "0"}).shared_state
    assert Settings.from_env({"DATABASE_URL": "sqlite:///x.db", "SHARED_STATE": "on"}).shared_state
    with pytest.raises(ConfigError, match="SHARED_STATE must be 1 or 0"):
        Settings.from_env({"SHARED_STATE": "maybe"})
    assert Settings.from_env({}).send_rate_limit == 30
    assert Settings.from_env({"SEND_RATE_LIMIT": "0"}).send_rate_limit == 0
    with pytest.raises(ConfigError, match="SEND_RATE_LIMIT"):
        Settings.from_env({"SEND_RATE_LIMIT": "-1"})


def test_one_instance_keeps_the_plain_application(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'one.db'}", "DATA_DIR": str(tmp_path)}
    plain = build_application(Settings.from_env(env))
    assert type(plain) is Application
    assert plain.persistence is not None and not plain.persistence.refresh_from_db
    shared = build_application(Settings.from_env({**env, "SHARED_STATE": "1"}))
    assert isinstance(shared, SharedStateApplication)
    assert not shared.persistence.refresh_from_db  # it reloads per update itself
    assert isinstance(shared.user_locks, NoUserLocks)
