"""Figures are written the way each language writes them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from danvan.core.formats import format_date, format_money, format_number, format_percent


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "180.000.000\xa0₫"), ("en", "₫180,000,000"), ("ar", "\u200f180,000,000\xa0₫")],
)
def test_money_is_whole_dong_in_each_language(language, expected):
    assert format_money(180_000_000, language) == expected


def test_numbers_use_the_language_separators():
    assert format_number(1_234_567, "vi") == "1.234.567"
    assert format_number(Decimal("1200.50"), "vi") == "1.200,5"
    assert format_number(Decimal("1200.00"), "en") == "1,200"
    assert format_number(None) == ""


def test_percent_is_given_in_percent():
    assert format_percent(Decimal("87.5"), "vi") == "87,5%"
    assert format_percent(100, "en") == "100%"


def test_dates_follow_the_language():
    day = datetime.date(2024, 11, 30)
    assert format_date(day, "vi", style="short") == "30/11/24"
    # Vietnamese documents and messages write 01/07/2025 or "ngày 01 tháng 7 năm 2025", never
    # CLDR's "1 thg 7, 2025".
    assert format_date(datetime.date(2025, 7, 1), "vi") == "01/07/2025"
    assert format_date(datetime.date(2025, 7, 1), "vi", style="long") == (
        "ngày 01 tháng 7 năm 2025"
    )
    assert format_date(day, "en") == "Nov 30, 2024"
    assert "2024" in format_date(day, "ar")


def test_filters_follow_the_active_language():
    template = Template("{% load formats %}{{ v|money }} {{ n|number }} {{ d|day:'short' }}")
    context = Context({"v": 5_000_000, "n": 1500, "d": datetime.date(2025, 7, 1)})
    with translation.override("vi"):
        assert template.render(context) == "5.000.000\xa0₫ 1.500 1/7/25"
    with translation.override("en"):
        assert template.render(context) == "₫5,000,000 1,500 7/1/25"


def _babel(value, locale):
    """What ``format_number`` wrote before whole numbers were grouped by a format string."""
    from babel import numbers as babel_numbers

    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral_value() else value
    return babel_numbers.format_decimal(value, locale=locale)


@pytest.mark.parametrize("language", ["vi", "en", "ar"])
def test_whole_numbers_are_written_as_babel_writes_them(language):
    """Whole numbers are grouped by a format string, not Babel's pattern (a tenth of a
    dashboard's time); the text is Babel's, for every size and sign and for whole decimals."""
    import random

    from danvan.core.formats import LOCALES

    rng = random.Random(7)
    values = [0, 1, -1, 12, 999, 1000, -1000, 10**15, -(10**18) + 1]
    values += [rng.randint(-(10**13), 10**13) for _ in range(300)]
    values += [Decimal(rng.randint(-(10**9), 10**9)) * Decimal("1.00") for _ in range(50)]
    values += [Decimal("1E+3"), Decimal("12.50"), Decimal("-0.25"), Decimal("-0"), 1234.5]
    for value in values:
        assert format_number(value, language) == _babel(value, LOCALES[language]), value
