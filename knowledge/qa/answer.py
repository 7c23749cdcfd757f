"""What the question-answering core returns: a kind, the plans drawn on, structured parts.

No text for the user lives here; ``knowledge.render`` turns an ``Answer`` into a reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from knowledge.qa.numbers import OddNumber
from knowledge.qa.passages import PassageHit
from knowledge.schema import Deadline, Duty, Group, Indicator, Objective, Office, Plan, Target
from knowledge.sections import Section

Kind = Literal[
    "target_value",
    "responsibility",
    "office_targets",
    "goal_targets",
    "topic",
    "compare",
    "deadlines",
    "document",
    "choose_plan",
    "no_such_target",
    "no_value_for_year",
    "not_stated",
    "office_leads_nothing",
    "unknown",
    "help",
    "smalltalk",
    "overview",
    "office_duties",  # what an office must do (its duties, with the targets it leads)
    "task_lead",  # who leads a task named by its topic ("ai chủ trì phòng, chống đuối nước")
    "funding",  # where the money comes from and who budgets it
    "passages",  # the passages of the plan that answer the question, quoted
    "ask_back",  # a number no plan can mean ("ct -3", "năm 20255"): ask again
]

#: What a ``not_stated`` answer is about.
Fact = Literal[
    "lead",
    "coordinating",
    "year",
    "document.number",
    "document.date",
    "document.signer",
    "office",
    "deadline",
    "deadline_date",
    "deadline_kind",
    "topic",
    "funding",
    "amount",
]


@dataclass(frozen=True)
class TargetPart:
    """One target with the indicators (and their values) the answer shows."""

    target: Target
    indicators: tuple[Indicator, ...]
    #: Years with a value for this target (all indicators), for "no value for year" replies.
    years_available: tuple[int, ...] = ()


@dataclass(frozen=True)
class OfficeDuties:
    """What one office leads or coordinates in one plan."""

    office: Office
    led: tuple[int, ...] = ()
    coordinated: tuple[int, ...] = ()
    groups: tuple[Group, ...] = ()  # groups (Nhóm) whose tasks it leads
    objectives: tuple[Objective, ...] = ()  # ungrouped objectives it leads
    in_plan: bool = True  # False: the plan does not name this office at all
    leads_unstated: bool = False  # some targets' leads are not stated in the document

    @property
    def leads_anything(self) -> bool:
        return bool(self.led or self.coordinated or self.groups or self.objectives)


@dataclass(frozen=True)
class PlanPart:
    """The part of an answer drawn from one plan."""

    plan: Plan
    targets: tuple[TargetPart, ...] = ()
    objectives: tuple[Objective, ...] = ()
    groups: tuple[Group, ...] = ()  # groups to show with their criteria
    deadlines: tuple[Deadline, ...] = ()
    duties: OfficeDuties | None = None
    #: office_duties: the office's duties as written; task_lead: the duties that match.
    assigned: tuple[Duty, ...] = ()
    #: passages: the passages that answer, best first.
    passages: tuple[PassageHit, ...] = ()
    #: passages: sections the question names by their heading (shown whole).
    sections: tuple[Section, ...] = ()
    #: not_stated: what the document does not state; a part without one (fact "topic" answers)
    #: is another plan that does have it, offered instead.
    fact: Fact | None = None


@dataclass(frozen=True)
class Answer:
    kind: Kind
    plan_ids: tuple[str, ...] = ()
    parts: tuple[PlanPart, ...] = ()
    target_numbers: tuple[int, ...] = ()
    goal_number: int | None = None
    years: tuple[int, ...] = ()
    about: Kind | None = None  # choose_plan: the kind of answer each plan would give
    coordinating: bool = False  # responsibility: the question asked about coordination
    criteria: bool = False  # topic: the question asked for criteria (tiêu chí)
    choices: tuple[str, ...] = field(default_factory=tuple)  # plan ids to offer as buttons
    #: help/smalltalk: the message was small talk ("greeting", "thanks", "ack", "bye").
    social: str | None = None
    #: not_stated (fact "topic"): the topic asked about, as (Vietnamese, English) labels.
    topic: tuple[str, str] | None = None
    #: target_value: the question also asked who leads (show the offices too).
    with_lead: bool = False
    #: funding with passages: the question also asked where the money comes from.
    with_sources: bool = False
    #: ask_back: the numbers no plan can mean, as typed.
    odd: tuple[OddNumber, ...] = ()
    #: funding: the question asked for an amount (no plan states one).
    amount: bool = False
    #: The question's search terms (folded words and "a_b" pairs): quotes start where they are.
    focus: tuple[str, ...] | None = None
    #: The answers to the other questions of the same message, in order.
    also: tuple[Answer, ...] = ()

    @property
    def part(self) -> PlanPart | None:
        return self.parts[0] if self.parts else None
