"""End to end: /help and /start per role, and a second invite that asks before replacing.

Vietnamese replies are checked through the catalog (``VI.gettext``), English ones as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select
from telegram.ext import CommandHandler, ConversationHandler

from kernel.clock import FrozenClock
from kernel.i18n import translator
from storage import people
from storage.models import AccessLog, Invite, Person
from tests.botapi import BotApiServer
from tests.e2e_support import bot_world
from tests.report_world import (
    ADMIN,
    NOW,
    OFFICER,
    OFFICER_2,
    OUTSIDER,
    SUPERVISOR,
    populate,
)

VI = translator("vi")
#: Lines of the help for an administrator, the longest (it must stay readable on a phone).
MAX_HELP_LINES = 40


def _world(tmp_path: Path):
    return bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS=str(ADMIN),
                     BOT_USERNAME="test_bot")


async def _text(server: BotApiServer, user: int, text: str, **kwargs) -> str:
    (reply,) = await server.ask(user, text, **kwargs)
    assert reply.text
    return reply.text


def _registered_commands(app) -> set[str]:
    """Every command the application answers (conversations' entry points and fallbacks too)."""
    found: set[str] = set()

    def visit(handler) -> None:
        if isinstance(handler, ConversationHandler):
            for inner in [*handler.entry_points, *handler.fallbacks,
                          *(h for hs in handler.states.values() for h in hs)]:
                visit(inner)
        elif isinstance(handler, CommandHandler):
            found.update(handler.commands)
        for attr in ("_command",):  # /start's handler wraps a CommandHandler
            inner = getattr(handler, attr, None)
            if isinstance(inner, CommandHandler):
                found.update(inner.commands)

    for handlers in app.handlers.values():
        for handler in handlers:
            visit(handler)
    return found


def _commands_in(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w/])/([a-z]+)\b", text))


# ---------------------------------------------------------------------------- /help per role


async def test_help_shows_each_role_its_commands_with_an_example(tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, app, svc):
        await populate(svc)
        guest = await _text(server, OUTSIDER, "/help", language_code="en")
        officer = await _text(server, OFFICER, "/help", language_code="en")
        supervisor = await _text(server, SUPERVISOR, "/help", language_code="en")
        admin = await _text(server, ADMIN, "/help", language_code="en")

        # A guest: questions, /plan, /lang, and how to get an invite; nothing they cannot use.
        assert "target 14 for 2025" in guest
        assert "/plan Rach Gia" in guest and "/lang en" in guest
        assert "/start CODE" in guest and "invite" in guest
        for absent in ("/report", "/myreports", "/stats", "/reopen", "/people", "/move"):
            assert absent not in guest, absent

        # An officer: reporting in one message, their reports, deadlines, reminders, cancel.
        assert officer.startswith(guest.split("\n\nTo send monthly reports")[0])
        assert "report 10/2025: abuse 2, injury 5, marriage 0" in officer
        for line in ("/myreports — recent reports of your unit",
                     "/deadline — your next deadlines",
                     "/remind — reminders on or off: /remind off",
                     "/cancel — stop entering a report",
                     "/stats — statistics of your unit: /stats 2025"):
            assert line in officer, line
        assert "/start CODE" not in officer
        for absent in ("/reopen", "/people", "/invite", "/unit ", "/move", "/deactivate"):
            assert absent not in officer, absent

        # A supervisor: statistics with a period, who has not reported, /reopen, /people.
        assert "/stats — statistics, chart and exports of your area: /stats Q3 2025" in supervisor
        assert "/deadline — who has not reported yet, with a button to remind them" in supervisor
        assert "/reopen — let a unit correct a locked month: /reopen C11 10/2025" in supervisor
        assert "/people D1" in supervisor and "/invite C11 officer" in supervisor
        assert "/units D1" in supervisor
        for absent in ("/unit add", "/move", "/deactivate", "units import"):
            assert absent not in supervisor, absent

        # An administrator (ADMIN_IDS): everything, the unit and people changes and the CLI.
        assert admin.startswith(supervisor)
        for line in ("/unit add C13 commune D1 Commune 13", "/move 123456789 C12",
                     "/deactivate 123456789", "python -m bot units import units.csv"):
            assert line in admin, line
        assert len(admin.splitlines()) <= MAX_HELP_LINES
        assert len(guest) < len(officer) < len(supervisor) < len(admin)

        # Every command shown is one the bot answers, every example has its command.
        registered = _registered_commands(app)
        for shown in (guest, officer, supervisor, admin):
            assert _commands_in(shown) <= registered | {"start", "help"}, (
                _commands_in(shown) - registered)

        # In Vietnamese, with the Vietnamese command names beside the English ones.
        vi_officer = await _text(server, OFFICER, "/help")
        assert VI.gettext("report 10/2025: abuse 2, injury 5, marriage 0") in vi_officer
        assert "/cancel (/huy) — " + VI.gettext("stop entering a report") in vi_officer
        assert "/remind (/nhacnho) — " + VI.gettext("reminders on or off: /remind off") in (
            vi_officer)
        vi_admin = await _text(server, ADMIN, "/help")
        assert "/deactivate (/vohieu) — " in vi_admin and "/unit (/suadonvi) — " in vi_admin
        assert "/stats (/thongke) — " + VI.gettext(
            "statistics, chart and exports of your area: /stats Q3 2025") in vi_admin
        assert _commands_in(vi_admin) <= registered | {"start", "help"}


async def test_start_greets_with_the_help_of_the_role(tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, _app, svc):
        await populate(svc)
        greeting = VI.gettext("Hello! I am the Action Plan for Children assistant.")
        guest = await _text(server, OUTSIDER, "/start")
        assert guest.startswith(greeting) and guest.endswith(VI.gettext(
            "To send monthly reports you need an invite from your supervisor: open the invite "
            "link, or send /start CODE."))
        assert "/report" not in guest
        supervisor = await _text(server, SUPERVISOR, "/start")
        assert supervisor.startswith(greeting)
        assert supervisor.endswith(await _text(server, SUPERVISOR, "/help"))
        assert VI.gettext("let a unit correct a locked month: /reopen C11 10/2025") in supervisor
        assert "/move" not in supervisor and "/deactivate" not in supervisor

        # A deactivated officer is a guest again: the help says how to get back in.
        async with svc.db.session() as session:
            await people.deactivate(session, OFFICER)
            await session.commit()
        again = await _text(server, OFFICER, "/help", language_code="en")
        assert "/report" not in again and "/start CODE" in again


# ---------------------------------------------------------------------------- a second invite


def _code(text: str) -> str:
    match = re.search(r"https://t\.me/test_bot\?start=([A-Za-z0-9_-]{16,64})", text)
    assert match, text
    return match.group(1)


async def _person(svc, telegram_id: int) -> Person:
    async with svc.db.read_session() as session:
        person = await people.get_person(session, telegram_id)
        assert person is not None
        return person


async def _invites(svc) -> list[Invite]:
    async with svc.db.read_session() as session:
        return list((await session.scalars(select(Invite).order_by(Invite.id))).all())


async def test_a_second_invite_asks_before_replacing_the_unit_and_role(tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, _app, svc):
        ids = await populate(svc)
        code = _code(await _text(server, ADMIN, "/invite D2 supervisor"))

        # The officer of C11 opens it: asked first; nothing changes, the invite stays unused.
        (question,) = await server.ask(OFFICER, f"/start {code}", language_code="en")
        assert question.text == (
            "You are officer of Xã An Trường (C11). This invite makes you supervisor of "
            "Huyện Cầu Kè (D2). Replace?")
        assert question.button_labels == ["Replace", "Keep it"]
        officer = await _person(svc, OFFICER)
        assert (officer.role, officer.unit_id, officer.active) == ("officer", ids["C11"], True)
        (invite,) = await _invites(svc)
        assert invite.used_at is None and invite.used_by is None

        # Keep: everything stays, and the answer says so in place of the question.
        (kept,) = await server.press(OFFICER, question, label="Keep it")
        assert kept.method == "editMessageText" and kept.message_id == question.message_id
        assert kept.text == "Nothing changed: you are still officer of Xã An Trường (C11)."
        assert not kept.buttons
        officer = await _person(svc, OFFICER)
        assert (officer.role, officer.unit_id) == ("officer", ids["C11"])
        assert (await _invites(svc))[0].used_at is None

        # Asked again (in Vietnamese), Replace: now the invite is used and the role changes.
        (asked,) = await server.ask(OFFICER, f"/start {code}")
        assert asked.text == VI.gettext(
            "You are {current}. This invite makes you {new}. Replace?",
            current=VI.gettext("{role} of {unit}", role=VI.gettext("officer"),
                               unit="Xã An Trường (C11)"),
            new=VI.gettext("{role} of {unit}", role=VI.gettext("supervisor"),
                           unit="Huyện Cầu Kè (D2)"))
        assert asked.button_labels == [VI.gettext("Replace"), VI.gettext("Keep it")]
        (replaced,) = await server.press(OFFICER, asked, label=VI.gettext("Replace"))
        assert replaced.text.startswith(VI.gettext(
            "Welcome! You joined {unit} as {role}.", unit="Huyện Cầu Kè (D2)",
            role=VI.gettext("supervisor")))
        officer = await _person(svc, OFFICER)
        assert (officer.role, officer.unit_id, officer.active) == ("supervisor", ids["D2"], True)
        (invite,) = await _invites(svc)
        assert invite.used_by == officer.id and invite.used_at is not None
        async with svc.db.read_session() as session:
            redeemed = (await session.scalars(
                select(AccessLog).where(AccessLog.action == "invite_redeemed"))).all()
        assert [(r.person_id, r.unit_id, r.detail) for r in redeemed] == [
            (officer.id, ids["D2"], f"invite {invite.id}, was officer of C11")]

        # Replace tapped once more (a double tap): already joined with it, nothing else.
        mark = server.mark()
        await server.tap(OFFICER, asked, "join:yes:" + code, check=False)
        (twice,) = await server.wait_for(1, chat_id=OFFICER, since=mark)
        assert twice.text == VI.gettext("You already joined {unit} with this invite.",
                                        unit="Huyện Cầu Kè (D2)")
        assert len(await _invites(svc)) == 1
        assert (await _person(svc, OFFICER)).unit_id == ids["D2"]

        # At once a supervisor: /help shows the supervisor's commands.
        now_help = await _text(server, OFFICER, "/help", language_code="en")
        assert "/reopen C11 10/2025" in now_help and "your next deadlines" not in now_help


async def test_an_invite_for_the_role_already_held_changes_nothing(tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, _app, svc):
        ids = await populate(svc)
        code = _code(await _text(server, ADMIN, "/invite C12 officer"))
        (same,) = await server.ask(OFFICER_2, f"/start {code}", language_code="en")
        assert same.text == (
            "You are already officer of Xã Bình Phú (C12): this invite changes nothing.")
        assert not same.buttons
        (invite,) = await _invites(svc)
        assert invite.used_at is None  # still there for whom it was meant

        # Someone with no role joins at once, without a question.
        joined = await _text(server, OUTSIDER, f"/start {code}", language_code="en")
        assert joined.startswith("Welcome! You joined Xã Bình Phú (C12) as officer.")
        outsider = await _person(svc, OUTSIDER)
        assert (outsider.role, outsider.unit_id) == ("officer", ids["C12"])


async def test_a_forged_replace_button_joins_nothing(tmp_path: Path) -> None:
    async with _world(tmp_path) as (server, _app, svc):
        ids = await populate(svc)
        code = _code(await _text(server, ADMIN, "/invite D2 supervisor"))
        (question,) = await server.ask(OFFICER, f"/start {code}", language_code="en")
        # A modified client sends its own data instead of the button's: an unknown code.
        mark = server.mark()
        await server.tap(OFFICER, question, "join:yes:not-the-real-code-000", check=False)
        (answer,) = await server.wait_for(1, chat_id=OFFICER, since=mark)
        assert answer.text == ("I do not know this invite code. Check the link, or ask your "
                               "supervisor for a new invite.")
        officer = await _person(svc, OFFICER)
        assert (officer.role, officer.unit_id) == ("officer", ids["C11"])
        assert (await _invites(svc))[0].used_at is None
