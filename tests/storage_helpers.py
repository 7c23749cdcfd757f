"""Small builders shared by the storage tests (not fixtures: plain async functions)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage import people, units
from storage.models import Person, Unit
from usecases.units import csv_import

SMALL_TREE = """code,name,level,parent_code,plan_id,child_population
P,Province,province,,tra-vinh-2021-2030,
D1,District 1,district,P,,
D2,District 2,district,P,,
C11,Commune 11,commune,D1,,1000
C12,Commune 12,commune,D1,,2000
C21,Commune 21,commune,D2,,3000
"""


async def small_tree(session: AsyncSession, year: int = 2025) -> dict[str, Unit]:
    """Province P -> D1 (C11, C12), D2 (C21); returns units by code."""
    await csv_import.import_units_csv(session, SMALL_TREE, population_year=year)
    found = {}
    for code in ("P", "D1", "D2", "C11", "C12", "C21"):
        unit = await units.unit_by_code(session, code)
        assert unit is not None
        found[code] = unit
    return found


async def officer(session: AsyncSession, telegram_id: int, unit: Unit) -> Person:
    return await people.set_role(session, telegram_id, "officer", unit.id)
