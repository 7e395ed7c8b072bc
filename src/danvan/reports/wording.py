"""Numbers and dates as a signed report writes them in its sentences, not as a table does.

A table shows whole đồng ("48.026.700.000"); a leader's report says "48.026,7 triệu đồng" or
"48 tỷ 26,7 triệu đồng", as the unit prefers (``models.MoneyStyle``), and never "₫". A date in
a sentence is written in full ("ngày 05 tháng 12 năm 2026", "5 December 2026"), never as
CLDR's abbreviations ("5 thg 12, 2026", "Dec 5, 2026").
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from danvan.core.formats import format_date, format_number
from danvan.reports.official_form import vietnamese_date

MILLION = 1_000_000
BILLION = 1_000_000_000


def prose_date(value: datetime.date, language: str) -> str:
    """A date in a sentence: the official Vietnamese form, or the language's long form."""
    if language == "vi":
        return vietnamese_date(value)
    return format_date(value, language, style="long")


def _millions(vnd: int) -> Decimal:
    """Millions of đồng to one decimal ("26,7"); a whole number shows no decimal."""
    value = (Decimal(vnd) / MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value.normalize() if value == value.to_integral_value() else value


# How each language writes a sum in words: locale data, like Babel's, not interface text (the
# words are those of the language's published reports).
MONEY_WORDS = {
    "vi": {
        "dong": "{amount} đồng",
        "millions": "{millions} triệu đồng",
        "billions": "{billions} tỷ đồng",
        "both": "{billions} tỷ {millions} triệu đồng",
    },
    "en": {
        "dong": "VND {amount}",
        "millions": "VND {millions} million",
        "billions": "VND {billions} billion",
        "both": "VND {billions} billion {millions} million",
    },
    "ar": {
        "dong": "{amount} دونغ",
        "millions": "{millions} مليون دونغ",
        "billions": "{billions} مليار دونغ",
        "both": "{billions} مليار و{millions} مليون دونغ",
    },
}


def prose_money(vnd: int, language: str, style: str = "millions") -> str:
    """A sum of money in a sentence, in the unit's style.

    ``millions``: "48.026,7 triệu đồng"; ``billions``: "48 tỷ 26,7 triệu đồng" (or "48 tỷ
    đồng" when the millions are none). A sum under a million is written in đồng.
    """
    words = MONEY_WORDS.get(language, MONEY_WORDS["vi"])
    vnd = int(vnd or 0)
    if abs(vnd) < MILLION:
        return words["dong"].format(amount=format_number(vnd, language))
    if style == "billions" and abs(vnd) >= BILLION:
        billions, rest = divmod(vnd, BILLION)
        millions = _millions(rest)
        if not millions:
            return words["billions"].format(billions=format_number(billions, language))
        return words["both"].format(
            billions=format_number(billions, language),
            millions=format_number(millions, language),
        )
    return words["millions"].format(millions=format_number(_millions(vnd), language))
