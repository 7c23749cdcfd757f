"""Offline console chat: the same Application and handlers, no network.

python-telegram-bot lets the HTTP layer be replaced (:class:`BaseRequest`). The
console's request object answers Bot API calls locally: what the bot sends is
printed, and what the user types becomes an Update for the Application.
Buttons are printed as ``[#1 Label]``; type ``#1`` to tap one.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

CONSOLE_USER_ID = 1000
BOT_USER = {"id": 1, "is_bot": True, "first_name": "Trẻ em bot", "username": "console_bot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
_TAG = re.compile(r"<[^>]+>")


class ConsoleRequest(BaseRequest):
    """Answers Bot API methods in-process and prints what the bot sends."""

    def __init__(self, out: TextIO = sys.stdout, files_dir: Path | None = None) -> None:
        self.out = out
        self.files_dir = files_dir
        self._ids = itertools.count(1)
        self.buttons: list[tuple[int, str]] = []  # (message_id, callback_data) by number
        #: Adds the console user's signed init data to a Mini App link (set by the wiring).
        self.sign_link: Callable[[str], str] | None = None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result = self._handle(api_method, params, request_data)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, chat_id: Any, **extra: Any) -> dict[str, Any]:
        return {"message_id": next(self._ids), "date": int(time.time()),
                "chat": {"id": int(chat_id), "type": "private"}, "from": BOT_USER, **extra}

    def _handle(self, api_method: str, params: dict[str, Any],
                request_data: RequestData | None) -> Any:
        if api_method == "getMe":
            return BOT_USER
        if api_method in ("sendMessage", "editMessageText"):
            message = self._message(params.get("chat_id", CONSOLE_USER_ID), text=params["text"])
            if api_method == "editMessageText":
                message["message_id"] = int(params.get("message_id", message["message_id"]))
            self._print(params["text"], params.get("reply_markup"), message["message_id"])
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if api_method in ("sendPhoto", "sendDocument"):
            return self._save_file(api_method, params, request_data)
        if api_method == "editMessageReplyMarkup":
            return True
        return True  # answerCallbackQuery, setMyCommands, sendChatAction, deleteWebhook...

    def _print(self, text: str, markup: Any, message_id: int) -> None:
        plain = html.unescape(_TAG.sub("", text))
        self.out.write("\n" + "\n".join("  " + line for line in plain.splitlines()) + "\n")
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = (markup or {}).get("inline_keyboard", [])
        if rows:
            self.buttons = []
            for row in rows:
                labels = []
                for button in row:
                    web_app = (button.get("web_app") or {}).get("url")
                    if web_app:  # a Mini App: the link to open in a browser
                        link = self.sign_link(web_app) if self.sign_link else web_app
                        labels.append(f"[{button['text']}: {link}]")
                        continue
                    self.buttons.append((message_id, button.get("callback_data", "")))
                    labels.append(f"[#{len(self.buttons)} {button['text']}]")
                self.out.write("  " + " ".join(labels) + "\n")
        self.out.flush()

    def _save_file(self, api_method: str, params: dict[str, Any],
                   request_data: RequestData | None) -> dict[str, Any]:
        kind = "photo" if api_method == "sendPhoto" else "document"
        name = f"{kind}-{int(time.time())}"
        saved = "-"
        if request_data is not None and self.files_dir is not None:
            for part_name, part in request_data.multipart_data.items():
                filename, content = part[0], part[1]
                target = self.files_dir / (filename or f"{name}-{part_name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content if isinstance(content, bytes) else content.read())
                saved = str(target)
        self.out.write(f"\n  [{kind}] {params.get('caption', '')} → {saved}\n")
        self.out.flush()
        message = self._message(params.get("chat_id", CONSOLE_USER_ID))
        if kind == "photo":
            message["photo"] = [{"file_id": name, "file_unique_id": name, "width": 1, "height": 1}]
        else:
            message["document"] = {"file_id": name, "file_unique_id": name}
        return message


class ConsoleChat:
    """Turns typed lines into Updates for the Application."""

    def __init__(self, app: Application, request: ConsoleRequest, language: str = "vi") -> None:
        self.app = app
        self.request = request
        self.language = language
        self._update_ids = itertools.count(1)
        self._user = {"id": CONSOLE_USER_ID, "is_bot": False, "first_name": "Cán bộ",
                      "language_code": language}

    def _update(self, **payload: Any) -> Update:
        data = {"update_id": next(self._update_ids), **payload}
        return Update.de_json(data, self.app.bot)

    async def send(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        if re.fullmatch(r"#\d+", line):
            index = int(line[1:]) - 1
            if not 0 <= index < len(self.request.buttons):
                self.request.out.write("  (no such button)\n")
                return
            message_id, data = self.request.buttons[index]
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": {"id": CONSOLE_USER_ID, "type": "private"}, "from": BOT_USER,
                       "text": "…"}
            update = self._update(callback_query={
                "id": str(next(self._update_ids)), "from": self._user, "chat_instance": "console",
                "message": message, "data": data})
        else:
            message = {"message_id": next(self.request._ids), "date": int(time.time()),
                       "chat": {"id": CONSOLE_USER_ID, "type": "private"}, "from": self._user,
                       "text": line}
            if line.startswith("/"):
                command = line.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(command)}]
            update = self._update(message=message)
        await self.app.process_update(update)


async def run_console(app: Application, request: ConsoleRequest, language: str) -> None:
    """Read lines from stdin until EOF or /quit."""
    from bot.runtime import started

    chat = ConsoleChat(app, request, language)
    async with started(app):
        request.out.write(
            "Offline console (no TELEGRAM_BOT_TOKEN). Type a message; #N taps button N; "
            "/quit to leave.\n"
            "Chế độ thử ngoại tuyến. Gõ tin nhắn; #N để bấm nút N; /quit để thoát.\n"
        )
        await chat.send("/start")
        while True:
            request.out.write("\n> ")
            request.out.flush()
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                break
            await chat.send(line)
