"""Full-text search over every passage of every plan (SQLite FTS5, BM25 ranking).

Each passage (a bullet or paragraph of a section, ``knowledge.sections``) is indexed in its
folded form (no diacritics, so "bao cao" finds "báo cáo"), as single syllables and as
syllable pairs ("bao_cao", "tre_em"): Vietnamese words are mostly two syllables, and a pair
is what tells "báo cáo" (report) from "bảo vệ" (protect) once diacritics are gone. The
headings above a passage are indexed in a second column with a lower weight, so a question
about "kinh phí" finds the passages of the "KINH PHÍ THỰC HIỆN" section.

SQLite ships with Python; FTS5 ranks with BM25 (term rarity, term frequency, passage
length). The index lives in memory and is built once with the engine.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from knowledge.normalize import fold, word_set
from knowledge.sections import Outline, Passage, Section

#: BM25 weights of the passage text and of the headings above it.
BODY_WEIGHT, HEAD_WEIGHT = 1.0, 0.4
#: Hits read from the index before the coverage check.
CANDIDATES = 24
#: Words in more than this share of a plan's passages ("trẻ em") say nothing of which
#: passage answers: the coverage check leaves them out.
EVERYWHERE_SHARE = 0.7


#: Function and question words: never searched alone (their pairs still are: "cơ quan").
STOP_WORDS = word_set(
    "a ai anh ban bao nhieu bi cac cai cho chu co cua da dang de den do duoc gi "
    "gium ha hay hoi khi khong ko la lam luc ma minh mot nao nay ne nhe nhi nhung nua o oi "
    "phai ra rang roi sao se tai the thi toi trong tu va vay ve vi voi xin ke hoach kh theo "
    "phu trach chiu chu tri lead leads responsible charge "
    "the nao nhu biet cho hoi "
    "the of a an and or to in on for by is are was be do does did what which who how when "
    "where why me my our your it its this that with from about tell show give please can "
    "could would should there any all plan plans")


def content_words(folded: str) -> list[str]:
    """The words of a folded question worth searching for."""
    return [w for w in folded.split() if w not in STOP_WORDS]


def query_terms(folded: str) -> list[str]:
    """Search terms of a folded question: its content words, and every pair of adjacent words
    but pairs of two function words ("bao cáo" keeps "bao_cao", "là gì" is dropped)."""
    words = folded.split()
    pairs = [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)
             if not (a in STOP_WORDS and b in STOP_WORDS)]
    return list(dict.fromkeys(content_words(folded) + pairs))


def _pairs(words: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def terms(words: Iterable[str]) -> list[str]:
    """Index terms of folded words: the words and their adjacent pairs ("tre", "em", "tre_em")."""
    words = list(words)
    return words + _pairs(words)


@dataclass(frozen=True)
class PassageHit:
    plan_id: str
    passage: Passage
    headings: tuple[str, ...]  # titles of the sections above it, outermost first
    score: float  # BM25, higher is better
    coverage: float  # share of the question's words found in the passage or its headings
    pairs: int = 0  # the question's word pairs found in it ("tre em", "bao cao")
    asked_pairs: int = 0  # word pairs the question has

    def answers(self, coverage: float) -> bool:
        """Enough of the question is in the passage: ``coverage`` of its words, and one of its
        word pairs when it has any (single syllables alone say little in Vietnamese)."""
        return self.coverage >= coverage and (self.pairs > 0 or self.asked_pairs == 0)


@dataclass(frozen=True)
class _Entry:
    plan_id: str
    passage: Passage
    headings: tuple[str, ...]
    words: frozenset[str]
    pairs: frozenset[str]


def _coverage(content: set[str], telling: set[str], found: frozenset[str]) -> float:
    """The share of the question's words a passage has: of all of them, or of those that are
    not everywhere in the plan, whichever is higher (the words "trẻ em" neither make nor
    break a passage)."""
    return max(len(content & found) / len(content), len(telling & found) / len(telling))


def _common_words(word_sets: list[frozenset[str]]) -> frozenset[str]:
    """Words found in more than EVERYWHERE_SHARE of the passages."""
    counts = Counter(word for words in word_sets for word in words)
    floor = EVERYWHERE_SHARE * len(word_sets)
    return frozenset(w for w, n in counts.items() if n > floor)


def _headings(section: Section) -> tuple[str, ...]:
    return tuple(s.title for s in section.path() if s.title)


class PassageIndex:
    """Every passage of the plans, searchable by folded words (one FTS5 table a plan)."""

    def __init__(self, outlines: Mapping[str, Outline]) -> None:
        self._entries: list[_Entry] = []
        self._tables: dict[str, str] = {}
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        for n, (plan_id, outline) in enumerate(outlines.items()):
            table = self._tables[plan_id] = f"plan_{n}"
            self._db.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(body, head, "
                "tokenize=\"unicode61 remove_diacritics 2 tokenchars '_'\")")
            rows = []
            for section in outline.root.walk():
                heads = _headings(section)
                for passage in section.passages:
                    body = fold(passage.text).split()
                    head = fold(" ".join(heads)).split()
                    self._entries.append(_Entry(
                        plan_id, passage, heads, frozenset(body) | frozenset(head),
                        frozenset(_pairs(body)) | frozenset(_pairs(head))))
                    rows.append((len(self._entries), " ".join(terms(body)),
                                 " ".join(terms(head))))
            self._db.executemany(f"INSERT INTO {table}(rowid, body, head) VALUES (?, ?, ?)",
                                 rows)
        self._db.commit()
        self._everywhere = {plan_id: _common_words(
            [e.words for e in self._entries if e.plan_id == plan_id]) for plan_id in outlines}

    def __len__(self) -> int:
        return len(self._entries)

    def speaks_of(self, folded: str, plan_ids: Iterable[str]) -> bool:
        """The plans use a word pair of the question ("mục đích", "trẻ em"): it is about
        them, not about the weather."""
        words = [w for w in content_words(folded) if w.isalpha()]
        pairs = set(_pairs(words))
        wanted = set(plan_ids)
        return any(e.plan_id in wanted and e.pairs & pairs for e in self._entries)

    def search(self, folded: str, plan_ids: Iterable[str], limit: int = 3,
               required: Iterable[str] = (),
               any_pairs: Collection[str] = ()) -> list[PassageHit]:
        """The best passages of ``plan_ids`` for a folded question (best first by BM25);
        ``required``: words a passage (or its headings) must contain; ``any_pairs``: word
        pairs ("kinh_phi") one of which it must contain."""
        query = [t for t in query_terms(folded) if t.replace("_", "").isalnum()]
        words = content_words(folded)
        if not query or not words:
            return []
        match = "{body head} : (" + " OR ".join(query) + ")"
        need, content = set(required), set(words)
        asked_pairs = {t for t in query if "_" in t}
        hits: list[PassageHit] = []
        for plan_id in plan_ids:
            table = self._tables.get(plan_id)
            if table is None:
                continue
            telling = content - self._everywhere[plan_id] or content
            with self._lock:
                rows = self._db.execute(
                    f"SELECT rowid, -bm25({table}, ?, ?) FROM {table} WHERE {table} MATCH ? "
                    f"ORDER BY bm25({table}, ?, ?) LIMIT ?",
                    (BODY_WEIGHT, HEAD_WEIGHT, match, BODY_WEIGHT, HEAD_WEIGHT, CANDIDATES),
                ).fetchall()
            for rowid, score in rows:
                entry = self._entries[rowid - 1]
                if need <= entry.words and (not any_pairs or entry.pairs & set(any_pairs)):
                    hits.append(PassageHit(entry.plan_id, entry.passage, entry.headings,
                                           score, _coverage(content, telling, entry.words),
                                           len(asked_pairs & entry.pairs),
                                           len(asked_pairs)))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit] if limit else hits
