"""Command line: draft a plan file, or score the drafts of all sources against curated files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.ingest import ingest_file, score_plan, to_plan
from knowledge.ingest.duties import draft_duties, duties_yaml
from knowledge.ingest.readers import SUFFIXES, read_document
from knowledge.ingest.score import curated_by_source
from knowledge.ingest.variants import robustness_rows, robustness_table
from knowledge.loader import (
    PLANS_DIR,
    SOURCES_DIR,
    PlanFileError,
    load_plan_file,
    load_plans,
    outline_of,
)
from knowledge.provenance import provenance_problems
from knowledge.schema import Plan


def _percent(right: int, total: int) -> str:
    return f"{right}/{total} ({100 * right / total:.0f}%)" if total else "n/a"


def score_table(sources_dir: Path = SOURCES_DIR, plans_dir: Path = PLANS_DIR) -> str:
    """A text table: per source, the share of curated values and lead offices the draft gets."""
    curated = curated_by_source(plans_dir)
    rows = [("source", "curated plan", "values right", "extra", "leads right",
             "coordinating right", "document facts", "problems")]
    for source in sorted(p for p in sources_dir.iterdir() if p.suffix in SUFFIXES):
        draft = ingest_file(source)
        plan = curated.get(source.name)
        if not isinstance(plan, Plan):
            status = plan or "(none yet)"
            rows.append((source.name, status, "-", "-", "-", "-", "-", str(len(draft.problems))))
            continue
        score = score_plan(to_plan(draft), plan)
        rows.append(
            (
                source.name,
                plan.id,
                _percent(score.values_right, score.values_total),
                str(score.extra_values),
                _percent(score.leads_right, score.leads_total),
                _percent(score.coordinating_right, score.coordinating_total),
                _percent(score.header_right, score.header_total),
                str(len(draft.problems)),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)


def check_file(path: Path, sources_dir: Path = SOURCES_DIR) -> list[str]:
    """What is wrong with a plan file: the schema first, then every fact's provenance (in the
    source, in the section it cites, the number written in its text)."""
    try:
        plan = load_plan_file(path)
    except PlanFileError as exc:
        return [str(exc)]
    source = sources_dir / plan.document.file
    if not source.exists():
        return [f"document.file: {plan.document.file} is not in {sources_dir}"]
    return provenance_problems(plan, outline_of(plan), read_document(source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.ingest", description=__doc__)
    parser.add_argument("document", nargs="?", type=Path,
                        help="plan document (.txt, .md, .docx or .pdf)")
    parser.add_argument("-o", "--output", type=Path, help="write the draft YAML here")
    parser.add_argument(
        "--score",
        action="store_true",
        help="score the drafts of all knowledge/sources against knowledge/plans",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="with --score: list misses")
    parser.add_argument("--duties", metavar="PLAN_ID",
                        help="draft the duties: block of a curated plan from its section tree")
    parser.add_argument("--against", metavar="FILE.yaml", type=Path,
                        help="with --score and a document: the curated file to score against")
    parser.add_argument("--check", metavar="FILE.yaml", type=Path,
                        help="validate a (hand-edited) plan file: schema and provenance")
    parser.add_argument("--robustness", action="store_true",
                        help="score drafts of variants of the seeds (separators, numbering, "
                             "tables, a decision wrapper, …) against the curated files")
    args = parser.parse_args(argv)

    if args.check:
        problems = check_file(args.check)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print(f"{args.check.name}: {'ok' if not problems else f'{len(problems)} problem(s)'}",
              file=sys.stderr)
        return 0 if not problems else 1
    if args.robustness:
        print(robustness_table(robustness_rows()))
        return 0

    if args.duties:
        plan = load_plans()[args.duties]
        sys.stdout.write(duties_yaml(draft_duties(plan, outline_of(plan))))
        return 0

    if args.score and args.document is not None:  # one document against one curated file
        curated = load_plan_file(args.against) if args.against else curated_by_source().get(
            args.document.name)
        if not isinstance(curated, Plan):
            parser.error("give --against FILE.yaml (no curated file names this document)")
        score = score_plan(to_plan(ingest_file(args.document)), curated)
        for field, right, total in (
                ("values", score.values_right, score.values_total),
                ("lead offices", score.leads_right, score.leads_total),
                ("coordinating offices", score.coordinating_right, score.coordinating_total),
                ("document facts", score.header_right, score.header_total)):
            print(f"{field:22} {_percent(right, total)}")
        for miss in score.misses if args.verbose else []:
            print(f"  {miss}")
        return 0
    if args.score:
        print(score_table())
        if args.verbose:
            for source, plan in curated_by_source().items():
                if isinstance(plan, Plan):
                    score = score_plan(to_plan(ingest_file(SOURCES_DIR / source)), plan)
                    for miss in score.misses:
                        print(f"{plan.id}: {miss}")
        return 0
    if args.document is None:
        parser.error("give a document, or --score")

    draft = ingest_file(args.document)
    text = draft.to_yaml()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"draft written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    try:
        to_plan(draft)
    except ValueError as exc:
        print(f"the draft does not validate yet:\n{exc}", file=sys.stderr)
    if draft.problems:
        print(f"could not parse / to check ({len(draft.problems)}):", file=sys.stderr)
        for problem in draft.problems:
            print(f"  - {problem}", file=sys.stderr)
    else:
        print("everything parsed; review the draft all the same", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
