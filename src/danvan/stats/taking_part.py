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
the figure as it stood then. ``day_moves`` computes them in Python for the write-by-write upkeep
(``moves_made``: how new entries changed them, in one pass); ``day_moves_sql`` is the same
computation for the full rebuild and the exactness check.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection

from danvan.initiatives.catalogues import ContributionKind, ContributorType

HOUSEHOLDS = (ContributorType.HOUSEHOLDS.value,)
PEOPLE = (ContributorType.INDIVIDUALS.value, ContributorType.BENEFACTORS.value)
CLASSES = {"households": HOUSEHOLDS, "people": PEOPLE}
KINDS = tuple(ContributionKind.values)

Day = tuple[int, int, int]


# Each counted kind of contributor's class (``households`` or ``people``).
CLASS_OF = {value: name for name, types in CLASSES.items() for value in types}


def class_of(contributor_type: str) -> str | None:
    """``households``, ``people`` or None for the kinds of contributor counted in neither."""
    return CLASS_OF.get(contributor_type)


Row = tuple[Day, str, str, int]


def _counted_by_day(rows: Iterable[Row]) -> dict[Day, list[tuple[str, str, int]]]:
    """The rows that can move a figure, ``(class, kind of contribution, contributors)`` by day."""
    by_day: dict[Day, list[tuple[str, str, int]]] = defaultdict(list)
    for day, kind, contributor_type, count in rows:
        name = CLASS_OF.get(contributor_type)
        if name is not None and count and kind in KINDS:
            by_day[day].append((name, kind, count))
    return by_day


def _level(sums: dict[str, int]) -> int:
    """A class's figure: the largest running sum among the kinds of gift, never below zero."""
    return max(0, max(sums.values(), default=0))


def ledgers_of(rows) -> dict[int, list[tuple[Day, str, str, int]]]:
    """Ledger rows (dicts of ``initiative_id``, ``date``, ``kind``, ``contributor_type`` and
    ``contributors``) by initiative, each as ``day_moves`` reads it."""
    ledgers: dict[int, list[tuple[Day, str, str, int]]] = defaultdict(list)
    for row in rows:
        day = row["date"]
        ledgers[row["initiative_id"]].append(
            (
                (day.year, day.month, day.day),
                row["kind"],
                row["contributor_type"],
                row["contributors"] or 0,
            )
        )
    return ledgers


def day_moves(rows: Iterable[Row]) -> dict[Day, tuple[int, int]]:
    """Return ``{day: (households move, people move)}`` for one initiative's ledger rows
    ``(day, kind of contribution, kind of contributor, contributors)``; days without a move are
    left out."""
    by_day = _counted_by_day(rows)
    running: dict[str, dict[str, int]] = {name: {} for name in CLASSES}
    households = people = 0
    moves: dict[Day, tuple[int, int]] = {}
    for day in sorted(by_day):
        for name, kind, count in by_day[day]:
            sums = running[name]
            sums[kind] = sums.get(kind, 0) + count
        now_households, now_people = _level(running["households"]), _level(running["people"])
        if now_households != households or now_people != people:
            moves[day] = (now_households - households, now_people - people)
        households, people = now_households, now_people
    return moves


def moves_made(rows: Iterable[Row], added: Iterable[Row]) -> dict[Day, tuple[int, int]]:
    """How the entries ``added``, part of one initiative's ledger ``rows``, moved its figures:
    ``day_moves(rows)`` minus ``day_moves`` of the rows without them, day by day (days without
    a difference are left out).

    The days before the first added one move alike with and without them, so only their
    running sums are kept; from that day on the two ledgers' figures are followed side by
    side, and a day's difference is how much further apart they are than the day before.
    """
    taken = _counted_by_day(added)
    if not taken:
        return {}
    first = min(taken)
    by_day = _counted_by_day(rows)
    with_added: dict[str, dict[str, int]] = {name: {} for name in CLASSES}
    days = sorted(set(by_day) | set(taken))
    at = 0
    while at < len(days) and days[at] < first:  # the common part: sums only
        for name, kind, count in by_day[days[at]]:
            sums = with_added[name]
            sums[kind] = sums.get(kind, 0) + count
        at += 1
    without = {name: dict(sums) for name, sums in with_added.items()}
    apart = (0, 0)  # (households, people) with the added entries minus without, so far
    moves: dict[Day, tuple[int, int]] = {}
    for day in days[at:]:
        for name, kind, count in by_day.get(day, ()):
            for sums in (with_added[name], without[name]):
                sums[kind] = sums.get(kind, 0) + count
        for name, kind, count in taken.get(day, ()):
            sums = without[name]
            sums[kind] = sums.get(kind, 0) - count
        now = (
            _level(with_added["households"]) - _level(without["households"]),
            _level(with_added["people"]) - _level(without["people"]),
        )
        if now != apart:
            moves[day] = (now[0] - apart[0], now[1] - apart[1])
        apart = now
    return moves


def day_moves_sql(carry: Sequence[tuple[str, str]] = ()) -> str:
    """A SELECT of ``initiative_id, date, households, people`` (the moves, as ``day_moves``)
    over the whole ledger: window sums per kind over each initiative's days in date order.

    ``carry`` adds other sums per initiative and day, as (expression over the entries ``c``,
    name) pairs, computed in the same grouping and passed through. The rebuild needs the day's
    amounts beside its moves; joining two derived tables of a million days on (initiative, day)
    instead made SQLite compare every day with every other one (no index on either side).
    """
    largest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    sums, runs, tops = [f"{expression} AS {name}" for expression, name in carry], [], {}
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
    carried = "".join(f"{name}, " for _, name in carry)
    per_day = (
        "SELECT c.initiative_id, c.date, "
        + ", ".join(sums)
        + " FROM initiatives_contribution c GROUP BY c.initiative_id, c.date"
    )
    running = (
        f"SELECT initiative_id, date, {carried}" + ", ".join(runs) + f" FROM ({per_day}) d "
        "WINDOW running AS (PARTITION BY initiative_id ORDER BY date "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
    )
    levels = (
        f"SELECT initiative_id, date, {carried}"
        + ", ".join(f"{top} AS {name}" for name, top in tops.items())
        + f" FROM ({running}) r"
    )
    return (
        f"SELECT initiative_id, date, {carried}"
        + ", ".join(
            f"{name} - COALESCE(LAG({name}) OVER previous, 0) AS {name}" for name in CLASSES
        )
        + f" FROM ({levels}) l WINDOW previous AS (PARTITION BY initiative_id ORDER BY date)"
    )
