"""Question answering core speed: ``engine.ask`` + ``render_answer`` over the question set."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from kernel.i18n import translator
from knowledge.loader import default_plans
from knowledge.qa import QAEngine
from knowledge.render import render_answer

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "tests" / "questions"


def load_questions() -> list[tuple[str, str | None, str]]:
    """(question, chosen plan, language) for every item of tests/questions/*.yaml."""
    items = []
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            items.append((item["q"], item.get("plan"), item.get("lang", "vi")))
    return items


def run(rounds: int = 7) -> dict[str, float]:
    """Answers per second and median/p95 latency (ms) per answer, over ``rounds`` passes."""
    plans = default_plans()
    started = time.perf_counter()
    engine = QAEngine(plans)
    build_ms = (time.perf_counter() - started) * 1000
    questions = [(q, p if p in plans else None, translator(lang))
                 for q, p, lang in load_questions()]
    for text, plan_id, tr in questions:  # warm-up: caches, catalogs
        render_answer(engine.ask(text, plan_id=plan_id), tr)
    latencies: list[float] = []
    rates: list[float] = []
    for _ in range(rounds):
        round_start = time.perf_counter()
        for text, plan_id, tr in questions:
            t0 = time.perf_counter()
            render_answer(engine.ask(text, plan_id=plan_id), tr)
            latencies.append(time.perf_counter() - t0)
        rates.append(len(questions) / (time.perf_counter() - round_start))
    latencies.sort()
    return {
        "questions": float(len(questions)),
        "engine_build_ms": build_ms,
        "answers_per_s": statistics.median(rates),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "max_ms": latencies[-1] * 1000,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.3f}")
