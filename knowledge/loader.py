"""Load and validate the plan data files in ``knowledge/plans``."""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.schema import Plan
from knowledge.sections import Move, Outline, parse_outline

KNOWLEDGE_DIR = Path(__file__).resolve().parent
PLANS_DIR = KNOWLEDGE_DIR / "plans"
SOURCES_DIR = KNOWLEDGE_DIR / "sources"


class PlanFileError(ValueError):
    """A plan data file is malformed; the message names the file and the field."""


def _describe(err: ValidationError, path: Path) -> str:
    lines = []
    for e in err.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "(root)"
        lines.append(f"{path.name}: {loc}: {e['msg']}")
    return "\n".join(lines)


def load_plan_file(path: Path) -> Plan:
    """Parse and validate one plan file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PlanFileError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PlanFileError(f"{path.name}: expected a mapping at the top level")
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        raise PlanFileError(_describe(exc, path)) from exc
    if not (SOURCES_DIR / plan.document.file).exists():
        raise PlanFileError(f"{path.name}: document.file: {plan.document.file} not found")
    try:
        outline = outline_of(plan)
    except ValueError as exc:
        raise PlanFileError(f"{path.name}: outline: {exc}") from exc
    for where, section in _cited_sections(plan):
        if outline.section(section) is None:
            raise PlanFileError(f"{path.name}: {where}: no section {section!r} in "
                                f"{plan.document.file}")
    return plan


def _cited_sections(plan: Plan) -> list[tuple[str, str]]:
    """(field, section) of the facts whose section must be one of the document's."""
    cited = [(f"duties.{i}.section", d.section) for i, d in enumerate(plan.duties)]
    if plan.funding is not None:
        if plan.funding.section:
            cited.append(("funding.section", plan.funding.section))
        for name, clauses in (("sources", plan.funding.sources),
                              ("principles", plan.funding.principles)):
            cited += [(f"funding.{name}.{i}.section", c.section) for i, c in enumerate(clauses)]
    cited += [(f"deadlines.{i}.section", d.section) for i, d in enumerate(plan.deadlines)]
    return cited


def outline_of(plan: Plan) -> Outline:
    """The plan's source document as a section tree (parsed once per plan)."""
    moves = tuple((m.starts, m.section) for m in plan.outline)
    return _outline(plan.document.file, moves)


@lru_cache(maxsize=32)
def _outline(file: str, moves: tuple[tuple[str, str], ...]) -> Outline:
    text = (SOURCES_DIR / file).read_text(encoding="utf-8")
    return parse_outline(text, [Move(starts, section) for starts, section in moves])


def load_plans(directory: Path = PLANS_DIR) -> dict[str, Plan]:
    """All plans by id, in file-name order."""
    plans: dict[str, Plan] = {}
    for path in sorted(directory.glob("*.yaml")):
        plan = load_plan_file(path)
        if plan.id in plans:
            raise PlanFileError(f"{path.name}: id: duplicate plan id {plan.id!r}")
        plans[plan.id] = plan
    if not plans:
        raise PlanFileError(f"{directory}: no plan files found")
    return plans


@lru_cache(maxsize=1)
def default_plans() -> dict[str, Plan]:
    """The bundled plans, loaded once."""
    return load_plans()


def source_text(plan: Plan) -> str:
    return (SOURCES_DIR / plan.document.file).read_text(encoding="utf-8")


def plan_texts(plan: Plan) -> list[str]:
    """Every text of a plan: its source document (line by line; empty if missing), names,
    offices, goals, targets, objectives, groups and deadlines, in Vietnamese and English."""
    texts: list[str] = []
    with suppress(OSError):
        texts += source_text(plan).splitlines()
    texts += [plan.name, plan.name_en, plan.jurisdiction, *plan.aliases,
              plan.document.title, *(o.name for o in plan.offices)]
    texts += [t for g in plan.goals for t in (g.title, g.title_en)]
    for target in plan.targets:
        texts.append(target.text)
        texts += [t for i in target.indicators for t in (i.label, i.label_en)]
    texts += [o.text for o in plan.objectives]
    texts += [t for g in plan.groups for t in (g.title, g.title_en, *g.criteria)]
    texts += [t for d in plan.deadlines for t in (d.text, d.text_en)]
    return texts
