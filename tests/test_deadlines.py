"""Due dates, nudge schedules inside working hours, catch-up rules and plan milestones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from kernel.calendar import Month, due_date
from kernel.clock import VN_TZ
from knowledge.schema import Deadline
from reports.deadlines import (
    PlanDeadline,
    due_nudges,
    is_working_time,
    next_window,
    nudge_times,
    plan_deadlines,
)


def vn(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=VN_TZ)


def schedule(month: Month, **kwargs) -> dict[str, datetime]:
    return dict(nudge_times(month, **kwargs))


def test_due_date_is_in_the_following_month() -> None:
    assert due_date(Month(2025, 10)) == date(2025, 11, 5)
    assert due_date(Month(2025, 12)) == date(2026, 1, 5)
    assert due_date(Month(2025, 10), due_day=10) == date(2025, 11, 10)


def test_due_day_is_clamped_to_the_month_length() -> None:
    assert due_date(Month(2026, 1), due_day=31) == date(2026, 2, 28)
    assert due_date(Month(2028, 1), due_day=31) == date(2028, 2, 29)
    assert due_date(Month(2025, 3), due_day=31) == date(2025, 4, 30)
    assert due_date(Month(2025, 3), due_day=0) == date(2025, 4, 1)


def test_regular_schedule() -> None:
    # December 2025 is due Monday 5 January 2026.
    nudges = nudge_times(Month(2025, 12))
    assert [k for k, _ in nudges] == ["before_3", "before_1", "due", "overdue_1", "overdue_3"]
    assert [t.date() for _, t in nudges] == [
        date(2026, 1, 2), date(2026, 1, 3), date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 8)
    ]  # fmt: skip
    assert all(t.time() == time(8) and t.utcoffset() == timedelta(hours=7) for _, t in nudges)


def test_due_on_sunday_keeps_the_date_and_nudges_on_saturday() -> None:
    # September 2025 is due Sunday 5 October 2025.
    assert due_date(Month(2025, 9)).weekday() == 6
    nudges = schedule(Month(2025, 9))
    assert nudges["due"].date() == date(2025, 10, 4)  # Saturday
    assert "before_1" not in nudges  # merged into the Saturday "due" nudge
    assert nudges["overdue_1"].date() == date(2025, 10, 6)  # Monday, a day after the due date
    assert nudges["overdue_3"].date() == date(2025, 10, 8)


def test_before_nudge_on_sunday_moves_earlier() -> None:
    # October 2025 is due Wednesday 5 November; three days before is Sunday 2 November.
    nudges = schedule(Month(2025, 10))
    assert nudges["before_3"].date() == date(2025, 11, 1)
    assert nudges["before_1"].date() == date(2025, 11, 4)


def test_overdue_nudge_on_sunday_moves_later() -> None:
    # June 2025 is due Saturday 5 July; one day later is Sunday.
    nudges = schedule(Month(2025, 6))
    assert nudges["due"].date() == date(2025, 7, 5)
    assert nudges["overdue_1"].date() == date(2025, 7, 7)


@pytest.mark.parametrize("workdays", [frozenset(range(6)), frozenset(range(5))])
def test_every_schedule_is_ordered_and_inside_working_hours(workdays: frozenset[int]) -> None:
    for year in range(2025, 2031):
        for m in range(1, 13):
            for due_day in (1, 5, 10, 28, 31):
                month = Month(year, m)
                due = due_date(month, due_day)
                nudges = nudge_times(month, due_day=due_day, workdays=workdays)
                times = [t for _, t in nudges]
                assert times == sorted(set(times))
                assert all(is_working_time(t, workdays=workdays) for t in times)
                kinds = dict(nudges)
                assert "due" in kinds and kinds["due"].date() <= due
                for kind, at in nudges:
                    if kind.startswith("before_"):
                        assert at.date() < due
                    if kind.startswith("overdue_"):
                        assert at.date() > due


def test_holidays_are_skipped() -> None:
    holidays = {date(2026, 1, 5)}  # make the Monday due date a day off
    nudges = schedule(Month(2025, 12), holidays=holidays)
    assert nudges["due"].date() == date(2026, 1, 3)
    assert all(t.date() not in holidays for t in nudges.values())


def test_custom_days_and_hours() -> None:
    nudges = nudge_times(Month(2025, 12), before_days=(5,), after_days=(2,), work_start=time(7, 30))
    assert [k for k, _ in nudges] == ["before_5", "due", "overdue_2"]
    assert all(t.time() == time(7, 30) for _, t in nudges)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (vn(2025, 11, 3, 8, 0), True),
        (vn(2025, 11, 3, 16, 59), True),
        (vn(2025, 11, 3, 17, 0), False),
        (vn(2025, 11, 3, 7, 59), False),
        (vn(2025, 11, 8, 10), True),  # Saturday
        (vn(2025, 11, 9, 10), False),  # Sunday
        (datetime(2025, 11, 3, 1, 0, tzinfo=UTC), True),  # 08:00 in Vietnam
        (datetime(2025, 11, 3, 10, 0, tzinfo=UTC), False),  # 17:00 in Vietnam
        (datetime(2025, 11, 3, 9, 0), True),  # naive: taken as Vietnam time
    ],
)
def test_is_working_time(moment: datetime, expected: bool) -> None:
    assert is_working_time(moment) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (vn(2025, 11, 3, 10), vn(2025, 11, 3, 10)),
        (vn(2025, 11, 3, 6), vn(2025, 11, 3, 8)),
        (vn(2025, 11, 3, 18), vn(2025, 11, 4, 8)),
        (vn(2025, 11, 8, 17), vn(2025, 11, 10, 8)),  # Saturday evening → Monday
        (vn(2025, 11, 9, 9), vn(2025, 11, 10, 8)),  # Sunday → Monday
    ],
)
def test_next_window(moment: datetime, expected: datetime) -> None:
    assert next_window(moment) == expected


def test_next_window_with_holidays_and_no_workdays() -> None:
    assert next_window(vn(2025, 11, 9, 9), holidays={date(2025, 11, 10)}) == vn(2025, 11, 11, 8)
    with pytest.raises(ValueError):
        next_window(vn(2025, 11, 9, 9), workdays=frozenset())


# October 2025 (due Wed 5 Nov): before_3 Sat 1 Nov, before_1 Tue 4, due Wed 5, overdue Thu 6, Sat 8.
OCT = Month(2025, 10)


@pytest.mark.parametrize(
    ("now", "sent", "expected"),
    [
        (vn(2025, 10, 31, 10), set(), []),  # nothing due yet
        (vn(2025, 11, 1, 8), set(), ["before_3"]),
        (vn(2025, 11, 1, 16), set(), ["before_3"]),  # catch-up later the same day
        (vn(2025, 11, 1, 16), {"before_3"}, []),  # already sent
        (vn(2025, 11, 1, 18), set(), []),  # outside working hours
        (vn(2025, 11, 3, 10), set(), []),  # before_3's day is over: no late catch-up
        (vn(2025, 11, 4, 9), set(), ["before_1"]),  # before_3 missed: only the latest
        (vn(2025, 11, 5, 9), set(), ["due"]),
        (vn(2025, 11, 6, 9), set(), ["overdue_1"]),  # never an old before_3 after the due day
        (vn(2025, 11, 6, 9), {"overdue_1"}, []),
        (vn(2025, 11, 8, 9), {"overdue_1"}, ["overdue_3"]),
        (vn(2025, 11, 9, 9), set(), []),  # Sunday
        (vn(2025, 11, 20, 9), set(), []),  # long after the last nudge
    ],
)
def test_due_nudges(now: datetime, sent: set[str], expected: list[str]) -> None:
    assert due_nudges(now, OCT, sent) == expected


def test_due_nudges_walk_through_a_month_sends_each_kind_once() -> None:
    sent: list[str] = []
    moment = vn(2025, 10, 25, 0)
    while moment < vn(2025, 11, 15):
        for kind in due_nudges(moment, OCT, set(sent)):
            sent.append(kind)
            assert is_working_time(moment)
        moment += timedelta(minutes=30)
    assert sent == [k for k, _ in nudge_times(OCT)]


def test_plan_deadlines_from_tuples() -> None:
    items = [
        ("bao-cao-nam", 11, 10, True),
        ("bao-cao-6-thang", 6, 10, True),
        PlanDeadline("danh-gia", 11, None, False, (2022, 2024)),
        ("khong-ngay", None, None, False),
        ("cuoi-thang-2", 2, 31, False),
    ]
    assert plan_deadlines(items, 2024) == [
        (date(2024, 2, 29), "cuoi-thang-2"),
        (date(2024, 6, 9), "bao-cao-6-thang"),
        (date(2024, 11, 9), "bao-cao-nam"),
        (date(2024, 11, 30), "danh-gia"),
    ]
    assert "danh-gia" not in {i for _, i in plan_deadlines(items, 2025)}


def test_plan_deadlines_from_knowledge_objects() -> None:
    deadline = Deadline(
        id="bao-cao-6-thang",
        kind="six_monthly_report",
        text="Định kỳ 6 tháng (trước ngày 10 tháng 6)",
        text_en="Six-monthly report (before 10 June)",
        month=6,
        day=10,
        before=True,
        section="VI.1",
    )
    other = SimpleNamespace(id="x", month=12, day=15, before=False, years=[2026])
    assert plan_deadlines([deadline, other], 2026) == [
        (date(2026, 6, 9), "bao-cao-6-thang"),
        (date(2026, 12, 15), "x"),
    ]
