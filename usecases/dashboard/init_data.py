"""Telegram Mini App init data: checked on every request of the dashboard.

The algorithm of https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app:
the init data is a query string; every field but ``hash``, as ``key=value`` sorted by key and
joined by newlines, is signed with HMAC-SHA256 under the key HMAC-SHA256("WebAppData", bot
token); ``hash`` is that signature in hex. ``initDataUnsafe`` (what the page could claim) is
never trusted: only this string, checked here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

#: Default for how old init data may be (Telegram signs it when the Mini App opens).
DEFAULT_MAX_AGE_S = 3600
#: A client clock a little ahead of ours is tolerated; init data from further ahead is not.
FUTURE_SKEW_S = 60
#: Init data is a few hundred bytes; far more is not from Telegram.
MAX_INIT_DATA_CHARS = 4096


class Refusal(StrEnum):
    """Why init data is refused (logged; the client only learns it is not authorised)."""

    MISSING = "missing"
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NO_USER = "no_user"


class InitDataError(ValueError):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user the init data was signed for."""

    telegram_id: int
    language_code: str | None
    auth_date: int


def secret_key(bot_token: str) -> bytes:
    """HMAC-SHA256 with the key "WebAppData" over the bot token."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> bytes:
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields)).encode()


def validate(init_data: str, bot_token: str, *, now: float,
             max_age_s: int = DEFAULT_MAX_AGE_S) -> WebAppUser:
    """The user of valid, fresh init data; :class:`InitDataError` otherwise."""
    if not init_data:
        raise InitDataError(Refusal.MISSING)
    if len(init_data) > MAX_INIT_DATA_CHARS:
        raise InitDataError(Refusal.MALFORMED)
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError(Refusal.MALFORMED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):  # a repeated key: not what Telegram signs
        raise InitDataError(Refusal.MALFORMED)
    given = fields.pop("hash", "")
    expected = hmac.new(secret_key(bot_token), _check_string(fields), hashlib.sha256).hexdigest()
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise InitDataError(Refusal.BAD_SIGNATURE)
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        raise InitDataError(Refusal.MALFORMED) from None
    if not -FUTURE_SKEW_S <= now - auth_date <= max_age_s:
        raise InitDataError(Refusal.EXPIRED)
    try:
        user = json.loads(fields.get("user", ""))
        telegram_id = int(user["id"])
    except (ValueError, TypeError, KeyError):
        raise InitDataError(Refusal.NO_USER) from None
    language = user.get("language_code")
    return WebAppUser(telegram_id, language if isinstance(language, str) else None, auth_date)


def sign(user: dict[str, object], bot_token: str, *, auth_date: int,
         extra: dict[str, str] | None = None) -> str:
    """Init data for ``user`` as Telegram would sign it (the offline console's link, tests)."""
    fields = {"auth_date": str(auth_date), "user": json.dumps(user, separators=(",", ":")),
              **(extra or {})}
    fields["hash"] = hmac.new(secret_key(bot_token), _check_string(fields),
                              hashlib.sha256).hexdigest()
    return urlencode(fields)
