"""The objects handlers need, built once per Application and kept in ``bot_data``."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from knowledge.answer_cache import AnswerCache
from knowledge.qa import QAEngine
from knowledge.schema import Plan
from storage.person_cache import PersonCache
from usecases.questions import Questions
from usecases.screening import ScreenSource

if TYPE_CHECKING:
    from storage.db import Database

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    plans: dict[str, Plan]
    qa: QAEngine
    db: Database
    clock: Any  # kernel.clock.Clock
    people: PersonCache = field(default_factory=PersonCache)
    answers: AnswerCache = field(init=False)
    #: The privacy screen (places, plan words, units) for what officers type.
    screens: ScreenSource = field(init=False)
    questions: Questions = field(init=False)
    #: The last question per user, kept in memory only (questions may contain anything, so
    #: they are never written to the database); answered again when the user picks a plan.
    last_questions: dict[int, str] = field(default_factory=dict)
    #: Update ids this Application handled recently (drops Telegram's re-deliveries).
    recent_update_ids: OrderedDict[int, None] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.answers = AnswerCache(self.qa)
        self.screens = ScreenSource(self.plans, self.db)
        self.questions = Questions(self.answers, self.screens)

    def remember_question(self, telegram_id: int, text: str) -> None:
        if len(self.last_questions) > 10_000:
            self.last_questions.clear()
        self.last_questions[telegram_id] = text[:500]


def services_of(bot_data: dict[str, Any]) -> Services:
    return bot_data[SERVICES_KEY]
