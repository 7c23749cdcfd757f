"""Words officers use for each report field, in folded form (lower case, no diacritics)."""

from __future__ import annotations

#: Marks words that carry no value (report headers, "of which", "cases" ...).
FILLER = "_filler"

_FIELD_PHRASES: dict[str, tuple[str, ...]] = {
    "abuse": (
        "xam hai", "xam hai tre em", "tre em bi xam hai", "xh", "xhte", "child abuse", "abuse",
        "abuses", "abused",
    ),
    "abuse_violence": ("bao luc", "bao luc tre em", "bl", "violence", "physical abuse", "physical"),
    "abuse_sexual": (
        "xam hai tinh duc", "tinh duc", "xhtd", "sexual", "sexual abuse", "sexual violence",
    ),
    "abuse_exploitation": (
        "boc lot", "boc lot suc lao dong", "boc lot tre em", "exploitation", "exploited",
    ),
    "abuse_other": ("khac", "hinh thuc khac", "loai khac", "other", "others", "other abuse"),
    "injury": (
        "tai nan thuong tich", "tai nan thuong tich tre em", "tntt", "tai nan", "thuong tich",
        "injury", "injuries", "child injury", "child injuries", "accidents",
    ),
    "injury_drowning": ("duoi nuoc", "dn", "drowning", "drownings", "drowned"),
    "injury_traffic": (
        "tai nan giao thong", "giao thong", "tngt", "traffic", "traffic accident",
        "traffic accidents", "road traffic",
    ),
    "injury_deaths": ("tu vong", "chet", "death", "deaths", "died", "fatal", "fatalities"),
    "marriage": (
        "tao hon", "th", "child marriage", "child marriages", "marriage", "marriages",
        "early marriage", "ket hon som",
    ),
}  # fmt: skip

_FILLER_PHRASES: tuple[str, ...] = (
    "bao cao", "bc", "report", "reports", "so lieu", "trong do", "of which",
    "including", "incl", "gom", "bao gom", "ca", "vu", "truong hop", "case", "cases", "so", "va",
    "and", "la", "co", "tre", "em", "tre em", "nam", "year", "for", "in", "the", "of", "total",
    "baocao", "month", "thang",
    "tong", "tong so", "with", "child", "children", "so ca", "so vu", "xin", "gui", "ket qua",
)  # fmt: skip

#: folded phrase (tuple of words) → field name or FILLER
PHRASES: dict[tuple[str, ...], str] = {
    **{tuple(p.split()): FILLER for p in _FILLER_PHRASES},
    **{tuple(p.split()): field for field, ps in _FIELD_PHRASES.items() for p in ps},
}
MAX_PHRASE_WORDS = max(len(p) for p in PHRASES)

#: Words that are numbers spelled out; officers must write digits.
_SPELLED = (
    "khong mot hai ba bon tu nam sau bay tam chin muoi zero one two three four five six seven"
    " eight nine ten none no nil"
)
WORD_NUMBERS: frozenset[str] = frozenset(_SPELLED.split())

#: Report openers ("báo cáo", "bc", "/report"), for looks_like_report.
OPENERS: tuple[tuple[str, ...], ...] = (("bao", "cao"), ("bc",), ("report",), ("baocao",))

#: The report's own words (folded; one-word phrases and spelled numbers): the only words a
#: reply may quote back ("tinh" of "tình dục" alone is not one, nor a name that looks like it).
VOCABULARY: frozenset[str] = frozenset(
    phrase[0] for phrase in (*PHRASES, *OPENERS) if len(phrase) == 1
) | WORD_NUMBERS
