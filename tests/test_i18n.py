"""Every user-facing message has a Vietnamese translation, and formatting follows the locale."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from kernel.i18n import _catalog, normalize_locale, translator

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ["bot", "handlers", "usecases", "knowledge", "reports", "storage"]


def _messages() -> set[tuple[str, str | None]]:
    """(singular, plural or None) of every message the code translates."""
    found: set[tuple[str, str | None]] = set()
    for directory in SOURCE_DIRS:
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / directory,
            method_map=[("**.py", "python")],
            keywords={"gettext": None, "ngettext": (1, 2)},
        ):
            if isinstance(message, tuple):
                found.add((message[0], message[1]))
            elif message:
                found.add((message, None))
    return found


def _translated(singular: str, plural: str | None) -> bool:
    catalog = _catalog("vi")
    if plural is None:
        return catalog.gettext(singular) != singular
    return catalog.ngettext(singular, plural, 1) != singular


def test_every_message_has_a_vietnamese_translation() -> None:
    missing = sorted(
        singular
        for singular, plural in _messages()
        if _needs_translation(singular) and not _translated(singular, plural)
    )
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
