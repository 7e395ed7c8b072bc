"""Turning an id from a URL and a selector's "no such record" into a 404, the same way on every
page and endpoint."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from danvan.core.ids import parse_id

T = TypeVar("T")


def or_404(read: Callable[..., T], **arguments) -> T:
    """Return ``read(**arguments)``; a record that does not exist, or that the actor may not
    see (selectors raise ``DoesNotExist`` for both), is a 404 that never tells which."""
    try:
        return read(**arguments)
    except ObjectDoesNotExist:
        raise Http404 from None


def id_or_404(value) -> int:
    """Return ``value`` from a URL as an id (``danvan.core.ids.parse_id``), or raise
    ``Http404``: a malformed id is a record that does not exist, never an overflow."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number
