"""Due and lock instants of a reporting month, as UTC datetimes for SQL comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kernel.calendar import Month, due_date

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
DEFAULT_DUE_DAY = 5
DEFAULT_LOCK_DAYS = 30


def due_deadline(
    month: Month, due_day: int = DEFAULT_DUE_DAY, tz: str | ZoneInfo = DEFAULT_TZ
) -> datetime:
    """The first instant (UTC) after the due day ends locally: on time means ``< deadline``."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    day_after = due_date(month, due_day) + timedelta(days=1)
    return datetime.combine(day_after, time(0), zone).astimezone(UTC)


@dataclass(frozen=True)
class LockPolicy:
    """After `lock_days` past the due date only a supervisor (or admin) may change a month."""

    due_day: int = DEFAULT_DUE_DAY
    lock_days: int = DEFAULT_LOCK_DAYS
    tz: str = DEFAULT_TZ

    def deadline(self, month: Month) -> datetime:
        return due_deadline(month, self.due_day, self.tz)

    def locks_at(self, month: Month) -> datetime:
        return self.deadline(month) + timedelta(days=self.lock_days)

    def is_locked(self, month: Month, now: datetime) -> bool:
        return now >= self.locks_at(month)
