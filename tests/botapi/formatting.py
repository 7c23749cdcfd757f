"""Parse-mode checks like Telegram's: bad HTML / MarkdownV2 gives "can't parse entities"."""

from __future__ import annotations

import html
import re

HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s[^<>]*)?)>")
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


class ParseError(ValueError):
    """The text does not parse in the given parse mode (message is Telegram's description)."""


def plain_text(text: str, parse_mode: str | None) -> str:
    """Validate `text` for `parse_mode` and return what the user would see."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _html_plain(text)
    if mode == "markdownv2":
        return _mdv2_plain(text)
    return text


def _html_plain(text: str) -> str:
    stack: list[str] = []
    out: list[str] = []
    pos = 0
    while (lt := text.find("<", pos)) != -1:
        out.append(text[pos:lt])
        match = _TAG.match(text, lt)
        offset = len(text[:lt].encode("utf-8"))
        if not match:
            raise ParseError(f"Unsupported start tag at byte offset {offset}")
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in HTML_TAGS:
            raise ParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
        if closing:
            if not stack or stack[-1] != name:
                expected = f'expected "</{stack[-1]}>", ' if stack else ""
                raise ParseError(
                    f'Unmatched end tag at byte offset {offset}, {expected}found "</{name}>"'
                )
            stack.pop()
        else:
            stack.append(name)
        pos = match.end()
    out.append(text[pos:])
    if stack:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return html.unescape("".join(out))


def _mdv2_plain(text: str) -> str:
    out: list[str] = []
    toggles = {"*": 0, "_": 0, "~": 0, "||": 0}
    link_depth = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        offset = len(text[:i].encode("utf-8"))
        if ch == "\\":
            if i + 1 < n:
                out.append(text[i + 1])
            i += 2
            continue
        if ch == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end == -1:
                raise ParseError(f"Can't find end of Code entity at byte offset {offset}")
            out.append(text[i + len(fence) : end].replace("\\`", "`").replace("\\\\", "\\"))
            i = end + len(fence)
            continue
        if text.startswith("||", i):
            toggles["||"] ^= 1
            i += 2
            continue
        if ch in "*_~":
            toggles[ch] ^= 1
            i += 1
            continue
        if ch == "[" or (ch == "!" and text.startswith("![", i)):
            link_depth += 1
            i += 1 if ch == "[" else 2
            continue
        if ch == "]" and link_depth and text.startswith("](", i):
            end = text.find(")", i)
            if end == -1:
                raise ParseError(f"Can't find end of a URL at byte offset {offset}")
            link_depth -= 1
            i = end + 1
            continue
        if ch == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1
            continue
        if ch in _MDV2_RESERVED:
            raise ParseError(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(ch)
        i += 1
    for mark, open_ in toggles.items():
        if open_:
            raise ParseError(f"Can't find end of the entity starting with {mark!r}")
    if link_depth:
        raise ParseError("Can't find end of a TextUrl entity")
    return "".join(out)
