"""Monthly case reports in chat: one-message reports, the guided conversation, corrections."""

from handlers.reports.chat import REPORT_TEXT, conversation, handlers

__all__ = ["REPORT_TEXT", "conversation", "handlers"]
