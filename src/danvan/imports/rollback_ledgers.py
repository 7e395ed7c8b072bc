"""Undo an applied import of ledger entries or of results in blocks of 2,000, with a few
statements per block.

Each history row the import wrote carries its cause (``import #<id>``); the rollback reads the
records it added in one query, checks everything before it writes anything, then writes
through the initiatives' bulk services (``initiatives.bulk``):

- The ledger is append-only, so each imported entry is cancelled by a correction entry
  carrying its negative, exactly what ``contribution_correct`` to zero writes (the same
  fields, the same history row, recorded by the system). It is refused, naming the
  initiatives, when an imported entry was corrected since: cancelling it would erase that
  correction's work.
- Imported results are deleted, each with a ``-`` history row.

The statistics move once per block. The number of statements grows with the blocks, never with
the rows. Everything runs inside the caller's transaction: all or nothing.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from danvan.accounts.scope import SYSTEM, require_on_initiative
from danvan.core.validation import reject
from danvan.imports.rollback_initiatives import BLOCK, _blocks, _created_by, _name_all
from danvan.initiatives.bulk import contributions_bulk_cancel, results_bulk_remove
from danvan.initiatives.models import Contribution, Initiative, Result

# Entries cancelled, and figures moved, at a time: the rollups' rows an entry moves (its day,
# its month, its unit and the units above) are shared by many entries of a block, so a larger
# block writes fewer of them; the ledger statements go 2,000 rows at a time whatever the block.
LEDGER_BLOCK = 10_000
# What a correction to zero takes from the entry it cancels.
CANCELLED = ("pk", "initiative_id", "date", "kind", "amount", "contributor_type", "contributors")


def _require_restore(actor, initiative_ids: set[int]) -> None:
    """Check the right to restore on each initiative once, whatever its number of records."""
    for block in _blocks(sorted(initiative_ids)):
        for initiative in Initiative.objects.select_related("area").filter(pk__in=block):
            require_on_initiative(actor, "history.restore", initiative)


def _undo(records: list, write: Callable[[list], None], progress, size: int = BLOCK) -> int:
    done = 0
    for block in [records[start : start + size] for start in range(0, len(records), size)]:
        write(block)
        done += len(block)
        if progress is not None:
            progress(done)
    return done


def rollback_contributions(
    actor, reason: str, *, cause: str, progress: Callable[[int], None] | None = None
) -> int:
    """Cancel the ledger entries added by the import whose history rows carry ``reason``; the
    corrections carry ``cause``. Return the number of entries undone."""
    imported = _created_by(Contribution, reason)
    # Ordered by initiative, so that a block moves the figures of few initiatives.
    entries = list(
        Contribution.objects.filter(pk__in=imported)
        .order_by("initiative_id", "pk")
        .values_list(*CANCELLED, named=True)  # no model to build for each: what is cancelled
        .iterator(chunk_size=BLOCK)
    )
    _require_restore(actor, {entry.initiative_id for entry in entries})
    corrected = (
        Contribution.objects.filter(corrects_id__in=imported)
        .values_list("initiative__code", flat=True)
        .distinct()
        .order_by()
    )
    corrected = list(corrected)
    if corrected:
        reject(
            "status",
            _(
                "Entries of this import were corrected since, so it cannot be rolled back: "
                "%(codes)s."
            )
            % {"codes": _name_all(corrected)},
        )
    return _undo(
        entries,
        lambda block: contributions_bulk_cancel(actor=SYSTEM, entries=block, reason=cause),
        progress,
        LEDGER_BLOCK,
    )


def rollback_results(
    actor, reason: str, *, cause: str, progress: Callable[[int], None] | None = None
) -> int:
    """Delete the results added by the import whose history rows carry ``reason``; their
    ``-`` history rows carry ``cause``. Return the number of results removed."""
    results = list(
        Result.objects.filter(pk__in=_created_by(Result, reason))
        .order_by("initiative_id", "pk")
        .iterator(chunk_size=BLOCK)
    )
    _require_restore(actor, {result.initiative_id for result in results})
    return _undo(
        results,
        lambda block: results_bulk_remove(actor=SYSTEM, results=block, reason=cause),
        progress,
    )
