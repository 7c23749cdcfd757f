"""Which of a plan's deadlines a question is about (6-monthly report, review, evaluation...)."""

from __future__ import annotations

import re

from knowledge.normalize import fold
from knowledge.schema import Deadline, Plan

#: tag → words in a question (folded) that ask about it.
QUESTION_TAGS: dict[str, re.Pattern[str]] = {
    "six": re.compile(r"\b(6 thang|sau thang|six month\w*|6 month\w*|half year\w*|nua nam)\b"),
    "annual": re.compile(r"\b(bao cao nam|hang nam|annual\w*|yearly|ca nam|cuoi nam)\b"),
    "mid": re.compile(r"\b(so ket|mid term|midterm|giua ky)\b"),
    "final": re.compile(r"\b(tong ket|final|cuoi ky)\b"),
    "review": re.compile(r"\b(reviews?)\b"),
    "evaluation": re.compile(r"\b(danh gia|evaluat\w*|assess\w*)\b"),
}


def deadline_tags(deadline: Deadline) -> frozenset[str]:
    vi, en = fold(deadline.text), fold(deadline.text_en)
    tags = set()
    if deadline.kind == "six_monthly_report" or re.search(r"\b(six month|6 month)", en):
        tags.add("six")
    if deadline.kind == "annual_report" or re.search(r"\bannual", en):
        tags.add("annual")
    if "so ket" in vi or re.search(r"\bmid term", en):
        tags |= {"mid", "review"}
    if "tong ket" in vi or re.search(r"\bfinal\b", en):
        tags |= {"final", "review"}
    if deadline.kind in ("review", "evaluation") or "review" in en:
        tags.add("review")
    if deadline.kind == "evaluation" or "danh gia" in vi or "evaluat" in en:
        tags.add("evaluation")
    return frozenset(tags)


def question_tags(folded: str) -> set[str]:
    return {tag for tag, pattern in QUESTION_TAGS.items() if pattern.search(folded)}


def select_deadlines(plan: Plan, folded: str, strict: bool = False) -> list[Deadline]:
    """Deadlines of ``plan`` the question asks about; all of them when it names no kind
    (none when ``strict``, or when the plan sets none of the kind asked)."""
    wanted = question_tags(folded)
    if not wanted:
        return [] if strict else list(plan.deadlines)
    scored = [(len(deadline_tags(d) & wanted), d) for d in plan.deadlines]
    best = max((s for s, _ in scored), default=0)
    if best == 0:
        return []
    return [d for s, d in scored if s == best]
