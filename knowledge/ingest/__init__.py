"""Draft a plan data file from a plan document that follows the national template.

``python -m knowledge.ingest <document> [-o draft.yaml]`` (.txt, .md, .docx or .pdf) writes
the draft and lists what could not be parsed; ``python -m knowledge.ingest --score`` compares
the drafts of all source documents with the curated files in ``knowledge/plans``.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.draft import Draft, build_draft, draft_yaml
from knowledge.ingest.readers import read_document
from knowledge.ingest.score import Score, score_plan
from knowledge.schema import Plan

__all__ = ["Draft", "Score", "build_draft", "draft_yaml", "ingest_file", "score_plan", "to_plan"]


def ingest_file(path: Path) -> Draft:
    """Draft a plan from a source document (``.txt``, ``.md``, ``.docx`` or ``.pdf``)."""
    return build_draft(read_document(path), path.name)


def to_plan(draft: Draft) -> Plan:
    """Validate a draft against the schema (raises ``pydantic.ValidationError``)."""
    return Plan.model_validate(draft.plan)
