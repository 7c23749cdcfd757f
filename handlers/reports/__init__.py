"""Monthly case reports in chat: one-message reports, the guided conversation, corrections."""

from handlers.reports.chat import REPORT_TEXT, conversation, handlers
from handlers.reports.prompts import command_descriptions, start_button_data

__all__ = ["REPORT_TEXT", "command_descriptions", "conversation", "handlers", "start_button_data"]
