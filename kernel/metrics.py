"""Prometheus metrics of the bot, served at ``GET /metrics`` in webhook mode.

Other modules import the counters and bump them where the event happens, e.g.
``REPORTS_SAVED.inc()`` after a report is committed or ``NUDGES_SENT.inc()`` after a
reminder went out. Every instance keeps its own values; Prometheus scrapes each instance
and sums them.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client import generate_latest as _generate_latest

disable_created_metrics()  # no "*_created" series: they double the output and nobody reads them

UPDATES_RECEIVED = Counter(
    "bot_updates_received", "Telegram updates received, by update type.", ["type"]
)
REPLIES_SENT = Counter(
    "bot_replies_sent", "Messages the bot sent or edited successfully, by Bot API method.",
    ["method"],
)
ERRORS = Counter(
    "bot_errors", "Errors raised while handling updates or running jobs.", ["source"]
)
UPDATE_LATENCY = Histogram(
    "bot_update_handling_seconds",
    "Time from starting to handle an update to finishing it, by handler.",
    ["handler"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
UPDATES_IN_PROGRESS = Gauge(
    "bot_updates_in_progress", "Updates being handled right now (this instance)."
)
WEBHOOK_REJECTED = Counter(
    "bot_webhook_rejected", "Webhook requests refused without processing, by reason.", ["reason"]
)
REPORTS_SAVED = Counter("bot_reports_saved", "Monthly reports saved.")
NUDGES_SENT = Counter("bot_nudges_sent", "Reminder nudges sent to officers.")

#: Bot API methods that put a reply in front of a user.
REPLY_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "editMessageText",
        "editMessageReplyMarkup",
    }
)


def render() -> tuple[bytes, str]:
    """The current metrics in the Prometheus text format, and its content type."""
    return _generate_latest(REGISTRY), CONTENT_TYPE_LATEST
