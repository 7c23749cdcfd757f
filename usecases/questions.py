"""A question about the plans, as a chat message asks it: the one entry the Telegram handler,
the offline console (through the handler) and the question-set tests all call.

Questions are answered, never refused: they are neither stored nor logged. One that seems to
hold a child's details gets its answer with one line asking not to send such details.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from dataclasses import dataclass

from kernel.i18n import Translator, translator
from kernel.reply import Reply
from knowledge.answer_cache import AnswerCache
from reports.messages import privacy_note
from reports.privacy import Screen
from usecases.screening import ScreenSource


@dataclass(frozen=True)
class Answered:
    reply: Reply
    #: The question seemed to hold a child's details: it is not kept, not even in memory.
    holds_details: bool = False


class Questions:
    """Answers questions with the asker's plan and language."""

    def __init__(self, answers: AnswerCache, screens: ScreenSource) -> None:
        self.answers = answers
        self.screens = screens
        #: What the screen said of recent questions (officers repeat them), for the screen
        #: it was said by; as many as the answer cache keeps.
        self._verdicts: OrderedDict[str, bool] = OrderedDict()
        self._verdicts_of: Screen | None = None

    def answer(self, text: str, *, plan_id: str | None, tr: Translator) -> Answered:
        """The reply to ``text`` in the language it is written in when that is clear (else
        the asker's, ``tr``); ``plan_id``: the asker's plan (None: every plan)."""
        written_in = self.answers.engine.language(text)
        if written_in is not None and written_in != tr.locale:
            tr = translator(written_in)
        _answer, reply = self.answers.answer(text, plan_id, tr)
        if not self._holds_details(text):
            return Answered(reply)
        note = privacy_note(tr)
        noted = Reply(f"{html.escape(note) if reply.html else note}\n\n{reply.text}",
                      reply.buttons, reply.html)
        return Answered(noted, holds_details=True)

    def _holds_details(self, text: str) -> bool:
        screen = self.screens.screen
        if screen is not self._verdicts_of:  # the units changed: judge afresh
            self._verdicts.clear()
            self._verdicts_of = screen
        verdict = self._verdicts.get(text)
        if verdict is None:
            verdict = self._verdicts[text] = bool(screen.question(text))
            if len(self._verdicts) > self.answers.size:
                self._verdicts.popitem(last=False)
        return verdict
