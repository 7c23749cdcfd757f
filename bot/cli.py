"""Command-line administration: ``python -m bot units import FILE`` and ``python -m bot invite``.

Every date the command line uses comes from one clock, the bot's: ``BOT_NOW`` (the moment to act
as if it were, running on from there) or the real time, as in the running bot (bot.app).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.settings import ConfigError, Settings
from kernel.clock import Clock, OffsetClock, SystemClock
from kernel.i18n import translator
from knowledge.loader import default_plans
from storage import invites, units
from storage.db import Database
from usecases.units import csv_import


def clock_for(settings: Settings) -> Clock:
    """The bot's clock: BOT_NOW running on, else the real time (bot.app builds the same)."""
    return OffsetClock(settings.bot_now) if settings.bot_now else SystemClock()


def invite_link(settings: Settings, code: str) -> str:
    return f"https://t.me/{settings.bot_username}?start={code}"


async def import_units(settings: Settings, file: str, clock: Clock | None = None) -> int:
    """Import units; child populations without a year are for this year by `clock`."""
    path = Path(file)
    if not path.is_file():
        raise ConfigError(f"no such file: {file}")
    text = path.read_text(encoding="utf-8-sig")
    year = (clock or clock_for(settings)).now().year
    db = Database(settings.database_url)
    try:
        await db.migrate()
        try:
            async with db.session() as session:
                result = await csv_import.import_units_csv(
                    session, text, population_year=year, plans=set(default_plans()))
                await session.commit()
        except csv_import.UnitImportError as exc:
            count = len(exc.problems)
            print(f"{path.name}: {count} bad line{'s' if count != 1 else ''} — nothing imported")
            for line in exc.listed():
                print(f"  {line}")
            return 1
    finally:
        await db.dispose()
    print(f"imported {result.total} units ({result.created} new, {result.updated} updated), "
          f"{result.populations} population figures (year {year} unless the file gives one)")
    return 0


async def create_invite(
    settings: Settings, unit_code: str, role: str, clock: Clock | None = None
) -> int:
    """An invite valid for INVITE_DAYS from now by `clock`; its expiry in local time."""
    now = (clock or clock_for(settings)).now()
    db = Database(settings.database_url)
    try:
        await db.migrate()
        async with db.session() as session:
            unit = await units.unit_by_code(session, unit_code)
            if unit is None:
                print(f"unknown unit code {unit_code!r}")
                return 1
            code, invite = await invites.create_invite(
                session, unit.id, role, ttl=timedelta(days=settings.invite_days), now=now
            )
            await session.commit()
    finally:
        await db.dispose()
    until = translator(settings.default_language).date_time(
        invite.expires_at.astimezone(settings.zone))
    print(f"invite for {role} of {unit.name} ({unit.code}), valid until {until} "
          f"({settings.tz})")
    print(f"code: {code}")
    print(f"link: {invite_link(settings, code)}")
    return 0
