"""Importing units from CSV (``python -m bot units import FILE``): every row checked against
the tree's rules (usecases.units.rules) first; every bad line is reported, each by its line
number, and then nothing is written."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.clock import SystemClock, today
from storage.models import LEVELS, Unit
from storage.unit_tree import UnitTreeError, add_unit, move_unit, set_population
from usecases.units.rules import Misplaced, misplaced, parse_level

CSV_COLUMNS: tuple[str, ...] = (
    "code", "name", "level", "parent_code", "plan_id", "child_population",
)
#: Columns read as the year of a row's child population (the first one present wins).
YEAR_COLUMNS = ("population_year", "year")
#: The years a child population may be given for.
YEARS = (2000, 2100)
#: Bad lines listed in an error before "… and N more".
MAX_LISTED = 50
LEVEL_WORDS = (
    "tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn (with or without accents)"
)


@dataclass(frozen=True)
class Problem:
    """What is wrong on one line of the file."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class UnitImportError(ValueError):
    """Bad lines in a units CSV (every one found, by line number); nothing was imported."""

    def __init__(self, problems: Collection[Problem] | int, message: str | None = None) -> None:
        if isinstance(problems, int):  # one problem: UnitImportError(line, message)
            problems = [Problem(problems, message or "")]
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=lambda p: p.line))
        assert self.problems, "an import error names at least one line"
        super().__init__("\n".join(self.listed()))

    @property
    def line(self) -> int:
        """The first bad line."""
        return self.problems[0].line

    @property
    def message(self) -> str:
        """What is wrong on the first bad line."""
        return self.problems[0].message

    def listed(self, limit: int = MAX_LISTED) -> list[str]:
        """One text per bad line, at most `limit`, then "… and N more"."""
        shown = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            shown.append(f"… and {len(self.problems) - limit} more")
        return shown


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
    year: int


class _Problems:
    """The bad lines found so far: several messages on one line are joined."""

    def __init__(self) -> None:
        self.by_line: dict[int, list[str]] = {}

    def add(self, line: int, message: str) -> None:
        self.by_line.setdefault(line, []).append(message)

    def __contains__(self, line: int) -> bool:
        return line in self.by_line

    def raise_any(self) -> None:
        if self.by_line:
            raise UnitImportError(
                [Problem(line, "; ".join(found)) for line, found in self.by_line.items()]
            )


async def import_units_csv(
    session: AsyncSession,
    source: str | Path,
    *,
    population_year: int | None = None,
    plans: Collection[str] | None = None,
) -> ImportResult:
    """Create or update units from CSV (``code,name,level,parent_code,plan_id,child_population``).

    `source` is a file path or the CSV text itself. Every row is checked first; if any is bad,
    :class:`UnitImportError` lists every bad line (by number) and nothing is written. Parents
    may appear later in the file or exist already. A blank ``plan_id`` inherits the parent's;
    with `plans`, a ``plan_id`` must be one of them. ``child_population`` is stored for the
    row's ``population_year`` (or ``year``) column, else for `population_year` (default: this
    year in Vietnam; the command line passes its clock's year, which follows BOT_NOW).
    """
    text = _read_source(source)
    default_year = population_year or today(SystemClock()).year
    problems = _Problems()
    rows, bad_codes = _parse(text, default_year, problems, plans)
    existing = {u.code: u for u in (await session.scalars(select(Unit))).all()}
    order = _validate(rows, bad_codes, existing, problems)
    problems.raise_any()

    try:
        async with session.begin_nested():
            return await _write(session, order, existing)
    except UnitTreeError as exc:
        raise UnitImportError(exc.args[1], exc.args[0]) from None


async def _write(session: AsyncSession, order: list[_Row], existing: dict[str, Unit]
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
            await set_population(session, unit.id, row.year, row.child_population)
            populations += 1
    await session.flush()
    return ImportResult(created=created, updated=updated, populations=populations)


def _read_source(source: str | Path) -> str:
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8-sig")
    if "\n" not in source and "," not in source and Path(source).is_file():
        return Path(source).read_text(encoding="utf-8-sig")
    return source.removeprefix("\ufeff")


def _parse(
    text: str, default_year: int, problems: _Problems, plans: Collection[str] | None
) -> tuple[list[_Row], set[str]]:
    """The good rows and the codes on bad ones; each bad line is noted in `problems` (a bad
    header stops at once)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise UnitImportError(1, "the file is empty") from None
    missing = [c for c in CSV_COLUMNS[:3] if c not in header]
    if missing:
        raise UnitImportError(1, f"missing column(s): {', '.join(missing)}")
    index = {name: i for i, name in enumerate(header)}
    year_column = next((c for c in YEAR_COLUMNS if c in index), None)

    rows: list[_Row] = []
    bad_codes: set[str] = set()
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue

        def cell(name: str | None, record: list[str] = record) -> str:
            i = index.get(name) if name else None
            return record[i].strip() if i is not None and i < len(record) else ""

        def bad(message: str, line: int = line) -> None:
            problems.add(line, message)

        if len(record) > len(header):
            bad(f"{len(record)} fields, the header has {len(header)}")
        code, name = cell("code"), cell("name")
        if not code:
            bad("code is empty")
        elif len(code) > 64:
            bad(f"code {code!r} is longer than 64 characters")
        elif code in seen:
            bad(f"code {code!r} repeats line {seen[code]}")
        if not name:
            bad(f"name is empty for {code!r}" if code else "name is empty")
        level = parse_level(cell("level"))
        if level is None:
            bad(f"level {cell('level')!r} is not one of {', '.join(LEVELS)} or {LEVEL_WORDS}")
        population = _optional_int(cell("child_population"), "child_population", bad)
        year = _optional_int(cell(year_column), year_column or "year", bad)
        if year is not None and not YEARS[0] <= year <= YEARS[1]:
            bad(f"{year_column} must be a year from {YEARS[0]} to {YEARS[1]}, got {year}")
        parent_code = cell("parent_code") or None
        if code and parent_code == code:
            bad(f"{code!r} cannot be its own parent")
        plan_id = cell("plan_id") or None
        if plan_id and plans is not None and plan_id not in plans:
            bad(f"unknown plan_id {plan_id!r}; known: {', '.join(sorted(plans))}")
        if code and code not in seen:
            seen[code] = line
        if line in problems or level is None:
            if code and seen.get(code) == line:
                bad_codes.add(code)
            continue
        rows.append(_Row(line, code, name, level, parent_code, plan_id, population,
                         year or default_year))
    if not rows and not problems.by_line:
        raise UnitImportError(1, "no units in the file")
    return rows, bad_codes


def _optional_int(raw: str, column: str, bad: Callable[[str], None]) -> int | None:
    if not raw:
        return None
    cleaned = raw.replace(" ", "").replace("_", "")
    if not cleaned.isdigit():
        bad(f"{column} must be a whole number ≥ 0, got {raw!r}")
        return None
    return int(cleaned)


def _validate(
    rows: list[_Row], bad_codes: set[str], existing: dict[str, Unit], problems: _Problems
) -> list[_Row]:
    """Check parents and levels (usecases.units.rules), noting each bad line in `problems`;
    return the good rows ordered so every parent comes first. `bad_codes`: codes written on
    bad lines (a child naming one is not "unknown" because of the other line's problem)."""
    in_file = {row.code: row for row in rows}

    def level_of(code: str) -> str:
        return in_file[code].level if code in in_file else existing[code].level

    for row in rows:
        parent = row.parent_code
        if parent is not None and parent in bad_codes:
            continue  # its own line is bad: the child is not judged by it
        if parent is not None and parent not in in_file and parent not in existing:
            problems.add(row.line, f"unknown parent_code {parent!r}")
            continue
        problem = misplaced(row.level, level_of(parent) if parent else None)
        if problem is Misplaced.NEEDS_PARENT:
            problems.add(row.line, f"a {row.level} needs a parent_code")
        elif problem is Misplaced.PROVINCE_ON_TOP:
            problems.add(row.line, "a province cannot have a parent")
        elif problem is Misplaced.BELOW_COMMUNE:
            problems.add(row.line,
                         f"parent {parent!r} is a commune and cannot have units below")
    return _parents_first(rows, in_file, problems)


def _parents_first(rows: list[_Row], in_file: dict[str, _Row], problems: _Problems
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
                cycle = path[path.index(code):]
                for member in cycle:
                    problems.add(in_file[member].line, f"{member!r} is part of a parent cycle")
                    state[member] = 2
                break
            state[code] = 1
            path.append(code)
            code = parent_in_final_tree(code)
        for done in reversed(path):
            if state.get(done) != 2:
                state[done] = 2
                order.append(in_file[done])
    return order
