"""Shared set-up for the report end-to-end tests: units, people and database checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from kernel.clock import VN_TZ
from storage import people, units
from storage.models import AccessLog, Report, ReportVersion
from usecases.services import Services
from usecases.units import csv_import

#: 3 November 2025, 09:00 in Vietnam: October is the last complete month, due on 5 November.
NOW = datetime(2025, 11, 3, 9, 0, tzinfo=VN_TZ)

UNITS_CSV = """code,name,level,parent_code,plan_id,child_population
TV,Tỉnh Trà Vinh,province,,tra-vinh-2021-2030,
D1,Huyện Càng Long,district,TV,,
C11,Xã An Trường,commune,D1,,1000
C12,Xã Bình Phú,commune,D1,,2000
D2,Huyện Cầu Kè,district,TV,,
C21,Xã Hòa Ân,commune,D2,,3000
"""

ADMIN = 1
OFFICER = 101  # C11
OFFICER_2 = 102  # C12
OFFICER_EN = 103  # C21, English
SUPERVISOR = 201  # D1 (C11, C12)
SUPERVISOR_2 = 202  # D2 (C21)
OUTSIDER = 301  # no role, no unit


async def populate(services: Services) -> dict[str, int]:
    """The unit tree and people above; returns unit ids by code."""
    async with services.db.session() as session:
        await csv_import.import_units_csv(session, UNITS_CSV, population_year=2025)
        ids = {}
        for code in ("TV", "D1", "C11", "C12", "D2", "C21"):
            unit = await units.unit_by_code(session, code)
            assert unit is not None
            ids[code] = unit.id
        await people.set_role(session, OFFICER, "officer", ids["C11"])
        await people.set_role(session, OFFICER_2, "officer", ids["C12"])
        await people.set_role(session, OFFICER_EN, "officer", ids["C21"])
        await people.set_role(session, SUPERVISOR, "supervisor", ids["D1"])
        await people.set_role(session, SUPERVISOR_2, "supervisor", ids["D2"])
        await session.commit()
    return ids


async def count_rows(services: Services, model: Any) -> int:
    async with services.db.read_session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def stored_reports(services: Services) -> list[Report]:
    async with services.db.read_session() as session:
        return list((await session.scalars(select(Report).order_by(Report.id))).all())


async def stored_versions(services: Services) -> list[ReportVersion]:
    async with services.db.read_session() as session:
        stmt = select(ReportVersion).order_by(ReportVersion.id)
        return list((await session.scalars(stmt)).all())


async def access_entries(services: Services, action: str) -> list[AccessLog]:
    async with services.db.read_session() as session:
        stmt = select(AccessLog).where(AccessLog.action == action).order_by(AccessLog.id)
        return list((await session.scalars(stmt)).all())


def labels(call: Any) -> list[str]:
    return [b["text"] for b in call.buttons]


def data_of(call: Any, prefix: str) -> str:
    """The callback data of the first button whose data starts with `prefix`."""
    for button in call.buttons:
        if button.get("callback_data", "").startswith(prefix):
            return button["callback_data"]
    raise LookupError(f"no button {prefix!r} in {labels(call)}")
