"""Topic search: which indicators, objectives and groups a question without a number is about.

Every plan item is indexed once: Vietnamese syllable pairs (the unit of meaning in
Vietnamese), English words of the English labels, and the glossary topics it belongs to.
A question scores items by the topics it names and by the pairs/words it shares with them,
weighted by rarity (IDF).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from knowledge.normalize import bigrams, contains_phrase, fold, word_set
from knowledge.qa.glossary import Glossary, Topic
from knowledge.schema import Group, Indicator, Objective, Plan, Target

TOPIC_SCORE = 4.0
EXTRA_TERM_SCORE = 0.5
CONTEXT_WEIGHT = 0.5  # pairs from the surrounding text (target text, group title)
VI_WORD_WEIGHT = 0.3  # single Vietnamese syllables: weak evidence only
#: Minimum evidence (topics, pairs, English words) for an item to count as a match.
MIN_EVIDENCE = 2.5


VI_STOP = word_set(
    "la gi bao nhieu nao nhung cac cua o tai trong cho ve va co khong thi ma nam gom chi tieu "
    "muc ct ai hoi toi minh em oi a nhe vay sao the khi luc dau hien nay hom ke hoach sanh "
    "giua phu trach chu tri chiu trach nhiem thuc hien dat phai vao den bang"
)
EN_STOP = word_set(
    "a an the of in on for to by and or is are was were be do does did what which who whom how "
    "when where why whats s target targets indicator indicators goal goals plan plans city "
    "province district rate share percentage per number value values about tell me show give "
    "there any all this that with from under over its it i we you my our your can could "
    "should would will vs compare"
)


@dataclass(frozen=True)
class Item:
    plan_id: str
    kind: Literal["indicator", "objective", "group"]
    target: Target | None = None
    indicator: Indicator | None = None
    objective: Objective | None = None
    group: Group | None = None


@dataclass(frozen=True)
class Hit:
    item: Item
    score: float
    evidence: float
    topical: bool = False  # the item is about one of the topics the question names


def en_stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _en_words(text: str) -> set[str]:
    return {en_stem(w) for w in fold(text).split() if w not in EN_STOP and len(w) > 2}


def _en_pairs(text: str) -> list[str]:
    """Word pairs of an English label that say something ("under 5", not "of the")."""
    words = fold(text).split()
    return [p for p in bigrams(words) if not set(p.split()) <= EN_STOP]


def _segments(words: list[str], skip: set[int]) -> list[list[str]]:
    """Runs of content words (stop words and used positions break a run)."""
    runs: list[list[str]] = [[]]
    for i, word in enumerate(words):
        if i in skip or word in VI_STOP:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(word)
    return [r for r in runs if r]


class TopicIndex:
    """All plan items, indexed for topic questions; built once."""

    def __init__(self, plans: dict[str, Plan], glossary: Glossary) -> None:
        self.glossary = glossary
        self.items: list[Item] = []
        pairs: list[dict[str, float]] = []
        vi_words: list[set[str]] = []
        en_words: list[set[str]] = []
        topic_terms: list[dict[str, int]] = []
        for plan in plans.values():
            for item, main_vi, context_vi, en in _plan_items(plan):
                self.items.append(item)
                main, context = fold(main_vi), fold(context_vi)
                weights = dict.fromkeys(bigrams(context.split()), CONTEXT_WEIGHT)
                weights.update(dict.fromkeys(bigrams(main.split()), 1.0))
                weights.update(dict.fromkeys(_en_pairs(en), 1.0))
                pairs.append(weights)
                vi_words.append(set(main.split()))
                en_words.append(_en_words(en))
                folded_en = fold(en)
                topic_terms.append(
                    {
                        t.id: n
                        for t in glossary.topics
                        if (n := sum(contains_phrase(main, w) for w in t.vi)
                            + sum(contains_phrase(folded_en, w) for w in t.en))
                    }
                )
        n = max(len(self.items), 1)
        self._pair_index = _inverted(pairs, n)
        self._vi_index = _inverted([dict.fromkeys(w, 1.0) for w in vi_words], n)
        self._en_index = _inverted([dict.fromkeys(w, 1.0) for w in en_words], n)
        self._topic_index: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, terms in enumerate(topic_terms):
            for topic_id, count in terms.items():
                self._topic_index[topic_id].append((i, count))

    def search(
        self, folded: str, skip: set[int], plan_ids: set[str], topics: list[Topic]
    ) -> list[Hit]:
        """Items of ``plan_ids`` matching the question, best first (evidence ≥ MIN_EVIDENCE)."""
        words = folded.split()
        segments = _segments(words, skip)
        scores: dict[int, float] = defaultdict(float)
        evidence: dict[int, float] = defaultdict(float)
        topical: set[int] = set()
        for topic in topics:
            for i, count in self._topic_index.get(topic.id, ()):
                topical.add(i)
                bonus = TOPIC_SCORE + EXTRA_TERM_SCORE * min(count - 1, 2)
                scores[i] += bonus
                evidence[i] += bonus
        query_pairs = {p for seg in segments for p in bigrams(seg)}
        for pair in query_pairs:
            for i, weight in self._pair_index.get(pair, ()):
                scores[i] += weight
                evidence[i] += weight
        content = [w for seg in segments for w in seg]
        for word in {en_stem(w) for w in content if w not in EN_STOP and len(w) > 2}:
            for i, weight in self._en_index.get(word, ()):
                scores[i] += weight
                evidence[i] += weight
        for word in set(content):
            for i, weight in self._vi_index.get(word, ()):
                scores[i] += VI_WORD_WEIGHT * weight
        hits = [
            Hit(self.items[i], score, evidence[i], i in topical)
            for i, score in scores.items()
            if evidence[i] >= MIN_EVIDENCE and self.items[i].plan_id in plan_ids
        ]
        hits.sort(key=lambda h: -h.score)
        return hits


def _inverted(docs: list[dict[str, float]], n: int) -> dict[str, list[tuple[int, float]]]:
    """term → [(item, weight × idf)]."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for term, weight in doc.items():
            postings[term].append((i, weight))
    index: dict[str, list[tuple[int, float]]] = {}
    for term, plist in postings.items():
        idf = math.log((n + 1) / len(plist))
        index[term] = [(i, w * idf) for i, w in plist]
    return index


def _plan_items(plan: Plan):
    """(item, main Vietnamese text, context Vietnamese text, English text) for every item."""
    for target in plan.targets:
        for ind in target.indicators:
            notes = " ".join(v.note or "" for v in ind.values)
            yield (
                Item(plan.id, "indicator", target=target, indicator=ind),
                f"{ind.label} {notes}",
                target.text,
                ind.label_en,
            )
    groups = {g.id: g for g in plan.groups}
    for obj in plan.objectives:
        group = groups.get(obj.group or "")
        yield (
            Item(plan.id, "objective", objective=obj, group=group),
            obj.text,
            group.title if group else "",
            group.title_en if group else "",
        )
    for group in plan.groups:
        yield (
            Item(plan.id, "group", group=group),
            group.title,
            " ".join(group.criteria),
            group.title_en,
        )
