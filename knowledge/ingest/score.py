"""Compare a draft with a curated plan file, field by field.

Values: each curated (target, indicator position, year) value is right when the draft has,
at the same target and indicator position, a value with the same year, number and unit.
Lead offices: each curated target is right when the draft names the same set of lead offices
(after normalisation), or when both say "not stated" (null).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge.ingest.offices import normalize_office
from knowledge.loader import PLANS_DIR, PlanFileError, load_plan_file
from knowledge.schema import Office, Plan, Value


@dataclass
class Score:
    values_right: int = 0
    values_total: int = 0
    extra_values: int = 0
    leads_right: int = 0
    leads_total: int = 0
    coordinating_right: int = 0
    coordinating_total: int = 0
    #: Document facts: number, date, jurisdiction, level, period, goals, targets found.
    header_right: int = 0
    header_total: int = 0
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _fraction(right: int, total: int) -> float | None:
        return right / total if total else None

    @property
    def values_fraction(self) -> float | None:
        return self._fraction(self.values_right, self.values_total)

    @property
    def leads_fraction(self) -> float | None:
        return self._fraction(self.leads_right, self.leads_total)

    @property
    def coordinating_fraction(self) -> float | None:
        return self._fraction(self.coordinating_right, self.coordinating_total)

    @property
    def header_fraction(self) -> float | None:
        return self._fraction(self.header_right, self.header_total)


def _key(value: Value) -> tuple:
    number = None if value.value is None else round(float(value.value), 4)
    return value.year, number, value.unit


def _offices(offices: list[Office] | None) -> frozenset[str] | None:
    return frozenset(normalize_office(o.name) for o in offices) if offices else None


def score_plan(draft: Plan, curated: Plan) -> Score:
    """How much of ``curated`` the ``draft`` reproduces."""
    score = Score()
    for target in curated.targets:
        drafted = draft.target(target.number)
        for position, indicator in enumerate(target.indicators):
            available: Counter = Counter()
            if drafted is not None and position < len(drafted.indicators):
                available.update(_key(v) for v in drafted.indicators[position].values)
            for value in indicator.values:
                score.values_total += 1
                key = _key(value)
                if available[key] > 0:
                    available[key] -= 1
                    score.values_right += 1
                else:
                    score.misses.append(f"target {indicator.id} value {value.text!r} ({key})")
            score.extra_values += sum(available.values())
        score.leads_total += 1
        expected = _offices(target.lead)
        got = _offices(drafted.lead) if drafted is not None else frozenset({"(target missing)"})
        if expected == got:
            score.leads_right += 1
        else:
            score.misses.append(
                f"target {target.number} lead {sorted(got or [])} != {sorted(expected or [])}"
            )
        score.coordinating_total += 1  # named offices: the drafter leaves "các sở, ban, …" out
        expected = _named(_offices(target.coordinating))
        got = _named(_offices(drafted.coordinating) if drafted is not None else None)
        if expected == got:
            score.coordinating_right += 1
        else:
            score.misses.append(f"target {target.number} coordinating {sorted(got or [])} != "
                                f"{sorted(expected or [])}")
    for name, got, expected in _header(draft, curated):
        score.header_total += 1
        if got == expected:
            score.header_right += 1
        else:
            score.misses.append(f"{name}: {got!r} != {expected!r}")
    return score


def _named(offices: frozenset[str] | None) -> frozenset[str] | None:
    named = frozenset(o for o in offices or () if not o.startswith(("các ", "những ")))
    return named or None


def _place(name: str) -> str:
    """"Thành phố Hồ Chí Minh" and "Hồ Chí Minh" are one place."""
    return re.sub(r"^(?:thành phố|tỉnh|huyện|quận|thị xã|xã|phường)\s+", "", name.casefold())


def _header(draft: Plan, curated: Plan) -> list[tuple[str, object, object]]:
    return [
        ("document.number", draft.document.number, curated.document.number),
        ("document.date", draft.document.date, curated.document.date),
        ("jurisdiction", _place(draft.jurisdiction), _place(curated.jurisdiction)),
        ("level", draft.level, curated.level),
        ("period", (draft.period_start, draft.period_end),
         (curated.period_start, curated.period_end)),
        ("goals", len(draft.goals), len(curated.goals)),
        ("targets", sorted(t.number for t in draft.targets),
         sorted(t.number for t in curated.targets)),
    ]


def curated_by_source(plans_dir: Path = PLANS_DIR) -> dict[str, Plan | str]:
    """Curated plans keyed by their source file name (an error message if a file is invalid)."""
    found: dict[str, Plan | str] = {}
    for path in sorted(plans_dir.glob("*.yaml")):
        try:
            plan = load_plan_file(path)
        except PlanFileError as exc:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            source = (raw.get("document") or {}).get("file") if isinstance(raw, dict) else None
            if source:
                found[source] = f"invalid: {str(exc).splitlines()[0]}"
            continue
        found[plan.document.file] = plan
    return found
