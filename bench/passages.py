"""Passage ranking: SQLite FTS5 (BM25 on folded syllables and syllable pairs, the engine's
``knowledge.qa.passages``) against rapidfuzz fuzzy matching over the same passages.

The questions are the held-out ones (``tests/questions/heldout-*.yaml``, written from the
source texts by someone who had not seen the engine) that ask for a passage: who leads a
task, funding, reporting, any other passage. Their ``contains`` quotes the source; a
passage is right when it contains one of those quotes. Both rankers get the same query (the
engine's normalised, folded question without plan names) and the passages of the question's
plan; top-1 and top-3 are the shares of questions with a right passage first / in the first
three, and the latency is per query (median, ms).

``python -m bench.passages``
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.loader import default_plans, outline_of
from knowledge.normalize import fold
from knowledge.qa import QAEngine
from knowledge.sections import Passage

HELD_OUT = sorted((Path(__file__).resolve().parent.parent / "tests" / "questions")
                  .glob("heldout-*.yaml"))
#: What a question asks for (its ``expect``) when its answer is one or a few passages.
PASSAGE_QUESTIONS = {"passage", "who_leads", "reporting", "funding"}
_SECTION = re.compile(r"^([IVX]+|\d+)(\.[\w.]*)?$|^Điều \d+", re.IGNORECASE)

Ranker = Callable[[str, str], list[Passage]]


def _flat(text: str) -> str:
    return " ".join(fold(text).split())


def cases(engine: QAEngine) -> tuple[list[tuple[str, str, list[str]]], int]:
    """(query, plan id, quotes) of every passage question whose quotes are in some passage of
    its plan; and how many questions were left out (their quote spans passages)."""
    found, skipped = [], 0
    for path in HELD_OUT:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            plans = item.get("plans") or []
            if item.get("expect") not in PASSAGE_QUESTIONS or len(plans) != 1:
                continue
            quotes = [_flat(c) for c in item.get("contains", []) if not _SECTION.match(c)]
            texts = [_flat(p.text) for p in _passages(engine, plans[0])]
            quotes = [q for q in quotes if any(q in t for t in texts)]
            if quotes:
                found.append((engine.search_query(item["q"]), plans[0], quotes))
            else:
                skipped += 1
    return found, skipped


def _passages(engine: QAEngine, plan_id: str) -> list[Passage]:
    return [p for s in outline_of(engine.plans[plan_id]).root.walk() for p in s.passages]


def fts_ranker(engine: QAEngine) -> Ranker:
    def rank(query: str, plan_id: str) -> list[Passage]:
        return [h.passage for h in engine.passages.search(query, [plan_id], limit=3)]
    return rank


def fuzzy_ranker(engine: QAEngine, scorer: Callable[..., float]) -> Ranker:
    """rapidfuzz ``process.extract`` over each passage with its headings, folded."""
    choices: dict[str, tuple[list[str], list[Passage]]] = {}
    for plan_id in engine.plans:
        passages, texts = [], []
        for section in outline_of(engine.plans[plan_id]).root.walk():
            heads = " ".join(s.title for s in section.path() if s.title)
            for passage in section.passages:
                passages.append(passage)
                texts.append(_flat(f"{heads} {passage.text}"))
        choices[plan_id] = (texts, passages)

    def rank(query: str, plan_id: str) -> list[Passage]:
        texts, passages = choices[plan_id]
        best = process.extract(query, texts, scorer=scorer, processor=None, limit=3)
        return [passages[index] for _text, _score, index in best]
    return rank


def measure(rank: Ranker, items: list[tuple[str, str, list[str]]]) -> dict[str, float]:
    top1 = top3 = 0
    latencies = []
    for query, plan_id, quotes in items:
        started = time.perf_counter()
        found = rank(query, plan_id)
        latencies.append(time.perf_counter() - started)
        right = [any(q in _flat(p.text) for q in quotes) for p in found]
        top1 += bool(right[:1] and right[0])
        top3 += any(right)
    return {"top1": top1 / len(items), "top3": top3 / len(items),
            "median_ms": statistics.median(latencies) * 1000}


def run() -> dict[str, float]:
    engine = QAEngine(default_plans())
    items, skipped = cases(engine)
    results: dict[str, float] = {"questions": float(len(items)), "left_out": float(skipped)}
    rankers = {"fts5_bm25": fts_ranker(engine),
               "fuzzy_token_set": fuzzy_ranker(engine, fuzz.token_set_ratio),
               "fuzzy_partial": fuzzy_ranker(engine, fuzz.partial_ratio)}
    for name, rank in rankers.items():
        for key, value in measure(rank, items).items():
            results[f"{name}_{key}"] = value
    best_fuzzy = max(results["fuzzy_token_set_top3"], results["fuzzy_partial_top3"])
    results["top3_ratio_fts5_to_best_fuzzy"] = results["fts5_bm25_top3"] / max(best_fuzzy, 1e-9)
    return results


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.3f}")
