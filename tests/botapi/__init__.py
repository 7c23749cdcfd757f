"""Loopback Telegram Bot API server and harness for end-to-end tests."""

from tests.botapi.harness import (
    application_builder,
    build_bare_application,
    free_port,
    running_bot,
    running_webhook_bot,
)
from tests.botapi.records import SentCall, Stats, UploadedFile, WebhookDelivery
from tests.botapi.server import BotApiServer

__all__ = [
    "BotApiServer",
    "SentCall",
    "Stats",
    "UploadedFile",
    "WebhookDelivery",
    "application_builder",
    "build_bare_application",
    "free_port",
    "running_bot",
    "running_webhook_bot",
]
