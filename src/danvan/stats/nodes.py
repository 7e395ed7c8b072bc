"""Which area nodes a fact is counted under, in each boundary mode."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from danvan.areas.models import PATH_SEPARATOR, Area
from danvan.areas.selectors import area_default_successor
from danvan.stats.models import AS_WAS, MODES, NATIONAL, RESTATED, AreaNode


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.split(PATH_SEPARATOR) if part]


def _restated_anchor(area: Area) -> Area:
    """Return today's unit that ``area``'s facts are restated on.

    Walk up from the unit: the first unit that still exists under a chain of units that still
    exist is the anchor; the first unit that ended is carried by its default successor. A
    village created under a legacy commune (the village never ended, its commune did) is thus
    restated on the commune's successor. A unit with nothing current above it stays itself,
    so national totals are the same in both modes.
    """
    ids = _path_ids(area.path)
    by_id = {a.pk: a for a in Area.objects.filter(pk__in=ids).only("pk", "valid_to", "path")}
    chain = [by_id[pk] for pk in ids if pk in by_id]  # root first
    for index in range(len(chain) - 1, -1, -1):
        unit = chain[index]
        if unit.valid_to is None:
            if all(above.valid_to is None for above in chain[:index]):
                return unit
            continue
        successor = area_default_successor(area=unit)
        if successor is not None:
            return successor
    return area


def area_node_ids(area: Area, mode: str) -> list[int]:
    """Return the nodes ``area``'s facts are counted under, country first, the unit last."""
    if mode == AS_WAS:
        return [NATIONAL, *_path_ids(area.path)]
    if mode == RESTATED:
        if area.valid_to is None and area.scheme == "current":
            return [NATIONAL, *_path_ids(area.path)]
        return [NATIONAL, *_path_ids(_restated_anchor(area).path)]
    raise ValueError(f"unknown mode {mode!r}")


def ensure_area_nodes(area_ids: Iterable[int]) -> None:
    """Fill the ``AreaNode`` cache for units that do not have their rows yet."""
    wanted = sorted(set(area_ids))
    for start in range(0, len(wanted), 5000):
        _ensure_chunk(set(wanted[start : start + 5000]))


def _ensure_chunk(wanted: set[int]) -> None:
    known = set(
        AreaNode.objects.filter(area_id__in=wanted, node_id=NATIONAL).values_list(
            "area_id", flat=True
        )
    )
    missing = wanted - known
    if not missing:
        return
    rows = []
    for area in Area.objects.filter(pk__in=missing).only("pk", "path", "valid_to", "scheme"):
        for mode in MODES:
            rows.extend(
                AreaNode(mode=mode, area_id=area.pk, node_id=node)
                for node in dict.fromkeys(area_node_ids(area, mode))
            )
    AreaNode.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    if rows:
        nodes_added()
        transaction.on_commit(nodes_added)  # and again once the rows are visible to all


# Readings that depend on which units carry facts (``danvan.stats.cover``) are cached under a
# version that a unit's first ``AreaNode`` rows move on.
_VERSION_KEY = "stats:nodes-version"


def nodes_version() -> int:
    """The version the cached readings of which units carry facts are kept under."""
    return cache.get(_VERSION_KEY, 0)


def nodes_added() -> None:
    """Forget the cached readings of which units carry facts: a unit has its first ones."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def nodes_of(area_ids: Iterable[int]) -> dict[int, dict[str, list[int]]]:
    """Return, per unit, its nodes in each mode (from the cache, filled when missing).

    One query when the cache holds the units (the usual case on a save).
    """
    wanted = set(area_ids)
    found = _cached(wanted)
    missing = {pk for pk, by_mode in found.items() if not by_mode[MODES[0]]}
    if missing:
        ensure_area_nodes(missing)
        found.update(_cached(missing))
    return found


def _cached(wanted: set[int]) -> dict[int, dict[str, list[int]]]:
    found: dict[int, dict[str, list[int]]] = {pk: {m: [] for m in MODES} for pk in wanted}
    rows = AreaNode.objects.filter(area_id__in=wanted).values_list("area_id", "mode", "node_id")
    for area_id, mode, node_id in rows:
        found[area_id][mode].append(node_id)
    return found
