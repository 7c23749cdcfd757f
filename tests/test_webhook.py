"""Webhook mode end to end: the loopback Bot API server posts updates to the real bot's server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from telegram.ext import Application

from bot.app import ALLOWED_UPDATES, build_application
from bot.settings import ROOT
from bot.web import readiness, serving
from storage.db import Database
from tests.botapi import BotApiServer, free_port
from tests.e2e_support import settings_for
from usecases.services import services_of

SECRET = "webhook-secret_0123456789"
OFFICER = 4401
STRANGER = 4402


class World:
    def __init__(self, server: BotApiServer, app: Application, root: str, hook: str) -> None:
        self.server = server
        self.app = app
        self.root = root  # http://127.0.0.1:PORT
        self.hook = hook  # the webhook URL


@contextlib.asynccontextmanager
async def webhook_world(tmp_path: Path, **env: str) -> AsyncIterator[World]:
    """A loopback Bot API server and the real bot in webhook mode on a local port."""
    async with BotApiServer() as server:
        port = free_port()
        hook = f"http://127.0.0.1:{port}/telegram/updates"
        settings = settings_for(
            server,
            tmp_path,
            WEBHOOK_URL=hook,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
            **env,
        )
        app = build_application(settings)
        async with serving(app, settings, allowed_updates=ALLOWED_UPDATES):
            yield World(server, app, f"http://127.0.0.1:{port}", hook)


def raw_message(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Khách", "language_code": "vi"}
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Khách"},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


def metric(text: str, name: str, **labels: str) -> float:
    """A sample's value in Prometheus text (0 if absent)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(url)


async def test_registers_the_webhook_with_secret_and_answers_through_it(tmp_path: Path) -> None:
    async with webhook_world(tmp_path) as world:
        server = world.server
        assert server.webhook["url"] == world.hook
        assert server.webhook["secret_token"] == SECRET
        assert server.webhook["allowed_updates"] == list(ALLOWED_UPDATES)

        (welcome,) = await server.ask(OFFICER, "/start")
        assert "/plan" in welcome.text
        (reply,) = await server.ask(OFFICER, "/help")
        assert "/lang" in reply.text
        assert [d.status for d in server.deliveries] == [200, 200]
        assert {d.url for d in server.deliveries} == {world.hook}
        hook = world.hook
    # Shutting down leaves the webhook to the other instances.
    assert server.webhook["url"] == hook
    assert "deleteWebhook" not in {method for method, _params, _status in server.api_calls}


async def test_requests_without_the_right_secret_are_refused_and_never_processed(
    tmp_path: Path,
) -> None:
    async with webhook_world(tmp_path) as world:
        server = world.server
        before = (await get(f"{world.root}/metrics")).text

        wrong = await server.deliver_webhook(
            world.hook, raw_message(9001, STRANGER, "/help"), secret_token="not-the-secret-000"
        )
        missing = await server.deliver_webhook(world.hook, raw_message(9002, STRANGER, "/help"))
        assert (wrong, missing) == (403, 403)

        # Updates of one user are handled in order, so had a refused /help been queued,
        # its answer would come before the answer to this /start.
        (welcome,) = await server.ask(STRANGER, "/start")
        assert "/plan" in welcome.text
        assert [m.text for m in server.messages_to(STRANGER)] == [welcome.text]

        after = (await get(f"{world.root}/metrics")).text

        def delta(name: str, **labels: str) -> float:
            return metric(after, name, **labels) - metric(before, name, **labels)

        assert delta("bot_webhook_rejected_total", reason="secret") == 2
        assert delta("bot_updates_received_total", type="message") == 1


async def test_malformed_bodies_are_refused(tmp_path: Path) -> None:
    async with webhook_world(tmp_path) as world:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient(timeout=10) as client:
            not_json = await client.post(world.hook, content=b"{oops", headers=headers)
            no_id = await client.post(world.hook, json={"message": {}}, headers=headers)
            huge = await client.post(world.hook, content=b"x" * (2 * 1024 * 1024), headers=headers)
            wrong_method = await client.get(world.hook)
            nested = b'{"update_id": 1, "message": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001
            deep = await client.post(world.hook, content=nested, headers=headers)
            deep_list = await client.post(
                world.hook, content=b'{"update_id": 2, "x": ' + b"[" * 200_000 + b"]" * 200_000
                + b"}", headers=headers)
        assert (not_json.status_code, no_id.status_code) == (400, 400)
        assert (deep.status_code, deep_list.status_code) == (400, 400)  # not a 500
        assert huge.status_code == 413
        assert wrong_method.status_code == 405


async def test_health_readiness_and_metrics(tmp_path: Path) -> None:
    async with webhook_world(tmp_path) as world:
        server = world.server
        before = (await get(f"{world.root}/metrics")).text
        await server.ask(OFFICER, "/start")
        await server.ask(OFFICER, "/help")
        await server.ask(OFFICER, "chi tieu 14 nam 2025 rach gia")

        health = await get(f"{world.root}/healthz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        ready = await get(f"{world.root}/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "application": "running", "database": "ok"}

        response = await get(f"{world.root}/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        after = response.text

        def delta(name: str, **labels: str) -> float:
            return metric(after, name, **labels) - metric(before, name, **labels)

        assert delta("bot_updates_received_total", type="message") == 3
        assert delta("bot_replies_sent_total", method="sendMessage") >= 3
        assert delta("bot_update_handling_seconds_count", handler="start.start") == 1
        assert delta("bot_update_handling_seconds_count", handler="qa.help_command") == 1
        assert delta("bot_update_handling_seconds_count", handler="qa.question_message") == 1
        for name in ("errors", "reports_saved", "nudges_sent", "webhook_rejected"):
            assert f"# TYPE bot_{name}_total counter" in after

        # A stopped Application is not ready (the load balancer takes the instance out).
        await world.app.stop()
        stopped = await get(f"{world.root}/readyz")
        assert stopped.status_code == 503
        assert stopped.json()["application"] == "stopped"


async def test_readiness_fails_when_the_database_is_unreachable(tmp_path: Path) -> None:
    async with webhook_world(tmp_path) as world:
        assert (await readiness(world.app, services_of(world.app.bot_data).db))[0]
        unreachable = Database(f"postgresql+asyncpg://bot:pw@127.0.0.1:{free_port()}/bot")
        try:
            ready, checks = await readiness(world.app, unreachable)
        finally:
            await unreachable.dispose()
        assert not ready
        assert checks["application"] == "running"
        assert checks["database"].startswith("error")


async def test_python_m_bot_serves_the_webhook_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    """The real entry point: webhook mode from the environment, graceful SIGTERM."""
    async with BotApiServer() as server:
        port = free_port()
        hook = "https://bot.example.org/telegram/updates"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "TELEGRAM_"))},
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "WEBHOOK_URL": hook,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            await until(lambda: server.webhook.get("url") == hook or proc.poll() is not None)
            assert proc.poll() is None, "the bot exited during start-up"
            # The public URL is behind a proxy; deliver to the local listener instead.
            server.set_webhook_targets([f"http://127.0.0.1:{port}/telegram/updates"], SECRET)
            (reply,) = await server.ask(OFFICER, "/help", timeout=30)
            assert "/lang" in reply.text
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                _, stderr = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
        log = stderr.decode()
        assert proc.returncode == 0, log
        assert "stopping: finishing requests" in log
        assert server.token not in log
        assert server.webhook["url"] == hook  # left in place


def test_the_webhook_server_parses_http_with_httptools() -> None:
    from uvicorn.config import Config
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    from bot.web import HTTP_PARSER

    config = Config(app=lambda *_: None, http=HTTP_PARSER, lifespan="off", log_config=None)
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
