"""The values of one monthly case report (counts only), shared by parsing, storage and
aggregation."""

from __future__ import annotations

from dataclasses import dataclass

#: Main categories, in the order officers report them.
CATEGORIES: tuple[str, ...] = ("abuse", "injury", "marriage")

#: Optional breakdowns and the total each belongs to.
BREAKDOWNS: dict[str, str] = {
    "abuse_violence": "abuse",  # bạo lực
    "abuse_sexual": "abuse",  # xâm hại tình dục
    "abuse_exploitation": "abuse",  # bóc lột
    "abuse_other": "abuse",  # khác
    "injury_drowning": "injury",  # đuối nước
    "injury_traffic": "injury",  # tai nạn giao thông
    "injury_deaths": "injury",  # tử vong
}

FIELDS: tuple[str, ...] = CATEGORIES + tuple(BREAKDOWNS)


@dataclass(frozen=True)
class CaseCounts:
    """Counts only: never names or identifying details."""

    abuse: int
    injury: int
    marriage: int
    abuse_violence: int | None = None
    abuse_sexual: int | None = None
    abuse_exploitation: int | None = None
    abuse_other: int | None = None
    injury_drowning: int | None = None
    injury_traffic: int | None = None
    injury_deaths: int | None = None

    def as_dict(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, int | None]) -> CaseCounts:
        return cls(**{k: v for k, v in data.items() if k in _FIELD_SET})


_FIELD_SET = frozenset(FIELDS)
