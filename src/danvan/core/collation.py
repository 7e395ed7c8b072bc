"""Vietnamese alphabetical order, on both databases.

A Vietnamese list of people is sorted by given name, letter by letter in the Vietnamese
alphabet (a ă â b c d đ e ê g … o ô ơ … u ư v x y), then by tone (none, huyền, hỏi, ngã, sắc,
nặng). Byte order gets it wrong ("Ánh" after "Yến", "Đức" after "Dũng" by accident only), and
so does a plain accent-folding sort ("Ân" and "An" tie).

PostgreSQL has the order built in (its ICU collation ``vi-x-icu``); SQLite has none, so the
same order is registered on each SQLite connection as the collation ``vi``. ``vietnamese(field)``
picks the right one for the database in use.
"""

from __future__ import annotations

import unicodedata
from functools import cmp_to_key

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

SQLITE_COLLATION = "vi"
POSTGRES_COLLATION = "vi-x-icu"

# The letters in alphabetical order; a letter with its modifier (breve, circumflex, horn) is a
# letter of its own. Other characters sort after the alphabet, by code point.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
# Tones in dictionary order: ngang (none), huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def sort_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Return a key that orders Vietnamese words as a Vietnamese dictionary does: by letters,
    then by tones, then by case."""
    letters: list[int] = []
    tones: list[int] = []
    for character in unicodedata.normalize("NFD", (text or "").lower()):
        if character in _LETTER_MARKS and letters:
            base = _ALPHABET[letters[-1]] if letters[-1] < len(_ALPHABET) else ""
            composed = unicodedata.normalize("NFC", base + character)
            if composed in _RANK:
                letters[-1] = _RANK[composed]
            continue
        if character in _TONES:
            if tones:
                tones[-1] = _TONES[character]
            continue
        if unicodedata.combining(character):
            continue
        letters.append(_RANK.get(character, len(_ALPHABET) + ord(character)))
        tones.append(0)
    return tuple(letters), tuple(tones), text or ""


def _compare(left: str, right: str) -> int:
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def sorted_vietnamese(items, key=lambda item: item):
    """Sort ``items`` in Python in the same order the databases use."""
    return sorted(items, key=cmp_to_key(lambda x, y: _compare(key(x), key(y))))


def vietnamese(field: str):
    """An ``order_by`` expression for ``field`` in Vietnamese order on the database in use."""
    if connection.vendor == "postgresql":
        return Collate(F(field), POSTGRES_COLLATION)
    if connection.vendor == "sqlite":
        return Collate(F(field), SQLITE_COLLATION)
    return F(field)


def _register_on_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


def install() -> None:
    """Register the SQLite collation on every new connection (called once, at start-up)."""
    connection_created.connect(_register_on_sqlite, dispatch_uid="danvan-vietnamese-collation")
