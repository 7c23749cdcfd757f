"""Answers about given targets of one plan: their values for some years, or their offices."""

from __future__ import annotations

from dataclasses import replace

from knowledge.qa.answer import Answer, Fact, PlanPart, TargetPart
from knowledge.qa.parse import COORDINATE, YEAR_QUESTION, Query
from knowledge.schema import Indicator, Objective, Plan, Target


def years_of(target: Target) -> tuple[int, ...]:
    return tuple(sorted({v.year for i in target.indicators for v in i.values
                         if v.year is not None}))


def target_part(target: Target, years: tuple[int, ...],
                only: set[str] | None) -> TargetPart | None:
    """The target with values for ``years`` (all years when empty); None when it has none."""
    indicators = [i for i in target.indicators if not only or i.id in only]
    if not years:
        return TargetPart(target, tuple(indicators), years_of(target))
    dated = [v for i in indicators for v in i.values if v.year is not None]
    if dated and not any(v.year in years for v in dated):
        return None
    kept: list[Indicator] = []
    for ind in indicators:
        values = [v for v in ind.values if v.year is None or v.year in years]
        if values:
            kept.append(ind.model_copy(update={"values": values}))
    return TargetPart(target, tuple(kept), years_of(target))


def not_stated(part: PlanPart, fact: Fact, numbers: tuple[int, ...],
               coordinating: bool = False) -> Answer:
    return Answer("not_stated", (part.plan.id,), (replace(part, fact=fact),), numbers,
                  coordinating=coordinating)


def responsibility(plan: Plan, targets: list[Target], objectives: tuple[Objective, ...],
                   q: Query) -> Answer:
    """Who leads (or coordinates) the targets, or the objectives when there are no targets."""
    coordinating = q.has(COORDINATE)
    part = PlanPart(plan, tuple(TargetPart(t, ()) for t in targets), objectives)
    numbers = tuple(t.number for t in targets)
    first = targets[0] if targets else objectives[0]
    if first.lead is None:
        return not_stated(part, "lead", numbers)
    if coordinating and first.coordinating is None:
        return not_stated(part, "coordinating", numbers, coordinating=True)
    return Answer("responsibility", (plan.id,), (part,), numbers, coordinating=coordinating)


def values(plan: Plan, targets: list[Target], q: Query, only: set[str] | None = None) -> Answer:
    """The targets' values for the asked years (all years when none is asked)."""
    numbers = tuple(t.number for t in targets)
    if q.has(YEAR_QUESTION) and not q.years and all(
        v.year is None for t in targets for i in t.indicators for v in i.values
    ):
        part = PlanPart(plan, tuple(TargetPart(t, t.indicators) for t in targets))
        return not_stated(part, "year", numbers)
    parts: list[TargetPart] = []
    for target in targets:
        part = target_part(target, q.years, only)
        if part is None:
            full = TargetPart(target, target.indicators, years_of(target))
            return Answer("no_value_for_year", (plan.id,), (PlanPart(plan, (full,)),),
                          numbers, years=q.years)
        parts.append(part)
    return Answer("target_value", (plan.id,), (PlanPart(plan, tuple(parts)),), numbers,
                  years=q.years)


def part_or_empty(plan: Plan, q: Query) -> PlanPart:
    """The asked targets of ``plan``; a target without a value for the years has none."""
    parts = []
    for n in q.targets:
        target = plan.target(n)
        if target is not None:
            part = target_part(target, q.years, None)
            parts.append(part or TargetPart(target, (), years_of(target)))
    return PlanPart(plan, tuple(parts))


def goal_targets(plan: Plan, number: int | None) -> tuple[TargetPart, ...]:
    return tuple(TargetPart(t, t.indicators) for t in plan.targets if t.goal == number)
