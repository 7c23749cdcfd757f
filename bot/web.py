"""Webhook mode: one small ASGI server (Starlette on uvicorn) in front of the Application.

Routes:

* ``POST <path of WEBHOOK_URL>`` - Telegram's updates; refused with 403 unless the
  ``X-Telegram-Bot-Api-Secret-Token`` header equals ``WEBHOOK_SECRET``. An accepted update is
  handled through the Application's update processor (per-user order, bounded concurrency;
  no ``Updater``) and its state written before Telegram gets ``200``: an instance that dies
  first never answers, so Telegram delivers the update again, possibly to another instance.
  A failure to write the state answers ``500`` for the same reason;
* ``GET /healthz`` - liveness: the process answers;
* ``GET /readyz`` - readiness: the database answers ``SELECT 1`` and the Application runs;
* ``GET /metrics`` - Prometheus text format (see :mod:`kernel.metrics`).

At start the webhook is (re)registered with the secret and the allowed update types; at
shutdown it is left in place, because other instances behind the load balancer still serve it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import socket
from collections.abc import AsyncIterator, Sequence
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot import webapp
from bot.asgi_server import QuietServer, until_started
from bot.runtime import started
from bot.settings import Settings
from bot.shared_app import SharedStateApplication
from kernel.metrics import WEBHOOK_REJECTED, render
from storage.db import Database
from usecases.services import services_of

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram updates are a few kilobytes; anything far larger is not from Telegram.
MAX_BODY_BYTES = 1024 * 1024
READY_TIMEOUT_S = 3.0
#: uvicorn's C-based HTTP/1.1 parser: a fifth less CPU per update than its pure-Python h11.
HTTP_PARSER = "httptools"


def webhook_path(url: str) -> str:
    """The local path Telegram posts to: the path of WEBHOOK_URL (``/`` if it has none)."""
    return urlsplit(url).path or "/"


async def readiness(application: Application, db: Database) -> tuple[bool, dict[str, str]]:
    """Whether this instance should get traffic, with the state of each check."""
    checks = {"application": "running" if application.running else "stopped"}
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            async with db.read_session() as session:
                await session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"error: {type(exc).__name__}"
    return application.running and checks["database"] == "ok", checks


def build_web_app(application: Application, settings: Settings) -> Starlette:
    """The ASGI app: webhook, health, readiness and metrics routes."""
    if not settings.webhook_url or not settings.webhook_secret:
        raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
    secret = settings.webhook_secret.encode()
    db = services_of(application.bot_data).db

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            WEBHOOK_REJECTED.labels("secret").inc()
            log.info("webhook request refused: %s secret", "wrong" if given else "missing")
            return JSONResponse({"ok": False, "error": "forbidden"}, status_code=403)
        body = await _read_body(request, MAX_BODY_BYTES)
        if body is None:
            WEBHOOK_REJECTED.labels("too_large").inc()
            return JSONResponse({"ok": False, "error": "too large"}, status_code=413)
        update = _parse_update(body, application)
        if update is None:
            WEBHOOK_REJECTED.labels("malformed").inc()
            return JSONResponse({"ok": False, "error": "malformed update"}, status_code=400)
        if not application.running:
            # Telegram retries later (possibly on another instance).
            return JSONResponse({"ok": False, "error": "not running"}, status_code=503)
        try:
            await handle_now(application, update)
        except Exception:  # noqa: BLE001 - e.g. the database is down: Telegram retries
            log.exception("update %s not handled; Telegram will deliver it again",
                          update.update_id)
            return JSONResponse({"ok": False, "error": "not handled"}, status_code=500)
        return Response(status_code=200)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        ready, checks = await readiness(application, db)
        body = {"status": "ready" if ready else "not ready", **checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    async def metrics(_: Request) -> Response:
        payload, content_type = render()
        return Response(payload, headers={"Content-Type": content_type})

    dashboard = webapp.routes(application, settings) if settings.webapp_url else []
    return Starlette(
        routes=[
            Route(webhook_path(settings.webhook_url), receive_update, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            *dashboard,
        ]
    )


async def handle_now(application: Application, update: Update) -> None:
    """Handle ``update`` as PTB's update fetcher would, then write the state it left (a
    :class:`bot.shared_app.SharedStateApplication` writes it as part of the update)."""
    await application.update_processor.process_update(update, application.process_update(update))
    if not isinstance(application, SharedStateApplication):
        await application.update_persistence()


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None if it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_update(body: bytes, application: Application) -> Update | None:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested absurdly deep
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, application.bot)
    except Exception:  # noqa: BLE001 - malformed fields: refuse, never crash the server
        return None


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise OSError(
            f"cannot listen on {host}:{port} (WEBHOOK_LISTEN, WEBHOOK_PORT): {exc}"
        ) from exc


@contextlib.asynccontextmanager
async def serving(
    application: Application,
    settings: Settings,
    *,
    allowed_updates: Sequence[str],
) -> AsyncIterator[int]:
    """Run the Application and the web server; yields the port actually listened on.

    Order on entry: start the Application (migrations), listen, then ``setWebhook``. On exit:
    stop accepting requests (finishing those in flight), then stop the Application, which
    handles every update already queued. The webhook stays registered.
    """
    assert settings.webhook_url and settings.webhook_secret
    web_app = build_web_app(application, settings)
    async with started(application):
        sock = _listen(settings.webhook_listen, settings.webhook_port)
        config = uvicorn.Config(
            web_app, log_config=None, access_log=False, lifespan="off", server_header=False,
            http=HTTP_PARSER,
        )
        server = QuietServer(config)
        task = asyncio.create_task(server.serve(sockets=[sock]), name="webhook-server")
        try:
            await until_started(server, task, "webhook server")
            await application.bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=list(allowed_updates),
            )
            log.info("webhook set; serving on %s:%d", *sock.getsockname()[:2])
            yield sock.getsockname()[1]
        finally:
            server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await task
            sock.close()


async def run_webhook(
    application: Application, settings: Settings, *, allowed_updates: Sequence[str]
) -> None:
    """Serve until SIGINT or SIGTERM, then shut down gracefully (``python -m bot``)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        async with serving(application, settings, allowed_updates=allowed_updates):
            await stop.wait()
            log.info("stopping: finishing requests and queued updates")
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
