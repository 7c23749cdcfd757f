"""Administrative units: the tree, its closure table, CSV import and moves."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, delete, func, insert, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.db import ConnectionSource
from storage.models import LEVELS, REPORTING_LEVEL, Unit, UnitClosure, UnitPopulation

CSV_COLUMNS: tuple[str, ...] = (
    "code", "name", "level", "parent_code", "plan_id", "child_population",
)
#: Accepted spellings of levels (English and unaccented Vietnamese).
LEVEL_ALIASES: dict[str, str] = {
    **{level: level for level in LEVELS},
    "ward": "commune", "town": "commune", "tinh": "province", "thanh_pho": "city",
    "huyen": "district", "quan": "district", "thi_xa": "district",
    "xa": "commune", "phuong": "commune", "thi_tran": "commune",
}


class UnitImportError(ValueError):
    """A bad row in a units CSV; nothing was imported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class UnitTreeError(ValueError):
    """A change would break the unit tree (cycle, unknown unit)."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    populations: int

    @property
    def total(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True, slots=True)
class UnitSnapshot:
    """A read-only copy of a unit's row: what access checks read, cheaper to build than a
    detached ORM instance. Load the unit with :func:`unit_by_code` to change it."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    plan_id: str | None
    active: bool


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str | None
    plan_id: str | None
    child_population: int | None


# ---------------------------------------------------------------------------- queries


async def unit_by_code(session: AsyncSession, code: str) -> Unit | None:
    return await session.scalar(select(Unit).where(Unit.code == code.strip()))


async def unit_by_id(session: AsyncSession, unit_id: int) -> Unit | None:
    return await session.get(Unit, unit_id)


_UNIT_COLUMNS = select(*Unit.__table__.c)
_UNIT_BY_CODE = _UNIT_COLUMNS.where(Unit.__table__.c.code == bindparam("code"))
_UNIT_BY_ID = _UNIT_COLUMNS.where(Unit.__table__.c.id == bindparam("id"))
_CLOSURE_DEPTH = select(UnitClosure.depth).where(
    UnitClosure.ancestor_id == bindparam("ancestor"),
    UnitClosure.descendant_id == bindparam("unit"),
)


async def unit_snapshot(
    session: ConnectionSource, *, code: str | None = None, unit_id: int | None = None
) -> UnitSnapshot | None:
    """A read-only copy of the unit by code or id: a quick Core read."""
    if code is not None:
        stmt, params = _UNIT_BY_CODE, {"code": code.strip()}
    else:
        stmt, params = _UNIT_BY_ID, {"id": unit_id}
    connection = await session.connection()
    row = (await connection.execute(stmt, params)).first()
    return None if row is None else UnitSnapshot(**row._mapping)


async def units_in_subtree(
    session: AsyncSession,
    unit_id: int,
    *,
    level: str | None = None,
    active_only: bool = False,
    include_self: bool = True,
) -> Sequence[Unit]:
    """The unit and everything below it (one indexed lookup in the closure table)."""
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == unit_id)
        .order_by(UnitClosure.depth, Unit.code)
    )
    if not include_self:
        stmt = stmt.where(UnitClosure.depth > 0)
    if level is not None:
        stmt = stmt.where(Unit.level == level)
    if active_only:
        stmt = stmt.where(Unit.active.is_(True))
    return (await session.scalars(stmt)).all()


async def child_units(session: AsyncSession, unit_id: int) -> Sequence[Unit]:
    stmt = select(Unit).where(Unit.parent_id == unit_id).order_by(Unit.code)
    return (await session.scalars(stmt)).all()


async def root_units(session: AsyncSession) -> Sequence[Unit]:
    stmt = select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.code)
    return (await session.scalars(stmt)).all()


async def ancestors(session: AsyncSession, unit_id: int) -> Sequence[Unit]:
    """The unit's ancestors from the root down (the unit itself excluded)."""
    stmt = (
        select(Unit)
        .join(UnitClosure, UnitClosure.ancestor_id == Unit.id)
        .where(UnitClosure.descendant_id == unit_id, UnitClosure.depth > 0)
        .order_by(UnitClosure.depth.desc())
    )
    return (await session.scalars(stmt)).all()


async def is_within(session: ConnectionSource, unit_id: int, ancestor_id: int) -> bool:
    """True if `unit_id` is `ancestor_id` or below it (for supervisors' access checks)."""
    connection = await session.connection()
    params = {"ancestor": ancestor_id, "unit": unit_id}
    return await connection.scalar(_CLOSURE_DEPTH, params) is not None


async def first_code_in_subtree(
    session: ConnectionSource, unit_id: int, *, level: str
) -> str | None:
    """The code of the first active unit of `level` in the unit's subtree (as
    :func:`units_in_subtree` orders them), if any: an example to offer."""
    connection = await session.connection()
    stmt = (
        select(Unit.code)
        .join(UnitClosure, UnitClosure.descendant_id == Unit.id)
        .where(UnitClosure.ancestor_id == unit_id, Unit.level == level, Unit.active.is_(True))
        .order_by(UnitClosure.depth, Unit.code)
        .limit(1)
    )
    return await connection.scalar(stmt)


async def set_population(
    session: AsyncSession, unit_id: int, year: int, child_population: int
) -> None:
    row = await session.get(UnitPopulation, (unit_id, year))
    if row is None:
        session.add(UnitPopulation(unit_id=unit_id, year=year, child_population=child_population))
    else:
        row.child_population = child_population
    await session.flush()


# ---------------------------------------------------------------------------- changes


async def add_unit(
    session: AsyncSession,
    code: str,
    name: str,
    level: str,
    parent_id: int | None = None,
    plan_id: str | None = None,
) -> Unit:
    """Create one unit under `parent_id` (plan inherited from the parent when not given)."""
    level = parse_level(level)
    if level is None:
        raise ValueError(f"unknown level; expected one of {', '.join(LEVELS)}")
    if plan_id is None and parent_id is not None:
        plan_id = (await _existing_unit(session, parent_id)).plan_id
    unit = Unit(code=code, name=name, level=level, parent_id=parent_id, plan_id=plan_id,
                active=True)
    session.add(unit)
    await session.flush()
    await _link(session, unit.id, parent_id)
    return unit


async def move_unit(session: AsyncSession, unit_id: int, new_parent_id: int | None) -> None:
    """Re-attach a unit (and its subtree) under another parent."""
    unit = await _existing_unit(session, unit_id)
    if new_parent_id is not None:
        await _existing_unit(session, new_parent_id)
        if await is_within(session, new_parent_id, unit_id):
            raise UnitTreeError("a unit cannot move below itself")
    if unit.parent_id == new_parent_id:
        return
    subtree = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)
    old_ancestors = select(UnitClosure.ancestor_id).where(
        UnitClosure.descendant_id == unit_id, UnitClosure.depth > 0
    )
    await session.execute(
        delete(UnitClosure).where(
            UnitClosure.descendant_id.in_(subtree), UnitClosure.ancestor_id.in_(old_ancestors)
        )
    )
    if new_parent_id is not None:
        up, down = aliased(UnitClosure), aliased(UnitClosure)
        pairs = (
            select(up.ancestor_id, down.descendant_id, up.depth + down.depth + 1)
            .select_from(up)
            .join(down, true())  # every ancestor of the new parent x every unit of the subtree
            .where(up.descendant_id == new_parent_id, down.ancestor_id == unit_id)
        )
        await session.execute(
            insert(UnitClosure).from_select(["ancestor_id", "descendant_id", "depth"], pairs)
        )
    unit.parent_id = new_parent_id
    await session.flush()


async def set_active(session: AsyncSession, unit_id: int, active: bool) -> None:
    unit = await _existing_unit(session, unit_id)
    unit.active = active
    await session.flush()


async def _existing_unit(session: AsyncSession, unit_id: int) -> Unit:
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise UnitTreeError(f"no unit with id {unit_id}")
    return unit


async def _link(session: AsyncSession, unit_id: int, parent_id: int | None) -> None:
    """Closure rows for a new leaf: itself at depth 0 and each ancestor of the parent."""
    await session.execute(
        insert(UnitClosure).values(ancestor_id=unit_id, descendant_id=unit_id, depth=0)
    )
    if parent_id is not None:
        pairs = select(
            UnitClosure.ancestor_id, literal(unit_id), UnitClosure.depth + 1
        ).where(UnitClosure.descendant_id == parent_id)
        await session.execute(
            insert(UnitClosure).from_select(["ancestor_id", "descendant_id", "depth"], pairs)
        )


# ---------------------------------------------------------------------------- CSV import


async def import_units_csv(
    session: AsyncSession,
    source: str | Path,
    *,
    population_year: int | None = None,
) -> ImportResult:
    """Create or update units from CSV (``code,name,level,parent_code,plan_id,child_population``).

    `source` is a file path or the CSV text itself. Every row is validated first; the first
    bad row raises :class:`UnitImportError` with its line number and nothing is written.
    Parents may appear later in the file or exist already. A blank ``plan_id`` inherits the
    parent's. ``child_population`` is stored for `population_year` (default: this year), or
    for the row's ``population_year`` column when the file has one.
    """
    text = _read_source(source)
    default_year = population_year or date.today().year
    rows, years = _parse(text, default_year)
    existing = {u.code: u for u in (await session.scalars(select(Unit))).all()}
    order = _validate(rows, existing)

    try:
        async with session.begin_nested():
            return await _write(session, order, existing, years)
    except UnitTreeError as exc:
        raise UnitImportError(exc.args[1], exc.args[0]) from None


async def _write(
    session: AsyncSession, order: list[_Row], existing: dict[str, Unit], years: dict[int, int]
) -> ImportResult:
    created = updated = populations = 0
    by_code = dict(existing)
    for row in order:
        parent = by_code[row.parent_code] if row.parent_code else None
        plan_id = row.plan_id or (parent.plan_id if parent else None)
        unit = by_code.get(row.code)
        if unit is None:
            unit = await add_unit(session, row.code, row.name, row.level,
                                  parent.id if parent else None, plan_id)
            by_code[row.code] = unit
            created += 1
        else:
            unit.name, unit.level, unit.plan_id = row.name, row.level, plan_id
            new_parent_id = parent.id if parent else None
            if unit.parent_id != new_parent_id:
                try:
                    await move_unit(session, unit.id, new_parent_id)
                except UnitTreeError as exc:
                    raise UnitTreeError(str(exc), row.line) from None
            updated += 1
        if row.child_population is not None:
            await set_population(session, unit.id, years[row.line], row.child_population)
            populations += 1
    await session.flush()
    return ImportResult(created=created, updated=updated, populations=populations)


def _read_source(source: str | Path) -> str:
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8-sig")
    if "\n" not in source and "," not in source and Path(source).is_file():
        return Path(source).read_text(encoding="utf-8-sig")
    return source.removeprefix("\ufeff")


def parse_level(raw: str) -> str | None:
    """A level word (English or unaccented Vietnamese, as in the CSV) or None."""
    key = raw.strip().lower().replace(" ", "_").replace("-", "_")
    return LEVEL_ALIASES.get(key)


def _parse(text: str, default_year: int) -> tuple[list[_Row], dict[int, int]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise UnitImportError(1, "the file is empty") from None
    missing = [c for c in CSV_COLUMNS[:3] if c not in header]
    if missing:
        raise UnitImportError(1, f"missing column(s): {', '.join(missing)}")
    index = {name: i for i, name in enumerate(header)}

    rows: list[_Row] = []
    years: dict[int, int] = {}
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            raise UnitImportError(line, f"{len(record)} fields, the header has {len(header)}")

        def cell(name: str, record: list[str] = record) -> str:
            i = index.get(name)
            return record[i].strip() if i is not None and i < len(record) else ""

        code, name = cell("code"), cell("name")
        if not code:
            raise UnitImportError(line, "code is empty")
        if len(code) > 64:
            raise UnitImportError(line, f"code {code!r} is longer than 64 characters")
        if code in seen:
            raise UnitImportError(line, f"code {code!r} repeats line {seen[code]}")
        if not name:
            raise UnitImportError(line, f"name is empty for {code!r}")
        level = parse_level(cell("level"))
        if level is None:
            raise UnitImportError(
                line, f"level {cell('level')!r} is not one of {', '.join(LEVELS)}"
            )
        population = _optional_int(cell("child_population"), line, "child_population")
        year = _optional_int(cell("population_year"), line, "population_year")
        parent_code = cell("parent_code") or None
        if parent_code == code:
            raise UnitImportError(line, f"{code!r} cannot be its own parent")
        seen[code] = line
        years[line] = year or default_year
        rows.append(_Row(line, code, name, level, parent_code, cell("plan_id") or None,
                         population))
    if not rows:
        raise UnitImportError(1, "no units in the file")
    return rows, years


def _optional_int(raw: str, line: int, column: str) -> int | None:
    if not raw:
        return None
    cleaned = raw.replace(" ", "").replace("_", "")
    if not cleaned.isdigit():
        raise UnitImportError(line, f"{column} must be a whole number ≥ 0, got {raw!r}")
    return int(cleaned)


def _validate(rows: list[_Row], existing: dict[str, Unit]) -> list[_Row]:
    """Check parents and levels; return rows ordered so every parent comes first."""
    in_file = {row.code: row for row in rows}

    def level_of(code: str) -> str:
        return in_file[code].level if code in in_file else existing[code].level

    for row in rows:
        if row.parent_code is None:
            if row.level in ("district", REPORTING_LEVEL):
                raise UnitImportError(row.line, f"a {row.level} needs a parent_code")
            continue
        if row.parent_code not in in_file and row.parent_code not in existing:
            raise UnitImportError(row.line, f"unknown parent_code {row.parent_code!r}")
        if row.level == "province":
            raise UnitImportError(row.line, "a province cannot have a parent")
        if level_of(row.parent_code) == REPORTING_LEVEL:
            raise UnitImportError(
                row.line, f"parent {row.parent_code!r} is a commune and cannot have units below"
            )
    return _parents_first(rows, in_file, existing)


def _parents_first(
    rows: list[_Row], in_file: dict[str, _Row], existing: dict[str, Unit]
) -> list[_Row]:
    order: list[_Row] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def parent_in_final_tree(code: str) -> str | None:
        if code in in_file:
            return in_file[code].parent_code
        return None  # an existing unit not in the file keeps its (acyclic) parent

    for start in rows:
        path: list[str] = []
        code: str | None = start.code
        while code is not None and code in in_file and state.get(code) != 2:
            if state.get(code) == 1:
                raise UnitImportError(in_file[code].line, f"{code!r} is part of a parent cycle")
            state[code] = 1
            path.append(code)
            code = parent_in_final_tree(code)
        for done in reversed(path):
            state[done] = 2
            order.append(in_file[done])
    return order


def codes(units: Iterable[Unit]) -> list[str]:
    return [u.code for u in units]


# ---------------------------------------------------------------------------- chat edits


async def rename_unit(session: AsyncSession, unit_id: int, name: str) -> None:
    unit = await _existing_unit(session, unit_id)
    unit.name = name
    await session.flush()


async def active_below(
    session: AsyncSession, unit_id: int, *, limit: int = 5
) -> tuple[int, list[Unit]]:
    """How many active units are below `unit_id` (itself excluded), and the first few."""
    below = (
        select(UnitClosure.descendant_id)
        .where(UnitClosure.ancestor_id == unit_id, UnitClosure.depth > 0)
    )
    condition = (Unit.id.in_(below), Unit.active.is_(True))
    total = await session.scalar(select(func.count()).select_from(Unit).where(*condition))
    first = (
        await session.scalars(select(Unit).where(*condition).order_by(Unit.code).limit(limit))
    ).all()
    return int(total or 0), list(first)


async def population_of(session: AsyncSession, unit_id: int, year: int) -> int | None:
    row = await session.get(UnitPopulation, (unit_id, year))
    return None if row is None else row.child_population


async def replace_plan_below(
    session: AsyncSession, unit_id: int, old_plan_id: str | None, new_plan_id: str | None
) -> int:
    """Give the unit and the units below it that had `old_plan_id` the plan `new_plan_id`.

    For a move: units that inherited their old parent's plan take the new parent's; units
    with a plan of their own keep it. Returns how many units changed.
    """
    if old_plan_id == new_plan_id:
        return 0
    subtree = select(UnitClosure.descendant_id).where(UnitClosure.ancestor_id == unit_id)
    same_plan = (
        Unit.plan_id.is_(None) if old_plan_id is None else Unit.plan_id == old_plan_id
    )
    result = await session.execute(
        update(Unit)
        .where(Unit.id.in_(subtree), same_plan)
        .values(plan_id=new_plan_id)
        .execution_options(synchronize_session="fetch")
    )
    await session.flush()
    return int(result.rowcount or 0)


async def unit_names(session: ConnectionSource) -> list[str]:
    """The name of every unit (the privacy screen reads them as places, not people)."""
    connection = await session.connection()
    return list((await connection.execute(select(Unit.name))).scalars())
