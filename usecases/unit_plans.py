"""The plan each unit follows (its own, else its nearest ancestor's): the plan a registered
officer's questions are answered from when they have not chosen one with /plan."""

from __future__ import annotations

import logging

from storage.db import Database
from storage.units import unit_plan_links

log = logging.getLogger(__name__)


class UnitPlans:
    """Each unit's plan, read at start-up and again whenever the units are (see
    ``Services.refresh_units``)."""

    def __init__(self, db: Database | None = None) -> None:
        self._db = db
        self._plans: dict[int, str] = {}

    def plan_of(self, unit_id: int | None) -> str | None:
        return self._plans.get(unit_id) if unit_id is not None else None

    async def refresh(self) -> None:
        if self._db is None:
            return
        try:
            async with self._db.quick() as session:
                links = await unit_plan_links(session)
        except Exception:  # noqa: BLE001 - questions are answered from every plan meanwhile
            log.warning("could not read the units' plans")
            return
        self._plans = inherited_plans(links)


def inherited_plans(links: list[tuple[int, int | None, str | None]]) -> dict[int, str]:
    """unit id → its plan, or its nearest ancestor's (units without one are left out)."""
    parent = {unit: up for unit, up, _ in links}
    own = {unit: plan for unit, _, plan in links if plan}
    out: dict[int, str] = {}
    for unit in parent:
        seen: set[int] = set()
        node: int | None = unit
        while node is not None and node not in own and node not in seen:
            seen.add(node)
            node = parent.get(node)
        if node is not None and node in own:
            out[unit] = own[node]
    return out
