"""Normalisation used to check that a fact appears in its source document."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_BULLET = re.compile(r"(?m)^\s*(?:[-+•]\s+)+")
_SPACE = re.compile(r"\s+")


def normalize_source(text: str) -> str:
    """Drop Markdown emphasis and bullet markers, collapse whitespace (page breaks too)."""
    text = _BULLET.sub("", text)
    text = _MARKDOWN.sub("", text)
    return _SPACE.sub(" ", text).strip()
