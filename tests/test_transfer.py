"""migrate-to-postgres: a full copy from SQLite to a real PostgreSQL server, verified."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, insert, null, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.__main__ import main
from kernel.calendar import Month
from kernel.counts import CaseCounts
from storage import access_log, case_reports, invites, leases, nudges, people, updates
from storage.backup import head_revision
from storage.db import Database
from storage.due import LockPolicy
from storage.models import (
    AccessLog,
    Base,
    ConversationState,
    PersistedData,
    Person,
    Report,
    ReportVersion,
    Unit,
)
from storage.transfer import TransferError, migrate_to_postgres, tables_to_copy
from tests.pg import PgServer
from tests.storage_helpers import officer, small_tree

POLICY = LockPolicy(due_day=5, lock_days=30)
T0 = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


async def fill(session: AsyncSession) -> None:
    """Some rows in every table, including the awkward cases a copy could get wrong."""
    tree = await small_tree(session)
    # A parent created after its child: the child's parent_id is larger than its own id.
    orphan = Unit(code="C99", name="Xã Mỹ Long Bắc", level="commune")
    session.add(orphan)
    await session.flush()
    district = Unit(code="D9", name="Huyện Cầu Ngang", level="district", parent_id=tree["P"].id)
    session.add(district)
    await session.flush()
    orphan.parent_id = district.id

    alice = await officer(session, 1001, tree["C11"])
    bob = await officer(session, 1002, tree["C12"])
    boss = await people.set_role(session, 2001, "supervisor", tree["D1"].id)
    await people.mark_blocked(session, 1002, now=T0)
    await invites.create_invite(session, tree["C21"].id, "officer", created_by=boss.id, now=T0)

    for i, month in enumerate([Month(2025, 1), Month(2025, 2), Month(2025, 3)]):
        await case_reports.submit_report(
            session, tree["C11"].id, month, CaseCounts(i, 2 * i, 1, abuse_violence=i),
            person_id=alice.id, token=f"tok-{i}", now=T0 + timedelta(days=i),
        )
    await case_reports.submit_report(
        session, tree["C12"].id, Month(2025, 1), CaseCounts(3, 0, 0), person_id=bob.id, now=T0
    )
    await case_reports.replace_report(
        session, tree["C11"].id, Month(2025, 1), CaseCounts(7, 1, 0), person_id=boss.id,
        role="supervisor", reason="entry_mistake", policy=POLICY, now=T0 + timedelta(days=40),
    )
    await case_reports.reopen_report(
        session, tree["C12"].id, Month(2025, 1), person_id=boss.id, role="supervisor",
        reason=None, now=T0 + timedelta(days=41),
    )
    report = await case_reports.get_report(session, tree["C12"].id, Month(2025, 1))
    assert report is not None
    # A version whose old values are SQL NULL (not JSON null).
    await session.execute(
        insert(ReportVersion).values(
            report_id=report.id, version=9, action="replaced", old_values=null(),
            new_values={"abuse": 3}, changed_at=T0,
        )
    )
    for n in range(5):
        await access_log.log_access(session, alice.id, "stats", unit_id=tree["C11"].id,
                                    detail=f"lần {n}", now=T0 + timedelta(minutes=n))
    await nudges.record_nudge(session, alice.id, Month(2025, 4), "due_soon", now=T0)
    await updates.mark_processed(session, 9_000_000_001, now=T0)
    await leases.acquire(session, "reminders", "host-a", timedelta(minutes=5), now=T0)
    session.add(ConversationState(name="report", key="[1001, 1001]", state=3))
    session.add(PersistedData(kind="user", key="1001",
                              data={"lang": "vi", "draft": {"abuse": 1}, "note": "Trà Vinh"}))
    await session.commit()


async def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (plus SQL-NULL flags of JSON columns), sorted."""
    found = {}
    async with database.read_session() as session:
        for table in tables_to_copy():
            stmt = select(table, *_json_null_flags(table))
            rows = (await session.execute(stmt)).all()
            found[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def _json_null_flags(table: Table) -> list[Any]:
    return [c.is_(None) for c in table.columns if c.type.__class__.__name__ == "JSON"]


async def sqlite_source(tmp_path: Path) -> Database:
    source = Database(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await source.migrate()
    async with source.session() as session:
        await fill(session)
    return source


@pytest.fixture
async def target_url(pg_server: PgServer):
    name = await pg_server.create_database()  # empty: the move runs the migrations itself
    try:
        yield pg_server.url(name)
    finally:
        await pg_server.drop_database(name)


@pytest.mark.postgres
async def test_everything_is_copied_with_equal_values(tmp_path, target_url) -> None:
    source = await sqlite_source(tmp_path)
    expected = await snapshot(source)
    await source.dispose()

    result = await migrate_to_postgres(source.url, target_url, batch_size=2)

    target = Database(target_url)
    try:
        copied = await snapshot(target)
        assert await target.current_revision() == head_revision()
    finally:
        await target.dispose()
    assert copied == expected
    assert [t.name for t in result.tables] == [t.name for t in Base.metadata.sorted_tables]
    assert {t.name: t.rows for t in result.tables} == {k: len(v) for k, v in expected.items()}
    assert all(len(rows) > 0 for rows in expected.values()), "fill() must cover every table"
    json_nulls = [row[-2] for row in copied["report_versions"]]  # old_values IS NULL
    assert True in json_nulls and False in json_nulls


@pytest.mark.postgres
async def test_sequences_continue_after_the_copied_ids(tmp_path, target_url) -> None:
    source = await sqlite_source(tmp_path)
    async with source.read_session() as session:
        max_ids = {
            model: await session.scalar(select(func.max(model.id)))
            for model in (Unit, Person, Report, ReportVersion, AccessLog)
        }
    await source.dispose()

    result = await migrate_to_postgres(source.url, target_url)
    assert result.sequences["people.id"] == max_ids[Person] + 1

    target = Database(target_url)
    try:
        async with target.session() as session:
            unit = Unit(code="NEW", name="New commune", level="commune")
            session.add(unit)
            person = await people.set_role(session, 5005, "officer")
            await session.flush()
            person.unit_id = unit.id
            saved = await case_reports.submit_report(
                session, unit.id, Month(2025, 5), CaseCounts(1, 1, 1), person_id=person.id
            )
            entry_id = await access_log.log_access(session, person.id, "stats")
            await session.commit()
        assert unit.id == max_ids[Unit] + 1
        assert person.id == max_ids[Person] + 1
        assert saved.report is not None and saved.version is not None
        assert saved.report.id == max_ids[Report] + 1
        assert saved.version.id == max_ids[ReportVersion] + 1
        assert entry_id == max_ids[AccessLog] + 1
    finally:
        await target.dispose()


@pytest.mark.postgres
async def test_a_target_with_data_is_refused(tmp_path, target_url) -> None:
    source = await sqlite_source(tmp_path)
    await source.dispose()
    target = Database(target_url)
    await target.migrate()  # a schema without data (e.g. the bot started once) is fine
    await target.dispose()
    first = await migrate_to_postgres(source.url, target_url)
    with pytest.raises(TransferError, match="already has data"):
        await migrate_to_postgres(source.url, target_url)
    target = Database(target_url)
    try:
        copied = await snapshot(target)
    finally:
        await target.dispose()
    assert {t.name: t.rows for t in first.tables} == {k: len(v) for k, v in copied.items()}


@pytest.mark.postgres
async def test_a_failure_midway_leaves_the_target_empty(tmp_path, target_url) -> None:
    source = await sqlite_source(tmp_path)
    # SQLite does not enforce VARCHAR lengths; PostgreSQL rejects this row of a late table,
    # after units, people and reports were already inserted.
    async with source.session() as session:
        await session.execute(update(AccessLog).where(AccessLog.id == 3).values(action="x" * 40))
        await session.commit()
    await source.dispose()
    order = [t.name for t in tables_to_copy()]
    assert order.index("access_log") > order.index("people")

    with pytest.raises(DBAPIError, match="too long"):
        await migrate_to_postgres(source.url, target_url, batch_size=2)

    target = Database(target_url)
    try:
        async with target.read_session() as session:
            left = await session.scalars(
                text("SELECT table_name FROM information_schema.tables "
                     "WHERE table_schema = 'public'")
            )
            assert list(left) == []  # not even the schema: it was part of the transaction
        assert await target.current_revision() is None
    finally:
        await target.dispose()

    # Once the data is fixed the same (still empty) target accepts the move.
    async with source.session() as session:
        await session.execute(update(AccessLog).where(AccessLog.id == 3).values(action="stats"))
        await session.commit()
    await source.dispose()
    result = await migrate_to_postgres(source.url, target_url)
    assert {t.name: t.rows for t in result.tables}["access_log"] == 5


async def test_the_source_must_be_an_sqlite_file_not_in_use(tmp_path) -> None:
    pg = "postgresql://bot@127.0.0.1:1/bot"
    with pytest.raises(TransferError, match="not SQLite"):
        await migrate_to_postgres(pg, pg)
    with pytest.raises(TransferError, match="no SQLite database"):
        await migrate_to_postgres(f"sqlite:///{tmp_path / 'missing.db'}", pg)
    source = await sqlite_source(tmp_path)
    try:
        with pytest.raises(TransferError, match="postgresql"):
            await migrate_to_postgres(source.url, f"sqlite:///{tmp_path / 'other.db'}")
        # The open engine (like a running bot) keeps a pooled connection: refused.
        with pytest.raises(TransferError, match="in use"):
            await migrate_to_postgres(source.url, pg)
    finally:
        await source.dispose()


@pytest.mark.postgres
def test_command_prints_a_summary(tmp_path, pg_server: PgServer, monkeypatch, capsys) -> None:
    source = asyncio.run(_filled_and_closed(tmp_path))
    name = asyncio.run(pg_server.create_database())
    try:
        monkeypatch.setenv("DATABASE_URL", source)
        url = pg_server.url(name).replace("postgresql+asyncpg://", "postgres://")
        assert main(["migrate-to-postgres", url]) == 0
        out = capsys.readouterr().out
        assert "report_versions" in out and "counts and checksums verified" in out
        assert "committed" in out

        assert main(["migrate-to-postgres", url]) == 1
        out = capsys.readouterr().out
        assert out.count("\n") == 1 and "already has data" in out
    finally:
        asyncio.run(pg_server.drop_database(name))


async def _filled_and_closed(tmp_path: Path) -> str:
    source = await sqlite_source(tmp_path)
    await source.dispose()
    return source.url.render_as_string(hide_password=False)


async def test_row_order_puts_parents_first(tmp_path) -> None:
    """The self-referencing units table is copied parents first (checked without PostgreSQL)."""
    from storage.transfer import _parents_first

    source = await sqlite_source(tmp_path)
    try:
        async with source.read_session() as session:
            units_table = Unit.__table__
            rows = (await session.execute(select(units_table).order_by(text("id")))).all()
    finally:
        await source.dispose()
    ordered = _parents_first(units_table, list(rows))
    seen: set[int] = set()
    for row in ordered:
        assert row.parent_id is None or row.parent_id in seen, row
        seen.add(row.id)
    assert sorted(r.id for r in ordered) == sorted(r.id for r in rows)
    assert any(r.parent_id is not None and r.parent_id > r.id for r in rows)
