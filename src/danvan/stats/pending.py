"""Ledger entries saved but not yet in the rollups, when the upkeep is deferred.

With ``DANVAN_STATS_UPKEEP=deferred`` (PostgreSQL) a save of one ledger entry does not add it
to the rollups inside its own transaction: it appends a ``PendingEntry`` and, once it has
committed, the rollups take in every pending entry at once (``danvan.stats.rollups.fold``).
The rollups then hold every entry except the pending ones, and each writer that reads an
initiative's ledger to move its figures (a change of the initiative, a batch of entries, a
unit moved) first either takes the initiative's pending entries in with its own change
(``take``) or leaves them out of what it moves (``of``), so nothing is counted twice or lost.

The initiative's row lock orders all of this: a deferred save locks its initiative before it
appends, and every taker holds the same lock, so no entry of a locked initiative can become
pending while it is being taken in.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.utils import timezone

from danvan.initiatives.models import Contribution, Initiative
from danvan.stats.models import PendingEntry

# The columns of an entry the rollups read (``danvan.stats.rollups``).
_ENTRY_FIELDS = (
    "initiative_id",
    "date",
    "kind",
    "amount",
    "contributor_type",
    "contributors",
    "corrects_id",
)


def deferred() -> bool:
    """Whether a saved entry waits for the fold instead of moving the rollups itself."""
    return settings.STATS_UPKEEP == "deferred" and connection.vendor == "postgresql"


def defer(entry: Contribution, national_table: str, measures: tuple[str, ...]):
    """Lock the initiative of a saved ``entry``, append the entry to the pending list, and read
    the national totals (``measures`` of ``national_table``) and what the pending entries add
    to them, for the check that no total passes what the columns hold: one statement, as
    every save runs it and eight savers at once wait for the processor between statements.

    Return the national rows (mode, *measures) and the pending rows (kind, contributor type,
    amount, contributors), the entry itself not among them (a statement does not see its own
    insert). Both are read as the statement starts: a save that commits while this one waits
    for the initiative's lock is not in them, as with two saves checked at the same moment."""
    pending_table = PendingEntry._meta.db_table
    nulls = ", NULL" * (len(measures) - 2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH locked AS (SELECT id FROM {Initiative._meta.db_table} WHERE id = %s "
            f"FOR UPDATE), added AS (INSERT INTO {pending_table} (contribution_id, "
            "initiative_id, saved_at, kind, contributor_type, amount, contributors) "
            "SELECT %s, id, %s, %s, %s, %s, %s FROM locked) "
            f"SELECT 'national', mode, NULL, {', '.join(f'{m}::numeric' for m in measures)} "
            f"FROM {national_table} UNION ALL SELECT 'pending', kind, contributor_type, "
            f"SUM(amount), SUM(contributors){nulls} FROM {pending_table} "
            "GROUP BY kind, contributor_type",
            [
                entry.initiative_id,
                entry.pk,
                timezone.now(),
                entry.kind,
                entry.contributor_type,
                entry.amount,
                entry.contributors,
            ],
        )
        rows = cursor.fetchall()
    national = [row[1:2] + row[3:] for row in rows if row[0] == "national"]
    waiting = [row[1:5] for row in rows if row[0] == "pending"]
    return national, waiting


def of(initiative_ids: Iterable[int]) -> set[int]:
    """The ids of the pending entries of these initiatives, left pending."""
    ids = list(initiative_ids)
    if not ids:
        return set()
    return set(
        PendingEntry.objects.filter(initiative_id__in=ids).values_list("contribution_id", flat=True)
    )


def take(initiative_ids: Iterable[int]) -> list[Contribution]:
    """Remove the pending entries of these initiatives (locked by the caller) from the list and
    return them: the caller adds them to the rollups in the same transaction."""
    ids = sorted(set(initiative_ids))
    if not ids or connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {PendingEntry._meta.db_table} WHERE initiative_id = ANY(%s::bigint[]) "
            "RETURNING contribution_id",
            [ids],
        )
        taken = [row[0] for row in cursor.fetchall()]
    if not taken:
        return []
    return list(Contribution.objects.filter(pk__in=taken).only(*_ENTRY_FIELDS).order_by("pk"))


def oldest(batch: int) -> list[int]:
    """The initiatives of the oldest ``batch`` pending entries, in id order (the lock order)."""
    return sorted(
        set(PendingEntry.objects.order_by("pk").values_list("initiative_id", flat=True)[:batch])
    )


def waiting() -> bool:
    return PendingEntry.objects.exists()


def totals(leave_out: Iterable[int] = ()) -> list[tuple[str, str, object, int]]:
    """What the pending entries (but ``leave_out``) add, by kind and kind of contributor:
    (kind, contributor type, amount, contributors). The national totals the headroom check
    reads leave them out."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, contributor_type, SUM(amount), SUM(contributors) "
            f"FROM {PendingEntry._meta.db_table} "
            "WHERE NOT (contribution_id = ANY(%s::bigint[])) GROUP BY kind, contributor_type",
            [list(leave_out)],
        )
        return cursor.fetchall()


def lock() -> None:
    """Hold the list against new rows until the transaction ends (PostgreSQL): a save that
    committed before is in the ledger a rebuild reads, and one waiting on the lock has not
    committed its entry yet, so it goes into the list after the rebuild, never into both."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {PendingEntry._meta.db_table} IN EXCLUSIVE MODE")


def clear() -> None:
    """Empty the list (locked by ``lock``) for a rebuild that counts every entry afresh."""
    PendingEntry.objects.all().delete()
