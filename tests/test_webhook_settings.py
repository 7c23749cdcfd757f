"""Webhook settings: polling by default; webhook mode validated with one clear line."""

from __future__ import annotations

import pytest

from bot.settings import ConfigError, Settings
from bot.web import webhook_path

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdef"
SECRET = "A-secret_of-24-chars-xyz"


def settings(**env: str) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, **env})


def test_polling_is_the_default() -> None:
    s = settings()
    assert not s.webhook and s.webhook_url is None
    assert (s.webhook_listen, s.webhook_port, s.concurrent_updates) == ("0.0.0.0", 8443, 64)


def test_webhook_mode_from_the_environment() -> None:
    s = settings(
        WEBHOOK_URL="https://bot.example.org/tg/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT="8080",
        CONCURRENT_UPDATES="16",
        DB_POOL_SIZE="25",
    )
    assert s.db_pool_size == 25
    assert s.webhook and s.webhook_url == "https://bot.example.org/tg/hook"
    assert (s.webhook_listen, s.webhook_port, s.concurrent_updates) == ("127.0.0.1", 8080, 16)
    assert SECRET not in repr(s) and TOKEN not in repr(s)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET is required"),
        ({"WEBHOOK_URL": "https://b.example.org/h", "WEBHOOK_SECRET": "short"}, "16 to 256"),
        ({"WEBHOOK_URL": "https://b.example.org/h", "WEBHOOK_SECRET": "bad secret!" * 3}, "A-Z"),
        ({"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": SECRET}, "https://"),
        ({"WEBHOOK_URL": "bot.example.org/hook", "WEBHOOK_SECRET": SECRET}, "https://"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT must be a whole number from 1 to 65535"),
        ({"CONCURRENT_UPDATES": "0"}, "CONCURRENT_UPDATES must be a whole number"),
        ({"DB_POOL_SIZE": "many"}, "DB_POOL_SIZE must be a whole number"),
    ],
)
def test_malformed_webhook_settings_fail_with_one_line(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        settings(**env)
    assert "\n" not in str(raised.value)
    assert SECRET not in str(raised.value)


def test_webhook_needs_a_token() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        Settings.from_env({"WEBHOOK_URL": "https://b.example.org/h", "WEBHOOK_SECRET": SECRET})


def test_plain_http_is_allowed_only_with_a_local_bot_api_server() -> None:
    s = settings(
        WEBHOOK_URL="http://10.0.0.5:8443/hook",
        WEBHOOK_SECRET=SECRET,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/bot",
    )
    assert s.webhook_url == "http://10.0.0.5:8443/hook"


def test_the_local_path_is_the_path_of_the_public_url() -> None:
    assert webhook_path("https://bot.example.org/tg/hook") == "/tg/hook"
    assert webhook_path("https://bot.example.org") == "/"
