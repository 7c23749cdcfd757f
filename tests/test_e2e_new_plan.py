"""A new plan needs no code: a synthetic sixth plan (Trà Vinh's rewritten for a district that
does not exist, "huyện Thử Nghiệm") is drafted by the ingestion tool with no hand edits, its
YAML and source dropped into knowledge/plans and knowledge/sources, the bot started afresh, and
questions about it answered through the real Application over the loopback Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.ingest import build_draft, to_plan
from knowledge.ingest.__main__ import check_file
from knowledge.ingest.variants import VARIANTS
from knowledge.loader import PLANS_DIR, SOURCES_DIR, default_plans, load_plans
from tests.e2e_support import bot_world

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SOURCE = "900_synthetic_thu_nghiem.txt"
WAIT = 30.0


async def test_a_dropped_in_plan_is_answered_after_a_restart(tmp_path: Path) -> None:
    base = load_plans()["tra-vinh-2021-2030"]
    text = VARIANTS["district"]((SOURCES_DIR / base.document.file).read_text(encoding="utf-8"),
                                base)
    draft = build_draft(text, SOURCE)
    plan = to_plan(draft)
    assert (plan.jurisdiction, plan.level) == ("Thử Nghiệm", "district")
    source, data = SOURCES_DIR / SOURCE, PLANS_DIR / f"{plan.id}.yaml"
    assert not data.exists()
    try:
        source.write_text(text, encoding="utf-8")
        data.write_text(draft.to_yaml(), encoding="utf-8")
        assert check_file(data) == []  # schema and provenance, as --check says
        default_plans.cache_clear()  # a restart
        async with bot_world(tmp_path) as (server, _app, svc):
            assert plan.id in svc.plans and len(svc.plans) == 6
            (reply,) = await server.ask(70_001, "chỉ tiêu 5 huyện Thử Nghiệm năm 2025",
                                        timeout=WAIT)
            assert "Thử Nghiệm" in reply.text and "97%" in reply.text, reply.text
            (reply,) = await server.ask(70_002, "thu nghiem ai phu trach chi tieu 14",
                                        timeout=WAIT)
            assert "Sở Tư pháp" in reply.text, reply.text
    finally:
        source.unlink(missing_ok=True)
        data.unlink(missing_ok=True)
        default_plans.cache_clear()
    assert len(load_plans()) == 5
