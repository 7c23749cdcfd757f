"""Settings from the environment (or ``.env``), typed once with pydantic-settings.

Every setting is read and checked here, in the type the code uses (a frozenset of ids, a
tuple of days, a plan → due day mapping); nothing re-parses them later. A missing or
malformed setting raises :class:`ConfigError` with one clear line naming it; the entry point
prints it and exits without a traceback. The token and the webhook secret never appear in a
message or a ``repr``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import datetime, time
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BeforeValidator, Field, ValidationError, model_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from kernel.i18n import SUPPORTED

ROOT = Path(__file__).resolve().parent.parent
MIN_DUE_DAY, MAX_DUE_DAY = 1, 28
MAX_NUDGE_DAYS = 27
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
_PLAN_DAY = re.compile(r"^([a-z0-9-]+)\s*:\s*(\d{1,2})$")
#: Set while :meth:`Settings.from_env` reads a given mapping instead of the environment.
_GIVEN_ONLY: ContextVar[bool] = ContextVar("settings_given_only", default=False)


class ConfigError(ValueError):
    """A setting is missing or malformed."""


# ---------------------------------------------------------------------- value readers


def _or_default(raw: Any) -> Any:
    """A setting left empty takes its default (the default itself passes through)."""
    if isinstance(raw, str):
        if not raw.strip():
            raise PydanticUseDefault
        return raw.strip()
    return raw


def _whole(name: str, low: int, high: int) -> Callable[[Any], int]:
    def read(raw: Any) -> int:
        text = str(_or_default(raw))
        if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            raise ValueError(f"{name} must be a whole number from {low} to {high}; got {text!r}")
        return int(text)

    return read


def _flag(name: str) -> Callable[[Any], bool | None]:
    def read(raw: Any) -> bool | None:
        if raw is None or isinstance(raw, bool):
            return raw
        text = str(_or_default(raw)).lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{name} must be 1 or 0 (on or off); got {raw!r}")

    return read


def _clock_time(name: str) -> Callable[[Any], time]:
    def read(raw: Any) -> time:
        if isinstance(raw, time):
            return raw
        try:
            return time.fromisoformat(str(_or_default(raw)))
        except ValueError:
            raise ValueError(f"{name} must be a time such as 08:00; got {raw!r}") from None

    return read


def _days(name: str) -> Callable[[Any], tuple[int, ...]]:
    """``"3,1"`` → ``(3, 1)``; an empty text means no such reminders."""

    def read(raw: Any) -> tuple[int, ...]:
        if isinstance(raw, tuple):
            return raw
        days: list[int] = []
        for part in filter(None, (p.strip() for p in str(raw).split(","))):
            if not part.isdigit() or not 1 <= int(part) <= MAX_NUDGE_DAYS:
                raise ValueError(f"{name}: expected whole days from 1 to {MAX_NUDGE_DAYS}, "
                                 f"got {part!r}")
            days.append(int(part))
        return tuple(dict.fromkeys(days))

    return read


def _plan_days(raw: Any) -> dict[str, int]:
    """``"hcmc-2022-2030:10, tra-vinh-2024:7"`` → ``{"hcmc-2022-2030": 10, ...}``."""
    raw = _or_default(raw)
    if isinstance(raw, Mapping):
        return dict(raw)
    found: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", str(raw)))):
        match = _PLAN_DAY.match(part)
        if not match:
            raise ValueError(f"REPORT_DUE_DAY_BY_PLAN: expected plan-id:day, got {part!r}")
        plan_id, day = match.group(1), int(match.group(2))
        if not MIN_DUE_DAY <= day <= MAX_DUE_DAY:
            raise ValueError(f"REPORT_DUE_DAY_BY_PLAN: the day for {plan_id} must be "
                             f"{MIN_DUE_DAY} to {MAX_DUE_DAY}")
        found[plan_id] = day
    return found


def _ids(raw: Any) -> frozenset[int]:
    raw = _or_default(raw)
    if isinstance(raw, frozenset | set | list | tuple):
        return frozenset(int(i) for i in raw)
    found: set[int] = set()
    for part in filter(None, (p.strip() for p in str(raw).split(","))):
        if not re.fullmatch(r"-?\d+", part):
            raise ValueError(f"ADMIN_IDS must be comma-separated Telegram user ids; got {part!r}")
        found.add(int(part))
    return frozenset(found)


def _token(raw: Any) -> str | None:
    text = str(raw).strip() if raw is not None else ""
    if text and not _TOKEN.match(text):
        raise ValueError(
            "TELEGRAM_BOT_TOKEN is malformed: expected the form 123456:ABC... from @BotFather")
    return text or None


def _secret(raw: Any) -> str | None:
    text = str(raw).strip() if raw is not None else ""
    if text and not _SECRET.match(text):
        raise ValueError("WEBHOOK_SECRET must be 16 to 256 characters of A-Z, a-z, 0-9, _ and -")
    return text or None


def _base_url(raw: Any) -> str | None:
    text = str(raw).strip() if raw is not None else ""
    if text and not re.match(r"^https?://", text):
        raise ValueError("TELEGRAM_API_BASE_URL must start with http:// or https://")
    return text or None


def _database_url(raw: Any) -> str:
    text = str(raw).strip() if raw is not None else ""
    if text and not re.match(r"^(sqlite|postgres(ql)?)(\+\w+)?://", text):
        raise ValueError("DATABASE_URL must be an sqlite:// or postgresql:// URL")
    return text


def _zone(raw: Any) -> str:
    text = str(_or_default(raw))
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"TZ is not a known time zone: {text!r}") from None
    return text


def _language(raw: Any) -> str:
    text = str(_or_default(raw)).lower()
    if text not in SUPPORTED:
        raise ValueError(f"DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED)}")
    return text


def _moment(raw: Any) -> datetime | None:
    if raw is None or isinstance(raw, datetime):
        return raw
    try:
        return datetime.fromisoformat(str(_or_default(raw)))
    except ValueError:
        raise ValueError(
            f"BOT_NOW must be an ISO date-time such as 2025-11-04T09:00; got {raw!r}") from None


def _int(name: str, low: int, high: int) -> Any:
    return BeforeValidator(_whole(name, low, high))


class Settings(BaseSettings):
    """The bot's settings; the environment variable of each is in ``.env.example``."""

    model_config = SettingsConfigDict(
        env_file=ROOT / ".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=True,
        frozen=True,
    )

    token: Annotated[str | None, BeforeValidator(_token)] = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN"), repr=False)
    api_base_url: Annotated[str | None, BeforeValidator(_base_url)] = Field(
        None, validation_alias=AliasChoices("TELEGRAM_API_BASE_URL"))
    data_dir: Annotated[Path, BeforeValidator(_or_default)] = Field(
        ROOT / "data", validation_alias=AliasChoices("DATA_DIR"))
    #: Default: the SQLite file ``DATA_DIR/bot.db``.
    database_url: Annotated[str, BeforeValidator(_database_url)] = Field(
        "", validation_alias=AliasChoices("DATABASE_URL"))
    admin_ids: Annotated[frozenset[int], BeforeValidator(_ids)] = Field(
        frozenset(), validation_alias=AliasChoices("ADMIN_IDS"))
    tz: Annotated[str, BeforeValidator(_zone)] = Field(
        "Asia/Ho_Chi_Minh", validation_alias=AliasChoices("TZ"))
    default_language: Annotated[str, BeforeValidator(_language)] = Field(
        "vi", validation_alias=AliasChoices("DEFAULT_LANGUAGE"))
    #: Act as if it were this moment, the clock running on (drills and demos).
    bot_now: Annotated[datetime | None, BeforeValidator(_moment)] = Field(
        None, validation_alias=AliasChoices("BOT_NOW"))
    due_day: Annotated[int, _int("REPORT_DUE_DAY", MIN_DUE_DAY, MAX_DUE_DAY)] = Field(
        5, validation_alias=AliasChoices("REPORT_DUE_DAY"))
    #: Per-plan due days, e.g. ``REPORT_DUE_DAY_BY_PLAN=hcmc-2022-2030:10``.
    due_day_by_plan: Annotated[dict[str, int], BeforeValidator(_plan_days)] = Field(
        {}, validation_alias=AliasChoices("REPORT_DUE_DAY_BY_PLAN"))
    lock_days: Annotated[int, _int("REPORT_LOCK_DAYS", 0, 3650)] = Field(
        30, validation_alias=AliasChoices("REPORT_LOCK_DAYS"))
    nudge_before_days: Annotated[tuple[int, ...], BeforeValidator(_days("NUDGE_BEFORE_DAYS"))] = (
        Field((3, 1), validation_alias=AliasChoices("NUDGE_BEFORE_DAYS")))
    nudge_after_days: Annotated[tuple[int, ...], BeforeValidator(_days("NUDGE_AFTER_DAYS"))] = (
        Field((1, 3), validation_alias=AliasChoices("NUDGE_AFTER_DAYS")))
    #: Seconds between reminder ticks; 0 turns reminders off.
    nudge_interval: Annotated[int, _int("NUDGE_INTERVAL", 0, 86400)] = Field(
        60, validation_alias=AliasChoices("NUDGE_INTERVAL"))
    work_start: Annotated[time, BeforeValidator(_clock_time("WORK_START"))] = Field(
        time(8), validation_alias=AliasChoices("WORK_START"))
    work_end: Annotated[time, BeforeValidator(_clock_time("WORK_END"))] = Field(
        time(17), validation_alias=AliasChoices("WORK_END"))
    invite_days: Annotated[int, _int("INVITE_DAYS", 1, 365)] = Field(
        7, validation_alias=AliasChoices("INVITE_DAYS"))
    bot_username: Annotated[str, BeforeValidator(_or_default)] = Field(
        "child_plan_bot", validation_alias=AliasChoices("BOT_USERNAME"))
    webhook_url: Annotated[str | None, BeforeValidator(_or_default)] = Field(
        None, validation_alias=AliasChoices("WEBHOOK_URL"))
    webhook_listen: Annotated[str, BeforeValidator(_or_default)] = Field(
        "0.0.0.0", validation_alias=AliasChoices("WEBHOOK_LISTEN"))
    webhook_port: Annotated[int, _int("WEBHOOK_PORT", 1, 65535)] = Field(
        8443, validation_alias=AliasChoices("WEBHOOK_PORT"))
    webhook_secret: Annotated[str | None, BeforeValidator(_secret)] = Field(
        None, validation_alias=AliasChoices("WEBHOOK_SECRET"), repr=False)
    #: The dashboard's public address (Telegram Mini App), e.g. https://bot.example.org/app/
    webapp_url: Annotated[str | None, BeforeValidator(_or_default)] = Field(
        None, validation_alias=AliasChoices("WEBAPP_URL"))
    #: Polling mode and the console serve the dashboard on their own port.
    webapp_listen: Annotated[str, BeforeValidator(_or_default)] = Field(
        "127.0.0.1", validation_alias=AliasChoices("WEBAPP_LISTEN"))
    webapp_port: Annotated[int, _int("WEBAPP_PORT", 0, 65535)] = Field(
        8081, validation_alias=AliasChoices("WEBAPP_PORT"))
    #: How old the Mini App's init data may be (seconds).
    webapp_auth_max_age: Annotated[int, _int("WEBAPP_AUTH_MAX_AGE", 60, 86400)] = Field(
        3600, validation_alias=AliasChoices("WEBAPP_AUTH_MAX_AGE"))
    log_hash_salt: Annotated[str | None, BeforeValidator(_or_default)] = Field(
        None, validation_alias=AliasChoices("LOG_HASH_SALT"), repr=False)
    log_level: Annotated[str, BeforeValidator(_or_default)] = Field(
        "INFO", validation_alias=AliasChoices("LOG_LEVEL"))
    concurrent_updates: Annotated[int, _int("CONCURRENT_UPDATES", 1, 1024)] = Field(
        64, validation_alias=AliasChoices("CONCURRENT_UPDATES"))
    #: PostgreSQL connections kept open (as many more under load).
    db_pool_size: Annotated[int, _int("DB_POOL_SIZE", 1, 200)] = Field(
        10, validation_alias=AliasChoices("DB_POOL_SIZE"))
    #: Several instances: per-update state in the database (default: on for PostgreSQL).
    shared_state: Annotated[bool | None, BeforeValidator(_flag("SHARED_STATE"))] = Field(
        None, validation_alias=AliasChoices("SHARED_STATE"))
    #: Messages per second per instance; 0 = no cap.
    send_rate_limit: Annotated[int, _int("SEND_RATE_LIMIT", 0, 1000)] = Field(
        30, validation_alias=AliasChoices("SEND_RATE_LIMIT"))
    #: The measured fast paths (inline SQLite, unparsed replies); 0 = the libraries' stock ones.
    fast_paths: Annotated[bool, BeforeValidator(_flag("FAST_PATHS"))] = Field(
        True, validation_alias=AliasChoices("FAST_PATHS"))

    @model_validator(mode="after")
    def _whole_settings(self) -> Settings:
        """Checks across settings, and the defaults that depend on others."""
        if not self.database_url:
            object.__setattr__(self, "database_url",
                               f"sqlite+aiosqlite:///{self.data_dir / 'bot.db'}")
        if self.shared_state is None:
            object.__setattr__(self, "shared_state", self.database_url.startswith("postgres"))
        if self.bot_now is not None and self.bot_now.tzinfo is None:
            object.__setattr__(self, "bot_now", self.bot_now.replace(tzinfo=self.zone))
        if self.work_start >= self.work_end:
            raise ValueError("WORK_START must be earlier than WORK_END")
        if self.webhook_url:
            if not self.token:
                raise ValueError(
                    "WEBHOOK_URL needs TELEGRAM_BOT_TOKEN (webhook mode is not offline)")
            if not re.match(r"^https?://[^/\s]+", self.webhook_url):
                raise ValueError(f"WEBHOOK_URL must be an https:// URL; got {self.webhook_url!r}")
            if self.webhook_url.startswith("http://") and not self.api_base_url:
                raise ValueError(
                    "WEBHOOK_URL must use https:// (Telegram delivers only over HTTPS)")
            if not self.webhook_secret:
                raise ValueError("WEBHOOK_SECRET is required when WEBHOOK_URL is set")
        if self.webapp_url:
            if not re.match(r"^https?://[^/\s]+", self.webapp_url):
                raise ValueError(f"WEBAPP_URL must be an https:// URL; got {self.webapp_url!r}")
            if self.webapp_url.startswith("http://") and self.token and not self.api_base_url:
                raise ValueError("WEBAPP_URL must use https:// (Telegram opens Mini Apps "
                                 "only over HTTPS)")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        if _GIVEN_ONLY.get():
            return (init_settings,)
        return (init_settings, env_settings, dotenv_settings)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings of the environment (and ``.env``), or of ``env`` alone; ConfigError
        with one line for the first bad value."""
        given = _GIVEN_ONLY.set(env is not None)
        try:
            return cls(**dict(env or {}))
        except ValidationError as exc:
            raise ConfigError(_first_problem(exc)) from None
        finally:
            _GIVEN_ONLY.reset(given)

    # ------------------------------------------------------------------ derived values

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def due_day_for(self, plan_id: str | None) -> int:
        """The monthly report's due day for units of ``plan_id`` (REPORT_DUE_DAY_BY_PLAN)."""
        return self.due_day_by_plan.get(plan_id or "", self.due_day)

    @property
    def offline(self) -> bool:
        return not self.token

    @property
    def webhook(self) -> bool:
        """Webhook mode (WEBHOOK_URL set) instead of long polling."""
        return bool(self.webhook_url)


def _first_problem(error: ValidationError) -> str:
    """One line for the first problem (our messages name the setting; the value is quoted
    only where it is not a secret)."""
    first = error.errors()[0]
    message = str(first.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if first.get("type") != "value_error":  # pydantic's own words: name the setting
        name = "".join(str(part) for part in first.get("loc", ())[:1])
        message = f"{name}: {message}"
    return message.splitlines()[0]
