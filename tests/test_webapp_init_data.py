"""The Mini App's init data check (usecases.dashboard.init_data), against the algorithm as
Telegram documents it, written out here step by step."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import parse_qsl, urlencode

import pytest

from usecases.dashboard.init_data import InitDataError, Refusal, sign, validate

pytestmark = pytest.mark.unit

TOKEN = "123456:TEST-token-for-init-data"
NOW = 1_760_000_000
USER = {"id": 201, "first_name": "Lan", "language_code": "vi"}


def _documented(fields: dict[str, str], token: str) -> str:
    """https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app:
    data-check-string = the fields but hash, "key=<value>" sorted, joined by "\\n";
    secret_key = HMAC_SHA256(<bot_token>, "WebAppData"); hash = hex(HMAC_SHA256(dcs, key))."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    key = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(key, check.encode(), hashlib.sha256).hexdigest()


def _init_data(**changes: str) -> str:
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "auth_date": str(NOW - 10),
              "user": json.dumps(USER, separators=(",", ":")), **changes}
    fields["hash"] = _documented({k: v for k, v in fields.items() if k != "hash"}, TOKEN)
    return urlencode(fields)


def test_valid_init_data_gives_its_user() -> None:
    user = validate(_init_data(), TOKEN, now=NOW)
    assert (user.telegram_id, user.language_code, user.auth_date) == (201, "vi", NOW - 10)
    # what sign() makes is what Telegram makes
    signed = dict(parse_qsl(sign(USER, TOKEN, auth_date=NOW)))
    assert signed["hash"] == _documented({k: v for k, v in signed.items() if k != "hash"}, TOKEN)


@pytest.mark.parametrize(
    ("init_data", "reason"),
    [
        ("", Refusal.MISSING),
        ("not a query string", Refusal.MALFORMED),
        (_init_data().replace("%22id%22%3A201", "%22id%22%3A202"), Refusal.BAD_SIGNATURE),
        (_init_data() + "&extra=1", Refusal.BAD_SIGNATURE),
        ("&".join(p for p in _init_data().split("&") if not p.startswith("hash=")),
         Refusal.BAD_SIGNATURE),
        (_init_data() + "&auth_date=1", Refusal.MALFORMED),  # a key given twice
        (_init_data(auth_date=str(NOW - 3601)), Refusal.EXPIRED),
        (_init_data(auth_date=str(NOW + 600)), Refusal.EXPIRED),
        (_init_data(auth_date="soon"), Refusal.MALFORMED),
        (_init_data(user="{}"), Refusal.NO_USER),
        ("x" * 5000, Refusal.MALFORMED),
    ],
)
def test_refused_init_data(init_data: str, reason: Refusal) -> None:
    with pytest.raises(InitDataError) as caught:
        validate(init_data, TOKEN, now=NOW)
    assert caught.value.reason is reason


def test_another_bots_token_and_the_age_limit() -> None:
    with pytest.raises(InitDataError) as caught:
        validate(_init_data(), "654321:another-bot", now=NOW)
    assert caught.value.reason is Refusal.BAD_SIGNATURE
    old = _init_data(auth_date=str(NOW - 600))
    assert validate(old, TOKEN, now=NOW, max_age_s=900).telegram_id == 201
    with pytest.raises(InitDataError):
        validate(old, TOKEN, now=NOW, max_age_s=300)
