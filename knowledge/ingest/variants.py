"""Variants of the seed plans that change what varies between real documents, for the
robustness table (``python -m knowledge.ingest --robustness``; ``tests/test_ingest_variants.py``).

Each variant rewrites a seed's text the way another province's drafter might have written it;
the values and lead offices stay those of the seed's curated file, so a draft of the variant
is scored against it with no hand edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge.ingest import build_draft, score_plan, to_plan
from knowledge.ingest.score import curated_by_source
from knowledge.loader import SOURCES_DIR
from knowledge.schema import Plan

#: A target line of the seeds: "- Chỉ tiêu 12: text".
_TARGET = re.compile(
    r"(?m)^(?P<lead>[-+*\s]*)(?:\*\*)?Chỉ tiêu (?P<n>\d{1,2})(?:\*\*)?\s*:\s*(?P<body>.*)$")


def _targets(text: str, body: Callable[[str], str] | None = None,
             head: Callable[[re.Match[str]], str] | None = None) -> str:
    """Rewrite every target line: its head ("- Chỉ tiêu N: ") and/or its body."""
    def one(m: re.Match[str]) -> str:
        start = head(m) if head else m.group(0)[: m.start("body") - m.start()]
        return start + (body(m.group("body")) if body else m.group("body"))
    return _TARGET.sub(one, text)


def separators(sep: str) -> Callable[[str, Plan], str]:
    """Indicators joined by ``sep`` instead of ";"."""
    return lambda text, _plan: _targets(text, body=lambda b: b.replace("; ", sep))


def plain_numbers(text: str, _plan: Plan) -> str:
    """"1. Tỷ lệ …" under the targets heading: no "Chỉ tiêu" on each line."""
    return _targets(text, head=lambda m: f"{m.group('n')}. ")


def bold_numbers(text: str, _plan: Plan) -> str:
    """"**Chỉ tiêu 1.** Tỷ lệ …": Markdown left over from a converted file."""
    return _targets(text, head=lambda m: f"**Chỉ tiêu {m.group('n')}.** ")


def numbered_words(text: str, _plan: Plan) -> str:
    """"+ Chỉ tiêu số 1 - Tỷ lệ …"."""
    return _targets(text, head=lambda m: f"+ Chỉ tiêu số {m.group('n')} - ")


def decision_wrapper(text: str, plan: Plan) -> str:
    """The plan attached to a decision (Quyết định) that issues it."""
    place = plan.jurisdiction
    authority = "TỈNH" if plan.level == "province" else "THÀNH PHỐ" if plan.level == "city" \
        else "HUYỆN"
    head = (
        f"ỦY BAN NHÂN DÂN {authority} {place.upper()}\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 1234/QĐ-UBND\n"
        f"{place}, ngày 15 tháng 3 năm {plan.period_start}\n\n"
        "QUYẾT ĐỊNH\n"
        "Về việc ban hành Kế hoạch hành động vì trẻ em\n\n"
        f"CHỦ TỊCH ỦY BAN NHÂN DÂN {authority} {place.upper()}\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
        "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;\n"
        "Theo đề nghị của Giám đốc Sở Lao động - Thương binh và Xã hội.\n\n"
        "QUYẾT ĐỊNH:\n\n"
        "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch hành động vì trẻ em.\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân và Thủ trưởng các cơ quan, đơn vị có liên "
        "quan chịu trách nhiệm thi hành Quyết định này.\n\n"
        "(Ban hành kèm theo Quyết định số 1234/QĐ-UBND)\n\n"
    )
    return head + text


#: The district the "district" variant is written for.
DISTRICT = "Thử Nghiệm"


def another_level(level_word: str) -> Callable[[str, Plan], str]:
    """The same plan written for another unit: "tỉnh Trà Vinh", "thành phố Rạch Giá", "TỈNH
    TRÀ VINH" become "huyện Thử Nghiệm", "HUYỆN THỬ NGHIỆM" (or "xã …")."""
    return lambda text, plan: _relocated(text, plan, level_word)


def _relocated(text: str, plan: Plan, word: str) -> str:
    name = plan.jurisdiction.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    levels = r"(?:tỉnh|thành phố|huyện|thị xã|quận|TP\.?)"
    text = re.sub(rf"(?i)(?:ủy ban nhân dân|UBND)\s+{levels}\s+{re.escape(name)}",
                  f"Ủy ban nhân dân {word} {DISTRICT}", text)
    text = re.sub(rf"{levels}\s+{re.escape(name)}", f"{word} {DISTRICT}", text, flags=re.I)
    text = re.sub(rf"(?i){levels}\s+{re.escape(name.upper())}",
                  f"{word.upper()} {DISTRICT.upper()}", text)
    # the unit named by its level word only: "trên địa bàn huyện năm 2022"
    text = re.sub(r"(trên địa bàn|Ủy ban nhân dân)\s+(?:tỉnh|huyện|thành phố)\b(?!\s+[A-ZĐ])",
                  rf"\1 {word}", text)
    return text.replace(name, DISTRICT).replace(name.upper(), DISTRICT.upper())


def markdown_residue(text: str, _plan: Plan) -> str:
    """Headings marked "#", numbers in bold, long lines broken as a PDF export breaks them."""
    out = []
    for line in text.splitlines():
        if re.match(r"^[IVX]+\.\s", line):
            line = "## " + line
        line = re.sub(r"(\d+(?:[.,]\d+)?%)", r"**\1**", line)
        while len(line) > 90:
            cut = line.rfind(" ", 40, 90)
            if cut <= 0:
                break
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


def number_forms(text: str, _plan: Plan) -> str:
    """Decimal points for commas, a space before "%", years without "năm"."""
    def body(b: str) -> str:
        b = re.sub(r"(\d),(\d)", r"\1.\2", b)
        b = re.sub(r"(\d)%", r"\1 %", b)
        return re.sub(r"(vào|đến) năm (\d{4})", r"\1 \2", b)
    return _targets(text, body=body)


def table(text: str, plan: Plan) -> str:
    """The targets as a table: number, what is measured, one column per milestone year (as a
    Word table reads: one row per line, cells joined by " | ")."""
    years = sorted({v.year for t in plan.targets for i in t.indicators for v in i.values
                    if v.year is not None})
    yearly = any(v.year is None for t in plan.targets for i in t.indicators for v in i.values)
    head = ["STT", "Chỉ tiêu", *(f"Năm {y}" for y in years), *(["Hằng năm"] if yearly else [])]
    rows = ["| " + " | ".join(head) + " |"]
    for target in plan.targets:
        for k, indicator in enumerate(target.indicators):
            cells = [str(target.number) if k == 0 else "", indicator.label]
            for year in [*years, *([None] if yearly else [])]:
                found = [v for v in indicator.values if v.year == year]
                cells.append(" ".join(f"{v.comparator_text} {v.text}".strip() for v in found))
            rows.append("| " + " | ".join(cells) + " |")
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if _TARGET.match(line))
    kept = [line for i, line in enumerate(lines) if i < first or not _TARGET.match(line)]
    return "\n".join([*kept[:first], *rows, *kept[first:]])


def offices_table(text: str, plan: Plan) -> str:
    """Who leads each target as a table at the end of the implementation part ("Phụ lục"),
    instead of sentences: the sentences that name targets are taken out."""
    rows = ["PHỤ LỤC: PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU",
            "| Chỉ tiêu | Cơ quan chủ trì | Cơ quan phối hợp |"]
    for target in plan.targets:
        lead = "; ".join(o.name for o in target.lead or [])
        coordinating = "; ".join(o.name for o in target.coordinating or [])
        rows.append(f"| {target.number} | {lead} | {coordinating} |")
    mentions = re.compile(r"chỉ tiêu\s*(?:số\s*)?\d", re.I)
    start = next((i for i, line in enumerate(text.splitlines())
                  if re.search(r"TỔ CHỨC THỰC HIỆN|TRÁCH NHIỆM THỰC HIỆN", line)), 0)
    kept = [line for i, line in enumerate(text.splitlines())
            if i < start or not mentions.search(line)]
    return "\n".join([*kept, "", *rows])


VARIANTS: dict[str, Callable[[str, Plan], str]] = {
    "commas": separators(", "),
    "và": separators(" và "),
    "colons": separators(": "),
    "plain 1.": plain_numbers,
    "bold": bold_numbers,
    "số N -": numbered_words,
    "decision": decision_wrapper,
    "district": another_level("huyện"),
    "commune": another_level("xã"),
    "markdown": markdown_residue,
    "numbers": number_forms,
    "table": table,
    "offices table": offices_table,
}


@dataclass(frozen=True)
class Row:
    variant: str
    plan: str
    values: float
    leads: float
    problems: int


def robustness_rows(names: Iterable[str] | None = None,
                    sources_dir: Path | None = None) -> list[Row]:
    """Each variant of each seed with numbered targets, drafted and scored against the seed's
    curated file."""
    folder = sources_dir or SOURCES_DIR
    curated = {source: plan for source, plan in curated_by_source().items()
               if isinstance(plan, Plan) and plan.targets}
    rows = []
    for name in names or VARIANTS:
        for source, plan in sorted(curated.items()):
            text = VARIANTS[name]((folder / source).read_text(encoding="utf-8"), plan)
            draft = build_draft(text, source)
            score = score_plan(to_plan(draft), plan)
            rows.append(Row(name, plan.id, score.values_fraction or 0.0,
                            score.leads_fraction or 0.0, len(draft.problems)))
    return rows


def robustness_table(rows: list[Row]) -> str:
    """A Markdown table: one line per variant, values/leads right per plan."""
    plans = sorted({r.plan for r in rows})
    lines = ["| variant | " + " | ".join(plans) + " |", "|---|" + "---|" * len(plans)]
    for name in dict.fromkeys(r.variant for r in rows):
        cells = {r.plan: f"{r.values:.0%} / {r.leads:.0%}" for r in rows if r.variant == name}
        lines.append(f"| {name} | " + " | ".join(cells.get(p, "-") for p in plans) + " |")
    return "\n".join(lines)
