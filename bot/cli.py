"""Command-line administration: ``python -m bot units import FILE`` and ``python -m bot invite``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

from bot.settings import ConfigError, Settings
from knowledge.loader import default_plans
from storage import invites, units
from storage.db import Database
from usecases.units import csv_import


def invite_link(settings: Settings, code: str) -> str:
    return f"https://t.me/{settings.bot_username}?start={code}"


def _check_plan_ids(text: str) -> None:
    """Every non-empty plan_id must be a plan of the knowledge base (line-numbered error)."""
    plans = default_plans()
    reader = csv.DictReader(io.StringIO(text))
    for line, row in enumerate(reader, start=2):
        plan_id = (row.get("plan_id") or "").strip()
        if plan_id and plan_id not in plans:
            raise csv_import.UnitImportError(
                line, f"unknown plan_id {plan_id!r}; known: {', '.join(sorted(plans))}"
            )


async def import_units(settings: Settings, file: str) -> int:
    path = Path(file)
    if not path.is_file():
        raise ConfigError(f"no such file: {file}")
    text = path.read_text(encoding="utf-8-sig")
    db = Database(settings.database_url)
    try:
        await db.migrate()
        try:
            _check_plan_ids(text)
            async with db.session() as session:
                result = await csv_import.import_units_csv(session, text)
                await session.commit()
        except csv_import.UnitImportError as exc:
            print(f"{path.name}: {exc} — nothing imported")
            return 1
    finally:
        await db.dispose()
    print(f"imported {result.total} units ({result.created} new, {result.updated} updated), "
          f"{result.populations} population figures")
    return 0


async def create_invite(settings: Settings, unit_code: str, role: str) -> int:
    db = Database(settings.database_url)
    try:
        await db.migrate()
        async with db.session() as session:
            unit = await units.unit_by_code(session, unit_code)
            if unit is None:
                print(f"unknown unit code {unit_code!r}")
                return 1
            code, invite = await invites.create_invite(
                session, unit.id, role, ttl=timedelta(days=settings.invite_days)
            )
            await session.commit()
    finally:
        await db.dispose()
    print(f"invite for {role} of {unit.name} ({unit.code}), valid until "
          f"{invite.expires_at:%Y-%m-%d %H:%M} UTC")
    print(f"code: {code}")
    print(f"link: {invite_link(settings, code)}")
    return 0
