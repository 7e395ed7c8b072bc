"""Read one spreadsheet cell into a value, or say clearly why it cannot be read.

Units type figures the way their language writes them: ``1.234.567,5`` in Vietnamese,
``1,234,567.5`` in English, ``١٬٢٣٤٬٥٦٧٫٥`` in Arabic (Arabic-Indic or Eastern Arabic-Indic
digits); typed numbers and money are read by ``danvan.core.numbers``, as the pages read them.
Spreadsheets also hand over real numbers, dates, and Excel serial dates. Every parser
here returns a value or raises ``CellError`` with a translated message that quotes the raw
text, so the preview can show the officer exactly which cell to fix.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core import numbers
from danvan.core.text import fold


class CellError(ValueError):
    """A cell that cannot be read; ``message`` is translated and names the raw text."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


MAX_TEXT = 5000
# Excel counts days from 1899-12-30 (the 1900 leap-year bug included).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# A bare number in a date column is read as an Excel serial date only in this range, so a year
# typed alone ("2024") is refused instead of becoming a day of 1905.
SERIAL_FIRST = datetime.date(1950, 1, 1)
SERIAL_LAST = datetime.date(2100, 12, 31)


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def raw_text(value) -> str:
    """Return a cell value as the officer would read it in the spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _language(language: str | None) -> str:
    return numbers.language_of(language)


def parse_number(value, *, language: str | None = None) -> Decimal:
    """Read a number written in Vietnamese, English or Arabic notation, or a numeric cell.

    A single separator followed by exactly three digits (``1.234``) is read as the language of
    the file writes it: thousands in Vietnamese, a decimal point in English and Arabic.
    """
    if isinstance(value, bool):
        raise CellError(_("“%(raw)s” is not a number.") % {"raw": raw_text(value)})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("“%(raw)s” is not a number.") % {"raw": raw_text(value)})
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(_("“%(raw)s” is not a number.") % {"raw": value})
        return value
    if not isinstance(value, str):
        raise CellError(_("“%(raw)s” is not a number.") % {"raw": raw_text(value)})
    try:
        return numbers.read_number(value, language=language)
    except numbers.EntryError as error:
        raise CellError(error.message) from None


def parse_whole(value, *, language: str | None = None) -> int:
    """Read a count (people, households, m², person-days): no fractions."""
    number = parse_number(value, language=language)
    if number != number.to_integral_value():
        raise CellError(
            _("“%(raw)s” must be a whole number, without decimals.") % {"raw": raw_text(value)}
        )
    return int(number)


def parse_money(value, *, language: str | None = None) -> int:
    """Read an amount of money in whole đồng; ``₫``, ``đ`` or ``VND`` after it are allowed.

    Fractions of a đồng do not exist in practice, so ``1.234,5`` is refused rather than rounded.
    Text is read by ``danvan.core.numbers.read_money``, as the pages read it.
    """
    if isinstance(value, str):
        try:
            return numbers.read_money(value, language=language)
        except numbers.EntryError as error:
            raise CellError(error.message) from None
    number = parse_number(value, language=language)
    if number != number.to_integral_value():
        raise CellError(
            _("“%(raw)s” has a fraction of a đồng; amounts are whole đồng.")
            % {"raw": raw_text(value)}
        )
    return int(number)


_DAY_FIRST = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})$")
_YEAR_FIRST = re.compile(r"^([0-9]{4})[/.\-]([0-9]{1,2})[/.\-]([0-9]{1,2})$")
_TIME_TAIL = re.compile(r"[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")


def _serial_date(serial: float, raw: str) -> datetime.date:
    if serial != int(serial):
        serial = int(serial)  # a time of day after the date: the date is what counts
    try:
        day = EXCEL_EPOCH + datetime.timedelta(days=int(serial))
    except OverflowError:
        day = None
    if day is None or not SERIAL_FIRST <= day <= SERIAL_LAST:
        raise CellError(_("“%(raw)s” is not a date.") % {"raw": raw})
    return day


def parse_date(value) -> datetime.date:
    """Read a date: a date cell, an Excel serial, ``dd/mm/yyyy``, ``d-m-yyyy`` or ``yyyy-mm-dd``.

    Day-first is how dates are written in Vietnam; a month-first date such as ``12/25/2024`` is
    refused (there is no 25th month), never silently swapped.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(raw)s” is not a date.") % {"raw": raw_text(value)})
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("“%(raw)s” is not a date.") % {"raw": raw_text(value)})
        return _serial_date(value, raw_text(value))
    if not isinstance(value, str):
        raise CellError(_("“%(raw)s” is not a date.") % {"raw": raw_text(value)})
    text = _TIME_TAIL.sub("", numbers.normalise(value))
    if (match := _DAY_FIRST.match(text)) is not None:
        day, month, year = (int(part) for part in match.groups())
    elif (match := _YEAR_FIRST.match(text)) is not None:
        year, month, day = (int(part) for part in match.groups())
    elif _is_digits(text) and len(text) == 5:
        return _serial_date(int(text), value.strip())
    else:
        raise CellError(
            _("“%(raw)s” is not a date; write it as dd/mm/yyyy or yyyy-mm-dd.")
            % {"raw": value.strip()}
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(
            _("“%(raw)s” is not a real day of the calendar.") % {"raw": value.strip()}
        ) from None


_TRUE = {"1", "x", "yes", "true", "co", "dung", "نعم", "صح"}
_FALSE = {"0", "no", "false", "khong", "sai", "لا", "خطا", "خطأ"}


def parse_bool(value) -> bool:
    """Read yes or no, in any of the three languages (``có``/``không``, ``نعم``/``لا``), or 1/0."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    text = fold(raw_text(value).translate(numbers.NORMALISE))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("“%(raw)s” is not yes or no.") % {"raw": raw_text(value)})


def parse_text(value, *, max_length: int = MAX_TEXT) -> str:
    """Read text; a number typed in a text column is taken as it is shown."""
    text = raw_text(value)
    if len(text) > max_length:
        raise CellError(
            _("The text is longer than %(limit)s characters (it has %(length)s).")
            % {"limit": max_length, "length": len(text)}
        )
    return text


def match_key(text: str) -> str:
    """Return the form two names are compared in: folded, dashes and digits made plain."""
    return fold(text.translate(numbers.NORMALISE))


class Catalogue:
    """Match a cell to one entry of a catalogue by its code or its name in any language.

    Matching ignores case and diacritics (``kinh te`` finds ``Kinh tế``). A name shared by
    several entries is refused with the candidates, never guessed.
    """

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]):
        self._by_key: dict[str, set[str]] = {}
        self._matched: dict[str, str] = {}  # cells already matched, as written
        self.codes: list[str] = []
        for code, names in entries:
            self.codes.append(code)
            for key in {match_key(code), *(match_key(str(name)) for name in names)}:
                if key:
                    self._by_key.setdefault(key, set()).add(code)
        # A code always wins over someone else's name.
        for code in self.codes:
            self._by_key[match_key(code)] = {code}

    @classmethod
    def of_choices(cls, choices) -> "Catalogue":
        """Build from Django ``TextChoices``, with the labels of every configured language."""
        from django.conf import settings

        entries = []
        for value, label in zip(choices.values, choices.labels, strict=True):
            names = []
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    names.append(str(label))
            entries.append((value, names))
        return cls(entries)

    def match(self, value) -> str:
        text = raw_text(value)
        known = self._matched.get(text)
        if known is not None:  # a file repeats its few values a hundred thousand times
            return known
        found = self._by_key.get(match_key(text))
        if not found:
            raise CellError(_("“%(raw)s” is not in the list of allowed values.") % {"raw": text})
        if len(found) > 1:
            raise CellError(
                _("“%(raw)s” matches several values (%(candidates)s); use the code.")
                % {"raw": text, "candidates": ", ".join(sorted(found))}
            )
        self._matched[text] = code = next(iter(found))
        return code
