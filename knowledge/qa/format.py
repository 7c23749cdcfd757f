"""Locale-aware pieces of replies: values with units and comparators, labels, sources.

Everything returned is HTML-safe where it says so (``esc``); numbers follow the locale
(vi "9,5", en "9.5").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from kernel.i18n import N_, Translator
from knowledge.schema import Indicator, Plan, Target, Value

MAX_LABEL = 90
MAX_NOTE = 80


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def is_english(tr: Translator) -> bool:
    return tr.locale != "vi"


def plan_name(plan: Plan, tr: Translator) -> str:
    return plan.name_en if is_english(tr) else plan.name


def short_name(plan: Plan) -> str:
    """"Rạch Giá 2021–2030": what buttons and cross-plan lines call a plan."""
    period = (str(plan.period_start) if plan.period_start == plan.period_end
              else f"{plan.period_start}–{plan.period_end}")
    return f"{plan.jurisdiction} {period}"


def join_sections(sections: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(s for s in sections if s))


def source_line(plan: Plan, sections: Iterable[str], tr: Translator, short: bool = False) -> str:
    name = short_name(plan) if short else plan_name(plan, tr)
    joined = join_sections(sections)
    if joined:
        text = tr.gettext("Source: {plan}, section {section}", plan=name, section=joined)
    else:
        text = tr.gettext("Source: {plan}", plan=name)
    return f"<i>{esc(text)}</i>"


def indicator_label(ind: Indicator, tr: Translator) -> str:
    return ind.label_en if is_english(tr) else ind.label


def target_title(target: Target, tr: Translator, indicators: Iterable[Indicator] = ()) -> str:
    shown = list(indicators) or target.indicators
    labels = [indicator_label(i, tr) for i in shown[:2]]
    title = "; ".join(labels)
    if len(shown) > 2:
        title += "…"
    return clip(title, MAX_LABEL)


def number(value: float, tr: Translator) -> str:
    return tr.number(value)


_WRITTEN_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def as_written(value: float, text: str, tr: Translator) -> str:
    """In Vietnamese, the number as the document writes it ("6,0", "03", "8,05") when it is
    the value; else the value in the locale's format."""
    if tr.locale == "vi":
        for written in _WRITTEN_NUMBER.findall(text):
            plain = written.replace(".", "").replace(",", ".")
            try:
                if abs(float(plain) - value) < 1e-9:
                    return written
            except ValueError:
                continue
    return number(value, tr)


def with_unit(value: float, unit: str, tr: Translator, written: str = "") -> str:
    n = as_written(value, written, tr) if written else number(value, tr)
    if unit == "%":
        return f"{n}%"
    if unit == "‰":
        return f"{n}‰"
    if unit == "per_1000_live_births":
        return tr.gettext("{value} per 1,000 live births", value=n)
    if unit == "per_10000_children":
        return tr.gettext("{value} per 10,000 children", value=n)
    if unit == "per_100000_children":
        return tr.gettext("{value} per 100,000 children", value=n)
    if unit == "communes":
        count = int(value) if float(value).is_integer() else 2
        return tr.ngettext("{value} commune", "{value} communes", count, value=n)
    return n


def _comparator(v: Value, shown: str, tr: Translator) -> str:
    c = v.comparator
    if c == "reach":
        return tr.gettext("reach {value}", value=shown)
    if c == "below":
        return tr.gettext("under {value}", value=shown)
    if c == "down_to":
        return tr.gettext("down to {value}", value=shown)
    if c == "above":
        return tr.gettext("above {value}", value=shown)
    if c == "at_least":
        return tr.gettext("at least {value}", value=shown)
    if c == "at_most":
        return tr.gettext("at most {value}", value=shown)
    if c == "none":
        return tr.gettext("none")
    if c == "maintain":
        return tr.gettext("maintain {value}", value=shown)
    if c == "reduce_by":
        return tr.gettext("reduce by {value}", value=shown)
    return shown


def _note(v: Value, tr: Translator) -> str:
    """The qualifier of a value, without editorial remarks about the document's wording and
    without repeating the comparator ("duy trì 12% (duy trì)"); common qualifiers in English."""
    if not v.note:
        return ""
    parts = [p.strip() for p in v.note.split(";")]
    kept = [p for p in parts if p and "văn bản" not in p.lower() and "'" not in p
            and not (v.comparator == "maintain" and p.lower() == "duy trì")]
    if is_english(tr):
        kept = [_english_note(p, tr) for p in kept]
    return clip("; ".join(kept), MAX_NOTE)


def _english_note(text: str, tr: Translator) -> str:
    """Common Vietnamese qualifiers in English; other words (who is counted) stay as written."""
    for pattern, message, groups in _NOTE_PHRASES:
        text = pattern.sub(lambda m, msg=message, g=groups: tr.gettext(
            msg, **{k: m.group(i + 1) for i, k in enumerate(g)}), text)
    return text


_NOTE_PHRASES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"giai đoạn (?:từ năm )?(\d{4}) ?(?:-|đến năm) ?(\d{4})"), N_("{start}–{end}"),
     ("start", "end")),
    (re.compile(r"giai đoạn đến năm (\d{4})"), N_("period to {year}"), ("year",)),
    (re.compile(r"so với năm (\d{4})"), N_("compared with {year}"), ("year",)),
    (re.compile(r"h[ằà]ng năm so với cùng kỳ"), N_("yearly, year on year"), ()),
    (re.compile(r"so với cùng kỳ"), N_("year on year"), ()),
    (re.compile(r"h[ằà]ng năm"), N_("yearly"), ()),
    (re.compile(r"không nêu năm cụ thể"), N_("no specific year stated"), ()),
    (re.compile(r"không nêu năm"), N_("no year stated"), ()),
    (re.compile(r"khu vực thành thị|thành thị"), N_("urban"), ()),
    (re.compile(r"nông thôn"), N_("rural"), ()),
    (re.compile(r"trung bình"), N_("average"), ()),
    (re.compile(r"duy trì"), N_("maintain"), ()),
]


def value_text(v: Value, tr: Translator) -> str:
    """"dưới 9,5/1.000 trẻ đẻ sống" / "under 9.5 per 1,000 live births"."""
    if v.comparator == "range" and v.value is not None and v.value_max is not None:
        if tr.locale == "vi" and "-" in v.text:  # "1%-2%": as written
            body = tr.gettext("from {range}", range=v.text)
        else:
            # "2 đến 3%" or "1%-2%": keep the unit on the low end when the source does.
            unit_twice = v.unit in ("%", "‰") and v.text.count(v.unit) >= 2
            low = with_unit(v.value, v.unit, tr, v.text) if unit_twice else as_written(
                v.value, v.text, tr)
            body = tr.gettext("from {low} to {high}", low=low,
                              high=with_unit(v.value_max, v.unit, tr, v.text))
    elif v.value is None:
        body = tr.gettext("maintain") if v.comparator == "maintain" else esc(v.text)
    else:
        body = _comparator(v, with_unit(v.value, v.unit, tr, v.text), tr)
    note = _note(v, tr)
    if note:
        body += f" ({note})"
    elif v.year is None:
        body += " (" + tr.gettext("no year stated") + ")"
    return body


def values_text(values: Iterable[Value], tr: Translator) -> str:
    out = []
    for v in values:
        text = value_text(v, tr)
        out.append(f"{v.year}: {text}" if v.year is not None else text)
    return esc("; ".join(out))


def join_years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in years)
