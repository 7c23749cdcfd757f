"""One pass over a report message's tokens: the counts it gives, in the many ways officers
write them, and what was not understood.

"xh 2", "xâm hại: 2", "xâm hại có 2 vụ", "2 vụ xâm hại", "xâm hại hai", "two injuries";
"không có ca nào", "còn lại 0" (every category not given is 0); "không có tảo hôn và xâm hại"
(each is 0); "xh 2 (bạo lực 2)", "tntt 1 (đuối nước)" (a breakdown without a number is the
total when it can only be); "bc t10 0 0 0" (three counts in the report's order).
"""

from __future__ import annotations

from kernel.counts import BREAKDOWNS, CATEGORIES
from reports.keywords import (
    CASE_NOUNS,
    FILLER,
    JOINERS,
    LINKS,
    OPENERS,
    REST,
    UNTRACKED,
    VOCABULARY,
    WORD_NUMBERS,
)
from reports.problems import Code, Problem
from reports.tokens import (
    Token,
    none_at,
    number_words_at,
    phrase_at,
    read_count_token,
    resolve,
    skip_phrases,
    tokens,
    words_at,
)

#: What may stand between a category and its count: "xâm hại: 2", "xh=2", "xh - 2" (a comma
#: ends the category: "tảo hôn, 2 ca xâm hại").
VALUE_PUNCT = ":=-"
#: The totals whose breakdowns cover every case: a missing total is their sum.
_COVERED = ("abuse",)


class Reader:
    """Reads ``folded`` (months already blanked); ``original`` is the cleaned text, for
    quoting numbers and report words back."""

    def __init__(self, original: str, folded: str) -> None:
        self.original, self.folded = original, folded
        self.tokens = tokens(folded)
        self.counts: dict[str, int] = {}
        #: Numbers and report words not understood, by position (they may be quoted back).
        self._unknown: list[tuple[int, str]] = []
        self.withheld = 0  # other words not understood: never quoted (they may be a name)
        self.value_problems: list[Problem] = []
        self.seen: dict[str, int] = {}  # field → times given
        self.none_rest = False  # "không có ca nào": every category not given is 0
        self.last_total: str | None = None
        self._no_number: list[str] = []  # breakdowns named without a number
        self._bare: list[Token] = []  # numbers on their own ("bc t10 0 0 0")
        self.derived: set[str] = set()  # totals worked out from their breakdowns

    # ------------------------------------------------------------------ the pass

    def read(self) -> Reader:
        i = 0
        while i < len(self.tokens):
            i = self._step(i)
        self._finish()
        return self

    def _step(self, i: int) -> int:
        tok = self.tokens[i]
        if tok.kind == "punct":
            return i + 1
        used, strong = none_at(self.tokens, i, self.folded)
        if used:
            after = self._none_fields(i + used)
            if after:  # "không có ca tảo hôn nào", "no abuse or marriage"
                return after
            if strong or (used > 1 and self._ends_at(i + used)):  # "tháng 10 không có"
                self.none_rest = True
                return i + used
        if before := self._count_before_field(i):
            return before
        if tok.kind == "num":
            self._bare.append(tok)
            return i + 1
        found, n = phrase_at(self.tokens, i, self.folded)
        if found is None:
            if tok.text in VOCABULARY:
                self._unknown.append((tok.start, self.original[tok.start : tok.end]))
            else:
                self.withheld += 1
            return i + 1
        phrase_end = self.tokens[i + n - 1].end
        i += n
        if found == FILLER:
            return i
        if found == REST:
            return self._rest(i)
        if found == UNTRACKED:  # "ngã 1": part of the injury total, not counted apart
            return self._skip_value(i)
        name = resolve(found, self.last_total)
        if name is None:
            self._unknown.append((tok.start, self.original[tok.start : phrase_end]))
            return i
        if self._same_field_after_slash(name, i):  # "accidents/injuries 2"
            i += 2
        self.last_total = BREAKDOWNS.get(name, name)
        return self._value_after(name, i)

    def _finish(self) -> None:
        """Bare numbers in order, breakdowns without numbers, a covered total's sum."""
        if len(self._bare) == 3 and not (self.counts or self.value_problems or self.withheld):
            values = [read_count_token(t, self.folded)[0] for t in self._bare]
            if all(v is not None for v in values):
                for name, value in zip(CATEGORIES, values, strict=True):
                    self._set(name, value)  # type: ignore[arg-type]
                self._bare = []
        self._unknown += [(t.start, self.original[t.start : t.end]) for t in self._bare]
        for name in self._no_number:
            total = BREAKDOWNS[name]
            value = self.counts.get(total)
            siblings = [n for n in self._no_number if BREAKDOWNS[n] == total]
            given = any(BREAKDOWNS.get(f) == total for f in self.counts)
            if value == 1 or (value is not None and len(siblings) == 1 and not given):
                self._set(name, value)  # "tntt 1 (đuối nước)", "xh 2 đều là bạo lực"
            else:
                self.value_problems.append(Problem.of(Code.MISSING_NUMBER, field=name))
        for total in _COVERED:
            parts = [v for f, v in self.counts.items() if BREAKDOWNS.get(f) == total]
            if total not in self.counts and parts and not self._troubled(total):
                self.counts[total] = sum(parts)  # "bạo lực 2, xâm hại tình dục 1"
                self.derived.add(total)

    # ------------------------------------------------------------------ pieces

    def _skip_punct(self, i: int, only: str | None = None) -> int:
        while i < len(self.tokens) and self.tokens[i].kind == "punct" and (
                only is None or self.tokens[i].text in only):
            i += 1
        return i

    def _skip_words(self, i: int, words: frozenset[str]) -> int:
        while i < len(self.tokens) and self.tokens[i].kind == "word" and (
                self.tokens[i].text in words):
            i += 1
        return i

    def _field_at(self, i: int) -> tuple[str | None, int]:
        """A category (after optional case nouns) at token ``i``: (field, next token)."""
        words = words_at(self.tokens, i, self.folded, 3)
        skipped = skip_phrases(words, 0, CASE_NOUNS)
        found, n = phrase_at(self.tokens, i + skipped, self.folded)
        if found is None or found in (FILLER, REST, UNTRACKED):
            return None, i
        return resolve(found, self.last_total), i + skipped + n

    def _none_fields(self, i: int) -> int:
        """After "không có"/"no": each category listed is 0 ("tảo hôn và xâm hại", "for abuse,
        injuries or child marriage"). Returns the next token, or 0 when none is listed."""
        end = 0
        while True:
            j = self._skip_words(self._skip_punct(i), JOINERS)
            name, after = self._field_at(j)
            if name is None or self._has_value(after):
                return end
            self.last_total = BREAKDOWNS.get(name, name)
            self._set(name, 0)
            end = i = after

    def _ends_at(self, i: int) -> bool:
        """Nothing but punctuation and filler words from token ``i`` on."""
        while i < len(self.tokens):
            if self.tokens[i].kind == "punct":
                i += 1
                continue
            found, n = phrase_at(self.tokens, i, self.folded)
            if found != FILLER:
                return False
            i += n
        return True

    def _rest(self, i: int) -> int:
        """ "còn lại 0", "the rest: không": every category not given is 0."""
        j = self._skip_punct(i, VALUE_PUNCT)
        read = number_words_at(self.tokens, j, self.folded) if j < len(self.tokens) else None
        tok = self.tokens[j] if j < len(self.tokens) else None
        if tok is not None and tok.kind == "num" and not tok.text.strip("0") and tok.text.isdigit():
            read = (0, 1)
        if read is None or read[0] != 0:
            return i
        self.none_rest = True
        return j + read[1]

    def _skip_value(self, i: int) -> int:
        j = self._skip_punct(i, VALUE_PUNCT)
        return j + 1 if j < len(self.tokens) and self.tokens[j].kind == "num" else i

    def _same_field_after_slash(self, name: str, i: int) -> bool:
        if i + 1 >= len(self.tokens) or self.tokens[i].text != "/":
            return False
        found, _ = phrase_at(self.tokens, i + 1, self.folded)
        return found == name

    def _count_before_field(self, i: int) -> int:
        """ "2 vụ xâm hại", "một ca tảo hôn", "two injuries": the count before its category,
        when the category has no number of its own. Returns the next token (0: not one)."""
        tok = self.tokens[i]
        if tok.kind == "num":
            value, shown = read_count_token(tok, self.folded)
            used = 1
        elif tok.kind == "word" and tok.text in WORD_NUMBERS:
            read = number_words_at(self.tokens, i, self.folded)
            if read is None:
                return 0
            value, used = read
            shown = ""
        else:
            return 0
        name, after = self._field_at(i + used)
        if name is None or self._has_value(after):
            return 0
        self.last_total = BREAKDOWNS.get(name, name)
        if value is None:
            self._wrong_value(name, shown)
        else:
            self._set(name, value)
        return after

    def _has_value(self, i: int) -> bool:
        i = self._skip_words(self._skip_punct(i, VALUE_PUNCT), LINKS)
        if i >= len(self.tokens):
            return False
        tok = self.tokens[i]
        return tok.kind == "num" or (
            tok.kind == "word" and number_words_at(self.tokens, i, self.folded) is not None)

    def _value_after(self, name: str, i: int) -> int:
        """The count after a category: digits, words ("hai", "không"), or a problem."""
        start = i
        i = self._skip_words(self._skip_punct(i, VALUE_PUNCT), LINKS)  # "xâm hại có 2"
        nxt = self.tokens[i] if i < len(self.tokens) else None
        if nxt is not None and nxt.kind == "num":
            value, shown = read_count_token(nxt, self.folded)
            if value is None:
                self._wrong_value(name, shown)
                return i + 1
            self._set(name, value)
            return self._same_in_words(i + 1, value)
        read = number_words_at(self.tokens, i, self.folded) if nxt is not None else None
        if read is not None:
            self._set(name, read[0])
            used, _ = none_at(self.tokens, i, self.folded)  # "không có ca nào" after a category
            return i + max(read[1], used)
        if name in BREAKDOWNS:
            self._no_number.append(name)  # decided at the end, from the total
        else:
            self.value_problems.append(Problem.of(Code.MISSING_NUMBER, field=name))
        return start

    def _same_in_words(self, i: int, value: int) -> int:
        """ "1 (một) vụ": the number repeated in words within brackets is skipped."""
        if i + 2 < len(self.tokens) and self.tokens[i].text == "(":
            read = number_words_at(self.tokens, i + 1, self.folded)
            close = i + 1 + read[1] if read else 0
            if read and read[0] == value and close < len(self.tokens) and (
                    self.tokens[close].text == ")"):
                return close + 1
        return i

    def _wrong_value(self, name: str, shown: str) -> None:
        """A number that is no count: negative ("-2") or not whole ("2.5", "10%")."""
        code = Code.NEGATIVE if shown.startswith("-") else Code.NOT_INTEGER
        self.value_problems.append(Problem.of(code, field=name, text=shown))

    def _set(self, name: str, value: int) -> None:
        self.seen[name] = self.seen.get(name, 0) + 1
        if name in self.counts and self.counts[name] != value:
            self.value_problems.append(
                Problem.of(Code.CONFLICT, field=name, first=self.counts[name], second=value)
            )
        elif name not in self.counts:
            self.counts[name] = value

    @property
    def unknown(self) -> list[str]:
        """Numbers and report words not understood, in the order typed."""
        return [text for _, text in sorted(self._unknown)]

    def _troubled(self, name: str) -> bool:
        return any(p.field == name for p in self.value_problems)

    @property
    def repeats(self) -> int:
        """How many times the report was given, when some category came more than once with
        the same number (a report pasted twice); 1 otherwise."""
        conflicted = {p.field for p in self.value_problems if p.code is Code.CONFLICT}
        times = [n for name, n in self.seen.items() if n > 1 and name not in conflicted]
        return max(times, default=1)


def starts_with_opener(words: list[str], within: int = 1) -> bool:
    """An opener ("báo cáo", "bc", "report") among the first ``within`` words."""
    for k in range(min(within, len(words))):
        if words[k] in _OPENER_FIRST and any(
                tuple(words[k : k + len(o)]) == o for o in OPENERS):
            return True
    return False


_OPENER_FIRST = frozenset(o[0] for o in OPENERS)
