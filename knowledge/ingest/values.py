"""Find the milestone values in one indicator clause.

A clause such as "Giảm tỷ suất ... xuống dưới 9% vào năm 2025 và dưới 6% vào năm 2030"
gives two values: (below, 9, %, 2025) and (below, 6, %, 2030). Each value takes the
comparator written just before it (or the previous one's), and the years of the first
year phrase after it ("vào năm 2025", "đến năm 2030", "năm 2025 và năm 2030").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUM = r"\d+(?:[.,]\d+)*"
_WORD_END = r"(?!\w)"

_VALUE = re.compile(
    rf"(?P<range>(?P<r1>{NUM})\s*(?P<ru1>%|‰)?\s*(?:đến|-|–)\s*(?P<r2>{NUM})\s*(?P<ru2>%|‰))"
    rf"|(?P<rate>(?P<rn>{NUM})\s*/\s*(?P<base>1\.000|10\.000|100\.000){_WORD_END})"
    r"(?P<per>\s+trẻ\s+(?:em|đẻ\s+sống))?"
    rf"|(?P<pct>(?P<lt>[<>]\s*)?(?P<pn>{NUM})\s*(?P<pu>%|‰))"
    rf"|(?P<cnt>(?P<cn>{NUM})\s+xã{_WORD_END})"
    rf"|(?P<bare>(?<![\d.,/])(?<!năm )(?P<bn>{NUM})(?=\s+(?:vào|đến|tới|trong)\s+(?:năm\s+)?"
    r"(?:19|20)\d\d))"
)
_YEAR = r"(?:19|20)\d\d"
#: "vào năm 2025", "năm 2025 và 2030", "đến 2030" (a year after vào/đến/tới/trong needs no "năm").
_YEAR_GROUP = re.compile(
    rf"(?:giai đoạn\s+)?(?:(?:(?:vào|đến|tới|trong)\s+)?năm|vào|đến|tới|trong)\s+"
    rf"(?P<y>{_YEAR})(?![\d%])"
    rf"(?P<more>(?:\s*(?:và|,)\s*(?:năm\s+)?{_YEAR}(?!\s*%))*)",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    rf"(?:giai đoạn\s+)?từ\s+năm\s+(?P<a>{_YEAR})\s+đến\s+(?:năm\s+)?(?P<b>{_YEAR})"
    rf"|giai đoạn\s+(?P<c>{_YEAR})\s*[-–]\s*(?P<d>{_YEAR})",
    re.IGNORECASE,
)
_MAINTAIN_ONLY = re.compile(r"duy trì\s*$", re.IGNORECASE)
_QUALIFIER = re.compile(
    r"^\s*\)?\s*(?:đối với|ở|tại)\s+(?:khu vực\s+)?([^,;.()]+?)"
    r"(?=\s+và\s|\s+vào\s|\s+đến\s|[,;.)]|$)"
)

#: Comparator phrases (lower case, typo 'phần đầu' for 'phấn đấu' included), longest first.
_COMPARATORS: list[tuple[str, str]] = [
    ("giảm xuống còn", "down_to"),
    ("xuống còn", "down_to"),
    ("giảm xuống dưới", "below"),
    ("xuống dưới", "below"),
    ("giảm ít nhất", "reduce_by"),
    ("đạt trên", "above"),
    ("đạt ít nhất", "at_least"),
    ("ít nhất", "at_least"),
    ("tối thiểu", "at_least"),
    ("không quá", "at_most"),
    ("không vượt quá", "at_most"),
    ("tối đa", "at_most"),
    ("duy trì mức giảm từ", "range"),
    ("giảm xuống", "down_to"),
    ("xuống", "down_to"),
    ("còn", "down_to"),
    ("dưới", "below"),
    ("trên", "above"),
    ("duy trì", "maintain"),
    ("phấn đấu đạt", "reach"),
    ("phấn đấu", "reach"),
    ("phần đầu", "reach"),
    ("phân đầu", "reach"),
    ("đạt", "reach"),
    ("là", "reach"),
    ("giảm từ", "reduce_by"),
    ("giảm", "reduce_by"),
    ("từ", "range"),
]
_TYPOS = {"phần đầu": "phấn đấu", "phân đầu": "phấn đấu"}

UNIT_BY_BASE = {
    "1.000": "per_1000_live_births",
    "10.000": "per_10000_children",
    "100.000": "per_100000_children",
}


@dataclass
class ParsedValue:
    """A value as found in a clause (dict-ready for :class:`knowledge.schema.Value`)."""

    start: int
    end: int
    comparator: str
    comparator_text: str
    value: float | None
    unit: str
    text: str
    value_max: float | None = None
    years: list[int | None] = field(default_factory=list)
    note: str | None = None
    explicit_comparator: bool = False
    new_subject: bool = False

    def as_values(self) -> list[dict]:
        """One schema ``Value`` dict per year."""
        out = []
        for year in self.years or [None]:
            item: dict = {
                "year": year,
                "comparator": self.comparator,
                "comparator_text": self.comparator_text,
                "value": self.value,
            }
            if self.value_max is not None:
                item["value_max"] = self.value_max
            item["unit"] = self.unit
            item["text"] = self.text
            if self.note:
                item["note"] = self.note
            out.append(item)
        return out


def to_number(text: str) -> float:
    """'9,5' -> 9.5; '1.000' -> 1000; '03' -> 3 (Vietnamese decimal comma, dot thousands)."""
    text = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    number = float(text)
    return int(number) if number.is_integer() else number


def _unit(symbol: str, clause: str) -> str:
    if symbol == "%":
        return "%"
    if "trẻ đẻ sống" in clause.casefold():
        return "per_1000_live_births"
    return "‰"


def _bare_unit(clause: str) -> str:
    folded = clause.casefold()
    for base, unit in UNIT_BY_BASE.items():
        if base in folded:
            return unit
    return "count"


def _value_from_match(m: re.Match, clause: str) -> ParsedValue:
    start, end = m.span()
    if m.group("range"):
        unit = _unit(m.group("ru2"), clause)
        return ParsedValue(
            start,
            end,
            "range",
            "",
            to_number(m.group("r1")),
            unit,
            m.group("range"),
            value_max=to_number(m.group("r2")),
        )
    if m.group("rate"):
        unit = UNIT_BY_BASE[m.group("base")]
        return ParsedValue(start, end, "reach", "", to_number(m.group("rn")), unit, m.group("rate"))

    if m.group("pct"):
        parsed = ParsedValue(
            start,
            end,
            "reach",
            "",
            to_number(m.group("pn")),
            _unit(m.group("pu"), clause),
            m.group("pct"),
        )
        if m.group("lt"):
            parsed.comparator = "below" if "<" in m.group("lt") else "above"
            parsed.explicit_comparator = True
        return parsed
    if m.group("cnt"):
        return ParsedValue(
            start, end, "reach", "", to_number(m.group("cn")), "communes", m.group("cnt")
        )
    return ParsedValue(
        start, end, "reach", "", to_number(m.group("bn")), _bare_unit(clause), m.group("bn")
    )


def _comparator_before(window: str) -> tuple[str, str] | None:
    """The comparator phrase that ends ``window`` (the words just before a value)."""
    folded = re.sub(r"\s+", " ", window.casefold()).rstrip(" ,(")
    for phrase, comparator in _COMPARATORS:
        if re.search(rf"(?:^|\s){re.escape(phrase)}$", folded):
            return _TYPOS.get(phrase, phrase), comparator
    return None


@dataclass
class _YearAnchor:
    start: int
    end: int
    years: list[int | None]
    note: str | None = None


#: "so với năm 2020", "so với cùng kỳ năm 2020": a baseline, not a milestone year.
_BASELINE = re.compile(r"so với\s+(?:cùng kỳ\s+)?(?:năm\s+)?(?:19|20)\d\d", re.I)


def _year_anchors(clause: str) -> list[_YearAnchor]:
    anchors: list[_YearAnchor] = []
    taken: list[tuple[int, int]] = [m.span() for m in _BASELINE.finditer(clause)]
    for m in _PERIOD.finditer(clause):
        anchors.append(_YearAnchor(m.start(), m.end(), [None], note=m.group(0).strip()))
        taken.append(m.span())
    for m in _YEAR_GROUP.finditer(clause):
        if any(a <= m.start() < b for a, b in taken):
            continue
        since = max([0, m.start() - 60, *(b for a, b in taken if b <= m.start())])
        before = clause[since : m.start()].casefold()
        if "so với" in before and not _VALUE.search(before.split("so với")[-1]):
            continue  # a baseline year ("so với ... năm 2020"), not a milestone
        years = [int(m.group("y"))] + [int(y) for y in re.findall(_YEAR, m.group("more"))]
        anchors.append(_YearAnchor(m.start(), m.end(), years))
    return sorted(anchors, key=lambda a: a.start)


def _qualifier(clause: str, end: int) -> str | None:
    m = _QUALIFIER.match(clause[end:])
    return m.group(1).strip() if m else None


def parse_clause(clause: str) -> list[ParsedValue]:
    """All values of one clause, with comparators, units and years (None when not stated)."""
    values = [_value_from_match(m, clause) for m in _VALUE.finditer(clause)]
    anchors = _year_anchors(clause)
    values = [v for v in values if not any(a.start <= v.start < a.end for a in anchors)]

    # Comparators: the phrase just before the value, else the previous value's.
    previous_end = 0
    previous: ParsedValue | None = None
    for v in values:
        found = _comparator_before(clause[previous_end : v.start])
        if found and not v.explicit_comparator:
            v.comparator_text, comparator = found
            if comparator == "range" and v.value_max is None:
                comparator = "reduce_by"
            if v.value_max is not None:
                comparator = "range"
            elif comparator == "reduce_by" and not _is_reduction(clause):
                comparator = "down_to"
            v.comparator = comparator
        elif found:
            v.comparator_text = found[0]
        elif previous is not None and v.value_max is None:
            v.comparator, v.comparator_text = previous.comparator, previous.comparator_text
        v.note = _qualifier(clause, v.end)
        previous_end, previous = v.end, v

    # Years: the first year phrase after the value.
    for i, v in enumerate(values):
        anchor = next((a for a in anchors if a.start >= v.end), None)
        if anchor is None:
            # No year (a one-year plan): a joiner and a measure before the value start a new
            # indicator ("dưới 6/1.000 trẻ đẻ sống, trẻ em dưới 1 tuổi xuống 11/1.000").
            between = clause[values[i - 1].end : v.start] if i > 0 else ""
            after = clause[v.end : values[i + 1].start if i + 1 < len(values) else len(clause)]
            v.new_subject = bool(_JOINED.match(between)) and (
                _names_measure(between)
                or (bool(_ONLY_JOINER.match(between))
                    and _has_subject(re.split(r"[,;:]", after)[0])))
            continue
        v.years = list(anchor.years)
        if anchor.note and not v.note:
            v.note = anchor.note
        if i > 0:
            before = [a for a in anchors if values[i - 1].end <= a.start < v.start]
            v.new_subject = bool(before) and (
                _has_subject(clause[v.end : anchor.start])
                # "…vào năm 2025, giảm tỷ suất … xuống 2 vào năm 2025": the measure is named
                # before the value (indicators joined by ",", "và" or ":" instead of ";")
                or _names_measure(clause[before[-1].end : v.start]))

    values.extend(_maintained(clause, values, anchors))
    values.sort(key=lambda v: v.start)
    return values


def _is_reduction(clause: str) -> bool:
    """'giảm ... N%' is a reduction by N only when measured against something."""
    folded = clause.casefold()
    return any(w in folded for w in ("so với", "mức giảm", "giảm ít nhất", "số vụ", "số cuộc"))


_JOINED = re.compile(r"^[^,;:]*?(?:[,;:]|\svà\s)")
_ONLY_JOINER = re.compile(r"^\s*(?:[,;:]|và)\s*$")


def _names_measure(text: str) -> bool:
    """Words between a year and the next value that name a new measure, not a joiner with a
    comparator ("và dưới", ", đạt", ": xuống còn")."""
    found = _comparator_before(text)
    if found is not None:
        text = text[: text.casefold().rfind(found[0].split()[0])] if found[0] else text
    words = [w for w in re.findall(r"\w+", text.casefold())
             if w not in ("và", "đến", "năm", "phấn", "đấu", "tiếp", "tục", "duy", "trì")]
    return len(words) >= 3


def _has_subject(text: str) -> bool:
    """True when the words between a value and its year describe a new measure."""
    text = re.sub(r"(?:đối với|khu vực)\s+[^,;]*", "", text)
    words = re.findall(r"\w+", text)
    return len(words) >= 2


def _maintained(
    clause: str, values: list[ParsedValue], anchors: list[_YearAnchor]
) -> list[ParsedValue]:
    """'... 4,5% vào năm 2025 và duy trì đến năm 2030': the same level kept to 2030."""
    out = []
    for anchor in anchors:
        prior = [v for v in values if v.end <= anchor.start]
        last_end = max(
            [v.end for v in prior] + [a.end for a in anchors if a.end <= anchor.start] + [0]
        )
        if not _MAINTAIN_ONLY.search(clause[last_end : anchor.start]) or not prior:
            continue
        kept = prior[-1]
        out.append(
            ParsedValue(
                start=anchor.start,
                end=anchor.end,
                comparator="maintain",
                comparator_text="duy trì",
                value=kept.value,
                unit=kept.unit,
                text=kept.text,
                value_max=kept.value_max,
                years=list(anchor.years),
                note=kept.note,
            )
        )
    return out


_NO_CASE = re.compile(r"\b(không có|không để xảy ra|không còn)\s+(.+?)\.?$", re.IGNORECASE)


def maintain_without_number(clause: str) -> ParsedValue | None:
    """'duy trì không có lao động trẻ em ...': a pure maintain value with no number;
    'không có trẻ em bị bỏ rơi vào năm 2025': no case at all (0) in that year."""
    if _VALUE.search(clause):
        return None
    if m := re.search(r"duy trì\s+(.+?)\.?$", clause, re.IGNORECASE):
        return ParsedValue(m.start(), m.end(), "maintain", "duy trì", None, "none",
                           m.group(1).strip().rstrip("."))
    if m := _NO_CASE.search(clause):
        anchors = [a for a in _year_anchors(clause) if a.start >= m.start(1)]
        end = anchors[0].start if anchors else m.end()
        value = ParsedValue(m.start(1), end, "none", m.group(1), 0, "count",
                            clause[m.start(1):end].strip(" ,.;"))
        value.years = list(anchors[0].years) if anchors else []
        return value
    return None
