"""Typed readers for configuration in environment variables.

Each reader fails loudly with ``ImproperlyConfigured`` when a value is present but malformed,
so a typo in a deployment never silently falls back to a demo default.
"""

import itertools
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    """Return the variable as text, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    """Return the variable as a boolean; accept 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    """Return the variable as an integer."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


# Words of a placeholder or a demo value; a random key of 50+ characters holds none of them.
_PLACEHOLDER_WORDS = ("change", "example", "secret", "insecure", "password", "replace", "demo")
_MIN_SECRET_LENGTH = 50
_MIN_SECRET_DISTINCT = 10
_MAX_SECRET_RUN = 8


def secret_key_weakness(value: str) -> str | None:
    """Return why ``value`` is not fit to sign production sessions, or None when it is.

    Django's own deploy check only warns, and passes any 50 characters: a copied example
    ("change-me-to-64-random-characters…") or a long run of one letter would sign sessions
    anyone can forge. A key from ``secrets.token_urlsafe(64)`` (or 64 hex digits) never trips
    these rules.
    """
    folded = value.lower()
    if len(value) < _MIN_SECRET_LENGTH:
        return f"it is shorter than {_MIN_SECRET_LENGTH} characters"
    if folded.startswith("django-insecure"):
        return "it is a key made by startproject for development"
    for word in _PLACEHOLDER_WORDS:
        if word in folded:
            return f"it contains {word!r}: it looks like a placeholder, not a random value"
    if len(set(value)) < _MIN_SECRET_DISTINCT:
        return f"it uses fewer than {_MIN_SECRET_DISTINCT} different characters"
    run = 1
    for previous, current in itertools.pairwise(value):
        run = run + 1 if current == previous else 1
        if run >= _MAX_SECRET_RUN:
            return f"it repeats one character {_MAX_SECRET_RUN} times in a row"
    return None
