"""How far an apply has got, told to the other processes while its transaction is still open.

An apply writes every chunk in one transaction, so a row count saved on the batch would stay
invisible until the end (and on SQLite another connection could not write it at all). The
count goes to the shared cache instead (files under the data directory, or Redis: see
``CACHE_URL``), where the page and the API read it.
"""

from django.core.cache import cache

TIMEOUT = 24 * 3600


def _key(batch_id: int) -> str:
    return f"danvan:import-progress:{batch_id}"


def record(batch_id: int, rows: int) -> None:
    """Say that ``rows`` rows of the running step of batch ``batch_id`` are done."""
    cache.set(_key(batch_id), rows, timeout=TIMEOUT)


def forget(batch_id: int) -> None:
    cache.delete(_key(batch_id))


def rows_recorded(batch_id: int) -> int:
    """The rows the running step has reported, 0 when it has reported none."""
    return cache.get(_key(batch_id), 0)
