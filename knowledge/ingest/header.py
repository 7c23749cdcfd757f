"""Document facts from the header: title, number, date, jurisdiction, level, period, basis."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from knowledge.ingest.text import clean, logical_lines

_TITLE_MARK = re.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH)(?:\s+HÀNH ĐỘNG)?$")
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(?P<n>[^\s,;]*(?:\s*/\s*[^\s,;]+)+)", re.I)
_ATTACHED_TO = re.compile(
    r"\((?:Ban hành\s+)?kèm theo\s+(?P<kind>Quyết định|Kế hoạch)\s+số\s*:?\s*"
    r"(?P<n>\d+\s*/\s*[\wĐđ-]+)"
    r"(?:\s+ngày\s+(?P<date>[^)]+?))?(?:\s+của|\))",
    re.I,
)
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_DATE_SLASH = re.compile(r"ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.I)
_PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,60}),\s*ngày\b", re.I)
_LEVELS = [
    ("thành phố", "city"),
    ("tỉnh", "province"),
    ("huyện", "district"),
    ("quận", "district"),
    ("thị xã", "district"),
    ("thị trấn", "commune"),
    ("phường", "commune"),
    ("xã", "commune"),
]
#: Issued by the government or a ministry for the whole country.
_NATIONAL = re.compile(r"^(?:CHÍNH PHỦ|THỦ TƯỚNG CHÍNH PHỦ|BỘ [A-ZĐÀ-Ỹ ,-]+)$", re.M)
#: Cities run by the central government: province-level, no parent province.
_CENTRAL_CITIES = {"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ", "huế"}
_PERIOD_RANGE = re.compile(r"giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", re.I)
_PERIOD_TO = re.compile(r"giai đoạn đến năm\s+(\d{4})", re.I)
_PERIOD_YEAR = re.compile(r"(?<!tháng \d)(?<!tháng \d\d)\s+năm\s+(\d{4})\b", re.I)
_BASIS = re.compile(
    r"^Thực hiện\s+(?P<basis>(?:Kế hoạch|Quyết định|Chỉ thị|Chương trình|Nghị quyết)"
    r"\s+số\s+\S+.*?)(?=\s+(?:về|thực hiện|triển khai)\s|[;.,]\s|$)",
)


@dataclass
class Header:
    title: str = ""
    number: str | None = None
    date: dt.date | None = None
    jurisdiction: str = ""
    level: str | None = None
    parent_province: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    basis: str | None = None
    problems: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date | None:
    m = _DATE_WORDS.search(text) or _DATE_SLASH.search(text)
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _title(raw_lines: list[str]) -> str:
    """The plan's name: the lines after the last 'KẾ HOẠCH' heading, up to a blank line."""
    marks = [i for i, line in enumerate(raw_lines) if _TITLE_MARK.match(clean(line))]
    heading = "KẾ HOẠCH"
    if not marks:  # a decision that approves a programme: its subject is the title
        marks = [i for i, line in enumerate(raw_lines[:60])
                 if clean(line).upper() == "QUYẾT ĐỊNH"][:1]
        heading = "QUYẾT ĐỊNH"
    if not marks:
        return ""
    # The plan itself follows the decision: take the last heading that is followed by text.
    i = marks[-1] + 1
    while i < len(raw_lines) and not clean(raw_lines[i]):
        i += 1
    parts: list[str] = []
    while i < len(raw_lines) and clean(raw_lines[i]):
        text = clean(raw_lines[i])
        if text.startswith("(") or (parts and parts[0].isupper() and not text.isupper()):
            break
        parts.append(text)
        i += 1
    subtitle = " ".join(parts)
    if heading == "QUYẾT ĐỊNH":
        return subtitle
    if not subtitle:
        return "Kế hoạch"
    if subtitle.isupper():
        return f"KẾ HOẠCH {subtitle}"
    return f"Kế hoạch {subtitle}"


_NAME_STOP = {"giai", "năm", "đến", "về", "và", "trên", "thực", "của"}


def _capitalised_words(text: str) -> str:
    """Leading capitalised words of ``text``: 'Rạch Giá giai đoạn' -> 'Rạch Giá'."""
    words = []
    for word in text.split():
        if not word[:1].isupper() or word.casefold() in _NAME_STOP:
            break
        words.append(word.strip(",.;:"))
    name = " ".join(words)
    return name.title() if name.isupper() else name


def _jurisdiction(title: str, place: str | None) -> tuple[str, str | None]:
    """Name and level from 'trên địa bàn thành phố Rạch Giá' or '... vì trẻ em Thành phố X'."""
    for prefix in (r"trên địa bàn\s+", r"(?:^|\s)"):
        for word, level in _LEVELS:
            for m in re.finditer(rf"{prefix}{word}\s+(.+)$", title, re.I):
                name = _capitalised_words(m.group(1))
                if name:
                    return name, level
            if prefix != r"(?:^|\s)" and re.search(rf"{prefix}{word}\b", title, re.I):
                return (place or ""), level
    return (place or ""), None


def _period(title: str, date: dt.date | None) -> tuple[int | None, int | None]:
    if m := _PERIOD_RANGE.search(title):
        return int(m.group(1)), int(m.group(2))
    if m := _PERIOD_TO.search(title):
        return (date.year if date else None), int(m.group(1))
    if m := _PERIOD_YEAR.search(title):
        return int(m.group(1)), int(m.group(1))
    return None, None


def _parent_province(text: str, jurisdiction: str) -> str | None:
    names = re.findall(r"\btỉnh\s+((?:[A-ZĐ][\wÀ-ỹ]*\s?){1,3})", text)
    counts: dict[str, int] = {}
    for name in names:
        name = name.strip()
        if name and name != jurisdiction:
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


def parse_header(raw_text: str) -> Header:
    raw_lines = raw_text.splitlines()
    head = [clean(line) for line in raw_lines[:60] if clean(line)]
    header = Header(title=_title(raw_lines))
    if not header.title:
        header.problems.append("title: no 'KẾ HOẠCH' heading found")

    attached = _ATTACHED_TO.search(clean(raw_text.replace("\n", " ")))
    for line in head:
        if (m := _NUMBER_LINE.match(line)) and re.search(r"\d", m.group("n")):
            header.number = re.sub(r"\s*/\s*", "/", m.group("n")).strip()
            break
    if header.number is None and attached:
        header.number = re.sub(r"\s*/\s*", "/", attached.group("n"))
    if header.number is None:
        header.problems.append("document.number: not stated (no 'Số: .../...' line)")

    place = None
    for line in head:
        if m := _PLACE_DATE.match(line):
            place = m.group("place").strip()
            header.date = _date(line)
            break
    if header.date is None and attached and attached.group("date"):
        header.date = _date("ngày " + attached.group("date"))
    if header.date is None:
        header.problems.append("document.date: not stated (no 'ngày ... tháng ... năm ...')")

    header.jurisdiction, header.level = _jurisdiction(header.title, place)
    if header.level is None and _NATIONAL.search(raw_text[:2000]):
        header.jurisdiction, header.level = "Việt Nam", "national"
    if not header.jurisdiction:
        header.problems.append("jurisdiction: not found in the title or the dateline")
    if header.level is None:
        header.problems.append("level: no 'tỉnh/thành phố/huyện' in the title; set it by hand")
    central = header.jurisdiction.casefold() in _CENTRAL_CITIES
    if header.level != "province" and not central:
        header.parent_province = _parent_province(raw_text, header.jurisdiction)
    if central:
        header.level = "city"

    header.period_start, header.period_end = _period(header.title, header.date)
    if header.period_start is None:
        header.problems.append("period: no 'giai đoạn YYYY - YYYY' or 'năm YYYY' in the title")

    for line in logical_lines(raw_text)[:80]:
        if m := _BASIS.match(line):
            header.basis = m.group("basis").strip()
            break
    return header


def slug(text: str) -> str:
    """'Rạch Giá' -> 'rach-gia'."""
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def aliases(jurisdiction: str, level: str | None) -> list[str]:
    """Names officers type: with and without diacritics, with the level word."""
    plain = slug(jurisdiction).replace("-", " ").title()
    words = {"city": "thành phố", "province": "tỉnh", "district": "huyện", "commune": "xã"}
    names = [jurisdiction, plain]
    if level in words:
        names += [f"{words[level]} {jurisdiction}", slug(f"{words[level]} {jurisdiction}")]
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out
