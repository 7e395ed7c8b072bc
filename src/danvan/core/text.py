"""Text helpers shared by every app."""

import unicodedata

_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str | None) -> str:
    """Return ``text`` lower-cased without diacritics, so "Dân vận khéo" matches "dan van kheo".

    Vietnamese "đ" is a letter of its own, not a "d" with a mark, so Unicode decomposition keeps
    it; it is folded by hand. Runs of white space collapse to one space.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text).translate(_EXTRA_FOLDS)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
