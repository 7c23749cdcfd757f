"""Importing units from CSV (``python -m bot units import FILE``): every row checked against
the tree's rules (usecases.units.rules) first; one bad row, named by its line, and nothing is
written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LEVELS, Unit
from storage.unit_tree import UnitTreeError, add_unit, move_unit, set_population
from usecases.units.rules import Misplaced, misplaced, parse_level

CSV_COLUMNS: tuple[str, ...] = (
    "code", "name", "level", "parent_code", "plan_id", "child_population",
)


class UnitImportError(ValueError):
    """A bad row in a units CSV; nothing was imported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    populations: int

    @property
    def total(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    name: str
    level: str
    parent_code: str | None
    plan_id: str | None
    child_population: int | None


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
    """Check parents and levels (usecases.units.rules); return rows ordered so every parent
    comes first."""
    in_file = {row.code: row for row in rows}

    def level_of(code: str) -> str:
        return in_file[code].level if code in in_file else existing[code].level

    for row in rows:
        if row.parent_code is not None and (
                row.parent_code not in in_file and row.parent_code not in existing):
            raise UnitImportError(row.line, f"unknown parent_code {row.parent_code!r}")
        parent_level = level_of(row.parent_code) if row.parent_code else None
        problem = misplaced(row.level, parent_level)
        if problem is Misplaced.NEEDS_PARENT:
            raise UnitImportError(row.line, f"a {row.level} needs a parent_code")
        if problem is Misplaced.PROVINCE_ON_TOP:
            raise UnitImportError(row.line, "a province cannot have a parent")
        if problem is Misplaced.BELOW_COMMUNE:
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
