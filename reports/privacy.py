"""Spot text that looks like personal data about a child, so it is never stored.

Kinds: "phone", "id_number", "email", "birth_date", "name", "address". Patterns run on the
folded text (no diacritics); name patterns also look at capital letters.
"""

from __future__ import annotations

import re

from reports.text import clean, fold

PHONE, ID_NUMBER, EMAIL, BIRTH_DATE, NAME, ADDRESS = (
    "phone", "id_number", "email", "birth_date", "name", "address",
)  # fmt: skip
KINDS: tuple[str, ...] = (PHONE, ID_NUMBER, EMAIL, BIRTH_DATE, NAME, ADDRESS)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# Digit runs, allowing the separators people put in phone numbers (not "/").
_DIGIT_RUN = re.compile(r"(?<![\w/])\+?\(?\d[\d\s.()-]{6,20}\d(?![\w/])")
_ID_KEYWORD = re.compile(
    r"\b(?:cccd|cmnd|cmt|can cuoc|chung minh|id|passport|ho chieu)\b\W{0,3}\d{6}"
)
_BIRTH = re.compile(
    r"\b(?:sinh ngay|sinh nam|ngay sinh|nam sinh|ns|sn|dob|date of birth|born(?: on| in)?)\b"
    r"\W{0,3}\d{1,4}(?:[/.-]\d{1,2}(?:[/.-]\d{2,4})?)?"
)
_AGE = r"\d{1,2}\s*(?:tuoi|t|years?\s*old|yo|y/o|thang tuoi)\b"
_CHILD_WORD = r"(?:em|chau|be|con|hoc sinh|hs|nan nhan|nn|tre|ban|anh|chi)"
# Words that may follow "em/cháu/bé" without being a name.
_NOT_NAME_WORDS = (
    "em be chau tre gai trai nam nu duoi tren tu den khoang nho lon hon chua du so bi da duoc va"
    " o la co khong cac nhung moi xin bao cao gui thang xa phuong ay do nay"
)
_NOT_NAME = frozenset(_NOT_NAME_WORDS.split())
_CHILD_WITH_AGE = re.compile(
    rf"(?i:\b{_CHILD_WORD})\s+((?:[^\W\d_]+\s+){{0,3}}[^\W\d_]+)\s*,?\s*(?i:{_AGE})"
)
_CHILD_NAMED = re.compile(rf"(?i:\b{_CHILD_WORD})\s+([A-Z][^\W\d_]*(?:\s+[A-Z][^\W\d_]*){{0,3}})")
_CAPITALISED_WITH_AGE = re.compile(
    rf"\b([A-Z][^\W\d_]*(?:\s+[A-Z][^\W\d_]*){{1,3}})\s*,?\s*(?i:{_AGE})"
)
_ADDRESS = re.compile(
    r"\bso\s+(?:nha\s*)?\d+[a-z]?(?:/\d+)*\s*,?\s*(?:duong|pho|hem|ngo|kiet|ngach|thon|ap|to|khu)\b"
    r"|\bso nha\s*\d+"
    r"|\b(?:duong|hem|ngo|kiet|ngach)\s+(?:so\s+)?\d+"
    r"|\b\d+[a-z]?(?:/\d+)*\s+(?:duong|pho)\s+[a-z]"
    r"|\b(?:ap|khom|to dan pho|tdp)\s+\d+\b"
    r"|(?<!\d\s)(?<!\d)(?<!from\s)\bto\s+\d+\b(?!\s*(?:/|thang|nam))"
    r"|\b(?:thon|ban|xom|khu pho|kp)\s+[^\W\d_]*\s*,?\s*(?:so\s+)?nha\s*\d+"
)


def _phone_or_id(run: str) -> str | None:
    digits = re.sub(r"\D", "", run)
    contiguous = run.lstrip("+").isdigit()
    if (
        digits.startswith("84")
        and len(digits) in (11, 12)
        and not contiguous
        or (run.startswith("+84"))
    ):
        return PHONE
    if digits.startswith("0") and (
        (len(digits) == 10 and digits[1] in "35789") or (len(digits) == 11 and digits[1] == "2")
    ):
        return PHONE
    if contiguous and len(digits) in (9, 12):
        return ID_NUMBER
    return None


def _names(cased: str) -> bool:
    for pattern in (_CHILD_WITH_AGE, _CHILD_NAMED):
        for m in pattern.finditer(cased):
            first = m.group(1).split()[0].lower()
            if first not in _NOT_NAME:
                return True
    return bool(_CAPITALISED_WITH_AGE.search(cased))


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data the text seems to contain, in ``KINDS`` order (empty if none)."""
    cased = fold(clean(text), lower=False)
    folded = cased.lower()
    found: set[str] = set()
    if "@" in folded and _EMAIL.search(folded):
        found.add(EMAIL)
    for m in _DIGIT_RUN.finditer(folded):
        kind = _phone_or_id(m.group().strip("()"))
        if kind:
            found.add(kind)
    if _ID_KEYWORD.search(folded):
        found.add(ID_NUMBER)
    if _BIRTH.search(folded):
        found.add(BIRTH_DATE)
    if _names(cased):
        found.add(NAME)
    if _ADDRESS.search(folded):
        found.add(ADDRESS)
    return [k for k in KINDS if k in found]
