"""Replies that fit a phone: long ones lose list items and say how to narrow down."""

from __future__ import annotations

import html
import re

from kernel.i18n import Translator
from knowledge.qa.format import esc

#: Visible characters a reply may have (about two phone screens).
MAX_REPLY = 1100
_TAG = re.compile(r"<[^>]+>")


def _shown(line: str) -> int:
    return len(html.unescape(_TAG.sub("", line))) + 1


def fit(text: str, tr: Translator) -> str:
    """``text`` within MAX_REPLY visible characters: list items ("• ...") are dropped, one at a
    time from the end of the longest run of items (every run keeps its first item, so each plan
    keeps something to show), as whole lines (so the HTML stays balanced), and a hint says how
    to narrow the question down."""
    lines = text.split("\n")
    total = sum(_shown(line) for line in lines)
    if total <= MAX_REPLY:
        return text
    kept = [line.startswith("• ") for line in lines]  # True: an item still shown
    dropped: set[int] = set()
    while total + _HINT_LEN > MAX_REPLY:
        runs = [r for r in _item_runs(kept, dropped) if len(r) > 1]
        if not runs:
            break
        last = max(runs, key=lambda r: (len(r), r[0]))[-1]
        dropped.add(last)
        total -= _shown(lines[last])
    if not dropped:
        return text
    hint = tr.ngettext("({n} more item not shown. Ask a narrower question: add a target number, "
                       "a year or a plan.)",
                       "({n} more items not shown. Ask a narrower question: add a target "
                       "number, a year or a plan.)", len(dropped))
    shown = [line for i, line in enumerate(lines) if i not in dropped]
    at = len(shown) - 1 if shown[-1].endswith(":") else len(shown)  # before "Choose ...:"
    shown.insert(at, f"<i>{esc(hint)}</i>")
    return "\n".join(shown)


_HINT_LEN = 110


def _item_runs(items: list[bool], dropped: set[int]) -> list[list[int]]:
    """Runs of consecutive item lines not yet dropped (a dropped line still ends a run)."""
    runs: list[list[int]] = [[]]
    for i, is_item in enumerate(items):
        if is_item and i not in dropped:
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]
