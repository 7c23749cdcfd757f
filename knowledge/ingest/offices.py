"""Which office leads which target, from the implementation section.

Handles the template's forms:
- an office heading ("1. Phòng Lao động - Thương binh và Xã hội") followed by items such as
  "Triển khai thực hiện các chỉ tiêu 1, 2, 8 ..." or "Thực hiện chỉ tiêu 14";
- a heading sentence ("3. Công an tỉnh chủ trì, phối hợp với ... để đạt chỉ tiêu 9");
- one sentence per office ("Sở Y tế chủ trì, ... báo cáo kết quả Chỉ tiêu 3, Chỉ tiêu 4 ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.ingest.text import BULLET, ROMAN_HEADING, Line

OFFICE_PREFIX = (
    r"(?:Sở|Phòng|Công an|Trung tâm|Ủy ban|Uỷ ban|UBND|Ban(?!\s+hành)|Thành [Đđ]oàn|"
    r"Tỉnh [Đđ]oàn|Huyện [Đđ]oàn|Đoàn Thanh niên|Hội(?!\s+đồng\s+nhân)|Liên đoàn|Tòa án|Toà án|"
    r"Viện [Kk]iểm sát|Văn phòng|Chi cục|Cục|Bảo hiểm xã hội|Đài|Bộ Chỉ huy|Bộ đội|"
    r"Các cơ quan|Các sở|Các phòng|Các đơn vị)"
)
_LEAD_START = re.compile(
    rf"^(?:\d{{1,2}}(?:\.\d{{1,2}})*\.\s*)?(?:(?:Giao|Đề nghị)\s+)?(?P<office>{OFFICE_PREFIX}\b.*)$"
)
_OFFICE_END = re.compile(
    r"\s+(?:chủ trì|tham mưu|phối hợp|căn cứ|có trách nhiệm|trong phạm vi|thực hiện|triển khai|"
    r"theo chức năng|là cơ quan|tổ chức|chịu trách nhiệm|theo dõi|xây dựng)\b|\s*[:(;]|\.\s|\.$",
    re.I,
)
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.\s")
_TARGET_REFS = re.compile(
    r"chỉ tiêu(?:\s+số)?\s+(?P<list>\d{1,2}(?:\s*(?:,|và|;|&|-|–|đến)\s*(?:(?:các\s+)?chỉ tiêu"
    r"(?:\s+số)?\s+)?\d{1,2}(?![\d%]))*)(?![\d%/])",
    re.I,
)
_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|đến)\s*(?:chỉ tiêu\s+)?(\d{1,2})", re.I)
_COORDINATION = re.compile(r"phối hợp(?:\s+với)?\s+(?P<rest>.+)", re.I)
_GENERIC = re.compile(r"^(?:các|những)\s", re.I)


@dataclass
class OfficeRef:
    name: str
    section: str


@dataclass
class Assignments:
    """Lead and coordinating offices per target number, and every office named."""

    lead: dict[int, list[OfficeRef]] = field(default_factory=dict)
    coordinating: dict[int, list[OfficeRef]] = field(default_factory=dict)
    offices: list[OfficeRef] = field(default_factory=list)


def office_name(text: str) -> str | None:
    """The office a sentence starts with ('Sở Y tế chủ trì, ...' -> 'Sở Y tế')."""
    m = _LEAD_START.match(BULLET.sub("", text).strip())
    if not m:
        return None
    rest = m.group("office")
    end = _OFFICE_END.search(rest)
    name = (rest[: end.start()] if end else rest).strip(" ,.:;")
    return name if 2 <= len(name) <= 120 else None


_OFFICE_WORDS = (
    "sở",
    "phòng",
    "công an",
    "trung tâm",
    "ủy ban",
    "uỷ ban",
    "ubnd",
    "ban",
    "hội",
    "liên đoàn",
    "tòa án",
    "toà án",
    "viện kiểm sát",
    "văn phòng",
    "chi cục",
    "cục",
    "bảo hiểm xã hội",
    "đài",
    "thành đoàn",
    "tỉnh đoàn",
    "huyện đoàn",
    "bộ chỉ huy",
)
_SELF_CONTAINED = ("ủy ban", "uỷ ban", "ubnd", "thành đoàn", "tỉnh đoàn", "huyện đoàn")
_NEXT_OK = ("nhân", "các", "tỉnh", "huyện", "thành", "quận", "thị", "mặt")
_GENERIC_START = re.compile(
    r"^(?:các|những)\s+(?:cơ quan|sở|phòng|đơn vị|ban|ngành|tổ chức|đoàn thể|hội)", re.I
)


def starts_office(piece: str) -> bool:
    """True when ``piece`` begins with an office name ('Sở Y tế', 'phòng Tư pháp', 'UBND ...')."""
    piece = piece.strip()
    if _GENERIC_START.match(piece):
        return True
    folded = piece.casefold()
    for word in _OFFICE_WORDS:
        if not folded.startswith(word + " ") and folded != word:
            continue
        if word in _SELF_CONTAINED:
            return True
        following = piece[len(word) :].split()
        return bool(following) and (following[0][:1].isupper() or following[0] in _NEXT_OK)
    return False


def split_offices(text: str) -> list[str]:
    """'Ủy ban MTTQ thành phố, Thành Đoàn, Hội LHPN thành phố' -> three names."""
    pieces = re.split(r"(,\s*|\s+và\s+)", text)
    names: list[str] = []
    current = pieces[0]
    for sep, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if starts_office(piece):
            names.append(current)
            current = piece
        else:
            current = f"{current}{sep}{piece}"
    names.append(current)
    return [n.strip(" ,.;:") for n in names if n.strip(" ,.;:")]


def coordinating_offices(sentence: str) -> list[str]:
    """Named offices after 'phối hợp (với)'; generic 'các sở, ban, ngành' are left out."""
    m = _COORDINATION.search(sentence)
    if not m:
        return []
    rest = re.split(
        r"\s+(?:trong việc|để|thực hiện|triển khai|tham mưu|báo cáo|theo dõi)\b|[:;.(]",
        m.group("rest"),
    )[0]
    names = [p for p in split_offices(rest) if starts_office(p) and not _GENERIC.match(p)]
    return [n[:1].upper() + n[1:] for n in names]


def target_numbers(text: str) -> list[int]:
    """Target numbers referred to ('các chỉ tiêu 1, 2, 8', 'Chỉ tiêu 3, Chỉ tiêu 4 và ...')."""
    numbers: list[int] = []
    for m in _TARGET_REFS.finditer(text):
        listed = m.group("list")
        for a, b in _RANGE.findall(listed):
            numbers.extend(range(int(a), int(b) + 1))
        numbers.extend(int(n) for n in re.findall(r"\d{1,2}", listed))
    return sorted({n for n in numbers if 1 <= n <= 24})


_IMPLEMENTATION = re.compile(r"tổ chức thực hiện|trách nhiệm thực hiện", re.I)
_END_OF_PLAN = re.compile(r"^(?:Nơi nhận|TM\.|KT\.)", re.I)


def _heading_offices(text: str, name: str) -> list[str]:
    """A generic heading that lists offices: 'Các cơ quan, đơn vị: Phòng A, Phòng B: ...'."""
    after = BULLET.sub("", text).split(name, 1)[-1]
    if not _GENERIC_START.match(name) or not after.lstrip().startswith(":"):
        return [name]
    listed = after.lstrip()[1:].split(":")[0]
    names = [n for n in split_offices(listed) if starts_office(n)]
    return names or [name]


def find_assignments(lines: list[Line], target_line_indexes: set[int], start: int) -> Assignments:
    """Scan the lines after ``start`` (the first target) for office-to-target assignments."""
    result = Assignments()
    seen: set[str] = set()
    heading: OfficeRef | None = None
    heading_coordinating: list[str] = []
    in_section = in_block = False

    def remember(names: list[str], section: str) -> None:
        for name in names:
            for single in split_offices(name):
                single = re.sub(r"\s+và\s+các\b.*$", "", single)
                key = normalize_office(single)
                if key not in seen:
                    seen.add(key)
                    result.offices.append(OfficeRef(single, section))

    columns: tuple[int, int | None] | None = None  # a table's lead and coordinating columns
    ended = False
    for line in lines[start:]:
        text = line.text
        if text.startswith("|"):
            cells = [c.strip() for c in text.strip().strip("|").split("|")]
            if (found := _assignment_columns(cells)) is not None:
                columns = found
            elif columns is not None:
                _table_row(cells, columns, line.section, result, remember)
            continue
        columns = None
        if ended or _END_OF_PLAN.match(text):
            ended = True  # after the signature only an appendix's tables are read
            continue
        if line.index in target_line_indexes:
            continue
        is_heading = False
        if ROMAN_HEADING.match(text):
            heading, heading_coordinating, is_heading = None, [], True
            in_section, in_block = bool(_IMPLEMENTATION.search(text)), False
        elif _NUMBERED.match(text):
            is_heading, in_block = True, False
            name = office_name(text)
            section = ".".join(line.section.split(".")[:-1]) if _has_letter(line) else line.section
            heading = OfficeRef(name, section) if name else None
            heading_coordinating = coordinating_offices(text) if name else []
            if name and in_section:
                remember(_heading_offices(text, name), section)
        elif re.match(r"^[a-zđ]\)", text):
            in_block = bool(_IMPLEMENTATION.search(text))
        own = office_name(text) if not is_heading else None
        numbers = target_numbers(text)
        if own and (in_section or in_block or numbers):
            remember([own], line.section)
        if not numbers:
            continue
        lead = OfficeRef(own, line.section) if own else heading
        if lead is None:
            continue
        coordinating = coordinating_offices(text) if own or "phối hợp" in text else []
        if not own and not coordinating:
            coordinating = heading_coordinating
        for n in numbers:
            leads = result.lead.setdefault(n, [])
            if normalize_office(lead.name) not in {normalize_office(o.name) for o in leads}:
                leads.append(OfficeRef(lead.name, lead.section))
            for c in coordinating:
                co = result.coordinating.setdefault(n, [])
                if normalize_office(c) not in {normalize_office(o.name) for o in co}:
                    co.append(OfficeRef(c, lead.section))
    return result


_LEAD_COLUMN = re.compile(r"chủ trì|thực hiện|đơn vị thực hiện|cơ quan chủ trì", re.I)
_COORDINATING_COLUMN = re.compile(r"phối hợp", re.I)


def _assignment_columns(cells: list[str]) -> tuple[int, int | None] | None:
    """A header row of an assignments table: (lead column, coordinating column or None)."""
    if not cells or not re.search(r"chỉ tiêu|stt", cells[0], re.I):
        return None
    coordinating = next((i for i, c in enumerate(cells) if _COORDINATING_COLUMN.search(c)), None)
    lead = next((i for i, c in enumerate(cells)
                 if i and i != coordinating and _LEAD_COLUMN.search(c)), None)
    return (lead, coordinating) if lead is not None else None


def _table_row(cells: list[str], columns: tuple[int, int | None], section: str,
               result: Assignments, remember: Any) -> None:
    """One row: the targets of the first cell, led by the offices of the lead column."""
    numbers = target_numbers("chỉ tiêu " + cells[0]) if cells else []
    lead_at, coordinating_at = columns
    leads = _cell_offices(cells[lead_at]) if lead_at < len(cells) else []
    coordinating = (_cell_offices(cells[coordinating_at])
                    if coordinating_at is not None and coordinating_at < len(cells) else [])
    remember(leads + coordinating, section)
    for n in numbers:
        for name in leads:
            result.lead.setdefault(n, []).append(OfficeRef(name, section))
        for name in coordinating:
            result.coordinating.setdefault(n, []).append(OfficeRef(name, section))


def _cell_offices(cell: str) -> list[str]:
    """Offices in a table cell: separated by ";" or new lines, else as office names begin."""
    pieces = [p.strip(" .") for p in re.split(r"[;\n]", cell) if p.strip(" .")]
    out: list[str] = []
    for piece in pieces:
        out.extend(split_offices(piece) or [piece])
    return out


def _has_letter(line: Line) -> bool:
    return bool(re.search(r"\.[a-zđ]$", line.section))


def normalize_office(name: str) -> str:
    """Comparable form of an office name (case, spacing, hyphens, 'UBND', 'Uỷ')."""
    text = name.casefold().replace("uỷ", "ủy").replace("toà", "tòa")
    text = re.sub(r"\bubnd\b", "ủy ban nhân dân", text)
    text = re.sub(r"\s*[-–]\s*", " - ", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")
