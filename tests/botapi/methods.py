"""Bot API method implementations (a mixin of BotApiServer, which owns the state)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from tests.botapi.protocol import (
    ACCEPTED_METHODS,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    check_markup,
    commands_key,
    file_param,
    render,
    update_type,
)
from tests.botapi.records import SentCall, UploadedFile


class ApiMethods:
    """``_api_<method>(params, files)`` coroutines return the ``result`` or raise ApiError.

    A mixin: the state (messages, pending updates, records) lives in BotApiServer.
    """

    async def _api_getMe(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        return self.bot_user

    async def _api_getUpdates(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        if self._webhook_targets():
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = int(p.get("offset") or 0), min(max(int(p.get("limit") or 100), 1), 100)
        if p.get("allowed_updates") is not None:
            self._allowed_updates = list(p["allowed_updates"])
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()  # wakes an older long poll, which then gets 409
        deadline = time.monotonic() + float(p.get("timeout") or 0)
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            ready = self._take_updates(offset, limit)
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                return ready
            event = self._updates_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _take_updates(self, offset: int, limit: int) -> list[dict[str, Any]]:
        if offset < 0 and self._pending:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._pending = [(u, s) for u, s in self._pending if s or u["update_id"] >= offset]
        if self._allowed_updates:
            allowed = set(self._allowed_updates)
            self._pending = [(u, s) for u, s in self._pending if update_type(u) in allowed]
        taken = self._pending[:limit]
        self._pending = [(u, False) for u, s in taken if not s] + self._pending[limit:]
        return [u for u, _ in taken]

    async def _api_deleteWebhook(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        self.webhook = {}
        if p.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _api_setWebhook(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        self.webhook = {k: v for k, v in p.items() if k != "certificate"}
        if p.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _api_getWebhookInfo(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook.get("url"):
            info["max_connections"] = int(self.webhook.get("max_connections") or 40)
        return info

    async def _api_setMyCommands(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        self.commands[commands_key(p)] = list(p.get("commands") or [])
        return True

    async def _api_getMyCommands(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        return self.commands.get(commands_key(p), [])

    async def _api_deleteMyCommands(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        self.commands.pop(commands_key(p), None)
        return True

    async def _api_sendChatAction(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        self._record(SentCall("sendChatAction", p["chat_id"], p, text=p.get("action")))
        return True

    async def _api_sendMessage(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        text = p.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        shown = render(text, p.get("parse_mode"), 4096, "message is too long")
        message = self._bot_message(p, {"text": shown})
        self._raw[(p["chat_id"], message["message_id"])] = (text, p.get("parse_mode"))
        return self._record_message("sendMessage", p, message, text, {})

    async def _api_sendPhoto(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        upload = file_param(p, f, "photo")
        extra = {"photo": self._photo_sizes(upload)}
        return self._send_media("sendPhoto", p, f, extra)

    async def _api_sendDocument(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        upload = file_param(p, f, "document")
        name = upload.filename or "document"
        extra = {"document": self._store_file(upload, "documents", name)}
        return self._send_media("sendDocument", p, f, extra)

    def _send_media(
        self, method: str, p: dict[str, Any], f: dict[str, UploadedFile], extra: dict[str, Any]
    ) -> Any:
        caption = p.get("caption")
        if caption:
            extra["caption"] = render(
                caption, p.get("parse_mode"), 1024, "message caption is too long"
            )
        message = self._bot_message(p, extra)
        return self._record_message(method, p, message, caption, f)

    def _bot_message(self, p: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
        chat_id = p["chat_id"]
        markup = check_markup(p.get("reply_markup"))
        chat = self._chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "?"}
        message = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            **extra,
        }
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _record_message(
        self,
        method: str,
        p: dict[str, Any],
        message: dict[str, Any],
        text: str | None,
        files: dict[str, UploadedFile],
    ) -> dict[str, Any]:
        self._record(
            SentCall(
                method,
                p["chat_id"],
                p,
                text=text,
                parse_mode=p.get("parse_mode"),
                reply_markup=p.get("reply_markup"),
                files=files,
                message_id=message["message_id"],
                result=message,
            )
        )
        return message

    def _editable(self, p: dict[str, Any], what: str = "edit") -> dict[str, Any]:
        key = (p.get("chat_id"), int(p.get("message_id") or 0))
        message = self._messages.get(key)
        if message is None:
            raise ApiError(400, f"Bad Request: message to {what} not found")
        if what == "edit" and message["from"].get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    async def _api_editMessageText(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        if p.get("inline_message_id"):
            return True
        message = self._editable(p)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = p.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        shown = render(text, p.get("parse_mode"), 4096, "MESSAGE_TOO_LONG")
        markup = check_markup(p.get("reply_markup"))
        key = (p["chat_id"], message["message_id"])
        if (
            self._raw.get(key) == (text, p.get("parse_mode"))
            and message.get("reply_markup") == markup
        ):
            raise ApiError(400, NOT_MODIFIED)
        self._raw[key] = (text, p.get("parse_mode"))
        message["text"] = shown
        return self._apply_edit("editMessageText", p, message, markup, text)

    async def _api_editMessageReplyMarkup(
        self, p: dict[str, Any], f: dict[str, UploadedFile]
    ) -> Any:
        if p.get("inline_message_id"):
            return True
        message = self._editable(p)
        markup = check_markup(p.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit("editMessageReplyMarkup", p, message, markup, None)

    def _apply_edit(
        self,
        method: str,
        p: dict[str, Any],
        message: dict[str, Any],
        markup: dict[str, Any] | None,
        text: str | None,
    ) -> dict[str, Any]:
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        call = SentCall(
            method,
            p["chat_id"],
            p,
            text=text,
            parse_mode=p.get("parse_mode"),
            reply_markup=markup,
            message_id=message["message_id"],
            result=dict(message),
        )
        self._record(call)
        return message

    async def _api_deleteMessage(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        message = self._editable(p, "delete")
        del self._messages[(p["chat_id"], message["message_id"])]
        self._record(SentCall("deleteMessage", p["chat_id"], p, message_id=message["message_id"]))
        return True

    async def _api_answerCallbackQuery(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        query_id = str(p.get("callback_query_id"))
        if query_id not in self._callbacks:
            raise ApiError(400, QUERY_TOO_OLD)
        chat_id = self._callbacks.pop(query_id)
        self._record(SentCall("answerCallbackQuery", chat_id, p, text=p.get("text")))
        return True

    async def _api_getFile(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        file_id = p.get("file_id")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        upload, path = self._files[file_id]
        unique = "u" + file_id.rsplit("-", 1)[-1]
        return {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_size": len(upload.data),
            "file_path": path,
        }

    async def _api_getChat(self, p: dict[str, Any], f: dict[str, UploadedFile]) -> Any:
        chat = self._chats.get(p.get("chat_id"))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11}


_METHODS = {
    name[len("_api_") :].lower(): name[len("_api_") :]
    for name in dir(ApiMethods)
    if name.startswith("_api_")
}
_METHODS.update({m.lower(): m for m in ACCEPTED_METHODS})


def _canonical(method: str) -> str | None:
    """Telegram method names are case-insensitive."""
    return _METHODS.get(method.lower())


def canonical(method: str) -> str | None:
    """Telegram method names are case-insensitive."""
    return _METHODS.get(method.lower())
