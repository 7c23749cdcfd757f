"""Pydantic models of a plan data file (``knowledge/plans/*.yaml``).

Every fact carries the section of the source document it comes from. A fact a
document does not state is recorded as ``None`` (``null`` in YAML) and listed
in ``not_stated`` so the bot can say so instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Level = Literal["national", "province", "city", "district", "commune"]

#: Units as the plans write them. ``per_1000_live_births`` is "/1.000 trẻ đẻ sống" or ‰.
Unit = Literal[
    "%",
    "‰",
    "per_1000_live_births",
    "per_10000_children",
    "per_100000_children",
    "communes",
    "count",
    "none",
]

#: Comparators normalised from the wording ("đạt", "dưới", "xuống", "trên", ...).
Comparator = Literal[
    "reach",  # đạt / là / phấn đấu (a level to reach)
    "below",  # dưới / xuống dưới
    "down_to",  # giảm xuống / xuống / còn
    "above",  # trên
    "at_least",  # ít nhất / tối thiểu
    "at_most",  # không quá / tối đa
    "none",  # không có / không để xảy ra (no case at all: value 0)
    "maintain",  # duy trì
    "reduce_by",  # giảm ... % (a reduction, e.g. "giảm ít nhất 5%")
    "range",  # từ 2 đến 3%
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Value(Strict):
    """One milestone value of an indicator, as written in the document."""

    year: int | None = Field(
        description="Milestone year; None when the plan states a yearly/periodic value"
    )
    comparator: Comparator
    comparator_text: str = Field(description="The comparator word(s) as written, e.g. 'dưới'")
    value: float | None = Field(description="Number; None for a pure 'duy trì' (maintain)")
    value_max: float | None = None  # upper bound for comparator 'range'
    unit: Unit
    text: str = Field(description="The value exactly as it appears in the source, e.g. '9,5'")
    note: str | None = Field(default=None, description="Qualifier, e.g. 'nông thôn', 'hằng năm'")


class Indicator(Strict):
    """One measurable part of a target (target 3 has three)."""

    id: str = Field(description="e.g. '3.1'; '14' when the target has one indicator")
    label: str = Field(description="Short Vietnamese description of what is measured")
    label_en: str = Field(description="Short English description")
    values: list[Value]


class Office(Strict):
    name: str = Field(description="Office name as written in the source")
    section: str


class Target(Strict):
    number: int = Field(ge=1, le=24)
    goal: int = Field(ge=1, le=4)
    text: str = Field(description="Full text of the target as written (whitespace normalised)")
    section: str
    indicators: list[Indicator]
    lead: list[Office] | None = Field(
        description="Lead offices (chủ trì / thực hiện); None when the document does not state them"
    )
    coordinating: list[Office] | None = Field(
        default=None, description="Coordinating offices (phối hợp); None when not stated"
    )


class Goal(Strict):
    number: int = Field(ge=1, le=4)
    title: str
    title_en: str
    section: str


class Objective(Strict):
    """A further objective: HCMC's Nhóm 1-7 items, Trà Vinh 2024's specific objectives."""

    id: str = Field(description="e.g. 'nhom-6.1' or 'obj-3'")
    group: str | None = Field(default=None, description="Group id, e.g. 'nhom-6'")
    text: str
    section: str
    values: list[Value] = Field(default_factory=list)
    lead: list[Office] | None = None
    coordinating: list[Office] | None = None


class Group(Strict):
    """HCMC's Nhóm 1-7: a titled group of objectives from a national programme."""

    id: str
    number: int
    title: str
    title_en: str
    basis: str | None = Field(default=None, description="Legal basis, e.g. 'Quyết định số ...'")
    section: str
    criteria: list[str] = Field(default_factory=list, description="e.g. 13 child-friendly criteria")


class Deadline(Strict):
    """A reporting duty or milestone the plan itself sets."""

    id: str
    kind: Literal["six_monthly_report", "annual_report", "review", "evaluation", "other"]
    text: str = Field(description="The sentence as written")
    text_en: str
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    before: bool = Field(default=False, description="True for 'trước ngày' (due before the day)")
    years: list[int] = Field(default_factory=list, description="Years it applies to, if stated")
    section: str
    reporter: str | None = Field(
        default=None, description="Who reports, as written; None when the text does not say")
    recipient: str | None = Field(
        default=None, description="To whom the report goes, as written; None when not stated")
    frequency: Literal["six_monthly", "annual", "periodic", "once"] | None = Field(
        default=None, description="How often: 'định kỳ 6 tháng', 'hằng năm', 'định kỳ', once")


Role = Literal["lead", "coordinate"]


class Duty(Strict):
    """What the plan assigns to one office, as written, with its section."""

    office: str = Field(description="The office as the plan names it (one of Plan.offices)")
    role: Role = Field(description="lead: the office is assigned it (chủ trì, thực hiện); "
                                   "coordinate: it takes part (phối hợp)")
    text: str = Field(description="The duty as written (a bullet, or the sentence assigning it)")
    section: str


class Clause(Strict):
    text: str = Field(description="As written")
    section: str


class Funding(Strict):
    """Where the money comes from and how it is budgeted."""

    section: str | None = Field(description="The funding section (Kinh phí); None when the "
                                            "plan has none")
    sources: list[Clause] = Field(default_factory=list, description="Sources, as written")
    principles: list[Clause] = Field(
        default_factory=list, description="Who budgets, how funds are planned and used")


class OutlineMove(Strict):
    """A paragraph the document's layout does not place (a closing paragraph after the last
    item belongs to the part): found by its first words, put in ``section``."""

    starts: str
    section: str


class Document(Strict):
    file: str = Field(description="Source file name under knowledge/sources/")
    title: str
    number: str | None = Field(description="e.g. '4063/QĐ-UBND'; None when not stated")
    date: dt.date | None = Field(description="Issue date; None when not stated")
    basis: str | None = Field(default=None, description="The higher plan it implements")
    signer: str | None = Field(default=None, description="Who signed it, as printed")
    signer_title: str | None = Field(
        default=None, description="The signer's title, e.g. 'KT. Chủ tịch, Phó Chủ tịch'")


class Plan(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str = Field(description="Vietnamese display name")
    name_en: str
    jurisdiction: str
    aliases: list[str] = Field(description="Names officers use for the jurisdiction")
    level: Level
    parent_province: str | None
    document: Document
    period_start: int
    period_end: int
    milestone_years: list[int]
    not_stated: list[str] = Field(
        default_factory=list,
        description="Facts the document does not state, e.g. 'document.number', 'target.lead'",
    )
    notes: list[str] = Field(default_factory=list)
    offices: list[Office] = Field(
        default_factory=list,
        description="Every office the implementation section names (with its section)",
    )
    goals: list[Goal] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    funding: Funding | None = Field(default=None, description="None: not curated yet")
    outline: list[OutlineMove] = Field(default_factory=list)

    @field_validator("targets")
    @classmethod
    def _unique_targets(cls, targets: list[Target]) -> list[Target]:
        numbers = [t.number for t in targets]
        if len(numbers) != len(set(numbers)):
            raise ValueError("target numbers must be unique")
        return targets

    @model_validator(mode="after")
    def _years_in_period(self) -> Plan:
        for target in self.targets:
            for ind in target.indicators:
                for v in ind.values:
                    if v.year is not None and not (
                        self.period_start - 5 <= v.year <= self.period_end
                    ):
                        raise ValueError(
                            f"target {target.number} indicator {ind.id}: "
                            f"year {v.year} outside the plan period"
                        )
        return self

    def target(self, number: int) -> Target | None:
        return next((t for t in self.targets if t.number == number), None)
