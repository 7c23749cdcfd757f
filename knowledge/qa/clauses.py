"""Several questions in one message: "nhóm 7 đuối nước giảm bao nhiêu %? Sở GD làm gì về
đuối nước", "có chỉ tiêu về đuối nước không, còn tai nạn thương tích thì phòng nào lo".

A message is cut where a question ends ("?", ";") or a new one starts with "còn" ("and as
for"); each part is then asked on its own (the engine decides whether the parts say more
than the whole).
"""

from __future__ import annotations

import re

#: Where one question ends and the next begins.
_BREAK = re.compile(
    r"\?+\s*"  # "...bao nhiêu? ai chủ trì"
    r"|;\s+"  # "...; Sở Y tế làm gì"
    r"|[,.]\s+(?=(?:thế |vậy |the |vay )?(?:còn|con)\s(?!nuôi|nuoi|cái|cai|em\b|người|nguoi))",
    re.IGNORECASE,
)
#: Words that open a follow-up question and say nothing themselves.
_OPENING = re.compile(r"^(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con|and|also)\s+", re.IGNORECASE)
#: A part needs this many words to be a question of its own.
MIN_WORDS = 3


def split_questions(text: str) -> list[str]:
    """The questions of a message, in order (one item when it asks one thing)."""
    parts = [_OPENING.sub("", p.strip(" ,.")) for p in _BREAK.split(text or "")]
    parts = [p for p in parts if len(p.split()) >= MIN_WORDS]
    return parts if len(parts) > 1 else [text]
