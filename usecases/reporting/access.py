"""Who may report, view or re-open which unit's reports (database, no Telegram)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kernel.calendar import Month
from storage import units
from storage.db import ConnectionSource
from storage.models import REPORTING_LEVEL, Person
from storage.report_queries import unit_and_report
from storage.report_rows import ReportSnapshot
from storage.units import UnitSnapshot

SUPERVISING = frozenset({"supervisor", "admin"})


class Denied(StrEnum):
    NOT_MEMBER = "not_member"  # no role or no unit: must join with an invite
    #: No such unit, or one outside the person's scope (the same answer: nothing is revealed).
    UNKNOWN_UNIT = "unknown_unit"
    UNIT_INACTIVE = "unit_inactive"
    NOT_REPORTING_UNIT = "not_reporting_unit"  # e.g. a district: name a commune's code
    NOT_SUPERVISOR = "not_supervisor"


@dataclass(frozen=True)
class Reporter:
    """A person acting for one unit, with the role that decides what they may change."""

    person_id: int
    telegram_id: int
    role: str  # "officer" | "supervisor" | "admin"
    unit_id: int
    unit_code: str
    unit_name: str
    plan_id: str | None


@dataclass(frozen=True)
class Access:
    reporter: Reporter | None = None
    denied: Denied | None = None
    unit: UnitSnapshot | None = None  # the unit concerned, when known
    #: A commune the person could name instead (for NOT_REPORTING_UNIT examples).
    example_code: str | None = None
    #: With ``resolve(month=...)``: that month and the unit's saved report for it (or None).
    saved: tuple[Month, ReportSnapshot | None] | None = None


def effective_role(person: Person, admin_ids: frozenset[int]) -> str | None:
    """The person's role; configured admins are admins even before any role is stored."""
    if person.telegram_id in admin_ids:
        return "admin"
    if not person.active:
        return None
    return person.role


async def resolve(
    session: ConnectionSource,
    person: Person,
    admin_ids: frozenset[int],
    unit_code: str | None = None,
    *,
    unit_id: int | None = None,
    reporting_only: bool = True,
    supervisors_only: bool = False,
    month: Month | None = None,
) -> Access:
    """The unit `person` acts for: their own, or `unit_code` (or `unit_id`, from a button)
    within their scope. A unit outside it is denied as UNKNOWN_UNIT, like one that does not
    exist, so neither a typed code nor a forged button learns what is there.

    With `month`, the unit's report for that month is read along (``Access.saved``).
    """
    role = effective_role(person, admin_ids)
    if role is None:
        return Access(denied=Denied.NOT_MEMBER)
    if supervisors_only and role not in SUPERVISING:
        return Access(denied=Denied.NOT_SUPERVISOR)
    if unit_code or unit_id is not None:
        unit, saved = await _unit(session, month, code=unit_code or None, unit_id=unit_id)
        if unit is None or not await _in_scope(session, person, role, unit):
            return Access(denied=Denied.UNKNOWN_UNIT)
    else:
        if person.unit_id is None:
            denied = Denied.NOT_REPORTING_UNIT if role == "admin" else Denied.NOT_MEMBER
            return Access(denied=denied)
        unit, saved = await _unit(session, month, unit_id=person.unit_id)
        if unit is None:
            return Access(denied=Denied.NOT_MEMBER)
    if not unit.active:
        return Access(denied=Denied.UNIT_INACTIVE, unit=unit)
    if reporting_only and unit.level != REPORTING_LEVEL:
        example = await units.first_code_in_subtree(session, unit.id, level=REPORTING_LEVEL)
        return Access(denied=Denied.NOT_REPORTING_UNIT, unit=unit, example_code=example)
    reporter = Reporter(
        person_id=person.id,
        telegram_id=person.telegram_id,
        role=role,
        unit_id=unit.id,
        unit_code=unit.code,
        unit_name=unit.name,
        plan_id=unit.plan_id or person.plan_id,
    )
    return Access(reporter=reporter, unit=unit, saved=saved)


async def _unit(
    session: ConnectionSource, month: Month | None, *, code: str | None = None,
    unit_id: int | None = None,
) -> tuple[UnitSnapshot | None, tuple[Month, ReportSnapshot | None] | None]:
    """The unit, and with `month` its report for that month (one read either way)."""
    if month is None:
        return await units.unit_snapshot(session, code=code, unit_id=unit_id), None
    found = await unit_and_report(session, month, code=code, unit_id=unit_id)
    if found is None:
        return None, None
    return found[0], (month, found[1])


async def _in_scope(
    session: ConnectionSource, person: Person, role: str, unit: UnitSnapshot
) -> bool:
    if role == "admin":
        return True
    if role == "supervisor":
        return person.unit_id is not None and await units.is_within(
            session, unit.id, person.unit_id
        )
    return unit.id == person.unit_id


async def looks_like_unit_code(session: ConnectionSource, token: str) -> bool:
    """True when `token` is the code of an existing unit (to read ``/report C11 ...``)."""
    if not token or len(token) > 64 or token.startswith("/"):
        return False
    return await units.unit_snapshot(session, code=token) is not None
