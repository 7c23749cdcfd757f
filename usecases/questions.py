"""A question about the plans, as a chat message asks it: the one entry the Telegram handler,
the offline console (through the handler) and the question-set tests all call.

Questions are answered, never refused: they are neither stored nor logged. One that seems to
hold a child's details gets its answer with one line asking not to send such details.
"""

from __future__ import annotations

import html

from bot.i18n import Translator
from bot.reply import Reply
from knowledge.answer_cache import AnswerCache
from reports.messages import privacy_note
from usecases.screening import ScreenSource


class Questions:
    """Answers questions with the asker's plan and language."""

    def __init__(self, answers: AnswerCache, screens: ScreenSource) -> None:
        self.answers = answers
        self.screens = screens

    def answer(self, text: str, *, plan_id: str | None, tr: Translator) -> Reply:
        """The reply to ``text``; ``plan_id``: the asker's plan (None: every plan)."""
        _answer, reply = self.answers.answer(text, plan_id, tr)
        if self.screens.screen.question(text):
            note = privacy_note(tr)
            reply = Reply(f"{html.escape(note) if reply.html else note}\n\n{reply.text}",
                          reply.buttons, reply.html)
        return reply

    def holds_details(self, text: str) -> bool:
        """Whether ``text`` seems to hold a child's details (then it is not kept, not even in
        memory)."""
        return bool(self.screens.screen.question(text))
