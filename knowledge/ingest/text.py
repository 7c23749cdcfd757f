"""A digitised plan as logical lines: Markdown dropped, page breaks rejoined, sections labelled."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKDOWN = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_HEADING_HASHES = re.compile(r"^#+\s*")
_SPACE = re.compile(r"[ \t\u00a0]+")
_TERMINAL = tuple('.:;!?”"')

ROMAN_HEADING = re.compile(r"^([IVX]{1,5})\.\s+\S")
NUMBER_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+\S")
LETTER_HEADING = re.compile(r"^([a-zđ])\)\s*")
BULLET = re.compile(r"^(?:[-+•]\s*)+")
_NUMBERED_START = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.\s|\(\d+\)\s|[a-zđ]\)\s|[IVX]+\.\s"
    r"|(?:Chỉ tiêu|Mục tiêu|Điều|Phụ lục)\s+(?:số\s+)?\d{1,2}\s*[:.\-–)]|PHỤ LỤC)", re.I)


@dataclass(frozen=True)
class Line:
    """One logical line of the document and the section it belongs to."""

    text: str
    section: str
    index: int
    #: The physical line (1-based) the logical line starts on, for the problems list.
    number: int = 0

    @property
    def body(self) -> str:
        """The text without leading bullets ('-', '+', '- +')."""
        return BULLET.sub("", self.text).strip()

    @property
    def is_sub_item(self) -> bool:
        """True for a '+' item (possibly written '- +')."""
        return bool(re.match(r"^(?:-\s*)?\+", self.text))


def clean(raw: str) -> str:
    """Drop Markdown emphasis and heading marks from one physical line; collapse spaces."""
    text = _HEADING_HASHES.sub("", raw.strip())
    text = _MARKDOWN.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _is_block_start(text: str) -> bool:
    """A line that opens a new block: bullet, numbered or lettered item, roman heading."""
    return bool(BULLET.match(text) or _NUMBERED_START.match(text))


def _continues(previous: str, following: str) -> bool:
    """True when ``following`` continues ``previous`` (a sentence split by a line or page break)."""
    if not previous or _is_block_start(following) or "|" in (previous[0], following[0]):
        return False  # a table's rows stand alone
    first = following[0]
    if previous.endswith(","):  # a clause broken after its comma
        return True
    if previous.endswith((";", ":")):  # a list broken after its separator
        return first.islower() or (first.isdigit() and not re.match(r"\d+\.\s", following))
    if previous.endswith(_TERMINAL):
        return False
    if first.islower() or first.isdigit():
        return True
    # A long line cut mid-sentence, continued by a capitalised word (a proper noun).
    return len(previous) > 70 and not previous.isupper() and not following.isupper()


def logical_lines(raw_text: str) -> list[str]:
    """Physical lines joined back into sentences and paragraphs."""
    return [text for text, _ in numbered_lines(raw_text)]


def numbered_lines(raw_text: str) -> list[tuple[str, int]]:
    """Logical lines with the physical line (1-based) each starts on."""
    result: list[tuple[str, int]] = []
    for number, raw in enumerate(raw_text.splitlines(), 1):
        text = clean(raw)
        if not text:
            continue
        if result and _continues(result[-1][0], text):
            result[-1] = (f"{result[-1][0]} {text}", result[-1][1])
        else:
            result.append((text, number))
    return result


class SectionTracker:
    """Follow the heading numbering ('V.', '1.', '2.3.', 'a)') to label where a line is."""

    def __init__(self) -> None:
        self.roman = ""
        self.number = ""
        self.letter = ""

    def update(self, text: str) -> None:
        if m := ROMAN_HEADING.match(text):
            self.roman, self.number, self.letter = m.group(1), "", ""
        elif (m := NUMBER_HEADING.match(text)) and re.match(r"^\d{1,2}(?:\.\d{1,2})*\.", text):
            self.number, self.letter = m.group(1), ""
        elif m := LETTER_HEADING.match(text):
            self.letter = m.group(1)

    @property
    def label(self) -> str:
        return ".".join(p for p in (self.roman, self.number, self.letter) if p)

    @property
    def heading_label(self) -> str:
        """Section without the lettered item, e.g. 'V.1'."""
        return ".".join(p for p in (self.roman, self.number) if p)


def document_lines(raw_text: str) -> list[Line]:
    """Logical lines, each labelled with its section (e.g. 'II.2.a')."""
    tracker = SectionTracker()
    lines = []
    for i, (text, number) in enumerate(numbered_lines(raw_text)):
        tracker.update(text)
        lines.append(Line(text=text, section=tracker.label, index=i, number=number))
    return lines
