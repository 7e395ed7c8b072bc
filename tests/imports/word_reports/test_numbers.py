"""Vietnamese numbers and units as people write them, and what the reader refuses to guess."""

from decimal import Decimal

import pytest

from danvan.imports.word_reports.numbers import EN, VI, convention, parse_number
from danvan.imports.word_reports.prose import figures_in


@pytest.mark.parametrize(
    ("raw", "habit", "value", "unsure"),
    [
        ("1.200", VI, "1200", False),
        ("7,1", VI, "7.1", False),
        ("7.1", VI, "7.1", False),  # one digit after the sign: a decimal whatever the habit
        ("180.000.000", VI, "180000000", False),
        ("180,000,000", VI, "180000000", False),
        ("1.200,5", VI, "1200.5", False),
        ("1,200.5", VI, "1200.5", False),
        ("89,5", VI, "89.5", False),
        ("1,200", EN, "1200", False),
        ("1,200", VI, "1.200", True),  # a Vietnamese writer does not group with ","
        ("1.200", EN, "1.200", True),
        ("0,125", VI, "0.125", False),
    ],
    ids=lambda value: str(value),
)
def test_numbers_are_read_both_ways(raw, habit, value, unsure):
    reading = parse_number(raw, habit)
    assert reading.value == Decimal(value)
    assert reading.unsure is unsure


@pytest.mark.parametrize("raw", ["1.2.3,4,5", "12.34.567", "1,2,3"], ids=str)
def test_malformed_numbers_are_not_read(raw):
    assert parse_number(raw) is None


def test_the_document_habit_is_voted_by_unambiguous_numbers():
    assert convention("7,1 km; 180.000.000 đồng; 1,200 m²") == VI
    assert convention("7.1 km; 180,000,000 đồng; 1.200 m²") == EN
    assert convention("1.200 m²") == VI  # nothing unambiguous: the Vietnamese habit


def _read(text: str) -> list[tuple]:
    return [(f.value, f.unit, f.qualifier, f.unsure) for f in figures_in(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hơn 180 triệu đồng", [(Decimal(180_000_000), "vnd", "more_than", False)]),
        ("1,2 tỷ đồng", [(Decimal(1_200_000_000), "vnd", "", False)]),
        ("1 tỷ 200 triệu đồng", [(Decimal(1_200_000_000), "vnd", "", False)]),
        ("96.000.000đ", [(Decimal(96_000_000), "vnd", "", False)]),
        ("15.000.000 VNĐ", [(Decimal(15_000_000), "vnd", "", False)]),
        ("7,1 km", [(Decimal("7.1"), "km", "", False)]),
        ("916 m", [(Decimal(916), "m", "", False)]),
        ("gần 1.200 m²", [(Decimal(1200), "m2", "nearly", False)]),
        ("1.200m2", [(Decimal(1200), "m2", "", False)]),
        ("0,5 ha", [(Decimal(5000), "m2", "", False)]),
        ("96%", [(Decimal(96), "percent", "", False)]),
        ("khoảng 34 vườn tạp", [(Decimal(34), "count", "about", False)]),
        ("45 hộ", [(Decimal(45), "households", "", False)]),
        ("2.350 ngày công", [(Decimal(2350), "person_days", "", False)]),
        ("trên 250 người", [(Decimal(250), "people", "more_than", False)]),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_figures_with_units(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "năm 2024, khu 1, 3, 4",
        "10/10 thôn đạt chuẩn",
        "Quyết định số 1234/QĐ-UBND ngày 12/3/2024",
        "đường bê tông rộng 3 m",
        "mở rộng lên từ 5 m trở lên",
        "thu từ 80 đến 120 triệu đồng",
        "vay bình quân 20 triệu đồng/hộ",
        "tăng 3,2% so với năm trước",
        "đăng ký 138 mô hình",
        "SIM 2G sang 4G",
    ],
    ids=str,
)
def test_numbers_that_are_not_figures(text):
    assert _read(text) == []


def test_what_the_reader_leaves_for_the_person():
    """A number pasted in the other habit, "mỗi nhà …", and "trên" before a length."""
    assert [f.unsure for f in figures_in("lát 1,200 m² sân")] == [True]
    assert [f.unsure for f in figures_in("mỗi nhà 40 triệu đồng")] == [True]
    assert [f.unsure for f in figures_in("làm trên 3 km đường")] == [True]
    on_road = figures_in("chiếu sáng trên 3 km đường")
    assert [(f.qualifier, f.unsure) for f in on_road] == [("", False)]
    # "mới" (new) is not "mỗi" (each): "năm học mới trị giá …" is a sure figure.
    assert [f.unsure for f in figures_in("quà năm học mới trị giá 64,2 triệu đồng")] == [False]


def test_the_qualifier_is_kept_with_its_words():
    figure = figures_in("vận động hơn 180 triệu đồng")[0]
    assert (figure.qualifier, figure.qualifier_words, figure.raw) == (
        "more_than",
        "hơn",
        "hơn 180 triệu đồng",
    )


def test_money_with_an_asset_is_in_kind_and_land_donated_is_land():
    in_kind, money = figures_in(
        "16 máy điều hòa trị giá 180 triệu đồng; nhân dân đóng góp 50 triệu đồng"
    )[1:]
    assert (in_kind.record, in_kind.contribution_kind) == ("contribution", "in_kind")
    assert (money.record, money.contribution_kind) == ("contribution", "money")
    land = figures_in("nhân dân hiến 850 m² đất")[0]
    assert land.contribution_kind == "land"
    paved = figures_in("lát 1.200 m² sân")[0]
    assert paved.record == "result"
