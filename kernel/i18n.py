"""Translations and locale-aware formatting, resolved per call (never global state).

Message ids are English. ``make messages`` extracts them (babel.cfg) to
``kernel/locales/messages.pot`` and updates the catalogs
``kernel/locales/{vi,en}/LC_MESSAGES/messages.po``; a message id used through a variable is
marked with :func:`N_`. Catalogs are compiled in memory at first use, so there is no build
step and no stale ``.mo`` file.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
SUPPORTED = ("vi", "en")
DEFAULT = "vi"
DOMAIN = "messages"


def normalize_locale(code: str | None, default: str = DEFAULT) -> str:
    """Map a Telegram ``language_code`` (``vi``, ``en-US``...) to a supported locale."""
    if not code:
        return default
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED else ("en" if base else default)


@cache
def _catalog(locale: str) -> gettext.NullTranslations:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def N_(message: str) -> str:  # noqa: N802 - the conventional name extraction looks for
    """Mark a message id used through a variable, for extraction; translated where used."""
    return message


@dataclass(frozen=True)
class Translator:
    """Everything locale-dependent a reply needs: text, numbers, dates."""

    locale: str

    def gettext(self, message: str, **kwargs: object) -> str:
        text = _catalog(self.locale).gettext(message)
        return text.format(**kwargs) if kwargs else text

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **kwargs: object) -> str:
        text = _catalog(self.locale).ngettext(singular, plural, n)
        return text.format(n=n, **kwargs)

    def number(self, value: float | int, pattern: str | None = None) -> str:
        """``98.5`` → ``98,5`` (vi) / ``98.5`` (en); integers without decimals."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is int and pattern is None:
            return _integer(value, self.locale)
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, ratio: float) -> str:
        """A ratio as a percentage with up to two decimals (0.985 → 98,5%)."""
        return format_percent(ratio, "#,##0.##%", locale=self.locale)

    def date(self, value: date, fmt: str = "short") -> str:
        """``05/11/2025`` (vi), ``5 Nov 2025`` (en): Babel's short English date is
        month/day/year, which officers would read the other way round."""
        if fmt == "short":
            if self.locale == "vi":
                return value.strftime("%d/%m/%Y")
            return format_date(value, "d MMM y", locale=self.locale)
        return format_date(value, format=fmt, locale=self.locale)

    def date_time(self, value: datetime) -> str:
        """``05/11/2025 14:30`` (vi), ``5 Nov 2025, 14:30`` (en): never month/day/year."""
        if self.locale == "vi":
            return value.strftime("%d/%m/%Y %H:%M")
        return f"{format_date(value.date(), 'd MMM y', locale=self.locale)}, {value:%H:%M}"

    def month(self, year: int, month: int) -> str:
        """A reporting month: ``10/2025`` (vi), ``Oct 2025`` (en)."""
        if self.locale == "vi":
            return f"{month:02d}/{year}"
        return format_date(date(year, month, 1), "MMM y", locale=self.locale)


@lru_cache(maxsize=4096)
def _integer(value: int, locale: str) -> str:
    """Whole numbers recur (counts, years, populations): format each once per locale."""
    return format_decimal(value, locale=locale)


@cache
def translator(locale: str | None) -> Translator:
    return Translator(normalize_locale(locale))
