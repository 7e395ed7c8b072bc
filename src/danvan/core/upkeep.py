"""The figures kept in step with the facts, in the same transaction as each change.

The domain apps (areas, organisations, initiatives) change the facts the figures are made of;
the statistics app keeps its rollups from them. The statistics app sits above those apps (it
reads their models), so they cannot import it: each change is announced here, and the keeper
that the statistics app registers when Django starts (``StatsConfig.ready``) carries it out.
This is the one seam between the facts and the figures. A write that went past it would leave
the figures stale, so a missing keeper is an error, never a silent no-op.
"""

from django.core.exceptions import ImproperlyConfigured

_keeper = None


def register(keeper) -> None:
    """Make ``keeper`` (the statistics app's ``rollups`` module) follow every change."""
    global _keeper
    _keeper = keeper


def _the_keeper():
    if _keeper is None:
        raise ImproperlyConfigured("danvan.stats is not installed: the figures would go stale.")
    return _keeper


def capture(ids):
    """Read (and lock) what the initiatives ``ids`` add to the figures, before a change."""
    return _the_keeper().capture(ids)


def settle(snapshot) -> None:
    """Move the figures by the difference between ``snapshot`` and the initiatives now."""
    _the_keeper().settle(snapshot)


def initiative_created(initiative) -> None:
    _the_keeper().initiative_created(initiative)


def contribution_headroom(entries) -> dict:
    """Return, by position, the entries that would carry a total past what figures can hold."""
    return _the_keeper().contribution_headroom(entries)


def ledgers_remembered():
    """A block, inside one transaction, that adds entries to the same initiatives chunk after
    chunk: their ledgers are read for the figures once, not once per chunk."""
    return _the_keeper().ledgers_remembered()


def contribution_recorded(entry) -> None:
    _the_keeper().contribution_recorded(entry)


def contributions_recorded(entries) -> None:
    _the_keeper().contributions_recorded(entries)


def fold_pending() -> None:
    """Bring the figures up to date with the ledger entries saved and still pending (the
    upkeep deferred), unless another process is doing it now."""
    _the_keeper().fold_soon()


def result_headroom(results) -> dict:
    """Return, by position, the results that would carry a total past what figures can hold."""
    return _the_keeper().result_headroom(results)


def result_recorded(result) -> None:
    _the_keeper().result_recorded(result)


def results_recorded(results) -> None:
    _the_keeper().results_recorded(results)


def result_removing(result):
    """Read what ``result`` adds to the figures, before it is deleted."""
    return _the_keeper().ResultFact.of(result)


def result_removed(fact) -> None:
    _the_keeper().result_removed(fact)


def results_removing(results, area_of) -> list:
    """Read what ``results`` add to the figures, before they are deleted (``area_of`` maps
    each of their initiatives to its unit)."""
    of = _the_keeper().ResultFact.of
    return [of(result, area_of[result.initiative_id]) for result in results]


def results_removed(facts) -> None:
    """Take out many deleted results at once (``facts`` from ``results_removing``)."""
    _the_keeper().results_removed(facts)


def recognition_capture(initiative_ids):
    """Read (and lock) what the initiatives' awards and evaluations add to the figures, before
    a write of their awards or evaluations."""
    return _the_keeper().recognition_capture(initiative_ids)


def recognition_settle(snapshot) -> None:
    """Move the figures by what the initiatives' awards and evaluations add now minus what
    they added in ``snapshot``."""
    _the_keeper().recognition_settle(snapshot)


def areas_changed(area_ids) -> None:
    """Re-file the figures of units whose place in the tree or lineage changed."""
    _the_keeper().areas_changed(area_ids)
