"""Move a deployment from SQLite to PostgreSQL without losing data.

In one transaction on the target: the Alembic migrations run, then every table of
``storage.models.Base.metadata`` (so new tables are covered automatically) is copied parents
first, in batches; sequences are moved past the copied ids, and row counts plus an
order-independent checksum of every table are compared before the commit. On any error or
difference nothing is committed (PostgreSQL DDL is transactional: not even the schema).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Table, func, null, select, text
from sqlalchemy.engine import URL, Row
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.backup import BackupError, ensure_not_busy
from storage.db import Database, alembic_config
from storage.models import Base
from storage.urls import normalize_url, sqlite_file

DEFAULT_BATCH_SIZE = 1000
_NULL_FLAG = "sql_null__"
_MODULUS = 1 << 256


class TransferError(RuntimeError):
    """The move was refused or failed; the message is one line for the user."""


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


@dataclass
class TransferResult:
    source: Path
    target: str
    revision: str | None
    tables: list[TableCopy] = field(default_factory=list)
    #: Next id per ``table.column`` after the sequence reset.
    sequences: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def tables_to_copy() -> list[Table]:
    """Every table of the schema, parents first (``alembic_version`` is not in the metadata)."""
    return list(Base.metadata.sorted_tables)


async def migrate_to_postgres(
    source_url: str | URL, target_url: str | URL, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> TransferResult:
    """Copy the SQLite database at `source_url` into the empty PostgreSQL `target_url`."""
    source_path = _source_path(source_url)
    target_parsed = normalize_url(target_url)
    if target_parsed.get_backend_name() != "postgresql":
        raise TransferError("the target must be a postgresql:// URL")
    try:
        ensure_not_busy(source_path)
    except BackupError as exc:
        raise TransferError(str(exc)) from exc

    source, target = Database(source_url), Database(target_parsed)
    try:
        await source.migrate()  # what the bot does at start-up; a no-op when up to date
        result = TransferResult(source_path, target.safe_url, None)
        async with source.read_session() as session, target.engine.begin() as dst:
            # Schema and data in one transaction: on failure the target is left as it was.
            result.revision = await dst.run_sync(_upgrade_head)
            src = await session.connection()  # one read transaction: a consistent snapshot
            await _ensure_empty(dst)
            copied = [await _copy_table(src, dst, t, batch_size) for t in tables_to_copy()]
            result.sequences = await _reset_sequences(dst)
            await _verify(dst, copied)
            result.tables = copied
        return result
    finally:
        await source.dispose()
        await target.dispose()


def _upgrade_head(sync_connection: Any) -> str | None:
    """Run the Alembic migrations on this connection; the revision reached."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = alembic_config()
    config.attributes["connection"] = sync_connection
    command.upgrade(config, "head")
    return MigrationContext.configure(sync_connection).get_current_revision()


def _source_path(source_url: str | URL) -> Path:
    url = normalize_url(source_url)
    if url.get_backend_name() != "sqlite":
        raise TransferError("DATABASE_URL is not SQLite: nothing to move")
    path = sqlite_file(url)
    if path is None or not path.is_file():
        raise TransferError(f"no SQLite database at {path or url.database}")
    return path.resolve()


async def _ensure_empty(dst: AsyncConnection) -> None:
    filled = [
        t.name for t in tables_to_copy()
        if (await dst.execute(select(text("1")).select_from(t).limit(1))).first() is not None
    ]
    if filled:
        raise TransferError(
            f"the target database already has data ({', '.join(filled)}); use an empty database"
        )


async def _copy_table(
    src: AsyncConnection, dst: AsyncConnection, table: Table, batch_size: int
) -> TableCopy:
    checksum = _Checksum()
    async for batch in _source_batches(src, table, batch_size):
        await dst.execute(table.insert(), [_insert_params(table, row) for row in batch])
        for row in batch:
            checksum.add(table, row)
    return TableCopy(table.name, checksum.rows, checksum.hexdigest())


async def _source_batches(
    src: AsyncConnection, table: Table, batch_size: int
) -> AsyncIterator[Sequence[Row[Any]]]:
    result = await src.stream(_select_rows(table))
    if not _self_references(table):
        async for batch in result.partitions(batch_size):
            yield batch
        return
    rows = _parents_first(table, [row async for row in result])
    for start in range(0, len(rows), batch_size):
        yield rows[start:start + batch_size]


def _select_rows(table: Table) -> Any:
    """All columns, plus an SQL-NULL flag per JSON column (JSON ``null`` is a different value)."""
    flags = [c.is_(None).label(_NULL_FLAG + c.name) for c in _json_columns(table)]
    return select(table, *flags)


def _json_columns(table: Table) -> list[Any]:
    return [c for c in table.columns if isinstance(c.type, JSON)]


def _insert_params(table: Table, row: Row[Any]) -> dict[str, Any]:
    values = row._mapping
    params = {c.key: values[c.name] for c in table.columns}
    for column in _json_columns(table):
        if values[_NULL_FLAG + column.name]:
            params[column.key] = null()
    return params


def _self_references(table: Table) -> list[tuple[str, str]]:
    """(column, referenced column) pairs of foreign keys from `table` to itself."""
    return [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]


def _parents_first(table: Table, rows: list[Row[Any]]) -> list[Row[Any]]:
    """Order rows so that a row referenced by another (e.g. a parent unit) comes first."""
    pairs = _self_references(table)
    pending, ordered = list(rows), []
    done: dict[str, set[Any]] = {ref: set() for _, ref in pairs}
    known = {ref: {row._mapping[ref] for row in rows} for _, ref in pairs}
    while pending:
        waiting = []
        for row in pending:
            values = row._mapping
            if all(
                values[col] is None or values[col] not in known[ref] or values[col] in done[ref]
                for col, ref in pairs
            ):
                ordered.append(row)
                for ref in done:
                    done[ref].add(values[ref])
            else:
                waiting.append(row)
        if len(waiting) == len(pending):  # a cycle: let the database judge it
            ordered.extend(waiting)
            break
        pending = waiting
    return ordered


async def _reset_sequences(dst: AsyncConnection) -> dict[str, int]:
    """Move each serial column's sequence to max(id) + 1; returns the next id per column."""
    moved = {}
    for table in tables_to_copy():
        column = table.autoincrement_column
        if column is None:
            continue
        quoted = dst.dialect.identifier_preparer.format_table(table)
        sequence = (
            await dst.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": quoted, "column": column.name},
            )
        ).scalar()
        if sequence is None:
            continue
        highest = (await dst.execute(select(func.max(column)))).scalar() or 0
        await dst.execute(
            text("SELECT setval(CAST(:sequence AS regclass), :next, false)"),
            {"sequence": sequence, "next": highest + 1},
        )
        moved[f"{table.name}.{column.name}"] = highest + 1
    return moved


async def _verify(dst: AsyncConnection, copied: list[TableCopy]) -> None:
    """Row counts and checksums on the target must equal those read from the source."""
    tables = {t.name: t for t in tables_to_copy()}
    for expected in copied:
        table = tables[expected.name]
        count = (await dst.execute(select(func.count()).select_from(table))).scalar_one()
        if count != expected.rows:
            raise TransferError(
                f"{table.name}: {expected.rows} rows read but {count} on the target"
            )
        checksum = _Checksum()
        result = await dst.stream(_select_rows(table))
        async for row in result:
            checksum.add(table, row)
        if checksum.hexdigest() != expected.checksum:
            raise TransferError(f"{table.name}: the values on the target differ from the source")


class _Checksum:
    """An order-independent digest of rows: the sum of per-row SHA-256 values."""

    def __init__(self) -> None:
        self.rows = 0
        self._total = 0

    def add(self, table: Table, row: Row[Any]) -> None:
        values = row._mapping
        canonical = [values[c.name] for c in table.columns]
        canonical += [values[_NULL_FLAG + c.name] for c in _json_columns(table)]
        encoded = json.dumps(
            canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
            default=_json_default,
        )
        digest = hashlib.sha256(encoded.encode()).digest()
        self._total = (self._total + int.from_bytes(digest, "big")) % _MODULUS
        self.rows += 1

    def hexdigest(self) -> str:
        return f"{self._total:064x}"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot checksum {type(value).__name__}")


def migrate_to_postgres_command(database_url: str, target_url: str, batch_size: int) -> int:
    """``python -m bot migrate-to-postgres URL``: copy, verify, commit, print a summary."""
    import asyncio

    try:
        result = asyncio.run(migrate_to_postgres(database_url, target_url, batch_size=batch_size))
    except (TransferError, ValueError) as exc:
        print(f"migrate-to-postgres refused: {exc}")
        return 1
    except Exception as exc:  # any database error: report it in one line
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        print(f"migrate-to-postgres failed, nothing was committed: {type(exc).__name__}: {detail}")
        return 1
    print(f"copied {result.source} -> {result.target} (schema revision {result.revision})")
    width = max(len(t.name) for t in result.tables)
    for table in result.tables:
        print(f"  {table.name:<{width}}  {table.rows:>9} rows  checksum {table.checksum[:16]}")
    print(f"total {result.total_rows} rows; counts and checksums verified")
    if result.sequences:
        print("next ids: " + ", ".join(f"{k} {v}" for k, v in result.sequences.items()))
    print("committed. Set DATABASE_URL to the PostgreSQL URL and restart the bot.")
    return 0
