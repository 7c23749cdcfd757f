"""Every user-facing message has a Vietnamese translation, and formatting follows the locale."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot.i18n import _catalog, normalize_locale, translator

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["bot", "handlers", "knowledge", "reports", "storage"]


def _messages() -> set[str]:
    found: set[str] = set()
    for directory in SOURCE_DIRS:
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / directory,
            method_map=[("**.py", "python")],
            keywords={"gettext": None, "ngettext": (1, 2)},
        ):
            if isinstance(message, tuple):
                found.update(m for m in message if m)
            elif message:
                found.add(message)
    return found


def test_every_message_has_a_vietnamese_translation() -> None:
    catalog = _catalog("vi")
    missing = sorted(m for m in _messages() if catalog.gettext(m) == m and _needs_translation(m))
    assert not missing, "untranslated messages:\n" + "\n".join(missing)


def _needs_translation(message: str) -> bool:
    # Placeholders-only or symbol-only strings are the same in every language.
    stripped = "".join(ch for ch in message if ch.isalpha())
    return bool(stripped) and not message.startswith("{")


def test_numbers_follow_the_locale() -> None:
    assert translator("vi").number(98.5) == "98,5"
    assert translator("en").number(98.5) == "98.5"
    assert translator("vi").number(100000) == "100.000"
    assert translator("en").percent(0.985) == "98.5%"
    assert translator("vi").percent(0.125).startswith("12,5")


def test_locale_resolution() -> None:
    assert normalize_locale("vi-VN") == "vi"
    assert normalize_locale("en-US") == "en"
    assert normalize_locale("fr") == "en"
    assert normalize_locale(None) == "vi"
