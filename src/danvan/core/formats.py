"""Numbers, money, dates and percentages written for a language (``180.000.000 ₫`` in vi).

Django's own localisation knows separators but not currencies or Arabic date forms, so pages,
reports and narrative text all format through Babel here, with the active language by default.
"""

import datetime
import functools
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import translation

# Django's language codes to Babel's locales.
LOCALES = {"vi": "vi_VN", "en": "en_US", "ar": "ar"}

# Vietnamese official writing dates a day as 01/07/2025, or in words as "ngày 01 tháng 7 năm
# 2025"; CLDR's own Vietnamese forms ("1 thg 7, 2025", "1 tháng 7, 2025") are neither, so these
# patterns stand in for them. The short form (30/11/24) is already the Vietnamese one.
DATE_PATTERNS = {
    "vi": {"medium": "dd/MM/y", "long": "'ngày' dd 'tháng' M 'năm' y"},
}


def locale_of(language: str | None = None) -> str:
    """Return the Babel locale for ``language`` (the active language when None)."""
    code = (language or translation.get_language() or "vi").split("-")[0]
    return LOCALES.get(code, LOCALES["vi"])


def format_money(vnd: int | None, language: str | None = None) -> str:
    """Whole đồng with the symbol where the language puts it: ``180.000.000 ₫``."""
    if vnd is None:
        return ""
    return babel_numbers.format_currency(
        vnd, "VND", locale=locale_of(language), currency_digits=True
    )


def format_number(value: int | float | Decimal | None, language: str | None = None) -> str:
    """A count or a quantity, with the language's grouping and decimal signs."""
    if value is None:
        return ""
    locale = locale_of(language)
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            return babel_numbers.format_decimal(value, locale=locale)
        if value.is_zero() and value.is_signed():  # Babel writes "-0"
            return babel_numbers.format_decimal(value.normalize(), locale=locale)
        value = int(value)
    if type(value) is int and (group := _whole_number_group(locale)) is not None:
        grouped = f"{abs(value):,}".replace(",", group)
        return f"-{grouped}" if value < 0 else grouped
    return babel_numbers.format_decimal(value, locale=locale)


@functools.cache
def _whole_number_group(locale: str) -> str | None:
    """The sign ``locale`` groups a whole number's thousands with, when Babel writes whole
    numbers as Western digits grouped by threes with a plain minus (vi, en and ar do); else
    None, and each number goes through Babel.

    A dashboard writes a hundred figures; Babel reads the locale's pattern for each of them
    (40–50 µs a number, 5 ms a page), where grouping a whole number by threes is a format
    string. Babel's own output for a few numbers decides, so the two cannot differ."""
    group = babel_numbers.get_group_symbol(locale)
    for probe in (0, 7, 999, 1000, -1234567, 9876543210):
        expected = f"{abs(probe):,}".replace(",", group)
        expected = f"-{expected}" if probe < 0 else expected
        if babel_numbers.format_decimal(probe, locale=locale) != expected:
            return None
    return group


def format_percent(value: int | float | Decimal | None, language: str | None = None) -> str:
    """A percentage given in percent (``87.5`` → ``87,5%`` in vi), up to one decimal."""
    if value is None:
        return ""
    return babel_numbers.format_percent(
        Decimal(str(value)) / 100, format="#,##0.#%", locale=locale_of(language)
    )


def format_date(
    value: datetime.date | None, language: str | None = None, *, style: str = "medium"
) -> str:
    """A date in the language's ``short``, ``medium`` or ``long`` form."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    locale = locale_of(language)
    pattern = DATE_PATTERNS.get(locale.split("_")[0], {}).get(style, style)
    return babel_dates.format_date(value, format=pattern, locale=locale)
