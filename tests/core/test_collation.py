"""Vietnamese alphabetical order: letters of the Vietnamese alphabet, then tones."""

import pytest

from danvan.core.collation import sort_key, sorted_vietnamese

GIVEN_NAMES_IN_ORDER = [
    "An",
    "Ánh",
    "Ăn",
    "Ân",
    "Bình",
    "Chi",
    "Dũng",
    "Đức",
    "Hà",
    "Ôn",
    "Ơn",
    "Ưng",
    "Yến",
]
TONES_IN_ORDER = ["ba", "bà", "bả", "bã", "bá", "bạ"]


def test_the_alphabet_puts_each_marked_letter_after_its_base_letter():
    assert sorted_vietnamese(reversed(GIVEN_NAMES_IN_ORDER)) == GIVEN_NAMES_IN_ORDER


def test_tones_come_after_letters_in_dictionary_order():
    assert sorted_vietnamese(["bạ", "bá", "ba", "bã", "bả", "bà"]) == TONES_IN_ORDER
    # Letters first: "bác" after "bạ", though its tone is lighter.
    assert sort_key("bạ") < sort_key("bác")


def test_case_only_breaks_ties():
    assert sorted_vietnamese(["lan", "Lan", "Lâm"]) == ["Lan", "lan", "Lâm"]


@pytest.mark.parametrize("text", ["", None, "Nguyễn Thị Minh Khai", "x—1"])
def test_any_text_has_a_key(text):
    assert isinstance(sort_key(text), tuple)
