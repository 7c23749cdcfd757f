"""Messages about the whole plan written by someone who had not seen the bot's code
(tests/trials/plan_chat_trial.yaml), sent through the real Application over the loopback Bot
API as a stranger would: each reply must contain the phrases the item lists (quotes of the
source, sections, values), in the language of the question."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import yaml

from knowledge.normalize import fold
from tests.e2e_support import bot_world

TRIAL = Path(__file__).resolve().parent / "trials" / "plan_chat_trial.yaml"
WAIT = 30.0
FIRST_USER = 70_000
_TAG = re.compile(r"<[^>]+>")
#: The plan a question names, by its seed file, to pick from the buttons when it names none.
_PLAN_BUTTONS = {"000": "Rạch Giá", "001": "Kon Rẫy", "002": "Hồ Chí Minh", "003": "2024",
                 "004": "Trà Vinh 2021"}


def _shown(text: str | None) -> str:
    flat = " ".join(html.unescape(_TAG.sub("", text or "")).split())
    return unicodedata.normalize("NFC", flat).casefold()


def _has(reply: str, phrase: str) -> bool:
    wanted = _shown(phrase)
    return wanted in reply or fold(wanted) in fold(reply)


async def test_unseen_plan_questions_through_the_chat(tmp_path: Path) -> None:
    items = yaml.safe_load(TRIAL.read_text(encoding="utf-8"))
    assert len(items) >= 30 and all(item["contains"] for item in items)
    failures: list[str] = []
    async with bot_world(tmp_path) as (server, _app, _svc):
        for n, item in enumerate(items):
            user = FIRST_USER + n
            english = re.search(r"\b(?:what|who|which|does|the|plan)\b", item["q"].lower())
            replies = await server.ask(user, item["q"], timeout=WAIT,
                                       language_code="en" if english else "vi")
            texts = [r.text for r in replies]
            last = replies[-1]
            label = _PLAN_BUTTONS.get((item.get("plan") or "")[:3])
            if label and any(label in b["text"] for b in last.buttons):
                chosen = next(b["text"] for b in last.buttons if label in b["text"])
                more = await server.press(user, last, label=chosen, count=2, timeout=WAIT)
                texts += [r.text for r in more]
            reply = _shown("\n".join(t or "" for t in texts))
            missing = [p for p in item["contains"] if not _has(reply, p)]
            if missing:
                failures.append(f"{item['q']!r}: missing {missing}\n  {reply[:300]}")
    assert not failures, "\n".join(failures)
