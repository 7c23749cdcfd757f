"""Numbers as officers type them: written in words ("chỉ tiêu mười bốn năm hai không hai lăm",
"target fourteen in twenty twenty-five"), and numbers no plan can mean ("ct -3", "năm 20255",
"2O25" with a letter O).

Words are read as a number only after a word that asks for one (chỉ tiêu, ct, mục tiêu,
nhóm, năm, target, goal, year, in, by, …) so that "năm" (five / year), "ba" (three / father)
and "sáu" (six / after) keep their everyday meaning elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.number_words import en_number, en_year, vi_number

#: Words after which a number is expected (folded).
NUMBER_BEFORE = frozenset({
    "ct", "tieu", "muc", "nhom", "tieuchi", "chi", "nam", "target", "targets", "goal", "group",
    "year", "in", "by", "for", "indicator", "number", "so", "den", "and", "va", "to", "until",
})

def spell_out_numbers(folded: str) -> str:
    """Number words after a word asking for a number, written as digits."""
    words = folded.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        year = en_year(words[i:])
        if year is not None:  # "twenty thirty" is a year wherever it stands
            out.append(str(year[0]))
            i += year[1]
            continue
        if out and out[-1] in NUMBER_BEFORE:
            read = vi_number(words[i:]) or en_number(words[i:])
            if read is not None and not (read[1] == 1 and words[i] in _AMBIGUOUS_ALONE):
                out.append(str(read[0]))
                i += read[1]
                continue
        out.append(words[i])
        i += 1
    return " ".join(out)


#: Single words that are numbers only with another number word ("năm" alone is "year").
_AMBIGUOUS_ALONE = frozenset({"nam", "tu", "le", "linh", "lam", "one", "oh"})


# ---------------------------------------------------------------------- impossible numbers


@dataclass(frozen=True)
class OddNumber:
    """A number no plan can mean, as typed."""

    kind: str  # "target" | "year"
    typed: str


_TARGET_WORD = r"(?:ch[iỉ]\s*ti[eêế]u|ct|target|indicator|m[uụ]c\s*ti[eê]u|goal)"
#: A target number no plan can have: negative, zero, three digits or more (not a year: "target
#: 2030" is the 2030 target), a decimal ("ct 3,5"), a letter stuck to it ("ct 2l").
_ODD_TARGET = re.compile(
    _TARGET_WORD + r"\s*(?:s[oố]\s*)?(?P<n>-\s*\d+|0+(?![\d.,])|(?!(?:19|20|21)\d\d\b)\d{3,}"
    r"|\d+[.,]\d+|\d+[a-zA-Z](?![a-zA-Z]))(?![\d%])", re.IGNORECASE)
_YEAR_WORD = r"(?:n[aă]m|year|in|by)"
#: A year no plan can mean: five digits or more, three digits, a letter O for a zero, or a
#: year before 2000 or from 2050 on.
_ODD_YEAR = re.compile(
    _YEAR_WORD + r"\s+(?P<n>\d{5,}|[12]\d{0,2}[oO][\doO]{0,3}|2\d[oO]\d|20\d(?!\d)"
    r"|\d{1,3}[oO]\d+|1\d{3}|20[5-9]\d|2[1-9]\d\d)(?![\d])", re.IGNORECASE)
#: A year-like number with a letter O typed for a zero, anywhere ("2O25").
_O_FOR_ZERO = re.compile(r"\b(?:2[oO]\d\d|20[oO]\d|2[oO][oO]\d)\b")


def odd_numbers(text: str) -> list[OddNumber]:
    """Targets and years typed so that no plan can mean them: "ct -3", "chỉ tiêu 0",
    "chỉ tiêu 140", "ct 3,5", "năm 20255", "năm 2O25", "năm 1025"."""
    found = [OddNumber("target", re.sub(r"\s+", "", m["n"])) for m in _ODD_TARGET.finditer(text)]
    found += [OddNumber("year", m["n"]) for m in _ODD_YEAR.finditer(text)]
    seen = {f.typed for f in found}
    found += [OddNumber("year", m.group(0)) for m in _O_FOR_ZERO.finditer(text)
              if m.group(0) not in seen]
    return found
