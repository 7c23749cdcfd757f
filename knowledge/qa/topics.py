"""Questions without a number: topics ("tảo hôn"), groups ("nhóm 3"), criteria, goal themes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from knowledge.normalize import fold
from knowledge.qa import targets as tg
from knowledge.qa.answer import Answer, PlanPart, TargetPart
from knowledge.qa.glossary import Glossary, Topic
from knowledge.qa.parse import CRITERIA, RESPONSIBLE, VALUE_WORDS, Query
from knowledge.qa.search import Hit, Item, TopicIndex
from knowledge.schema import Indicator, Objective, Plan, Target

#: Words of asking about criteria ("13 tiêu chí là gì", "gồm những gì").
_CRITERIA_QUESTION = frozenset(" ".join((
    "tieu chi la gi gom nhung nao cac co bao nhieu may what are the which criteria criterion",
    "of for a an is ke hoach tp hcm trong")).split(" "))
CRITERIA_SHARE = 0.5
_CRITERION = re.compile(r"\btieu chi (\d{1,2})\b(?! tieu chi)")
#: Items scoring at least this share of the best hit are shown with it.
KEEP_RATIO = 0.5
#: A topic question is about one target/objective when every hit this close is about it.
DOMINANCE_RATIO = 0.8
#: Indicators of one target the question singles one out of (see ``_precise``).
INDICATOR_SHARE = 0.5
SCORE_NOISE = 0.5
LIST_RATIO = 0.75
MAX_TARGETS = 3
MAX_OBJECTIVES = 3
MAX_TARGETS_CROSS = 1
MAX_OBJECTIVES_CROSS = 1


@dataclass(frozen=True)
class Context:
    """A parsed question and what the engine read around it."""

    q: Query
    named: list[str]  # plans the question names
    scope: list[str]  # plans to answer from: named, else the user's plan, else none
    skip: frozenset[int]  # word positions of numbers, years and plan names
    topics: list[Topic]


class TopicAnswers:
    """Answers topic, group and criteria questions; indexes are built once."""

    def __init__(self, plans: dict[str, Plan], glossary: Glossary) -> None:
        self.plans = plans
        self.index = TopicIndex(plans, glossary)
        self._goal_pairs = _goal_pairs(plans)
        self._criteria_words = frozenset(
            w for plan in plans.values() for g in plan.groups if g.criteria
            for text in (g.title, g.title_en, *g.criteria) for w in fold(text).split())

    # ------------------------------------------------------------------ topics

    def topic(self, ctx: Context) -> Answer | None:
        q = ctx.q
        plan_ids = set(ctx.scope) if ctx.scope else set(self.plans)
        hits = _useful(self.index.search(q.folded, set(ctx.skip), plan_ids, ctx.topics), q)
        if ctx.topics:  # a topic asked: only what is about it ("swimming": not school toilets)
            hits = [h for h in hits if h.topical]
        if not hits:
            return self._absent(ctx) if ctx.topics and ctx.scope else None
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
        if q.has(RESPONSIBLE) and (cross or len(order) > 1):  # each plan's lead
            return self._who_everywhere(order, by_plan, q)
        parts = [
            _topic_part(self.plans[p], by_plan[p], q,
                        MAX_TARGETS_CROSS if cross else MAX_TARGETS,
                        MAX_OBJECTIVES_CROSS if cross else MAX_OBJECTIVES)
            for p in order
        ]
        return Answer("topic", tuple(order), tuple(parts), years=q.years,
                      criteria=q.has(CRITERIA), choices=tuple(self.plans) if cross else ())

    def _who_everywhere(self, order: list[str], by_plan: dict[str, list[Hit]],
                        q: Query) -> Answer | None:
        """"Which department handles child marriage?" without a plan: each plan's lead."""
        parts = []
        for plan_id in order:
            hits = by_plan[plan_id]
            close = [h for h in hits if h.score >= DOMINANCE_RATIO * hits[0].score]
            answer = _who(self.plans[plan_id], close, q)
            if answer is not None and answer.parts:
                part = answer.parts[0]
                parts.append(PlanPart(part.plan, part.targets, part.objectives))
        if not parts:
            return None
        return Answer("choose_plan", tuple(p.plan.id for p in parts), tuple(parts),
                      about="responsibility", choices=tuple(self.plans))

    def _absent(self, ctx: Context) -> Answer:
        """The question names a topic the chosen plans have nothing about."""
        others = {h.item.plan_id for h in self.index.search(
            ctx.q.folded, set(ctx.skip), set(self.plans) - set(ctx.scope), ctx.topics)}
        topic = ctx.topics[0]
        parts = [PlanPart(self.plans[p], fact="topic") for p in ctx.scope]
        parts += [PlanPart(self.plans[p]) for p in self.plans if p in others]  # offered instead
        return Answer("not_stated", tuple(ctx.scope), tuple(parts),
                      topic=(topic.label_vi, topic.label_en))

    def _specific(self, plan: Plan, hits: list[Hit], q: Query) -> Answer | None:
        """A topic question about one target or objective asking for its value, its office
        or a year."""
        if not q.has(CRITERIA):
            hits = [h for h in hits if h.item.kind != "group"] or hits
        best = hits[0]
        close = [h for h in hits if h.score >= DOMINANCE_RATIO * best.score]
        if q.has(RESPONSIBLE):
            return _who(plan, close, q)
        if len({_unit(h.item) for h in close}) != 1:
            return None
        item = best.item
        if item.kind == "indicator" and item.target is not None:
            if not (q.years or q.has(VALUE_WORDS)):
                return None
            return tg.values(plan, [item.target], q, _precise(close))
        if item.kind == "objective" and item.objective is not None:
            obj = item.objective
            dated = {v.year for v in obj.values if v.year is not None}
            if q.years and dated and not dated & set(q.years):
                return Answer("no_value_for_year", (plan.id,),
                              (PlanPart(plan, objectives=(obj,)),), years=q.years)
        return None

    # ------------------------------------------------------------------ groups, criteria, goals

    def group(self, ctx: Context) -> Answer | None:
        q = ctx.q
        parts = []
        for plan in (self.plans[p] for p in (ctx.scope or list(self.plans))):
            group = next((g for g in plan.groups if g.number == q.group), None)
            if group is None:
                continue
            objectives = tuple(o for o in plan.objectives
                               if o.group == group.id and not _heading(o))
            parts.append(PlanPart(plan, objectives=objectives[:MAX_OBJECTIVES], groups=(group,)))
        if not parts:
            return None
        return Answer("topic", tuple(p.plan.id for p in parts), tuple(parts),
                      criteria=q.has(CRITERIA), about="group")

    def criteria(self, ctx: Context) -> Answer | None:
        """"13 tiêu chí": the criteria lists of the plans in scope."""
        if not ctx.q.has(CRITERIA) or not self._about_criteria(ctx):
            return None
        parts = [PlanPart(plan, groups=groups)
                 for plan in (self.plans[p] for p in (ctx.scope or list(self.plans)))
                 if (groups := tuple(g for g in plan.groups if g.criteria)[:1])]
        if not parts:
            return None
        asked = _CRITERION.search(ctx.q.folded)  # "tiêu chí 9": that one only
        number = int(asked.group(1)) if asked else None
        return Answer("topic", tuple(p.plan.id for p in parts), tuple(parts), criteria=True,
                      target_numbers=(number,) if number else ())

    def _about_criteria(self, ctx: Context) -> bool:
        """"tiêu chí" names the child-friendly criteria, not another criterion ("tiêu chí thi
        đua"): the question's other words are in the criteria groups' texts."""
        words = {w for i, w in enumerate(ctx.q.words) if i not in ctx.skip and w.isalpha()}
        words -= _CRITERIA_QUESTION
        if not words:
            return True
        known = self._criteria_words
        return len(words & known) >= CRITERIA_SHARE * len(words)

    def goal(self, ctx: Context) -> int | None:
        """The goal whose theme the question names ("bảo vệ trẻ em" → goal 2), if one."""
        words = [w for i, w in enumerate(ctx.q.words) if i not in ctx.skip]
        scores: dict[int, int] = {}
        for pair in pairwise(words):
            goals = self._goal_pairs.get(" ".join(pair), set())
            if len(goals) == 1:
                (number,) = goals
                scores[number] = scores.get(number, 0) + 1
        if not scores:
            return None
        best = max(scores.values())
        winners = [n for n, s in scores.items() if s == best]
        return winners[0] if len(winners) == 1 else None


# ---------------------------------------------------------------------- helpers


def _goal_pairs(plans: dict[str, Plan]) -> dict[str, set[int]]:
    """Word pair of a goal title → the goal numbers whose titles have it."""
    out: dict[str, set[int]] = {}
    for plan in plans.values():
        for goal in plan.goals:
            for text in (goal.title, goal.title_en):
                for pair in pairwise(fold(text).split()):
                    out.setdefault(" ".join(pair), set()).add(goal.number)
    return out


def _heading(obj: Objective) -> bool:
    """An objective that only introduces the ones below it ("Truyền thông về ...:")."""
    return obj.text.rstrip().endswith(":") and not obj.values


def _useful(hits: list[Hit], q: Query) -> list[Hit]:
    """Hits worth showing: no bare headings; with a year asked, objectives with a value
    for it (all hits when that would leave none)."""
    kept = [h for h in hits if not (h.item.objective and _heading(h.item.objective))] or hits
    if q.years:
        years = set(q.years)
        dated = [h for h in kept if h.item.objective is None
                 or any(v.year in years for v in h.item.objective.values)]
        kept = dated or kept
    return kept


def _for_years(obj: Objective, years: tuple[int, ...]) -> Objective:
    """The objective with only its values for ``years`` (and undated ones), if any are asked."""
    if not years:
        return obj
    values = [v for v in obj.values if v.year is None or v.year in years]
    return obj.model_copy(update={"values": values})


def _unit(item: Item) -> tuple[str, str]:
    if item.kind == "indicator" and item.target is not None:
        return ("target", str(item.target.number))
    if item.kind == "objective" and item.objective is not None:
        return ("objective", item.objective.id)
    return ("group", item.group.id if item.group else "")


def _precise(hits: list[Hit], strict: bool = True) -> set[str]:
    """Indicator ids among ``hits``, without the indicators of a target that the question
    singles out another one of ("tử vong trẻ dưới 1 tuổi": 3.2, not 3.1 and 3.3).

    The indicators of a target share its text (and so most of their score); what tells them
    apart is the score above the lowest one. For a value question (``strict``) an indicator is
    kept when it has at least INDICATOR_SHARE of the best one's lead, or is within SCORE_NOISE
    of it; in a topic list, unless it scores below LIST_RATIO of the best one.
    """
    scores: dict[int, list[float]] = {}
    for h in hits:
        if h.item.target is not None and h.item.indicator is not None:
            scores.setdefault(h.item.target.number, []).append(h.score)
    kept = set()
    for h in hits:
        if h.item.target is None or h.item.indicator is None:
            continue
        own = scores[h.item.target.number]
        best, base = max(own), min(own)
        if strict:
            keep = (best - h.score < SCORE_NOISE
                    or h.score - base >= INDICATOR_SHARE * (best - base))
        else:
            keep = h.score >= LIST_RATIO * best
        if keep:
            kept.add(h.item.indicator.id)
    return kept


def _lead_key(item: Target | Objective) -> tuple[str, ...] | None:
    return tuple(o.name for o in item.lead) if item.lead is not None else None


def _who(plan: Plan, close: list[Hit], q: Query) -> Answer | None:
    """Who leads what a topic question is about: its targets, else its objectives."""
    found: dict[int, Target] = {}
    objectives: dict[str, Objective] = {}
    for h in close:
        if h.item.target is not None:
            found.setdefault(h.item.target.number, h.item.target)
        elif h.item.objective is not None:
            objectives.setdefault(h.item.objective.id, h.item.objective)
    if found:
        return tg.responsibility(plan, list(found.values())[:MAX_TARGETS], (), q)
    if not objectives:
        return None
    distinct: dict[tuple[str, ...] | None, Objective] = {}
    for obj in objectives.values():
        distinct.setdefault(_lead_key(obj), obj)
    return tg.responsibility(plan, [], tuple(distinct.values())[:2], q)


def _topic_part(plan: Plan, hits: list[Hit], q: Query, max_targets: int,
                max_objectives: int) -> PlanPart:
    """The best targets (with their matching indicators), objectives and criteria lists."""
    best = hits[0].score
    shown = [h for h in hits if h.score >= KEEP_RATIO * best]
    precise = _precise(shown, strict=False)
    targets: dict[int, list[Indicator]] = {}
    target_of: dict[int, Target] = {}
    objectives: list[Objective] = []
    groups = []
    for hit in shown:
        item = hit.item
        if item.kind == "indicator" and item.target and item.indicator:
            if item.indicator.id not in precise:
                continue
            n = item.target.number
            if n in targets or len(targets) < max_targets:
                targets.setdefault(n, []).append(item.indicator)
                target_of[n] = item.target
        elif item.kind == "objective" and item.objective and len(objectives) < max_objectives:
            objectives.append(_for_years(item.objective, q.years))
        elif item.kind == "group" and item.group and item.group.criteria and q.has(CRITERIA):
            groups.append(item.group)
    parts = []
    for n, indicators in targets.items():
        target = target_of[n]
        wanted = {i.id for i in indicators}
        part = tg.target_part(target, q.years, wanted)
        parts.append(part or TargetPart(target, tuple(i for i in target.indicators
                                                     if i.id in wanted), tg.years_of(target)))
    return PlanPart(plan, tuple(parts), tuple(objectives), tuple(groups[:1]))
