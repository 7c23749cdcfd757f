"""Variants of the seed plans that change what varies between real documents, for the
robustness table (``python -m knowledge.ingest --robustness``; ``tests/test_ingest_variants.py``).

Each variant rewrites a seed's text the way another province's drafter might have written it;
the values and lead offices stay those of the seed's curated file, so a draft of the variant
is scored against it with no hand edits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.schema import Plan

#: A target line of the seeds: "- Chỉ tiêu 12: text".
_TARGET = re.compile(r"(?m)^(?P<lead>[-+*\s]*)(?:\*\*)?Chỉ tiêu (?P<n>\d{1,2})(?:\*\*)?\s*:\s*(?P<body>.*)$")


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


def another_level(text: str, plan: Plan) -> str:
    """The same plan written for another unit: its place name replaced by a district's."""
    return text.replace(plan.jurisdiction, "Huyện Thử Nghiệm").replace(
        plan.jurisdiction.upper(), "HUYỆN THỬ NGHIỆM")


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


VARIANTS: dict[str, Callable[[str, Plan], str]] = {
    "commas": separators(", "),
    "và": separators(" và "),
    "colons": separators(": "),
    "plain 1.": plain_numbers,
    "bold": bold_numbers,
    "số N -": numbered_words,
    "decision": decision_wrapper,
    "district": another_level,
    "markdown": markdown_residue,
    "numbers": number_forms,
}
