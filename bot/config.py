"""Settings from the environment (or ``.env``), validated at start-up.

A missing or malformed setting raises :class:`ConfigError` with one clear line;
the entry point prints it and exits without a traceback. The token is never part
of any message or ``repr``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kernel.i18n import SUPPORTED

_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    api_base_url: str | None = None
    database_url: str = ""
    data_dir: Path = ROOT / "data"
    admin_ids: frozenset[int] = frozenset()
    tz: str = "Asia/Ho_Chi_Minh"
    default_language: str = "vi"
    bot_now: datetime | None = None
    due_day: int = 5
    lock_days: int = 30
    work_start: time = time(8)
    work_end: time = time(17)
    invite_days: int = 7
    bot_username: str = "child_plan_bot"
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    log_hash_salt: str | None = field(default=None, repr=False)
    concurrent_updates: int = 64
    #: DB_POOL_SIZE: database connections kept open (PostgreSQL; as many more under load)
    db_pool_size: int = 10
    # Reminders (parsed and checked by bot.nudges.policy)
    due_day_by_plan: str = ""  # REPORT_DUE_DAY_BY_PLAN, e.g. "hcmc-2022-2030:10"
    nudge_before_days: str = "3,1"  # NUDGE_BEFORE_DAYS
    nudge_after_days: str = "1,3"  # NUDGE_AFTER_DAYS
    nudge_interval: int = 60  # NUDGE_INTERVAL: seconds between reminder ticks; 0 = off
    # Several instances (docs/deploy.md): per-update state in the database; send rate per instance
    shared_state: bool = False  # SHARED_STATE (default: on for PostgreSQL)
    send_rate_limit: int = 30  # SEND_RATE_LIMIT: messages per second; 0 = no cap

    def __post_init__(self) -> None:
        from bot.nudges.policy import validate_settings

        try:
            validate_settings(self)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def due_day_for(self, plan_id: str | None) -> int:
        """The monthly report's due day for units of ``plan_id`` (REPORT_DUE_DAY_BY_PLAN)."""
        return self._due_days_by_plan.get(plan_id or "", self.due_day)

    @cached_property
    def _due_days_by_plan(self) -> dict[str, int]:
        from bot.nudges.policy import parse_due_day_by_plan

        return parse_due_day_by_plan(self.due_day_by_plan)  # validated in __post_init__

    @property
    def offline(self) -> bool:
        return not self.token

    @property
    def webhook(self) -> bool:
        """Webhook mode (WEBHOOK_URL set) instead of long polling."""
        return bool(self.webhook_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        get = lambda key: (env.get(key) or "").strip()  # noqa: E731

        token = get("TELEGRAM_BOT_TOKEN") or None
        if token and not _TOKEN_RE.match(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is malformed: expected the form 123456:ABC... from @BotFather"
            )
        base_url = get("TELEGRAM_API_BASE_URL") or None
        if base_url and not re.match(r"^https?://", base_url):
            raise ConfigError("TELEGRAM_API_BASE_URL must start with http:// or https://")

        data_dir = Path(get("DATA_DIR") or ROOT / "data")
        database_url = get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'bot.db'}"
        if not re.match(r"^(sqlite|postgres(ql)?)(\+\w+)?://", database_url):
            raise ConfigError("DATABASE_URL must be an sqlite:// or postgresql:// URL")

        admin_ids: set[int] = set()
        for part in filter(None, (p.strip() for p in get("ADMIN_IDS").split(","))):
            if not re.fullmatch(r"-?\d+", part):
                raise ConfigError(
                    f"ADMIN_IDS must be comma-separated Telegram user ids; got {part!r}"
                )
            admin_ids.add(int(part))

        tz = get("TZ") or "Asia/Ho_Chi_Minh"
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"TZ is not a known time zone: {tz!r}") from exc

        language = (get("DEFAULT_LANGUAGE") or "vi").lower()
        if language not in SUPPORTED:
            raise ConfigError(f"DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED)}")

        bot_now = None
        if raw := get("BOT_NOW"):
            try:
                bot_now = datetime.fromisoformat(raw)
            except ValueError as exc:
                raise ConfigError(
                    f"BOT_NOW must be an ISO date-time such as 2025-11-04T09:00; got {raw!r}"
                ) from exc
            if bot_now.tzinfo is None:
                bot_now = bot_now.replace(tzinfo=zone)

        webhook_url = _webhook_url(get("WEBHOOK_URL"), token, base_url)
        webhook_secret = get("WEBHOOK_SECRET") or None
        if webhook_url and not webhook_secret:
            raise ConfigError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        if webhook_secret and not _SECRET_RE.match(webhook_secret):
            raise ConfigError(
                "WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -"
            )

        return cls(
            token=token,
            api_base_url=base_url,
            database_url=database_url,
            data_dir=data_dir,
            admin_ids=frozenset(admin_ids),
            tz=tz,
            default_language=language,
            bot_now=bot_now,
            due_day=_int(get("REPORT_DUE_DAY"), "REPORT_DUE_DAY", 5, 1, 28),
            lock_days=_int(get("REPORT_LOCK_DAYS"), "REPORT_LOCK_DAYS", 30, 0, 3650),
            work_start=_time(get("WORK_START"), "WORK_START", time(8)),
            work_end=_time(get("WORK_END"), "WORK_END", time(17)),
            invite_days=_int(get("INVITE_DAYS"), "INVITE_DAYS", 7, 1, 365),
            bot_username=get("BOT_USERNAME") or "child_plan_bot",
            webhook_url=webhook_url,
            webhook_listen=get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=_int(get("WEBHOOK_PORT"), "WEBHOOK_PORT", 8443, 1, 65535),
            webhook_secret=webhook_secret,
            log_hash_salt=get("LOG_HASH_SALT") or None,
            concurrent_updates=_int(
                get("CONCURRENT_UPDATES"), "CONCURRENT_UPDATES", 64, 1, 1024
            ),
            db_pool_size=_int(get("DB_POOL_SIZE"), "DB_POOL_SIZE", 10, 1, 200),
            due_day_by_plan=get("REPORT_DUE_DAY_BY_PLAN"),
            nudge_before_days=env.get("NUDGE_BEFORE_DAYS", "3,1").strip(),
            nudge_after_days=env.get("NUDGE_AFTER_DAYS", "1,3").strip(),
            nudge_interval=_int(get("NUDGE_INTERVAL"), "NUDGE_INTERVAL", 60, 0, 86400),
            shared_state=_flag(
                get("SHARED_STATE"), "SHARED_STATE", database_url.startswith("postgres")
            ),
            send_rate_limit=_int(get("SEND_RATE_LIMIT"), "SEND_RATE_LIMIT", 30, 0, 1000),
        )


def _webhook_url(raw: str, token: str | None, api_base_url: str | None) -> str | None:
    if not raw:
        return None
    if not token:
        raise ConfigError("WEBHOOK_URL needs TELEGRAM_BOT_TOKEN (webhook mode is not offline)")
    if not re.match(r"^https?://[^/\s]+", raw):
        raise ConfigError(f"WEBHOOK_URL must be an https:// URL; got {raw!r}")
    if raw.startswith("http://") and not api_base_url:
        raise ConfigError("WEBHOOK_URL must use https:// (Telegram delivers only over HTTPS)")
    return raw


def _int(raw: str, name: str, default: int, low: int, high: int) -> int:
    if not raw:
        return default
    if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}; got {raw!r}")
    return int(raw)


def _flag(raw: str, name: str, default: bool) -> bool:
    if not raw:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be 1 or 0 (on or off); got {raw!r}")


def _time(raw: str, name: str, default: time) -> time:
    if not raw:
        return default
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a time such as 08:00; got {raw!r}") from exc


def load_dotenv_file(path: Path = ROOT / ".env") -> None:
    """Load ``.env`` into the environment without overriding what is already set."""
    if path.exists():
        from dotenv import load_dotenv

        load_dotenv(path, override=False)
