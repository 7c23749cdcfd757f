"""Translations: the template holds every message id the code uses (babel.cfg), both catalogs
are complete and compile, and formatting follows the locale."""

from __future__ import annotations

import io
import re
import string
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kernel.i18n import LOCALES_DIR, SUPPORTED, normalize_locale, translator

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"N_": None, "gettext": None, "ngettext": (1, 2)}


@cache
def extracted() -> frozenset[str]:
    """Every message id the code marks, extracted as ``make messages`` does (babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return frozenset(found)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _ids(catalog: Catalog) -> set[str]:
    return {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id}


def test_the_template_is_up_to_date() -> None:
    template = _ids(_read(LOCALES_DIR / "messages.pot"))
    code = set(extracted())
    assert len(code) > 400
    assert not code - template, f"run make messages; not in the template: {code - template}"
    assert not template - code, f"run make messages; no longer used: {template - code}"


def _needs_translation(message: str) -> bool:
    # Placeholders or symbols only ("{start}–{end}", ", ") read the same in every language.
    return any(ch.isalpha() for ch in re.sub(r"\{[^}]*\}", "", message))


def test_both_catalogs_are_complete_and_compile() -> None:
    template = _ids(_read(LOCALES_DIR / "messages.pot"))
    for locale in SUPPORTED:
        catalog = _read(LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po", locale)
        assert _ids(catalog) == template, f"{locale}: run make messages"
        assert not [m.id for m in catalog if m.id and m.fuzzy], f"{locale}: fuzzy entries"
        if locale == "vi":
            untranslated = [m.id for m in catalog if m.id and _needs_translation(
                m.id[0] if isinstance(m.id, tuple) else m.id) and not (
                m.string[0] if isinstance(m.string, tuple) else m.string)]
            assert not untranslated, "untranslated:\n" + "\n".join(map(str, untranslated))
        # Babel's %-format check; brace placeholders ("{change}% ...") are checked below.
        problems = [(m.id, errors) for m, errors in catalog.check()
                    if errors and "{" not in str(m.id)]
        assert not problems, f"{locale}: {problems[:5]}"
        write_mo(io.BytesIO(), catalog)  # compiles


def test_placeholders_are_kept_in_translation() -> None:
    catalog = _read(LOCALES_DIR / "vi" / "LC_MESSAGES" / "messages.po", "vi")
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(_fields(ids[0])) | (set(_fields(ids[1])) if len(ids) > 1 else set())
        for text in strings:
            assert set(_fields(text)) <= wanted | {"n"}, (message.id, text)


def _fields(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def test_numbers_follow_the_locale() -> None:
    assert translator("vi").number(98.5) == "98,5"
    assert translator("en").number(98.5) == "98.5"
    assert translator("vi").number(100000) == "100.000"
    assert translator("en").percent(0.985) == "98.5%"
    assert translator("vi").percent(0.125).startswith("12,5")


def test_dates_follow_the_locale_never_month_day_year() -> None:
    day = date(2025, 11, 5)
    assert translator("vi").date(day) == "05/11/2025"
    assert translator("en").date(day) == "5 Nov 2025"
    moment = datetime(2025, 11, 5, 14, 30)
    assert translator("vi").date_time(moment) == "05/11/2025 14:30"
    assert translator("en").date_time(moment) == "5 Nov 2025, 14:30"


def test_locale_resolution() -> None:
    assert normalize_locale("vi-VN") == "vi"
    assert normalize_locale("en-US") == "en"
    assert normalize_locale("fr") == "en"
    assert normalize_locale(None) == "vi"
