"""End-to-end support: the real bot Application, polling the loopback Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.app import build_application, build_services
from bot.runtime import started
from bot.settings import Settings
from storage.db import Database
from tests.botapi import BotApiServer
from usecases.services import Services

#: FAST_PATHS for the bots these helpers build (the both_paths fixture runs a test on each).
PATHS = {"FAST_PATHS": "1"}


def settings_for(server: BotApiServer, data_dir: Path, **env: str) -> Settings:
    values = {
        **PATHS,
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": env.pop("DATABASE_URL", f"sqlite+aiosqlite:///{data_dir / 'bot.db'}"),
    }
    values.update(env)
    return Settings.from_env(values)


@contextlib.asynccontextmanager
async def running_app(
    server: BotApiServer,
    data_dir: Path,
    *,
    clock: Any = None,
    engine: dict[str, Any] | None = None,
    **env: str,
) -> AsyncIterator[tuple[Application, Services]]:
    """Build the real Application for ``server`` and run it with long polling.

    ``engine``: SQLAlchemy engine options for the bot's database (e.g. a tiny pool).
    """
    settings = settings_for(server, data_dir, **env)
    services = build_services(settings)
    if clock is not None:
        services.clock = clock
    if engine is not None:
        await services.db.dispose()
        services.db = Database(settings.database_url, **engine)
    app = build_application(settings, services=services)
    async with started(app, polling=True):
        yield app, services


@contextlib.asynccontextmanager
async def bot_world(
    tmp_path: Path, *, clock: Any = None, engine: dict[str, Any] | None = None, **env: str
) -> AsyncIterator[tuple[BotApiServer, Application, Services]]:
    """A loopback server plus the running bot."""
    async with BotApiServer() as server, running_app(
        server, tmp_path, clock=clock, engine=engine, **env
    ) as (app, services):
        yield server, app, services


class FakeTime:
    """A clock that sleeping advances (no real waiting): for the reminder pacer and retries."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        self.slept += max(seconds, 0.0)
        await asyncio.sleep(0)


def fake_time_runner(services: Services, **options: Any) -> Any:
    """A reminder runner whose pacer and retry pauses run on a :class:`FakeTime`."""
    from bot.jobs.reminders import NudgeRunner
    from handlers.outbox import Pacer

    time = FakeTime()
    runner = NudgeRunner(services, pacer=Pacer(clock=time.clock, sleep=time.sleep),
                         sleep=time.sleep, **options)
    runner.time = time  # type: ignore[attr-defined]
    return runner
