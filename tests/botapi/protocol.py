"""Telegram Bot API protocol details: errors, parameter decoding, validation, limits."""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web

from tests.botapi.formatting import ParseError, plain_text
from tests.botapi.records import EDIT_METHODS, SEND_METHODS, UploadedFile

DEFAULT_TOKEN = "1234567890:AAH-loopback-test-token-for-e2e-tests"
RATE_LIMITED_METHODS = SEND_METHODS | EDIT_METHODS
# Parameters PTB sends as plain strings (never JSON-encoded); everything else is JSON-decoded.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "secret_token",
        "action",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
        "language_code",
        "file_id",
        "photo",
        "document",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "query",
    }
)
# Accepted and answered with True, so application start-up code does not fail.
ACCEPTED_METHODS = frozenset(
    {
        "close",
        "logOut",
        "setMyDescription",
        "setMyShortDescription",
        "setMyName",
        "setChatMenuButton",
        "setMyDefaultAdministratorRights",
    }
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class ApiError(Exception):
    """An error answer: HTTP status == error_code, like Telegram."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


@dataclass
class Fault:
    """A one-off failure for the next `remaining` matching calls."""

    remaining: int
    status: int = 500
    description: str = "Internal Server Error"
    drop: bool = False
    delay: float = 0.0
    methods: frozenset[str] = RATE_LIMITED_METHODS
    #: Seconds to wait after performing the call before answering (the message is delivered).
    hold: float = 0.0


@dataclass
class RateLimit:
    """Telegram-like limits over a sliding one-second window; None disables a limit."""

    global_per_sec: int | None = None
    per_chat_per_sec: int | None = None
    retry_after: int | None = None  # fixed value; default: time until the window frees
    _global: deque[float] = field(default_factory=deque)
    _chats: dict[Any, deque[float]] = field(default_factory=dict)

    def check(self, chat_id: Any, now: float) -> int | None:
        """Return retry_after seconds if the call must be refused, else record it."""
        windows: list[tuple[deque[float], int]] = []
        if self.global_per_sec is not None:
            windows.append((self._global, self.global_per_sec))
        if self.per_chat_per_sec is not None:
            windows.append((self._chats.setdefault(chat_id, deque()), self.per_chat_per_sec))
        wait = 0.0
        for window, limit in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if len(window) >= limit:
                wait = max(wait, window[0] + 1.0 - now)
        if wait > 0:
            return self.retry_after or max(1, math.ceil(wait))
        for window, _ in windows:
            window.append(now)
        return None


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Decode query string, form (urlencoded or multipart, JSON-encoded values) or JSON body."""
    params: dict[str, Any] = {k: decode_value(k, v) for k, v in request.query.items()}
    files: dict[str, UploadedFile] = {}
    if not request.can_read_body:
        return params, files
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        elif isinstance(value, str):
            params[key] = decode_value(key, value)
    return params, files


def decode_value(key: str, value: str) -> Any:
    if key in STRING_PARAMS:
        return value
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return value if isinstance(decoded, str) else decoded


def render(text: str, parse_mode: str | None, limit: int, too_long: str) -> str:
    try:
        shown = plain_text(text, parse_mode)
    except ParseError as err:
        raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
    if len(shown) > limit:
        raise ApiError(400, f"Bad Request: {too_long}")
    return shown


def check_markup(markup: Any) -> dict[str, Any] | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: inline keyboard button has no text")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def file_param(p: dict[str, Any], files: dict[str, UploadedFile], name: str) -> UploadedFile:
    value = p.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        upload = files.get(value[len("attach://") :])
    elif name in files:
        upload = files[name]
    elif isinstance(value, str) and value:
        upload = UploadedFile(value.rsplit("/", 1)[-1], None, b"")  # file_id or URL
    else:
        upload = None
    if upload is None:
        raise ApiError(400, f"Bad Request: there is no {name} in the request")
    return upload


def commands_key(p: dict[str, Any]) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")


def update_type(update: dict[str, Any]) -> str:
    return next((k for k in update if k != "update_id"), "")


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
