"""Question answering over the plans: ``QAEngine(plans).ask(text, plan_id) -> Answer``."""

from knowledge.qa.answer import Answer, Kind, OfficeDuties, PlanPart, TargetPart
from knowledge.qa.engine import QAEngine

__all__ = ["Answer", "Kind", "OfficeDuties", "PlanPart", "QAEngine", "TargetPart"]
