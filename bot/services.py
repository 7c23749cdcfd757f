"""The objects handlers need, built once per Application and kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from knowledge.answer_cache import AnswerCache
from knowledge.qa import QAEngine
from knowledge.schema import Plan
from storage.person_cache import PersonCache

if TYPE_CHECKING:
    from storage.db import Database

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    plans: dict[str, Plan]
    qa: QAEngine
    db: Database
    clock: Any  # reports.clock.Clock
    people: PersonCache = field(default_factory=PersonCache)
    answers: AnswerCache = field(init=False)

    def __post_init__(self) -> None:
        self.answers = AnswerCache(self.qa)


def services_of(bot_data: dict[str, Any]) -> Services:
    return bot_data[SERVICES_KEY]
