"""English labels for the national template's indicators, found by key Vietnamese phrases."""

from __future__ import annotations

#: (phrases that must all occur in the label, lower case) -> English label. First match wins.
INDICATOR_LABELS: list[tuple[tuple[str, ...], str]] = [
    (
        ("tiêu chuẩn phù hợp với trẻ em",),
        "Share of communes/wards meeting child-friendly standards",
    ),
    (
        ("đến 8 tuổi", "phát triển toàn diện"),
        "Share of children up to age 8 with access to comprehensive development care services",
    ),
    (("tử vong", "sơ sinh"), "Neonatal mortality rate per 1,000 live births"),
    (("tử vong", "dưới 1 tuổi"), "Under-1 mortality rate per 1,000 live births"),
    (("tử vong", "dưới 5 tuổi"), "Under-5 mortality rate per 1,000 live births"),
    (("suy dinh dưỡng", "cân nặng"), "Share of children under 5 underweight (weight-for-age)"),
    (("suy dinh dưỡng", "chiều cao"), "Share of children under 5 stunted (height-for-age)"),
    (("béo phì",), "Share of children under 5 with overweight or obesity"),
    (("tiêm chủng", "dưới 1 tuổi"), "Share of children under 1 fully immunised with 8 vaccines"),
    (("tiêm chủng", "dưới 5 tuổi"), "Children under 5 fully immunised with all vaccines"),
    (("hiv",), "Mother-to-child HIV transmission rate"),
    (("vệ sinh",), "Educational establishments for children with sanitation facilities"),
    (
        ("hoàn cảnh đặc biệt", "chăm sóc"),
        "Children in special circumstances who are cared for, nurtured and assisted",
    ),
    (("hoàn cảnh đặc biệt",), "Share of children in special circumstances among all children"),
    (("bạo lực",), "Cases of violence against and abuse of children"),
    (("xâm hại",), "Rate of child abuse"),
    (("lao động trẻ em",), "Child labour among children and minors aged 5 to 17"),
    (("tử vong", "tai nạn thương tích"), "Rate of child deaths from injuries"),
    (("tai nạn thương tích",), "Rate of child injuries"),
    (("thiên tai",), "Children affected by disasters who receive timely relief and support"),
    (("tảo hôn",), "Annual reduction in the number of child marriages"),
    (("khai sinh",), "Share of children under 5 with birth registration"),
    (
        ("dưới 5 tuổi", "phát triển"),
        "Share of children under 5 developing appropriately in health, learning and psychosocial "
        "well-being",
    ),
    (("mẫu giáo",), "Enrolment rate of 5-year-olds in kindergarten"),
    (("hoàn thành", "tiểu học"), "Primary school completion rate"),
    (("bỏ học", "tiểu học"), "Primary school dropout rate"),
    (("hoàn thành", "trung học cơ sở"), "Lower secondary school completion rate"),
    (("bỏ học", "trung học cơ sở"), "Lower secondary school dropout rate"),
    (("tâm lý", "trường học"), "Schools with psychological support services for children"),
    (
        ("trường học", "khuyết tật"),
        "Share of schools with infrastructure and materials suitable for students with "
        "disabilities",
    ),
    (
        ("khuyết tật",),
        "Share of children with disabilities with access to specialised or inclusive education "
        "and rehabilitation",
    ),
    (("điểm văn hóa",), "Share of communes/wards with cultural and play spaces for children"),
    (("hỏi ý kiến",), "Children aged 7 and over consulted on issues affecting children"),
    (
        ("nhận thức", "quyền tham gia"),
        "Children with improved awareness and capacity regarding their right to participation",
    ),
    (("11 tuổi",), "Share of children aged 11 and over taking part in participation activities"),
]


def english_label(label: str) -> str | None:
    """The template's English label for a Vietnamese indicator label, if recognised."""
    folded = label.casefold()
    for phrases, english in INDICATOR_LABELS:
        if all(p in folded for p in phrases):
            return english
    return None
