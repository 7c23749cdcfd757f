"""Goals ("Mục tiêu N: ...") and numbered targets ("Chỉ tiêu N: ...") with their indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.ingest.text import Line
from knowledge.ingest.values import ParsedValue, maintain_without_number, parse_clause

TARGET_LINE = re.compile(
    r"^(?:[a-zđ]\)\s*)?Chỉ tiêu\s+(?:số\s+|thứ\s+)?(\d{1,2})\s*[:.\-–—)]\s*(.*)$", re.I)
#: "5. Tỷ lệ …": a target numbered without "Chỉ tiêu", within the targets part.
PLAIN_TARGET = re.compile(r"^(\d{1,2})[.)]\s+(\S.*)$")
#: A heading that opens the targets part: "2. Chỉ tiêu cụ thể", "Các chỉ tiêu".
TARGETS_HEADING = re.compile(r"\bchỉ tiêu\b", re.I)
GOAL_LINE = re.compile(
    r"^(?:[a-zđ]\)\s*|\d{1,2}(?:\.\d{1,2})*\.\s*)?Mục tiêu\s+(\d)\s*[:.]\s*(.+)$", re.I
)
#: National template: targets 1-7 under goal 1, 8-14 goal 2, 15-21 goal 3, 22-24 goal 4.
TEMPLATE_GOAL = {n: 1 if n <= 7 else 2 if n <= 14 else 3 if n <= 21 else 4 for n in range(1, 25)}
GOAL_TITLES_EN = {
    1: "Comprehensive child development, health care and nutrition for children",
    2: "Child protection",
    3: "Education, culture, play and recreation for children",
    4: "Children's participation in matters concerning children",
}
_LEADING_VERBS = re.compile(
    r"^(?:(?:phấn đấu|phần đầu|phân đầu|từng bước|tiếp tục|giảm|tăng|nâng cao)\s+)+", re.I
)
TODO_EN = "TODO: English"


@dataclass
class RawTarget:
    number: int
    goal: int | None
    section: str
    line_index: int
    parts: list[str] = field(default_factory=list)  # "+" sub-items, or the single text
    #: As written, when the parts were rebuilt (a table's rows): what the source says.
    written: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(p.strip() for p in (self.written or self.parts) if p.strip())


_TABLE_ROW = re.compile(r"^\|(.*)\|$")
_YEAR_COLUMN = re.compile(r"^(?:năm\s+|đến\s+(?:năm\s+)?)?((?:19|20)\d\d)$", re.I)
_YEARLY_COLUMN = re.compile(r"^(?:hằng|hàng|mỗi)\s+năm$", re.I)
_ROW_NUMBER = re.compile(r"^(?:chỉ tiêu\s+)?(\d{1,2})(?:\.\d{1,2})?\.?$", re.I)


def _cells(text: str) -> list[str] | None:
    m = _TABLE_ROW.match(text.strip())
    return [c.strip() for c in m.group(1).split("|")] if m else None


def _year_columns(cells: list[str]) -> list[int | None] | None:
    """A header row: the milestone year of each value column ("Năm 2025", "Hằng năm")."""
    years: list[int | None] = []
    for cell in cells[2:]:
        if m := _YEAR_COLUMN.match(cell):
            years.append(int(m.group(1)))
        elif _YEARLY_COLUMN.match(cell):
            years.append(None)
        else:
            return None
    return years or None


def _row_clause(label: str, values: list[str], years: list[int | None]) -> str:
    """A table row as the sentence it stands for: "<label> đạt 65% vào năm 2025 và …"."""
    said = [f"{cell} vào năm {year}" if year else f"{cell} hằng năm"
            for cell, year in zip(values, years, strict=False) if cell]
    return f"{label} " + " và ".join(said)


def find_goals_and_targets(lines: list[Line]) -> tuple[list[dict], list[RawTarget]]:
    """Goal headings and numbered targets (first occurrence of each number, 1-24)."""
    goals: dict[int, dict] = {}
    targets: dict[int, RawTarget] = {}
    goal: int | None = None
    open_target: RawTarget | None = None
    in_targets = False  # after a goal or a "chỉ tiêu" heading: plain numbers are targets
    offset = 0  # numbering restarted under each goal: the targets before it
    columns: list[int | None] | None = None  # the years of a targets table's value columns
    for line in lines:
        body = line.body
        if (cells := _cells(line.text)) is not None and len(cells) >= 3:
            if (years := _year_columns(cells)) is not None:
                columns = years
                continue
            if columns is not None:
                number = _ROW_NUMBER.match(cells[0])
                clause = _row_clause(cells[1], cells[2:], columns)
                if number and 1 <= int(number.group(1)) <= 24 and (
                        int(number.group(1)) not in targets):
                    open_target = RawTarget(int(number.group(1)), goal, line.section,
                                            line.index, [clause], [cells[1]])
                    targets[open_target.number] = open_target
                elif not cells[0] and open_target is not None:
                    open_target.parts.append(clause)
                    open_target.written.append(cells[1])
                continue
        elif columns is not None and not line.text.startswith("|"):
            columns = None
        plain = PLAIN_TARGET.match(body) if in_targets and not TARGET_LINE.match(body) else None
        if plain is not None and not line.is_sub_item:
            number = int(plain.group(1))
            last = max(targets, default=0)
            if number == 1 and last and goal is not None and goal > 1:
                offset = last
            number += offset
            if number == last + 1 and number <= 24 and _has_value(plain.group(2)):
                open_target = RawTarget(number, goal, line.section, line.index,
                                        [plain.group(2).strip()])
                targets[number] = open_target
                continue
        if m := GOAL_LINE.match(body):
            number = int(m.group(1))
            done = targets and max(targets) >= 24
            if 1 <= number <= 4 and number not in goals and not done:
                goals[number] = {
                    "number": number,
                    "title": m.group(2).strip().rstrip(":").strip(),
                    "title_en": GOAL_TITLES_EN.get(number, TODO_EN),
                    "section": line.section,
                }
            goal = number
            open_target = None
            in_targets = True
            continue
        if TARGETS_HEADING.search(body) and not TARGET_LINE.match(body) and len(body) < 80:
            in_targets = True
        if (m := TARGET_LINE.match(body)) and (
                not line.is_sub_item or int(m.group(1)) == max(targets, default=0) + 1):
            number = int(m.group(1))
            if 1 <= number <= 24 and number not in targets:
                open_target = RawTarget(number, goal, line.section, line.index)
                if m.group(2).strip():
                    open_target.parts.append(m.group(2).strip())
                targets[number] = open_target
            else:
                open_target = None
            continue
        if open_target is not None and line.is_sub_item:
            open_target.parts.append(body)
            continue
        open_target = None
    return [goals[n] for n in sorted(goals)], [targets[n] for n in sorted(targets)]


def _has_value(text: str) -> bool:
    return bool(parse_clause(text) or maintain_without_number(text))


def split_clauses(target: RawTarget) -> list[str]:
    """Indicator clauses: the '+' items, or the text split on ';' (value-less pieces merged)."""
    pieces: list[str] = []
    for part in target.parts:
        pieces.extend(p.strip() for p in _split_outside_parens(part) if p.strip())
    merged: list[str] = []
    pending = ""
    for piece in pieces:
        candidate = f"{pending}; {piece}" if pending else piece
        if parse_clause(piece) or maintain_without_number(piece):
            merged.append(candidate)
            pending = ""
        else:
            pending = candidate
    if pending:
        if merged:
            merged[-1] = f"{merged[-1]}; {pending}"
        else:
            merged.append(pending)
    return merged


def _split_outside_parens(text: str) -> list[str]:
    out, depth, current = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == ";" and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def _label(clause: str, values: list[ParsedValue], after_only: bool = False) -> str:
    """What the clause measures: the words before the first comparator, without leading verbs."""
    first = values[0] if values else None
    cut = len(clause) if first is None else first.start
    head = "" if after_only else clause[:cut]
    if first is not None and first.comparator_text:
        idx = head.casefold().rfind(first.comparator_text.split()[0])
        if idx > 0:
            head = head[:idx]
    head = _LEADING_VERBS.sub("", head.strip(" ,;.:")).strip(" ,;.:")
    if len(head.split()) < 3 and first is not None:
        tail = clause[first.end :]
        tail = re.split(r"\s(?:vào|đến|trong)\s+năm\s|[;.]", tail)[0]
        head = tail.strip(" ,;.:")
    return head[:1].upper() + head[1:] if head else clause.strip(" .")


@dataclass
class ParsedIndicator:
    label: str
    values: list[dict]
    clause: str


def parse_indicators(target: RawTarget, default_year: int | None) -> list[ParsedIndicator]:
    """Indicators of one target; values lacking a year get ``default_year`` (one-year plans)."""
    indicators: list[ParsedIndicator] = []
    for clause in split_clauses(target):
        values = parse_clause(clause)
        if not values and (kept := maintain_without_number(clause)):
            values = [kept]
        groups: list[list[ParsedValue]] = [[]]
        for v in values:
            if v.new_subject and groups[-1]:
                groups.append([])
            groups[-1].append(v)
        for position, group in enumerate(groups):
            dicts = []
            for v in group:
                if not v.years and default_year is not None:
                    v.years = [default_year]
                dicts.extend(v.as_values())
            label = _label(clause, group, after_only=position > 0)
            indicators.append(ParsedIndicator(label, dicts, clause))
    return indicators
