"""Run a real python-telegram-bot Application against the loopback Bot API server."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from tests.botapi.server import BotApiServer


def application_builder(server: BotApiServer) -> ApplicationBuilder:
    """An ApplicationBuilder whose bot talks to `server` (add handlers/options, then build)."""
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
    )


def build_bare_application(server: BotApiServer, **options: Any) -> Application:
    """A bare Application for `server`; `options` are ApplicationBuilder calls, e.g.
    ``rate_limiter=AIORateLimiter()`` or ``concurrent_updates=True``."""
    builder = application_builder(server)
    for name, value in options.items():
        builder = getattr(builder, name)(value)
    return builder.build()


@contextlib.asynccontextmanager
async def running_bot(
    app: Application, *, drop_pending_updates: bool = False
) -> AsyncIterator[Application]:
    """Initialize, start polling (1 s long polls) and start `app`; shut all down on exit."""
    await app.initialize()
    try:
        await app.updater.start_polling(
            poll_interval=0, timeout=1, drop_pending_updates=drop_pending_updates
        )
        await app.start()
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


@contextlib.asynccontextmanager
async def running_webhook_bot(
    app: Application, *, port: int, secret_token: str | None = None, url_path: str = "hook"
) -> AsyncIterator[str]:
    """Start `app` with PTB's own webhook server on 127.0.0.1:`port`; yields the webhook URL.

    PTB calls setWebhook on the fake server, which then POSTs injected updates to it.
    """
    url = f"http://127.0.0.1:{port}/{url_path}"
    await app.initialize()
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path=url_path,
            webhook_url=url,
            secret_token=secret_token,
        )
        await app.start()
        yield url
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
