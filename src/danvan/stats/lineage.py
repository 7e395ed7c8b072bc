"""A picked unit read through its lineage: which facts are its territory, and how they break down.

Whatever unit a person picks, legacy or current, every year has an answer, and the answer's
*total* does not depend on the boundary mode: both modes count the same territory.

* A current unit's territory is everything restated on it: its own subtree and every
  historical unit carried on by it (a split unit by its default successor only, so every fact
  is counted under one current unit and national totals hold).
* A unit that ended (a legacy province, district or commune, or a village under one) covers
  its own subtree for the years it existed, and for the years after, the current units that
  took over nothing but its land (every unit they succeed lies in it).

The mode decides only the breakdown ("by unit" rows):

* ``as_was`` — by the units of the facts' own day: a current province before 2025 shows the
  legacy provinces it was formed from (Lâm Đồng: legacy Lâm Đồng, Đắk Nông, Bình Thuận), or the
  legacy province's districts when it was formed from one alone (Quảng Ninh);
* ``restated`` — by today's units below the picked one (a legacy unit: today's communes that
  carry its facts).

Figures that cannot be placed on a unit below the picked one (an initiative of a province's own
committee, or a legacy district's figures now carried by a whole province) form one explicit
row whose ``area_id`` is None, so the rows always add up to the total.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.areas.models import Area, AreaLevel, AreaSuccession, CodeScheme
from danvan.stats.models import AS_WAS, NATIONAL, RESTATED, AreaNode
from danvan.stats.nodes import area_node_ids, nodes_of

# The key of the row of figures not attributable to a unit below the picked one.
UNPLACED = None


def is_current(area: Area | None) -> bool:
    """Whether ``area`` is one of today's units (the country counts as one).

    A unit is current when it has not ended and nothing above it has: a village created
    under a commune dissolved in 2025 is read as a historical unit.
    """
    if area is None:
        return True
    if area.valid_to is not None or area.scheme == CodeScheme.LEGACY:
        return False
    return area_node_ids(area, RESTATED)[-1] == area.pk


# Which current units took over an ended unit's land is read from the successions of its
# whole subtree (a few hundred rows for a province), on every figure of the unit. It changes
# only with the tree's history, so it is cached (shared by every process) under a version that
# a change of the tree (``areas_changed``, ``rebuild_rollups(reset_nodes=True)``) moves on.
_VERSION_KEY = "stats:lineage-version"
LINEAGE_TTL = 600


def lineage_changed() -> None:
    """Forget the cached lineage readings: the tree's history changed."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def lineage_version() -> int:
    """The version the cached readings of the tree's history are kept under."""
    return cache.get(_VERSION_KEY, 0)


def _later_unit_ids(area: Area) -> list[int]:
    version = lineage_version()
    key = f"stats:later-units:{version}:{area.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = [unit.pk for unit in _later_units(area)]
        cache.set(key, ids, LINEAGE_TTL)
    return ids


def later_units(area: Area) -> list[Area]:
    """Return the current units that took over nothing but ``area``'s land (every unit they
    succeed lies in ``area``'s subtree), topmost only: legacy Quảng Ninh → today's Quảng Ninh;
    legacy Thái Bình → the current communes formed from its communes alone (the province it
    merged into also succeeds legacy Hưng Yên)."""
    ids = _later_unit_ids(area)
    return list(Area.objects.filter(pk__in=ids).order_by("path")) if ids else []


def _later_units(area: Area) -> list[Area]:
    inside = Q(predecessor__path__startswith=area.subtree_prefix) | Q(predecessor_id=area.pk)
    candidates = set(
        AreaSuccession.objects.filter(inside, successor__valid_to__isnull=True).values_list(
            "successor_id", flat=True
        )
    )
    if not candidates:
        return []
    outside = set(
        AreaSuccession.objects.filter(successor_id__in=candidates)
        .exclude(inside)
        .values_list("successor_id", flat=True)
    )
    units = sorted(
        Area.objects.filter(pk__in=candidates - outside, valid_to__isnull=True),
        key=lambda a: len(a.path),
    )
    top: list[Area] = []
    for unit in units:
        if not any(unit.path.startswith(kept.subtree_prefix) for kept in top):
            top.append(unit)
    return sorted(top, key=lambda a: a.path)


def territory_parts(area: Area | None) -> list[tuple[str, int]]:
    """Return the rollup nodes, each with its mode, whose rows add up to ``area``'s territory.

    The parts never overlap: a current unit is one restated node; a unit that ended is its
    as-was node and the as-was nodes of the current units that took over its land alone.
    """
    if area is None:
        return [(AS_WAS, NATIONAL)]
    if is_current(area):
        return [(RESTATED, area.pk)]
    return [(AS_WAS, area.pk), *((AS_WAS, pk) for pk in _later_unit_ids(area))]


def territory_q(area: Area | None, prefix: str = "") -> Q:
    """Return a filter for the records whose unit lies in ``area``'s territory."""
    if area is None:
        return Q()
    condition = Q(pk__in=[])
    for mode, node in territory_parts(area):
        units = AreaNode.objects.filter(mode=mode, node_id=node).values("area_id")
        condition |= Q(**{f"{prefix}area_id__in": units})
    return condition


def _levels(ids: Iterable[int]) -> dict[int, int]:
    return dict(Area.objects.filter(pk__in=set(ids)).values_list("pk", "level"))


def _after(path: list[int], node: int):
    """The node right below ``node`` in ``path`` (root first), or UNPLACED at its end."""
    index = path.index(node)
    return path[index + 1] if index + 1 < len(path) else UNPLACED


def row_map(area: Area | None, mode: str, unit_ids: Iterable[int]) -> dict[int, int | None]:
    """Map each unit (of the territory's facts) to the breakdown row its facts fall in.

    Units outside the territory are absent; units whose facts cannot be placed below the picked
    unit map to ``UNPLACED``.
    """
    units = set(unit_ids)
    nodes = nodes_of(units)
    parts = territory_parts(area)
    inside = {pk for pk in units if any(node in nodes[pk][part_mode] for part_mode, node in parts)}
    top = NATIONAL if area is None else area.pk
    if mode == RESTATED:
        if is_current(area):
            return {pk: _after(nodes[pk][RESTATED], top) for pk in inside}
        return _restated_rows(area, {pk: nodes[pk][RESTATED] for pk in inside})
    if mode != AS_WAS:
        raise ValueError(f"unknown mode {mode!r}")
    paths = {pk: nodes[pk][AS_WAS] for pk in inside}
    if area is None:
        return {pk: _after(path, NATIONAL) for pk, path in paths.items()}
    if not is_current(area):
        return _as_was_of_ended(area, parts, paths)
    return _as_was_of_current(area, paths)


def _restated_rows(area: Area, restated: dict[int, list[int]]) -> dict[int, int | None]:
    """A unit that ended, restated: rows are today's communes (or units below them) that
    carry its facts; what today's provinces carry as a whole is not placed."""
    threshold = min(area.level, 2)
    levels = _levels(n for path in restated.values() for n in path)
    rows = {}
    for pk, path in restated.items():
        below = [n for n in path if n != NATIONAL and levels.get(n, 0) > threshold]
        rows[pk] = below[0] if below else UNPLACED
    return rows


def _as_was_of_ended(area: Area, parts, paths: dict[int, list[int]]) -> dict[int, int | None]:
    """A unit that ended, as it was: its own children; after it ended, the current units
    that took over its land (their children when one of them took over a whole unit of the
    same level, as today's Quảng Ninh did legacy Quảng Ninh)."""
    later = {node for _, node in parts[1:]}
    levels = _levels(later)
    rows = {}
    for pk, path in paths.items():
        if area.pk in path:
            rows[pk] = _after(path, area.pk)
            continue
        part = next(node for node in path if node in later)
        rows[pk] = _after(path, part) if levels[part] <= area.level else part
    return rows


def _as_was_of_current(area: Area, paths: dict[int, list[int]]) -> dict[int, int | None]:
    """A current unit, as it was: each fact on the topmost unit of its day that is carried
    on by the picked one (legacy Lâm Đồng, Đắk Nông, Bình Thuận for today's Lâm Đồng); when the
    unit was formed from a single province or district, that unit's children instead."""
    others = {n for path in paths.values() for n in path if area.pk not in path}
    carried = nodes_of(others - {NATIONAL}) if others else {}
    pieces: dict[int, int | None] = {}
    rows: dict[int, int | None] = {}
    for pk, path in paths.items():
        if area.pk in path:
            rows[pk] = _after(path, area.pk)
            continue
        piece = next(
            (n for n in path if n != NATIONAL and area.pk in carried[n][RESTATED]), path[-1]
        )
        pieces[pk] = piece
        rows[pk] = piece
    formed_from = _predecessor_pieces(area) if pieces else []
    if len(formed_from) == 1 and formed_from[0].level < AreaLevel.COMMUNE:
        # Formed from one province or district alone: its own units say more than one row.
        whole = formed_from[0].pk
        for pk, piece in pieces.items():
            if piece == whole:
                rows[pk] = _after(paths[pk], whole)
    return rows


# --- saying which mode and why ---------------------------------------------------------------


@dataclass
class Reading:
    """How a unit's figures are read: the mode, whether the person chose it, the units the
    breakdown uses, and a sentence when the years fall outside the unit's own life."""

    mode: str
    chosen: bool
    units: list[Area] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "chosen": self.chosen,
            "units": [
                {"id": unit.pk, "name": unit.name, "scheme": unit.scheme} for unit in self.units
            ],
            "note": self.note,
        }


def default_mode(area: Area | None, year_from: int | None, year_to: int | None) -> str:
    """Return the mode that answers the question for a unit and years nobody chose a mode for:
    restated when the years come before the picked current unit existed, as it was otherwise."""
    if area is None or not is_current(area) or area.valid_from is None:
        return AS_WAS
    first = year_from if year_from is not None else year_to
    if first is None or first < area.valid_from.year:
        return RESTATED
    return AS_WAS


def reading(
    area: Area | None,
    mode: str | None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> Reading:
    """Return how ``area``'s figures of those years are read in ``mode`` (None: the default)."""
    chosen = mode is not None
    mode = mode if chosen else default_mode(area, year_from, year_to)
    if area is None:
        return Reading(mode, chosen)
    current = is_current(area)
    if mode == RESTATED:
        units = [area] if current else _current_images(area)
    elif current and _before(area, year_from, year_to):
        units = _predecessor_pieces(area)
    else:
        units = [area, *([] if current else _later_in(area, year_from, year_to))]
    return Reading(mode, chosen, units, _note(area, current, year_from, year_to))


def _before(area: Area, year_from, year_to) -> bool:
    start = area.valid_from
    first = year_from if year_from is not None else year_to
    return start is not None and (first is None or first < start.year)


def _later_in(area: Area, year_from, year_to) -> list[Area]:
    end = area.valid_to
    last = year_to if year_to is not None else year_from
    if end is None or (last is not None and last <= end.year):
        return []
    return later_units(area)


def _current_images(area: Area) -> list[Area]:
    from danvan.areas.selectors import area_current_successors

    return [s.area for s in area_current_successors(area=area) if s.is_default]


def _predecessor_pieces(area: Area) -> list[Area]:
    """The topmost units of earlier days whose figures are restated on ``area``."""
    from danvan.areas.selectors import area_historical_predecessors

    candidates = sorted(area_historical_predecessors(area=area), key=lambda a: len(a.path))
    carried = nodes_of(a.pk for a in candidates)
    pieces: list[Area] = []
    for unit in candidates:
        if area.pk not in carried[unit.pk][RESTATED]:
            continue
        if not any(unit.path.startswith(kept.subtree_prefix) for kept in pieces):
            pieces.append(unit)
    return sorted(pieces, key=lambda a: a.name)


def _note(area: Area, current: bool, year_from, year_to) -> str:
    first = year_from if year_from is not None else year_to
    last = year_to if year_to is not None else year_from
    if current and area.valid_from and first is not None and first < area.valid_from.year:
        return _(
            "%(unit)s was formed on %(date)s; figures of earlier years are those of the units "
            "it was formed from."
        ) % {"unit": area.name, "date": area.valid_from.strftime("%d/%m/%Y")}
    if not current and area.valid_to and last is not None and last > area.valid_to.year:
        return _(
            "%(unit)s ended on %(date)s; figures of later years are those of the current units "
            "that took over its land."
        ) % {"unit": area.name, "date": area.valid_to.strftime("%d/%m/%Y")}
    return ""


def unplaced_label(area: Area | None) -> str:
    """The name of the row of figures that cannot be placed below ``area``."""
    if area is None:
        return _("Not attributable to a province")
    return _("Not attributable to a unit below %(unit)s") % {"unit": area.name}
