"""End to end: admins change the unit tree in chat with /unit (/suadonvi), through the Bot API."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from kernel.clock import FrozenClock
from kernel.i18n import translator
from storage import people
from storage.models import AccessLog, Person, Unit, UnitClosure, UnitPopulation
from storage.units import is_within, population_of, unit_by_code
from tests.e2e_support import bot_world
from tests.storage_helpers import small_tree
from usecases.units.wording import usage

VI = translator("vi")
EN = translator("en")
ADMIN, SUPERVISOR, OFFICER = 1, 10, 20
NOW = datetime(2025, 11, 10, 9, 0)
TRA_VINH = "tra-vinh-2021-2030"
HCMC = "hcmc-2022-2030"
ADMINS_ONLY = VI.gettext("Only administrators can use this command.")


def _world(tmp_path):
    return bot_world(tmp_path, clock=FrozenClock(NOW), ADMIN_IDS=str(ADMIN),
                     BOT_USERNAME="test_bot")


async def _seed(services) -> dict[str, int]:
    """The small tree (P -> D1 (C11, C12), D2 (C21)); supervisor of D1, an officer in C11."""
    async with services.db.session() as session:
        tree = await small_tree(session, year=2025)
        await people.set_role(session, SUPERVISOR, "supervisor", tree["D1"].id)
        await people.set_role(session, OFFICER, "officer", tree["C11"].id)
        await session.commit()
    return {code: unit.id for code, unit in tree.items()}


async def _text(server, user: int, text: str, **kwargs) -> str:
    reply = (await server.ask(user, text, **kwargs))[0]
    assert reply.text
    return reply.text


async def _unit(services, code: str) -> Unit:
    async with services.db.read_session() as session:
        unit = await unit_by_code(session, code)
    assert unit is not None, code
    return unit


async def _within(services, code: str, ancestor: str) -> bool:
    async with services.db.read_session() as session:
        unit, top = await unit_by_code(session, code), await unit_by_code(session, ancestor)
        assert unit is not None and top is not None
        return await is_within(session, unit.id, top.id)


async def _population(services, code: str, year: int) -> int | None:
    async with services.db.read_session() as session:
        unit = await unit_by_code(session, code)
        assert unit is not None
        return await population_of(session, unit.id, year)


async def _log(services) -> list[tuple[int | None, str, int | None, str | None]]:
    async with services.db.read_session() as session:
        rows = await session.scalars(select(AccessLog).order_by(AccessLog.id))
        return [(r.person_id, r.action, r.unit_id, r.detail) for r in rows]


async def _admin_id(services) -> int:
    async with services.db.read_session() as session:
        admin = await people.get_person(session, ADMIN)
    assert isinstance(admin, Person)
    return admin.id


async def _snapshot(services) -> tuple[list, list, list, int]:
    """Everything a /unit command could change."""
    async with services.db.read_session() as session:
        units = (await session.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.level, Unit.parent_id, Unit.plan_id,
                   Unit.active).order_by(Unit.id))).all()
        closure = (await session.execute(
            select(UnitClosure.ancestor_id, UnitClosure.descendant_id, UnitClosure.depth)
            .order_by(UnitClosure.ancestor_id, UnitClosure.descendant_id))).all()
        populations = (await session.execute(
            select(UnitPopulation.unit_id, UnitPopulation.year, UnitPopulation.child_population)
            .order_by(UnitPopulation.unit_id, UnitPopulation.year))).all()
        log = len((await session.scalars(select(AccessLog.id))).all())
    return list(units), list(closure), list(populations), log


async def test_admin_adds_units_with_the_tree_rules(tmp_path) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await _seed(services)

        added = await _text(server, ADMIN, "/suadonvi them C13 xa D1 Xã Mười Ba")
        assert added.splitlines()[0] == VI.gettext(
            "Added {unit} — {level}, under {parent}.", unit="Xã Mười Ba (C13)", level="xã",
            parent="District 1 (D1)")
        assert "Trà Vinh" in added.splitlines()[1]
        c13 = await _unit(services, "C13")
        assert (c13.level, c13.parent_id, c13.plan_id, c13.active) == (
            "commune", ids["D1"], TRA_VINH, True)
        assert await _within(services, "C13", "D1") and await _within(services, "C13", "P")
        assert not await _within(services, "C13", "D2")
        assert "Xã Mười Ba (C13)" in await _text(server, ADMIN, "/donvi D1")
        # The district's supervisor sees the new commune (closure rows), officers do not.
        assert "Xã Mười Ba (C13)" in await _text(server, SUPERVISOR, "/units C13")
        assert "Xã Mười Ba (C13)" in await _text(server, SUPERVISOR, "/units")

        with_pop = await _text(server, ADMIN, "/unit add C14 phuong D1 Phường 14 pop=1.500")
        assert VI.gettext("Child population {year}: {n}", year=2025, n="1.500") in with_pop
        assert await _population(services, "C14", 2025) == 1500
        assert (await _unit(services, "C14")).level == "commune"

        # A top-level unit needs a plan known to the knowledge base.
        known = ", ".join(sorted(services.plans))
        assert HCMC in known
        assert await _text(server, ADMIN, "/unit add HCM thanh_pho - TP Hồ Chí Minh") == (
            VI.gettext("A top-level unit needs its plan: add plan=PLAN_ID. Known plans: "
                       "{plans}.", plans=known))
        assert await _text(server, ADMIN, "/unit add HCM city - TP HCM plan=nope") == (
            VI.gettext("I know no plan “{plan}”. Known plans: {plans}.", plan="nope",
                       plans=known))
        top = await _text(server, ADMIN, f"/unit add HCM city - TP Hồ Chí Minh plan={HCMC}")
        assert top.splitlines()[0] == VI.gettext(
            "Added {unit} — {level}, a top-level unit.", unit="TP Hồ Chí Minh (HCM)",
            level="thành phố")
        hcm = await _unit(services, "HCM")
        assert (hcm.parent_id, hcm.plan_id, hcm.level) == (None, HCMC, "city")
        await _text(server, ADMIN, "/unit add Q1 quan HCM Quận 1")
        assert (await _unit(services, "Q1")).plan_id == HCMC  # inherited below a parent
        await _text(server, ADMIN, f"/unit add C15 xa D1 Xã 15 plan={HCMC}")
        assert (await _unit(services, "C15")).plan_id == HCMC  # plan= wins below a parent

        before = await _snapshot(services)
        assert await _text(server, ADMIN, "/unit add c11 xa D1 Lặp lại") == VI.gettext(
            "The code {code} is already used by {unit}.", code="c11", unit="Commune 11 (C11)")
        assert await _text(server, ADMIN, "/unit add C111 xa C11 Thôn 1") == VI.gettext(
            "{unit} is a commune: no unit can be below a commune.", unit="Commune 11 (C11)")
        assert await _text(server, ADMIN, "/unit add H9 huyen - Huyện 9") == VI.gettext(
            "A {level} needs a unit above it: give that unit's code instead of “-”.",
            level="huyện")
        assert await _text(server, ADMIN, f"/unit add T2 tinh P Tỉnh 2 plan={TRA_VINH}") == (
            VI.gettext("A province is a top-level unit: its parent code is “-”."))
        assert await _text(server, ADMIN, "/unit add C16 xa NOPE Xã 16") == VI.gettext(
            "I know no unit “{code}” that you can see.", code="NOPE")
        assert (await _text(server, ADMIN, "/unit add C16 hamlet D1 Xã 16")).startswith(
            VI.gettext("I do not know the level “{level}”.", level="hamlet"))
        assert await _text(server, ADMIN, "/unit add C16 xa D1 Xã 16 pop=-5") == VI.gettext(
            "The child population must be a whole number from 0 to {max}.", max="100.000.000")
        assert await _text(server, ADMIN, "/unit add C16 xa D1 Xã 16 pop=100000001") == (
            VI.gettext("The child population must be a whole number from 0 to {max}.",
                       max="100.000.000"))
        assert await _text(server, ADMIN, f"/unit add {'X' * 65} xa D1 Xã") == VI.gettext(
            "A unit code has 1 to {max} characters, without spaces.", max=64)
        assert await _text(server, ADMIN, f"/unit add C16 xa D1 {'a' * 201}") == VI.gettext(
            "A unit name has 1 to {max} characters.", max=200)
        assert (await _text(server, ADMIN, "/unit add C16 xa D1")).startswith(
            VI.gettext("Usage: {syntax}", syntax=VI.gettext(
                "/unit add CODE LEVEL PARENT_CODE Name [plan=PLAN_ID] [pop=N]")))
        # Supervisors and officers are refused before anything is looked up.
        assert await _text(server, SUPERVISOR, "/unit add C16 xa D1 Xã 16") == ADMINS_ONLY
        assert await _text(server, OFFICER, "/suadonvi them C16 xa D1 Xã 16") == ADMINS_ONLY
        assert await _text(server, SUPERVISOR, "/unit") == ADMINS_ONLY
        assert await _snapshot(services) == before

        # An inactive parent takes no new units.
        await _text(server, ADMIN, "/unit off C15")
        await _text(server, ADMIN, "/unit off C14")
        await _text(server, ADMIN, "/unit off C13")
        await _text(server, ADMIN, "/unit off Q1")
        assert await _text(server, ADMIN, "/unit add Q1A xa Q1 Phường A") == VI.gettext(
            "{unit} is inactive: activate it first with /unit on {code}.", unit="Quận 1 (Q1)",
            code="Q1")
        async with services.db.read_session() as session:
            assert await unit_by_code(session, "Q1A") is None

        admin = await _admin_id(services)
        added_log = [(a[2], a[3]) for a in await _log(services) if a[1] == "unit_added"]
        assert [unit_id for unit_id, _ in added_log] == [
            (await _unit(services, code)).id for code in ("C13", "C14", "HCM", "Q1", "C15")]
        assert all(a[0] == admin for a in await _log(services) if a[1] == "unit_added")
        assert added_log[1][1] == f"C14 commune under D1, plan {TRA_VINH}, population 2025: 1500"
        assert added_log[2][1] == f"HCM city under -, plan {HCMC}"


async def test_admin_renames_moves_deactivates_and_sets_population(tmp_path) -> None:
    async with _world(tmp_path) as (server, _app, services):
        ids = await _seed(services)

        assert await _text(server, ADMIN, "/unit rename C11 Xã Hòa Thuận") == VI.gettext(
            "Renamed {code}: “{old}” → “{new}”.", code="C11", old="Commune 11",
            new="Xã Hòa Thuận")
        assert (await _unit(services, "C11")).name == "Xã Hòa Thuận"
        admin = await _admin_id(services)  # the admin's row exists once they wrote
        assert await _text(server, ADMIN, "/unit doiten C11 Xã Hòa Thuận") == VI.gettext(
            "{unit} already has this name.", unit="Xã Hòa Thuận (C11)")

        # Move a commune to the other district: the district's supervisor loses sight of it.
        moved = await _text(server, ADMIN, "/suadonvi chuyen C12 D2")
        assert moved == VI.gettext("Moved {unit} from {old} to {new}.", unit="Commune 12 (C12)",
                                   old="District 1 (D1)", new="District 2 (D2)")
        c12 = await _unit(services, "C12")
        assert (c12.parent_id, c12.plan_id) == (ids["D2"], TRA_VINH)
        assert await _within(services, "C12", "D2") and await _within(services, "C12", "P")
        assert not await _within(services, "C12", "D1")
        assert await _text(server, SUPERVISOR, "/units C12") == VI.gettext(
            "I know no unit “{code}” that you can see.", code="C12")
        assert await _text(server, ADMIN, "/unit move C12 D2") == VI.gettext(
            "{unit} is already under {parent}.", unit="Commune 12 (C12)",
            parent="District 2 (D2)")

        # Moved below a unit of another plan, an inherited plan follows the new parent.
        await _text(server, ADMIN, f"/unit add HCM city - TP HCM plan={HCMC}")
        await _text(server, ADMIN, "/unit add Q1 district HCM Quận 1")
        to_hcm = await _text(server, ADMIN, "/unit move D2 Q1")
        assert to_hcm.splitlines()[0] == VI.gettext(
            "Moved {unit} from {old} to {new}.", unit="District 2 (D2)", old="Province (P)",
            new="Quận 1 (Q1)")
        assert len(to_hcm.splitlines()) == 2
        for code in ("D2", "C12", "C21"):
            assert (await _unit(services, code)).plan_id == HCMC, code
            assert await _within(services, code, "HCM") and not await _within(services, code, "P")
        assert (await _unit(services, "C11")).plan_id == TRA_VINH

        before = await _snapshot(services)
        assert await _text(server, ADMIN, "/unit move D1 D1") == VI.gettext(
            "{parent} is {unit} itself or below it: a unit cannot move below itself.",
            unit="District 1 (D1)", parent="District 1 (D1)")
        assert await _text(server, ADMIN, "/unit move HCM D2") == VI.gettext(
            "{parent} is {unit} itself or below it: a unit cannot move below itself.",
            unit="TP HCM (HCM)", parent="District 2 (D2)")
        assert await _text(server, ADMIN, "/unit move C11 C21") == VI.gettext(
            "{unit} is a commune: no unit can be below a commune.", unit="Commune 21 (C21)")
        assert await _text(server, ADMIN, "/unit move C11 -") == VI.gettext(
            "A {level} needs a unit above it: give that unit's code instead of “-”.",
            level="xã")
        assert await _text(server, ADMIN, "/unit move P HCM") == VI.gettext(
            "A province is a top-level unit: its parent code is “-”.")
        assert await _text(server, ADMIN, "/unit move NOPE D1") == VI.gettext(
            "I know no unit “{code}” that you can see.", code="NOPE")
        # Deactivating a unit with active units below it is refused, naming them.
        assert await _text(server, ADMIN, "/unit off D1") == VI.gettext(
            "{unit} still has {n} active units below it ({codes}). Deactivate those first "
            "(communes before districts), or move them elsewhere with /unit move. Nothing was "
            "changed.", unit="District 1 (D1)", n="1", codes="C11")
        assert await _text(server, ADMIN, "/unit off P") == VI.gettext(
            "{unit} still has {n} active units below it ({codes}). Deactivate those first "
            "(communes before districts), or move them elsewhere with /unit move. Nothing was "
            "changed.", unit="Province (P)", n="2", codes="C11, D1")
        assert await _text(server, ADMIN, "/unit pop C11 5 1999") == VI.gettext(
            "The year must be from {first} to {last}.", first=2000, last=2100)
        assert await _text(server, ADMIN, "/unit pop C11 many") == VI.gettext(
            "The child population must be a whole number from 0 to {max}.", max="100.000.000")
        assert await _text(server, SUPERVISOR, "/unit rename C11 X") == ADMINS_ONLY
        assert await _text(server, SUPERVISOR, "/unit move C11 D2") == ADMINS_ONLY
        assert await _text(server, OFFICER, "/unit off C11") == ADMINS_ONLY
        assert await _text(server, OFFICER, "/unit pop C11 5") == ADMINS_ONLY
        assert await _snapshot(services) == before

        # Lowest level first: then the district goes off, and comes back.
        off = await _text(server, ADMIN, "/unit tat C11")
        assert off.splitlines()[0] == VI.gettext(
            "Deactivated {unit}: it no longer sends reports, gets reminders or counts as "
            "expected in statistics. Reports already saved are kept.", unit="Xã Hòa Thuận (C11)")
        assert VI.gettext("{n} people still belong to it: move them with /move ID CODE (see "
                          "/people {code}).", n="1", code="C11") in off
        assert not (await _unit(services, "C11")).active
        assert await _text(server, ADMIN, "/unit off C11") == VI.gettext(
            "{unit} is already inactive.", unit="Xã Hòa Thuận (C11)")
        assert (await _text(server, ADMIN, "/unit deactivate D1")).startswith(VI.gettext(
            "Deactivated {unit}: it no longer sends reports, gets reminders or counts as "
            "expected in statistics. Reports already saved are kept.", unit="District 1 (D1)"))
        assert not (await _unit(services, "D1")).active
        assert await _text(server, ADMIN, "/unit on C11") == VI.gettext(
            "{unit} is inactive: activate it first with /unit on {code}.",
            unit="District 1 (D1)", code="D1")
        assert not (await _unit(services, "C11")).active
        assert await _text(server, ADMIN, "/unit bat D1") == VI.gettext(
            "Activated {unit}: it can send reports again and counts in statistics.",
            unit="District 1 (D1)")
        await _text(server, ADMIN, "/unit activate C11")
        assert (await _unit(services, "C11")).active and (await _unit(services, "D1")).active
        assert await _text(server, ADMIN, "/unit on C11") == VI.gettext(
            "{unit} is already active.", unit="Xã Hòa Thuận (C11)")

        # Child population: a given year, then this year (the bot's clock: 2025).
        assert await _text(server, ADMIN, "/unit pop C11 1200 2026") == VI.gettext(
            "Child population of {unit} for {year}: {n}.", unit="Xã Hòa Thuận (C11)",
            year=2026, n="1.200")
        assert await _text(server, ADMIN, "/unit danso C11 1.100") == VI.gettext(
            "Child population of {unit} for {year}: {n} (was {old}).",
            unit="Xã Hòa Thuận (C11)", year=2025, n="1.100", old="1.000")
        assert await _population(services, "C11", 2026) == 1200
        assert await _population(services, "C11", 2025) == 1100
        assert await _population(services, "C12", 2025) == 2000

        log = [(a[1], a[2], a[3]) for a in await _log(services) if a[1].startswith("unit_")]
        assert all(a[0] == admin for a in await _log(services) if a[1].startswith("unit_"))
        assert log == [
            ("unit_renamed", ids["C11"], "C11: name changed"),
            ("unit_moved", ids["C12"], "C12: D1 -> D2"),
            ("unit_added", (await _unit(services, "HCM")).id, f"HCM city under -, plan {HCMC}"),
            ("unit_added", (await _unit(services, "Q1")).id, f"Q1 district under HCM, plan {HCMC}"),
            ("unit_moved", ids["D2"], f"D2: P -> Q1, plan {TRA_VINH} -> {HCMC} (3 units)"),
            ("unit_deactivated", ids["C11"], "C11: active -> inactive"),
            ("unit_deactivated", ids["D1"], "D1: active -> inactive"),
            ("unit_activated", ids["D1"], "D1: inactive -> active"),
            ("unit_activated", ids["C11"], "C11: inactive -> active"),
            ("unit_population_set", ids["C11"], "C11 2026: - -> 1200"),
            ("unit_population_set", ids["C11"], "C11 2025: 1000 -> 1100"),
        ]


async def test_usage_and_english(tmp_path) -> None:
    async with _world(tmp_path) as (server, _app, services):
        await _seed(services)
        before = await _snapshot(services)
        text = await _text(server, ADMIN, "/unit")
        assert text == usage(VI).text
        assert "/suadonvi them" in text and "/suadonvi danso" in text
        assert await _text(server, ADMIN, "/suadonvi xoa C11") == text
        assert await _text(server, ADMIN, "/unit help") == text
        english = await _text(server, ADMIN, "/unit", language_code="en")
        assert english == usage(EN).text and "/unit add" in english
        assert await _text(server, ADMIN, "/unit rename C11 Ward 11", language_code="en") == (
            "Renamed C11: “Commune 11” → “Ward 11”.")
        after = await _snapshot(services)
        assert after[1:3] == before[1:3]
        assert [u.name for u in after[0] if u.code == "C11"] == ["Ward 11"]
