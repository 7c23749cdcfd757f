"""What to send at a given moment, derived from the database and the clock alone.

Nothing is scheduled in memory: every tick recomputes who is due from the reports received,
the reminders already recorded (storage.nudges) and the time, so a restart loses nothing and
a repeated tick sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month
from kernel.clock import to_local
from kernel.i18n import translator
from kernel.reply import Reply
from knowledge.schema import Plan
from storage import nudge_queries as queries
from storage.models import Person, Unit
from usecases.deadlines.milestones import reminders_due
from usecases.deadlines.policy import DIGEST, NudgePolicy
from usecases.deadlines.texts import digest_reply, milestone_reply, nudge_reply


@dataclass(frozen=True)
class Outgoing:
    """One reminder to one person, recorded under (person, month, kind) before it is sent."""

    person_id: int
    chat_id: int
    month: Month
    kind: str
    reply: Reply
    #: For officers' nudges: the unit whose report makes this reminder pointless.
    unit_id: int | None = None


def plan_of(person: Person, unit: Unit | None) -> str | None:
    """The plan a person reports under: their unit's, else their own choice."""
    return (unit.plan_id if unit is not None else None) or person.plan_id


def _tr(person: Person, default_language: str):
    return translator(person.language or default_language)


async def officer_nudges(
    session: AsyncSession, now: datetime, policy: NudgePolicy, default_language: str
) -> list[Outgoing]:
    """Nudges due now for officers whose unit has not reported (at most one per month)."""
    officers = await queries.reachable_officers(session)
    plan_ids = {plan_of(p, u) for p, u in officers}
    out: list[Outgoing] = []
    for month in policy.open_months(now):
        kinds = {plan: policy.nudge_kind(now, month, plan) for plan in plan_ids}
        if not any(kinds.values()):
            continue
        reported = await queries.reported_units(session, month)
        sent = await queries.sent_to(session, month, {k for k in kinds.values() if k})
        for person, unit in officers:
            plan = plan_of(person, unit)
            kind = kinds[plan]
            if kind is None or unit.id in reported or (person.id, kind) in sent:
                continue
            reply = nudge_reply(
                _tr(person, default_language), kind, month, policy.due_date(month, plan)
            )
            out.append(Outgoing(person.id, person.telegram_id, month, kind, reply, unit.id))
    return out


async def supervisor_digests(
    session: AsyncSession, now: datetime, policy: NudgePolicy, default_language: str
) -> list[Outgoing]:
    """After the due day, one summary per supervisor and month: x of y units, who is missing."""
    supervisors = await queries.reachable_supervisors(session)
    out: list[Outgoing] = []
    for month in policy.open_months(now)[1:]:
        due_now = [(p, u) for p, u in supervisors if policy.digest_due(now, month, plan_of(p, u))]
        if not due_now:
            continue
        sent = await queries.sent_to(session, month, {DIGEST})
        statuses: dict[int, list[queries.UnitStatus]] = {}
        for person, unit in due_now:
            if (person.id, DIGEST) in sent:
                continue
            if unit.id not in statuses:
                statuses[unit.id] = await queries.unit_statuses(session, unit.id, month)
            units = statuses[unit.id]
            if not units:
                continue
            missing = [u.name for u in units if not u.reported]
            due = policy.due_date(month, plan_of(person, unit))
            reply = digest_reply(_tr(person, default_language), month, due, len(units), missing)
            out.append(Outgoing(person.id, person.telegram_id, month, DIGEST, reply))
    return out


async def milestone_reminders(
    session: AsyncSession,
    now: datetime,
    plans: Mapping[str, Plan],
    default_language: str,
) -> list[Outgoing]:
    """Plan milestones coming up within a week, once per supervisor and milestone."""
    today = to_local(now).date()
    out: list[Outgoing] = []
    for person, unit in await queries.reachable_supervisors(session):
        plan = plans.get(plan_of(person, unit) or "")
        if plan is None:
            continue
        tr = _tr(person, default_language)
        name = plan.name if tr.locale == "vi" else plan.name_en
        for milestone in reminders_due(plan, today):
            month = Month(milestone.end.year, milestone.end.month)
            if (person.id, milestone.kind) in await queries.sent_to(
                session, month, {milestone.kind}
            ):
                continue
            reply = milestone_reply(tr, name, milestone)
            out.append(Outgoing(person.id, person.telegram_id, month, milestone.kind, reply))
    return out


async def due_now(
    session: AsyncSession,
    now: datetime,
    policy: NudgePolicy,
    plans: Mapping[str, Plan],
    default_language: str,
) -> list[Outgoing]:
    """Everything the scheduler should send at ``now`` (nothing outside working hours)."""
    if not policy.is_working_time(now):
        return []
    return [
        *await officer_nudges(session, now, policy, default_language),
        *await supervisor_digests(session, now, policy, default_language),
        *await milestone_reminders(session, now, plans, default_language),
    ]


def again_kind(now: datetime) -> str:
    """A supervisor's "remind them again" reaches each officer at most once a day."""
    return f"again_{to_local(now):%Y%m%d}"


@dataclass(frozen=True)
class AgainPlan:
    missing_units: int
    outgoing: Sequence[Outgoing]


async def remind_again(
    session: AsyncSession,
    scope_unit_id: int | None,
    month: Month,
    now: datetime,
    policy: NudgePolicy,
    default_language: str,
) -> AgainPlan:
    """Officers of the units under ``scope_unit_id`` (all when None) still missing ``month``."""
    officers = await queries.reachable_officers(session, scope_unit_id)
    statuses = await queries.unit_statuses(session, scope_unit_id, month)
    missing = {u.id for u in statuses if not u.reported}
    kind = again_kind(now)
    sent = await queries.sent_to(session, month, {kind})
    today = to_local(now).date()
    out = []
    for person, unit in officers:
        if unit.id not in missing or (person.id, kind) in sent:
            continue
        due = policy.due_date(month, plan_of(person, unit))
        wording = "overdue_1" if today > due else "due"
        reply = nudge_reply(_tr(person, default_language), wording, month, due)
        out.append(Outgoing(person.id, person.telegram_id, month, kind, reply, unit.id))
    return AgainPlan(len(missing), out)
