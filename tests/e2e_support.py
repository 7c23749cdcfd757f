"""End-to-end support: the real bot Application, polling the loopback Bot API server."""

from __future__ import annotations

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


def settings_for(server: BotApiServer, data_dir: Path, **env: str) -> Settings:
    values = {
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
