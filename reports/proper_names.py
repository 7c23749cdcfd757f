"""Names that are not people's: Vietnam's provinces and districts (before the 2025 reform, as
in the plans), regions, and the organisations of the field.

Places come from the ``vietnam-provinces`` package (General Statistics Office codes, data of
January 2025), so that the privacy screen never reads a place as a person: "trẻ em Kon Rẫy",
"Hồ Chí Minh".
"""

from __future__ import annotations

import re
from functools import cache

#: Words that name an administrative level; the words after them name a place.
ADMIN_LEVELS: tuple[str, ...] = (
    "tỉnh", "thành phố", "tp", "quận", "huyện", "thị xã", "tx", "thị trấn", "tt", "xã",
    "phường", "province", "city", "district", "town", "commune", "ward",
)  # fmt: skip
_PREFIX = re.compile(r"^(?:Thành phố|Tỉnh|Quận|Huyện|Thị xã|Thị trấn|Xã|Phường)\s+")
#: Regions and other names the plans and officers use that no division carries.
_OTHER_PLACES = (
    "Việt Nam", "Sài Gòn", "Tây Nguyên", "Tây Bắc", "Đông Bắc", "Nam Bộ", "Bắc Bộ", "Trung Bộ",
    "Đồng bằng sông Cửu Long", "Đồng bằng sông Hồng", "Mê Kông", "Mekong", "Miền Tây",
    "Miền Trung", "Miền Bắc", "Miền Nam", "Duyên hải Nam Trung Bộ", "Bắc Trung Bộ",
    "Đông Nam Bộ", "Vietnam", "Viet Nam", "Ho Chi Minh City", "Hanoi", "Saigon",
)  # fmt: skip


#: Agencies and mass organisations officers name in reports and questions.
ORGANISATIONS = (
    "Đoàn Thanh niên", "Đoàn TNCS Hồ Chí Minh", "Thành Đoàn", "Tỉnh Đoàn", "Huyện Đoàn",
    "Hội Liên hiệp Phụ nữ", "Hội Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh",
    "Hội Chữ thập đỏ", "Hội Người cao tuổi", "Hội Khuyến học", "Mặt trận Tổ quốc",
    "Ủy ban Mặt trận Tổ quốc", "Ủy ban nhân dân", "Hội đồng nhân dân", "Tòa án nhân dân",
    "Viện Kiểm sát nhân dân", "Bộ đội Biên phòng", "Bảo hiểm xã hội", "Liên đoàn Lao động",
    "Trạm Y tế", "Trung tâm Y tế", "Bệnh viện", "Trung tâm Công tác xã hội",
    "Quỹ Bảo trợ trẻ em", "Tổng đài Quốc gia bảo vệ trẻ em", "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Y tế", "Bộ Giáo dục và Đào tạo", "Bộ Công an", "Bộ Tư pháp", "Cục Trẻ em",
    "Hội đồng Đội", "Đội Thiếu niên Tiền phong Hồ Chí Minh", "Liên hợp quốc", "Plan International",
    "World Vision", "Save the Children", "Child Protection", "Children's Village",
)  # fmt: skip


def strip_level(name: str) -> str:
    """``"Huyện Kon Rẫy"`` → ``"Kon Rẫy"`` (numbered wards such as "Quận 1" stay whole)."""
    short = _PREFIX.sub("", name.strip())
    return name.strip() if short.isdigit() else short


@cache
def known_names() -> tuple[str, ...]:
    """Every province and district name (without its level word), the regions and the
    organisations."""
    from vietnam_provinces.enums.districts import DistrictEnum, ProvinceEnum

    names = [strip_level(p.value.name) for p in ProvinceEnum]
    names += [strip_level(d.value.name) for d in DistrictEnum]
    return tuple(dict.fromkeys([*names, *_OTHER_PLACES, *ORGANISATIONS]))
