"""Households and people taking part, as the rollups count them: one rule in Python and in SQL.

The ledger counts contributors per entry, with their kind. The rollups keep two figures and
never add them together: ``households`` and ``people`` (individuals and benefactors; businesses
and organisations are neither). Households that gave land mostly gave labour and money too,
and the ledger does not name them, so an initiative's households taking part are the largest
count among the kinds of contribution (land, money, labour, assets), not their sum; within one
kind, entries (rounds of giving, corrections folded in) are added. The same rule as
``danvan.stats.participants``, summed over initiatives: a floor, which reports write as
"hơn N hộ".

The dated rollups (by month and by day) need the figure *as it stood on a day*. Each day an
initiative's figure moves, the move is counted on that day: ledger in date order, running sum
per kind, the largest of the kinds (never below zero), minus the day before's. The moves of
one initiative add up to its figure now, so every table agrees, and a cut-off on any day reads
the figure as it stood then. ``day_moves`` computes them in Python for the write-by-write upkeep;
``day_moves_sql`` is the same computation for the full rebuild and the exactness check.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from danvan.initiatives.catalogues import ContributionKind, ContributorType

HOUSEHOLDS = (ContributorType.HOUSEHOLDS.value,)
PEOPLE = (ContributorType.INDIVIDUALS.value, ContributorType.BENEFACTORS.value)
CLASSES = {"households": HOUSEHOLDS, "people": PEOPLE}
KINDS = tuple(ContributionKind.values)

Day = tuple[int, int, int]


def class_of(contributor_type: str) -> str | None:
    """``households``, ``people`` or None for the kinds of contributor counted in neither."""
    for name, types in CLASSES.items():
        if contributor_type in types:
            return name
    return None


def day_moves(rows: Iterable[tuple[Day, str, str, int]]) -> dict[Day, tuple[int, int]]:
    """Return ``{day: (households move, people move)}`` for one initiative's ledger rows
    ``(day, kind of contribution, kind of contributor, contributors)``; days without a move are
    left out."""
    by_day: dict[Day, list[tuple[str, str, int]]] = defaultdict(list)
    for day, kind, contributor_type, count in rows:
        name = class_of(contributor_type)
        if name is not None and count:
            by_day[day].append((name, kind, count))
    running: dict[tuple[str, str], int] = defaultdict(int)
    before = {"households": 0, "people": 0}
    moves: dict[Day, tuple[int, int]] = {}
    for day in sorted(by_day):
        for name, kind, count in by_day[day]:
            running[(name, kind)] += count
        now = {name: max([0, *(running[(name, kind)] for kind in KINDS)]) for name in CLASSES}
        move = (now["households"] - before["households"], now["people"] - before["people"])
        if any(move):
            moves[day] = move
        before = now
    return moves


def day_moves_sql() -> str:
    """A SELECT of ``initiative_id, date, households, people`` (the moves, as ``day_moves``)
    over the whole ledger: window sums per kind over each initiative's days in date order."""
    largest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    sums, runs, tops = [], [], {}
    for name, types in CLASSES.items():
        quoted = ", ".join(f"'{value}'" for value in types)
        for kind in KINDS:
            column = f"{name[0]}_{kind}"
            sums.append(
                f"SUM(CASE WHEN c.kind = '{kind}' AND c.contributor_type IN ({quoted}) "
                f"THEN c.contributors ELSE 0 END) AS {column}"
            )
            runs.append(f"SUM({column}) OVER running AS {column}")
        tops[name] = f"{largest}(0, " + ", ".join(f"{name[0]}_{kind}" for kind in KINDS) + ")"
    per_day = (
        "SELECT c.initiative_id, c.date, "
        + ", ".join(sums)
        + " FROM initiatives_contribution c GROUP BY c.initiative_id, c.date"
    )
    running = (
        "SELECT initiative_id, date, " + ", ".join(runs) + f" FROM ({per_day}) d "
        "WINDOW running AS (PARTITION BY initiative_id ORDER BY date "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    )
    levels = (
        "SELECT initiative_id, date, "
        + ", ".join(f"{top} AS {name}" for name, top in tops.items())
        + f" FROM ({running}) r"
    )
    return (
        "SELECT initiative_id, date, "
        + ", ".join(
            f"{name} - COALESCE(LAG({name}) OVER previous, 0) AS {name}" for name in CLASSES
        )
        + f" FROM ({levels}) l WINDOW previous AS (PARTITION BY initiative_id ORDER BY date)"
    )
