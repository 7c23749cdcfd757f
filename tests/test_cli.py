"""The command line: ``python -m bot units import FILE.csv`` and ``python -m bot invite``."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from storage import invites
from storage.db import Database
from storage.models import Unit, UnitPopulation
from tests.storage_helpers import SMALL_TREE


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    for key in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "ADMIN_IDS", "BOT_NOW"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOT_USERNAME", "vn_child_bot")
    return url


def _query(url: str, stmt):
    async def run():
        db = Database(url)
        try:
            await db.migrate()
            async with db.read_session() as session:
                return (await session.execute(stmt)).all()
        finally:
            await db.dispose()

    return asyncio.run(run())


def _write(tmp_path: Path, text: str, name: str = "units.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_units_import(tmp_path: Path, database_url: str, capsys) -> None:
    assert main(["units", "import", _write(tmp_path, SMALL_TREE)]) == 0
    assert "imported 6 units (6 new, 0 updated), 3 population figures" in capsys.readouterr().out
    rows = _query(database_url, select(Unit.code, Unit.level, Unit.plan_id).order_by(Unit.code))
    assert [tuple(r) for r in rows] == [
        ("C11", "commune", "tra-vinh-2021-2030"), ("C12", "commune", "tra-vinh-2021-2030"),
        ("C21", "commune", "tra-vinh-2021-2030"), ("D1", "district", "tra-vinh-2021-2030"),
        ("D2", "district", "tra-vinh-2021-2030"), ("P", "province", "tra-vinh-2021-2030"),
    ]
    # Importing again updates in place.
    renamed = SMALL_TREE.replace("Commune 11", "Xã Hòa Thuận")
    assert main(["units", "import", _write(tmp_path, renamed)]) == 0
    assert "(0 new, 6 updated)" in capsys.readouterr().out
    assert _query(database_url, select(Unit.name).where(Unit.code == "C11"))[0][0] == "Xã Hòa Thuận"


@pytest.mark.parametrize(
    ("row", "line", "message"),
    [
        ("C13,Commune 13,commune,D9,,500", 4, "unknown parent_code 'D9'"),
        ("C13,Commune 13,village,D1,,500", 4, "level 'village'"),
        ("C13,Commune 13,commune,D1,,many", 4, "child_population must be a whole number"),
        ("C13,Commune 13,commune,D1,no-such-plan,", 4, "unknown plan_id 'no-such-plan'"),
    ],
)
def test_a_bad_row_is_reported_by_line_and_nothing_is_imported(
    tmp_path: Path, database_url: str, capsys, row: str, line: int, message: str
) -> None:
    text = "code,name,level,parent_code,plan_id,child_population\n" \
           "P,Province,province,,tra-vinh-2021-2030,\n" \
           "D1,District 1,district,P,,\n" \
           f"{row}\n" \
           "C14,Commune 14,commune,D1,,700\n"
    assert main(["units", "import", _write(tmp_path, text)]) == 1
    out = capsys.readouterr().out
    assert f"line {line}:" in out and message in out and "nothing imported" in out
    assert _query(database_url, select(func.count(Unit.id)))[0][0] == 0
    assert _query(database_url, select(func.count()).select_from(UnitPopulation))[0][0] == 0


def test_missing_file_is_a_clear_error(tmp_path: Path, database_url: str, capsys) -> None:
    assert main(["units", "import", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_invite_prints_a_working_code_and_deep_link(
    tmp_path: Path, database_url: str, capsys
) -> None:
    assert main(["units", "import", _write(tmp_path, SMALL_TREE)]) == 0
    capsys.readouterr()
    assert main(["invite", "C12", "officer"]) == 0
    out = capsys.readouterr().out
    code = re.search(r"^code: (\S+)$", out, re.M).group(1)
    assert len(code) >= 16
    assert f"link: https://t.me/vn_child_bot?start={code}" in out
    assert "officer of Commune 12 (C12)" in out

    async def redeem() -> tuple[str, str | None, str | None]:
        db = Database(database_url)
        try:
            async with db.session() as session:
                result = await invites.redeem_invite(session, code, 777)
                unit = await session.get(Unit, result.invite.unit_id)
                await session.commit()
                return result.status, result.person.role, unit.code
        finally:
            await db.dispose()

    assert asyncio.run(redeem()) == (invites.RedeemStatus.OK, "officer", "C12")
    assert main(["invite", "NOPE", "officer"]) == 1
    assert "unknown unit code 'NOPE'" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["invite", "C12", "boss"])
