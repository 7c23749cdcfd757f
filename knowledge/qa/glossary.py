"""The topic and office vocabulary of ``knowledge/glossary.yaml``, folded for matching."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.normalize import contains_phrase, find_phrase, fold

GLOSSARY_FILE = Path(__file__).resolve().parent.parent / "glossary.yaml"

#: Fuzzy threshold for a typo in a multi-word term ("suy dinh duog").
FUZZY_CUTOFF = 85
#: … in terms at least this long ("tao hom" for "tao hon").
FUZZY_MIN_LEN = 7


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


@dataclass(frozen=True)
class ShortForm:
    """A short form written out only where its neighbours say so (folded)."""

    short: str
    long: str
    before: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    first: bool = False
    after_number: bool = False
    not_after_number: bool = False

    def applies(self, previous: str | None, following: str | None) -> bool:
        if self.first and previous is not None:
            return False
        if self.before and following not in self.before:
            return False
        if following is not None and following in self.not_before:
            return False
        if self.after and previous not in self.after:
            return False
        if previous is not None and previous in self.not_after:
            return False
        number = previous is not None and previous.isdigit()
        return not (self.after_number and not number) and not (
            self.not_after_number and number)


@dataclass
class Glossary:
    topics: tuple[Topic, ...]
    offices: tuple[OfficeTerm, ...]
    abbreviations: dict[str, str] = field(default_factory=dict)  # folded short → long form
    short_forms: tuple[ShortForm, ...] = ()
    #: folded English phrase → folded Vietnamese, longest phrase first
    translations: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        # Multi-word terms by word count, for typo matching against question n-grams.
        self._fuzzy: dict[int, tuple[list[str], list[Topic]]] = {}
        for topic in self.topics:
            for term in topic.vi + topic.en:
                n = term.count(" ") + 1
                if n >= 2 and len(term) >= FUZZY_MIN_LEN:
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
                if hit is not None and hit[0].split()[0] != words[i]:
                    hit = None  # a typo in the first word makes another term ("hoi dong")
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

    def to_vietnamese(self, folded: str) -> str:
        """``folded`` followed by the Vietnamese of its English phrases, topics and offices
        (for searching plans written in Vietnamese)."""
        padded = f" {folded} "
        added: list[str] = []
        for english, vietnamese in self.translations:
            if f" {english} " in padded:  # the English phrase gives way to its Vietnamese
                added.append(vietnamese)
                padded = padded.replace(f" {english} ", " ")
        folded = " ".join(padded.split())
        for topic in self.topics:
            if topic.vi and any(contains_phrase(folded, w) for w in topic.en):
                added.append(topic.vi[0])
        for office in self.offices:
            if any(contains_phrase(folded, t) for t in office.terms if t.isascii()):
                added.append(office.core)
        return f"{folded} {' '.join(added)}" if added else folded

    def expand_short(self, folded: str, known_pairs: Collection[tuple[str, str]] = ()) -> str:
        """Short forms written out where their neighbours allow ("ct XH" → "ct xam hai",
        "ld tb xh" stays, "CA huyện" → "cong an huyen", "5t" → "5 tuoi"), and never where
        the short form makes a word with its neighbour ("y te", "ca nhan": ``known_pairs``)."""
        words = folded.split()
        if not words:
            return folded
        by_short: dict[str, list[ShortForm]] = {}
        for form in self.short_forms:
            by_short.setdefault(form.short, []).append(form)
        out = []
        for i, word in enumerate(words):
            forms = by_short.get(word)
            if forms:
                previous = words[i - 1] if i else None
                following = words[i + 1] if i + 1 < len(words) else None
                joined = ((previous, word) in known_pairs and previous not in by_short) or (
                    (word, following) in known_pairs and following not in by_short)
                if joined:  # "y te", "ca nhan": a word, not a short form
                    out.append(word)
                    continue
                form = next((f for f in forms if f.applies(previous, following)), None)
                if form is not None:
                    out.append(form.long)
                    continue
            out.append(word)
        return " ".join(out)

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
    forms = tuple(_short_form(f) for f in raw.get("short_forms") or [])
    pairs = {fold(str(k)): fold(str(v)) for k, v in (raw.get("translations") or {}).items()}
    translations = tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))
    return Glossary(topics, offices, abbreviations, forms, translations)


def _short_form(raw: dict) -> ShortForm:
    def words(key: str) -> frozenset[str]:
        return frozenset(fold(str(w)) for w in raw.get(key) or [])

    return ShortForm(fold(str(raw["short"])), fold(str(raw["long"])), words("before"),
                     words("not_before"), words("after"), words("not_after"),
                     bool(raw.get("first")), bool(raw.get("after_number")),
                     bool(raw.get("not_after_number")))
