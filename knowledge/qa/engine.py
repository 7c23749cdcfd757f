"""The question-answering engine: question text (+ the user's plan) → ``Answer``."""

from __future__ import annotations

from knowledge.qa.answer import Answer, Kind, OfficeDuties, PlanPart, TargetPart
from knowledge.qa.glossary import Glossary, load_glossary
from knowledge.qa.offices import OfficeMatcher, plan_offices
from knowledge.qa.parse import (
    COMPARE,
    COORDINATE,
    CRITERIA,
    DEADLINE_STRONG,
    DEADLINE_WEAK,
    DOC_DATE,
    DOC_NUMBER,
    HELP,
    RESPONSIBLE,
    VALUE_WORDS,
    WHICH_TARGETS,
    YEAR_QUESTION,
    Query,
    parse,
)
from knowledge.qa.plans import PlanMatcher, named_plans
from knowledge.qa.search import Hit, TopicIndex
from knowledge.qa.deadlines import select_deadlines
from knowledge.schema import Indicator, Office, Plan, Target
from knowledge.normalize import fold

#: Items scoring at least this share of the best hit are shown with it.
KEEP_RATIO = 0.5
#: A topic question is about one target when every hit this close to the best is in it.
DOMINANCE_RATIO = 0.8
MAX_TARGETS = 3
MAX_OBJECTIVES = 3
MAX_TARGETS_CROSS = 1
MAX_OBJECTIVES_CROSS = 1


class QAEngine:
    """Answers questions about a fixed set of plans. Indexes are built once, here."""

    def __init__(self, plans: dict[str, Plan], glossary: Glossary | None = None) -> None:
        self.plans = plans
        self.glossary = glossary or load_glossary()
        self._plan_matcher = PlanMatcher(plans)
        self._offices = OfficeMatcher(plans, self.glossary)
        self._index = TopicIndex(plans, self.glossary)
        self._with_targets = [p.id for p in plans.values() if p.targets]

    # ------------------------------------------------------------------ public API

    def match_plans(self, text: str) -> list[str]:
        """Plan ids a free text names (``/plan tra vinh``)."""
        return self._plan_matcher.match(text)

    def ask(self, text: str, plan_id: str | None = None) -> Answer:
        q = parse(text or "")
        if not q.folded:
            return Answer("help")
        mentions = self._plan_matcher.mentions(q.folded)
        named = named_plans(mentions)
        skip = set(q.used)
        for m in mentions:
            skip |= set(range(m.start, m.end))
        chosen = plan_id if plan_id in self.plans else None
        scope = named or ([chosen] if chosen else [])
        ctx = _Context(q, named, scope, frozenset(skip))
        if q.targets:
            return self._targets(ctx)
        if q.goal is not None:
            return self._goal(ctx)
        if q.has(DOC_NUMBER) or q.has(DOC_DATE):
            return self._document(ctx)
        topics = self.glossary.topics_in(_without(q.folded, skip))
        office_answer = self._office(ctx, topics)
        if office_answer is not None:
            return office_answer
        if self._is_deadline_question(ctx, topics):
            return self._deadlines(ctx)
        if q.group is not None:
            return self._group(ctx)
        found = self._topic(ctx, topics)
        if found is not None:
            return found
        if q.has(HELP) and len(q.words) <= 6:
            return Answer("help")
        return Answer("unknown")

    # ------------------------------------------------------------------ numbered targets

    def _targets(self, ctx: _Context) -> Answer:
        q = ctx.q
        with_targets = [p for p in ctx.named if self.plans[p].targets]
        if len(with_targets) >= 2:
            parts = [self._target_part_or_none(self.plans[p], q) for p in with_targets]
            return self._multi_target_answer(q, with_targets, parts)
        if q.has(COMPARE) and not with_targets or (q.has(COMPARE) and len(ctx.named) <= 1):
            return self._compare(q)
        plan = self._single_plan_with_targets(ctx.scope)
        if plan is None:
            return self._choose(q, self._about_target(q), self._with_targets)
        return self._target_answer(plan, q)

    def _about_target(self, q: Query) -> Kind:
        return "responsibility" if q.has(RESPONSIBLE) else "target_value"

    def _single_plan_with_targets(self, scope: list[str]) -> Plan | None:
        """The plan a numbered-target question goes to (a plan without targets defers to a
        plan of the same jurisdiction that has them)."""
        if not scope:
            return None
        candidates = [self.plans[p] for p in scope]
        with_targets = [p for p in candidates if p.targets]
        if with_targets:
            return with_targets[0]
        first = candidates[0]
        sibling = next(
            (p for p in self.plans.values()
             if p.targets and fold(p.jurisdiction) == fold(first.jurisdiction)),
            None,
        )
        return sibling or first

    def _target_answer(self, plan: Plan, q: Query) -> Answer:
        targets = [plan.target(n) for n in q.targets]
        if any(t is None for t in targets) or not plan.targets:
            missing = next(n for n, t in zip(q.targets, targets) if t is None)
            return Answer("no_such_target", (plan.id,), (PlanPart(plan),), (missing,))
        if q.has(RESPONSIBLE):
            return self._responsibility(plan, [t for t in targets if t], q)
        return self._values(plan, [t for t in targets if t], q)

    def _responsibility(self, plan: Plan, targets: list[Target], q: Query) -> Answer:
        coordinating = q.has(COORDINATE)
        parts = tuple(TargetPart(t, ()) for t in targets)
        numbers = tuple(t.number for t in targets)
        part = PlanPart(plan, parts)
        first = targets[0]
        if first.lead is None:
            return _not_stated(plan, part, "lead", numbers)
        if coordinating and first.coordinating is None:
            return _not_stated(plan, part, "coordinating", numbers, coordinating=True)
        return Answer("responsibility", (plan.id,), (part,), numbers, coordinating=coordinating)

    def _values(self, plan: Plan, targets: list[Target], q: Query,
                only: dict[int, set[str]] | None = None) -> Answer:
        numbers = tuple(t.number for t in targets)
        if q.has(YEAR_QUESTION) and not q.years and all(
            v.year is None for t in targets for i in t.indicators for v in i.values
        ):
            part = PlanPart(plan, tuple(TargetPart(t, t.indicators) for t in targets))
            return _not_stated(plan, part, "year", numbers)
        parts: list[TargetPart] = []
        for target in targets:
            chosen = only.get(target.number) if only else None
            part = _target_part(target, q.years, chosen)
            if part is None:
                full = PlanPart(plan, (TargetPart(target, target.indicators,
                                                  _years_of(target)),))
                return Answer("no_value_for_year", (plan.id,), (full,), numbers, years=q.years)
            parts.append(part)
        return Answer("target_value", (plan.id,), (PlanPart(plan, tuple(parts)),), numbers,
                      years=q.years)

    def _target_part_or_none(self, plan: Plan, q: Query) -> PlanPart:
        parts = []
        for n in q.targets:
            target = plan.target(n)
            if target is None:
                continue
            part = _target_part(target, q.years, None)
            parts.append(part or TargetPart(target, (), _years_of(target)))
        return PlanPart(plan, tuple(parts))

    def _multi_target_answer(self, q: Query, plan_ids: list[str],
                             parts: list[PlanPart]) -> Answer:
        kind: Kind = "responsibility" if q.has(RESPONSIBLE) else "target_value"
        if kind == "target_value":
            parts = [PlanPart(p.plan, tuple(t for t in p.targets)) for p in parts]
        return Answer(kind, tuple(plan_ids), tuple(parts), q.targets, years=q.years)

    def _compare(self, q: Query) -> Answer:
        parts = []
        for plan_id in self._with_targets:
            part = self._target_part_or_none(self.plans[plan_id], q)
            if part.targets:
                parts.append(part)
        if not parts:
            return Answer("no_such_target", (), (), q.targets)
        return Answer("compare", tuple(p.plan.id for p in parts), tuple(parts), q.targets,
                      years=q.years)

    def _choose(self, q: Query, about: Kind, plan_ids: list[str],
                parts: list[PlanPart] | None = None) -> Answer:
        if parts is None:
            parts = []
            for plan_id in plan_ids:
                part = self._target_part_or_none(self.plans[plan_id], q)
                if part.targets:
                    parts.append(part)
        if about in ("target_value", "responsibility") and not parts:
            return Answer("no_such_target", (), (), q.targets)
        drawn = tuple(p.plan.id for p in parts)
        return Answer("choose_plan", drawn, tuple(parts), q.targets, q.goal, q.years,
                      about=about, choices=tuple(self.plans))

    # ------------------------------------------------------------------ goals, documents

    def _goal(self, ctx: _Context) -> Answer:
        q = ctx.q
        number = q.goal
        plan = self._single_plan_with_targets(ctx.scope)
        if plan is None:
            parts = [PlanPart(self.plans[p], _goal_targets(self.plans[p], number))
                     for p in self._with_targets]
            return self._choose(q, "goal_targets", [], [p for p in parts if p.targets])
        parts = _goal_targets(plan, number)
        if not parts:
            return Answer("no_such_target", (plan.id,), (PlanPart(plan),), goal_number=number)
        return Answer("goal_targets", (plan.id,), (PlanPart(plan, parts),), goal_number=number)

    def _document(self, ctx: _Context) -> Answer:
        q = ctx.q
        if not ctx.scope:
            parts = [PlanPart(p) for p in self.plans.values()]
            return self._choose(q, "document", [], parts)
        fact = "document.number" if q.has(DOC_NUMBER) else "document.date"
        parts = []
        for plan_id in ctx.scope:
            plan = self.plans[plan_id]
            value = plan.document.number if fact == "document.number" else plan.document.date
            parts.append(PlanPart(plan, fact=None if value else fact))
        kind: Kind = "document" if all(p.fact is None for p in parts) else "not_stated"
        if kind == "not_stated" and len(parts) > 1:
            parts = [p for p in parts if p.fact]
        return Answer(kind, tuple(p.plan.id for p in parts), tuple(parts))

    # ------------------------------------------------------------------ offices

    def _office(self, ctx: _Context, topics: list) -> Answer | None:
        q = ctx.q
        asks = q.has(WHICH_TARGETS) or q.has(RESPONSIBLE)
        if not asks:
            return None
        folded = _without(q.folded, ctx.skip)
        if not ctx.scope:
            offices = self._offices.find(folded)
            if not offices:
                return None
            parts = []
            for plan in self.plans.values():
                duties = self._duties(plan, folded)
                if duties and (duties.led or duties.coordinated or duties.groups):
                    parts.append(PlanPart(plan, duties=duties))
            return self._choose(q, "office_targets", [], parts) if parts else Answer(
                "office_leads_nothing", (), (), office_text=offices[0].name)
        plans = [self.plans[p] for p in ctx.scope]
        parts = []
        for plan in plans:
            duties = self._duties(plan, folded)
            if duties is not None:
                parts.append(PlanPart(plan, duties=duties))
        if not parts:
            return None
        if len(parts) > 1:
            useful = [p for p in parts if p.duties and (p.duties.led or p.duties.groups
                                                        or p.duties.objectives)]
            parts = useful or parts[:1]
        ids = tuple(p.plan.id for p in parts)
        if all(_leads_unstated(p.plan) for p in parts):
            return Answer("not_stated", ids, tuple(
                PlanPart(p.plan, duties=p.duties, fact="office") for p in parts))
        if any(p.duties and (p.duties.led or p.duties.coordinated or p.duties.groups
                             or p.duties.objectives) for p in parts):
            return Answer("office_targets", ids, tuple(parts))
        return Answer("office_leads_nothing", ids, tuple(parts))

    def _duties(self, plan: Plan, folded: str) -> OfficeDuties | None:
        offices = self._offices.find(folded, plan.id)
        in_plan = bool(offices)
        if not offices:
            offices = self._offices.find(folded)
            if not offices:
                return None
        # Several equally good matches ("LĐTBXH": Phòng and Sở): take the busiest.
        office = max(offices, key=lambda o: len(_led_by(plan, o.name)))
        led = tuple(t.number for t in plan.targets if t.lead and _named(t.lead, office.name))
        coordinated = tuple(
            t.number for t in plan.targets
            if t.coordinating and _named(t.coordinating, office.name) and t.number not in led
        )
        group_ids = {o.group for o in plan.objectives
                     if o.group and o.lead and _named(o.lead, office.name)}
        groups = tuple(g for g in plan.groups if g.id in group_ids)
        loose = tuple(o for o in plan.objectives
                      if not o.group and o.lead and _named(o.lead, office.name))
        return OfficeDuties(office, led, coordinated, groups, loose, in_plan,
                            any(t.lead is None for t in plan.targets))

    # ------------------------------------------------------------------ deadlines

    def _is_deadline_question(self, ctx: _Context, topics: list) -> bool:
        q = ctx.q
        if q.has(DEADLINE_STRONG):
            return True
        if not q.has(DEADLINE_WEAK):
            return False
        plans = ctx.scope or list(self.plans)
        return any(select_deadlines(self.plans[p], q.folded, strict=True) for p in plans) or not topics

    def _deadlines(self, ctx: _Context) -> Answer:
        q = ctx.q
        plan_ids = ctx.scope or [p.id for p in self.plans.values() if p.deadlines]
        parts = []
        for plan_id in plan_ids:
            plan = self.plans[plan_id]
            chosen = select_deadlines(plan, q.folded)
            if chosen:
                parts.append(PlanPart(plan, deadlines=tuple(chosen)))
        if not parts:
            return Answer("not_stated", tuple(plan_ids), tuple(
                PlanPart(self.plans[p], fact="deadline") for p in plan_ids))
        return Answer("deadlines", tuple(p.plan.id for p in parts), tuple(parts),
                      years=q.years)

    # ------------------------------------------------------------------ topics

    def _group(self, ctx: _Context) -> Answer:
        q = ctx.q
        plans = [self.plans[p] for p in (ctx.scope or list(self.plans))]
        parts = []
        for plan in plans:
            group = next((g for g in plan.groups if g.number == q.group), None)
            if group is None:
                continue
            objectives = tuple(o for o in plan.objectives if o.group == group.id)
            parts.append(PlanPart(plan, objectives=objectives[:MAX_OBJECTIVES + 1],
                                  groups=(group,) if q.has(CRITERIA) or not objectives else ()))
        if not parts:
            found = self._topic(ctx, self.glossary.topics_in(q.folded))
            return found or Answer("unknown")
        return Answer("topic", tuple(p.plan.id for p in parts), tuple(parts),
                      criteria=q.has(CRITERIA))

    def _topic(self, ctx: _Context, topics: list) -> Answer | None:
        q = ctx.q
        plan_ids = set(ctx.scope) if ctx.scope else set(self.plans)
        hits = self._index.search(q.folded, set(ctx.skip), plan_ids, topics)
        if not hits:
            return None
        by_plan: dict[str, list[Hit]] = {}
        for hit in hits:
            by_plan.setdefault(hit.item.plan_id, []).append(hit)
        order = [p for p in (ctx.scope or list(self.plans)) if p in by_plan]
        if len(order) == 1 and ctx.scope:
            plan = self.plans[order[0]]
            specific = self._specific(plan, by_plan[plan.id], q)
            if specific is not None:
                return specific
        cross = not ctx.scope
        parts = [
            _topic_part(self.plans[p], by_plan[p], q,
                        MAX_TARGETS_CROSS if cross else MAX_TARGETS,
                        MAX_OBJECTIVES_CROSS if cross else MAX_OBJECTIVES)
            for p in order
        ]
        return Answer("topic", tuple(order), tuple(parts), years=q.years,
                      criteria=q.has(CRITERIA),
                      choices=tuple(self.plans) if cross else ())

    def _specific(self, plan: Plan, hits: list[Hit], q: Query) -> Answer | None:
        """A topic question about exactly one target, asking for its value or its office."""
        best = hits[0]
        if best.item.kind != "indicator" or best.item.target is None:
            return None
        close = [h for h in hits if h.score >= DOMINANCE_RATIO * best.score]
        if any(h.item.kind != "indicator" or h.item.target is not best.item.target
               for h in close):
            return None
        target = best.item.target
        if q.has(RESPONSIBLE):
            return self._responsibility(plan, [target], q)
        if not (q.years or q.has(VALUE_WORDS)):
            return None
        kept = {h.item.indicator.id for h in hits
                if h.item.target is target and h.item.indicator
                and h.score >= DOMINANCE_RATIO * best.score}
        return self._values(plan, [target], q, {target.number: kept})


class _Context:
    __slots__ = ("q", "named", "scope", "skip")

    def __init__(self, q: Query, named: list[str], scope: list[str],
                 skip: frozenset[int]) -> None:
        self.q, self.named, self.scope, self.skip = q, named, scope, skip


# ---------------------------------------------------------------------- helpers


def _without(folded: str, skip: set[int] | frozenset[int]) -> str:
    return " ".join(w for i, w in enumerate(folded.split()) if i not in skip)


def _years_of(target: Target) -> tuple[int, ...]:
    return tuple(sorted({v.year for i in target.indicators for v in i.values
                         if v.year is not None}))


def _target_part(target: Target, years: tuple[int, ...],
                 only: set[str] | None) -> TargetPart | None:
    """The target with values for ``years`` (all years when empty); None when it has none."""
    indicators = [i for i in target.indicators if not only or i.id in only]
    if not years:
        return TargetPart(target, tuple(indicators), _years_of(target))
    dated = [v for i in indicators for v in i.values if v.year is not None]
    if dated and not any(v.year in years for v in dated):
        return None
    kept: list[Indicator] = []
    for ind in indicators:
        values = [v for v in ind.values if v.year is None or v.year in years]
        if values:
            kept.append(ind.model_copy(update={"values": values}))
    return TargetPart(target, tuple(kept), _years_of(target))


def _goal_targets(plan: Plan, number: int | None) -> tuple[TargetPart, ...]:
    return tuple(TargetPart(t, t.indicators) for t in plan.targets if t.goal == number)


def _not_stated(plan: Plan, part: PlanPart, fact, numbers: tuple[int, ...],
                coordinating: bool = False) -> Answer:
    return Answer("not_stated", (plan.id,), (PlanPart(plan, part.targets, fact=fact),),
                  numbers, coordinating=coordinating)


def _named(offices: list[Office], name: str) -> bool:
    key = fold(name)
    return any(fold(o.name) == key for o in offices)


def _led_by(plan: Plan, name: str) -> list[Target]:
    return [t for t in plan.targets if t.lead and _named(t.lead, name)]


def _leads_unstated(plan: Plan) -> bool:
    """True when the document assigns no target and no objective to any office."""
    return bool(plan.targets) and all(t.lead is None for t in plan.targets) and not any(
        o.lead for o in plan.objectives)


def _topic_part(plan: Plan, hits: list[Hit], q: Query, max_targets: int,
                max_objectives: int) -> PlanPart:
    best = hits[0].score
    kept = [h for h in hits if h.score >= KEEP_RATIO * best]
    targets: dict[int, list[Indicator]] = {}
    target_of: dict[int, Target] = {}
    objectives = []
    groups = []
    for hit in kept:
        item = hit.item
        if item.kind == "indicator" and item.target and item.indicator:
            n = item.target.number
            if n not in targets and len(targets) >= max_targets:
                continue
            targets.setdefault(n, []).append(item.indicator)
            target_of[n] = item.target
        elif item.kind == "objective" and item.objective and len(objectives) < max_objectives:
            objectives.append(item.objective)
        elif item.kind == "group" and item.group and (q.has(CRITERIA) or not objectives):
            if item.group.criteria and q.has(CRITERIA):
                groups.append(item.group)
    parts = []
    for n, indicators in targets.items():
        target = target_of[n]
        order = {i.id: k for k, i in enumerate(target.indicators)}
        indicators.sort(key=lambda i: order.get(i.id, 0))
        part = _target_part(target, q.years, {i.id for i in indicators})
        parts.append(part or TargetPart(target, tuple(indicators), _years_of(target)))
    return PlanPart(plan, tuple(parts), tuple(objectives), tuple(groups[:1]))


__all__ = ["QAEngine", "plan_offices"]
