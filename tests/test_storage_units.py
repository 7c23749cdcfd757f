"""Unit tree: CSV import, subtree queries, moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import unit_tree, units
from storage.db import Database
from storage.models import UnitPopulation
from usecases.units import csv_import

TREE_CSV = """code,name,level,parent_code,plan_id,child_population
KG,Kiên Giang,province,,,
RG,TP Rạch Giá,city,KG,rach-gia-2021-2030,
RG-VT,Phường Vĩnh Thanh,ward,RG,,5200
RG-AH,Phường An Hòa,commune,RG,,4100
HCM-Q1-BN,Phường Bến Nghé,commune,HCM-Q1,,3000
HCM-Q1,Quận 1,district,HCM,,
HCM,TP Hồ Chí Minh,city,,hcmc-2022-2030,
"""


async def test_import_with_parents_later_in_file(db: Database) -> None:
    async with db.session() as session:
        result = await csv_import.import_units_csv(session, TREE_CSV, population_year=2025)
        await session.commit()
    assert (result.created, result.updated, result.populations) == (7, 0, 3)

    async with db.read_session() as session:
        hcm = await units.unit_by_code(session, "HCM")
        ben_nghe = await units.unit_by_code(session, "HCM-Q1-BN")
        vinh_thanh = await units.unit_by_code(session, "RG-VT")
        assert hcm is not None and ben_nghe is not None and vinh_thanh is not None
        assert ben_nghe.plan_id == "hcmc-2022-2030"  # inherited through the district
        assert vinh_thanh.level == "commune" and vinh_thanh.plan_id == "rach-gia-2021-2030"
        below = await units.units_in_subtree(session, hcm.id)
        assert [u.code for u in below] == ["HCM", "HCM-Q1", "HCM-Q1-BN"]
        kg = await units.unit_by_code(session, "KG")
        assert kg is not None
        communes = await units.units_in_subtree(session, kg.id, level="commune")
        assert sorted(u.code for u in communes) == ["RG-AH", "RG-VT"]
        first = await units.first_code_in_subtree(session, kg.id, level="commune")
        assert first == communes[0].code  # the example offered to name a commune
        assert await units.first_code_in_subtree(session, ben_nghe.id, level="district") is None
        assert [u.code for u in await units.ancestors(session, ben_nghe.id)] == ["HCM", "HCM-Q1"]
        pop = await session.get(UnitPopulation, (vinh_thanh.id, 2025))
        assert pop is not None and pop.child_population == 5200


async def test_import_from_path_and_reimport_updates(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("\ufeff" + TREE_CSV, encoding="utf-8")
    async with db.session() as session:
        await csv_import.import_units_csv(session, path)
        await session.commit()
    # Move Bến Nghé under Rạch Giá and rename it: an update, not a new unit.
    changed = "code,name,level,parent_code\nHCM-Q1-BN,Bến Nghé (mới),commune,RG\n"
    async with db.session() as session:
        result = await csv_import.import_units_csv(session, str(changed))
        await session.commit()
    assert (result.created, result.updated) == (0, 1)
    async with db.read_session() as session:
        rg = await units.unit_by_code(session, "RG")
        hcm = await units.unit_by_code(session, "HCM")
        assert rg is not None and hcm is not None
        assert "HCM-Q1-BN" in [u.code for u in await units.units_in_subtree(session, rg.id)]
        assert "HCM-Q1-BN" not in [u.code for u in await units.units_in_subtree(session, hcm.id)]
        moved = await units.unit_by_code(session, "HCM-Q1-BN")
        assert moved is not None and moved.name == "Bến Nghé (mới)"


@pytest.mark.parametrize(
    ("csv_text", "line", "fragment"),
    [
        ("code,name,level,parent_code\nA,Alpha,province,\nB,Beta,district,ZZ\n", 3, "unknown"),
        ("code,name,level,parent_code\nA,Alpha,province,\nB,,district,A\n", 3, "name"),
        ("code,name,level,parent_code\nA,Alpha,planet,\n", 2, "level"),
        ("code,name,level,parent_code\nA,Alpha,province,\nA,Again,province,\n", 3, "repeats"),
        ("code,name,level,parent_code\nA,Alpha,province,\nB,Beta,commune,\n", 3, "parent"),
        ("code,name,level,parent_code\nA,A,province,\nC,C,commune,A\nD,D,commune,C\n", 4,
         "commune"),
        ("code,name,level,parent_code\nX,X,district,Y\nY,Y,district,X\n", 2, "cycle"),
        ("code,name,level,parent_code,plan_id,child_population\nA,A,province,,,-5\n", 2,
         "whole number"),
        ("code,name\nA,A\n", 1, "level"),
    ],
)
async def test_bad_row_reported_by_line_and_nothing_imported(
    db: Database, csv_text: str, line: int, fragment: str
) -> None:
    async with db.session() as session:
        with pytest.raises(csv_import.UnitImportError) as caught:
            await csv_import.import_units_csv(session, csv_text)
        await session.commit()
    assert caught.value.line == line
    assert fragment in caught.value.message
    async with db.read_session() as session:
        assert await units.unit_by_code(session, "A") is None
        assert await units.unit_by_code(session, "X") is None


async def test_import_cycle_through_existing_units_rolls_back(db: Database) -> None:
    async with db.session() as session:
        await csv_import.import_units_csv(session, TREE_CSV)
        await session.commit()
    # HCM below its own district: caught while writing, the savepoint undoes the new unit.
    bad = "code,name,level,parent_code\nNEW,New,province,\nHCM,HCM,city,HCM-Q1\n"
    async with db.session() as session:
        with pytest.raises(csv_import.UnitImportError) as caught:
            await csv_import.import_units_csv(session, bad)
        await session.commit()
    assert caught.value.line == 3
    async with db.read_session() as session:
        assert await units.unit_by_code(session, "NEW") is None
        hcm = await units.unit_by_code(session, "HCM")
        assert hcm is not None and hcm.parent_id is None


async def test_move_unit_updates_whole_subtree(db: Database) -> None:
    async with db.session() as session:
        await csv_import.import_units_csv(session, TREE_CSV)
        q1 = await units.unit_by_code(session, "HCM-Q1")
        kg = await units.unit_by_code(session, "KG")
        bn = await units.unit_by_code(session, "HCM-Q1-BN")
        assert q1 and kg and bn
        await unit_tree.move_unit(session, q1.id, kg.id)
        await session.commit()
        assert await units.is_within(session, bn.id, kg.id)
        assert [u.code for u in await units.ancestors(session, bn.id)] == ["KG", "HCM-Q1"]
        with pytest.raises(unit_tree.UnitTreeError):
            await unit_tree.move_unit(session, kg.id, bn.id)


async def test_every_bad_line_is_listed_and_nothing_is_written(db: Database) -> None:
    bad = (
        "code,name,level,parent_code,plan_id,child_population,year\n"
        "A,Alpha,tỉnh,,,,\n"  # 2: good
        "B,Beta,Huyện,ZZ,,,\n"  # 3: unknown parent
        "C,,xã,A,,,\n"  # 4: no name
        "D,Delta,Phường,A,,12x,1999\n"  # 5: population and year
        "E,Echo,thôn,A,,,\n"  # 6: level
        "F,Foxtrot,xã,E,,,\n"  # 7: below a bad line, not judged by it
        "G,Golf,thị trấn,,,,\n"  # 8: a commune needs a parent
    )
    async with db.session() as session:
        with pytest.raises(csv_import.UnitImportError) as caught:
            await csv_import.import_units_csv(session, bad, plans={"hcmc-2022-2030"})
        await session.commit()
    problems = caught.value.problems
    assert [p.line for p in problems] == [3, 4, 5, 6, 8]
    assert "unknown parent_code 'ZZ'" in problems[0].message
    assert "name is empty" in problems[1].message
    assert "child_population must be a whole number" in problems[2].message
    assert "year must be a year from 2000 to 2100, got 1999" in problems[2].message
    assert "level 'thôn'" in problems[3].message
    assert "a commune needs a parent_code" in problems[4].message
    assert (caught.value.line, caught.value.message) == (3, problems[0].message)
    assert str(caught.value).splitlines()[0].startswith("line 3: ")
    async with db.read_session() as session:
        assert await units.unit_by_code(session, "A") is None


async def test_many_bad_lines_are_listed_up_to_fifty() -> None:
    error = csv_import.UnitImportError(
        [csv_import.Problem(line, "bad") for line in range(80, 1, -1)])
    listed = error.listed()
    assert len(listed) == 51 and listed[0] == "line 2: bad" and listed[49] == "line 51: bad"
    assert listed[-1] == "… and 29 more"
    assert len(error.problems) == 79


async def test_accented_levels_and_the_year_column(db: Database) -> None:
    text = (
        "code,name,level,parent_code,plan_id,child_population,year\n"
        "TV,Trà Vinh,TỈNH,,tra-vinh-2021-2030,,\n"
        "CL,Càng Long,Huyện,TV,,,\n"
        "TX,Duyên Hải,Thị Xã,TV,,,\n"
        "AT,An Trường,Xã,CL,,1500,2024\n"
        "P1,Phường 1,phường,TX,,800,\n"
        "TT,Càng Long,Thị trấn,CL,,,\n"
    )
    async with db.session() as session:
        result = await csv_import.import_units_csv(session, text, population_year=2026,
                                                   plans={"tra-vinh-2021-2030"})
        await session.commit()
    assert (result.created, result.populations) == (6, 2)
    async with db.read_session() as session:
        levels = {code: (await units.unit_by_code(session, code)).level
                  for code in ("TV", "CL", "TX", "AT", "P1", "TT")}
        assert levels == {"TV": "province", "CL": "district", "TX": "district",
                          "AT": "commune", "P1": "commune", "TT": "commune"}
        at = await units.unit_by_code(session, "AT")
        p1 = await units.unit_by_code(session, "P1")
        assert (await session.get(UnitPopulation, (at.id, 2024))).child_population == 1500
        assert (await session.get(UnitPopulation, (p1.id, 2026))).child_population == 800
