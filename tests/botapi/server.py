"""A loopback HTTP server speaking the Telegram Bot API, for end-to-end tests and benchmarks.

The real python-telegram-bot Application talks to it over HTTP (``base_url=server.base_url``).
Tests inject user updates (``send_text``, ``tap``...), observe what the bot sent (``sent``,
``wait_for``), and inject faults (rate limits, blocked users, transient errors).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterable
from typing import Any

import aiohttp
from aiohttp import web

from tests.botapi.methods import ApiMethods, canonical
from tests.botapi.protocol import (
    ACCEPTED_METHODS,
    DEFAULT_TOKEN,
    RATE_LIMITED_METHODS,
    ApiError,
    Fault,
    RateLimit,
    read_params,
    status_phrase,
)
from tests.botapi.records import (
    SEND_METHODS,
    VISIBLE_METHODS,
    SentCall,
    Stats,
    UploadedFile,
    WebhookDelivery,
    find_button,
)

Predicate = Callable[[SentCall], bool]


class BotApiServer(ApiMethods):
    """Fake Telegram Bot API on 127.0.0.1; use as ``async with BotApiServer() as server``."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "test_bot",
        bot_name: str = "Test Bot",
        known_chats_only: bool = False,
    ) -> None:
        self.token = token
        self.known_chats_only = known_chats_only
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port = 0
        self.sent: list[SentCall] = []
        self.api_calls: list[tuple[str, dict[str, Any], int]] = []
        self.deliveries: list[WebhookDelivery] = []
        self.stats = Stats()
        self.rate_limit = RateLimit()
        self.blocked: set[Any] = set()
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] = {}  # what the bot set with setWebhook
        #: Further attempts after a failed webhook delivery (Telegram keeps retrying; 0 here
        #: unless a test wants it), each on the next target, ``webhook_retry_delay`` apart.
        self.webhook_retries = 0
        self.webhook_retry_delay = 0.2
        self._targets: list[str] = []
        self._target_secret: str | None = None
        self._rr = 0
        self._faults: list[Fault] = []
        self._pending: list[tuple[dict[str, Any], bool]] = []  # (update, sticky)
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._message_ids: dict[Any, itertools.count[int]] = {}
        self._messages: dict[tuple[Any, int], dict[str, Any]] = {}
        self._raw: dict[tuple[Any, int], tuple[str | None, str | None]] = {}
        self._callbacks: dict[str, Any] = {}  # pending query id -> chat id
        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[Any, dict[str, Any]] = {}
        self._files: dict[str, tuple[UploadedFile, str]] = {}
        self._seen_texts: set[tuple[Any, str]] = set()
        self._sent_changed = asyncio.Event()
        self._updates_changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()
        self.stats.started_at = time.monotonic()

    async def stop(self) -> None:
        """Release long polls, close the client session and the listener."""
        self._closing = True
        self._notify_updates()
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> BotApiServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ fault injection

    def set_rate_limit(
        self,
        global_per_sec: int | None = 30,
        per_chat_per_sec: int | None = 1,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Refuse sends/edits beyond these limits with 429 (None disables a limit)."""
        self.rate_limit = RateLimit(global_per_sec, per_chat_per_sec, retry_after)

    def block(self, user_id: int) -> None:
        """The user blocked the bot: calls to their chat get 403."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self.blocked.discard(user_id)

    def fail_next(
        self,
        n: int = 1,
        *,
        status: int = 500,
        description: str | None = None,
        drop: bool = False,
        delay: float = 0.0,
        methods: Iterable[str] | None = None,
        hold: float = 0.0,
    ) -> None:
        """Fail the next `n` calls of `methods` (default: sends and edits).

        `drop` closes the connection without an answer; `delay` sleeps before answering
        (with status 200 the call then proceeds normally, e.g. to provoke client timeouts);
        `hold` (with status 200) performs the call - the user sees the message - and only then
        waits before answering, e.g. to stop a bot between its reply and what comes after.
        """
        self._faults.append(
            Fault(
                remaining=n,
                status=status,
                description=description or status_phrase(status),
                drop=drop,
                delay=delay,
                methods=frozenset(methods) if methods is not None else RATE_LIMITED_METHODS,
                hold=hold,
            )
        )

    # ------------------------------------------------------------------ injecting updates

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Cán bộ",
        language_code: str | None = "vi",
        chat_id: int | None = None,
        chat_type: str = "private",
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """A user sends a text message (commands get a bot_command entity)."""
        message = self._user_message(user_id, first_name, language_code, chat_id, chat_type)
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return await self._inject({"message": message}, update_id)

    async def send_command(
        self, user_id: int, command: str, args: str = "", **kwargs: Any
    ) -> dict[str, Any]:
        """A user sends ``/command args``."""
        text = "/" + command.lstrip("/") + (f" {args}" if args else "")
        return await self.send_text(user_id, text, **kwargs)

    async def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str = "file.pdf",
        *,
        mime_type: str = "application/pdf",
        caption: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """A user uploads a document (downloadable through getFile)."""
        message = self._user_message(user_id, **_profile(kwargs))
        message["document"] = self._store_file(
            UploadedFile(file_name, mime_type, data), "documents", file_name
        )
        if caption is not None:
            message["caption"] = caption
        return await self._inject({"message": message}, kwargs.get("update_id"))

    async def send_photo(
        self, user_id: int, data: bytes, *, caption: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """A user sends a photo (downloadable through getFile)."""
        message = self._user_message(user_id, **_profile(kwargs))
        message["photo"] = self._photo_sizes(UploadedFile("photo.jpg", "image/jpeg", data))
        if caption is not None:
            message["caption"] = caption
        return await self._inject({"message": message}, kwargs.get("update_id"))

    async def tap(
        self,
        user_id: int,
        message: SentCall | dict[str, Any] | int,
        callback_data: str | None = None,
        *,
        label: str | None = None,
        check: bool = True,
        update_id: int | None = None,
    ) -> dict[str, Any]:
        """A user taps an inline button (by callback data or label) on a bot message.

        With `check`, the button must be on the message's current keyboard.
        """
        chat_id, message_id = self._message_key(user_id, message)
        current = self._messages.get((chat_id, message_id))
        if current is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        if check or callback_data is None:
            button = find_button(current.get("reply_markup"), label, data=callback_data)
            callback_data = button.get("callback_data")
        query_id = str(next(self._callback_ids))
        self._callbacks[query_id] = chat_id
        query = {
            "id": query_id,
            "from": self._users.get(user_id) or self._user(user_id, "Cán bộ", "vi"),
            "chat_instance": str(chat_id),
            "message": dict(current),
            "data": callback_data,
        }
        return await self._inject({"callback_query": query}, update_id)

    async def send_raw(self, update: dict[str, Any]) -> dict[str, Any]:
        """Inject any update dict (an update_id is assigned if missing)."""
        return await self._inject(dict(update), update.get("update_id"))

    async def duplicate(self, update: dict[str, Any]) -> dict[str, Any]:
        """Deliver the same update (same update_id) once more."""
        if self._webhook_targets():
            await self._deliver_next(update)
        else:
            self._pending.append((update, True))
            self._notify_updates()
        return update

    # ------------------------------------------------------------------ webhooks

    def set_webhook_targets(self, urls: Iterable[str], secret_token: str | None = None) -> None:
        """Deliver injected updates to these URLs in turn (round robin) instead of polling."""
        self._targets = list(urls)
        self._target_secret = secret_token
        self._rr = 0

    def clear_webhook_targets(self) -> None:
        self._targets = []

    async def deliver_webhook(
        self,
        url: str,
        update: dict[str, Any],
        *,
        secret_token: str | None = None,
        timeout: float = 10.0,
    ) -> int:
        """POST one update to a webhook URL; return the HTTP status (0 if unreachable)."""
        assert self._session is not None, "server not started"
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        try:
            async with self._session.post(
                url, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=timeout)
            ) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        self.deliveries.append(WebhookDelivery(url, update["update_id"], status))
        return status

    # ------------------------------------------------------------------ observing

    def mark(self) -> int:
        """Position in `sent`, to wait only for later calls (``since=``)."""
        return len(self.sent)

    def calls(
        self,
        *,
        chat_id: Any = None,
        methods: Iterable[str] | str | None = None,
        since: int = 0,
    ) -> list[SentCall]:
        """Recorded calls filtered by chat and methods ("*" or None: all)."""
        wanted = None if methods in (None, "*") else set(methods)
        return [
            c
            for c in self.sent[since:]
            if (chat_id is None or c.chat_id == chat_id) and (wanted is None or c.method in wanted)
        ]

    def messages_to(self, chat_id: Any) -> list[SentCall]:
        """New messages (sendMessage/sendPhoto/sendDocument) sent to a chat."""
        return self.calls(chat_id=chat_id, methods=SEND_METHODS)

    def last_message(self, chat_id: Any) -> SentCall:
        found = self.messages_to(chat_id)
        if not found:
            raise LookupError(f"no message was sent to {chat_id}")
        return found[-1]

    def message_state(self, chat_id: Any, message_id: int) -> dict[str, Any] | None:
        """Current state of a message (after edits), or None if absent/deleted."""
        return self._messages.get((chat_id, message_id))

    async def wait_for(
        self,
        what: int | Predicate = 1,
        *,
        chat_id: Any = None,
        methods: Iterable[str] | str | None = None,
        since: int = 0,
        timeout: float = 10.0,
    ) -> list[SentCall]:
        """Wait until `what` calls match (count), or one matches (predicate); return matches.

        Counts default to visible calls (sends and edits); predicates see every call.
        """
        if methods is None and isinstance(what, int):
            methods = VISIBLE_METHODS

        def matches() -> list[SentCall] | None:
            found = self.calls(chat_id=chat_id, methods=methods, since=since)
            if isinstance(what, int):
                return found if len(found) >= what else None
            found = [c for c in found if what(c)]
            return found or None

        deadline = asyncio.get_running_loop().time() + timeout
        while (found := matches()) is None:
            remaining = deadline - asyncio.get_running_loop().time()
            event = self._sent_changed
            try:
                await asyncio.wait_for(event.wait(), max(remaining, 0))
            except TimeoutError:
                recent = self.calls(chat_id=chat_id, since=since)[-10:]
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what!r} (chat={chat_id}); "
                    f"recent calls: {recent}"
                ) from None
        return found

    async def ask(
        self, user_id: int, text: str, *, count: int = 1, timeout: float = 10.0, **kwargs: Any
    ) -> list[SentCall]:
        """Send a text and wait for `count` visible replies in that chat."""
        since = self.mark()
        await self.send_text(user_id, text, **kwargs)
        chat_id = kwargs.get("chat_id") or user_id
        return await self.wait_for(count, chat_id=chat_id, since=since, timeout=timeout)

    async def press(
        self,
        user_id: int,
        message: SentCall | dict[str, Any] | int,
        callback_data: str | None = None,
        *,
        label: str | None = None,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[SentCall]:
        """Tap a button and wait for `count` visible reactions (new messages or edits)."""
        since = self.mark()
        await self.tap(user_id, message, callback_data, label=label)
        chat_id, _ = self._message_key(user_id, message)
        return await self.wait_for(count, chat_id=chat_id, since=since, timeout=timeout)

    # ------------------------------------------------------------------ internals: updates

    async def _inject(self, body: dict[str, Any], update_id: int | None) -> dict[str, Any]:
        update = {"update_id": update_id if update_id is not None else next(self._update_ids)}
        update.update({k: v for k, v in body.items() if k != "update_id"})
        if self._webhook_targets():
            await self._deliver_next(update)
        else:
            self._pending.append((update, False))
            self._notify_updates()
        return update

    def _webhook_targets(self) -> list[str]:
        if self._targets:
            return self._targets
        return [self.webhook["url"]] if self.webhook.get("url") else []

    async def _deliver_next(self, update: dict[str, Any]) -> int:
        """POST the update to the next target; like Telegram, try again (on the next target)
        after a failure, up to ``webhook_retries`` times."""
        for attempt in range(1 + self.webhook_retries):
            if attempt:
                await asyncio.sleep(self.webhook_retry_delay)
            targets = self._webhook_targets()
            url = targets[self._rr % len(targets)]
            self._rr += 1
            secret = self._target_secret if self._targets else self.webhook.get("secret_token")
            status = await self.deliver_webhook(url, update, secret_token=secret)
            if 200 <= status < 300:
                break
        return status

    def _notify_updates(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    def _user(self, user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _user_message(
        self,
        user_id: int,
        first_name: str = "Cán bộ",
        language_code: str | None = "vi",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> dict[str, Any]:
        user = self._user(user_id, first_name, language_code)
        chat_id = user_id if chat_id is None else chat_id
        chat = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": first_name} if chat_type == "private" else {"title": "Group"})
        self._chats[chat_id] = chat
        message = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _message_key(
        self, user_id: int, message: SentCall | dict[str, Any] | int
    ) -> tuple[Any, int]:
        if isinstance(message, SentCall):
            assert message.message_id is not None, f"{message!r} has no message"
            return message.chat_id, message.message_id
        if isinstance(message, dict):
            return message["chat"]["id"], message["message_id"]
        return user_id, message

    def _next_message_id(self, chat_id: Any) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _store_file(self, upload: UploadedFile, folder: str, name: str) -> dict[str, Any]:
        n = next(self._file_ids)
        file_id = f"file-{n}"
        self._files[file_id] = (upload, f"{folder}/{n}_{name}")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{n}",
            "file_size": len(upload.data),
            "file_name": upload.filename or name,
            "mime_type": upload.content_type or "application/octet-stream",
        }

    def _photo_sizes(self, upload: UploadedFile) -> list[dict[str, Any]]:
        sizes = []
        for width, height in ((90, 60), (800, 533)):
            info = self._store_file(upload, "photos", "photo.jpg")
            del info["file_name"], info["mime_type"]
            sizes.append({**info, "width": width, "height": height})
        return sizes

    # ------------------------------------------------------------------ internals: HTTP

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=404)
        path = request.match_info["path"]
        for upload, file_path in self._files.values():
            if file_path == path:
                return web.Response(body=upload.data, content_type="application/octet-stream")
        return web.Response(status=404)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method = canonical(request.match_info["method"])
        params: dict[str, Any] = {}
        try:
            params, files = await read_params(request)
            if request.match_info["token"] != self.token or method is None:
                raise ApiError(404, "Not Found")
            fault = self._take_fault(method)
            if (response := await self._apply_fault(request, fault)) is not None:
                return response
            result = await self._dispatch(method, params, files)
            if fault is not None and fault.hold:
                await asyncio.sleep(fault.hold)
        except ApiError as err:
            self.stats.errors[err.code] += 1
            if err.code == 429:
                self.stats.rate_limited += 1
            self.api_calls.append((method or request.match_info["method"], params, err.code))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": err.code,
                "description": err.description,
            }
            if err.retry_after is not None:
                body["parameters"] = {"retry_after": err.retry_after}
            return web.json_response(body, status=err.code)
        self.stats.methods[method] += 1
        if method != "getUpdates":
            self.api_calls.append((method, params, 200))
        return web.json_response({"ok": True, "result": result})

    def _take_fault(self, method: str) -> Fault | None:
        fault = next((f for f in self._faults if method in f.methods), None)
        if fault is not None:
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
        return fault

    async def _apply_fault(
        self, request: web.Request, fault: Fault | None
    ) -> web.StreamResponse | None:
        if fault is None:
            return None
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.drop:
            self.stats.errors[0] += 1
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)  # never reaches the client
        if fault.status >= 400:
            raise ApiError(fault.status, fault.description)
        return None

    async def _dispatch(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> Any:
        if method in ACCEPTED_METHODS:
            return True
        chat_id = params.get("chat_id")
        if method in RATE_LIMITED_METHODS or method in ("sendChatAction", "deleteMessage"):
            self._check_chat(chat_id)
        if method in RATE_LIMITED_METHODS:
            retry_after = self.rate_limit.check(chat_id, time.monotonic())
            if retry_after is not None:
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        handler = getattr(self, f"_api_{method}")
        return await handler(params, files)

    def _check_chat(self, chat_id: Any) -> None:
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.known_chats_only and chat_id not in self._chats:
            raise ApiError(400, "Bad Request: chat not found")

    def _record(self, call: SentCall) -> None:
        call.at = time.monotonic()
        if call.method in SEND_METHODS:
            self.stats.per_second[int(call.at - self.stats.started_at)] += 1
            if call.text is not None:
                key = (call.chat_id, call.text)
                if key in self._seen_texts:
                    self.stats.duplicates += 1
                self._seen_texts.add(key)
        self.sent.append(call)
        self._sent_changed.set()
        self._sent_changed = asyncio.Event()


def _profile(kwargs: dict[str, Any]) -> dict[str, Any]:
    keys = ("first_name", "language_code", "chat_id", "chat_type")
    return {k: kwargs[k] for k in keys if k in kwargs}
