"""Read a question: target/goal/group numbers, years and what kind of answer it asks for."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.normalize import fold

#: Years read as years (wider than the plans' 2020-2035 so "năm 2019" gets an honest "no value").
YEAR_MIN, YEAR_MAX = 1950, 2050

_TARGET = re.compile(
    r"\b(?:chi\s*t(?:ieu|eu|iu|ie|ue)|ct|targets?|indicators?|tagret|targt|taget|traget"
    r"|trget|targer|tartget|tarrget)\s*"
    r"(?:so\s+|number\s+|no\s+|tu\s+|from\s+)?(\d{1,3})\b"
    r"((?:\s+(?:va\s+|and\s+|den\s+|toi\s+|to\s+)?\d{1,2}\b)*)"
)
#: "ct 1-3", "chỉ tiêu 8–14": a range of small numbers (years like 2021-2030 are not touched).
_DASH_RANGE = re.compile(r"(?<!\d)(\d{1,2})\s*[-–]\s*(\d{1,2})(?!\d)")
_RANGE_WORDS = frozenset({"den", "toi", "to"})
MAX_RANGE = 23
_HASH_TARGET = re.compile(r"#\s*(\d{1,3})\b")
_GOAL = re.compile(r"\b(?:muc\s*tieu|goal|goals)\s*(?:so\s+|number\s+)?(\d{1,2})\b")
_GROUP = re.compile(r"\b(?:nhom|group)\s*(?:so\s+)?(\d{1,2})\b")
PLAN_BEFORE = frozenset({"hoach", "kh", "plan"})
PLAN_AFTER = frozenset({"plan", "plans"})
VALUE_BEFORE = frozenset({"for", "in", "by", "nam", "den", "to", "until", "of"})
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})\s*$")


#: Every keyword phrase of the patterns below, as plain words (for the spelling corrector).
KEYWORDS: list[str] = []
_REGEX_SYNTAX = re.compile(r"\(\?[^)]*\)|\\w\*|[?()\\]")


def _words(*phrases: str) -> re.Pattern[str]:
    KEYWORDS.extend(_REGEX_SYNTAX.sub("", p) for p in phrases)
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


RESPONSIBLE = _words(
    "ai", "who", "whom", "chiu trach nhiem", "trach nhiem", "phu trach", "chu tri",
    "responsible", "responsibility", "lead", "leads", "leading", "led by", "in charge",
    "co quan nao", "so nao", "phong nao", "don vi nao", "nganh nao", "ban nganh nao",
    "which office", "which department", "which agency", "what office", "what department",
    "phoi hop", "coordinates?", "coordinating", "coordination", "giao cho", "duoc giao",
    "assigned", "thuc hien boi", "ai lam", "ai lo", "lo nhung", "lo gi", "ai dam nhiem",
    "dam nhiem",
)
#: The question asks which office: it names a task or topic, not an office to look up.
WHO_ASKS = _words(
    "ai", "co quan nao", "so nao", "phong nao", "don vi nao", "nganh nao", "ban nganh nao",
    "who", "whom", "which office", "which department", "which agency", "what office",
    "what department", "which offices", "which departments", "which agencies",
)
COORDINATE = _words("phoi hop", "coordinates?", "coordinating", "coordination", "cung voi")
WHICH_TARGETS = _words(
    r"muc tieu nao", r"nhung muc tieu", r"muc tieu gi", r"which objectives?",
    r"what objectives?", r"chi tieu nao", r"nhung chi tieu", r"chi tieu gi", r"cac chi tieu",
    r"ct nao", r"ct gi", r"nhung ct", r"which targets?", r"what targets?", r"any targets?",
    r"phu trach gi", r"chu tri gi", r"lo nhung",
    r"phu trach nhung", r"chu tri nhung", r"nhiem vu gi", r"lam gi", r"what does", r"what do",
    r"duties", r"tasks", r"role of", r"responsibilities",
)
DEADLINE_STRONG = _words(
    r"han(?! che)", "han chot", "thoi han", "deadlines?", "due", r"bao cao", "reports?",
    "reporting", "so ket", "tong ket", "reviews?", "nop",
)
DEADLINE_WEAK = _words(
    "khi nao", "luc nao", "thoi gian nao", "bao gio", "when", "ngay nao", "thang nao",
    "danh gia", "evaluations?", "evaluate", "assessments?",
)
DATE_QUESTION = _words(
    "ngay nao", "ngay may", "ngay bao nhieu", "what date", "which date", "which day",
    "what day", "due date", "exact date",
)
OBJECTIVE_WORDS = _words("muc tieu", "objectives?")
YEAR_QUESTION = _words(
    "nam nao", "which year", "what year", "by when", "when", "khi nao", "bao gio", "luc nao",
)
COMPARE = _words(
    "so sanh", "compare", "compared", "comparison", "giua cac", "cac ke hoach", "all plans",
    "every plan", "each plan", "across", "moi ke hoach", "tung ke hoach", "cac dia phuong",
    "versus", "vs", "khac nhau",
)
#: Words that make a comparison one across plans (not between two years of one plan).
ACROSS_PLANS = _words(
    "giua cac", "cac ke hoach", "all plans", "every plan", "each plan", "across", "moi ke hoach",
    "tung ke hoach", "cac dia phuong", "other plans", "ke hoach khac", "noi khac",
)
DOC_NUMBER = _words(
    "so hieu", "so van ban", "van ban so", "so hieu ke hoach", "so quyet dinh", "document number",
    "decision number", "plan number", "reference number", "ky hieu",
)
DOC_DATE = _words(
    "ngay ban hanh", "ban hanh ngay", "ban hanh khi nao", "ban hanh nam nao", "ngay ky",
    "ky ngay", "issue date", "issued", "date of issue", "signed", "when was",
    "ngay thang nam ban hanh", "ban hanh luc nao",
)
#: Words that name targets, goals or objectives (never part of a plan's or office's name).
TARGET_WORDS = re.compile(
    r"\b(?:chi tieu|ct|targets?|indicators?|muc tieu|objectives?|goals?)\b")
#: Who signed the plan.
DOC_SIGNER = _words(
    "ai ky", "nguoi ky", "ky boi", "ky ten", "chu ky", "ai la nguoi ky", "who signed",
    "signed by", "signatory", "signer",
)
#: The plan itself: its period and the higher plan it implements.
DOC_INFO = _words(
    "giai doan nao", "thoi gian thuc hien ke hoach", "ap dung", "can cu", "thuc hien ke hoach nao",
    "ke hoach nao cua", "which period", "what period", "based on", "basis", "implements which",
    "what plan does", "van ban goc", "ke hoach cap tren",
)
#: "Which goal is target 13 in?"
GOAL_WORDS = _words("thuoc muc tieu", "muc tieu nao", "which goal", "what goal", "under which goal")
VALUE_WORDS = _words(
    "bao nhieu", "la gi", "what is", "what s", "whats", "value", "values", "target",
    "chi tieu", "how much", "how many", "muc", "dat bao nhieu", "phai dat",
)
CRITERIA = _words("tieu chi", "criteria", "criterion", "tieu chuan")
#: The question asks for a target's value (with "who leads" too: answer both).
VALUE_ASKED = _words(
    "bao nhieu", "bn", "gia tri", "muc bao nhieu", "dat bao nhieu", "how much", "how many",
    "what value", "value", "values", "what is the value", "la bao nhieu", "muc nao",
)
#: Money: where it comes from, who budgets it.
FUNDING = _words(
    "kinh phi", "ngan sach", "nguon von", "von", "nguon kinh phi", "nguon tien", "so tien",
    "bao nhieu tien", "tien dau", "ty dong", "trieu dong", "billion", "million", "vnd",
    "allocated", "allocate", "allocation",
    "chi phi", "du toan", "tai tro", "nguon luc tai chinh", "budget", "budgets", "funding",
    "funds?", "funded", "money", "financing", "financed", "costs?", "pays?", "paid",
)
#: A sum of money asked for ("bao nhiêu tiền"): no plan states one.
#: Where the money comes from.
FUNDING_SOURCES = _words(
    "nguon nao", "lay tu dau", "lay tu nguon", "tu dau", "nguon kinh phi", "nguon von",
    "nguon tien", r"where .{0,40}come from", "sources? of (?:funds|funding|money)",
)
AMOUNT = _words(
    "bao nhieu tien", "bao nhieu", "so tien", "tong so", "how much", "amount", "total",
    "trieu dong", "ty dong", "vnd", "bn",
)
#: What an office must do ("phải làm gì", "nhiệm vụ", "what does X do").
DUTY_WORDS = _words(
    "lam gi", "phai lam", "nhiem vu", "trach nhiem gi", "duoc giao gi", "giao nhiem vu",
    "cong viec", "vai tro", "lam nhung gi", "lam j", r"what does(?: \w+){1,8} do",
    r"what do(?: \w+){1,8} do", "what must", "what should", "duties", "duty", "tasks?",
    "roles?", "responsibilities", "jobs?", "does what", "in charge of what",
    r"(?:have|has|need|needs|supposed) to do", "must do", "should do", "supposed to",
    "what are .{0,40} (?:duties|tasks)", "what is .{0,40} role",
)
#: "What does the plan say about …": what the plan says, in its words, before anything else.
SAYS = _words(
    "noi gi", "noi ve", "noi the nao", "de cap", "quy dinh gi", "quy dinh ve", "viet gi",
    "says?", "said", "mentions?", "what does the plan say", "what is written", "tell me about",
    "hieu luc", "take effect", "takes effect", "effective",
)
#: The question asks how something is done, or for tasks and measures: a passage answers.
HOW_WORDS = _words(
    "nhu the nao", "the nao", "lam the nao", "ra sao", "giai phap", "bien phap",
    "nhiem vu", "hoat dong gi", "hoat dong nao", "lam gi", "noi dung gi", "gom nhung gi",
    "nhung viec", "viec gi", "gom nhung",
    "bao gom", "how", "what measures", "which measures", "what activities", "solutions?",
    "measures", "steps", "what is done", "what will", "purpose", "purposes", "muc dich",
    "yeu cau", "requirements?", "muc tieu chung", "muc tieu tong quat", "general objective",
    "overall objective", r"(?:chuong trinh|du an|de an|tieu du an|mo hinh|dich vu) (?:nao|gi)",
    r"theo (?:chuong trinh|du an|de an|van ban|quy dinh) nao",
    r"which (?:programmes?|programs?|projects?|schemes?|models?|services?)",
)
#: A task or activity named in the question ("tuyên truyền", "tập huấn", "hướng dẫn").
ACTION = _words(
    "tuyen truyen", "truyen thong", "tap huan", "boi duong", "huong dan", "kiem tra",
    "thanh tra", "giam sat", "xay dung", "trien khai", "to chuc", "van dong", "ho tro",
    "bo tri", "cap nhat", "thu thap", "dieu tra", "nang cao", "cung cap", "long ghep",
    "pho bien", "day boi", "mo hinh", "giai phap", "bien phap", "hoat dong", "nhu the nao",
    "the nao", "guide", "guides", "guidance", "train", "training", "inspect", "inspection",
    "inspections", "monitor", "monitoring", "campaigns?", "awareness", "organi[sz]e",
    "support", "supports", "measures", "activities", "how", "models?", "update", "collect",
    "communication", "propaganda", "teach", "teaches", "build", "builds",
)
#: "How many goals, which ones?": the list of goals.
GOALS_LIST = _words(
    "may muc tieu", "bao nhieu muc tieu", "nhung muc tieu nao", "cac muc tieu nao",
    "co nhung muc tieu", "how many goals", "which goals", "what goals", "list the goals",
    "list of goals", "the goals", "muc tieu cu the", "specific (?:targets|objectives|goals)",
    "(?:what|which) are (?:the|its|their) (?:targets|objectives)", "list (?:of )?the objectives",
)
#: "Which targets does the plan have?": an overview of goals and targets.
OVERVIEW = _words(
    "cac chi tieu", "tat ca chi tieu", "tat ca cac chi tieu", "liet ke", "danh sach",
    "may muc tieu", "bao nhieu muc tieu",
    "bao nhieu chi tieu", "may chi tieu", "nhung chi tieu nao", "chi tieu gi", "cac muc tieu",
    "muc tieu cua ke hoach", "muc tieu cu the", "noi dung ke hoach", "tong quan", "all targets",
    "list", "how many targets", "which targets", "what targets", "overview", "targets",
    "chi tieu", "muc tieu", "goals", "objectives",
)
HELP = _words(
    "help", "tro giup", "giup", "giup do", "huong dan", "huong dan su dung", "menu",
    "what can you do", "how to use", "lam duoc gi", "hoi gi", "hoi duoc gi", "hoi nhu the nao",
    "cach dung", "cach hoi", "su dung the nao", "start", "xin chao", "chao ban", "chao",
    "hello", "hi", "hey", "ban la ai", "who are you", "chon ke hoach", "doi ke hoach",
    "choose a plan", "choose plan", "change plan", "lam sao",
)


@dataclass(frozen=True)
class Query:
    """A question, folded, with what was read from it."""

    text: str
    folded: str
    targets: tuple[int, ...] = ()
    goal: int | None = None
    group: int | None = None
    years: tuple[int, ...] = ()
    #: Years that name a plan rather than a value: "kế hoạch 2024", "the 2024 plan".
    plan_years: tuple[int, ...] = ()
    #: A plan period named as a year range: "2021-2030".
    period: tuple[int, int] | None = None
    #: Word positions used up by numbers and years (left out of topic search).
    used: frozenset[int] = field(default_factory=frozenset)

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.folded) is not None

    @property
    def words(self) -> list[str]:
        return self.folded.split()


def _word_index(folded: str, char_pos: int) -> int:
    return folded.count(" ", 0, char_pos)


def _span_words(folded: str, start: int, end: int) -> set[int]:
    first = _word_index(folded, start)
    last = _word_index(folded, max(start, end - 1))
    return set(range(first, last + 1))


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and YEAR_MIN <= int(word) <= YEAR_MAX


#: "năm 25" (2025), "năm 30": a two-digit year after "năm"/"year" within the plans' reach.
SHORT_YEAR_MIN, SHORT_YEAR_MAX = 20, 40
_SHORT_YEAR = re.compile(r"\b(nam|year)\s+(\d{2})\b(?!\s*(?:tuoi|nam|thang|ngay|%))")


def _full_years(folded: str) -> str:
    """"năm 25" → "năm 2025"."""
    def full(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f"{m.group(1)} 20{n}" if SHORT_YEAR_MIN <= n <= SHORT_YEAR_MAX else m.group(0)
    return _SHORT_YEAR.sub(full, folded)


def _years(words: list[str], targets: list[int]) -> tuple[list[int], list[int], tuple | None]:
    """Value years, plan-naming years and a plan period ("2021 2030") among the words."""
    years: list[int] = []
    plan_years: list[int] = []
    period = None
    skip_next = False
    for i, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if not _is_year(word) or int(word) in targets:
            continue
        year = int(word)
        nxt = words[i + 1] if i + 1 < len(words) else ""
        before = words[i - 1] if i else ""
        after = words[i + 1 : i + 4]
        if _is_year(nxt) and int(nxt) > year:
            period, skip_next = (year, int(nxt)), True
        elif before in PLAN_BEFORE or (
            before not in VALUE_BEFORE
            and any(w in PLAN_AFTER for w in after)
            and not any(_is_year(w) for w in after)
        ):
            plan_years.append(year)
        else:
            years.append(year)
    return years, plan_years, period


def _numbers(first: int, rest: list[str]) -> list[int]:
    """Target numbers after a target word: "3 va 5" → 3, 5; "1 den 4" → 1, 2, 3, 4."""
    numbers = [first]
    ranged = False
    for word in rest:
        if word in _RANGE_WORDS:
            ranged = True
        elif word.isdigit():
            n, last = int(word), numbers[-1]
            if ranged and last < n <= last + MAX_RANGE:
                numbers += range(last + 1, n + 1)
            else:
                numbers.append(n)
            ranged = False
    return numbers


def parse(text: str, correct: Callable[[str], str] | None = None) -> Query:
    """Fold ``text`` (fixing typos with ``correct``) and read the numbers it names."""
    folded = fold(_DASH_RANGE.sub(r"\1 den \2", text))
    if correct is not None:
        folded = correct(folded)
    folded = _full_years(folded)
    used: set[int] = set()
    targets: list[int] = []
    for m in _TARGET.finditer(folded):
        targets += _numbers(int(m.group(1)), (m.group(2) or "").split())
        used |= _span_words(folded, m.start(), m.end())
    words = folded.split()
    for m in _HASH_TARGET.finditer(text):
        targets.append(int(m.group(1)))
        used |= {i for i, w in enumerate(words) if w == m.group(1)}
    if not targets and (bare := _BARE_NUMBER.match(folded)):
        targets.append(int(bare.group(1)))
        used.add(0)
    goal = group = None
    if m := _GOAL.search(folded):
        goal = int(m.group(1))
        used |= _span_words(folded, m.start(), m.end())
    if m := _GROUP.search(folded):
        group = int(m.group(1))
        used |= _span_words(folded, m.start(), m.end())
    years, plan_years, period = _years(words, targets)
    used |= {i for i, w in enumerate(words) if w.isdigit() and _is_year(w)}
    return Query(
        text=text,
        folded=folded,
        targets=tuple(dict.fromkeys(targets)),
        goal=goal,
        group=group,
        years=tuple(dict.fromkeys(years)),
        plan_years=tuple(dict.fromkeys(plan_years)),
        period=period,
        used=frozenset(used),
    )


# ---------------------------------------------------------------------- small talk

Social = str  # "greeting" | "thanks" | "ack" | "bye"

#: Whole-message small talk, folded: the phrase → what it is.
SOCIAL_PHRASES: dict[str, Social] = {
    **dict.fromkeys(
        ["xin chao", "chao", "hello", "hi", "hey", "alo", "good morning", "good afternoon",
         "good evening", "chao buoi sang", "chao buoi chieu", "bot oi", "ban oi", "ad oi"],
        "greeting"),
    **dict.fromkeys(
        ["cam on", "cam on nhieu", "thank", "thanks", "thank you", "thx", "tks", "many thanks",
         "cam ta"], "thanks"),
    **dict.fromkeys(
        ["ok", "oke", "okay", "okie", "vang", "da", "duoc roi", "hieu roi", "ro roi", "tot",
         "tot qua", "hay qua", "tuyet", "great", "good", "nice", "cool", "got it", "noted",
         "understood", "da ro", "good job", "great job", "well done", "perfect"], "ack"),
    **dict.fromkeys(["tam biet", "bye", "goodbye", "bye bye", "hen gap lai", "see you"], "bye"),
}
#: Words that may surround small talk without making it a question.
_FILLER = ("a ban bot em anh chi nhe nha nhieu rat lam so much very you oi minh toi vay the ad "
           "admin ha ne roi qua sir madam lot")
SOCIAL_FILLER = frozenset(_FILLER.split())
_SOCIAL_ORDER: tuple[Social, ...] = ("thanks", "bye", "greeting", "ack")


def social(folded: str) -> Social | None:
    """What a message made only of small talk is ("cảm ơn bạn nhiều" → "thanks"), else None."""
    words = folded.split()
    if not words or len(words) > 6:
        return None
    found: set[Social] = set()
    i = 0
    while i < len(words):
        for n in (3, 2, 1):
            phrase = " ".join(words[i : i + n])
            if len(phrase.split()) == n and phrase in SOCIAL_PHRASES:
                found.add(SOCIAL_PHRASES[phrase])
                i += n
                break
        else:
            if words[i] not in SOCIAL_FILLER:
                return None
            i += 1
    return next((s for s in _SOCIAL_ORDER if s in found), None)
