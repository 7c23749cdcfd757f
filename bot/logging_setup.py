"""Logging that never prints the bot token, a message text or a report value, at any level.

* Every line is redacted after formatting, traceback included: anything shaped like a bot
  token, and the configured secrets themselves (token, webhook secret), become ``<secret>``.
* Libraries that log what passes through them at DEBUG (python-telegram-bot: Bot API
  parameters and updates; httpx/aiohttp: URLs with the token; SQLAlchemy: result rows;
  aiosqlite: statements with their parameters) never log below INFO, whatever LOG_LEVEL says.
  SQL parameters are hidden from SQLAlchemy's messages as well (``hide_parameters``).
* The project's own log lines carry ids, counts of work done and timings, never what a user
  typed or reported (bot.structured_log).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Iterable
from typing import TextIO

_TOKEN_IN_TEXT = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
REDACTED = "<secret>"
#: Loggers that may print message texts, report values or the token below INFO.
_CHATTY = (
    "telegram", "httpx", "httpcore", "aiohttp", "aiosqlite", "sqlalchemy", "asyncpg",
    "apscheduler", "uvicorn", "hpack", "urllib3", "alembic", "asyncio", "matplotlib", "PIL",
)  # fmt: skip
#: Of those, the ones kept at WARNING: their INFO lines are request URLs, SQL or noise.
_QUIET = ("httpx", "httpcore", "sqlalchemy", "apscheduler", "alembic", "matplotlib", "PIL")


class RedactingFormatter(logging.Formatter):
    """A formatter whose whole output (message, arguments, traceback) is redacted."""

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_IN_TEXT.sub(REDACTED, text)


class _AtLeastInfo(logging.Filter):
    """Drops records below INFO from the chatty libraries (a logger configured elsewhere may
    still be set to DEBUG), and python-telegram-bot's traceback of a rejected token: the entry
    point reports that in one line (bot.__main__)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.exc_info:
            from telegram.error import InvalidToken

            if isinstance(record.exc_info[1], InvalidToken):
                return False
        return record.levelno >= logging.INFO or not record.name.startswith(_CHATTY)


def setup_logging(
    level: str | None = None, *, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> None:
    """Log to stderr (or ``stream``) at ``level`` (default LOG_LEVEL or INFO), redacting
    ``secrets``."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.addFilter(_AtLeastInfo())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel((level or os.environ.get("LOG_LEVEL") or "INFO").upper())
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING if name in _QUIET else logging.INFO)
    # An uncaught exception goes through the same redaction, not Python's plain traceback
    # (python-telegram-bot's InvalidToken message holds the token).
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda args: _log_uncaught(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: object) -> None:
    logging.getLogger("bot").critical("unhandled %s", kind.__name__,
                                      exc_info=(kind, error, traceback))  # type: ignore[arg-type]
