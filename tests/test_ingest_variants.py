"""The ingestion tool on documents it was not tuned to: variants of the seeds that change what
varies between real plans (knowledge/ingest/variants.py), and Word and PDF renderings made here.
Each is drafted with no hand edits and scored against the seed's curated file: at least 95% of
the values and of the lead offices right on each. The table is printed (``pytest -s``) and kept
in the README (``python -m knowledge.ingest --robustness`` prints it too)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.ingest import build_draft, ingest_file, score_plan, to_plan
from knowledge.ingest.__main__ import curated_by_source
from knowledge.ingest.readers import read_document
from knowledge.ingest.variants import DISTRICT, VARIANTS, robustness_rows
from knowledge.loader import SOURCES_DIR
from knowledge.schema import Plan

pytestmark = pytest.mark.slow

AIM = 0.95
CURATED = {source: plan for source, plan in curated_by_source().items()
           if isinstance(plan, Plan) and plan.targets}
FONT = Path(__import__("matplotlib").get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def _docx(text: str, path: Path) -> None:
    """Paragraphs, and the pipe rows of a table as a real Word table."""
    from docx import Document

    document = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            rows.clear()

    for line in text.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush()
        document.add_paragraph(line)
    flush()
    document.save(str(path))


def _pdf(text: str, path: Path) -> None:
    """An A4 PDF with a text layer, lines wrapped as a printer would wrap them."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=10)
    for line in text.splitlines():
        pdf.multi_cell(0, 5, line.replace("**", "") or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_variant_scores_at_least_95_percent(variant: str) -> None:
    rows = robustness_rows([variant])
    for row in rows:
        assert row.values >= AIM and row.leads >= AIM, row


@pytest.mark.parametrize("source", sorted(CURATED))
def test_a_decision_wrapper_and_other_levels_keep_the_document_facts(source: str) -> None:
    """The decision's number and date, the plan's place, level and period, with no edits."""
    plan = CURATED[source]
    text = (SOURCES_DIR / source).read_text(encoding="utf-8")
    wrapped = to_plan(build_draft(VARIANTS["decision"](text, plan), source))
    assert wrapped.document.number == "1234/QĐ-UBND"
    assert wrapped.document.date == date(plan.period_start, 3, 15)
    assert (wrapped.period_start, wrapped.period_end) == (plan.period_start, plan.period_end)
    assert wrapped.jurisdiction.removeprefix("Thành phố ") == plan.jurisdiction.removeprefix(
        "Thành phố ")
    for variant, level in (("district", "district"), ("commune", "commune")):
        moved = to_plan(build_draft(VARIANTS[variant](text, plan), source))
        assert (moved.jurisdiction, moved.level) == (DISTRICT, level), variant
        assert (moved.period_start, moved.period_end) == (plan.period_start, plan.period_end)


@pytest.mark.parametrize("source", sorted(CURATED))
@pytest.mark.parametrize("kind", ["docx", "pdf", "docx table"])
def test_word_and_pdf_renderings(tmp_path: Path, source: str, kind: str) -> None:
    plan = CURATED[source]
    text = (SOURCES_DIR / source).read_text(encoding="utf-8")
    if kind == "docx table":
        text = VARIANTS["table"](text, plan)
    path = tmp_path / f"{Path(source).stem}.{kind.split()[0]}"
    (_docx if path.suffix == ".docx" else _pdf)(text, path)
    assert read_document(path).strip()
    score = score_plan(to_plan(ingest_file(path)), plan)
    print(f"{kind:10} {plan.id:22} values {score.values_fraction:.0%} leads "
          f"{score.leads_fraction:.0%}")
    assert score.values_fraction >= AIM and score.leads_fraction >= AIM, score.misses[:10]
