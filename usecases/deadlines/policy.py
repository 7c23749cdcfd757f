"""When reminders go out: due days per plan, nudge days, working hours (Telegram-free).

From the settings (typed in bot.settings):

* ``REPORT_DUE_DAY`` — the default due day of the following month (5).
* ``REPORT_DUE_DAY_BY_PLAN`` — per-plan overrides, ``"plan-id:day, other-plan:day"``.
* ``NUDGE_BEFORE_DAYS`` / ``NUDGE_AFTER_DAYS`` — days before / after the due day ("3,1" / "1,3").
* ``WORK_START`` / ``WORK_END`` — working hours, Monday to Saturday, Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from kernel.calendar import Month
from kernel.clock import to_local
from reports import deadlines

DIGEST = "digest"
#: A digest missed while the bot was down is still sent up to this many days late.
DIGEST_CATCH_UP_DAYS = 3

@dataclass(frozen=True)
class NudgePolicy:
    """The reminder schedule; every time is local (Asia/Ho_Chi_Minh)."""

    due_day: int = deadlines.DEFAULT_DUE_DAY
    due_day_by_plan: Mapping[str, int] = field(default_factory=dict)
    before_days: tuple[int, ...] = (3, 1)
    after_days: tuple[int, ...] = (1, 3)
    work_start: time = deadlines.WORK_START
    work_end: time = deadlines.WORK_END
    workdays: frozenset[int] = deadlines.WORKDAYS

    @classmethod
    def from_settings(cls, settings: Any) -> NudgePolicy:
        """Build from the settings (usecases.services.FeatureSettings)."""
        return cls(
            due_day=settings.due_day,
            due_day_by_plan=dict(settings.due_day_by_plan),
            before_days=settings.nudge_before_days,
            after_days=settings.nudge_after_days,
            work_start=settings.work_start,
            work_end=settings.work_end,
        )

    @property
    def _hours(self) -> dict[str, Any]:
        return {"work_start": self.work_start, "work_end": self.work_end,
                "workdays": self.workdays}

    def due_day_for(self, plan_id: str | None) -> int:
        return self.due_day_by_plan.get(plan_id or "", self.due_day)

    def due_date(self, month: Month, plan_id: str | None = None) -> date:
        return deadlines.due_date(month, self.due_day_for(plan_id))

    def is_working_time(self, now: datetime) -> bool:
        return deadlines.is_working_time(now, **self._hours)

    def schedule(self, month: Month, plan_id: str | None = None) -> list[tuple[str, datetime]]:
        """Every nudge of ``month``'s report, in time order."""
        return deadlines.nudge_times(
            month, due_day=self.due_day_for(plan_id), before_days=self.before_days,
            after_days=self.after_days, **self._hours,
        )

    def nudge_kind(self, now: datetime, month: Month, plan_id: str | None = None) -> str | None:
        """The officers' nudge to send at ``now`` for ``month`` (same-day catch-up), if any."""
        kinds = deadlines.due_nudges(
            now, month, (), due_day=self.due_day_for(plan_id), before_days=self.before_days,
            after_days=self.after_days, **self._hours,
        )
        return kinds[0] if kinds else None

    def digest_at(self, month: Month, plan_id: str | None = None) -> datetime:
        """When supervisors get the digest: the first overdue nudge (or the next working day)."""
        overdue = [at for kind, at in self.schedule(month, plan_id) if kind.startswith("overdue_")]
        if overdue:
            return overdue[0]
        day = self.due_date(month, plan_id) + timedelta(days=1)
        return deadlines.next_window(datetime.combine(day, time(0)), **self._hours)

    def digest_due(self, now: datetime, month: Month, plan_id: str | None = None) -> bool:
        """True from the digest time for a few days (a missed digest is caught up late)."""
        local = to_local(now)
        at = self.digest_at(month, plan_id)
        return (
            self.is_working_time(local)
            and at <= local
            and local.date() <= at.date() + timedelta(days=DIGEST_CATCH_UP_DAYS)
            and local.date() < self.due_date(month.next(), plan_id)
        )

    def open_months(self, now: datetime) -> list[Month]:
        """Months whose nudges may fall on ``now``'s day: this month and the two before."""
        local = to_local(now)
        current = Month(local.year, local.month)
        return [current, current.previous(), current.previous().previous()]
