"""The supervisors' dashboard as a Telegram Mini App, served by the bot's own process: the
page (HTML, script and styles from ``bot/webapp_static``, nothing from elsewhere) and its JSON
API under the path of ``WEBAPP_URL`` (default ``/app``).

Every API request carries the Mini App's init data (``Authorization: tma <initData>``), checked
with the bot token (usecases.dashboard.init_data) and not older than ``WEBAPP_AUTH_MAX_AGE``;
forged, expired or missing init data gets 401 and no data, a person without access (or outside
the unit asked for) 403. Every read is written to the access log by the use cases.

In webhook mode the routes join the webhook server; in polling mode (and the offline console)
they are served on ``WEBAPP_LISTEN:WEBAPP_PORT`` (:func:`serving`). Offline there is no bot
token: a random key signs the console's links instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from telegram.error import TelegramError
from telegram.ext import Application

from bot.asgi_server import QuietServer, until_started
from bot.settings import Settings
from handlers import outbox
from usecases.dashboard import views
from usecases.dashboard.init_data import InitDataError, Refusal, sign, validate
from usecases.services import Services, services_of

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "webapp_static"
FILES = {"app.js": "text/javascript", "app.css": "text/css"}
KEY = "webapp_key"  # bot_data: the token init data is signed with
PORT_KEY = "webapp_port"  # bot_data: the port the standalone server listens on
MAX_BODY_BYTES = 4096
#: Telegram's clients open Mini Apps in an iframe on web.telegram.org.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
NOT_AUTHORISED = {"error": "Không xác thực được. Hãy mở bảng điều khiển từ tin nhắn /thongke "
                           "của bot. / Not authorised: open the dashboard from the bot's "
                           "/stats message."}
EXPIRED = {"error": "Liên kết đã hết hạn: hãy mở lại bảng điều khiển từ tin nhắn /thongke mới. "
                   "/ This link has expired: open the dashboard again from a new /stats "
                   "message."}
NO_ACCESS = {"error": "Không có quyền xem dữ liệu này: chỉ cán bộ đã đăng ký, trong phạm vi đơn "
                      "vị của mình. / You cannot see this data: only registered officers, "
                      "within their own unit."}


def prefix_of(settings: Settings) -> str:
    """The local path of the page: the path of WEBAPP_URL without a trailing slash."""
    path = urlsplit(settings.webapp_url or "").path.rstrip("/")
    return path or "/app"


def signing_token(application: Application, settings: Settings) -> str:
    """The bot token; offline (no token), a random key made once per process."""
    if settings.token:
        return settings.token
    return application.bot_data.setdefault(KEY, secrets.token_urlsafe(32))


def console_link(application: Application, settings: Settings, url: str, user_id: int) -> str:
    """``url`` with the launch parameters Telegram would add, signed for the console user,
    for the port actually served (the offline console: open it in a browser)."""
    port = application.bot_data.get(PORT_KEY)
    if port:
        parts = urlsplit(url)
        url = parts._replace(netloc=f"{parts.hostname}:{port}").geturl()
    signed = sign({"id": user_id, "first_name": "Console", "language_code":
                   settings.default_language}, signing_token(application, settings),
                  auth_date=int(time.time()))
    return f"{url}#{urlencode({'tgWebAppData': signed})}"


def _headers(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**SECURITY_HEADERS, "Cache-Control": "no-store", **(extra or {})}


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=_headers())


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


Handler = Callable[[Services, views.Viewer, dict[str, Any]], Awaitable[Any]]


def routes(application: Application, settings: Settings) -> list[Route]:
    """The page, its files and its API, under :func:`prefix_of`."""
    prefix = prefix_of(settings)
    svc = services_of(application.bot_data)

    async def viewer(request: Request) -> views.Viewer | Response:
        header = request.headers.get("authorization", "")
        init_data = header[4:] if header.lower().startswith("tma ") else ""
        try:
            user = validate(init_data, signing_token(application, settings), now=time.time(),
                            max_age_s=settings.webapp_auth_max_age)
        except InitDataError as exc:
            log.info("dashboard request refused: %s", exc.reason.value)
            return _json(EXPIRED if exc.reason is Refusal.EXPIRED else NOT_AUTHORISED, 401)
        try:
            return await views.viewer_for(svc, user)
        except views.Denied:
            return _json(NO_ACCESS, 403)

    def api(handler: Handler, *, post: bool = False) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            who = await viewer(request)
            if isinstance(who, Response):
                return who
            params: dict[str, Any] = dict(request.query_params)
            if post:
                body = await request.body()
                if len(body) > MAX_BODY_BYTES:
                    return _json({"error": "too large"}, 413)
                try:
                    params = json.loads(body or b"{}")
                except ValueError:
                    return _json({"error": "malformed"}, 400)
                if not isinstance(params, dict):
                    return _json({"error": "malformed"}, 400)
            try:
                return _json(await handler(svc, who, params))
            except views.Denied:
                return _json(NO_ACCESS, 403)

        return endpoint

    async def start(s: Services, v: views.Viewer, p: dict[str, Any]) -> Any:
        return await views.start(s, v, _int(str(p.get("unit") or "")))

    async def units(s: Services, v: views.Viewer, p: dict[str, Any]) -> Any:
        unit = _int(str(p.get("unit") or ""))
        if unit is None:
            raise views.Denied
        return await views.units_view(s, v, unit)

    def view(fn: Callable[..., Awaitable[Any]]) -> Handler:
        async def call(s: Services, v: views.Viewer, p: dict[str, Any]) -> Any:
            return await fn(s, v, _int(str(p.get("unit") or "")), str(p.get("month") or ""))
        return call

    async def export(s: Services, v: views.Viewer, p: dict[str, Any]) -> Any:
        made = await views.export(s, v, _int(str(p.get("unit") or "")),
                                  str(p.get("month") or ""), str(p.get("kind") or ""))
        if isinstance(made, str):
            return {"ok": False, "message": made}
        try:
            await outbox.send_file(application.bot, v.person.telegram_id, made.data,
                                   made.filename, made.caption, photo=False)
        except TelegramError:
            log.warning("could not send a dashboard export to the chat")
            return {"ok": False, "message": views.labels(v.tr)["failed"]}
        return {"ok": True, "message": views.labels(v.tr)["sent_to_chat"]}

    async def page(_: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html",
                            headers=_headers({"Cache-Control": "no-cache"}))

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in FILES:
            return Response(status_code=404, headers=_headers())
        return FileResponse(STATIC / name, media_type=FILES[name],
                            headers=_headers({"Cache-Control": "no-cache"}))

    return [
        Route(prefix, page, methods=["GET"]),
        Route(prefix + "/", page, methods=["GET"]),
        Route(prefix + "/static/{name}", static, methods=["GET"]),
        Route(prefix + "/api/start", api(start), methods=["GET"]),
        Route(prefix + "/api/units", api(units), methods=["GET"]),
        Route(prefix + "/api/completeness", api(view(views.completeness)), methods=["GET"]),
        Route(prefix + "/api/trend", api(view(views.trend)), methods=["GET"]),
        Route(prefix + "/api/targets", api(view(views.targets)), methods=["GET"]),
        Route(prefix + "/api/remind", api(view(views.remind), post=True), methods=["POST"]),
        Route(prefix + "/api/export", api(export, post=True), methods=["POST"]),
    ]


@contextlib.asynccontextmanager
async def serving(application: Application, settings: Settings) -> AsyncIterator[int]:
    """The dashboard on its own port (polling mode, the console): yields the port."""
    app = Starlette(routes=routes(application, settings))
    config = uvicorn.Config(app, host=settings.webapp_listen, port=settings.webapp_port,
                            log_config=None, access_log=False, lifespan="off",
                            server_header=False)
    server = QuietServer(config)
    task = asyncio.create_task(server.serve(), name="webapp-server")
    try:
        await until_started(server, task, "dashboard server")
        port = server.servers[0].sockets[0].getsockname()[1]
        application.bot_data[PORT_KEY] = port
        log.info("dashboard served on %s:%d%s", settings.webapp_listen, port,
                 prefix_of(settings))
        yield port
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
