"""What the machine was like during a run: its load average, and how fast its CPU was.

A figure measured on a shared or throttled machine says little on its own: the same code ran
1.6 times slower on one morning than the night before, with the load average alike. So every
bench prints a reference beside its figures: fixed work, in Python and in the database, timed
best of five (the best run is the least disturbed by other processes). Two runs' figures compare
only as far as their references agree; a run whose reference is 1.6 times another's is on a
slower machine, whatever its code.
"""

import os
import time
from dataclasses import dataclass

from django.db import connection

# The Python reference: string and integer work of the kind a request does (formatting,
# hashing into dicts, sorting), 80–100 ms on this project's 2-core test machine.
_PYTHON_ROUNDS = 120_000
# The database reference: a sum over generated rows (PostgreSQL: about 75 ms there; SQLite, by
# a recursive query: about 200 ms). Compare only references of the same database.
_DATABASE_ROWS = 500_000


@dataclass(frozen=True)
class Reference:
    """Best-of-five times of the fixed work, in ms (``database_ms`` None without a database)."""

    python_ms: float
    database_ms: float | None

    def __str__(self) -> str:
        database = "" if self.database_ms is None else f", database {self.database_ms:.0f} ms"
        return f"Python {self.python_ms:.0f} ms{database} (best of 5; lower is a faster machine)"


def load_average() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _python_work() -> int:
    table: dict[str, int] = {}
    for number in range(_PYTHON_ROUNDS):
        key = f"{number:08d}-{number * 7919 % 10007}"
        table[key] = table.get(key, 0) + len(key)
    return sum(sorted(table.values())[: _PYTHON_ROUNDS // 2])


def _database_work() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sum(x) FROM generate_series(1, %s) AS x", [_DATABASE_ROWS])
        else:
            cursor.execute(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %s) "
                "SELECT sum(x) FROM n",
                [_DATABASE_ROWS],
            )
        cursor.fetchone()


def _best_ms(work, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times)


def reference(database: bool = True) -> Reference:
    """Time the fixed work; the database's too when ``database`` (Django must be set up)."""
    return Reference(
        python_ms=_best_ms(_python_work),
        database_ms=_best_ms(_database_work) if database else None,
    )


if __name__ == "__main__":
    # ``python -m bench.machine``: the reference on the database of DATABASE_URL, for a bench
    # that drives the app from outside (the load test).
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    django.setup()
    print(reference())
