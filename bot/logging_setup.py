"""Logging that never prints the bot token (httpx logs request URLs, which contain it)."""

from __future__ import annotations

import logging
import os
import re

_TOKEN_IN_TEXT = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")


class RedactTokenFilter(logging.Filter):
    """Replace anything shaped like a bot token in a log record with ``<token>``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN_IN_TEXT.search(message):
            record.msg = _TOKEN_IN_TEXT.sub("<token>", message)
            record.args = ()
        return True


def setup_logging(level: str | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokenFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or os.environ.get("LOG_LEVEL", "INFO"))
    # httpx logs every request URL (with the token) at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
