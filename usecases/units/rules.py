"""The rules of the unit tree, one set for the CSV import and for ``/unit`` in chat.

Levels: province or city at the top, districts below them, communes (incl. wards and towns)
below districts; communes report. A district or commune needs a parent; a province has
none; nothing goes below a commune; nothing goes below an inactive unit; a unit cannot move
below itself (the caller checks that in the database).
"""

from __future__ import annotations

from enum import StrEnum

from knowledge.normalize import fold
from storage.models import LEVELS, REPORTING_LEVEL

#: Level words, folded (lowercase, no accents, no spaces): English and Vietnamese, so "Tỉnh",
#: "tinh", "Thành phố", "thanh_pho", "THỊ XÃ" and "ward" are all read.
LEVEL_ALIASES: dict[str, str] = {
    **{level: level for level in LEVELS},
    "ward": "commune", "town": "commune",
    "tinh": "province", "thanhpho": "city",
    "huyen": "district", "quan": "district", "thixa": "district",
    "xa": "commune", "phuong": "commune", "thitran": "commune",
}  # fmt: skip
#: Levels that must have a parent.
NEEDS_PARENT = ("district", REPORTING_LEVEL)


class Misplaced(StrEnum):
    """Why a unit cannot go where it is put."""

    NEEDS_PARENT = "needs_parent"  # a district or commune at the top
    PROVINCE_ON_TOP = "province_on_top"  # a province below another unit
    BELOW_COMMUNE = "below_commune"  # a commune as parent
    INACTIVE_PARENT = "inactive_parent"  # an inactive parent (for an active unit)


def fold_level(raw: str) -> str:
    """A level word folded for comparison: lowercase ASCII letters only ("Thị xã" →
    "thixa", "thanh_pho" → "thanhpho")."""
    return fold(raw).replace(" ", "")


def parse_level(raw: str) -> str | None:
    """A level word (English or Vietnamese, with or without accents, in any case) or None."""
    return LEVEL_ALIASES.get(fold_level(raw))


def level_problem(level: str, *, at_top: bool) -> Misplaced | None:
    """What is wrong with a unit of ``level`` at the top, or below some unit, if anything."""
    if at_top:
        return Misplaced.NEEDS_PARENT if level in NEEDS_PARENT else None
    return Misplaced.PROVINCE_ON_TOP if level == "province" else None


def parent_problem(
    parent_level: str, *, parent_active: bool = True, active: bool = True
) -> Misplaced | None:
    """What is wrong with a parent of ``parent_level`` for an (``active``) unit, if anything."""
    if parent_level == REPORTING_LEVEL:
        return Misplaced.BELOW_COMMUNE
    if active and not parent_active:
        return Misplaced.INACTIVE_PARENT
    return None


def misplaced(
    level: str, parent_level: str | None, *, parent_active: bool = True, active: bool = True
) -> Misplaced | None:
    """What is wrong with a unit of ``level`` under a parent of ``parent_level`` (None: at
    the top), if anything: :func:`level_problem`, then :func:`parent_problem`."""
    problem = level_problem(level, at_top=parent_level is None)
    if problem is None and parent_level is not None:
        problem = parent_problem(parent_level, parent_active=parent_active, active=active)
    return problem
