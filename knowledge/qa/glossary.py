"""The topic and office vocabulary of ``knowledge/glossary.yaml``, folded for matching."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.normalize import contains_phrase, find_phrase, fold

GLOSSARY_FILE = Path(__file__).resolve().parent.parent / "glossary.yaml"

#: Fuzzy threshold for a typo in a multi-word term ("suy dinh duog").
FUZZY_CUTOFF = 88


@dataclass(frozen=True)
class Topic:
    id: str
    vi: tuple[str, ...]  # folded Vietnamese terms (match plan items)
    en: tuple[str, ...]  # folded English terms (match English labels)
    abbr: tuple[str, ...]  # folded abbreviations (only recognise the topic)
    label_vi: str = ""  # the first Vietnamese term as written, for replies
    label_en: str = ""  # the first English term as written

    @property
    def query_terms(self) -> tuple[str, ...]:
        return self.vi + self.en + self.abbr


@dataclass(frozen=True)
class OfficeTerm:
    core: str  # folded Vietnamese core of an office name
    terms: tuple[str, ...]  # folded other names


@dataclass
class Glossary:
    topics: tuple[Topic, ...]
    offices: tuple[OfficeTerm, ...]
    abbreviations: dict[str, str] = field(default_factory=dict)  # folded short → long form

    def __post_init__(self) -> None:
        # Multi-word terms by word count, for typo matching against question n-grams.
        self._fuzzy: dict[int, tuple[list[str], list[Topic]]] = {}
        for topic in self.topics:
            for term in topic.vi + topic.en:
                n = term.count(" ") + 1
                if n >= 2 and len(term) >= 8:
                    terms, owners = self._fuzzy.setdefault(n, ([], []))
                    terms.append(term)
                    owners.append(topic)

    def topics_in(self, folded: str) -> list[Topic]:
        """Topics a folded question mentions (exact terms, or a typo in a long term)."""
        found = [t for t in self.topics if any(contains_phrase(folded, w) for w in t.query_terms)]
        if found:
            return found
        words = folded.split()
        for n, (terms, owners) in self._fuzzy.items():
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i : i + n])
                hit = process.extractOne(gram, terms, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if hit is not None and owners[hit[2]] not in found:
                    found.append(owners[hit[2]])
        return found

    def topic_words(self, folded: str) -> set[int]:
        """Word positions covered by exact topic terms ("bao hiem y te" is not an office)."""
        covered: set[int] = set()
        for topic in self.topics:
            for term in topic.vi + topic.en:
                at = find_phrase(folded, term)
                if at >= 0:
                    covered |= set(range(at, at + term.count(" ") + 1))
        return covered

    def expand(self, folded: str) -> str:
        """``folded`` with abbreviations written out ("bo hoc thcs" → "... trung hoc co so")."""
        if not self.abbreviations:
            return folded
        return " ".join(self.abbreviations.get(w, w) for w in folded.split())

    def words(self) -> list[str]:
        """Every folded term (for the spelling corrector's vocabulary)."""
        out = [w for t in self.topics for w in t.query_terms]
        out += [w for o in self.offices for w in (o.core, *o.terms)]
        return out + [*self.abbreviations, *self.abbreviations.values()]

    def office_cores_in(self, folded: str) -> list[str]:
        """Vietnamese office cores named another way in the question ("police" → "cong an")."""
        return [o.core for o in self.offices if any(contains_phrase(folded, t) for t in o.terms)]


def _fold_all(words: list[str] | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for w in words or []:
        f = fold(str(w))
        if f:
            seen[f] = None
    return tuple(seen)


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics = tuple(
        Topic(
            id=t["id"],
            vi=_fold_all(t.get("vi")),
            en=_fold_all(t.get("en")),
            abbr=_fold_all(t.get("abbr")),
            label_vi=str((t.get("vi") or [t["id"]])[0]),
            label_en=str((t.get("en") or [t["id"]])[0]),
        )
        for t in raw.get("topics", [])
    )
    offices = tuple(
        OfficeTerm(core=fold(o["core"]), terms=_fold_all(o.get("terms")))
        for o in raw.get("offices", [])
    )
    short = raw.get("abbreviations") or {}
    abbreviations = {fold(str(k)): fold(str(v)) for k, v in short.items()}
    return Glossary(topics, offices, abbreviations)
