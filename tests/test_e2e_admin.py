"""End to end: joining by invite, and the admin/supervisor commands, through the Bot API."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from kernel.clock import FrozenClock
from kernel.i18n import translator
from storage import people
from storage.models import AccessLog, Person
from storage.units import unit_by_code
from tests.e2e_support import bot_world
from tests.storage_helpers import small_tree

VI = translator("vi")
ADMIN, SUPERVISOR, OFFICER, OTHER_OFFICER = 1, 10, 20, 30
NOW = datetime(2025, 11, 10, 9, 0)


def _world(tmp_path, clock=None):
    return bot_world(tmp_path, clock=clock or FrozenClock(NOW), ADMIN_IDS=str(ADMIN),
                     BOT_USERNAME="test_bot")


async def _seed(services) -> dict[str, int]:
    """The small tree; supervisor of D1, an officer in C11 and one in C21."""
    async with services.db.session() as session:
        tree = await small_tree(session, year=2025)
        await people.set_role(session, SUPERVISOR, "supervisor", tree["D1"].id)
        await people.set_role(session, OFFICER, "officer", tree["C11"].id)
        await people.set_role(session, OTHER_OFFICER, "officer", tree["C21"].id)
        await session.commit()
    return {code: unit.id for code, unit in tree.items()}


async def _person(services, telegram_id: int) -> Person | None:
    async with services.db.read_session() as session:
        return await people.get_person(session, telegram_id)


async def _actions(services) -> list[tuple[int | None, str, int | None]]:
    async with services.db.read_session() as session:
        rows = await session.scalars(select(AccessLog).order_by(AccessLog.id))
        return [(r.person_id, r.action, r.unit_id) for r in rows]


async def _text(server, user: int, text: str) -> str:
    reply = (await server.ask(user, text))[0]
    assert reply.text
    return reply.text


def _code(text: str) -> str:
    match = re.search(r"https://t\.me/test_bot\?start=([A-Za-z0-9_-]{16,64})", text)
    assert match, text
    return match.group(1)


async def test_join_by_invite_and_spent_or_expired_codes(tmp_path) -> None:
    clock = FrozenClock(NOW)
    async with _world(tmp_path, clock) as (server, _app, services):
        ids = await _seed(services)
        invite = await _text(server, ADMIN, "/invite C12 officer")
        assert "Commune 12 (C12)" in invite and "17/11/2025 09:00" in invite
        code = _code(invite)
        assert f"/start {code}" in invite

        joined = await _text(server, 40, f"/start {code}")
        assert joined.startswith(VI.gettext("Welcome! You joined {unit} as {role}.",
                                            unit="Commune 12 (C12)", role="cán bộ báo cáo"))
        person = await _person(services, 40)
        assert person and (person.role, person.unit_id, person.active) == (
            "officer", ids["C12"], True)

        assert await _text(server, 40, f"/start {code}") == VI.gettext(
            "You already joined {unit} with this invite.", unit="Commune 12 (C12)")
        assert await _text(server, 41, f"/start {code}") == VI.gettext(
            "This invite has already been used. Each invite works once: ask your supervisor "
            "for a new one.")
        stranger = await _person(services, 41)
        assert stranger is not None and stranger.role is None and stranger.unit_id is None

        late = _code(await _text(server, ADMIN, "/moi C11 giamsat"))
        clock.advance(days=8)
        assert await _text(server, 42, f"/start {late}") == VI.gettext(
            "This invite has expired. Ask your supervisor for a new one.")
        assert (await _person(services, 42)).role is None

        assert await _text(server, 43, "/start not-a-real-code-123") == VI.gettext(
            "I do not know this invite code. Check the link, or ask your supervisor for a new "
            "invite.")
        welcome = await _text(server, 44, "/start")
        assert "/help" in welcome and "start=" not in welcome

        admin = await _person(services, ADMIN)
        actions = await _actions(services)
        assert (admin.id, "invite_created", ids["C12"]) in actions
        assert (admin.id, "invite_created", ids["C11"]) in actions
        assert [a for a in actions if a[1] == "invite_redeemed"] == [
            (person.id, "invite_redeemed", ids["C12"])
        ]


async def test_supervisors_invite_only_into_their_subtree(tmp_path) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await _seed(services)
        own = await _text(server, SUPERVISOR, "/invite C12 supervisor")
        code = _code(own)
        outside = await _text(server, SUPERVISOR, "/invite C21 officer")
        unknown = await _text(server, SUPERVISOR, "/invite NOPE officer")
        assert outside == VI.gettext("I know no unit “{code}” that you can see.", code="C21")
        assert outside.replace("C21", "?") == unknown.replace("NOPE", "?")
        assert await _text(server, OFFICER, "/invite C11 officer") == VI.gettext(
            "Only administrators and supervisors can use this command.")
        assert "/invite" in await _text(server, SUPERVISOR, "/invite C12 boss")

        await _text(server, 50, f"/start {code}")
        joined = await _person(services, 50)
        assert joined and (joined.role, joined.unit_id) == ("supervisor", ids["C12"])


async def test_admin_lists_moves_and_deactivates_people(tmp_path) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await _seed(services)
        await _text(server, OFFICER, "/help")  # gives the officer a display name

        top = await _text(server, ADMIN, "/units")
        assert "Province (P)" in top and "số người: 3" in top
        province = await _text(server, ADMIN, "/donvi P")
        assert "• District 1 (D1) — huyện · số người: 2" in province
        assert "• District 2 (D2) — huyện · số người: 1" in province
        assert "Trà Vinh" in province

        listed = await _text(server, ADMIN, "/people D1")
        assert "id 10" in listed and "id 20" in listed and "id 30" not in listed
        assert "Cán bộ · id 20 · cán bộ báo cáo · Commune 11 (C11)" in listed
        own = await _text(server, SUPERVISOR, "/people")
        assert "id 20" in own and "id 30" not in own
        assert await _text(server, SUPERVISOR, "/people D2") == VI.gettext(
            "I know no unit “{code}” that you can see.", code="D2")
        refused = VI.gettext("Only administrators and supervisors can use this command.")
        assert await _text(server, OFFICER, "/people") == refused
        assert await _text(server, OFFICER, "/units") == refused

        admins_only = VI.gettext("Only administrators can use this command.")
        assert await _text(server, SUPERVISOR, f"/move {OFFICER} C12") == admins_only
        assert (await _person(services, OFFICER)).unit_id == ids["C11"]
        moved = await _text(server, ADMIN, f"/move {OFFICER} C21")
        assert "Commune 11 (C11)" in moved and "Commune 21 (C21)" in moved
        assert (await _person(services, OFFICER)).unit_id == ids["C21"]
        assert "/people" in await _text(server, ADMIN, "/move twenty C21")
        assert await _text(server, ADMIN, "/move 999 C11") == VI.gettext(
            "No one with Telegram id {id} has used the bot yet.", id=999)

        assert await _text(server, SUPERVISOR, f"/deactivate {OFFICER}") == admins_only
        assert (await _person(services, OFFICER)).active
        assert "id 20" in await _text(server, ADMIN, f"/vohieu {OFFICER}")
        assert not (await _person(services, OFFICER)).active
        assert await _text(server, OFFICER, "/stats") == VI.gettext(
            "Statistics are for registered officers and supervisors. Ask your supervisor for an "
            "invite link.")
        assert "ADMIN_IDS" in await _text(server, ADMIN, f"/deactivate {ADMIN}")

        admin = await _person(services, ADMIN)
        actions = await _actions(services)
        assert (admin.id, "person_moved", ids["C21"]) in actions
        assert any(a[:2] == (admin.id, "person_deactivated") for a in actions)
        async with services.db.read_session() as session:
            assert (await unit_by_code(session, "C21")).id == ids["C21"]
