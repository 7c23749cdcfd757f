"""find_personal_data flags identifying details and leaves normal reports alone."""

from __future__ import annotations

import pytest

from reports.privacy import KINDS, find_personal_data


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SĐT mẹ cháu 0912345678", "phone"),
        ("liên hệ 0912 345 678", "phone"),
        ("liên hệ 0912.345.678", "phone"),
        ("gọi 091-234-5678", "phone"),
        ("+84 912 345 678", "phone"),
        ("+84912345678", "phone"),
        ("số bàn 028 3822 1234", "phone"),
        ("(028) 3822 1234", "phone"),
        ("CCCD 079203001234", "id_number"),
        ("số 079203001234", "id_number"),
        ("cmnd: 123456789", "id_number"),
        ("em Nguyễn Văn A 12 tuổi", "name"),
        ("chau Lan 7t", "name"),
        ("bé Hoa, 5 tuổi", "name"),
        ("cháu lan 7 tuổi bị đuối nước", "name"),
        ("em Nguyễn Thị Bình bị bạo lực", "name"),
        ("Trần Văn Nam, 14 tuổi", "name"),
        ("nạn nhân Hùng 15 tuổi", "name"),
        ("số 12 đường Lê Lợi", "address"),
        ("nhà số 45 thôn Đông", "address"),
        ("số nhà 7", "address"),
        ("12 đường Trần Phú", "address"),
        ("hẻm 34 Nguyễn Trãi", "address"),
        ("ấp 3", "address"),
        ("tổ 5", "address"),
        ("thôn Đông, nhà 12", "address"),
        ("mail: canbo.xa@gmail.com", "email"),
        ("sinh ngày 01/02/2015", "birth_date"),
        ("sinh nam 2015", "birth_date"),
        ("ns: 3/4/2016", "birth_date"),
        ("born 2014", "birth_date"),
    ],
)
def test_flags_personal_data(text: str, kind: str) -> None:
    assert kind in find_personal_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "báo cáo tháng 10/2025: xâm hại 2, tai nạn thương tích 5, tảo hôn 0",
        "bao cao t10 xh 2 tntt 5 th 0",
        "/report 2025-10 abuse 2 injury 5 marriage 0",
        "bc 10/2025 xam hai 2 (bao luc 1, tinh duc 1) tntt 5 trong do duoi nuoc 2 tao hon 0",
        "tháng 9: XH: 0; TNTT: 3; TH: 1",
        "Báo Cáo Tháng 10 XH 2 TNTT 5 TH 0",
        "Em báo cáo tháng 10/2025",
        "Em Xin báo cáo số liệu",
        "trẻ em dưới 16 tuổi",
        "bé gái 5 tuổi bị đuối nước",
        "trẻ em từ 6 đến 11 tuổi",
        "quyết định số 4063/QĐ-UBND ngày 12/10/2022",
        "kế hoạch 2021-2030",
        "xh 1.000 tntt 5 th 0",
        "chỉ tiêu 13 tảo hôn",
        "tỷ lệ 98,5%",
        "thống kê 01/2025 đến 06/2025",
        "",
    ],
)
def test_normal_text_is_not_flagged(text: str) -> None:
    assert find_personal_data(text) == []


def test_several_kinds_in_kind_order() -> None:
    found = find_personal_data("em Lan 7 tuổi, ấp 3, mẹ 0912345678, sinh ngày 1/2/2018")
    assert found == [k for k in KINDS if k in {"name", "address", "phone", "birth_date"}]


@pytest.mark.parametrize("text", ["a" * 4096, "1." * 2048, "Aaaa" * 1024, "em " * 1365])
def test_long_input_is_handled(text: str) -> None:
    assert isinstance(find_personal_data(text), list)
