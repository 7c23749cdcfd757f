"""The question-answering engine: question text (+ the user's plan) → ``Answer``."""

from __future__ import annotations

from dataclasses import dataclass, replace

from knowledge.normalize import fold
from knowledge.qa.answer import Answer, Fact, Kind, OfficeDuties, PlanPart, TargetPart
from knowledge.qa.deadlines import select_deadlines
from knowledge.qa.glossary import Glossary, Topic, load_glossary
from knowledge.qa.offices import OfficeMatcher
from knowledge.qa.parse import (
    COMPARE,
    COORDINATE,
    CRITERIA,
    DATE_QUESTION,
    DEADLINE_STRONG,
    DEADLINE_WEAK,
    DOC_DATE,
    DOC_NUMBER,
    HELP,
    OBJECTIVE_WORDS,
    RESPONSIBLE,
    VALUE_WORDS,
    WHICH_TARGETS,
    YEAR_QUESTION,
    Query,
    parse,
)
from knowledge.qa.plans import PlanMatcher, named_plans
from knowledge.qa.search import Hit, Item, TopicIndex
from knowledge.schema import Indicator, Objective, Office, Plan, Target

#: Items scoring at least this share of the best hit are shown with it.
KEEP_RATIO = 0.5
#: A topic question is about one target/objective when every hit this close is about it.
DOMINANCE_RATIO = 0.8
#: An office of another plan must match this well to be named ("not in this plan").
OTHER_PLAN_OFFICE_SCORE = 0.75
MAX_TARGETS = 3
SHORT_HELP = 3  # "trợ giúp", "help me": help, not a topic search
SHORT_OFFICE = 6  # a question that only names an office asks what it leads
MAX_OBJECTIVES = 3
MAX_TARGETS_CROSS = 1
MAX_OBJECTIVES_CROSS = 1


@dataclass(frozen=True)
class _Context:
    q: Query
    named: list[str]  # plans the question names
    scope: list[str]  # plans to answer from: named, else the user's plan, else none
    skip: frozenset[int]  # word positions of numbers, years and plan names
    topics: list[Topic]


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
        named, q = self._narrow_by_year(named_plans(mentions), q)
        skip = set(q.used)
        for m in mentions:
            skip |= set(range(m.start, m.end))
        chosen = plan_id if plan_id in self.plans else None
        scope = named or ([chosen] if chosen else [])
        rest = _without(q.folded, skip)
        ctx = _Context(q, named, scope, frozenset(skip), self.glossary.topics_in(rest))
        if q.targets:
            return self._targets(ctx)
        if q.goal is not None:
            return self._goal(ctx)
        if q.has(DOC_NUMBER) or q.has(DOC_DATE):
            return self._document(ctx)
        if q.has(HELP) and len(q.words) <= SHORT_HELP:
            return Answer("help")
        answer = self._office(ctx)
        if answer is None and self._is_deadline_question(ctx):
            answer = self._deadlines(ctx)
        if answer is None and q.group is not None:
            answer = self._group(ctx)
        if answer is None:
            answer = self._topic(ctx)
        if answer is None and len(q.words) <= SHORT_OFFICE:
            answer = self._office(ctx, require_intent=False)  # just an office: "LĐTBXH"
        if answer is None:
            answer = Answer("help" if q.has(HELP) and len(q.words) <= 2 * SHORT_HELP
                            else "unknown")
        return answer

    def _narrow_by_year(self, named: list[str], q: Query) -> tuple[list[str], Query]:
        """"kế hoạch 2024", "the 2021-2030 plan": keep the plans issued in / covering it."""
        if not (q.plan_years or q.period):
            return named, q
        candidates = [self.plans[p] for p in named] if named else list(self.plans.values())

        def fits(plan: Plan) -> bool:
            if q.period:
                return (plan.period_start, plan.period_end) == q.period
            issued = plan.document.date
            return issued is not None and issued.year in q.plan_years

        narrowed = [p.id for p in candidates if fits(p)]
        if narrowed and (named or len(narrowed) == 1):
            return narrowed, q
        years = q.years + q.plan_years + (q.period or ())
        return named, replace(q, years=tuple(dict.fromkeys(years)), plan_years=(), period=None)

    # ------------------------------------------------------------------ numbered targets

    def _targets(self, ctx: _Context) -> Answer:
        q = ctx.q
        with_targets = [p for p in ctx.named if self.plans[p].targets]
        if len(with_targets) >= 2:
            parts = [self._target_part_or_empty(self.plans[p], q) for p in with_targets]
            kind: Kind = "responsibility" if q.has(RESPONSIBLE) else "target_value"
            return Answer(kind, tuple(with_targets), tuple(parts), q.targets, years=q.years)
        if q.has(COMPARE):
            return self._compare(q)
        if not ctx.scope:
            return self._choose(q, self._about_target(q), self._target_parts_everywhere(q))
        plan = self.plans[with_targets[0]] if with_targets else self.plans[ctx.scope[0]]
        return self._target_answer(plan, q)

    @staticmethod
    def _about_target(q: Query) -> Kind:
        return "responsibility" if q.has(RESPONSIBLE) else "target_value"

    def _target_answer(self, plan: Plan, q: Query) -> Answer:
        targets = [plan.target(n) for n in q.targets]
        missing = [n for n, t in zip(q.targets, targets, strict=True) if t is None]
        if missing:
            return Answer("no_such_target", (plan.id,), (PlanPart(plan),), (missing[0],))
        found = [t for t in targets if t is not None]
        if q.has(RESPONSIBLE):
            return self._responsibility(plan, found, (), q)
        return self._values(plan, found, q)

    def _responsibility(self, plan: Plan, targets: list[Target],
                        objectives: tuple[Objective, ...], q: Query) -> Answer:
        coordinating = q.has(COORDINATE)
        part = PlanPart(plan, tuple(TargetPart(t, ()) for t in targets), objectives)
        numbers = tuple(t.number for t in targets)
        first = targets[0] if targets else objectives[0]
        if first.lead is None:
            return _not_stated(part, "lead", numbers)
        if coordinating and first.coordinating is None:
            return _not_stated(part, "coordinating", numbers, coordinating=True)
        return Answer("responsibility", (plan.id,), (part,), numbers, coordinating=coordinating)

    def _values(self, plan: Plan, targets: list[Target], q: Query,
                only: set[str] | None = None) -> Answer:
        numbers = tuple(t.number for t in targets)
        if q.has(YEAR_QUESTION) and not q.years and all(
            v.year is None for t in targets for i in t.indicators for v in i.values
        ):
            part = PlanPart(plan, tuple(TargetPart(t, t.indicators) for t in targets))
            return _not_stated(part, "year", numbers)
        parts: list[TargetPart] = []
        for target in targets:
            part = _target_part(target, q.years, only)
            if part is None:
                full = TargetPart(target, target.indicators, _years_of(target))
                return Answer("no_value_for_year", (plan.id,), (PlanPart(plan, (full,)),),
                              numbers, years=q.years)
            parts.append(part)
        return Answer("target_value", (plan.id,), (PlanPart(plan, tuple(parts)),), numbers,
                      years=q.years)

    def _target_part_or_empty(self, plan: Plan, q: Query) -> PlanPart:
        """The asked targets of ``plan``; a target without a value for the years has none."""
        parts = []
        for n in q.targets:
            target = plan.target(n)
            if target is not None:
                part = _target_part(target, q.years, None)
                parts.append(part or TargetPart(target, (), _years_of(target)))
        return PlanPart(plan, tuple(parts))

    def _target_parts_everywhere(self, q: Query) -> list[PlanPart]:
        parts = [self._target_part_or_empty(self.plans[p], q) for p in self._with_targets]
        return [p for p in parts if p.targets]

    def _compare(self, q: Query) -> Answer:
        parts = self._target_parts_everywhere(q)
        if not parts:
            return Answer("no_such_target", (), (), q.targets)
        return Answer("compare", tuple(p.plan.id for p in parts), tuple(parts), q.targets,
                      years=q.years)

    def _choose(self, q: Query, about: Kind, parts: list[PlanPart]) -> Answer:
        if about in ("target_value", "responsibility") and not parts:
            return Answer("no_such_target", (), (), q.targets)
        return Answer("choose_plan", tuple(p.plan.id for p in parts), tuple(parts), q.targets,
                      q.goal, q.years, about=about, choices=tuple(self.plans))

    # ------------------------------------------------------------------ goals, documents

    def _goal(self, ctx: _Context) -> Answer:
        number = ctx.q.goal
        if not ctx.scope:
            parts = [PlanPart(self.plans[p], _goal_targets(self.plans[p], number))
                     for p in self._with_targets]
            return self._choose(ctx.q, "goal_targets", [p for p in parts if p.targets])
        with_targets = [p for p in ctx.scope if self.plans[p].targets]
        plan = self.plans[(with_targets or ctx.scope)[0]]
        targets = _goal_targets(plan, number)
        if not targets:
            return Answer("no_such_target", (plan.id,), (PlanPart(plan),), goal_number=number)
        return Answer("goal_targets", (plan.id,), (PlanPart(plan, targets),), goal_number=number)

    def _document(self, ctx: _Context) -> Answer:
        if not ctx.scope:
            return self._choose(ctx.q, "document", [PlanPart(p) for p in self.plans.values()])
        fact: Fact = "document.number" if ctx.q.has(DOC_NUMBER) else "document.date"
        parts = []
        for plan_id in ctx.scope:
            plan = self.plans[plan_id]
            value = plan.document.number if fact == "document.number" else plan.document.date
            parts.append(PlanPart(plan, fact=None if value else fact))
        if all(p.fact is None for p in parts):
            return Answer("document", tuple(ctx.scope), tuple(parts))
        parts = [p for p in parts if p.fact]
        return Answer("not_stated", tuple(p.plan.id for p in parts), tuple(parts))

    # ------------------------------------------------------------------ offices

    def _office(self, ctx: _Context, require_intent: bool = True) -> Answer | None:
        q = ctx.q
        if require_intent and not (q.has(WHICH_TARGETS) or q.has(RESPONSIBLE)):
            return None
        skip = set(ctx.skip) | self.glossary.topic_words(q.folded)
        folded = _without(q.folded, skip)
        if not self._offices.find(folded):
            return None
        if not ctx.scope:
            named = [PlanPart(plan, duties=duties) for plan in self.plans.values()
                     if (duties := self._duties(plan, folded)) and duties.in_plan]
            busy = [p for p in named if p.duties and p.duties.leads_anything]
            if busy:
                return self._choose(q, "office_targets", busy)
            stated = [p for p in named if not _leads_unstated(p.plan)]
            if stated:
                return Answer("office_leads_nothing", tuple(p.plan.id for p in stated),
                              tuple(stated))
            return None
        scope = [self.plans[p] for p in ctx.scope]
        if len(scope) > 1 and not q.has(OBJECTIVE_WORDS):
            scope = [p for p in scope if p.targets] or scope
        parts = [PlanPart(plan, duties=duties) for plan in scope
                 if (duties := self._duties(plan, folded)) is not None]
        if not parts:
            return None
        ids = tuple(p.plan.id for p in parts)
        if all(_leads_unstated(p.plan) for p in parts):
            return Answer("not_stated", ids,
                          tuple(replace(p, fact="office") for p in parts))
        if any(p.duties and p.duties.leads_anything for p in parts):
            return Answer("office_targets", ids, tuple(parts))
        return Answer("office_leads_nothing", ids, tuple(parts))

    def _duties(self, plan: Plan, folded: str) -> OfficeDuties | None:
        offices = self._offices.find(folded, plan.id)
        in_plan = bool(offices)
        if not offices:
            offices = self._offices.find(folded, min_score=OTHER_PLAN_OFFICE_SCORE)
            if not offices:
                return None
        # Several equally good matches ("LĐTBXH": Phòng and Sở): take the busiest.
        office = max(offices, key=lambda o: len(_led_targets(plan, o.name)))
        led = tuple(t.number for t in _led_targets(plan, office.name))
        coordinated = tuple(
            t.number for t in plan.targets
            if t.coordinating and _names(t.coordinating, office.name) and t.number not in led
        )
        group_ids = {o.group for o in plan.objectives
                     if o.group and o.lead and _names(o.lead, office.name)}
        groups = tuple(g for g in plan.groups if g.id in group_ids)
        loose = tuple(o for o in plan.objectives
                      if not o.group and o.lead and _names(o.lead, office.name))
        return OfficeDuties(office, led, coordinated, groups, loose, in_plan,
                            any(t.lead is None for t in plan.targets))

    # ------------------------------------------------------------------ deadlines

    def _is_deadline_question(self, ctx: _Context) -> bool:
        q = ctx.q
        if q.has(DEADLINE_STRONG):
            return True
        if not q.has(DEADLINE_WEAK):
            return False
        plans = ctx.scope or list(self.plans)
        strict = any(select_deadlines(self.plans[p], q.folded, strict=True) for p in plans)
        return strict or not ctx.topics

    def _deadlines(self, ctx: _Context) -> Answer:
        q = ctx.q
        plan_ids = ctx.scope or [p.id for p in self.plans.values() if p.deadlines]
        # Across plans, a plan shows only deadlines of the kind asked (if a kind is asked).
        strict = not ctx.scope and any(
            select_deadlines(self.plans[p], q.folded, strict=True) for p in plan_ids)
        parts = []
        for plan_id in plan_ids:
            plan = self.plans[plan_id]
            chosen = select_deadlines(plan, q.folded, strict=strict)
            if chosen:
                parts.append(PlanPart(plan, deadlines=tuple(chosen)))
        if not parts:
            return Answer("not_stated", tuple(plan_ids),
                          tuple(PlanPart(self.plans[p], fact="deadline") for p in plan_ids))
        if q.has(DATE_QUESTION) and not any(d.month for p in parts for d in p.deadlines):
            return Answer("not_stated", tuple(p.plan.id for p in parts),
                          tuple(replace(p, fact="deadline_date") for p in parts))
        return Answer("deadlines", tuple(p.plan.id for p in parts), tuple(parts),
                      years=q.years)

    # ------------------------------------------------------------------ topics

    def _group(self, ctx: _Context) -> Answer | None:
        q = ctx.q
        parts = []
        for plan in (self.plans[p] for p in (ctx.scope or list(self.plans))):
            group = next((g for g in plan.groups if g.number == q.group), None)
            if group is None:
                continue
            objectives = tuple(o for o in plan.objectives if o.group == group.id)
            show_criteria = q.has(CRITERIA) or not objectives
            parts.append(PlanPart(plan, objectives=objectives[:MAX_OBJECTIVES],
                                  groups=(group,) if show_criteria else ()))
        if not parts:
            return None
        return Answer("topic", tuple(p.plan.id for p in parts), tuple(parts),
                      criteria=q.has(CRITERIA))

    def _topic(self, ctx: _Context) -> Answer | None:
        q = ctx.q
        plan_ids = set(ctx.scope) if ctx.scope else set(self.plans)
        hits = self._index.search(q.folded, set(ctx.skip), plan_ids, ctx.topics)
        if not hits:
            return None
        by_plan: dict[str, list[Hit]] = {}
        for hit in hits:
            by_plan.setdefault(hit.item.plan_id, []).append(hit)
        top = hits[0].score
        order = [p for p in (ctx.scope or list(self.plans))
                 if p in by_plan and by_plan[p][0].score >= KEEP_RATIO * top]
        if len(order) == 1 and ctx.scope:
            specific = self._specific(self.plans[order[0]], by_plan[order[0]], q)
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
                      criteria=q.has(CRITERIA), choices=tuple(self.plans) if cross else ())

    def _specific(self, plan: Plan, hits: list[Hit], q: Query) -> Answer | None:
        """A topic question about exactly one target or objective, asking for its value,
        its office or a year."""
        if not q.has(CRITERIA):
            hits = [h for h in hits if h.item.kind != "group"] or hits
        best = hits[0]
        close = [h for h in hits if h.score >= DOMINANCE_RATIO * best.score]
        if len({_unit(h.item) for h in close}) != 1:
            return None
        item = best.item
        if item.kind == "indicator" and item.target is not None:
            if q.has(RESPONSIBLE):
                return self._responsibility(plan, [item.target], (), q)
            if not (q.years or q.has(VALUE_WORDS)):
                return None
            kept = {h.item.indicator.id for h in close if h.item.indicator is not None}
            return self._values(plan, [item.target], q, kept)
        if item.kind == "objective" and item.objective is not None:
            obj = item.objective
            if q.has(RESPONSIBLE):
                return self._responsibility(plan, [], (obj,), q)
            dated = {v.year for v in obj.values if v.year is not None}
            if q.years and dated and not dated & set(q.years):
                return Answer("no_value_for_year", (plan.id,), (PlanPart(plan, objectives=(obj,)),),
                              years=q.years)
        return None


# ---------------------------------------------------------------------- helpers


def _without(folded: str, skip: set[int] | frozenset[int]) -> str:
    return " ".join(w for i, w in enumerate(folded.split()) if i not in skip)


def _unit(item: Item) -> tuple[str, str]:
    if item.kind == "indicator" and item.target is not None:
        return ("target", str(item.target.number))
    if item.kind == "objective" and item.objective is not None:
        return ("objective", item.objective.id)
    return ("group", item.group.id if item.group else "")


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


def _not_stated(part: PlanPart, fact: Fact, numbers: tuple[int, ...],
                coordinating: bool = False) -> Answer:
    return Answer("not_stated", (part.plan.id,), (replace(part, fact=fact),), numbers,
                  coordinating=coordinating)


def _names(offices: list[Office], name: str) -> bool:
    key = fold(name)
    return any(fold(o.name) == key for o in offices)


def _led_targets(plan: Plan, name: str) -> list[Target]:
    return [t for t in plan.targets if t.lead and _names(t.lead, name)]


def _leads_unstated(plan: Plan) -> bool:
    """True when the document assigns no target and no objective to any office."""
    return bool(plan.targets) and all(t.lead is None for t in plan.targets) and not any(
        o.lead for o in plan.objectives)


def _topic_part(plan: Plan, hits: list[Hit], q: Query, max_targets: int,
                max_objectives: int) -> PlanPart:
    """The best targets (with their matching indicators), objectives and criteria lists."""
    best = hits[0].score
    targets: dict[int, list[Indicator]] = {}
    target_of: dict[int, Target] = {}
    objectives: list[Objective] = []
    groups = []
    for hit in (h for h in hits if h.score >= KEEP_RATIO * best):
        item = hit.item
        if item.kind == "indicator" and item.target and item.indicator:
            n = item.target.number
            if n in targets or len(targets) < max_targets:
                targets.setdefault(n, []).append(item.indicator)
                target_of[n] = item.target
        elif item.kind == "objective" and item.objective and len(objectives) < max_objectives:
            objectives.append(item.objective)
        elif item.kind == "group" and item.group and item.group.criteria and q.has(CRITERIA):
            groups.append(item.group)
    parts = []
    for n, indicators in targets.items():
        target = target_of[n]
        wanted = {i.id for i in indicators}
        part = _target_part(target, q.years, wanted)
        parts.append(part or TargetPart(target, tuple(i for i in target.indicators
                                                     if i.id in wanted), _years_of(target)))
    return PlanPart(plan, tuple(parts), tuple(objectives), tuple(groups[:1]))
