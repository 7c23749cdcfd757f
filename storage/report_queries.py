"""Small report look-ups the chat handlers need beyond storage.case_reports.

Statements are built once with bound parameters and run on the session's connection (Core):
the chat reads them on every report, and building ORM queries costs more than running them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, select

from kernel.calendar import Month
from storage.db import ConnectionSource
from storage.models import Report, ReportVersion, Unit
from storage.report_rows import ReportSnapshot, VersionSnapshot
from storage.units import UnitSnapshot

_REPORTS = Report.__table__.c
_REPORT_OF_MONTH = select(*_REPORTS).where(
    _REPORTS.unit_id == bindparam("unit_id"),
    _REPORTS.year == bindparam("year"),
    _REPORTS.month == bindparam("month"),
)


_VERSION_BY_TOKEN = select(*ReportVersion.__table__.c).where(
    ReportVersion.__table__.c.client_token == bindparam("token")
)
_REPORT_BY_ID = select(*_REPORTS).where(_REPORTS.id == bindparam("id"))


async def version_by_token(session: ConnectionSource, token: str) -> VersionSnapshot | None:
    """The saved version carrying this client (idempotency) token, if any."""
    connection = await session.connection()
    row = (await connection.execute(_VERSION_BY_TOKEN, {"token": token})).first()
    return None if row is None else VersionSnapshot(**row._mapping)


async def report_by_id(session: ConnectionSource, report_id: int) -> ReportSnapshot | None:
    connection = await session.connection()
    row = (await connection.execute(_REPORT_BY_ID, {"id": report_id})).first()
    return None if row is None else ReportSnapshot(**row._mapping)


async def report_snapshot(
    session: ConnectionSource, unit_id: int, month: Month
) -> ReportSnapshot | None:
    """A read-only copy of the unit's report for `month`, if saved."""
    params = {"unit_id": unit_id, "year": month.year, "month": month.month}
    connection = await session.connection()
    row = (await connection.execute(_REPORT_OF_MONTH, params)).first()
    return None if row is None else ReportSnapshot(**row._mapping)


_UNITS = Unit.__table__.c


def _unit_and_report(where: Any) -> Any:
    """A unit's columns (``u_*``) with its report for ``:year``/``:month`` (``r_*``) if any."""
    on = and_(
        _REPORTS.unit_id == _UNITS.id,
        _REPORTS.year == bindparam("year"),
        _REPORTS.month == bindparam("month"),
    )
    columns = [c.label(f"u_{c.name}") for c in _UNITS] + [c.label(f"r_{c.name}") for c in _REPORTS]
    return select(*columns).select_from(Unit.__table__.outerjoin(Report.__table__, on)).where(where)


_UNIT_AND_REPORT_BY_CODE = _unit_and_report(_UNITS.code == bindparam("code"))
_UNIT_AND_REPORT_BY_ID = _unit_and_report(_UNITS.id == bindparam("id"))


async def unit_and_report(
    session: ConnectionSource, month: Month, *, code: str | None = None, unit_id: int | None = None
) -> tuple[UnitSnapshot, ReportSnapshot | None] | None:
    """Read-only copies of a unit (by code or id) and its report for `month`, in one read."""
    if code is not None:
        stmt, params = _UNIT_AND_REPORT_BY_CODE, {"code": code.strip()}
    else:
        stmt, params = _UNIT_AND_REPORT_BY_ID, {"id": unit_id}
    connection = await session.connection()
    result = await connection.execute(stmt, {**params, "year": month.year, "month": month.month})
    row = result.first()
    if row is None:
        return None
    values = row._mapping
    unit = UnitSnapshot(**{c.name: values[f"u_{c.name}"] for c in _UNITS})
    if values["r_id"] is None:
        return unit, None
    return unit, ReportSnapshot(**{c.name: values[f"r_{c.name}"] for c in _REPORTS})
