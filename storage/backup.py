"""Online backup and restore of the SQLite database (sqlite3's backup API).

A backup copies a consistent snapshot while the bot keeps running: in WAL mode the copy holds
one read transaction and never blocks writers. A restore checks that the file is a database of
this schema, refuses while another process has the database open, keeps the current database
as ``<name>.<timestamp>.before-restore`` and copies the backup in through SQLite's own locks.
PostgreSQL deployments use ``pg_dump``/``pg_restore`` instead (docs/operations.md).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from storage.models import Base
from storage.urls import normalize_url, sqlite_file

#: Every table of the schema, parents first.
TABLES: tuple[str, ...] = tuple(t.name for t in Base.metadata.sorted_tables)
#: Listed first in summaries.
MAIN_TABLES: tuple[str, ...] = ("units", "people", "reports", "report_versions", "access_log")
SQLITE_MAGIC = b"SQLite format 3\x00"
#: How long to wait for a lock before calling the database busy.
BUSY_WAIT_SECONDS = 1.0
POSTGRES_HINT = "use pg_dump / pg_restore for PostgreSQL (see docs/operations.md)"


class BackupError(RuntimeError):
    """A backup or restore was refused or failed; the message is one line for the user."""


class DatabaseBusy(BackupError):
    """Another process has the database open."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    revision: str | None
    counts: dict[str, int]


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    source: Path
    revision: str
    counts: dict[str, int]
    #: The database as it was before the restore (None if there was none).
    previous: Path | None


def sqlite_path(database_url: str | URL, action: str) -> Path:
    """The SQLite file of `database_url`; BackupError for PostgreSQL or in-memory databases."""
    url = normalize_url(database_url)
    if url.get_backend_name() == "postgresql":
        raise BackupError(f"{action} works on SQLite only: {POSTGRES_HINT}")
    path = sqlite_file(url)
    if path is None:
        raise BackupError(f"{action} needs an SQLite file, not an in-memory database")
    return path.resolve()


def default_backup_path(data_dir: str | Path, now: datetime | None = None) -> Path:
    """``<data_dir>/backups/bot-YYYYmmdd-HHMMSS.db`` (local time)."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(data_dir) / "backups" / f"bot-{stamp}.db"


def backup_database(db_path: Path, dest: Path) -> BackupResult:
    """Copy a consistent snapshot of `db_path` to `dest` (a new file) and check the copy."""
    if not db_path.is_file():
        raise BackupError(f"no database at {db_path}")
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose another file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect(db_path)) as source, closing(_connect(partial)) as copy:
            source.backup(copy)  # one step: a single read transaction, a consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # a self-contained file
            _check_integrity(copy, dest)
            revision = schema_revision(copy)
            counts = table_counts(copy)
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(dest, dest.stat().st_size, revision, counts)


def check_backup_file(path: Path) -> tuple[str, dict[str, int]]:
    """The schema revision and row counts of a backup; BackupError unless it fits this code."""
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not an SQLite database")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            _check_integrity(conn, path)
            revision = schema_revision(conn)
            if revision is None:
                raise BackupError(f"{path} is not a database of this bot (no schema revision)")
            _check_revision(revision, path)
            missing = [name for name in TABLES if name not in _tables_in(conn)]
            if revision == head_revision() and missing:
                raise BackupError(f"{path} lacks tables of this schema: {', '.join(missing)}")
            return revision, table_counts(conn)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be read as an SQLite database: {exc}") from exc


def restore_database(backup: Path, db_path: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the database at `db_path` by `backup`, keeping the current one aside."""
    backup = backup.resolve()
    if backup == db_path.resolve():
        raise BackupError("the backup file is the database itself")
    revision, counts = check_backup_file(backup)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    previous = None
    try:
        with closing(sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)) as source:
            if not db_path.exists():
                with closing(_connect(db_path)) as target:
                    _copy_into(source, target)
                    restored = table_counts(target)
            else:
                with exclusive_connection(db_path) as target:
                    previous = _before_restore_path(db_path, now)
                    with closing(_connect(previous)) as keep:
                        target.backup(keep)
                        keep.execute("PRAGMA journal_mode = DELETE")
                    _copy_into(source, target)
                    _check_integrity(target, db_path)
                    restored = table_counts(target)
    except sqlite3.Error as exc:
        raise BackupError(f"restore failed: {exc}") from exc
    if restored != counts:
        raise BackupError(f"restore failed: row counts differ after the copy ({restored})")
    return RestoreResult(db_path, backup, revision, counts, previous)


@contextmanager
def exclusive_connection(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection holding an exclusive lock on the database; DatabaseBusy if others have it open.

    In WAL mode every open connection (e.g. the running bot's pool) holds a shared lock on
    the database file, so the exclusive lock is refused while any other connection exists.
    """
    conn = _connect(db_path, timeout=BUSY_WAIT_SECONDS)
    try:
        try:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("COMMIT")  # the lock stays: locking_mode is EXCLUSIVE
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(
                    f"{db_path} is in use by another process (is the bot running?); stop it first"
                ) from exc
            raise
        yield conn
    finally:
        conn.close()


def ensure_not_busy(db_path: Path) -> None:
    """DatabaseBusy if another process has the SQLite database open."""
    with exclusive_connection(db_path):
        pass


def schema_revision(conn: sqlite3.Connection) -> str | None:
    """The Alembic revision recorded in the database (None if there is none)."""
    if "alembic_version" not in _tables_in(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def head_revision() -> str | None:
    """The newest revision this code knows."""
    return _script_directory().get_current_head()


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per schema table present in the database."""
    present = _tables_in(conn)
    return {
        name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        for name in TABLES
        if name in present
    }


def format_counts(counts: dict[str, int]) -> str:
    """``units 6, people 3, ...``: the main tables first."""
    names = [n for n in MAIN_TABLES if n in counts] + [n for n in counts if n not in MAIN_TABLES]
    return ", ".join(f"{name} {counts[name]}" for name in names)


def backup_command(database_url: str, data_dir: Path, file: str | None) -> int:
    """``python -m bot backup [FILE]``: print the path, size and row counts."""
    try:
        db_path = sqlite_path(database_url, "backup")
        dest = Path(file) if file else default_backup_path(data_dir)
        result = backup_database(db_path, dest.resolve())
    except BackupError as exc:
        print(f"backup refused: {exc}")
        return 1
    print(f"backup written: {result.path}")
    print(f"size: {result.size:,} bytes; schema revision {result.revision}")
    print(f"rows: {format_counts(result.counts)}")
    return 0


def restore_command(database_url: str, file: str) -> int:
    """``python -m bot restore FILE``: print what was replaced and kept."""
    try:
        db_path = sqlite_path(database_url, "restore")
        result = restore_database(Path(file), db_path)
    except BackupError as exc:
        print(f"restore refused: {exc}")
        return 1
    print(f"restored {result.source} into {result.database} (schema revision {result.revision})")
    if result.previous is not None:
        print(f"the previous database is kept as {result.previous}")
    print(f"rows: {format_counts(result.counts)}")
    if result.revision != head_revision():
        print(f"the bot upgrades the schema to {head_revision()} when it starts")
    return 0


def _connect(path: Path, timeout: float = 15.0) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def _copy_into(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Overwrite `target` with `source` (page sizes may differ, so leave WAL mode meanwhile)."""
    target.execute("PRAGMA journal_mode = DELETE")
    source.backup(target)
    target.execute("PRAGMA journal_mode = WAL")


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} failed the integrity check: {result}")


def _check_revision(revision: str, path: Path) -> None:
    from alembic.util import CommandError

    try:
        known = _script_directory().get_revision(revision)
    except CommandError:
        known = None
    if known is None:
        raise BackupError(
            f"{path} has schema revision {revision}, unknown to this code (head "
            f"{head_revision()}): it comes from a newer version of the bot"
        )


def _script_directory():  # -> alembic.script.ScriptDirectory
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    return ScriptDirectory.from_config(alembic_config())


def _tables_in(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def _before_restore_path(db_path: Path, now: datetime | None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = db_path.with_name(f"{db_path.name}.{stamp}.before-restore")
    serial = 1
    while path.exists():
        serial += 1
        path = db_path.with_name(f"{db_path.name}.{stamp}-{serial}.before-restore")
    return path
