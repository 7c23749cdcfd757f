"""The privacy screen the bot uses: places, the plans' own words and the units in the database."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from knowledge.loader import plan_texts
from knowledge.schema import Plan
from reports.keywords import PHRASES
from reports.privacy import Screen, Vocabulary
from storage.db import Database
from storage.units import unit_names

log = logging.getLogger(__name__)

#: Unit names are read again at most this often (units change rarely; other instances too).
UNITS_TTL_S = 300.0


#: Built once per set of plans (each Application of a test run shares it).
_VOCABULARIES: dict[tuple[str, ...], Vocabulary] = {}


def _plan_vocabulary(plans: tuple[Plan, ...]) -> Vocabulary:
    key = tuple(plan.id for plan in plans)
    if key not in _VOCABULARIES:
        _VOCABULARIES[key] = _build_vocabulary(plans)
    return _VOCABULARIES[key]


def _build_vocabulary(plans: tuple[Plan, ...]) -> Vocabulary:
    names: list[str] = []
    texts: list[str] = [" ".join(words) for words in PHRASES]
    for plan in plans:
        names += [plan.name, plan.name_en, plan.jurisdiction, *plan.aliases,
                  *(office.name for office in plan.offices)]
        texts += plan_texts(plan)
    return Vocabulary(names, texts)


class ScreenSource:
    """The current screen: the plans' vocabulary (built once) plus the units' names, re-read
    from the database after :data:`UNITS_TTL_S` or when a unit is added or renamed here."""

    def __init__(self, plans: Mapping[str, Plan], db: Database | None = None) -> None:
        self._base = _plan_vocabulary(tuple(plans.values()))
        self._db = db
        self._screen = Screen(self._base)
        self._read_at: float | None = None

    @property
    def screen(self) -> Screen:
        """The screen as last refreshed (without unit names before the first refresh)."""
        return self._screen

    async def current(self) -> Screen:
        """The screen, with the units' names read again if they are older than the TTL."""
        if self._db is not None and (
            self._read_at is None or time.monotonic() - self._read_at > UNITS_TTL_S
        ):
            await self.refresh()
        return self._screen

    async def refresh(self) -> None:
        """Read the units' names now (after adding or renaming one, and at start-up)."""
        if self._db is None:
            return
        self._read_at = time.monotonic()
        try:
            async with self._db.quick() as session:
                names = await unit_names(session)
        except Exception:  # noqa: BLE001 - the screen keeps working with what it knows
            log.warning("could not read unit names for the privacy screen")
            return
        self._screen = Screen(self._base.with_phrases(names))
