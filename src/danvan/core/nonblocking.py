"""Small bookkeeping writes that a request makes by the way, tried once without waiting.

"Last used" of an API token and "last seen" of a session are written while answering reads.
Such a write must never hold up the answer: on SQLite a large import keeps the database's one
write lock for its whole apply, and a read that waited for it would wait as long (then fail).
So the write is tried without waiting for any lock (SQLite: a busy timeout of zero;
PostgreSQL: a short ``lock_timeout``) inside a savepoint; when the database is busy it is
skipped, and the next request (a minute later at most) records it instead.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

POSTGRES_LOCK_TIMEOUT_MS = 200


def _sqlite_timeout_ms() -> int:
    return int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)


def try_write(write: Callable[[], object], what: str) -> bool:
    """Run ``write`` at once or not at all; return whether it was written."""
    try:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout = 0")
            try:
                with transaction.atomic():
                    write()
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA busy_timeout = {_sqlite_timeout_ms()}")
        else:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute(f"SET LOCAL lock_timeout = {POSTGRES_LOCK_TIMEOUT_MS}")
                write()
    except DatabaseError:
        logger.warning("%s was not recorded: the database is busy", what)
        return False
    return True
