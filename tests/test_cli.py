"""The command line: ``python -m bot units import FILE.csv`` and ``python -m bot invite``."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from kernel.clock import VN_TZ
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


def test_every_bad_line_is_listed_by_number_and_nothing_is_imported(
    tmp_path: Path, database_url: str, capsys
) -> None:
    text = (
        "code,name,level,parent_code,plan_id,child_population\n"
        "P,Province,province,,tra-vinh-2021-2030,\n"  # 2
        "D1,District 1,district,P,,\n"  # 3
        "C11,Commune 11,village,D1,,500\n"  # 4: level
        "C12,Commune 12,commune,D9,,500\n"  # 5: parent
        "C13,,commune,D1,,many\n"  # 6: name and population, one line
        "C14,Commune 14,commune,D1,no-such-plan,\n"  # 7: plan
        "C15,Commune 15,commune,D1,,700\n"  # 8: good
        "C15,Commune 15 again,commune,D1,,\n"  # 9: repeated code
        "C16,Commune 16,commune,C11,,\n"  # 10: below a bad line: not judged by it
    )
    assert main(["units", "import", _write(tmp_path, text)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "units.csv: 5 bad lines — nothing imported"
    listed = [line.strip() for line in out.splitlines()[1:]]
    assert [int(re.match(r"line (\d+):", line).group(1)) for line in listed] == [4, 5, 6, 7, 9]
    assert "level 'village' is not one of" in listed[0]
    assert "unknown parent_code 'D9'" in listed[1]
    assert "name is empty" in listed[2] and "child_population must be a whole number" in listed[2]
    assert "unknown plan_id 'no-such-plan'" in listed[3]
    assert "code 'C15' repeats line 8" in listed[4]
    assert _query(database_url, select(func.count(Unit.id)))[0][0] == 0
    assert _query(database_url, select(func.count()).select_from(UnitPopulation))[0][0] == 0


def test_at_most_fifty_bad_lines_are_listed(tmp_path: Path, database_url: str, capsys) -> None:
    rows = "".join(f"C{i},Commune {i},hamlet,,,\n" for i in range(60))
    text = "code,name,level,parent_code,plan_id,child_population\n" + rows
    assert main(["units", "import", _write(tmp_path, text)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("units.csv: 60 bad lines — nothing imported")
    assert len(re.findall(r"^  line \d+: level 'hamlet'", out, re.M)) == 50
    assert "  line 51:" in out and "  line 52:" not in out
    assert out.rstrip().endswith("… and 10 more")


def test_level_names_with_or_without_accents_in_any_case(
    tmp_path: Path, database_url: str, capsys
) -> None:
    text = (
        "code,name,level,parent_code,plan_id,child_population,year\n"
        "KG,Kiên Giang,Tỉnh,,rach-gia-2021-2030,,\n"
        "RG,Rạch Giá,THÀNH PHỐ,KG,,,\n"
        "HD,Hòn Đất,huyện,KG,,,\n"
        "Q1,Quận 1,Quận,KG,,,\n"
        "HT,Hà Tiên,thị xã,KG,,,\n"
        "X1,Xã Mỹ Lâm,xã,HD,,1200,2024\n"
        "P1,Phường Vĩnh Thanh,Phường,RG,,900,\n"
        "T1,Thị trấn Hòn Đất,thi tran,HD,,,\n"
        "X2,Xã Bình Sơn,Xa,HD,,,\n"
        "P2,Phường Tô Châu,ward,HT,,,\n"
    )
    assert main(["units", "import", _write(tmp_path, text)]) == 0, capsys.readouterr().out
    levels = dict(_query(database_url, select(Unit.code, Unit.level)))
    assert levels == {
        "KG": "province", "RG": "city", "HD": "district", "Q1": "district", "HT": "district",
        "X1": "commune", "P1": "commune", "T1": "commune", "X2": "commune", "P2": "commune",
    }
    # The year column gives the population's year; without one, this year (by the clock).
    years = _query(database_url, select(UnitPopulation.year, UnitPopulation.child_population)
                   .order_by(UnitPopulation.child_population))
    assert years[1] == (2024, 1200)


def test_the_cli_follows_bot_now(
    tmp_path: Path, database_url: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_NOW", "2024-01-10T09:00")
    text = ("code,name,level,parent_code,plan_id,child_population,population_year\n"
            "P,Province,province,,tra-vinh-2021-2030,,\n"
            "D1,District 1,district,P,,,\n"
            "C11,Commune 11,commune,D1,,1000,\n"
            "C12,Commune 12,commune,D1,,2000,2023\n")
    assert main(["units", "import", _write(tmp_path, text)]) == 0
    assert "(year 2024 unless the file gives one)" in capsys.readouterr().out
    populations = _query(database_url, select(UnitPopulation.child_population,
                                              UnitPopulation.year))
    assert sorted(tuple(p) for p in populations) == [(1000, 2024), (2000, 2023)]

    assert main(["invite", "C11", "officer"]) == 0
    out = capsys.readouterr().out
    assert "valid until 17/01/2024 09:00 (Asia/Ho_Chi_Minh)" in out  # BOT_NOW + INVITE_DAYS
    code = re.search(r"^code: (\S+)$", out, re.M).group(1)
    (expires,) = _query(database_url, select(invites.Invite.expires_at))[0]
    assert expires.astimezone(VN_TZ).replace(tzinfo=None, second=0, microsecond=0) == (
        datetime(2024, 1, 17, 9, 0))

    async def redeem_now() -> invites.RedeemStatus:  # at the real time: long expired
        db = Database(database_url)
        try:
            async with db.session() as session:
                result = await invites.redeem_invite(session, code, 777)
                await session.commit()
                return result.status
        finally:
            await db.dispose()

    assert asyncio.run(redeem_now()) is invites.RedeemStatus.EXPIRED

    assert main(["backup"]) == 0
    (backup,) = (tmp_path / "backups").glob("bot-*.db")
    assert backup.name.startswith("bot-20240110-09")


def test_invite_dates_follow_the_default_language(
    tmp_path: Path, database_url: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_NOW", "2025-10-29T08:30")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    assert main(["units", "import", _write(tmp_path, SMALL_TREE)]) == 0
    assert main(["invite", "C12", "supervisor"]) == 0
    assert "valid until 5 Nov 2025, 08:30" in capsys.readouterr().out
