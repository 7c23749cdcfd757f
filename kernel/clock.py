"""Clocks giving aware local time in Asia/Ho_Chi_Minh; swap them in tests or for BOT_NOW."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    VN_TZ: timezone | ZoneInfo = ZoneInfo("Asia/Ho_Chi_Minh")
except ZoneInfoNotFoundError:  # no tz database: Vietnam has had no DST since 1975
    VN_TZ = timezone(timedelta(hours=7), "ICT")


def to_local(moment: datetime) -> datetime:
    """Aware local time; a naive datetime is taken to be local already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, aware, in Asia/Ho_Chi_Minh."""
        ...


def today(clock: Clock) -> date:
    return clock.now().date()


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(VN_TZ)


class OffsetClock:
    """Acts as if it were ``start`` when created, then runs on in real time (for BOT_NOW)."""

    def __init__(self, start: datetime, *, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = to_local(start) - self._base.now()

    def now(self) -> datetime:
        return to_local(self._base.now() + self._offset)


class FrozenClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, at: datetime) -> None:
        self._now = to_local(at)

    def now(self) -> datetime:
        return self._now

    def set(self, at: datetime) -> None:
        self._now = to_local(at)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` or ``timedelta(**kwargs)``; returns the new time."""
        self._now = self._now + (delta if delta is not None else timedelta(**kwargs))
        return self._now
