"""Case reports: submit, idempotency, replace with audit trail, lock and reopen."""

from __future__ import annotations

import asyncio
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest

from kernel.calendar import Month
from kernel.counts import CaseCounts
from storage import case_reports as cr
from storage.db import Database
from storage.due import LockPolicy, due_deadline
from storage.models import Report, ReportVersion
from storage.report_rows import ReportSnapshot, VersionSnapshot
from tests.storage_helpers import officer, small_tree

OCT = Month(2025, 10)
IN_TIME = datetime(2025, 11, 3, 2, tzinfo=UTC)
POLICY = LockPolicy(due_day=5, lock_days=30)


async def _setup(db: Database) -> tuple[int, int]:
    async with db.session() as session:
        tree = await small_tree(session)
        person = await officer(session, 11, tree["C11"])
        await session.commit()
        return tree["C11"].id, person.id


async def test_submit_then_same_token_is_a_duplicate(db: Database) -> None:
    unit_id, person_id = await _setup(db)
    counts = CaseCounts(2, 5, 0, injury_drowning=2)
    async with db.session() as session:
        first = await cr.submit_report(session, unit_id, OCT, counts, person_id=person_id,
                                       token="tok-1", now=IN_TIME)
        await session.commit()
    assert first.status is cr.SubmitStatus.CREATED and first.saved
    async with db.session() as session:
        again = await cr.submit_report(session, unit_id, OCT, counts, person_id=person_id,
                                       token="tok-1", now=IN_TIME)
        other = await cr.submit_report(session, unit_id, OCT, CaseCounts(1, 1, 1),
                                       person_id=person_id, token="tok-2", now=IN_TIME)
        await session.commit()
    assert again.status is cr.SubmitStatus.DUPLICATE
    assert other.status is cr.SubmitStatus.EXISTS
    async with db.read_session() as session:
        report = await cr.get_report(session, unit_id, OCT)
        assert report is not None
        assert cr.counts_of(report) == counts and report.version == 1
        versions = await cr.history(session, report.id)
    assert [(v.action, v.version) for v in versions] == [("created", 1)]
    assert versions[0].new_values["injury_drowning"] == 2
    # The result describes the rows as saved, though they were not read back.
    assert first.report == ReportSnapshot.of(report)
    assert first.version == VersionSnapshot.of(versions[0])
    assert again.report == other.report == first.report
    assert again.version == first.version  # the duplicate's version, read back (JSON values)


def test_snapshots_have_the_tables_columns() -> None:
    for snapshot, model in ((ReportSnapshot, Report), (VersionSnapshot, ReportVersion)):
        assert [f.name for f in fields(snapshot)] == [c.name for c in model.__table__.c]


async def test_concurrent_double_tap_creates_one_report(db: Database) -> None:
    unit_id, person_id = await _setup(db)

    async def tap() -> cr.SubmitStatus:
        async with db.session() as session:
            result = await cr.submit_report(session, unit_id, OCT, CaseCounts(1, 2, 3),
                                            person_id=person_id, token="same", now=IN_TIME)
            await session.commit()
            return result.status

    statuses = await asyncio.gather(*(tap() for _ in range(4)))
    assert sorted(statuses) == sorted(
        [cr.SubmitStatus.CREATED] + [cr.SubmitStatus.DUPLICATE] * 3
    )
    async with db.read_session() as session:
        report = await cr.get_report(session, unit_id, OCT)
        assert report is not None
        assert len(await cr.history(session, report.id)) == 1


async def test_replace_keeps_versions_and_reason(db: Database) -> None:
    unit_id, person_id = await _setup(db)
    async with db.session() as session:
        await cr.submit_report(session, unit_id, OCT, CaseCounts(1, 1, 1), person_id=person_id,
                               now=IN_TIME)
        later = IN_TIME + timedelta(days=1)
        result = await cr.replace_report(
            session, unit_id, OCT, CaseCounts(2, 1, 1), person_id=person_id, role="officer",
            reason="entry_mistake", policy=POLICY, token="r1", expected_version=1, now=later,
        )
        repeat = await cr.replace_report(
            session, unit_id, OCT, CaseCounts(2, 1, 1), person_id=person_id, role="officer",
            reason="entry_mistake", policy=POLICY, token="r1", now=later,
        )
        stale = await cr.replace_report(
            session, unit_id, OCT, CaseCounts(3, 1, 1), person_id=person_id, role="officer",
            reason="duplicate", policy=POLICY, expected_version=1, now=later,
        )
        same = await cr.replace_report(
            session, unit_id, OCT, CaseCounts(2, 1, 1), person_id=person_id, role="officer",
            reason="verified", policy=POLICY, now=later,
        )
        missing = await cr.replace_report(
            session, unit_id, Month(2025, 9), CaseCounts(2, 1, 1), person_id=person_id,
            role="officer", reason="other", note="x", policy=POLICY, now=later,
        )
        await session.commit()
    assert result.status is cr.SubmitStatus.REPLACED
    assert repeat.status is cr.SubmitStatus.DUPLICATE
    assert stale.status is cr.SubmitStatus.CONFLICT
    assert same.status is cr.SubmitStatus.UNCHANGED
    assert missing.status is cr.SubmitStatus.NOT_FOUND
    async with db.read_session() as session:
        report = await cr.get_report(session, unit_id, OCT)
        assert report is not None and report.version == 2 and report.abuse == 2
        assert report.submitted_at == IN_TIME  # first submission is kept for timeliness
        versions = await cr.history(session, report.id)
    assert [(v.action, v.version) for v in versions] == [("created", 1), ("replaced", 2)]
    assert versions[1].old_values["abuse"] == 1 and versions[1].new_values["abuse"] == 2
    assert (versions[1].reason_code, versions[1].reason_note) == ("entry_mistake", None)


async def test_lock_supervisor_and_reopen(db: Database) -> None:
    unit_id, person_id = await _setup(db)
    locked_time = POLICY.locks_at(OCT) + timedelta(minutes=1)
    assert POLICY.locks_at(OCT) == due_deadline(OCT) + timedelta(days=30)
    async with db.session() as session:
        await cr.submit_report(session, unit_id, OCT, CaseCounts(1, 1, 1), person_id=person_id,
                               now=IN_TIME)

        def replace(role: str | None, abuse: int):
            return cr.replace_report(
                session, unit_id, OCT, CaseCounts(abuse, 1, 1), person_id=person_id, role=role,
                reason="found_late", policy=POLICY, now=locked_time,
            )

        assert (await replace("officer", 5)).status is cr.SubmitStatus.LOCKED
        forbidden = await cr.reopen_report(session, unit_id, OCT, person_id=person_id,
                                           role="officer", reason="other", now=locked_time)
        assert forbidden.status is cr.SubmitStatus.FORBIDDEN
        assert (await replace("supervisor", 6)).status is cr.SubmitStatus.REPLACED
        reopened = await cr.reopen_report(session, unit_id, OCT, person_id=None,
                                          role="supervisor", reason="other", note="officer asked",
                                          now=locked_time)
        assert reopened.status is cr.SubmitStatus.REOPENED
        assert (await replace("officer", 7)).status is cr.SubmitStatus.REPLACED
        # The officer's change closes the month again.
        assert (await replace("officer", 8)).status is cr.SubmitStatus.LOCKED
        await session.commit()
        report = await cr.get_report(session, unit_id, OCT)
        assert report is not None and report.abuse == 7 and report.version == 3
        actions = [v.action for v in await cr.history(session, report.id)]
    assert actions == ["created", "replaced", "reopened", "replaced"]


async def test_negative_counts_rejected(db: Database) -> None:
    unit_id, person_id = await _setup(db)
    async with db.session() as session:
        with pytest.raises(ValueError, match="abuse"):
            await cr.submit_report(session, unit_id, OCT, CaseCounts(-1, 0, 0),
                                   person_id=person_id)
