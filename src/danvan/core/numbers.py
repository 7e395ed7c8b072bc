"""Read a number or an amount of money typed the way people write it, in one place.

Officers type figures as their language writes them: ``1.234.567,5`` in Vietnamese,
``1,234,567.5`` in English, ``١٬٢٣٤٬٥٦٧٫٥`` in Arabic (Arabic-Indic or Eastern Arabic-Indic
digits), spaces grouping thousands too; money often comes with its sign: ``38.000.000 ₫``,
``38.000.000đ``, ``38000000 VND``. The pages' forms and the spreadsheet importer read them with
these functions, so the same text means the same figure at every door. Each raises
``EntryError`` with a translated message quoting what was typed.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

# Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…) digits to ASCII; the Arabic
# decimal and thousands signs; the minus sign; bidi marks that Arabic text carries around numbers.
_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_SIGNS = {0x066B: ".", 0x066C: "\u066c", 0x2212: "-", 0x2012: "-", 0x2013: "-"}
_INVISIBLE = dict.fromkeys([0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x200B, 0xFEFF])
_SPACES = dict.fromkeys([0x00A0, 0x202F, 0x2009, 0x2007], " ")
NORMALISE = str.maketrans(_DIGITS | _SIGNS | _INVISIBLE | _SPACES)
_GROUPED = re.compile(r"^[0-9]{1,3}(?:G[0-9]{3})+$")
# The longest plain number read; anything longer is not a figure anybody typed.
MAX_DIGITS = 60
_CURRENCY = re.compile(r"^\s*(₫|vnđ|vnd)\s*|\s*(₫|vnđ|vnd|đồng|dong|đ|d)\.?\s*$", re.IGNORECASE)


class EntryError(ValueError):
    """A typed value that cannot be read; ``message`` is translated and names the text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def normalise(text: str) -> str:
    """Return ``text`` with ASCII digits and signs, ordinary spaces, no bidi marks."""
    return text.translate(NORMALISE).strip()


def language_of(language: str | None) -> str:
    return (language or translation.get_language() or "vi")[:2]


def _digits_with_groups(body: str, group: str) -> str | None:
    """Return ``body`` without its grouping signs if they group by thousands, else None."""
    if group not in body:
        return body if _is_digits(body) else None
    if not _GROUPED.match(body.replace(group, "G")):
        return None
    return body.replace(group, "")


def plain_number(text: str, language: str) -> str | None:
    """Return ``text`` as a plain ``-123.45`` string, or None when it is not a number."""
    sign = ""
    if text[:1] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:].strip()
    if not text:
        return None
    text = text.replace(" ", "\u066c").replace("'", "\u066c")  # spaces group thousands too
    if "\u066c" in text:  # an Arabic (or spaced) thousands sign: the other signs are decimal
        if text.count(",") + text.count(".") > 1:
            return None
        whole, _sep, fraction = text.replace(",", ".").partition(".")
        digits = _digits_with_groups(whole, "\u066c")
    else:
        commas, dots = text.count(","), text.count(".")
        if commas and dots:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
        elif commas + dots == 0:
            decimal = "."
        else:
            mark = "," if commas else "."
            whole, _sep, fraction = text.partition(mark)
            if commas + dots > 1:
                decimal = "." if mark == "," else ","  # repeated: it groups thousands
            elif len(fraction) != 3 or not whole:
                decimal = mark
            else:  # "1.234" or "1,234": the language decides, as its people write
                decimal = "," if language == "vi" else "."
        group = "." if decimal == "," else ","
        whole, _sep, fraction = text.partition(decimal)
        if not whole and not fraction:
            return None
        digits = _digits_with_groups(whole, group) if whole else "0"
    if digits is None or (fraction and not _is_digits(fraction)):
        return None
    return f"{sign}{digits or '0'}.{fraction or '0'}"


def _not_a_number(raw) -> EntryError:
    return EntryError(_("“%(raw)s” is not a number.") % {"raw": str(raw).strip()})


def read_number(text: str, *, language: str | None = None) -> Decimal:
    """Read a number typed in Vietnamese, English or Arabic notation.

    A single separator followed by exactly three digits (``1.234``) is read as the language
    writes it: thousands in Vietnamese, a decimal point in English and Arabic. ``350,5`` is
    350.5 in Vietnamese; ``89.7`` is 89.7 everywhere.
    """
    if not isinstance(text, str):
        raise _not_a_number(text)
    cleaned = normalise(text)
    plain = plain_number(cleaned, language_of(language)) if cleaned else None
    if plain is None or len(plain) > MAX_DIGITS:
        raise _not_a_number(text)
    try:
        return Decimal(plain)
    except InvalidOperation:
        raise _not_a_number(text) from None


def read_money(text: str, *, language: str | None = None) -> int:
    """Read an amount of money in whole đồng; ``₫``, ``đ``, ``đồng`` or ``VND`` may come with
    it. Fractions of a đồng do not exist in practice, so ``38.000.000,5 ₫`` is refused rather
    than rounded."""
    if not isinstance(text, str):
        raise _not_a_number(text)
    stripped = _CURRENCY.sub("", text.strip())
    if not stripped:
        raise _not_a_number(text)
    number = read_number(stripped, language=language)
    if number != number.to_integral_value():
        raise EntryError(
            _("“%(raw)s” has a fraction of a đồng; amounts are whole đồng.") % {"raw": text.strip()}
        )
    return int(number)
