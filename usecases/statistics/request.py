"""What ``/stats [unit] [period]`` asks for: a unit the caller can see and the months of the
period that are over, or the reason it cannot be answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.calendar import Month, Period
from kernel.i18n import Translator
from kernel.reply import Reply
from reports.months import last_complete_month
from reports.periods import (
    PeriodError,
    PeriodOutOfRange,
    completed_part,
    looks_like_period,
    parse_period,
    runs_backwards,
)
from storage import scope as scopes
from storage.models import Unit
from usecases.statistics import refusals


@dataclass(frozen=True)
class Request:
    """A unit, the period asked for and its months that are over (``covered``; None when
    none is: the caller refuses it with :meth:`not_started`, after checking the plan period,
    so a year past the plan is named as such)."""

    unit: Unit
    asked: Period
    covered: Period | None
    last_complete: Month

    def not_started(self, tr: Translator) -> Reply:
        return refusals.not_started(tr, self.asked, self.last_complete)


@dataclass(frozen=True)
class Refused:
    """/stats answered without statistics; ``why``: the access-log code of a refused request."""

    reply: Reply
    why: str | None = None


async def resolve(
    session: AsyncSession, scope: scopes.Scope, args: str, today: date, tr: Translator
) -> Request | Refused:
    """``[unit code] [period]``: a visible unit code first, else the whole text is a period.

    A text that reads as a period ("13/2025", "Q5 2025") but is none gets the accepted
    forms, never "unknown unit"; a single word shaped like a code ("NOPE", "C21") that is not
    a visible unit gets the unknown-unit reply.
    """
    text = args.strip()
    tokens = text.split()
    unit = await scopes.visible_unit(session, scope, tokens[0]) if tokens else None
    period_text = " ".join(tokens[1:]) if unit is not None else text
    try:
        asked = parse_period(period_text, today=today)
    except PeriodOutOfRange as exc:
        return Refused(refusals.outside_years(tr, exc.first, exc.last))
    except PeriodError:
        return _not_understood(tr, tokens, unit is not None, today)
    if unit is None:
        unit = await scopes.home_unit(session, scope)
    if unit is None:
        return Refused(refusals.which_unit(tr))
    return Request(unit, asked, completed_part(asked, today), last_complete_month(today))


def _not_understood(tr: Translator, tokens: list[str], has_unit: bool, today: date) -> Refused:
    period_words = tokens[1:] if has_unit else tokens
    period_text = " ".join(period_words)
    if looks_like_period(period_text) and not (len(tokens) == 1 and _code_shaped(tokens[0])):
        backwards = runs_backwards(period_text, today=today)
        return Refused(refusals.period_help(tr, period_text, backwards=backwards))
    if not has_unit and tokens and _parses(" ".join(tokens[1:]), today):
        return Refused(refusals.unknown_unit(tr, tokens[0]), "unknown_unit")
    return Refused(refusals.period_help(tr))


def _code_shaped(token: str) -> bool:
    """A single word with a letter (``Q5``, ``T01``) may be a unit code rather than a period."""
    return any(ch.isalpha() for ch in token)


def _parses(text: str, today: date) -> bool:
    try:
        parse_period(text, today=today)
    except PeriodError:
        return False
    return True
