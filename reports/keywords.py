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
        "tai nan thuong tich", "tai nan thuong tich tre em", "tntt", "tn", "tai nan", "thuong tich",
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
    # case nouns, closing words and politeness ("ạ", "nhé", "kính gửi")
    "vu viec", "su viec", "viec", "nao", "gi", "het", "a", "nhe", "nha", "kinh", "kinh gui", "em",
    "chung toi", "don vi", "at all",
    # greetings and thanks, "vừa rồi", "bổ sung", "như sau", "do" (due to)
    "anh", "chi", "anh chi", "cam on", "xin cam on", "thanks", "thank you", "thank", "dear", "hi",
    "hello", "chao", "vua roi", "vua qua", "bo sung", "supplementary", "late", "monthly", "do",
    "due to", "deu", "deu la", "all", "nhu sau", "sau day", "cu the", "as follows", "below",
    # "I want to send", "em muốn gửi", "cho em nộp"
    "i", "want", "to", "send", "sending", "submit", "muon", "nop", "cho", "xin phep", "let me",
    "need", "toi",
    # who reports: "UBND xã … báo cáo", "commune … reports"
    "ubnd", "uy ban nhan dan", "xa", "huyen", "phuong", "thi tran", "thi xa", "quan", "tinh",
    "thanh pho", "tp", "commune", "ward", "district", "from",
)  # fmt: skip
#: Marks injuries of a kind the report does not count apart ("ngã 1", "bỏng 1"): part of the
#: injury total, read and set aside.
UNTRACKED = "_untracked"
_UNTRACKED_PHRASES = (
    "nga", "te nga", "bong", "ngo doc", "dien giat", "dong vat can", "cho can", "fall", "falls",
    "burn", "burns", "poisoning",
)  # fmt: skip
#: Words between a category and its count: "xâm hại có 1 vụ", "tntt là 2", "tntt thì 1".
LINKS = frozenset({"co", "la", "thi", "bi", "gom", "duoc", "is", "are", "was", "were", "had"})
#: Words joining categories in a list: "không có tảo hôn và xâm hại", "none for abuse or injury".
JOINERS = frozenset({"va", "hay", "hoac", "cung", "and", "or", "nor", "for", "of", "ve", "cua"})

#: Marks "the rest" ("còn lại 0": every category not given is 0).
REST = "_rest"
_REST_PHRASES = ("con lai", "cac loai khac", "the rest", "rest", "everything else")

#: folded phrase (tuple of words) → field name or FILLER
PHRASES: dict[tuple[str, ...], str] = {
    **{tuple(p.split()): FILLER for p in _FILLER_PHRASES},
    **{tuple(p.split()): REST for p in _REST_PHRASES},
    **{tuple(p.split()): UNTRACKED for p in _UNTRACKED_PHRASES},
    **{tuple(p.split()): field for field, ps in _FIELD_PHRASES.items() for p in ps},
}
MAX_PHRASE_WORDS = max(len(p) for p in PHRASES)

#: Words that say "none": after a category they are its count ("tảo hôn: không"); with a
#: case noun or a verb they make a month without cases ("không có ca nào", "no cases").
NONE_WORDS: frozenset[str] = frozenset(
    ["khong", "ko", "k", "kg", "khg", "hok", "hong", "hem", "chua", "no", "none", "nil", "zero",
     "nothing"]
)
#: Words that say "none" on their own, with no case noun after them.
NONE_ALONE: frozenset[str] = frozenset({"none", "nil", "nothing"})
#: What may stand between "không" and the case noun: "không có", "không phát sinh", "no ... were".
NONE_VERBS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "co", "phat sinh", "xay ra", "ghi nhan", "nhan duoc", "nhan", "have", "had", "there were",
    "were", "was", "any", "to report", "reported", "new",
))  # fmt: skip
#: Case nouns: "ca", "vụ", "vụ việc", "trường hợp", "cases".
CASE_NOUNS: tuple[tuple[str, ...], ...] = tuple(tuple(p.split()) for p in (
    "vu viec", "su viec", "truong hop", "ca", "vu", "viec", "case", "cases", "incident",
    "incidents",
))  # fmt: skip

#: Number words (Vietnamese and English, kernel.number_words), and the words read as 0.
_SPELLED = (
    "khong mot hai ba bon tu nam sau bay tam chin muoi lam zero one two three four five six"
    " seven eight nine ten eleven twelve twenty none no nil single"
)
WORD_NUMBERS: frozenset[str] = frozenset(_SPELLED.split()) | NONE_WORDS

#: Field phrases of two words or more, joined by a space, for typos ("xâm hạ", "tảo hôm").
LONG_PHRASES: dict[str, str] = {
    " ".join(p): f for f, ps in _FIELD_PHRASES.items() for p in map(str.split, ps) if len(p) > 1
}

#: Report openers ("báo cáo", "bc", "/report"), for looks_like_report.
OPENERS: tuple[tuple[str, ...], ...] = (("bao", "cao"), ("bc",), ("report",), ("baocao",))

#: The report's own words (folded; one-word phrases and spelled numbers): the only words a
#: reply may quote back ("tinh" of "tình dục" alone is not one, nor a name that looks like it).
VOCABULARY: frozenset[str] = frozenset(
    phrase[0] for phrase in (*PHRASES, *OPENERS) if len(phrase) == 1
) | WORD_NUMBERS

#: Every word of the report's phrases and openers: a message with none of them and no number
#: is not a report (a quick test before reading it).
REPORT_WORDS: frozenset[str] = frozenset(
    word for phrase in (*PHRASES, *OPENERS, *CASE_NOUNS) for word in phrase
) - {"em", "a", "do", "cho", "toi", "i", "to", "the", "for", "in", "of", "and", "co", "la"}
