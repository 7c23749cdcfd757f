"""Records kept by the fake Bot API server: bot calls, uploads, webhook deliveries, counters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# Methods that put a new message into a chat.
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
# Methods that change an existing message.
EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})
# What a user sees change in the chat: new messages and edits.
VISIBLE_METHODS = SEND_METHODS | EDIT_METHODS


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded as a multipart part."""

    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class SentCall:
    """One successful bot call directed at a chat (sendMessage, editMessageText, ...)."""

    method: str
    chat_id: int | str | None
    params: dict[str, Any]
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)
    message_id: int | None = None
    result: Any = None
    at: float = 0.0

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """All inline keyboard buttons, row by row."""
        return inline_buttons(self.reply_markup)

    @property
    def button_labels(self) -> list[str]:
        return [b["text"] for b in self.buttons]

    def button(self, label: str | None = None, *, data: str | None = None) -> dict[str, Any]:
        """The inline button with this label (exact, else substring) or this callback data."""
        return find_button(self.reply_markup, label, data=data)

    def __repr__(self) -> str:
        text = (self.text or "")[:60]
        return f"<{self.method} chat={self.chat_id} msg={self.message_id} text={text!r}>"


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Flatten the rows of an inline keyboard (empty for other markups or None)."""
    if not markup:
        return []
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def find_button(
    markup: dict[str, Any] | None, label: str | None = None, *, data: str | None = None
) -> dict[str, Any]:
    """Find an inline button by exact label, then label substring, or by callback data."""
    buttons = inline_buttons(markup)
    if data is not None:
        found = [b for b in buttons if b.get("callback_data") == data]
    else:
        found = [b for b in buttons if b.get("text") == label]
        if not found and label is not None:
            found = [b for b in buttons if label in b.get("text", "")]
    if not found:
        labels = [(b.get("text"), b.get("callback_data")) for b in buttons]
        raise LookupError(f"no button label={label!r} data={data!r}; buttons: {labels}")
    return found[0]


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of an update to a webhook URL (status 0: connection failed)."""

    url: str
    update_id: int
    status: int


@dataclass
class Stats:
    """Counters for benchmarks."""

    started_at: float = 0.0
    per_second: Counter[int] = field(default_factory=Counter)
    rate_limited: int = 0
    duplicates: int = 0
    methods: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)

    @property
    def delivered(self) -> int:
        """Messages accepted (send methods only)."""
        return sum(self.per_second.values())

    @property
    def peak_per_second(self) -> int:
        return max(self.per_second.values(), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "delivered": self.delivered,
            "peak_per_second": self.peak_per_second,
            "per_second": dict(sorted(self.per_second.items())),
            "rate_limited": self.rate_limited,
            "duplicates": self.duplicates,
            "methods": dict(self.methods),
            "errors": dict(self.errors),
        }
