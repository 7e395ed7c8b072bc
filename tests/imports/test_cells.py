"""Cell parsers: each notation read back exactly, and bad cells refused with their own error."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from babel import numbers as babel_numbers
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from danvan.imports.cells import (
    Catalogue,
    CellError,
    parse_bool,
    parse_date,
    parse_money,
    parse_number,
    parse_text,
    parse_whole,
)
from danvan.initiatives.catalogues import ContributionKind, Field


@pytest.fixture(autouse=True, scope="module")
def _english():
    """The messages are checked in English, whatever language an earlier test left active
    (Vietnamese, the default, has its own catalogue)."""
    with translation.override("en"):
        yield


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EASTERN_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1.234.567,5", "vi", "1234567.5"),
        ("1,234,567.5", "en", "1234567.5"),
        ("1,234,567.5", "vi", "1234567.5"),  # unambiguous whatever the language
        ("1.234.567,5", "en", "1234567.5"),
        ("١٬٢٣٤٬٥٦٧٫٥", "ar", "1234567.5"),
        ("۱٬۲۳۴٬۵۶۷٫۵", "ar", "1234567.5"),
        ("1.234", "vi", "1234"),
        ("1.234", "en", "1.234"),
        ("1,234", "vi", "1.234"),
        ("1,234", "en", "1234"),
        ("1,5", "en", "1.5"),
        ("89,7", "vi", "89.7"),
        ("1 234 567", "vi", "1234567"),
        ("1\u00a0234\u202f567,25", "vi", "1234567.25"),
        ("-12,5", "vi", "-12.5"),
        ("−12.5", "en", "-12.5"),
        ("\u061c-١٢٫٥", "ar", "-12.5"),
        (",5", "vi", "0.5"),
        ("0", "vi", "0"),
        (" 42 ", "vi", "42"),
    ],
)
def test_numbers_in_each_notation(text, language, expected):
    assert parse_number(text, language=language) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "1.2.3,4,5",
        "12,34,567",
        "1,23",
        "1..2",
        "1,2,3",
        "--1",
        "1e5",
        "NaN",
        "Infinity",
        "²",
        "١٢a",
        "1.234,567.8",
        "12 34",
        "+",
        "-",
        ".",
        "1 234.5,6",
    ],
)
def test_not_numbers_are_refused_with_the_raw_text(text):
    if text == "1,23":  # one comma, two digits: a decimal comma, which is a number
        assert parse_number(text, language="en") == Decimal("1.23")
        return
    with pytest.raises(CellError) as caught:
        parse_number(text, language="vi")
    assert text.strip() in caught.value.message


def test_numeric_cells_are_read_exactly():
    assert parse_number(89.7) == Decimal("89.7")
    assert parse_number(180000000.0) == Decimal("180000000.0")
    assert parse_number(7) == Decimal(7)
    for bad in (True, float("nan"), float("inf"), datetime.date(2024, 1, 1), Decimal("NaN")):
        with pytest.raises(CellError):
            parse_number(bad)


def _notation(number: Decimal, locale: str) -> str:
    return babel_numbers.format_decimal(
        number, locale=locale, numbering_system="default", decimal_quantization=False
    )


decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4, allow_nan=False
)


@settings(max_examples=300, deadline=None)
@given(number=decimals)
def test_vietnamese_notation_round_trips(number):
    assert parse_number(_notation(number, "vi_VN"), language="vi") == number


@settings(max_examples=300, deadline=None)
@given(number=decimals)
def test_english_notation_round_trips(number):
    assert parse_number(_notation(number, "en_US"), language="en") == number


@settings(max_examples=300, deadline=None)
@given(number=decimals, eastern=st.booleans())
def test_arabic_notation_round_trips(number, eastern):
    text = _notation(number, "ar_EG").translate(EASTERN_ARABIC_INDIC if eastern else ARABIC_INDIC)
    assert parse_number(text, language="ar") == number


@settings(max_examples=300, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**15), language=st.sampled_from(["vi", "en"]))
def test_money_round_trips_from_its_display(amount, language):
    from danvan.core.formats import format_money

    assert parse_money(format_money(amount, language), language=language) == amount


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=30))
def test_number_parsers_raise_only_their_own_error(text):
    for parser in (parse_number, parse_whole, parse_money):
        with contextlib.suppress(CellError):
            parser(text, language="vi")


@settings(max_examples=500, deadline=None)
@given(value=st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.booleans()))
def test_date_and_bool_parsers_raise_only_their_own_error(value):
    for parser in (parse_date, parse_bool):
        with contextlib.suppress(CellError):
            parser(value)


def test_money_is_whole_dong():
    assert parse_money("180.000.000 ₫", language="vi") == 180_000_000
    assert parse_money("180,000,000 VND", language="en") == 180_000_000
    assert parse_money("75.000.000đ", language="vi") == 75_000_000
    assert parse_money(350000000.0) == 350_000_000
    with pytest.raises(CellError, match="fraction of a đồng"):
        parse_money("1.234,5", language="vi")
    with pytest.raises(CellError, match="fraction of a đồng"):
        parse_money(10.5)
    with pytest.raises(CellError):
        parse_money("₫")


def test_whole_numbers_refuse_decimals():
    assert parse_whole("1.200", language="vi") == 1200
    with pytest.raises(CellError, match="whole number"):
        parse_whole("2,5", language="vi")


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_dates_round_trip_in_every_written_form(day):
    forms = [
        day.strftime("%d/%m/%Y"),
        day.isoformat(),
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.strftime("%d/%m/%Y").translate(ARABIC_INDIC),
        f"{day.isoformat()} 00:00:00",
    ]
    for form in forms:
        assert parse_date(form) == day, form
    serial = (day - datetime.date(1899, 12, 30)).days
    assert parse_date(serial) == day
    assert parse_date(float(serial) + 0.5) == day
    assert parse_date(datetime.datetime.combine(day, datetime.time(9, 30))) == day


@pytest.mark.parametrize(
    "text", ["12/25/2024", "31/02/2024", "2024", "24-1-5", "hôm qua", "1/1/24"]
)
def test_impossible_or_ambiguous_dates_are_refused(text):
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert text in caught.value.message


def test_a_year_alone_is_not_a_serial_date():
    with pytest.raises(CellError):
        parse_date(2024)


def test_yes_and_no_in_three_languages():
    for text in ("Có", "yes", "x", "1", "نعم", "TRUE"):
        assert parse_bool(text) is True
    for text in ("không", "No", "0", "لا", "", None):
        assert parse_bool(text) is False
    with pytest.raises(CellError):
        parse_bool("maybe")


def test_text_is_trimmed_and_capped():
    assert parse_text("  Khu 1  ") == "Khu 1"
    assert parse_text(12.0) == "12"
    with pytest.raises(CellError, match="longer than 5"):
        parse_text("abcdefg", max_length=5)


@pytest.mark.django_db
def test_catalogue_matches_code_or_any_label_ignoring_diacritics():
    fields = Catalogue.of_choices(Field)
    assert fields.match("economy") == Field.ECONOMY
    assert fields.match("ECONOMY") == Field.ECONOMY
    with translation.override("vi"):
        vietnamese = str(Field.CULTURE_SOCIETY.label)
    assert fields.match(vietnamese) == Field.CULTURE_SOCIETY
    assert fields.match("Culture–society") == Field.CULTURE_SOCIETY
    kinds = Catalogue.of_choices(ContributionKind)
    assert kinds.match("money") == ContributionKind.MONEY
    with pytest.raises(CellError, match="not in the list"):
        fields.match("Sports")


def test_catalogue_reports_an_ambiguous_name_with_its_candidates():
    catalogue = Catalogue([("a", ["Đường"]), ("b", ["duong"]), ("c", ["Cầu"])])
    assert catalogue.match("cau") == "c"
    with pytest.raises(CellError) as caught:
        catalogue.match("DUONG")
    assert "a, b" in caught.value.message


def test_a_catalogue_answers_a_cell_again_as_it_did_and_refuses_again_what_it_refused():
    """Matched cells are remembered as written (a file repeats its few values); refusals are
    not, each bad cell gets its own message."""
    catalogue = Catalogue([("a", ["Đường"]), ("b", ["duong"]), ("c", ["Cầu"])])
    assert [catalogue.match(cell) for cell in ("cầu", "cầu", " CAU ", "c")] == ["c"] * 4
    for _ in range(2):
        with pytest.raises(CellError, match="several"):
            catalogue.match("Duong")
        with pytest.raises(CellError, match="not in the list"):
            catalogue.match("cống")
