"""Assemble a draft plan data file from a source document, listing what could not be parsed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from knowledge.ingest.duties import draft_duties
from knowledge.ingest.glossary import english_label
from knowledge.ingest.header import aliases, parse_header, slug
from knowledge.ingest.offices import Assignments, find_assignments
from knowledge.ingest.targets import (
    TEMPLATE_GOAL,
    TODO_EN,
    find_goals_and_targets,
    parse_indicators,
)
from knowledge.ingest.text import Line, document_lines
from knowledge.ingest.values import parse_clause
from knowledge.schema import Plan
from knowledge.sections import parse_outline

LEVEL_EN = {"city": "City", "province": "Province", "district": "District",
            "commune": "Commune", "national": "National"}


@dataclass
class Draft:
    """A schema-shaped plan dict and the list of things a reviewer must check."""

    plan: dict
    problems: list[str] = field(default_factory=list)

    def to_yaml(self) -> str:
        return draft_yaml(self)


def _office(ref) -> dict:
    return {"name": ref.name, "section": ref.section}


def _target_dicts(
    lines: list[Line], default_year: int | None, problems: list[str]
) -> tuple[list[dict], list[dict], Assignments]:
    goals, raw_targets = find_goals_and_targets(lines)
    if not raw_targets:
        problems.append("targets: no numbered targets ('Chỉ tiêu N: ...') found")
        return goals, [], Assignments()
    found = {t.number for t in raw_targets}
    missing = [n for n in range(1, 25) if n not in found]
    if missing:
        problems.append(f"targets: not found: {', '.join(map(str, missing))}")
    assignments = find_assignments(
        lines, {t.line_index for t in raw_targets}, raw_targets[0].line_index
    )
    targets = []
    for raw in raw_targets:
        at = f" (line {lines[raw.line_index].number})"
        goal = raw.goal
        if goal is None:
            goal = TEMPLATE_GOAL[raw.number]
            problems.append(f"target {raw.number}{at}: no 'Mục tiêu' heading; goal {goal} assumed")
        indicators = []
        parsed = parse_indicators(raw, default_year)
        for i, ind in enumerate(parsed, 1):
            ind_id = str(raw.number) if len(parsed) == 1 else f"{raw.number}.{i}"
            if not ind.values:
                problems.append(f"target {ind_id}{at}: no value found in {ind.clause!r}")
            for v in ind.values:
                if v["year"] is None and "note" not in v:
                    problems.append(f"target {ind_id}{at}: value {v['text']!r} without a year")
                if not v["comparator_text"]:
                    problems.append(
                        f"target {ind_id}{at}: value {v['text']!r}: no comparator written, "
                        f"'{v['comparator']}' assumed"
                    )
            label_en = english_label(ind.label) or english_label(ind.clause) or TODO_EN
            indicators.append(
                {"id": ind_id, "label": ind.label, "label_en": label_en, "values": ind.values}
            )
        lead = assignments.lead.get(raw.number)
        coordinating = assignments.coordinating.get(raw.number)
        if not lead and assignments.lead:
            problems.append(f"target {raw.number}{at}: no lead office found")
        targets.append(
            {
                "number": raw.number,
                "goal": goal,
                "text": raw.text,
                "section": raw.section,
                "indicators": indicators,
                "lead": [_office(o) for o in lead] if lead else None,
                "coordinating": [_office(o) for o in coordinating] if coordinating else None,
            }
        )
    if not assignments.lead:
        problems.append(
            "offices: no target is assigned to an office (e.g. 'thực hiện chỉ tiêu "
            "1, 2'); every lead is null"
        )
    return goals, targets, assignments


def _objectives(lines: list[Line], default_year: int | None) -> list[dict]:
    """Unnumbered specific objectives: the bullets under 'Mục tiêu cụ thể'."""
    objectives: list[dict] = []
    inside = False
    for line in lines:
        if re.search(r"mục tiêu cụ thể", line.text, re.I):
            inside = True
            continue
        if not inside:
            continue
        if not line.text.startswith(("-", "+", "•")):
            if objectives:
                break
            continue
        values = []
        for v in parse_clause(line.body):
            if not v.years and default_year is not None:
                v.years = [default_year]
            values.extend(v.as_values())
        objectives.append(
            {
                "id": f"obj-{len(objectives) + 1}",
                "text": line.body,
                "section": line.section,
                "values": values,
            }
        )
    return objectives


_SIX_MONTHLY = re.compile(r"6 tháng\s*\(?\s*trước ngày (\d{1,2}) tháng (\d{1,2})", re.I)
_ANNUAL = re.compile(r"(?:hàng|hằng) năm\s*\(?\s*trước ngày (\d{1,2}) tháng (\d{1,2})", re.I)
_REVIEW = re.compile(r"sơ kết\s+(?:\S+\s+){0,4}?(?:vào\s+)?năm (\d{4})", re.I)
_EVALUATION = re.compile(r"tổng kết\s+(?:\S+\s+){0,4}?(?:vào\s+)?năm (\d{4})", re.I)


def _deadlines(lines: list[Line]) -> list[dict]:
    """Reporting duties with a date, and the mid-term / final reviews."""
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for line in lines:
        # the sentence without its list marker ("a) ", "2. "), as the section tree holds it
        text = re.sub(r"^(?:[a-zđ]\)|\d{1,2}(?:\.\d{1,2})*\.)\s+", "", line.body)
        found = []
        for kind, pattern in (("six_monthly_report", _SIX_MONTHLY), ("annual_report", _ANNUAL)):
            if m := pattern.search(text):
                found.append((kind, int(m.group(2)), int(m.group(1)), True, []))
        for kind, pattern in (("review", _REVIEW), ("evaluation", _EVALUATION)):
            if m := pattern.search(text):
                found.append((kind, None, None, False, [int(m.group(1))]))
        for kind, month, day, before, years in found:
            if (kind, text) in seen or any(d["kind"] == kind for d in out):
                continue
            seen.add((kind, text))
            out.append(
                {
                    "id": f"{kind.replace('_', '-')}-{len(out) + 1}",
                    "kind": kind,
                    "text": text,
                    "text_en": TODO_EN,
                    "month": month,
                    "day": day,
                    "before": before,
                    "years": years,
                    "section": line.section,
                }
            )
    return out


def _duties(plan: dict, raw_text: str, problems: list[str]) -> list[dict]:
    """Each office's duties from the section tree (``--duties`` does the same for a plan already
    in knowledge/plans); none while the rest of the draft does not validate yet."""
    try:
        validated = Plan.model_validate(plan)
    except ValueError:
        return []
    duties = draft_duties(validated, parse_outline(raw_text, []))
    if duties:
        problems.append(f"duties: {len(duties)} drafted from the offices' sections; check "
                        "them and add those given in the tasks part")
    return [d.as_yaml() for d in duties]


#: A passage that says where money comes from starts by naming it.
_SOURCE_WORDS = re.compile(
    r"^(?:[-+•]\s*)?(?:ngân sách|nguồn|huy động|kinh phí (?:từ|do)|tài trợ|xã hội hóa"
    r"|các nguồn)", re.I)


def _funding(raw_text: str, problems: list[str]) -> dict:
    """The funding part ("KINH PHÍ THỰC HIỆN"): each passage as written, the ones naming where
    money comes from as sources, the rest as principles; ``section: null`` when there is none."""
    outline = parse_outline(raw_text, [])
    part = next((s for s in outline.root.walk()
                 if s.title and re.search(r"kinh phí", s.title, re.I)), None)
    if part is None:
        problems.append("funding: no 'Kinh phí' part found; set funding by hand or list it in "
                        "not_stated")
        return {"section": None, "sources": [], "principles": []}
    sources, principles = [], []
    for section in part.walk():
        for passage in section.passages:
            clause = {"text": passage.text, "section": section.id}
            (sources if _SOURCE_WORDS.search(passage.text) else principles).append(clause)
    problems.append(f"funding: {len(sources) + len(principles)} passages of part {part.id} "
                    "sorted into sources and principles; check them")
    return {"section": part.id, "sources": sources, "principles": principles}


def _not_stated(plan: dict) -> list[str]:
    facts = [f"document.{k}" for k in ("number", "date") if plan["document"][k] is None]
    targets = plan["targets"]
    for role in ("lead", "coordinating"):
        missing = [t["number"] for t in targets if t[role] is None]
        if targets and len(missing) == len(targets):
            facts.append(f"target.{role}")
        else:
            facts.extend(f"target.{n}.{role}" for n in missing)
    return facts


def build_draft(raw_text: str, file_name: str) -> Draft:
    """Parse a plan following the national template into a draft (schema-shaped dict)."""
    problems: list[str] = []
    header = parse_header(raw_text)
    problems.extend(header.problems)
    lines = document_lines(raw_text)

    start, end = header.period_start, header.period_end
    single_year = start if start is not None and start == end else None
    goals, targets, assignments = _target_dicts(lines, single_year, problems)
    objectives = _objectives(lines, single_year) if not targets else []
    if not targets and objectives:
        problems.append(
            f"objectives: {len(objectives)} unnumbered specific objectives drafted "
            "from 'Mục tiêu cụ thể'; check them"
        )

    years = sorted(
        {
            v["year"]
            for t in targets
            for i in t["indicators"]
            for v in i["values"]
            if v["year"] is not None
        }
    )
    if start is None:
        start = end = years[0] if years else (header.date.year if header.date else 0)
        end = years[-1] if years else start
        problems.append(f"period_start/period_end: guessed as {start}-{end}")
    for t in targets:
        for ind in t["indicators"]:
            for v in ind["values"]:
                if v["year"] is not None and not start - 5 <= v["year"] <= end:
                    problems.append(
                        f"target {ind['id']}: year {v['year']} outside the period; set to null"
                    )
                    v["year"] = None
    years = [y for y in years if start - 5 <= y <= end] or [end]

    level = header.level or "province"
    jurisdiction = header.jurisdiction or "TODO"
    period = f"{start}" if start == end else f"{start}-{end}"
    plan = {
        "id": f"{slug(jurisdiction) or 'plan'}-{period}",
        "name": header.title or "TODO",
        "name_en": f"{slug(jurisdiction).replace('-', ' ').title()} {LEVEL_EN[level]} "
        f"Action Plan for Children, {period}",
        "jurisdiction": jurisdiction,
        "aliases": aliases(jurisdiction, level),
        "level": level,
        "parent_province": header.parent_province,
        "document": {
            "file": file_name,
            "title": header.title or "TODO",
            "number": header.number,
            "date": header.date,
            "basis": header.basis,
        },
        "period_start": start,
        "period_end": end,
        "milestone_years": years,
        "not_stated": [],
        "notes": [],
        "offices": [_office(o) for o in assignments.offices],
        "goals": goals,
        "targets": targets,
        "groups": [],
        "objectives": objectives,
        "deadlines": _deadlines(lines),
    }
    plan["duties"] = _duties(plan, raw_text, problems)
    plan["funding"] = _funding(raw_text, problems)
    plan["not_stated"] = _not_stated(plan)
    todo = sum(1 for t in targets for i in t["indicators"] if i["label_en"] == TODO_EN)
    if todo:
        problems.append(f"label_en: {todo} English indicator labels left as {TODO_EN!r}")
    return Draft(plan, problems)


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # noqa: ARG002 - PyYAML hook
        return True


def draft_yaml(draft: Draft) -> str:
    """The draft as YAML, with the problems listed in a header comment."""
    lines = [
        f"# DRAFT generated by `python -m knowledge.ingest` from {draft.plan['document']['file']}.",
        "# Review every field against the source before adding it to knowledge/plans/.",
    ]
    if draft.problems:
        lines.append("# Could not parse / to check:")
        lines.extend(f"#  - {p}" for p in draft.problems)
    body = yaml.dump(
        draft.plan, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=1000
    )
    return "\n".join(lines) + "\n" + body
