"""An in-process Bot API stand-in for benchmarks of Application.process_update."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from telegram import Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

BOT = {"id": 1, "is_bot": True, "first_name": "bench", "username": "bench_bot"}


class SilentRequest(BaseRequest):
    """Answers every Bot API call locally and counts the messages sent.

    ``last[chat_id]`` holds the parameters (e.g. ``reply_markup``) and ``message_id`` of the
    last message sent or edited in that chat, so a benchmark can tap its buttons.
    """

    def __init__(self) -> None:
        self.sent = 0
        self.last: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        if api == "getMe":
            result: Any = BOT
        elif api.startswith("send") or api.startswith("edit"):
            self.sent += 1
            params = request_data.parameters if request_data else {}
            chat_id = int(params.get("chat_id", 1))
            message_id = int(params.get("message_id") or next(self._ids))
            self.last[chat_id] = {**params, "message_id": message_id}
            result = {"message_id": message_id, "date": int(time.time()),
                      "chat": {"id": chat_id, "type": "private"},
                      "text": str(params.get("text", ""))}
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def text_update(app: Application, update_id: int, user_id: int, text: str) -> Update:
    message = {"message_id": update_id, "date": int(time.time()),
               "chat": {"id": user_id, "type": "private"},
               "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "vi"},
               "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0,
                                "length": len(text.split()[0])}]
    return Update.de_json({"update_id": update_id, "message": message}, app.bot)
