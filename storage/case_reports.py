"""Monthly case reports: submit, replace, reopen, with a full audit trail.

Every change writes a :class:`ReportVersion` row. Submissions carry an optional client token
(e.g. from the confirm button): the same token never creates a second report or version, so a
double-tapped confirm or a re-delivered update is harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import String, bindparam, exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month
from kernel.counts import FIELDS, CaseCounts
from storage.db import ConnectionSource
from storage.due import LockPolicy
from storage.models import Report, ReportVersion, period_of
from storage.report_queries import report_by_id, report_snapshot, version_by_token
from storage.report_rows import ReportSnapshot, VersionSnapshot
from storage.types import as_utc, utcnow
from storage.upsert import insert_for

#: Roles that may change a locked month and re-open it for officers.
SUPERVISING_ROLES = frozenset({"supervisor", "admin"})


class SubmitStatus(StrEnum):
    CREATED = "created"
    REPLACED = "replaced"
    REOPENED = "reopened"
    #: This client token was already used: nothing changed.
    DUPLICATE = "duplicate"
    #: The month is already reported: ask the user, then call :func:`replace_report`.
    EXISTS = "exists"
    #: Past the lock date: only a supervisor may change it (or re-open it).
    LOCKED = "locked"
    #: The report changed since the user saw it (``expected_version`` mismatch).
    CONFLICT = "conflict"
    #: The new values equal the current ones: no version written.
    UNCHANGED = "unchanged"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class SubmitResult:
    """What happened, with the report (and the version written) as they are now."""

    status: SubmitStatus
    report: ReportSnapshot | None = None
    version: VersionSnapshot | None = None

    @classmethod
    def of(
        cls, status: SubmitStatus, report: Report | None = None,
        version: ReportVersion | None = None,
    ) -> SubmitResult:
        """From ORM rows (flushed: every column set)."""
        return cls(
            status,
            ReportSnapshot.of(report) if report is not None else None,
            VersionSnapshot.of(version) if version is not None else None,
        )

    @property
    def saved(self) -> bool:
        return self.status in (SubmitStatus.CREATED, SubmitStatus.REPLACED)


def counts_of(report: Report | ReportSnapshot) -> CaseCounts:
    return CaseCounts(**{name: getattr(report, name) for name in FIELDS})


def month_of(report: Report | ReportSnapshot) -> Month:
    return Month(report.year, report.month)


def _values(counts: CaseCounts) -> dict[str, Any]:
    values = counts.as_dict()  # every field, in FIELDS order
    for name, value in values.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return values


async def get_report(session: AsyncSession, unit_id: int, month: Month) -> Report | None:
    return await session.scalar(
        select(Report).where(
            Report.unit_id == unit_id, Report.year == month.year, Report.month == month.month
        )
    )


async def reports_of_unit(
    session: AsyncSession, unit_id: int, start: Month, end: Month
) -> Sequence[Report]:
    """One unit's reports in ``start..end`` (inclusive), oldest first."""
    stmt = (
        select(Report)
        .where(Report.unit_id == unit_id, Report.period.between(period_of(start), period_of(end)))
        .order_by(Report.period)
    )
    return (await session.scalars(stmt)).all()


async def history(session: AsyncSession, report_id: int) -> Sequence[ReportVersion]:
    """All changes of a report, oldest first."""
    stmt = (
        select(ReportVersion)
        .where(ReportVersion.report_id == report_id)
        .order_by(ReportVersion.changed_at, ReportVersion.id)
    )
    return (await session.scalars(stmt)).all()


def can_change(
    report: Report | ReportSnapshot | None, role: str | None, policy: LockPolicy, now: datetime
) -> bool:
    """Whether `role` may change this month's report at `now`."""
    if report is None or role in SUPERVISING_ROLES:
        return True
    return report.reopened_at is not None or not policy.is_locked(month_of(report), now)


async def submit_report(
    session: ConnectionSource,
    unit_id: int,
    month: Month,
    counts: CaseCounts,
    *,
    person_id: int | None,
    token: str | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Save the first report of a month; EXISTS if the month is already reported."""
    now = as_utc(now or utcnow())
    values = _values(counts)
    row = {
        "unit_id": unit_id, "year": month.year, "month": month.month,
        "period": period_of(month), **values, "submitted_by": person_id,
        "submitted_at": now, "updated_by": person_id, "updated_at": now, "version": 1,
    }
    # One statement: insert unless the month is reported or this token was used already.
    connection = await session.connection()
    stmt = _insert_report_stmt(connection.dialect.name)
    report_id = (await connection.execute(stmt, {**row, "token": token})).scalar()
    if report_id is None:
        if token and (seen := await _duplicate(session, token)):
            return seen
        saved = await report_snapshot(session, unit_id, month)
        assert saved is not None
        return SubmitResult(SubmitStatus.EXISTS, saved)
    audit = {
        "report_id": report_id, "version": 1, "action": "created", "old_values": None,
        "new_values": values, "changed_by": person_id, "changed_at": now, "reason_code": None,
        "reason_note": None,
        "client_token": token,
    }
    version_id = (await connection.execute(_INSERT_VERSION, audit)).scalar_one()
    # The rows just written, without reading them back.
    report = ReportSnapshot(id=report_id, **row, reopened_at=None, reopened_by=None)
    return SubmitResult(SubmitStatus.CREATED, report, VersionSnapshot(id=version_id, **audit))


async def replace_report(
    session: AsyncSession,
    unit_id: int,
    month: Month,
    counts: CaseCounts,
    *,
    person_id: int | None,
    role: str | None,
    reason: str | None,
    policy: LockPolicy,
    note: str | None = None,
    token: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Replace a month's values (new version + audit row), subject to the lock policy.

    ``reason``: a code of :mod:`reports.reasons`; ``note``: with "other", a screened note."""
    now = as_utc(now or utcnow())
    values = _values(counts)
    if token and (seen := await _duplicate(session, token)):
        return seen
    report = await _locked_report(session, unit_id, month)
    if report is None:
        return SubmitResult(SubmitStatus.NOT_FOUND)
    if token and (seen := await version_by_token(session, token)):  # a racing twin won
        return SubmitResult(SubmitStatus.DUPLICATE, ReportSnapshot.of(report), seen)
    if expected_version is not None and report.version != expected_version:
        return SubmitResult.of(SubmitStatus.CONFLICT, report)
    if not can_change(report, role, policy, now):
        return SubmitResult.of(SubmitStatus.LOCKED, report)
    old = {name: getattr(report, name) for name in FIELDS}
    if old == values:
        return SubmitResult.of(SubmitStatus.UNCHANGED, report)
    for name, value in values.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_by, report.updated_at = person_id, now
    report.reopened_at = report.reopened_by = None
    version = ReportVersion(
        report_id=report.id, version=report.version, action="replaced", old_values=old,
        new_values=values, changed_by=person_id, changed_at=now, reason_code=reason,
        reason_note=note, client_token=token,
    )
    session.add(version)
    await session.flush()
    return SubmitResult.of(SubmitStatus.REPLACED, report, version)


async def reopen_report(
    session: AsyncSession,
    unit_id: int,
    month: Month,
    *,
    person_id: int | None,
    role: str | None,
    reason: str | None,
    note: str | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Let the officer change a locked month once more (supervisors and admins only);
    ``reason`` and ``note`` as for :func:`replace_report`."""
    now = as_utc(now or utcnow())
    if role not in SUPERVISING_ROLES:
        return SubmitResult(SubmitStatus.FORBIDDEN)
    report = await _locked_report(session, unit_id, month)
    if report is None:
        return SubmitResult(SubmitStatus.NOT_FOUND)
    report.reopened_at, report.reopened_by = now, person_id
    current = {name: getattr(report, name) for name in FIELDS}
    version = ReportVersion(
        report_id=report.id, version=report.version, action="reopened", old_values=current,
        new_values=current, changed_by=person_id, changed_at=now, reason_code=reason,
        reason_note=note,
    )
    session.add(version)
    await session.flush()
    return SubmitResult.of(SubmitStatus.REOPENED, report, version)


async def _locked_report(session: AsyncSession, unit_id: int, month: Month) -> Report | None:
    """The report, row-locked until commit on PostgreSQL (SQLite has one writer anyway)."""
    stmt = (
        select(Report)
        .where(Report.unit_id == unit_id, Report.year == month.year, Report.month == month.month)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return await session.scalar(stmt)


_INSERT_VERSION = insert(ReportVersion).returning(ReportVersion.id)
_INSERT_COLUMNS = (
    "unit_id", "year", "month", "period", *FIELDS,
    "submitted_by", "submitted_at", "updated_by", "updated_at", "version",
)


@lru_cache(maxsize=4)
def _insert_report_stmt(dialect: str) -> Any:
    """``INSERT ... SELECT :values WHERE <token unused> ON CONFLICT DO NOTHING RETURNING id``."""
    table, versions = Report.__table__, ReportVersion.__table__
    values = select(*(bindparam(name, type_=table.c[name].type) for name in _INSERT_COLUMNS))
    unused = ~exists().where(versions.c.client_token == bindparam("token", type_=String))
    return (
        insert_for(dialect)(table)
        .from_select(list(_INSERT_COLUMNS), values.where(unused))
        .on_conflict_do_nothing()
        .returning(table.c.id)
    )


async def _duplicate(session: ConnectionSource, token: str) -> SubmitResult | None:
    """DUPLICATE with the saved report and version when this token was used already."""
    version = await version_by_token(session, token)
    if version is None:
        return None
    report = await report_by_id(session, version.report_id)
    return SubmitResult(SubmitStatus.DUPLICATE, report, version)

