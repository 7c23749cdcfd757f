"""What the features work with, built once per Application and kept in ``bot_data``: the
plans, the engine, the database, the clock, caches and the settings they act on.

The settings are typed here by what the features read of them (:class:`FeatureSettings`);
``bot.settings.Settings`` reads them from the environment and is one.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from knowledge.answer_cache import AnswerCache
from knowledge.qa import QAEngine
from knowledge.schema import Plan
from storage.person_cache import PersonCache
from usecases.deadlines.policy import NudgePolicy
from usecases.questions import Questions
from usecases.screening import ScreenSource
from usecases.unit_plans import UnitPlans

if TYPE_CHECKING:
    from storage.db import Database

SERVICES_KEY = "services"


class FeatureSettings(Protocol):
    """The settings the features act on (bot.settings.Settings provides them)."""

    admin_ids: frozenset[int]
    default_language: str
    tz: str
    due_day: int
    due_day_by_plan: dict[str, int]
    lock_days: int
    invite_days: int
    bot_username: str
    work_start: time
    work_end: time
    nudge_before_days: tuple[int, ...]
    nudge_after_days: tuple[int, ...]
    nudge_interval: int
    shared_state: bool
    webapp_url: str | None

    @property
    def offline(self) -> bool: ...

    def due_day_for(self, plan_id: str | None) -> int: ...


@dataclass
class Services:
    settings: FeatureSettings
    plans: dict[str, Plan]
    qa: QAEngine
    db: Database
    clock: Any  # kernel.clock.Clock
    people: PersonCache = field(default_factory=PersonCache)
    answers: AnswerCache = field(init=False)
    #: The privacy screen (places, plan words, units) for what officers type.
    screens: ScreenSource = field(init=False)
    questions: Questions = field(init=False)
    #: The plan each unit follows: a registered officer's questions default to it.
    unit_plans: UnitPlans = field(init=False)
    #: The last question per user, kept in memory only (questions may contain anything, so
    #: they are never written to the database); answered again when the user picks a plan.
    last_questions: dict[int, str] = field(default_factory=dict)
    #: Update ids this Application handled recently (drops Telegram's re-deliveries).
    recent_update_ids: OrderedDict[int, None] = field(default_factory=OrderedDict)
    #: Sends reminders without holding up the update that asked for them (set by the bot's
    #: wiring: the reminder job's own sender, pacing and ledger).
    send_reminders: Callable[[Sequence[Any]], None] | None = None

    def __post_init__(self) -> None:
        self.answers = AnswerCache(self.qa)
        self.screens = ScreenSource(self.plans, self.db)
        self.questions = Questions(self.answers, self.screens)
        self.unit_plans = UnitPlans(self.db)

    async def refresh_units(self) -> None:
        """Read the units again (names for the privacy screen, plans for questions): at
        start-up, after a unit is added, renamed or moved here, and every few minutes."""
        await self.screens.refresh()
        await self.unit_plans.refresh()

    @cached_property
    def nudge_policy(self) -> NudgePolicy:
        """When reminders go out (due days, nudge days, working hours), from the settings."""
        return NudgePolicy.from_settings(self.settings)

    def remember_question(self, telegram_id: int, text: str) -> None:
        if len(self.last_questions) > 10_000:
            self.last_questions.clear()
        self.last_questions[telegram_id] = text[:500]


def services_of(bot_data: dict[str, Any]) -> Services:
    return bot_data[SERVICES_KEY]
