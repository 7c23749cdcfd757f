"""Reminder policy, plan milestones, reminder texts and pacing (no Telegram, no database)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.settings import ConfigError, Settings
from handlers.outbox import Pacer
from kernel.calendar import Month
from kernel.clock import VN_TZ
from kernel.i18n import translator
from knowledge.loader import default_plans
from usecases.deadlines.milestones import milestones, reminders_due, upcoming
from usecases.deadlines.policy import NudgePolicy
from usecases.deadlines.texts import digest_reply, nudge_reply


def vn(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=VN_TZ)


# ---------------------------------------------------------------------------- settings


def _plan_days(raw: str) -> dict[str, int]:
    return Settings.from_env({"REPORT_DUE_DAY_BY_PLAN": raw}).due_day_by_plan


def _before(raw: str) -> tuple[int, ...]:
    return Settings.from_env({"NUDGE_BEFORE_DAYS": raw}).nudge_before_days


def test_due_day_by_plan_is_parsed() -> None:
    assert _plan_days("") == {}
    assert _plan_days(" hcmc-2022-2030 : 10 ; tra-vinh-2024:7, ") == {
        "hcmc-2022-2030": 10, "tra-vinh-2024": 7,
    }


@pytest.mark.parametrize("raw", ["hcmc", "hcmc:", "hcmc:0", "hcmc:29", "HCMC:5", "a:b"])
def test_malformed_due_day_by_plan_is_refused(raw: str) -> None:
    with pytest.raises(ConfigError, match="REPORT_DUE_DAY_BY_PLAN"):
        _plan_days(raw)


def test_nudge_days_are_parsed() -> None:
    assert _before("3,1") == (3, 1)
    assert _before(" 7 , 3,3 ") == (7, 3)
    assert _before("") == ()
    for bad in ("0", "-1", "x", "28"):
        with pytest.raises(ConfigError, match="NUDGE_BEFORE_DAYS"):
            _before(bad)


def test_settings_carry_and_check_the_reminder_options() -> None:
    settings = Settings.from_env({
        "REPORT_DUE_DAY": "6", "REPORT_DUE_DAY_BY_PLAN": "hcmc-2022-2030:10",
        "NUDGE_BEFORE_DAYS": "", "NUDGE_AFTER_DAYS": "2", "NUDGE_INTERVAL": "30",
    })
    policy = NudgePolicy.from_settings(settings)
    assert settings.nudge_interval == 30
    assert policy.due_day_for("hcmc-2022-2030") == 10
    assert policy.due_day_for("tra-vinh-2024") == 6
    assert policy.due_day_for(None) == 6
    assert [kind for kind, _ in policy.schedule(Month(2025, 10))] == ["due", "overdue_2"]
    with pytest.raises(ConfigError, match="REPORT_DUE_DAY_BY_PLAN"):
        Settings.from_env({"REPORT_DUE_DAY_BY_PLAN": "hcmc-2022-2030=10"})
    with pytest.raises(ConfigError, match="NUDGE_AFTER_DAYS"):
        Settings.from_env({"NUDGE_AFTER_DAYS": "1,99"})
    with pytest.raises(ConfigError, match="WORK_START"):
        Settings.from_env({"WORK_START": "18:00"})


# ---------------------------------------------------------------------------- schedule

POLICY = NudgePolicy(due_day_by_plan={"hcmc-2022-2030": 10, "late": 28})


def test_a_due_day_on_sunday_is_announced_on_saturday_and_overdue_on_monday() -> None:
    september = Month(2025, 9)  # due Sunday 5 October 2025
    assert POLICY.due_date(september) == date(2025, 10, 5)
    assert POLICY.nudge_kind(vn(2025, 10, 2), september) == "before_3"  # Thursday
    assert POLICY.nudge_kind(vn(2025, 10, 3), september) is None
    assert POLICY.nudge_kind(vn(2025, 10, 4), september) == "due"  # Saturday, not before_1
    assert POLICY.nudge_kind(vn(2025, 10, 5), september) is None  # Sunday: nobody is nudged
    assert POLICY.nudge_kind(vn(2025, 10, 6), september) == "overdue_1"
    assert POLICY.nudge_kind(vn(2025, 10, 8), september) == "overdue_3"


def test_only_inside_working_hours() -> None:
    october = Month(2025, 10)  # due Wednesday 5 November
    assert POLICY.nudge_kind(vn(2025, 11, 4, 7, 59), october) is None
    assert POLICY.nudge_kind(vn(2025, 11, 4, 8, 0), october) == "before_1"
    assert POLICY.nudge_kind(vn(2025, 11, 4, 16, 59), october) == "before_1"
    assert POLICY.nudge_kind(vn(2025, 11, 4, 17, 0), october) is None
    late = NudgePolicy(work_start=time(7, 30), work_end=time(11, 30))
    assert late.nudge_kind(vn(2025, 11, 4, 7, 45), october) == "before_1"
    assert late.nudge_kind(vn(2025, 11, 4, 12, 0), october) is None


def test_per_plan_due_days() -> None:
    october = Month(2025, 10)
    assert POLICY.due_date(october, "hcmc-2022-2030") == date(2025, 11, 10)
    assert POLICY.nudge_kind(vn(2025, 11, 4), october, "hcmc-2022-2030") is None
    assert POLICY.nudge_kind(vn(2025, 11, 7), october, "hcmc-2022-2030") == "before_3"
    assert POLICY.nudge_kind(vn(2025, 11, 10), october, "hcmc-2022-2030") == "due"


def test_month_ends_and_year_ends() -> None:
    december = Month(2025, 12)  # due Monday 5 January 2026
    assert POLICY.nudge_kind(vn(2026, 1, 2), december) == "before_3"
    assert Month(2025, 12) in POLICY.open_months(vn(2026, 1, 2))
    january = Month(2026, 1)  # day 28 → Saturday 28 February; overdue_1 → Monday 2 March
    assert POLICY.due_date(january, "late") == date(2026, 2, 28)
    assert POLICY.nudge_kind(vn(2026, 2, 28), january, "late") == "due"
    assert POLICY.nudge_kind(vn(2026, 3, 2), january, "late") == "overdue_1"
    assert january in POLICY.open_months(vn(2026, 3, 2))  # two months back


def test_supervisor_digest_follows_the_first_overdue_nudge_with_short_catch_up() -> None:
    october = Month(2025, 10)
    assert POLICY.digest_at(october) == vn(2025, 11, 6, 8)
    assert not POLICY.digest_due(vn(2025, 11, 5, 16), october)
    assert POLICY.digest_due(vn(2025, 11, 6, 8), october)
    assert POLICY.digest_due(vn(2025, 11, 8, 16), october)  # Saturday, caught up
    assert not POLICY.digest_due(vn(2025, 11, 9, 10), october)  # Sunday
    assert not POLICY.digest_due(vn(2025, 11, 10, 10), october)  # too late
    no_overdue = NudgePolicy(after_days=())
    assert no_overdue.digest_at(october) == vn(2025, 11, 6, 8)


# ---------------------------------------------------------------------------- milestones

PLANS = default_plans()


def test_hcmc_milestones_are_dated_before_the_stated_day() -> None:
    hcmc = PLANS["hcmc-2022-2030"]
    dated = {(m.deadline.id, m.end, m.precision) for m in milestones(hcmc, 2027)}
    assert ("bao-cao-6-thang", date(2027, 6, 9), "day") in dated
    assert ("bao-cao-nam", date(2027, 11, 9), "day") in dated
    assert ("danh-gia-xa-phuong-phu-hop-tre-em", date(2027, 11, 30), "month") in dated
    assert not any(m.deadline.id == "danh-gia-xa-phuong-phu-hop-tre-em"
                   for m in milestones(hcmc, 2026))
    assert [m.deadline.id for m in milestones(hcmc, 2030) if m.precision == "year"] == [
        "tong-ket-2030"
    ]


def test_milestone_reminders_start_a_week_ahead_and_keys_are_short_and_stable() -> None:
    hcmc = PLANS["hcmc-2022-2030"]
    assert reminders_due(hcmc, date(2026, 6, 1)) == []
    (six,) = reminders_due(hcmc, date(2026, 6, 2))
    assert six.deadline.id == "bao-cao-6-thang"
    assert reminders_due(hcmc, date(2026, 6, 10)) == []
    due = {m.deadline.id for m in reminders_due(hcmc, date(2027, 11, 5))}
    assert due == {"bao-cao-nam", "danh-gia-xa-phuong-phu-hop-tre-em"}
    assert all(len(m.kind) <= 32 for m in milestones(hcmc, 2027))
    assert six.kind == reminders_due(hcmc, date(2026, 6, 5))[0].kind
    assert six.kind != milestones(hcmc, 2027)[0].kind
    assert [m.deadline.id for m in upcoming(hcmc, date(2026, 6, 10), limit=1)] == ["bao-cao-nam"]


# ---------------------------------------------------------------------------- texts


def test_a_nudge_says_what_is_due_by_when_and_starts_the_report() -> None:
    for locale, expected in (("vi", "05/11/2025"), ("en", "5 Nov 2025")):
        reply = nudge_reply(translator(locale), "before_1", Month(2025, 10), date(2025, 11, 5))
        assert expected in reply.text and "/remind" in reply.text
        (row,) = reply.buttons
        assert [b.data for b in row] == ["report:start:2025-10"]
    assert "10/2025" in nudge_reply(
        translator("vi"), "overdue_3", Month(2025, 10), date(2025, 11, 5)
    ).text


def test_digest_counts_names_and_offers_a_second_reminder() -> None:
    tr = translator("en")
    names = [f"Commune {i:02d}" for i in range(30)]
    reply = digest_reply(tr, Month(2025, 10), date(2025, 11, 5), 40, names)
    assert "10 of 40 units" in reply.text
    assert "Commune 24" in reply.text and "Commune 25" not in reply.text
    assert "and 5 more" in reply.text
    assert reply.buttons[0][0].data == "nudge:again:2025-10"
    done = digest_reply(translator("vi"), Month(2025, 10), date(2025, 11, 5), 4, [])
    assert "4" in done.text and not done.buttons


# ---------------------------------------------------------------------------- pacing


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_pacer_spaces_sends_and_keeps_a_second_between_messages_to_a_chat() -> None:
    fake = FakeTime()
    pacer = Pacer(rate=25, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for chat in range(100):
        await pacer.wait(chat)
        starts.append(fake.now)
    assert max(sum(1 for s in starts if t <= s < t + 1.0) for t in starts) == 25
    before = fake.now
    await pacer.wait(7_000)
    await pacer.wait(7_000)  # the same chat again: one second later, not 1/25 s
    assert fake.now - before == pytest.approx(1.0 + 1 / 25)
