"""Telegram-free reply model: what the core returns and handlers send."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    label: str
    data: str = ""  # callback data, at most 64 bytes
    #: Opens this https URL as a Telegram Mini App (private chats only) instead of calling back.
    web_app: str | None = None


@dataclass
class Reply:
    """One message: plain text (rendered as HTML by handlers) and optional button rows."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    html: bool = False  # True when text is already HTML-safe markup
