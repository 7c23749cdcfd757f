"""Memoised replies: answers depend only on the (immutable) knowledge base and the inputs."""

from __future__ import annotations

from collections import OrderedDict

from kernel.i18n import Translator, translator
from kernel.reply import Reply
from knowledge.qa import Answer, QAEngine
from knowledge.render import render_answer


class AnswerCache:
    """An LRU of rendered replies keyed by (question, plan, locale); officers repeat questions."""

    def __init__(self, engine: QAEngine, size: int = 4096) -> None:
        self.engine = engine
        self.size = size
        self._items: OrderedDict[tuple[str, str | None, str], tuple[Answer, Reply]] = (
            OrderedDict()
        )

    def answer(self, text: str, plan_id: str | None, tr: Translator) -> tuple[Answer, Reply]:
        key = (" ".join(text.split()).casefold(), plan_id, tr.locale)
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        answer = self.engine.ask(text, plan_id=plan_id)
        item = (answer, render_answer(answer, translator(tr.locale)))
        self._items[key] = item
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return item
