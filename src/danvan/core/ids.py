"""Reading an id or a whole number from a URL or a query string: one rule for every door.

``str.isdigit`` is true for "²" and "٣", ``int`` takes "٣", " 7 " and "+7", and a database
column overflows past 2**63 - 1 (SQLite raises, PostgreSQL refuses). An id is therefore ASCII
digits only, at least 1 and at most ``MAX_ID``; anything else is "no such id".
"""

# The largest id a database column holds; a larger number is refused, never sent to the database.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """Return ``value`` as an id (1 to ``MAX_ID``, plain ASCII digits), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    text = str(value) if value is not None else ""
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def parse_whole(value, *, low: int, high: int) -> int | None:
    """Return ``value`` as a whole number from ``low`` to ``high`` (ASCII digits), or None."""
    text = str(value) if value is not None else ""
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not digits or len(digits) > 19 or not digits.isascii() or not digits.isdigit():
        return None
    number = -int(digits) if negative else int(digits)
    return number if low <= number <= high else None
