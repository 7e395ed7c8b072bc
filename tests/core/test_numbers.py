"""One reader of typed numbers and money for the pages and the importer."""

from decimal import Decimal

import pytest
from django.utils import translation

from danvan.core.numbers import EntryError, read_money, read_number


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("350,5", "vi", Decimal("350.5")),
        ("0,5", "vi", Decimal("0.5")),
        ("1.234", "vi", Decimal("1234")),
        ("1.234", "en", Decimal("1.234")),
        ("89.7", "vi", Decimal("89.7")),
        ("١٢٬٥٠٠٫٥", "ar", Decimal("12500.5")),
        ("1 234 567,5", "vi", Decimal("1234567.5")),
    ],
    ids=["vi-decimal-comma", "vi-half", "vi-thousands", "en-decimal", "vi-point", "ar", "spaces"],
)
def test_numbers_as_each_language_writes_them(text, language, value):
    assert read_number(text, language=language) == value


@pytest.mark.parametrize(
    "text",
    ["38.000.000 ₫", "38.000.000đ", "38.000.000 đồng", "38000000", "38 000 000 VND", "₫38.000.000"],
    ids=["symbol", "d", "dong", "plain", "vnd", "symbol-first"],
)
def test_money_with_or_without_its_sign(text):
    assert read_money(text, language="vi") == 38_000_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("38.000.000,5 ₫", "has a fraction of a đồng"),
        ("abc", "is not a number"),
        ("₫", "is not a number"),
        ("", "is not a number"),
        ("1,80,000", "is not a number"),
    ],
    ids=["fraction", "letters", "sign-only", "empty", "bad-groups"],
)
def test_what_cannot_be_money_is_named(text, message):
    with translation.override("en"), pytest.raises(EntryError) as refusal:
        read_money(text, language="vi")
    assert message in refusal.value.message


def test_a_negative_amount_is_read_for_the_service_to_refuse():
    assert read_money("-5 ₫", language="vi") == -5
