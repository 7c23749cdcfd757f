"""Start and stop the Application outside ``run_polling`` (console, tests, benchmarks)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.ext import Application


@asynccontextmanager
async def started(app: Application, *, polling: bool = False) -> AsyncIterator[Application]:
    """Initialize, run ``post_init`` (migrations, schedules) and start; undo it all on exit."""
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        if polling and app.updater is not None:
            await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            if polling and app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
