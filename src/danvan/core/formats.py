"""Numbers, money, dates and percentages written for a language (``180.000.000 ₫`` in vi).

Django's own localisation knows separators but not currencies or Arabic date forms, so pages,
reports and narrative text all format through Babel here, with the active language by default.
"""

import datetime
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
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral_value() else value
    return babel_numbers.format_decimal(value, locale=locale_of(language))


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
