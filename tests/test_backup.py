"""Online backup and restore of the SQLite database."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from kernel.calendar import Month
from kernel.counts import CaseCounts
from storage import access_log, case_reports
from storage.backup import (
    BackupError,
    DatabaseBusy,
    backup_database,
    check_backup_file,
    head_revision,
    restore_database,
    table_counts,
)
from storage.db import Database
from storage.models import AccessLog, Person, Report, ReportVersion
from tests.storage_helpers import officer, small_tree


def counts_of(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return table_counts(conn)


async def new_database(path: Path, reports: int = 3) -> Database:
    """A migrated database with a unit tree, an officer and `reports` reports (+ access log)."""
    database = Database(f"sqlite+aiosqlite:///{path}")
    await database.migrate()
    async with database.session() as session:
        tree = await small_tree(session)
        person = await officer(session, 1001, tree["C11"])
        await session.commit()
    for n in range(reports):
        await write_one(database, tree["C11"].id, person.id, n)
    return database


async def write_one(database: Database, unit_id: int, person_id: int, n: int) -> None:
    """One transaction: a report, its first version and an access-log entry."""
    month = Month(2000 + n // 12, n % 12 + 1)
    async with database.session() as session:
        result = await case_reports.submit_report(
            session, unit_id, month, CaseCounts(n % 7, 1, 0), person_id=person_id
        )
        assert result.status == "created"
        await access_log.log_access(session, person_id, "submit", unit_id=unit_id)
        await session.commit()


async def test_backup_while_a_writer_is_active_is_consistent(tmp_path) -> None:
    database = await new_database(tmp_path / "bot.db", reports=0)
    add_bulk_rows(tmp_path / "bot.db", 100_000)  # a copy that takes a while
    async with database.read_session() as session:
        person = (await session.scalars(select(Person))).one()
    committed = 0
    stop = asyncio.Event()
    started = asyncio.Event()

    async def writer() -> None:
        nonlocal committed
        while not stop.is_set():
            await write_one(database, person.unit_id, person.id, committed)
            committed += 1
            if committed == 20:
                started.set()
            await asyncio.sleep(0)

    task = asyncio.create_task(writer())
    try:
        await started.wait()
        before = committed
        result = await asyncio.to_thread(
            backup_database, tmp_path / "bot.db", tmp_path / "backups" / "copy.db"
        )
        after = committed
    finally:
        stop.set()
        await task
        await database.dispose()

    counts = result.counts
    assert before <= counts["reports"] <= after
    # Every transaction wrote three rows together: a consistent snapshot has them all or none.
    assert counts["reports"] == counts["report_versions"] == counts["access_log"]
    assert counts["units"] == 6 and counts["people"] == 1
    assert result.path == tmp_path / "backups" / "copy.db"
    assert result.size == result.path.stat().st_size > 0
    assert result.revision == head_revision()
    assert counts_of(result.path) == counts
    assert not (tmp_path / "backups" / "copy.db.partial").exists()
    with closing(sqlite3.connect(result.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert counts_of(tmp_path / "bot.db")["reports"] == committed >= counts["reports"]


async def test_backup_leaves_out_a_transaction_still_open(tmp_path) -> None:
    database = await new_database(tmp_path / "bot.db", reports=2)
    try:
        async with database.session() as session:
            person = (await session.scalars(select(Person))).one()
            await case_reports.submit_report(
                session, person.unit_id, Month(2030, 1), CaseCounts(1, 1, 1), person_id=person.id
            )
            await access_log.log_access(session, person.id, "submit")
            # The writer holds the write lock and has not committed: the backup goes ahead.
            result = await asyncio.to_thread(
                backup_database, tmp_path / "bot.db", tmp_path / "copy.db"
            )
            await session.commit()
    finally:
        await database.dispose()
    assert result.counts["reports"] == result.counts["access_log"] == 2
    assert counts_of(tmp_path / "bot.db")["reports"] == 3


def add_bulk_rows(path: Path, rows: int) -> None:
    """Many processed-update rows, so that the database is not tiny."""
    with closing(sqlite3.connect(path)) as conn:
        conn.executemany(
            "INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
            ((n, "2025-01-01 00:00:00.000000") for n in range(rows)),
        )
        conn.commit()


async def test_backup_refuses_to_overwrite_and_needs_a_database(tmp_path) -> None:
    with pytest.raises(BackupError, match="no database"):
        backup_database(tmp_path / "missing.db", tmp_path / "b.db")
    database = await new_database(tmp_path / "bot.db")
    await database.dispose()
    (tmp_path / "b.db").write_text("keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup_database(tmp_path / "bot.db", tmp_path / "b.db")
    assert (tmp_path / "b.db").read_text() == "keep me"


async def test_restore_round_trip_keeps_the_replaced_database(tmp_path) -> None:
    live = tmp_path / "data" / "bot.db"
    database = await new_database(live, reports=3)
    saved = backup_database(live, tmp_path / "saved.db")
    async with database.session() as session:  # later changes the restore must undo
        person_id = await session.scalar(select(AccessLog.person_id).limit(1))
        unit_id = await session.scalar(select(Report.unit_id).limit(1))
        await session.commit()
    for n in range(3, 8):
        await write_one(database, unit_id, person_id, n)
    changed = counts_of(live)
    await database.dispose()
    assert changed["reports"] == 8 and saved.counts["reports"] == 3

    result = restore_database(tmp_path / "saved.db", live)

    assert result.counts == saved.counts == counts_of(live)
    assert result.previous is not None and result.previous.name.endswith(".before-restore")
    assert result.previous.parent == live.parent
    assert counts_of(result.previous) == changed
    database = Database(f"sqlite+aiosqlite:///{live}")
    try:
        async with database.read_session() as session:
            months = (await session.scalars(select(Report.month).order_by(Report.month))).all()
            versions = await session.scalar(select(func.count()).select_from(ReportVersion))
        assert list(months) == [1, 2, 3] and versions == 3
        await write_one(database, unit_id, person_id, 20)  # the restored database is writable
        async with database.read_session() as session:
            assert await session.scalar(select(func.count()).select_from(Report)) == 4
    finally:
        await database.dispose()
    with closing(sqlite3.connect(live)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_restore_into_a_missing_database(tmp_path) -> None:
    database = await new_database(tmp_path / "bot.db")
    await database.dispose()
    saved = backup_database(tmp_path / "bot.db", tmp_path / "saved.db")
    result = restore_database(tmp_path / "saved.db", tmp_path / "new" / "bot.db")
    assert result.previous is None
    assert counts_of(tmp_path / "new" / "bot.db") == saved.counts


async def test_restore_refuses_while_the_database_is_open(tmp_path) -> None:
    live = tmp_path / "bot.db"
    database = await new_database(live)
    saved = backup_database(live, tmp_path / "saved.db")
    async with database.session() as session:
        unit_id = await session.scalar(select(Report.unit_id).limit(1))
        person_id = await session.scalar(select(AccessLog.person_id).limit(1))
    await write_one(database, unit_id, person_id, 10)
    try:
        # The engine's pool keeps its connection open, as in a running bot.
        with pytest.raises(DatabaseBusy, match="in use"):
            restore_database(tmp_path / "saved.db", live)
        async with database.read_session() as session:
            assert await session.scalar(select(func.count()).select_from(Report)) == 4
    finally:
        await database.dispose()
    assert counts_of(live)["reports"] == saved.counts["reports"] + 1
    assert not list(tmp_path.glob("*.before-restore"))


async def test_restore_refuses_files_that_do_not_fit(tmp_path) -> None:
    live = tmp_path / "bot.db"
    database = await new_database(live)
    await database.dispose()
    before = counts_of(live)

    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database at all, just some text " * 10)
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
        conn.commit()
    newer = tmp_path / "newer.db"
    backup_database(live, newer)
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    stripped = tmp_path / "stripped.db"
    backup_database(live, stripped)
    with closing(sqlite3.connect(stripped)) as conn:
        conn.execute("DROP TABLE leases")
        conn.commit()

    cases = [
        (tmp_path / "missing.db", "no such file"),
        (text_file, "not an SQLite database"),
        (foreign, "not a database of this bot"),
        (newer, "unknown to this code"),
        (stripped, "lacks tables of this schema: leases"),
        (live, "is the database itself"),
    ]
    for path, message in cases:
        with pytest.raises(BackupError, match=message):
            restore_database(path, live)
    assert counts_of(live) == before
    assert not list(tmp_path.glob("*.before-restore"))
    assert check_backup_file(live) == (
        head_revision(), before
    )


def test_commands_print_what_they_did(tmp_path, monkeypatch, capsys) -> None:
    live = tmp_path / "data" / "bot.db"
    asyncio.run(_create_and_close(live))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{live}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))

    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    written = sorted((tmp_path / "data" / "backups").glob("bot-*-*.db"))
    assert len(written) == 1
    assert str(written[0]) in out
    assert f"{written[0].stat().st_size:,} bytes" in out
    assert "reports 3" in out and "units 6" in out

    assert main(["restore", str(written[0])]) == 0
    out = capsys.readouterr().out
    assert f"restored {written[0]} into {live}" in out
    assert "before-restore" in out
    assert counts_of(live)["reports"] == 3


@pytest.mark.parametrize("command", [["backup"], ["restore", "x.db"]])
def test_commands_refuse_postgres_in_one_line(command, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:secret@db.example/bot")
    assert main(command) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "pg_dump" in out and "secret" not in out


async def _create_and_close(path: Path) -> None:
    database = await new_database(path)
    await database.dispose()
