"""Reads of the administrative tree: subtrees, validity, and succession in both directions."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from danvan.areas.models import Area, AreaQuerySet, AreaSuccession


def area_subtree(*, area: Area, include_self: bool = True) -> AreaQuerySet:
    """Return the unit and everything under it: one indexed prefix filter on the path."""
    condition = Q(path__startswith=area.subtree_prefix)
    if include_self:
        condition |= Q(pk=area.pk)
    return Area.objects.filter(condition)


def areas_valid_on(*, day: datetime.date, queryset: AreaQuerySet | None = None) -> AreaQuerySet:
    """Return the units that existed on ``day``."""
    return (queryset if queryset is not None else Area.objects.all()).valid_on(day)


@dataclass(frozen=True)
class Successor:
    """A unit that carries a historical unit on today, with the fraction it carries."""

    area: Area
    share: Decimal
    is_default: bool


def area_current_successors(*, area: Area) -> list[Successor]:
    """Return today's units that carry ``area`` on, following every succession transitively.

    Shares multiply along a chain (half of a unit that later merged whole is still half); a
    unit is the default successor when every link on its chain is a default link. A unit that
    still exists is its own successor.
    """
    if area.valid_to is None:
        return [Successor(area=area, share=Decimal(1), is_default=True)]
    found: dict[int, Successor] = {}
    # Each path carries the units it went through: a unit reached again by another path (parts
    # of a split that meet again later) adds its share; only a loop on the same path stops.
    frontier: list[tuple[int, Decimal, bool, frozenset[int]]] = [
        (area.pk, Decimal(1), True, frozenset({area.pk}))
    ]
    while frontier:
        ids = {pk for pk, _, _, _ in frontier}
        by_pred: dict[int, list[AreaSuccession]] = {}
        for link in AreaSuccession.objects.filter(predecessor_id__in=ids).select_related(
            "successor"
        ):
            by_pred.setdefault(link.predecessor_id, []).append(link)
        next_frontier = []
        for pk, share, default, chain in frontier:
            links = by_pred.get(pk, [])
            for link in links:
                link_share = link.share if link.share is not None else Decimal(1)
                if len(links) > 1 and link.share is None:
                    link_share = Decimal(1) / len(links)
                carried = share * link_share
                is_default = default and link.is_default
                target = link.successor
                if target.valid_to is None:
                    previous = found.get(target.pk)
                    if previous:
                        carried += previous.share
                        is_default = is_default or previous.is_default
                    found[target.pk] = Successor(target, carried, is_default)
                elif target.pk not in chain:
                    next_frontier.append((target.pk, carried, is_default, chain | {target.pk}))
        frontier = next_frontier
    return sorted(found.values(), key=lambda s: (not s.is_default, s.area.path))


def area_default_successor(*, area: Area) -> Area | None:
    """Return the one current unit that figures of ``area`` are restated on by default."""
    for successor in area_current_successors(area=area):
        if successor.is_default:
            return successor.area
    return None


def area_historical_predecessors(*, area: Area) -> AreaQuerySet:
    """Return every unit that ``area`` (transitively) succeeds, e.g. 2019 merges then 2025."""
    found: set[int] = set()
    frontier = {area.pk}
    while frontier:
        preds = set(
            AreaSuccession.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        frontier = preds - found - {area.pk}
        found |= frontier
    return Area.objects.filter(pk__in=found)


def area_covering_ids(*, area: Area) -> set[int]:
    """Return the ids of every unit whose scope covers ``area``: its ancestors and itself, and
    every unit any of them became (at any hop), since a unit's scope takes in its predecessors.

    This is ``area_coverage_q`` read the other way round, in a few queries whatever the number
    of people holding roles, so "who covers this initiative?" need not test each role one by one.
    """
    ancestors = {int(part) for part in area.path.split(".") if part.isdigit()}
    found = set(ancestors)
    frontier = set(ancestors)
    while frontier:
        successors = set(
            AreaSuccession.objects.filter(predecessor_id__in=frontier).values_list(
                "successor_id", flat=True
            )
        )
        frontier = successors - found
        found |= frontier
    return found


def area_coverage_q(*, area: Area, field: str = "area") -> Q:
    """Return a filter for rows seated in ``area``'s subtree or in any of its predecessors'.

    A reviewer of a commune formed in 2025 covers the data recorded under the communes it
    replaced, and under their villages. ``field`` names the foreign key to ``Area``.

    The filter is ``field IN (the covered units)``, not a test of each row's joined unit: the
    database then finds the few thousand units of a province by their path index and walks the
    rows' index on the unit, where ``unit.path LIKE 'x.%' OR unit = x`` on a join makes it read
    every row of the country and test its unit (a province's count 80 → 12 ms at full scale).
    """
    units = Q(pk__in=[])
    for prefix, pk in _coverage_roots(area):
        units |= Q(path__startswith=prefix) | Q(pk=pk)
    return Q(**{f"{field}__in": Area.objects.filter(units).values("pk")})


def _coverage_roots(area: Area) -> list[tuple[str, int]]:
    """The topmost units of ``area``'s coverage (itself and the units it took over, less those
    inside another), as (subtree prefix, id); kept on the instance, since one page filters
    several lists by the same person's units and each reading of the predecessors is a query
    per step of the tree's history."""
    cached = getattr(area, "_coverage_roots", None)
    if cached is None:
        candidates = sorted(
            [area, *area_historical_predecessors(area=area)], key=lambda a: len(a.path)
        )
        roots: list[Area] = []
        for candidate in candidates:
            if not any(candidate.path.startswith(root.subtree_prefix) for root in roots):
                roots.append(candidate)
        cached = [(root.subtree_prefix, root.pk) for root in roots]
        area._coverage_roots = cached
    return cached


def area_search(*, text: str, scheme: str | None = None, day: datetime.date | None = None):
    """Return units whose name contains ``text`` ignoring diacritics, optionally filtered."""
    queryset = Area.objects.search(text)
    if scheme:
        queryset = queryset.filter(scheme=scheme)
    if day:
        queryset = queryset.valid_on(day)
    return queryset.select_related("parent")
