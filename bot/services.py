"""The objects handlers need, built once per Application and kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from knowledge.qa import QAEngine
from knowledge.schema import Plan

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


def services_of(bot_data: dict[str, Any]) -> Services:
    return bot_data[SERVICES_KEY]
