"""End to end: deadlines and reminders through the real Application and the loopback Bot API.

Ticks are called directly with a FrozenClock (no sleeping, no waiting for the JobQueue);
NUDGE_INTERVAL=0 keeps the repeating job out of the way except where it is under test.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from telegram.ext import Application

from bot.jobs.reminders import TickResult
from bot.jobs.scheduler import JOB_ID, install_runner, runner_of, schedule_nudges
from kernel.calendar import Month
from kernel.clock import VN_TZ, FrozenClock, OffsetClock
from kernel.counts import CaseCounts
from kernel.i18n import translator
from storage import case_reports, people, unit_tree
from storage.models import Unit
from tests.botapi import BotApiServer
from tests.e2e_support import bot_world, fake_time_runner, running_app
from usecases.services import Services

VI = translator("vi")
OFFICERS = (101, 102, 103)
SUPERVISOR = 201
OCTOBER = Month(2025, 10)  # due Wednesday 5 November 2025
COMMUNE_NAMES = ("Xã An Phú", "Xã Bình Minh", "Xã Cầu Kè")


def vn(y: int, m: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=VN_TZ)


async def seed(
    svc: Services,
    *,
    plan: str = "tra-vinh-2021-2030",
    officers: tuple[int, ...] = OFFICERS,
    supervisor: int | None = SUPERVISOR,
    code: str = "TV",
) -> list[Unit]:
    """A province → district → one commune per officer; a supervisor on the district."""
    async with svc.db.session() as s:
        province = await unit_tree.add_unit(s, code, f"Tỉnh {code}", "province", plan_id=plan)
        district = await unit_tree.add_unit(s, f"{code}-D", "Huyện Càng Long", "district",
                                        province.id)
        communes = []
        for i, telegram_id in enumerate(officers):
            name = COMMUNE_NAMES[i] if i < len(COMMUNE_NAMES) else f"Xã số {i}"
            commune = await unit_tree.add_unit(s, f"{code}-C{i}", name, "commune", district.id)
            await people.set_role(s, telegram_id, "officer", commune.id)
            communes.append(commune)
        if supervisor is not None:
            await people.set_role(s, supervisor, "supervisor", district.id)
        await s.commit()
    return communes


async def report(svc: Services, unit: Unit, month: Month, at: datetime) -> None:
    async with svc.db.session() as s:
        result = await case_reports.submit_report(
            s, unit.id, month, CaseCounts(1, 0, 0), person_id=None, now=at
        )
        assert result.saved
        await s.commit()


async def tick(app: Application) -> TickResult:
    """One reminder tick; the pacer and retries run on a fake clock (no real waiting)."""
    runner = runner_of(app)
    if getattr(runner, "time", None) is None:
        runner = install_runner(app, fake_time_runner(app.bot_data["services"]))
    return await runner.tick(app.bot)


def texts_to(server: BotApiServer, chat_id: int) -> list[str]:
    """The reminders a chat received (every reminder tells how to stop them)."""
    return [m.text for m in server.messages_to(chat_id) if m.text and "/remind" in m.text]


# ---------------------------------------------------------------------------- the schedule


async def test_nudges_follow_the_schedule_and_stop_once_the_unit_reports(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 1))  # Saturday: before_3 (Sunday 2 Nov moves earlier)
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        communes = await seed(svc)
        first = await tick(app)
        assert (first.planned, first.sent) == (3, 3)
        nudge = server.last_message(OFFICERS[0])
        assert "10/2025" in nudge.text and "05/11/2025" in nudge.text
        assert nudge.button(data="report:start:2025-10")
        assert SUPERVISOR not in {c.chat_id for c in server.sent}
        (start,) = await server.press(OFFICERS[2], server.last_message(OFFICERS[2]),
                                      "report:start:2025-10")
        assert "10/2025" in start.text  # one tap opens the report for that month

        again = await tick(app)  # the same window again: nothing twice
        assert (again.planned, again.sent) == (0, 0)

        await report(svc, communes[0], OCTOBER, vn(2025, 11, 3, 10))
        clock.set(vn(2025, 11, 4, 8))  # before_1
        assert (await tick(app)).sent == 2
        clock.set(vn(2025, 11, 5, 8, 30))  # due
        assert (await tick(app)).sent == 2
        clock.set(vn(2025, 11, 6, 8, 5))  # overdue_1 and the supervisors' digest
        assert (await tick(app)).sent == 3
        digest = server.last_message(SUPERVISOR)
        assert "1/3" in digest.text
        assert "Xã Bình Minh" in digest.text and "Xã Cầu Kè" in digest.text
        assert "Xã An Phú" not in digest.text
        assert digest.button(data="nudge:again:2025-10")

        await report(svc, communes[1], OCTOBER, vn(2025, 11, 8, 7, 55))  # just before
        clock.set(vn(2025, 11, 8, 8))  # Saturday: overdue_3
        assert (await tick(app)).sent == 1

        assert len(texts_to(server, OFFICERS[0])) == 1
        assert len(texts_to(server, OFFICERS[1])) == 4
        third = texts_to(server, OFFICERS[2])
        assert len(third) == 5 and len(set(third)) == 4  # overdue_1 and _3 read alike
        assert "ngày mai" in third[1] and "chưa được gửi" in third[-1]
        assert server.stats.duplicates == 1  # only that repeated overdue text


async def test_restart_between_two_nudges_and_same_day_catch_up(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 1))
    async with BotApiServer() as server:
        async with running_app(server, tmp_path, clock=clock, NUDGE_INTERVAL="0") as (app, svc):
            await seed(svc, officers=OFFICERS[:1], supervisor=None)
            assert (await tick(app)).sent == 1
        clock.set(vn(2025, 11, 1, 15))
        async with running_app(server, tmp_path, clock=clock, NUDGE_INTERVAL="0") as (app, _):
            assert (await tick(app)).sent == 0  # already sent before the restart
            clock.set(vn(2025, 11, 4, 16, 30))  # down all morning: caught up once
            assert (await tick(app)).sent == 1
            assert (await tick(app)).sent == 0
        clock.set(vn(2025, 11, 6, 10))  # down all of the due day: only overdue_1 today
        async with running_app(server, tmp_path, clock=clock, NUDGE_INTERVAL="0") as (app, _):
            assert (await tick(app)).sent == 1
        texts = texts_to(server, OFFICERS[0])
        assert len(texts) == 3
        assert "3 ngày" in texts[0] and "ngày mai" in texts[1] and "chưa được gửi" in texts[2]


async def test_a_due_day_on_sunday(tmp_path: Path) -> None:
    september = Month(2025, 9)  # due Sunday 5 October 2025
    clock = FrozenClock(vn(2025, 10, 4, 10))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, officers=OFFICERS[:1], supervisor=None)
        assert (await tick(app)).sent == 1
        saturday = server.last_message(OFFICERS[0])
        assert "05/10/2025" in saturday.text and "09/2025" in saturday.text
        assert saturday.button(data=f"report:start:{september.key}")
        clock.set(vn(2025, 10, 5, 10))
        assert (await tick(app)).reason == "outside working hours"
        clock.set(vn(2025, 10, 6, 8))
        assert (await tick(app)).sent == 1
        assert "chưa được gửi" in server.last_message(OFFICERS[0]).text


async def test_month_end_and_per_plan_due_days(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2026, 3, 2))  # Monday
    env = {"NUDGE_INTERVAL": "0", "REPORT_DUE_DAY_BY_PLAN": "tra-vinh-2021-2030:28"}
    async with bot_world(tmp_path, clock=clock, **env) as (server, app, svc):
        await seed(svc, officers=(101,), supervisor=None)
        await seed(svc, plan="hcmc-2022-2030", officers=(301,), supervisor=None, code="HCM")
        assert (await tick(app)).sent == 2
        # January's report was due Saturday 28 February: overdue_1 falls on Monday 2 March.
        tra_vinh = server.last_message(101).text
        assert "01/2026" in tra_vinh and "28/02/2026" in tra_vinh and "chưa được gửi" in tra_vinh
        # HCMC keeps the default day 5: February's report is due in three days.
        hcmc = server.last_message(301).text
        assert "02/2026" in hcmc and "05/03/2026" in hcmc and "3 ngày" in hcmc


async def test_outside_working_hours_nothing_is_sent(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 4, 7, 59))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc)
        assert (await tick(app)).reason == "outside working hours"
        clock.set(vn(2025, 11, 4, 17))
        assert (await tick(app)).reason == "outside working hours"
        assert not server.calls(methods=["sendMessage"])


async def test_bot_now_makes_the_bot_act_at_that_moment(tmp_path: Path) -> None:
    env = {"NUDGE_INTERVAL": "0", "BOT_NOW": "2025-11-04T09:00"}
    async with bot_world(tmp_path, **env) as (server, app, svc):
        assert isinstance(svc.clock, OffsetClock)
        await seed(svc, officers=OFFICERS[:1], supervisor=None)
        assert (await tick(app)).sent == 1
        assert "ngày mai, 05/11/2025" in server.last_message(OFFICERS[0]).text


# ---------------------------------------------------------------------------- commands


async def _reminders_enabled(svc: Services, telegram_id: int) -> bool:
    async with svc.db.read_session() as s:
        person = await people.get_person(s, telegram_id)
        assert person is not None
        return bool(person.reminders_enabled)


def _marked(label: str) -> str:
    return "✅ " + label


async def test_remind_shows_the_state_and_its_buttons_set_it(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 1))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        await seed(svc, officers=OFFICERS[:2], supervisor=None)
        on, off = VI.gettext("On"), VI.gettext("Off")

        # Looking changes nothing (it used to turn reminders off).
        (shown,) = await server.ask(OFFICERS[0], "/remind")
        assert shown.text.startswith(VI.gettext(
            "Reminders are on: I remind you before reports are due."))
        assert shown.button_labels == [_marked(on), off]
        assert [b["callback_data"] for b in shown.buttons] == ["remind:on", "remind:off"]
        assert await _reminders_enabled(svc, OFFICERS[0])
        (again,) = await server.ask(OFFICERS[0], "/nhacnho")
        assert again.text == shown.text and await _reminders_enabled(svc, OFFICERS[0])
        assert (await tick(app)).sent == 2  # both officers are still reminded

        # Off tapped: set, and the same message now shows the new state.
        (edited,) = await server.press(OFFICERS[0], shown, "remind:off")
        assert edited.method == "editMessageText" and edited.message_id == shown.message_id
        assert edited.text == VI.gettext(
            "Reminders are off: I will not remind you about reports.")
        assert edited.button_labels == [on, _marked(off)]
        assert not await _reminders_enabled(svc, OFFICERS[0])
        # The same button again: nothing to change, no error, still off.
        mark = server.mark()
        await server.tap(OFFICERS[0], shown, "remind:off")
        await server.wait_for(lambda c: c.method == "answerCallbackQuery", since=mark)
        assert not server.calls(chat_id=OFFICERS[0], since=mark, methods=["sendMessage"])
        assert not await _reminders_enabled(svc, OFFICERS[0])
        (looked,) = await server.ask(OFFICERS[0], "/remind")
        assert looked.text.startswith(VI.gettext(
            "Reminders are off: I do not remind you about reports."))
        assert looked.button_labels == [on, _marked(off)]

        clock.set(vn(2025, 11, 4, 9))
        assert (await tick(app)).sent == 1  # only the other officer
        assert "ngày mai" not in server.last_message(OFFICERS[0]).text
        (back_on,) = await server.press(OFFICERS[0], looked, "remind:on")
        assert back_on.button_labels == [_marked(on), off]
        assert await _reminders_enabled(svc, OFFICERS[0])

        # /remind on|off|bat|tat|bật|tắt set directly; setting twice keeps it (no toggling).
        (explicit,) = await server.ask(OFFICERS[1], "/nhacnho tắt")
        (twice,) = await server.ask(OFFICERS[1], "/nhacnho tắt")
        assert explicit.text == twice.text == VI.gettext(
            "Reminders are off: I will not remind you about reports.")
        assert twice.button_labels == [on, _marked(off)]
        assert not await _reminders_enabled(svc, OFFICERS[1])
        for word, wanted in (("bật", True), ("tat", False), ("Bat", True), ("OFF", False),
                             ("on", True)):
            await server.ask(OFFICERS[1], f"/remind {word}")
            assert await _reminders_enabled(svc, OFFICERS[1]) is wanted, word

        # In English: the state, both buttons, the state's own marked.
        (english,) = await server.ask(OFFICERS[1], "/remind", language_code="en")
        assert english.text == (
            "Reminders are on: I remind you before reports are due.\n"
            "Tap On or Off to change it, or send /remind on or /remind off.")
        assert english.button_labels == ["✅ On", "Off"]
        (english_off,) = await server.press(OFFICERS[1], english, "remind:off")
        assert english_off.text == "Reminders are off: I will not remind you about reports."
        assert english_off.button_labels == ["On", "✅ Off"]


async def test_deadline_shows_the_next_deadlines_and_the_units_reports(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 3))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, _app, svc):
        communes = await seed(svc)
        await report(svc, communes[0], OCTOBER, vn(2025, 11, 2, 10))
        await report(svc, communes[0], Month(2025, 9), vn(2025, 10, 2, 10))

        (done,) = await server.ask(OFFICERS[0], "/han")
        assert "Xã An Phú" in done.text and "đã nhận ngày 02/11/2025" in done.text
        assert "09/2025" not in done.text  # an older month is shown only while missing
        assert "11/2025" in done.text and "05/12/2025" in done.text
        assert not done.buttons

        (missing,) = await server.ask(OFFICERS[1], "/deadline", language_code="en")
        assert "Oct 2025: due 5 Nov 2025 (2 days left)" in missing.text  # Telegram's language
        assert "Sep 2025: was due 5 Oct 2025" in missing.text  # September is overdue, shown
        assert {b["callback_data"] for b in missing.buttons} == {
            "report:start:2025-09", "report:start:2025-10",
        }

        (overview,) = await server.ask(SUPERVISOR, "/han")
        assert "1/3" in overview.text and "Xã Cầu Kè" in overview.text
        assert "Trà Vinh" in overview.text and "2030" in overview.text  # plan milestones
        assert not overview.buttons  # not yet due: nobody to remind again

        async with svc.db.session() as s:
            await people.set_language(s, 999, "en")
            await people.set_plan(s, 999, "hcmc-2022-2030")
            await s.commit()
        (guest,) = await server.ask(999, "/deadline")
        assert "day 5 of the following month" in guest.text
        assert "by 9 Jun 2026: Six-monthly report" in guest.text


async def test_supervisor_reminds_the_missing_units_again(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 6, 9))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="0") as (server, app, svc):
        communes = await seed(svc)
        await report(svc, communes[0], OCTOBER, vn(2025, 11, 4, 10))
        await tick(app)
        digest = server.last_message(SUPERVISOR)
        since = server.mark()
        (answer,) = await server.press(SUPERVISOR, digest, "nudge:again:2025-10")
        assert "2 cán bộ" in answer.text and "2 đơn vị" in answer.text
        for officer in OFFICERS[1:]:
            await server.wait_for(1, chat_id=officer, since=since, methods=["sendMessage"])
        assert not server.calls(chat_id=OFFICERS[0], since=since)
        again = server.calls(chat_id=OFFICERS[1], since=since)[0]
        assert again.button(data="report:start:2025-10")

        (second,) = await server.press(SUPERVISOR, digest, "nudge:again:2025-10")
        assert "đã được nhắc hôm nay" in second.text

        mark = server.mark()
        await server.tap(OFFICERS[1], digest, "nudge:again:2025-10", check=False)
        await server.wait_for(
            lambda c: c.method == "answerCallbackQuery" and bool(c.params.get("show_alert")),
            since=mark,
        )
        clock.set(vn(2025, 11, 6, 19))
        (late,) = await server.press(SUPERVISOR, digest, "nudge:again:2025-10")
        assert "giờ làm việc" in late.text
        assert len(server.messages_to(OFFICERS[1])) == 2  # overdue_1 and the one again


# ---------------------------------------------------------------------------- the job


async def test_one_repeating_job_with_a_stable_id_sends_on_its_own(tmp_path: Path) -> None:
    clock = FrozenClock(vn(2025, 11, 4))
    async with bot_world(tmp_path, clock=clock, NUDGE_INTERVAL="1") as (server, app, svc):
        await seed(svc, officers=OFFICERS[:1], supervisor=None)
        schedule_nudges(app)  # scheduling again replaces, never duplicates
        (job,) = app.job_queue.get_jobs_by_name(JOB_ID)
        assert job.job.id == JOB_ID
        (nudge,) = await server.wait_for(
            1, chat_id=OFFICERS[0], methods=["sendMessage"], timeout=30
        )
        assert "ngày mai" in nudge.text
    async with bot_world(tmp_path / "off", clock=clock, NUDGE_INTERVAL="0") as (_s, app, _):
        assert not app.job_queue.get_jobs_by_name(JOB_ID)
