"""A plan document as a tree of numbered sections, so that any passage can be cited.

The source documents (``knowledge/sources``) are plain text with light Markdown and page
breaks that split sentences. ``parse_outline`` rebuilds the structure the document prints:
parts ``I.``, items ``1.`` / ``2.1.``, letters ``a)``, and in each section its passages
(bullets ``-``/``+``/``(1)`` and plain paragraphs). Section ids join the printed numbers with
dots ("V.4", "III.2.1.b"); a decision's articles are "Quyết định, Điều 2"; what comes before
the first part is "mở đầu". A passage is cited as its section and, for a bullet or paragraph,
its point number in that section.

A plan data file may move a paragraph the layout cannot place (a closing paragraph after the
last item belongs to the part): ``Plan.outline`` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Literal

from knowledge.normalize import fold

DECISION = "Quyết định"
INTRO = "mở đầu"

PassageKind = Literal["inline", "bullet", "paragraph"]


@dataclass(frozen=True)
class Passage:
    """One bullet or paragraph of a section, as written (page breaks joined)."""

    section: str
    point: int  # 0: the text on the section's own heading line; else 1, 2, … in the section
    text: str
    kind: PassageKind


@dataclass
class Section:
    id: str
    label: str  # as printed: "V.", "4.", "2.1.", "a)", "Điều 3."
    title: str  # a heading ("KINH PHÍ THỰC HIỆN", "Phòng Tư pháp"); "" when the line is text
    parent: Section | None = field(default=None, repr=False)
    passages: list[Passage] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def text(self) -> str:
        """Everything in the section and below it, headings included, in document order."""
        parts = [f"{self.label} {self.title}".strip()] if self.title else []
        parts += [p.text for p in self.passages]
        parts += [c.text() for c in self.children]
        return "\n".join(p for p in parts if p)

    def path(self) -> list[Section]:
        """The section and its ancestors, outermost first (without the root)."""
        chain: list[Section] = []
        node: Section | None = self
        while node is not None and node.parent is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def heading(self) -> str:
        """The title, else the start of its first passage."""
        if self.title:
            return self.title
        first = next((p.text for p in self.passages), "")
        return first


@dataclass(frozen=True)
class Move:
    """A paragraph (found by its first words) that belongs to another section."""

    starts: str
    section: str


class Outline:
    """A parsed document: the root, every section by id and every passage in order."""

    def __init__(self, root: Section) -> None:
        self.root = root
        self.sections: dict[str, Section] = {s.id: s for s in root.walk() if s.id}
        self.passages: list[Passage] = [p for s in root.walk() for p in s.passages]

    def section(self, section_id: str) -> Section | None:
        """The section a fact cites: "IV.3", or "IV (đoạn cuối)" (its first word)."""
        found = self.sections.get(section_id)
        if found is None and " " in section_id and not section_id.startswith(DECISION):
            found = self.sections.get(section_id.split(" ", 1)[0])
        return found

    def top(self) -> list[Section]:
        return self.root.children


# ---------------------------------------------------------------------- cleaning

_MD_HEADING = re.compile(r"^#{1,6}\s*")
_EMPHASIS = re.compile(r"\*+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_TERMINAL = tuple(".:;!?…)”\"")

_ROMAN = re.compile(r"^(?P<n>[IVX]{1,4})\.\s*(?P<rest>\S.*)$")
_ARTICLE = re.compile(r"^Điều\s+(?P<n>\d{1,2})\.\s*(?P<rest>.*)$")
_MULTI = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<rest>\S.*)$")
_SINGLE = re.compile(r"^(?P<n>\d{1,2})\.\s+(?P<rest>\S.*)$")
_LETTER = re.compile(r"^(?P<n>[a-zđ])\)\s*(?P<rest>.*)$")
_BULLET = re.compile(r"^(?:[-–+•]\s*)+(?P<rest>\S.*)$")
_ENUM = re.compile(r"^\((?P<n>\d{1,2})\)\s*(?P<rest>\S.*)$")
_SIGNATURE = re.compile(r"^Nơi nhận\s*:?", re.IGNORECASE)
_PLAN_TITLE = "KẾ HOẠCH"
_DECISION_TITLE = "QUYẾT ĐỊNH"
#: A heading line: no sentence punctuation at its end and at most this many words.
HEADING_WORDS = 30
#: "Phòng Tư pháp: Thực hiện …": the words before the colon make a title when this few.
COLON_TITLE_WORDS = 14


def _clean(line: str) -> str:
    line = _MD_HEADING.sub("", line.strip())
    line = _EMPHASIS.sub("", line)
    return _SPACES.sub(" ", line).strip()


def _is_marker(text: str) -> bool:
    return any(p.match(text) for p in (_ROMAN, _ARTICLE, _MULTI, _SINGLE, _LETTER, _BULLET,
                                       _ENUM))


def _continues(previous: str, text: str) -> bool:
    """A page break split a sentence: the previous paragraph has no ending and this one
    starts in lower case (or with a number that is not a marker)."""
    if not previous or previous.endswith(_TERMINAL) or _is_marker(text):
        return False
    first = text[0]
    return first.islower() or first.isdigit()


def _is_caps(line: str) -> bool:
    """A title line in capitals ("KẾ HOẠCH", "ỦY BAN NHÂN DÂN TỈNH")."""
    return line == line.upper() and any(ch.isalpha() for ch in line)


def _ends_paragraph(line: str) -> bool:
    """A line that ends a paragraph even without a blank line after it (documents typed
    one paragraph a line)."""
    return line.endswith((".", "!", "?", "./.")) or _is_caps(line)


def paragraphs(text: str) -> list[str]:
    """The document's paragraphs, cleaned, with sentences split by page breaks joined."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        joined = " ".join(block)
        if out and _continues(out[-1], joined):
            out[-1] = f"{out[-1]} {joined}"
        else:
            out.append(joined)
        block.clear()

    for raw in text.splitlines():
        line = _clean(raw)
        if not line:
            flush()
            continue
        if block and (_is_marker(line) or _ends_paragraph(block[-1]) or _is_caps(line)
                      or (len(block) == 1 and _is_marker(block[0]) and line[0].isupper())):
            flush()
        block.append(line)
    flush()
    return [p for p in out if p]


# ---------------------------------------------------------------------- the tree


def _split_heading(rest: str) -> tuple[str, str]:
    """(title, text) of a numbered line."""
    rest = rest.strip()
    if not rest:
        return "", ""
    words = rest.split()
    if (rest == rest.upper() or rest.endswith(":")
            or (not rest.endswith((".", ";")) and len(words) <= HEADING_WORDS)):
        return rest.rstrip(":.").strip(), ""
    head, colon, tail = rest.partition(":")
    if colon and tail.strip() and len(head.split()) <= COLON_TITLE_WORDS and "(" not in head:
        return head.strip(), tail.strip()
    return "", rest


class _Builder:
    def __init__(self, moves: list[Move]) -> None:
        self.root = Section("", "", "")
        self.moves = [(fold(m.starts), m.section) for m in moves]
        self.decision: Section | None = None
        self.intro: Section | None = None
        self.part: Section | None = None
        self.items: list[Section] = []  # arabic items under the part, outermost first
        self.letter: Section | None = None
        self.in_plan = False
        self.skipping = False
        self.moved: list[tuple[str, str]] = []

    # -------------------------------------------------------------- helpers

    def _add(self, parent: Section, sid: str, label: str, rest: str) -> Section:
        title, text = _split_heading(rest)
        existing = next((c for c in parent.children if c.id == sid), None)
        if existing is not None:  # a number printed twice: keep the first, add the text
            node = existing
        else:
            node = Section(sid, label, title, parent)
            parent.children.append(node)
        if text:
            self._passage(node, text, "inline")
        return node

    @staticmethod
    def _passage(node: Section, text: str, kind: PassageKind) -> None:
        point = 0 if kind == "inline" else sum(p.kind != "inline" for p in node.passages) + 1
        node.passages.append(Passage(node.id, point, text, kind))

    def _current(self) -> Section:
        if self.letter is not None:
            return self.letter
        if self.items:
            return self.items[-1]
        if self.part is not None:
            return self.part
        if not self.in_plan and self.decision is not None:
            return self.decision
        if self.intro is None:
            self.intro = Section(INTRO, "", "", self.root)
            self.root.children.insert(0 if self.decision is None else 1, self.intro)
        return self.intro

    # -------------------------------------------------------------- one paragraph

    def feed(self, para: str) -> None:
        if _SIGNATURE.match(para):
            self.skipping = True
            return
        if para.endswith("./.") and not self.skipping:  # the last sentence of a document
            self.feed(para[:-2])
            self.skipping = True
            return
        if para.upper() == _PLAN_TITLE:  # the plan's own title (after a decision's)
            if self.skipping or self.decision is not None:
                self.skipping, self.in_plan = False, True
                self.items, self.letter = [], None
            return
        if self.skipping:
            return
        if para.upper().rstrip(":") == _DECISION_TITLE and self.part is None:
            if self.decision is None:
                self.decision = Section(DECISION, "", DECISION, self.root)
                self.root.children.append(self.decision)
            return
        for key, section in self.moves:
            if fold(para).startswith(key):
                self.moved.append((section, para))
                return
        if (m := _ARTICLE.match(para)) and self.decision is not None and not self.in_plan:
            n = m["n"]
            self.items = [self._add(self.decision, f"{DECISION}, Điều {n}", f"Điều {n}.",
                                    m["rest"])]
            self.letter = None
            return
        if (m := _ROMAN.match(para)) and m["rest"][:1].isupper():
            self.in_plan = True
            self.part = self._add(self.root, m["n"], f"{m['n']}.", m["rest"])
            self.items, self.letter = [], None
            return
        if self.part is not None and (m := _MULTI.match(para)):
            self._multi(m["n"], m["rest"])
            return
        if self.part is not None and (m := _SINGLE.match(para)):
            self._single(m["n"], m["rest"])
            return
        if self.part is not None and (m := _LETTER.match(para)):
            parent = self.items[-1] if self.items else self.part
            self.letter = self._add(parent, f"{parent.id}.{m['n']}", f"{m['n']})", m["rest"])
            return
        if (m := _BULLET.match(para)) or (m := _ENUM.match(para)):
            self._passage(self._current(), m["rest"], "bullet")
            return
        self._passage(self._current(), para, "paragraph")

    def _single(self, n: str, rest: str) -> None:
        assert self.part is not None
        top = self.items[0] if self.items else None
        if (top is not None and top.label == f"{n}." and len(self.items) == 1
                and not top.children and not any(p.kind != "inline" for p in top.passages)):
            # "1. Nhóm …:" straight followed by "1. Mục tiêu 1" then "1.2.": the second
            # "1." is item 1.1 (HCMC prints it so).
            self.items.append(self._add(top, f"{top.id}.{n}", f"{n}.", rest))
        else:
            self.items = [self._add(self.part, f"{self.part.id}.{n}", f"{n}.", rest)]
        self.letter = None

    def _multi(self, number: str, rest: str) -> None:
        assert self.part is not None
        parts = number.split(".")
        parent = self.part
        chain: list[Section] = []
        for depth in range(1, len(parts)):
            sid = f"{self.part.id}.{'.'.join(parts[:depth])}"
            found = next((c for c in parent.children if c.id == sid), None)
            if found is None:
                found = Section(sid, f"{'.'.join(parts[:depth])}.", "", parent)
                parent.children.append(found)
            chain.append(found)
            parent = found
        node = self._add(parent, f"{self.part.id}.{number}", f"{number}.", rest)
        self.items = [*chain, node]
        self.letter = None

    def finish(self) -> Section:
        by_id = {s.id: s for s in self.root.walk()}
        for section_id, para in self.moved:
            target = by_id.get(section_id)
            if target is None:
                raise ValueError(f"outline: no section {section_id!r} to move a paragraph to")
            self._passage(target, para, "paragraph")
        return self.root


def parse_outline(text: str, moves: list[Move] | None = None) -> Outline:
    """The section tree of a plan document."""
    builder = _Builder(moves or [])
    for para in paragraphs(text):
        builder.feed(para)
    return Outline(builder.finish())


# ---------------------------------------------------------------------- quoting

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")


def sentences(text: str) -> list[str]:
    """``text`` cut after each ``.``, ``;``, ``!`` or ``?`` followed by a space."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def quote(text: str, limit: int = 320, focus: Collection[str] = ()) -> str:
    """The passage cut at a sentence end within ``limit`` characters (a whole first sentence
    when even that is longer, cut at a comma then, marked with "…"). With ``focus`` (folded
    words of a question) the quote starts at the sentence or clause that has most of them,
    so that what was asked is in it ("…; kiểm tra … tại các cơ sở dịch vụ dạy bơi")."""
    text = text.strip()
    if len(text) <= limit:
        return text
    start = _focus_start(text, focus) if focus else 0
    if start:  # the opening words, then where the question's words are
        head = quote(text[:start].rstrip(" ;,."), limit // 3)
        if not head.endswith("…"):
            head = head.rstrip(".;") + "…"
        return f"{head} {quote(text[start:], limit - len(head) - 1)}"
    kept = ""
    for sentence in sentences(text):
        if kept and len(kept) + 1 + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}".strip()
        if len(kept) > limit:
            break
    if kept and len(kept) <= limit:
        return kept if kept == text else kept.rstrip(".;") + "…"
    cut = text[:limit]
    at = max(cut.rfind(", "), cut.rfind("; "))
    if at < limit // 2:
        at = cut.rfind(" ")
    return cut[:at].rstrip(",; ") + "…"


_CLAUSE_END = re.compile(r"(?<=[.;:])\s+|\s+(?=\(\w{1,4}\)\s)")


def _focus_start(text: str, focus: Collection[str]) -> int:
    """Where the clause with most of the focus words starts (0: the first one)."""
    wanted = set(focus)
    best, best_at, at = 0, 0, 0
    for clause in _CLAUSE_END.split(text):
        found = text.find(clause, at)
        words = fold(clause).split()
        score = len(wanted & set(words)) + len(
            wanted & {f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)})
        if score > best:
            best, best_at = score, found
        at = found + len(clause)
    return best_at
