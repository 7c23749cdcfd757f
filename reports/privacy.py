"""The privacy screen: does a typed text seem to hold a child's (or a family's) personal details?

One screen, two readings:

* :meth:`Screen.report` - report messages and correction notes, which would be stored: any
  name, age, phone or ID number, address, e-mail or birth date refuses the text;
* :meth:`Screen.question` - questions, which are answered and never stored: only clear
  details count (a phone number, "tên là ...", "em Lan 9 tuổi"), never an age group
  ("trẻ dưới 5 tuổi"), a year ("born in 2025") or a place.

It reads normalised text (:func:`reports.text.clean`: NFC, zero-width and direction marks
removed, full-width digits folded) and vocabulary, not capital letters alone: places
(provinces, districts, regions), the plans' own names and terms, and the units in the
database are masked first, so "trẻ em Kon Rẫy", "Hồ Chí Minh" or "Việt Nam" never count as
people; the words after a level word ("xã Tân Phú", "huyện ...") are places too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reports.person_names import ETHNIC_PREFIXES, GIVEN_NAMES, MIDDLE_NAMES, SURNAMES, words_of
from reports.proper_names import ADMIN_LEVELS, known_names, strip_level
from reports.text import clean, fold
from reports.words import Token, WordSet, match_any, phrases
from reports.words import tokens as tokenize

PHONE, ID_NUMBER, EMAIL, BIRTH_DATE, NAME, AGE, ADDRESS = (
    "phone", "id_number", "email", "birth_date", "name", "age", "address",
)  # fmt: skip
KINDS: tuple[str, ...] = (PHONE, ID_NUMBER, EMAIL, BIRTH_DATE, NAME, AGE, ADDRESS)

#: Most words of a name after a trigger word ("em Nguyễn Thị Bích Ngọc").
MAX_NAME_WORDS = 4
#: Ages a child can have (larger numbers before "tuổi" are not a child's age).
MAX_AGE = 25

_SURNAMES = WordSet(SURNAMES)
_MIDDLE = WordSet(MIDDLE_NAMES)
_GIVEN = WordSet(GIVEN_NAMES)
_ETHNIC = WordSet(ETHNIC_PREFIXES)
#: Words after which a capitalised word is a person's name: "em Lan", "mẹ cháu là Hoa".
_WEAK_TRIGGERS = phrases(
    "em", "cháu", "bé", "con", "hs", "học sinh", "nạn nhân", "mẹ", "bố", "cha", "ông", "bà",
    "anh", "chị", "chú", "cô", "dì", "cậu", "victim", "child", "boy", "girl", "student",
    "pupil", "son", "daughter", "mother", "father", "mom", "mum", "dad", "mr", "mrs", "ms",
    "miss", "kid", "baby", "named", "called", "bạn",
)  # fmt: skip
#: Words after which any name-like word is a name, capitalised or not: "tên là lan".
_STRONG_TRIGGERS = phrases(
    "tên", "tên là", "tên em là", "tên cháu là", "tên bé là", "tên con là", "họ tên",
    "họ và tên", "name", "name is", "full name", "named", "nạn nhân là", "nạn nhân tên",
    "victim is", "victim named", "tên nạn nhân", "tên nạn nhân là", "victim's name",
    "victim's name is", "her name is", "his name is", "child's name", "child's name is",
)  # fmt: skip
#: Words that end a name after a trigger ("nạn nhân bị đánh", "tên là gì").
_NOT_NAMES = frozenset(words_of("""
la gi j nao ai sao bi da duoc chua khong co cua va o tai trong nay do kia ay nu nam gai trai
em chau be
con tre ca vu so thang nam tuoi nho lon khac moi cac nhung hien nguoi xa phuong huyen tinh
is was the a an of and or in at on to for with by from has had not unknown no yes this that
"""))
#: Middle names that, typed without diacritics, still read as names: văn, thị, hữu, đức, ngọc.
_PLAIN_MIDDLE = frozenset({"van", "thi", "huu", "duc", "ngoc"})
#: Words between a trigger and the name: "mẹ cháu là Hoa", "the boy named Tom".
_LINKS = phrases("là", "tên", "tên là", "named", "called", "is", "is named", "was", "was named")
#: Words before an age that make it an age group, not a child's age ("dưới 5 tuổi").
_RANGE_WORDS = WordSet(words_of("""
dưới trên từ đến tới và hoặc nhóm độ lứa đủ under over below above from to between and or than
less more least most group groups
"""))
_RANGE_AFTER = re.compile(
    r"^\s*(?:trở lên|trở xuống|tro len|tro xuong|and (?:over|above|older|under|below|younger)"
    r"|or (?:over|above|older|under|below|younger|more|less)|\+|[-–—~]\s*\d)", re.I
)
_RANGE_BEFORE = re.compile(r"(?:\d\s*[-–—~]|[<>≤≥]=?)\s*$")
#: Words that mark one child, before an age in a question ("em 9 tuổi", "my son, 9").
_INDIVIDUAL = WordSet(words_of("em cháu bé con nạn victim boy girl son daughter kid baby"))

_MONTHS_EN = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_FULL_DATE = (
    r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?\b"
    r"|\d{4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\b"
    r"|\d{1,2}\s+(?:thang|th)\s*\d{1,2}(?:\s*(?:nam|,)?\s*\d{4})?\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS_EN})\b\.?,?(?:\s+\d{{4}})?"
    rf"|(?:{_MONTHS_EN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?)"
)
_YEAR = r"(?:(?:nam|in|year)\s*)?(?:19|20)\d{2}\b"
_BIRTH_WORDS = (
    r"(?<!so )(?<!so-)(?<!khai )\b(?:sinh ngay|sinh nam|sinh thang|ngay sinh|nam sinh"
    r"|ngay thang nam sinh|sinh|ns|sn|dob|d\.o\.b\.?|date of birth|birth ?date|birthday"
    r"|born(?: on| in)?|yob|year of birth)\b"
)
_BIRTH_FULL = re.compile(rf"{_BIRTH_WORDS}\W{{0,4}}{_FULL_DATE}")
_BIRTH_ANY = re.compile(rf"{_BIRTH_WORDS}\W{{0,4}}(?:{_FULL_DATE}|{_YEAR})")

_AGE_AFTER_NUMBER = re.compile(
    r"(?<![\d/.,:-])(\d{1,2})\s*(?:tuoi|thang tuoi|years?[\s-]*old|yrs?[\s-]*old|months?[\s-]*old"
    r"|y/?o\b|y\.o\.?|t\b(?!\s*\d))"
)
_AGE_BEFORE_NUMBER = re.compile(r"\b(?:age|aged|tuoi)\s*:?\s*(\d{1,2})\b(?![/.,]\d)")
_STREET_AFTER = frozenset({
    "street", "st", "road", "rd", "avenue", "ave", "lane", "alley", "village", "hamlet",
})

_EMAIL = re.compile(
    r"[\w.+-]{1,64}\s*(?:@|\(at\)|\[at\])\s*[\w-]{1,63}(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]{2,63})+"
)
#: Dates and year ranges, which are not phone numbers (not when inside a run of digits).
_DATES = re.compile(
    r"(?<!\d[.\-/])\b(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?:\d{4}|\d{2})\b"
    r"(?![.\-/]\d)|(?<!\d[.\-/])\b\d{1,2}\s*/\s*\d{4}\b|\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\b"
)
_DIGIT_RUN = re.compile(r"(?<![\w+])[+(]{0,2}\d(?:[ .\-/()]{0,3}\d)+\)?")
_PHONE_WORDS = re.compile(
    r"\b(?:sdt|dt|dien thoai|dtdd|phone|tel|telephone|mobile|cell|zalo|so may|lien he|contact|"
    r"hotline ca nhan|goi)\b(?:\W+\w+){0,4}?\W{0,6}$"
)
_ID_WORDS = re.compile(
    r"\b(?:cccd|cmnd|cmt|can cuoc|chung minh(?: nhan dan| thu)?|(?:so|ma) dinh danh|dinh danh"
    r"|id|id card|id number|passport|ho chieu|giay khai sinh|khai sinh so|so ho so|ma so)\b"
    r"(?:\W+\w+){0,6}?\W{0,6}$"
)
_PASSPORT = re.compile(r"\b(?:passport|ho chieu)(?:\W+\w+){0,6}?\W{0,6}[a-z]\d{7,8}\b")

_ADDRESS = re.compile(
    r"\b(?:so nha|nha so|house (?:number|no\.?))\s*\d+"
    r"|\bso\s*\d+[a-z]?(?:/\d+)*\s*,?\s*(?:duong|pho|hem|ngo|kiet|ngach|thon|ap|khu|to dan pho)\b"
    r"|\b\d+[a-z]?(?:/\d+)*\s*,?\s*(?:duong|pho|street|st\.?|road|rd\.?|avenue|ave)\b"
    r"|\b(?:duong|pho) so\s*\d+"
    r"|\b(?:hem|ngo|ngach|kiet|alley|lane|(?<!boc )lot)\s*\d+"  # not "bóc lột 1"
    r"|\b(?:thon|xom|khom|buon|to dan pho|tdp|khu pho|kp|khu|hamlet|village|apartment|apt"
    r"|room|phong tro|residential (?:group|quarter|area|cluster))\s*\.?\s*\d+\b"
    r"|\bap\s*\d+\b"
)
#: Address words whose folded form is an ordinary word: only with their diacritics ("tổ 5",
#: not "to 2030"; "bản 3", not "ban 3").
_ADDRESS_ACCENTED = re.compile(r"\b(?:tổ|bản|ngõ|ấp)\s*\d+\b")
_ADDRESS_NAMED = re.compile(
    r"\b(?:ấp|thôn|xóm|khóm|buôn|làng|tổ dân phố|khu phố|đường|(?<!thành )phố|hẻm|ngõ|hamlet"
    r"|village)\s+(?=\w)"
)
#: The same words typed without diacritics, where that reads as nothing else ("ap Tan Hoa").
_ADDRESS_NAMED_PLAIN = re.compile(
    r"\b(?:ap|thon|xom|khom|buon|lang|to dan pho|khu pho|duong|hem)\s+(?=\w)"
)
#: Words that name a place only when the next word is no ordinary word: "bản Nà Hừ", not
#: "bản Kế hoạch" (a copy of the plan).
_ADDRESS_NAMED_RARE = re.compile(r"\b(?:bản|ban|plei|buôn)\s+(?=\w)")
#: An address given as such: "địa chỉ: 15 ...", "nhà 15 ...", "lives at 15 ...".
_ADDRESS_SAID = re.compile(
    r"\b(?:dia chi|address|nha|o tai|song tai|lives (?:in|at)|living (?:in|at)|o so)\s*:?\s*\d+"
    r"|\b(?:dia chi|address)\s*:\s*\w"
)


class Vocabulary:
    """Names that are not people (places, the plans' own names, units) and the plans' words.

    ``phrases``: proper names to mask besides the places (plan and office names, unit names);
    ``texts``: the plans' texts, whose lower-case words are ordinary words (a capitalised one
    after "em" that is neither an ordinary word nor a known name is read as a name) and whose
    capitalised runs of two or more words are names of things ("Hội Liên hiệp Phụ nữ").
    """

    def __init__(self, phrases: Iterable[str] = (), texts: Iterable[str] = ()) -> None:
        self._trie: dict[str, dict] = {}
        self._phrases: list[str] = []
        words: set[str] = set()
        bigrams: set[tuple[str, str]] = set()
        runs: list[str] = []
        for text in texts:
            tokens = tokenize(clean(text))
            if not tokens:
                continue
            run: list[Token] = []
            for a, b in zip(tokens, [*tokens[1:], None], strict=True):
                if not a.capitalised and a.word:
                    words.add(a.folded)
                    if b is not None and not b.capitalised and b.word:
                        bigrams.add((a.folded, b.folded))
                if a.capitalised and a.word and not a.acronym:
                    run.append(a)
                    if b is not None and b.start - a.end <= 1:
                        continue
                if len(run) >= 2:
                    runs.append(" ".join(t.text for t in run))
                run = []
        self.words = frozenset(words)
        self.bigrams = frozenset(bigrams)
        for phrase in (*known_names(), *phrases, *runs):
            self.add(phrase)

    def add(self, phrase: str) -> None:
        """Mask ``phrase`` from now on (a single given name is never masked)."""
        tokens = tokenize(clean(strip_level(phrase)))
        if not tokens or (len(tokens) == 1 and (tokens[0] in _GIVEN or tokens[0] in _SURNAMES)):
            return
        node = self._trie
        for token in tokens:
            node = node.setdefault(token.folded, {})
        node.setdefault("", set()).add(tuple(t.key for t in tokens))
        self._phrases.append(phrase)

    def with_phrases(self, phrases: Iterable[str]) -> Vocabulary:
        """A copy that also masks ``phrases`` (e.g. the units in the database)."""
        copy = Vocabulary.__new__(Vocabulary)
        copy.words, copy.bigrams = self.words, self.bigrams
        copy._trie, copy._phrases = {}, []
        for phrase in (*self._phrases, *phrases):
            copy.add(phrase)
        return copy

    def match(self, tokens: Sequence[Token], i: int) -> int:
        """How many tokens from ``i`` on form a known name (0: none)."""
        node, best = self._trie, 0
        for j in range(i, len(tokens)):
            node = node.get(tokens[j].folded)  # type: ignore[assignment]
            if node is None:
                break
            for variant in node.get("", ()):
                span = tokens[i : j + 1]
                if all(not t.accented or t.key == k for t, k in zip(span, variant, strict=True)):
                    best = j + 1 - i
                    break
        return best


@dataclass(frozen=True)
class _Reading:
    text: str  # normalised
    lower: str  # lower case, diacritics kept
    folded: str  # lower case, no diacritics
    tokens: list[Token]
    masked: list[bool]  # a known place or name


class Screen:
    """The privacy screen over one vocabulary (see the module doc)."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or Vocabulary()

    def report(self, text: str) -> tuple[str, ...]:
        """Kinds of personal data in a text that would be stored (strict), in KINDS order."""
        return self._screen(text, strict=True)

    def question(self, text: str) -> tuple[str, ...]:
        """Kinds of clear personal data in a question (lenient), in KINDS order."""
        return self._screen(text, strict=False)

    def place_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """Character spans (in ``reports.text.fold_clean`` offsets) of the places and known
        names in ``text``: "xã An Trường", "UBND huyện Càng Long" are not words of a report."""
        r = self._read(text)
        return tuple((t.start, t.end) for t, m in zip(r.tokens, r.masked, strict=True) if m)

    # ------------------------------------------------------------------ reading

    def _read(self, text: str) -> _Reading:
        normal = clean(text)
        tokens = tokenize(normal)
        masked = [False] * len(tokens)
        i = 0
        while i < len(tokens):
            n = self.vocabulary.match(tokens, i)
            if n:
                masked[i : i + n] = [True] * n
                i += n
                continue
            if tokens[i].folded in _LEVELS_AFTER:  # "Tran Hung Dao ward", "Kon Ray district"
                j = i - 1
                while j >= 0 and i - j <= MAX_NAME_WORDS and tokens[j].capitalised:
                    masked[j] = True
                    j -= 1
            level = match_any(tokens, i, _LEVELS)
            if level:  # "xã Tân Phú", "huyện Kon Rẫy", "Phường 3": a place
                j = i + level
                while j < len(tokens) and j - i - level < MAX_NAME_WORDS and (
                    tokens[j].capitalised or tokens[j].text.isdigit()
                ):
                    masked[j] = True
                    j += 1
                i = max(j, i + 1)
                continue
            i += 1
        return _Reading(normal, normal.lower(), fold(normal), tokens, masked)

    def _screen(self, text: str, *, strict: bool) -> tuple[str, ...]:
        if not text or not text.strip():
            return ()
        r = self._read(text)
        found: set[str] = set()
        if _EMAIL.search(r.folded):
            found.add(EMAIL)
        found |= _numbers(r.folded)
        if (_BIRTH_ANY if strict else _BIRTH_FULL).search(r.folded):
            found.add(BIRTH_DATE)
        if self._names(r, strict=strict):
            found.add(NAME)
        if _ages(r, strict=strict):
            found.add(AGE)
        if _addresses(r, strict=strict, words=self.vocabulary.words):
            found.add(ADDRESS)
        return tuple(k for k in KINDS if k in found)

    # ------------------------------------------------------------------ names

    def _names(self, r: _Reading, *, strict: bool) -> bool:
        tokens, masked = r.tokens, r.masked
        for i in range(len(tokens)):
            if masked[i]:
                continue
            strong = match_any(tokens, i, _STRONG_TRIGGERS)
            if strong and self._named_after(r, i + strong, loose=True):
                return True
            if strict:
                weak = match_any(tokens, i, _WEAK_TRIGGERS)
                if weak and not _category_em(tokens, i):
                    j = i + weak
                    j += match_any(tokens, j, _LINKS)  # "mẹ cháu là Hoa", "the boy named Tom"
                    if self._named_after(r, j):
                        return True
                if _ethnic_name(r, i, self.vocabulary.words):
                    return True
            if _full_name(r, i, strict=strict, bigrams=self.vocabulary.bigrams):
                return True
        return False

    def _named_after(self, r: _Reading, j: int, *, loose: bool = False) -> bool:
        """Whether the words from ``j`` on are a person's name.

        A capitalised word that is a given name or surname, or no ordinary word of the plans;
        ``loose`` (after "tên là", "name:"): also such a word in lower case."""
        tokens, masked = r.tokens, r.masked
        if j >= len(tokens) or masked[j] or tokens[j].acronym or not tokens[j].word:
            return False
        first = tokens[j]
        if first.folded in _NOT_NAMES and not first.capitalised:
            return False
        if re.match(r"^[hy]['’]\w", first.folded):
            return True
        named = first in _GIVEN or first in _SURNAMES or first in _MIDDLE
        if first.capitalised:
            if named or (first.folded not in self.vocabulary.words
                         and first.folded not in _NOT_NAMES):
                return True
            # Several capitalised words: a full name even when each is an ordinary word.
            return _capitalised_run(r, j) >= 2 and any(
                t in _GIVEN or t in _SURNAMES or t in _MIDDLE
                for t in tokens[j : j + MAX_NAME_WORDS])
        if not loose:
            return False
        return (named and len(first.folded) > 1) or len(first.text) == 1


# ---------------------------------------------------------------------- helpers


_LEVELS = phrases(*ADMIN_LEVELS)
#: English level words, which follow the name: "Kon Ray district".
_LEVELS_AFTER = frozenset({"province", "city", "district", "town", "commune", "ward"})


def _category_em(tokens: Sequence[Token], i: int) -> bool:
    """"trẻ em ...": children as a group, not one child."""
    return i > 0 and tokens[i].folded == "em" and tokens[i - 1].folded == "tre"


def _capitalised_run(r: _Reading, j: int) -> int:
    n = 0
    while j + n < len(r.tokens) and n < MAX_NAME_WORDS:
        t = r.tokens[j + n]
        if r.masked[j + n] or not t.capitalised or t.acronym or not t.word:
            break
        n += 1
    return n


def _full_name(r: _Reading, i: int, *, strict: bool, bigrams: frozenset) -> bool:
    """"Nguyễn Văn Nam", "Trần Thị B"; in reports also "Lê Lan" and "tran van minh"."""
    tokens, first = r.tokens, r.tokens[i]
    if first not in _SURNAMES or not first.word:
        return False
    if first.acronym and i + 1 < len(tokens) and tokens[i + 1].acronym and (
            tokens[i + 1] in _MIDDLE and not r.masked[i + 1]):
        return True  # "NGUYỄN THỊ LAN", typed in capitals
    if first.capitalised:
        run = _capitalised_run(r, i)
        after = tokens[i + run] if i + run < len(tokens) else None
        if after is not None and not after.capitalised and after.word and (
            tokens[i + run - 1].folded, after.folded) in bigrams:
            return False  # "Đoàn Thanh niên": a term goes on in lower case, a name does not
        if run >= 3 or (run == 2 and (strict or tokens[i + 1] in _MIDDLE)):
            return True
    if not strict or i + 2 >= len(tokens):
        return False
    middle, given = tokens[i + 1], tokens[i + 2]
    if r.masked[i + 1] or r.masked[i + 2] or not (middle in _MIDDLE and given.word):
        return False
    plain = not (first.accented or middle.accented or given.accented)
    if plain:  # "tran van minh"; not "la thi tran" (là thị trấn: a pair of the plans' words),
        # nor "do cong trung" (do cộng trùng: "cong" is a middle name but an everyday word)
        return (middle.folded in _PLAIN_MIDDLE and (middle.folded, given.folded) not in bigrams
                and (given.folded not in _NOT_NAMES or given in _GIVEN))
    # "trần văn minh": typed in lower case, but with its marks
    return first.accented and middle.accented and not given.acronym and (
        given.folded not in _NOT_NAMES or given in _GIVEN)


def _ethnic_name(r: _Reading, i: int, words: frozenset[str]) -> bool:
    """"H'Hen Niê", "Y Bhăm", "Ksor Nay" (reports only); not "A Child", "Y tế"."""
    token = r.tokens[i]
    if re.match(r"^[hy]['’]\w", token.folded) and token.capitalised:
        return True
    if token in _ETHNIC and token.capitalised and i + 1 < len(r.tokens):
        nxt = r.tokens[i + 1]
        return nxt.capitalised and not r.masked[i + 1] and not nxt.acronym and nxt.word and (
            nxt in _GIVEN or nxt.folded not in words)
    return False


def _ages(r: _Reading, *, strict: bool) -> bool:
    text = r.folded
    for m in _AGE_AFTER_NUMBER.finditer(text):
        if int(m.group(1)) > MAX_AGE or _age_group(r, m.start(1), m.end()):
            continue
        if strict or _individual_before(r, m.start(1)):
            return True
    for m in _AGE_BEFORE_NUMBER.finditer(text):
        if int(m.group(1)) > MAX_AGE or _age_group(r, m.start(), m.end()):
            continue
        if strict or _individual_before(r, m.start()):
            return True
    return False


def _age_group(r: _Reading, start: int, end: int) -> bool:
    """"dưới 5 tuổi", "6-18 tuổi", "từ 0 đến 5 tuổi", "5 tuổi trở lên": an age group."""
    before = r.folded[max(0, start - 12) : start]
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(r.folded[end:]):
        return True
    preceding = [t for t in r.tokens if t.end <= start][-2:]
    return any(t in _RANGE_WORDS for t in preceding)


def _individual_before(r: _Reading, start: int) -> bool:
    """A word for one child (or a name) within the three words before an age."""
    preceding = [t for t in r.tokens if t.end <= start][-3:]
    for k, token in enumerate(preceding):
        if token in _INDIVIDUAL and not (
            token.folded == "em" and k > 0 and preceding[k - 1].folded == "tre"
        ):
            return True
    return False


def _numbers(folded: str) -> set[str]:
    """Phone and ID numbers however they are split; dates and year ranges are not numbers."""
    found: set[str] = set()
    text = _DATES.sub(_blank_date, folded)
    for m in _DIGIT_RUN.finditer(text):
        run = m.group()
        digits = re.sub(r"\D", "", run)
        before = text[max(0, m.start() - 30) : m.start()]
        if _is_phone(run, digits) or (_PHONE_WORDS.search(before) and len(digits) >= 8):
            found.add(PHONE)
        elif (len(digits) == 12 and digits.startswith("0")) or (
            _ID_WORDS.search(before) and 6 <= len(digits) <= 13
        ):
            found.add(ID_NUMBER)
    if _PASSPORT.search(folded):
        found.add(ID_NUMBER)
    return found


def _blank_date(match: re.Match[str]) -> str:
    """A date blanked out (not "45.67.89": no day 45)."""
    day, month = match.group("d"), match.group("m")
    if day is not None and not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return match.group()
    return " " * len(match.group())


def _is_phone(run: str, digits: str) -> bool:
    n = len(digits)
    if digits.startswith("84") and (
        (n == 11 and digits[2] in "35789")
        or (n == 12 and digits[2] == "2")
        or (n == 12 and digits[2] == "0" and digits[3] in "35789")
    ):
        return True
    if digits.startswith("0"):
        return (n == 10 and digits[1] in "35789") or (n == 11 and digits[1] == "2")
    return False


def _addresses(r: _Reading, *, strict: bool, words: frozenset[str]) -> bool:
    if _ADDRESS.search(r.folded) or _ADDRESS_ACCENTED.search(r.lower):
        return True
    if not strict:
        return False
    # "ấp Bình An", "đường Lê Lợi", "Le Loi street": a named hamlet or street (reports only).
    if _ADDRESS_SAID.search(r.folded):
        return True
    starts = {t.start: i for i, t in enumerate(r.tokens)}
    named = [*_ADDRESS_NAMED.finditer(r.lower), *_ADDRESS_NAMED_PLAIN.finditer(r.folded)]
    rare = list(_ADDRESS_NAMED_RARE.finditer(r.lower))
    for m in (*named, *rare):
        i = starts.get(m.end())
        token = r.tokens[i] if i is not None else None
        if token is None or not token.capitalised or token.acronym or not token.word:
            continue
        if m in rare and token.folded in words and token not in _GIVEN:
            continue
        return True
    tokens = r.tokens
    for k, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False)):
        if a.capitalised and a.word and not a.acronym and b.folded in _STREET_AFTER:
            return True  # "Le Loi street"
        if re.fullmatch(r"\d{1,4}[a-z]?", a.text) and _capitalised_run(r, k + 1) >= 2:
            return True  # "27 Trần Hưng Đạo"
    return False


_CODE_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")


def looks_like_code(text: str) -> bool:
    """Whether a typed token may be quoted back as a unit code: letters, digits and ``._-``,
    with a digit or in capitals ("C0101", "HCM"), never a word that may be a name ("Lan")."""
    return bool(_CODE_SHAPE.fullmatch(text)) and (
        any(ch.isdigit() for ch in text) or text.isupper()
    )


@lru_cache(maxsize=1)
def default_screen() -> Screen:
    """A screen that knows the places and organisations only (no plan words or units)."""
    return Screen()
