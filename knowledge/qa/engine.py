"""The question-answering engine: question text (+ the user's plan) → ``Answer``."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from kernel.number_words import NUMBER_WORDS
from knowledge.loader import outline_of, plan_texts, source_text
from knowledge.normalize import contains_phrase, fold, word_set
from knowledge.qa import targets as tg
from knowledge.qa.answer import Answer, Fact, Kind, OfficeDuties, PlanPart, TargetPart
from knowledge.qa.clauses import split_questions
from knowledge.qa.deadlines import question_tags, select_deadlines
from knowledge.qa.duties import TASK_COVERAGE, DutyBook
from knowledge.qa.glossary import Glossary, load_glossary
from knowledge.qa.language import Language, LanguageGuess
from knowledge.qa.numbers import odd_numbers, spell_out_numbers
from knowledge.qa.offices import OFFICE_AT_LEVEL, OfficeMatcher
from knowledge.qa.parse import (
    ACROSS_PLANS,
    ACTION,
    AMOUNT,
    COMPARE,
    CRITERIA,
    DATE_QUESTION,
    DEADLINE_STRONG,
    DEADLINE_WEAK,
    DOC_DATE,
    DOC_INFO,
    DOC_NUMBER,
    DOC_SIGNER,
    DUTY_WORDS,
    FUNDING,
    FUNDING_SOURCES,
    GOAL_WORDS,
    GOALS_LIST,
    HELP,
    HOW_WORDS,
    KEYWORDS,
    OBJECTIVE_WORDS,
    OVERVIEW,
    RESPONSIBLE,
    SAYS,
    SOCIAL_FILLER,
    SOCIAL_PHRASES,
    VALUE_ASKED,
    WHICH_TARGETS,
    WHO_ASKS,
    Query,
    parse,
    social,
)
from knowledge.qa.passages import PassageHit, PassageIndex, content_words, query_terms
from knowledge.qa.plans import PlanMatcher, named_plans
from knowledge.qa.search import EN_STOP, VI_STOP
from knowledge.qa.spelling import Speller
from knowledge.qa.topics import Context, TopicAnswers
from knowledge.schema import Duty, Office, Plan, Target
from knowledge.sections import Section

#: An office of another plan must match this well to be named ("not in this plan").
OTHER_PLAN_OFFICE_SCORE = 0.75
SHORT_HELP = 3  # "trợ giúp", "help me": help, not a topic search
SHORT_OFFICE = 6  # a question that only names an office asks what it leads
#: A question that starts by naming an office ("Sở Văn hóa", not "phòng chống đuối nước").
OFFICE_START = re.compile(
    r"^(?:so(?! (?:sanh|hieu|quyet|lieu|vu|tre|luong|van ban|ke hoach))"
    r"|phong(?! (?:chong|ngua|tranh))|trung tam|cong an|uy ban|ubnd|thanh doan|huyen doan"
    r"|ban dan toc|hoi lien hiep|department|office|police|\w+ (?:department|office))\b"
)
#: A plan named by its decision ("Quyết định 4063", "QĐ 2221", "decision 4063").
_DECISION_NAMED = re.compile(r"\b(?:quyet dinh|qd|decision)\s+\d{3,}")
#: A question about the groups as a whole ("Nhóm 1 đến Nhóm 7", "những nhóm nào").
#: A document's number, folded: "2221/QĐ-UBND", "181-KH/TU", "28-CT/TW".
_DOCUMENT_NUMBER = re.compile(r"\b\d+ (?:qd|kh|ct|tb|nq|cv) [a-z]+\b")
#: A sum of money in a passage: "500.166.750 đồng", "2 tỷ".
_AN_AMOUNT = re.compile(r"\d[\d.,]* (?:dong|trieu|ty)\b")
#: A plan named by its directive: "Chỉ thị (số) 28" (aliases) and "CT 28" (typed).
_DIRECTIVE = re.compile(r"\bchi thi (?:so )?(\d+)\b")
_CT_NUMBER = re.compile(r"\bct ?(\d+)\b")
_ALL_GROUPS = re.compile(r"\bnhom \d+ den (?:nhom )?\d+|\b(?:nhung|cac|may|bao nhieu) nhom\b"
                         r"|\bnhom nao\b|\b(?:how many|which|what|list(?: of)?(?: the)?) groups\b")
#: A question naming an office by its kind ("Hội Chữ thập đỏ", "Phòng Nội vụ").
_NAMES_AN_OFFICE = re.compile(r"^(?:so|phong|ban|hoi|trung tam|uy ban|cong an)\s\w+")
#: Office type words: topic words right after one are part of an office name ("Sở Y tế").
OFFICE_TYPES = frozenset({"so", "phong", "tam", "ban", "hoi"})
OFFICE_NAME_WORDS = 4
#: A passage answers a question when it holds this share of the question's words.
PASSAGE_COVERAGE = 0.6
#: … and, for a question naming a task, before any topic answer, this share.
PASSAGE_FIRST_COVERAGE = 0.75
#: An English question's words are found less exactly in Vietnamese passages.
ENGLISH_COVERAGE = 0.75
#: Further passages are shown when they score this share of the best one.
PASSAGE_KEEP = 0.6
MAX_PASSAGES = 3
#: An overview question ("các chỉ tiêu của kế hoạch") has at most this many other words.
OVERVIEW_REST = 1
_OVERVIEW_WORDS = "tat ca liet ke danh sach toan bo gom every list plan"
_OVERVIEW_IGNORED = frozenset(
    " ".join(KEYWORDS).split() + list(VI_STOP) + list(EN_STOP) + _OVERVIEW_WORDS.split()
)


def _speller(plans: dict[str, Plan], glossary: Glossary) -> Speller:
    """A spelling corrector knowing every word of the plans (and their source documents, for
    everyday Vietnamese), the glossary and the keywords."""
    texts: list[str] = [*KEYWORDS, *glossary.words(), *SOCIAL_PHRASES, *SOCIAL_FILLER,
                        *VI_STOP, *EN_STOP, *NUMBER_WORDS]
    for plan in plans.values():
        texts += plan_texts(plan)
    return Speller(texts)


class QAEngine:
    """Answers questions about a fixed set of plans. Indexes are built once, here."""

    def __init__(self, plans: dict[str, Plan], glossary: Glossary | None = None) -> None:
        self.plans = plans
        self.glossary = glossary or load_glossary()
        self._plan_matcher = PlanMatcher(plans)
        self._offices = OfficeMatcher(plans, self.glossary)
        self._topics = TopicAnswers(plans, self.glossary)
        self._speller = _speller(plans, self.glossary)
        self._with_targets = [p.id for p in plans.values() if p.targets]
        self.passages = PassageIndex({p.id: outline_of(p) for p in plans.values()})
        self._directive_numbers = frozenset(
            int(m.group(1)) for p in plans.values() for alias in p.aliases
            if (m := _DIRECTIVE.search(fold(alias))))
        self._max_target = max((t.number for p in plans.values() for t in p.targets), default=0)
        self._book = DutyBook(plans, self.passages, {
            p.id: part.id for p in plans.values() for part in outline_of(p).top()
            if "to chuc thuc hien" in fold(part.title)})
        self._language = _language_guess(plans, self.glossary)
        #: Word pairs of the plans' own text ("y te", "ca nhan"), not of keywords.
        self._word_pairs = frozenset(
            pair for plan in plans.values() for text in plan_texts(plan)
            for pair in pairwise(fold(text).split()))
        self._office_words = frozenset(
            w for plan in plans.values() for o in plan.offices for w in fold(o.name).split()
        ) | frozenset(w for o in self.glossary.offices for t in (o.core, *o.terms)
                      for w in t.split())

    def language(self, text: str) -> Language | None:
        """The language a question is written in, when it is clear."""
        return self._language(text)

    # ------------------------------------------------------------------ public API

    def match_plans(self, text: str) -> list[str]:
        """Plan ids a free text names (``/plan tra vinh``)."""
        return self._plan_matcher.match(text)

    def ask(self, text: str, plan_id: str | None = None) -> Answer:
        """The answer to a message; one asking several questions gets the first answer with
        the others in ``also`` when they say more than the answer to the whole."""
        whole = self._ask_one(text, plan_id)
        questions = self._questions(text)
        if len(questions) < 2 or whole.with_lead or whole.kind in _WHOLE_ONLY:
            return whole
        answers: list[Answer] = []
        for question in questions:
            answer = self._ask_one(question, plan_id)
            if not answers and len(answer.plan_ids) == 1 and answer.kind not in _NOT_SPLIT:
                plan_id = answer.plan_ids[0]  # the plan the first question named, for the rest
            if answer.kind in _NOT_SPLIT or answer in answers:
                return whole  # a part that is no question of its own: answer the whole
            answers.append(answer)
        return replace(answers[0], also=tuple(answers[1:]))

    def _questions(self, text: str) -> list[str]:
        """The message's questions; a part that only names a plan ("Rạch Giá?") goes with
        the next one."""
        parts = split_questions(text)
        if len(parts) < 2:
            return parts
        questions: list[str] = []
        pending = ""
        for part in parts:
            q = parse(part, self._normalise)
            names = {i for m in self._plan_matcher.mentions(q.folded)
                     for i in range(m.start, m.end)}
            if not content_words(_without(q.folded, names)):
                pending = f"{pending} {part}"
                continue
            questions.append(f"{pending} {part}".strip())
            pending = ""
        if pending and questions:
            questions[-1] = f"{questions[-1]} {pending}"
        return questions

    def _ask_one(self, text: str, plan_id: str | None) -> Answer:
        answer, folded = self._ask(text, plan_id)
        if answer.kind in _QUOTING and answer.focus is None:
            focus = query_terms(self._search_text(folded))
            answer = replace(answer, focus=tuple(focus))
        return answer

    def search_query(self, text: str) -> str:
        """A question as passage search sees it: normalised and folded, plan names left out,
        English words in Vietnamese (bench.passages compares rankings on it)."""
        q = parse(text or "", self._normalise)
        skip = set(q.used)
        for m in self._plan_matcher.mentions(q.folded):
            skip |= set(range(m.start, m.end))
        return self._search_text(_without(q.folded, skip))

    def _ask(self, text: str, plan_id: str | None) -> tuple[Answer, str]:
        q = parse(text or "", self._normalise)
        return self._answer(q, text, plan_id), q.folded

    def _answer(self, q: Query, text: str, plan_id: str | None) -> Answer:
        if not q.folded:
            return Answer("help")
        talk = social(q.folded)
        if talk is not None:
            return Answer("help" if talk == "greeting" else "smalltalk", social=talk)
        odd = odd_numbers(text)
        if odd:
            return Answer("ask_back", odd=tuple(odd))
        mentions = self._plan_matcher.mentions(q.folded)
        named, q = self._narrow_by_year(_narrowest(mentions), q)
        skip = set(q.used)
        for m in mentions:
            skip |= set(range(m.start, m.end))
        chosen = plan_id if plan_id in self.plans else None
        scope = named or ([chosen] if chosen else [])
        rest = _without(q.folded, skip)
        if _DECISION_NAMED.search(q.folded):  # "Quyết định 4063": the decision's articles
            rest = f"{rest} quyet dinh"
        ctx = Context(q, named, scope, frozenset(skip), self.glossary.topics_in(rest))
        if q.targets:
            return self._targets(ctx)
        if q.goal is not None:
            return self._goal(ctx)
        if q.has(DOC_NUMBER) or q.has(DOC_DATE) or q.has(DOC_INFO) or q.has(DOC_SIGNER):
            return self._document(ctx)
        if q.has(HELP) and len(q.words) <= SHORT_HELP:
            return Answer("help")
        if q.has(FUNDING):
            return self._funding(ctx, rest)
        quoted = self._quoted(text, ctx)
        if quoted is not None:
            return quoted
        if q.has(SAYS):  # "kế hoạch nói gì về chế độ thống kê, báo cáo"
            said = self._section_answer(ctx, rest) or self._passages_answer(
                ctx, rest, PASSAGE_COVERAGE)
            if said is not None:
                return said
        office_first = bool(OFFICE_START.match(rest)) and len(rest.split()) <= SHORT_OFFICE
        answer = None
        if q.has(DEADLINE_STRONG) and self._offices.find(self._office_text(ctx)):
            answer = self._deadlines(ctx, office_only=True)  # "Phòng LĐTBXH báo cáo cho ai"
        if answer is None and not (q.has(WHO_ASKS) and not office_first):
            answer = self._office(ctx, require_intent=not office_first)  # not "ai chủ trì X"
        if answer is None and q.has(DUTY_WORDS) and ctx.scope and _NAMES_AN_OFFICE.search(rest):
            # "Hội Chữ thập đỏ làm gì": an office the plan never names
            return Answer("unknown", tuple(ctx.scope),
                          tuple(PlanPart(self.plans[p]) for p in ctx.scope))
        if answer is None and self._is_deadline_question(ctx):
            answer = self._deadlines(ctx)
        if answer is None and _ALL_GROUPS.search(q.folded):
            answer = self._groups_overview(ctx)  # "những nhóm mục tiêu nào (Nhóm 1 đến 7)"
        if answer is None and q.has(GOALS_LIST) and q.group is None:  # "mấy mục tiêu, tên gì"
            answer = self._overview(ctx)
        if answer is None and q.group is not None:
            answer = self._group_leads(ctx) if q.has(RESPONSIBLE) else None
            answer = answer or self._topics.group(ctx)
        if answer is None and q.has(RESPONSIBLE):
            answer = self._who(ctx, rest)
        if answer is None and q.has(HOW_WORDS) and not (q.has(RESPONSIBLE) or q.has(CRITERIA)):
            answer = self._section_answer(ctx, rest) or self._passages_answer(
                ctx, rest, PASSAGE_FIRST_COVERAGE)
        if answer is None and q.has(OBJECTIVE_WORDS) and (goal := self._topics.goal(ctx)) and any(
                self.plans[p].goals for p in (ctx.scope or self.plans)):
            answer = self._goal(replace(ctx, q=replace(q, goal=goal)))  # "mục tiêu về …"
        if answer is None:
            answer = self._topics.topic(ctx)
        if answer is None and len(q.words) <= SHORT_OFFICE:
            answer = self._office(ctx, require_intent=False)  # just an office: "LĐTBXH"
        return answer or self._fallback(ctx, rest)

    def _who(self, ctx: Context, rest: str) -> Answer | None:
        """Who leads what the question names: a target's or objective's lead from the topic
        when the plan states one and the question names no activity of its own; else the
        offices assigned a task like it, quoted."""
        topic = self._topics.topic(ctx)
        task = self._task_lead(ctx, rest)
        if task is not None and (self._names_a_task(ctx) or not _states_leads(topic)
                                 or len(ctx.topics) > 1):  # "xâm hại trên môi trường mạng"
            return task
        if topic is None:
            return None
        valued = self._value_and_lead(ctx, topic)
        return valued or self._with_assignments(topic, self._focus(ctx))

    def _value_and_lead(self, ctx: Context, topic: Answer) -> Answer | None:
        """"tỷ lệ khai sinh năm 2025 bao nhiêu, sở nào chủ trì": the topic's targets in one
        plan, with their values and leads (both questions answered)."""
        q = ctx.q
        if topic.kind not in ("responsibility", "not_stated") or len(topic.parts) != 1 or not (
                q.has(VALUE_ASKED) or q.years):
            return None
        part = topic.parts[0]
        numbers = tuple(tp.target.number for tp in part.targets)
        if not numbers or part.objectives:
            return None
        return self._target_answer(part.plan, replace(q, targets=numbers))

    def _names_a_task(self, ctx: Context) -> bool:
        """The question names an activity ("tuyên truyền", "hướng dẫn") beyond its topic
        ("dạy bơi" is the drowning topic, not a task of its own)."""
        topic = self.glossary.topic_words(ctx.q.folded)
        return ACTION.search(_without(ctx.q.folded, topic)) is not None

    def _normalise(self, folded: str) -> str:
        """Words typed together split, short forms written out, typos fixed, numbers in words
        written as digits, abbreviations written out."""
        written = self.glossary.expand_short(self._speller.segment(folded), self._word_pairs)
        corrected = spell_out_numbers(self._speller.correct(spell_out_numbers(written)))
        return self._directives(self.glossary.expand(corrected))

    def _directives(self, folded: str) -> str:
        """"kh ct28": "CT" with a number no plan has as a target but a plan names as its
        directive ("Chỉ thị 28") is that directive."""
        def written(m: re.Match[str]) -> str:
            number = int(m.group(1))
            if number in self._directive_numbers and number > self._max_target:
                return f"chi thi {number}"
            return m.group(0)
        return _CT_NUMBER.sub(written, folded) if self._directive_numbers else folded

    def _fallback(self, ctx: Context, rest: str) -> Answer:
        """Questions no target, office, deadline or topic answers: criteria lists, a goal's
        theme ("bảo vệ trẻ em"), the plan's overview, else help."""
        q = ctx.q
        answer = self._topics.criteria(ctx)
        if answer is None and (goal := self._topics.goal(ctx)) is not None:
            answer = self._goal(replace(ctx, q=replace(q, goal=goal)))
        if answer is None and q.has(OVERVIEW) and len(
                [w for w in rest.split() if w not in _OVERVIEW_IGNORED]) <= OVERVIEW_REST:
            answer = self._overview(ctx)
        if answer is None:
            answer = self._section_answer(ctx, rest) or self._passages_answer(
                ctx, rest, PASSAGE_COVERAGE)
        if answer is None and ctx.named and not content_words(rest):
            return self._overview(ctx)  # just a plan's name: what it holds
        if answer is None:
            help_words = q.has(HELP) and len(q.words) <= 2 * SHORT_HELP
            if help_words:
                return Answer("help")
            # Nothing in the plans in scope: say so for those plans, suggest what to ask.
            scope = tuple(ctx.scope) if self.passages.speaks_of(rest, ctx.scope) else ()
            answer = Answer("unknown", scope, tuple(PlanPart(self.plans[p]) for p in scope),
                            years=q.years)
        return answer

    def _narrow_by_year(self, named: list[str], q: Query) -> tuple[list[str], Query]:
        """"kế hoạch 2024", "the 2021-2030 plan", "trà vinh 2024": keep the plans issued in /
        covering it."""
        if not (q.plan_years or q.period):
            return self._narrow_by_issue_year(named, q)
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

    def _narrow_by_issue_year(self, named: list[str], q: Query) -> tuple[list[str], Query]:
        """Two plans of one province named with a year that starts one of them ("sở lđtbxh trà
        vinh 2024"): that plan, and the year names it rather than a value."""
        if len(named) < 2 or not q.years:
            return named, q
        plans = [self.plans[p] for p in named]
        starts = {p.id: p.period_start for p in plans}
        narrowed = [p for p in plans if starts[p.id] in q.years]
        if not narrowed or len(narrowed) == len(plans) or (
                q.targets and not any(p.targets for p in narrowed)):
            return named, q
        used = {starts[p.id] for p in narrowed}
        return [p.id for p in narrowed], replace(
            q, years=tuple(y for y in q.years if y not in used), plan_years=tuple(used))

    # ------------------------------------------------------------------ numbered targets

    def _targets(self, ctx: Context) -> Answer:
        q = ctx.q
        with_targets = [p for p in ctx.named if self.plans[p].targets]
        if len(with_targets) >= 2:
            parts = [tg.part_or_empty(self.plans[p], q) for p in with_targets]
            kind: Kind = "responsibility" if q.has(RESPONSIBLE) else "target_value"
            return Answer(kind, tuple(with_targets), tuple(parts), q.targets, years=q.years)
        if q.has(COMPARE) and not (ctx.scope and len(q.years) > 1 and not q.has(ACROSS_PLANS)):
            return self._compare(q)  # not "chỉ tiêu 14 năm 2025 so với 2030": that is one plan
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
        if q.has(RESPONSIBLE) and not (q.has(VALUE_ASKED) or q.years):
            return self._with_assignments(tg.responsibility(plan, found, (), q))
        answer = tg.values(plan, found, q)
        if q.has(RESPONSIBLE) and answer.kind == "target_value":  # "bao nhiêu, ai chủ trì?"
            answer = replace(answer, with_lead=True)
        if q.has(GOAL_WORDS) and answer.kind == "target_value":  # "chỉ tiêu 13 thuộc mục tiêu nào"
            answer = replace(answer, goal_number=found[0].goal)
        return answer

    def _target_parts_everywhere(self, q: Query) -> list[PlanPart]:
        parts = [tg.part_or_empty(self.plans[p], q) for p in self._with_targets]
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

    def _goal(self, ctx: Context) -> Answer:
        number = ctx.q.goal
        if not ctx.scope:
            parts = [PlanPart(self.plans[p], tg.goal_targets(self.plans[p], number))
                     for p in self._with_targets]
            return self._choose(ctx.q, "goal_targets", [p for p in parts if p.targets])
        with_targets = [p for p in ctx.scope if self.plans[p].targets]
        plan = self.plans[(with_targets or ctx.scope)[0]]
        targets = tg.goal_targets(plan, number)
        if not targets:
            return Answer("no_such_target", (plan.id,), (PlanPart(plan),), goal_number=number)
        return Answer("goal_targets", (plan.id,), (PlanPart(plan, targets),), goal_number=number)

    def _document(self, ctx: Context) -> Answer:
        if not ctx.scope:
            return self._choose(ctx.q, "document", [PlanPart(p) for p in self.plans.values()])
        asked: list[Fact] = [f for f, words in (("document.number", DOC_NUMBER),
                                                 ("document.signer", DOC_SIGNER))
                             if ctx.q.has(words)] or ["document.date"]
        scope = [self.plans[p] for p in ctx.scope]
        parts = []
        for plan in scope:
            values = {"document.number": plan.document.number,
                      "document.date": plan.document.date,
                      "document.signer": plan.document.signer}
            missing = next((f for f in asked if not values[f]), None)
            parts.append(PlanPart(plan, fact=None if (
                not missing or ctx.q.has(DOC_INFO)) else missing))
        ids = tuple(p.plan.id for p in parts)
        if any(p.fact is None for p in parts):
            return Answer("document", ids, tuple(parts))
        return Answer("not_stated", ids, tuple(parts))

    def _groups_overview(self, ctx: Context) -> Answer | None:
        """"Những nhóm mục tiêu nào": the plans' groups by name (not their goals)."""
        answer = self._overview(ctx)
        if not any(p.plan.groups for p in answer.parts):
            return None
        return replace(answer, about="groups") if answer.kind == "overview" else answer

    def _overview(self, ctx: Context) -> Answer:
        """The goals and targets (or specific objectives) of the plans in scope."""
        parts = [PlanPart(p, tuple(TargetPart(t, ()) for t in p.targets),
                          tuple(o for o in p.objectives if not o.group), p.groups)
                 for p in (self.plans[i] for i in ctx.scope or self.plans)]
        if not ctx.scope:
            return self._choose(ctx.q, "overview", parts)
        return Answer("overview", tuple(ctx.scope), tuple(parts))

    # ------------------------------------------------------------------ offices

    def _office(self, ctx: Context, require_intent: bool = True) -> Answer | None:
        q = ctx.q
        if require_intent and not (q.has(WHICH_TARGETS) or q.has(RESPONSIBLE)
                                   or q.has(DUTY_WORDS)):
            return None
        folded = self._office_text(ctx)
        if not self._offices.find(folded):
            return None
        if q.has(DUTY_WORDS) and (
                duties := self._office_duties(ctx, folded)):
            return duties
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
        if not parts:  # "Phòng Nội vụ" in a plan that never names it: say so
            named = self._offices.find(folded)
            if not named or len(folded.split()) > SHORT_OFFICE + 4:
                return None
            parts = [PlanPart(plan, duties=OfficeDuties(named[0], in_plan=False))
                     for plan in scope]
            return Answer("office_leads_nothing", tuple(p.plan.id for p in parts),
                          tuple(parts))
        ids = tuple(p.plan.id for p in parts)
        if all(_leads_unstated(p.plan) for p in parts):
            return Answer("not_stated", ids,
                          tuple(replace(p, fact="office") for p in parts))
        if any(p.duties and p.duties.leads_anything for p in parts):
            return Answer("office_targets", ids, tuple(parts))
        return Answer("office_leads_nothing", ids, tuple(parts))

    def _office_text(self, ctx: Context) -> str:
        """The question without plan names, numbers and topic words ("bảo hiểm y tế" names no
        office), except topic words that follow an office type word ("Sở Y tế", "Sở Văn hóa")."""
        words = ctx.q.words
        named: set[int] = set()
        for i, word in enumerate(words):
            if word in OFFICE_TYPES:
                named |= set(range(i + 1, i + 1 + OFFICE_NAME_WORDS))
        topic = self.glossary.topic_words(ctx.q.folded) - named
        numbers = {i for m in _DOCUMENT_NUMBER.finditer(ctx.q.folded)  # "2221/QĐ-UBND"
                   for i in range(ctx.q.folded.count(" ", 0, m.start()),
                                  ctx.q.folded.count(" ", 0, m.end()) + 1)}
        level = OFFICE_AT_LEVEL.search(ctx.q.folded)  # "ubnd tinh tra vinh": keep "tinh"
        kept = set(range(ctx.q.folded.count(" ", 0, level.start(1)),
                         ctx.q.folded.count(" ", 0, level.end(1)) + 1)) if level else set()
        text = _without(ctx.q.folded, (set(ctx.skip) - kept) | topic | numbers)
        # "trong kế hoạch này" names no office ("Phòng Tài chính - Kế hoạch" does), nor does
        # "cơ sở y tế" (a health facility, not "Sở Y tế").
        if not re.search(r"\b(?:tai chinh|dau tu|planning)\b", text):
            text = re.sub(r"\bke hoach\b", " ", text)
        text = re.sub(r"\bgiai doan\b", " ", text)  # "giai đoạn 2021-2030" names no Đoàn
        text = re.sub(r"\bco so(?: \w+){0,2}", " ", text)  # cơ sở y tế: a facility
        text = re.sub(r"\bquy(?: \w+){0,4}", " ", text)  # Quỹ Bảo trợ trẻ em: a fund
        return " ".join(text.split())

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

    def _office_duties(self, ctx: Context, folded: str) -> Answer | None:
        """What the office a question names must do, in each plan in scope."""
        plans = [self.plans[p] for p in (ctx.scope or self.plans)]
        parts = []
        focus = self._focus(ctx)
        for plan in plans:
            duties = self._duties(plan, folded)
            if duties is None or not duties.in_plan:
                continue
            offices = [o for o in self._offices.find(folded, plan.id)] or [duties.office]
            office = max(offices, key=lambda o: len(self._book.of_office(plan, o.name)))
            assigned = self._book.of_office(plan, office.name, focus)
            within = self._named_sections(ctx, plan)
            if within:  # "… trong Nhóm 7", "… trong phần tổ chức thực hiện"
                assigned = tuple(d for d in assigned if d.section.startswith(within)) or assigned
            if not assigned:
                continue
            parts.append(PlanPart(plan, assigned=assigned, duties=duties))
        if not parts:
            return None
        if not ctx.scope:
            return self._choose(ctx.q, "office_duties", parts)
        return Answer("office_duties", tuple(p.plan.id for p in parts), tuple(parts),
                      focus=tuple(query_terms(focus)))

    # ------------------------------------------------------------------ tasks, money, text

    def _task_lead(self, ctx: Context, rest: str) -> Answer | None:
        """Who is assigned a task the question names ("ai chủ trì phòng, chống đuối nước")."""
        hits = self._book.for_task(self._search_text(rest), ctx.scope or list(self.plans),
                                   coverage=self._coverage(ctx, TASK_COVERAGE))
        if ctx.topics:  # the task must be about the topic asked ("tảo hôn"), not near it
            terms = [t for topic in ctx.topics for t in topic.vi]
            hits = [h for h in hits if any(contains_phrase(fold(h.hit.passage.text), t)
                                           for t in terms)]
        if not hits:
            return None
        parts: dict[str, PlanPart] = {}
        for task in hits:
            part = parts.get(task.plan_id) or PlanPart(self.plans[task.plan_id])
            parts[task.plan_id] = replace(part, assigned=part.assigned + task.duties,
                                          passages=part.passages + (task.hit,))
        ids = tuple(parts)
        return Answer("task_lead", ids, tuple(parts.values()),
                      choices=() if ctx.scope else tuple(self.plans))

    def _funding(self, ctx: Context, rest: str) -> Answer:
        """The funding of the plans in scope; what a question asks of it in particular
        ("quận huyện được vận động kinh phí nước ngoài không") from the passages on money."""
        q = ctx.q
        plans = [self.plans[p] for p in (ctx.scope or self.plans)]
        amount = q.has(AMOUNT)
        if not ctx.scope:
            parts = tuple(PlanPart(plan) for plan in plans)
            return Answer("choose_plan", tuple(p.plan.id for p in parts), parts,
                          about="funding", choices=tuple(self.plans), amount=amount)
        asked = " ".join(w for w in _without(rest, _money_words(rest)).split()
                         if w not in _FUNDING_GENERIC)
        if amount and len(content_words(asked)) >= 2:  # "mỗi năm trợ giúp bao nhiêu tiền"
            hits = [h for h in self.passages.search(self._search_text(rest), ctx.scope,
                                                    limit=MAX_PASSAGES * 3)
                    if h.answers(PASSAGE_COVERAGE) and _AN_AMOUNT.search(fold(h.passage.text))]
            if hits:
                return self._passages_from(hits, ctx)
        parts = []
        for plan in plans:
            hits: tuple[PassageHit, ...] = ()
            if len(content_words(asked)) >= 1 and not amount:
                found = self.passages.search(self._search_text(rest), [plan.id], limit=3,
                                             any_pairs=FUNDING_PAIRS)
                hits = tuple(h for h in found if h.answers(PASSAGE_COVERAGE))
            parts.append(PlanPart(plan, passages=hits[:2]))
        return Answer("funding", tuple(p.plan.id for p in parts), tuple(parts), amount=amount,
                      with_sources=q.has(FUNDING_SOURCES))

    def _quoted(self, text: str, ctx: Context) -> Answer | None:
        """A phrase in quotation marks ("mô hình “Làm cha mẹ không ai hoàn hảo”"): the
        passages that have it."""
        phrases = [fold(m) for m in _QUOTED.findall(text or "")]
        phrases = [p for p in phrases if len(p.split()) >= 2]
        if not phrases or ctx.q.targets:
            return None
        required = [w for p in phrases for w in p.split()]
        hits = self.passages.search(" ".join(phrases), ctx.scope or list(self.plans),
                                    limit=MAX_PASSAGES, required=required)
        if not hits:
            return None
        return self._passages_from(hits, ctx)

    def _focus(self, ctx: Context) -> str:
        """What a question about an office asks of it in particular: its words but those of
        office names and of asking ("Sở Y tế làm gì về đuối nước" → "duoi nuoc")."""
        words = [w for i, w in enumerate(ctx.q.words) if i not in ctx.skip]
        return " ".join(w for w in words if w not in _FOCUS_STOP and w not in self._office_words)

    def _named_sections(self, ctx: Context, plan: Plan) -> tuple[str, ...]:
        """Sections a question names: its group ("nhóm 7"), or a heading it repeats
        ("tổ chức thực hiện", "kinh phí thực hiện")."""
        if ctx.q.group is not None:
            return tuple(f"{g.section}." for g in plan.groups if g.number == ctx.q.group)
        words = set(ctx.q.words)
        named = []
        for section in outline_of(plan).top():
            title = set(fold(section.title).split()) - _SECTION_IGNORED
            if len(title) >= 2 and title <= words:
                named.append(f"{section.id}.")
        return tuple(named)

    def _group_leads(self, ctx: Context) -> Answer | None:
        """Who leads the tasks of a group ("Nhóm 2 ai chủ trì"): its assignments, quoted."""
        parts = []
        for plan in (self.plans[p] for p in (ctx.scope or self.plans)):
            group = next((g for g in plan.groups if g.number == ctx.q.group), None)
            if group is None:
                continue
            assigned = self._book.in_section(plan, f"{group.section}.b", role="lead")
            if assigned:
                parts.append(PlanPart(plan, assigned=assigned, groups=(group,)))
        if not parts:
            return None
        return Answer("office_duties", tuple(p.plan.id for p in parts), tuple(parts),
                      about="task_lead")

    def _section_answer(self, ctx: Context, rest: str) -> Answer | None:
        """A question naming a section by its heading ("nhiệm vụ và giải pháp", "mục đích",
        "tổ chức thực hiện"): that section, its items or its passages."""
        words = set(self._search_text(rest).split()) - _SECTION_IGNORED
        if not words - _EVERYWHERE:  # "trẻ em" alone names no section
            return None
        best: tuple[float, int, str, Section] | None = None
        for plan_id in ctx.scope or list(self.plans):
            for section in outline_of(self.plans[plan_id]).sections.values():
                title = set(fold(section.title).split()) - _SECTION_IGNORED
                if not title:
                    continue
                shared = len(words & title)
                whole = shared == len(title) and shared >= SECTION_SHARE * len(words)
                most = shared >= SECTION_MOST * len(words) and shared >= min(
                    SECTION_LEAST, SECTION_SHARE * len(title))
                if not (whole or most):  # a heading, or most of a long item's title
                    continue
                key = (shared / len(words), -section.id.count("."), plan_id, section)
                if best is None or key[:2] > best[:2]:
                    best = key
        if best is None:
            return None
        plan_id, section = best[2], best[3]
        return Answer("passages", (plan_id,), (PlanPart(self.plans[plan_id],
                                                        sections=(section,)),))

    def _with_assignments(self, answer: Answer, focus: str = "") -> Answer:
        """A responsibility answer with the sentences that assign each target to its lead
        office ("Công an thành phố: Chủ trì … để thực hiện chỉ tiêu 9", V.3)."""
        if answer.kind != "responsibility":
            return answer
        parts = []
        for part in answer.parts:
            found: list[Duty] = []
            for tp in part.targets:
                for office in tp.target.lead or []:
                    found += self._book.assigning(part.plan, office.name, tp.target.number)
                    closest = self._book.of_office(part.plan, office.name, focus)[:1]
                    found += [d for d in closest if focus and _shares(focus, d.text)]
            for obj in part.objectives:  # the leads' duties closest to what is asked
                for office in obj.lead or []:
                    duties = self._book.of_office(part.plan, office.name, focus)
                    group = next((g for g in part.plan.groups if g.id == obj.group), None)
                    if group is not None:
                        duties = tuple(d for d in duties
                                       if d.section.startswith(group.section + "."))
                    found += [d for d in duties[:1] if d.role == "lead"]
            parts.append(replace(part, assigned=tuple(dict.fromkeys(found))))
        return replace(answer, parts=tuple(parts))

    def _coverage(self, ctx: Context, share: float) -> float:
        """The share of a question's words a passage must have; less for a question not
        clearly in Vietnamese, whose English words are searched through their Vietnamese
        (never word for word)."""
        return share if self._language(ctx.q.text) == "vi" else share * ENGLISH_COVERAGE

    def _search_text(self, folded: str) -> str:
        """The question for full-text search: English words get their Vietnamese (the plans
        are written in Vietnamese)."""
        return self.glossary.to_vietnamese(folded)

    def _passages_answer(self, ctx: Context, rest: str, coverage: float) -> Answer | None:
        """The passages of the plans in scope that answer the question, quoted."""
        if not set(content_words(rest)) - _EVERYWHERE:  # "trẻ em Kon Rẫy 2025": too little
            return None
        plan_ids = ctx.scope or list(self.plans)
        hits = [h for h in self.passages.search(self._search_text(rest), plan_ids,
                                                limit=MAX_PASSAGES * 3)
                if h.answers(self._coverage(ctx, coverage))]
        if not hits:
            return None
        return self._passages_from(hits, ctx)

    def _passages_from(self, hits: list[PassageHit], ctx: Context) -> Answer:
        best = hits[0].score
        hits = [h for h in hits if h.score >= PASSAGE_KEEP * best]
        if not ctx.scope:  # the best passage of each plan, best plans first
            per_plan: dict[str, PassageHit] = {}
            for h in hits:
                per_plan.setdefault(h.plan_id, h)
            hits = list(per_plan.values())
        parts: dict[str, PlanPart] = {}
        for h in hits[:MAX_PASSAGES]:
            part = parts.get(h.plan_id) or PlanPart(self.plans[h.plan_id])
            parts[h.plan_id] = replace(part, passages=part.passages + (h,))
        return Answer("passages", tuple(parts), tuple(parts.values()),
                      choices=() if ctx.scope else tuple(self.plans))

    # ------------------------------------------------------------------ deadlines

    def _is_deadline_question(self, ctx: Context) -> bool:
        q = ctx.q
        if q.has(DEADLINE_STRONG):
            return True
        if not q.has(DEADLINE_WEAK) or q.has(WHO_ASKS):  # "ai hướng dẫn … đánh giá": a task
            return False
        plans = ctx.scope or list(self.plans)
        strict = any(select_deadlines(self.plans[p], q.folded, strict=True) for p in plans)
        return strict or not ctx.topics

    def _deadlines(self, ctx: Context, office_only: bool = False) -> Answer | None:
        q = ctx.q
        plan_ids = ctx.scope or [p.id for p in self.plans.values() if p.deadlines]
        if office_only:  # the reports of the office the question names
            text = self._office_text(ctx)
            parts = []
            for plan_id in plan_ids:
                plan = self.plans[plan_id]
                names = [fold(o.name) for o in self._offices.find(text, plan_id)]
                mine = [d for d in plan.deadlines if any(
                    n in fold(f"{d.reporter or ''} {d.recipient or ''}") for n in names)]
                if mine:
                    parts.append(PlanPart(plan, deadlines=tuple(mine)))
            if not parts:
                return None
            return Answer("deadlines", tuple(p.plan.id for p in parts), tuple(parts),
                          years=q.years)
        # Across plans, a plan shows only deadlines of the kind asked (if a kind is asked).
        strict = not ctx.scope and any(
            select_deadlines(self.plans[p], q.folded, strict=True) for p in plan_ids)
        parts = []
        for plan_id in plan_ids:
            plan = self.plans[plan_id]
            chosen = select_deadlines(plan, q.folded, strict=strict)
            if chosen:
                parts.append(PlanPart(plan, deadlines=tuple(chosen)))
        rest = _without(q.folded, set(ctx.skip))
        extra = {w for w in content_words(self._search_text(rest)) if w.isalpha()} - _REPORT_WORDS
        if parts and ctx.scope and extra and not any(
                extra <= set(fold(d.text).split()) for p in parts for d in p.deadlines):
            # "có khó khăn vướng mắc thì báo cáo ai": a passage says it, not a deadline
            said = self._passages_answer(ctx, rest, PASSAGE_FIRST_COVERAGE)
            if said is not None:
                return said
        if not parts and ctx.scope:  # the plan may still say something of it
            said = self._passages_answer(ctx, _without(q.folded, set(ctx.skip)),
                                         PASSAGE_FIRST_COVERAGE)
            if said is not None:
                return said
        if not parts:
            if ctx.scope and question_tags(q.folded):  # "sơ kết" in a plan without one
                return Answer("not_stated", tuple(plan_ids), tuple(
                    PlanPart(self.plans[p], deadlines=tuple(self.plans[p].deadlines),
                             fact="deadline_kind" if self.plans[p].deadlines else "deadline")
                    for p in plan_ids))
            return Answer("not_stated", tuple(plan_ids),
                          tuple(PlanPart(self.plans[p], fact="deadline") for p in plan_ids))
        if q.has(DATE_QUESTION) and not any(d.month for p in parts for d in p.deadlines):
            return Answer("not_stated", tuple(p.plan.id for p in parts),
                          tuple(replace(p, fact="deadline_date") for p in parts))
        return Answer("deadlines", tuple(p.plan.id for p in parts), tuple(parts),
                      years=q.years)

    # ------------------------------------------------------------------ topics

# ---------------------------------------------------------------------- helpers


def _without(folded: str, skip: set[int] | frozenset[int]) -> str:
    return " ".join(w for i, w in enumerate(folded.split()) if i not in skip)


def _names(offices: list[Office], name: str) -> bool:
    key = fold(name)
    return any(fold(o.name) == key for o in offices)


def _led_targets(plan: Plan, name: str) -> list[Target]:
    return [t for t in plan.targets if t.lead and _names(t.lead, name)]


def _leads_unstated(plan: Plan) -> bool:
    """True when the document assigns no target and no objective to any office."""
    return bool(plan.targets) and all(t.lead is None for t in plan.targets) and not any(
        o.lead for o in plan.objectives)


def _language_guess(plans: dict[str, Plan], glossary: Glossary) -> LanguageGuess:
    vietnamese: list[str] = [*VI_STOP]
    english: list[str] = [*EN_STOP]
    for plan in plans.values():
        vietnamese += source_text(plan).splitlines()  # the documents: Vietnamese only
        english += [plan.name_en, *(g.title_en for g in plan.goals),
                    *(g.title_en for g in plan.groups), *(d.text_en for d in plan.deadlines)]
        english += [i.label_en for t in plan.targets for i in t.indicators]
    english += [w for t in glossary.topics for w in t.en]
    english += [w for o in glossary.offices for w in o.terms]
    names = [a for plan in plans.values() for a in (*plan.aliases, plan.jurisdiction)]
    return LanguageGuess(vietnamese, english, names)



#: Answers that quote the plans: their quotes start where the question's words are.
#: Answers after which a message is not split: it asked nothing the parts could answer
#: better (help, small talk, nothing found, a plan to choose, a number to ask back).
_NOT_SPLIT = frozenset({"help", "smalltalk", "unknown", "choose_plan", "ask_back"})
_WHOLE_ONLY = _NOT_SPLIT - {"unknown"}
_QUOTING = frozenset({"passages", "task_lead", "office_duties", "funding", "deadlines",
                      "responsibility"})


#: Quoted phrases: “…”, "…", «…».
_QUOTED = re.compile(r"[“\"«]([^”\"»]{3,80})[”\"»]")
#: Money words: a funding passage has one of these pairs.
FUNDING_PAIRS = frozenset({"kinh_phi", "ngan_sach", "nguon_von", "du_toan", "nguon_luc",
                           "tai_chinh", "von_hop", "nguon_kinh"})
_FUNDING_WORDS = re.compile(
    r"\b(?:kinh phi|ngan sach|nguon von|budget|funding|funds?|money)\b")


def _money_words(folded: str) -> set[int]:
    """Word positions of the money words in a folded question."""
    positions: set[int] = set()
    for m in _FUNDING_WORDS.finditer(folded):
        first = folded.count(" ", 0, m.start())
        positions |= set(range(first, first + m.group(0).count(" ") + 1))
    return positions


#: Words of any question about reports that say nothing in particular of one.
_REPORT_WORDS = word_set(
    "bao cao gui nop ve dau han thoi han khi nao bao gio dinh ky hang hangnam lan may so ket "
    "tong ket ket qua thuc hien ke hoach cap tren len report reports reporting send sent whom "
    "where when often how deadline deadlines due results result submit review reviews "
    "district districts commune communes units unit department departments vi tre em plan "
    "children final mid term midterm thang ngay han hang nao gui")
#: Words of any question about money that say nothing in particular of it.
_FUNDING_GENERIC = word_set(
    "thuc hien ke hoach vi tre em nguon lay tu dau nhung nao gi the nao bao gom gom co duoc "
    "cho cua la nam plan children sources source where from come comes what which whats "
    "hanh dong chuong trinh")
#: Words that say nothing of what is asked of an office.
_FOCUS_STOP = word_set(
    "co nhiem vu gi lam phai cua trong ke hoach nay theo va cac nhung viec duoc giao ve "
    "what does do the of in for must should duties tasks role responsibilities plan this "
    "so phong trung tam ban hoi uy nhan dan thanh pho tinh huyen xa phuong")
#: Heading words that every plan has ("của kế hoạch", "thực hiện").
_SECTION_IGNORED = word_set(
    "ke hoach cua kh nay la gi nhung the nao giai doan nam va cac gom co khong ko j "
    "the of a an and what are is which plan plans")
#: Words in nearly every passage: alone they name nothing.
_EVERYWHERE = word_set("tre em children child kids")
SECTION_SHARE = 0.6
SECTION_MOST = 0.8
SECTION_LEAST = 4  # words of a long item's title a question must repeat


def _states_leads(answer: Answer | None) -> bool:
    """The answer names the offices that lead what it shows."""
    if answer is None or answer.kind not in ("responsibility", "choose_plan"):
        return False
    return any(tp.target.lead for p in answer.parts for tp in p.targets) or any(
        o.lead for p in answer.parts for o in p.objectives)


def _narrowest(mentions: list) -> list[str]:
    """The plans every mention names ("Trà Vinh … Quyết định 2221": the 2021 plan), else all
    the plans named ("Hồ Chí Minh và Trà Vinh")."""
    sets = [set(m.plan_ids) for m in mentions]
    if len(sets) > 1:
        common = set.intersection(*sets)
        if common:
            return [p for p in named_plans(mentions) if p in common]
    return named_plans(mentions)


def _shares(focus: str, text: str, at_least: int = 2) -> bool:
    """The text has at least two of the focus words (one pair counts as two)."""
    words = focus.split()
    pairs = {f"{a} {b}" for a, b in pairwise(words)}
    folded = f" {fold(text)} "
    hits = sum(f" {w} " in folded for w in set(words)) + sum(f" {p} " in folded for p in pairs)
    return hits >= at_least + 1
