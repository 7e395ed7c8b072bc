"""Vietnamese numbers and units as people write them in reports.

"1.200 m²", "7,1 km", "hơn 180 triệu đồng", "1,2 tỷ đồng", "96%", "34 vườn tạp", "45 hộ": the
number, its scale word (nghìn, triệu, tỷ), its unit, and the word before it that says the figure
is not exact ("hơn", "trên", "gần", "khoảng"), kept as a qualifier.

Separators are read both ways. Vietnamese writes "." between thousands and "," before decimals;
reports pasted from elsewhere write the opposite. A number with two separators, or one followed by
anything but three digits, says which is which. "1,200" and "1.200" alone are ambiguous; they are
read by the document's own habit (``Convention``), and when the other reading is just as likely
the figure is marked unsure: a wrong amount is worse than a missing one, so an unsure figure is
shown to the person but never suggested.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from danvan.core.text import fold

VI, EN = "vi", "en"

# Qualifiers, folded, longest first. The key is stored; the person sees the words of the text.
QUALIFIERS: dict[str, str] = {
    "hon": "more_than",
    "tren": "more_than",
    "ngoai": "more_than",
    "vuot": "more_than",
    "gan": "nearly",
    "xap xi": "about",
    "khoang": "about",
    "chung": "about",
    "uoc": "about",
    "tu": "at_least",
    "it nhat": "at_least",
    "toi thieu": "at_least",
    "tren duoi": "about",
}

SCALES: dict[str, int] = {
    "nghin": 1000,
    "ngan": 1000,
    "trieu": 1_000_000,
    "ty": 1_000_000_000,
    "ti": 1_000_000_000,
}

_NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# Not inside a word, a code ("12/QĐ", "A4") or a date; a unit may follow without a space.
NUMBER_RE = re.compile(rf"(?<![\w.,/])({_NUMBER})(?![\d/])(?![.,]\d)")


@dataclass(frozen=True)
class Reading:
    """A number read from text: its value and whether another reading was as likely."""

    value: Decimal
    unsure: bool = False


def convention(text: str) -> str:
    """Guess how a document writes its numbers: ``VI`` ("1.200,5") or ``EN`` ("1,200.5").

    Only unambiguous numbers vote: two groups of thousands, both separators, or a separator
    followed by one, two or four and more digits.
    """
    votes = {VI: 0, EN: 0}
    for match in NUMBER_RE.finditer(text):
        raw = match.group(1)
        dots, commas = raw.count("."), raw.count(",")
        if dots and commas:
            votes[VI if raw.rfind(",") > raw.rfind(".") else EN] += 1
        elif dots > 1:
            votes[VI] += 1
        elif commas > 1 or (dots == 1 and len(raw.split(".")[1]) != 3):
            votes[EN] += 1
        elif commas == 1 and len(raw.split(",")[1]) != 3:
            votes[VI] += 1
    return EN if votes[EN] > votes[VI] else VI


def parse_number(raw: str, habit: str = VI) -> Reading | None:
    """Return the value of ``raw`` ("1.200", "7,1", "180.000.000"), or None if unreadable."""
    raw = raw.strip()
    dots, commas = raw.count("."), raw.count(",")
    unsure = False
    if dots and commas:
        decimal_sign = "," if raw.rfind(",") > raw.rfind(".") else "."
        group_sign = "." if decimal_sign == "," else ","
        if raw.count(decimal_sign) > 1:
            return None
        text = raw.replace(group_sign, "").replace(decimal_sign, ".")
    elif dots > 1 or commas > 1:
        sign = "." if dots else ","
        groups = raw.split(sign)
        if any(len(group) != 3 for group in groups[1:]):
            return None
        text = raw.replace(sign, "")
    elif dots or commas:
        sign = "." if dots else ","
        whole, part = raw.split(sign)
        if len(part) == 3 and whole != "0":
            # "1.200": thousands in Vietnamese, 1.2 in English; read by the document's habit.
            thousands = (sign == ".") == (habit == VI)
            # A Vietnamese writer does not write thousands with ",", so "1,200" in a Vietnamese
            # document could be either; the same for "1.200" in an English one.
            unsure = not thousands
            text = whole + part if thousands else f"{whole}.{part}"
        else:
            text = f"{whole}.{part}"
    else:
        text = raw
    try:
        return Reading(Decimal(text), unsure)
    except InvalidOperation:
        return None


def qualifier_before(folded_prefix: str) -> tuple[str, str]:
    """Return ``(qualifier key, words)`` ending ``folded_prefix`` (text before a number)."""
    words = folded_prefix.split()
    for size in (2, 1):
        tail = " ".join(words[-size:]) if len(words) >= size else ""
        if tail in QUALIFIERS:
            return QUALIFIERS[tail], tail
    return "", ""


def whole_vnd(value: Decimal) -> int | None:
    """Money is whole VND; a value with a fraction of a đồng is not money as written."""
    if value != value.to_integral_value():
        return None
    return int(value)


def folded(text: str) -> str:
    """Fold ``text`` keeping its length, so positions found in it are positions in ``text``."""
    out = []
    for char in text:
        small = fold(char) if not char.isspace() else " "
        out.append(small[:1] if small else char)
    return "".join(out)
