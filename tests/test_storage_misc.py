"""Invites, people by subtree, access log, processed updates, nudges and leases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from kernel.calendar import Month
from storage import access_log, invites, leases, nudges, people, updates
from storage.db import Database
from storage.models import Invite
from tests.storage_helpers import officer, small_tree

NOW = datetime(2025, 11, 3, 2, tzinfo=UTC)


async def test_invite_is_hashed_single_use_and_expires(db: Database) -> None:
    async with db.session() as session:
        tree = await small_tree(session)
        code, invite = await invites.create_invite(session, tree["C11"].id, "officer", now=NOW)
        old_code, _ = await invites.create_invite(session, tree["C12"].id, "officer",
                                                  ttl=timedelta(days=1), now=NOW)
        await session.commit()
    assert len(code) >= 20 and invite.code_hash != code and code not in invite.code_hash

    async def redeem(telegram_id: int) -> invites.RedeemStatus:
        async with db.session() as session:
            result = await invites.redeem_invite(session, code, telegram_id, now=NOW)
            await session.commit()
            return result.status

    statuses = await asyncio.gather(*(redeem(500 + i) for i in range(3)))
    assert sorted(statuses) == sorted([invites.RedeemStatus.OK] + [invites.RedeemStatus.USED] * 2)

    async with db.session() as session:
        expired = await invites.redeem_invite(session, old_code, 600, now=NOW + timedelta(days=2))
        unknown = await invites.redeem_invite(session, "nope", 601, now=NOW)
        stored = await session.get(Invite, invite.id)
        winner = await people.person_by_id(session, stored.used_by) if stored else None
    assert expired.status is invites.RedeemStatus.EXPIRED
    assert unknown.status is invites.RedeemStatus.UNKNOWN
    assert winner is not None and winner.role == "officer" and winner.unit_id == tree["C11"].id


async def test_people_in_subtree_and_blocking(db: Database) -> None:
    async with db.session() as session:
        tree = await small_tree(session)
        await officer(session, 1, tree["C11"])
        await officer(session, 2, tree["C21"])
        await people.set_role(session, 3, "supervisor", tree["D1"].id)
        await officer(session, 4, tree["C12"])
        await people.deactivate(session, 4)
        await people.mark_blocked(session, 1, now=NOW)
        await session.commit()
        d1 = await people.people_in_subtree(session, tree["D1"].id)
        officers = await people.people_in_subtree(session, tree["P"].id, role="officer")
        reachable = await people.people_in_subtree(session, tree["P"].id, reachable_only=True)
    assert sorted(p.telegram_id for p in d1) == [1, 3]
    assert sorted(p.telegram_id for p in officers) == [1, 2]
    assert sorted(p.telegram_id for p in reachable) == [2, 3]


async def test_access_log_records_reads(db: Database) -> None:
    async with db.session() as session:
        tree = await small_tree(session)
        reader = await people.get_or_create_person(session, 77)
        await access_log.log_access(session, reader.id, "stats", unit_id=tree["P"].id,
                                    detail="2025", now=NOW)
        await access_log.log_access(session, reader.id, "export_csv", unit_id=tree["D1"].id,
                                    now=NOW + timedelta(minutes=1))
        await session.commit()
        entries = await access_log.recent_access(session, person_id=reader.id)
        for_p = await access_log.recent_access(session, unit_id=tree["P"].id)
    assert [e.action for e in entries] == ["export_csv", "stats"]
    assert [e.detail for e in for_p] == ["2025"]


async def test_mark_processed_first_time_only_even_concurrently(db: Database) -> None:
    async def mark(update_id: int) -> bool:
        async with db.session() as session:
            first = await updates.mark_processed(session, update_id, now=NOW)
            await session.commit()
            return first

    results = await asyncio.gather(*(mark(9001) for _ in range(5)))
    assert results.count(True) == 1
    assert await mark(9002) is True
    async with db.session() as session:
        pruned = await updates.prune_processed(session, now=NOW + timedelta(days=3))
        await session.commit()
    assert pruned == 2
    assert await mark(9001) is True


async def test_nudges_recorded_once(db: Database) -> None:
    async with db.session() as session:
        person = await people.get_or_create_person(session, 88)
        oct_ = Month(2025, 10)
        assert await nudges.record_nudge(session, person.id, oct_, "before_3", now=NOW)
        assert not await nudges.record_nudge(session, person.id, oct_, "before_3", now=NOW)
        assert await nudges.record_nudge(session, person.id, oct_, "due", now=NOW)
        await session.commit()
        assert await nudges.was_sent(session, person.id, oct_, "due")
        assert not await nudges.was_sent(session, person.id, Month(2025, 9), "due")
        assert await nudges.sent_kinds(session, person.id, oct_) == {"before_3", "due"}


async def test_leases_expire_and_are_exclusive(db: Database) -> None:
    ttl = timedelta(seconds=60)

    async def acquire(holder: str, now: datetime) -> bool:
        async with db.session() as session:
            got = await leases.acquire(session, "reminders", holder, ttl, now=now)
            await session.commit()
            return got

    first = await asyncio.gather(*(acquire(f"bot-{i}", NOW) for i in range(4)))
    assert first.count(True) == 1
    winner = f"bot-{first.index(True)}"
    other = "bot-x"
    assert await acquire(winner, NOW + timedelta(seconds=30))  # re-acquire own lease
    assert not await acquire(other, NOW + timedelta(seconds=60))
    async with db.session() as session:
        later = NOW + timedelta(seconds=80)
        assert await leases.renew(session, "reminders", winner, ttl, now=later)
        assert await leases.holder_of(session, "reminders", now=later) == winner
        await session.commit()
    # Expired: someone else takes it; the old holder can neither renew nor release it.
    assert await acquire(other, NOW + timedelta(seconds=200))
    async with db.session() as session:
        assert not await leases.renew(session, "reminders", winner, ttl,
                                      now=NOW + timedelta(seconds=201))
        assert not await leases.release(session, "reminders", winner)
        assert await leases.release(session, "reminders", other)
        assert await leases.holder_of(session, "reminders", now=NOW) is None
        await session.commit()
