"""A breakdown by unit that crosses boundary schemes, read from the rollups.

Some breakdowns by unit are not a node's children in one mode (``danvan.stats.lineage``): a
current unit as it was (today's Lâm Đồng by the legacy provinces it was formed from), a unit
that ended and whose land current units took over (legacy Thanh Hóa: its own districts, then
today's units), a unit that ended restated on today's communes. ``lineage.row_map`` says in
which row each unit's facts fall. The rollups hold every fact under every node of its unit's
path, per mode, so a row is the sum of the rollup rows of a few nodes:

* a node is *pure* for a row when every unit counted under it in that mode (every unit with
  ``AreaNode`` rows, not only the territory's) lies in the territory and falls in that row;
  the topmost pure nodes never overlap, and each adds its rollup rows whole;
* a node that is not pure still answers for the units counted under it and under none of
  its children (its own unit, in the restated mode also the units carried on by it): its rows
  minus its children's, when those units all fall in one row; a node with no such units may
  be read whole on one row, minus its children, when that reads fewer nodes (legacy Lâm Đồng
  minus a village whose land went elsewhere); signs are added up per node;
* in the restated mode, the units a current unit carries on together with units of another
  territory (legacy Lâm Đồng's own figures and its districts', restated on today's Lâm Đồng
  with those of Đắk Nông and Bình Thuận) are then placed by their nodes as they were (a unit
  as it was is always its own rows minus its children's), or, when they fall in one row, as
  the territory's total minus the other rows. Every figure is read from the rollups, never
  from the base tables.

Today's provinces were formed from whole legacy provinces, so a cover is mostly the rows' own
units: a legacy province's districts, today's communes, or one node for a whole legacy
province.

The cover depends on the tree, its history and which units are counted (have ``AreaNode``
rows), never on the facts themselves, so it is cached (shared by every process) under the
versions that a change of the tree (``lineage_changed``) and a unit's first ``AreaNode`` rows
(its first fact, or a reading of the units above one: ``nodes.nodes_added``) move on.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.core.cache import cache
from django.db.models import Q

from danvan.areas.models import Area
from danvan.stats.lineage import lineage_version, row_map, territory_parts
from danvan.stats.models import AS_WAS, RESTATED, AreaNode
from danvan.stats.nodes import nodes_version


@dataclass(frozen=True)
class Cover:
    """The rollup nodes whose rows make up each row of a breakdown by unit.

    ``terms`` are (mode, node, row, sign): the node's rollup rows in that mode, added to
    (sign 1) or taken from (sign -1) the breakdown's row.
    """

    terms: tuple[tuple[str, int, int | None, int], ...] = ()

    def nodes(self) -> dict[str, list[int]]:
        """The nodes to read, per mode."""
        found: dict[str, set[int]] = defaultdict(set)
        for mode, node, _, _ in self.terms:
            found[mode].add(node)
        return {mode: sorted(nodes) for mode, nodes in sorted(found.items())}

    def fold(self, rows: Iterable[dict], measures: Iterable[str]) -> list[dict]:
        """Turn rollup rows grouped by mode and node (``area_id``) into rows of the
        breakdown: each node's row once per term, its measures signed, ``area_id`` the
        breakdown's row."""
        measures = set(measures)
        targets: dict[tuple[str, int], list[tuple[int | None, int]]] = defaultdict(list)
        for mode, node, row, sign in self.terms:
            targets[(mode, node)].append((row, sign))
        folded = []
        for found in rows:
            for row, sign in targets.get((found["mode"], found["area_id"]), ()):
                folded.append(
                    {
                        **{
                            name: (sign * (value or 0) if name in measures else value)
                            for name, value in found.items()
                            if name != "mode"
                        },
                        "area_id": row,
                    }
                )
        return folded


# A cover takes a few hundred milliseconds to work out for a province when every unit carries
# facts, and the versions of its key move on with anything it depends on, so it is kept long.
COVER_TTL = 24 * 3600


def cover_of(area: Area, mode: str) -> Cover:
    """Return the cover of ``area``'s breakdown by unit in ``mode`` (from the cache)."""
    version = (lineage_version(), nodes_version())
    found = cache.get(_key(version, area, mode))
    if found is None:
        found = _cover(area, mode)
        now = (lineage_version(), nodes_version())
        if now != version:
            # Reading the lineage filled the node cache of units above (``nodes_of``), or the
            # tree changed meanwhile: read again, under the version that sees it.
            version, found = now, _cover(area, mode)
        cache.set(_key(version, area, mode), found, COVER_TTL)
    return found


def _key(version: tuple[int, int], area: Area, mode: str) -> str:
    return f"stats:cover:{version[0]}:{version[1]}:{area.pk}:{mode}"


def _paths(condition: Q) -> dict[int, list[int]]:
    """The nodes of the units whose ``AreaNode`` rows match ``condition``, country first (the
    rows of a unit and mode are written in the order of its path)."""
    paths: dict[int, list[int]] = defaultdict(list)
    for area_id, node_id in (
        AreaNode.objects.filter(condition).order_by("id").values_list("area_id", "node_id")
    ):
        paths[area_id].append(node_id)
    return paths


def _cover(area: Area, mode: str) -> Cover:
    parts = territory_parts(area)
    inside = Q(pk__in=[])
    for part_mode, part_node in parts:
        inside |= Q(mode=part_mode, node_id=part_node)
    selection = AreaNode.objects.filter(inside).values("area_id")
    territory = set(selection.values_list("area_id", flat=True))
    if not territory:
        return Cover()
    rows = row_map(area, mode, territory)
    # A unit that ended, restated, is broken down by today's units: its facts are placed by
    # their nodes restated. The other breakdowns are by the units of the facts' own day, where
    # every unit's own facts are its node's rows minus its children's: nothing is left.
    first = RESTATED if mode == RESTATED else AS_WAS
    found, left = _cover_pass(first, territory, rows, selection)
    terms = [(first, node, row, sign) for node, row, sign in found]
    if left:
        terms += _leftover(terms, left, rows, parts)
    weights: dict[tuple[str, int, int | None], int] = defaultdict(int)
    for node_mode, node, row, sign in terms:
        weights[(node_mode, node, row)] += sign
    # A district's own rows added for itself and taken for its province cancel out.
    return Cover(
        tuple((m, node, row, sign) for (m, node, row), sign in weights.items() if sign != 0)
    )


def _leftover(terms: list, left: set[int], rows: dict, parts) -> list:
    """Terms for the units a restated node holds together with another territory's (legacy
    Lâm Đồng's own figures and its districts', restated on today's Lâm Đồng with those of Đắk
    Nông and Bình Thuận).

    As they were, each unit is its node's rows minus its children's, which may read every
    commune below a province. So one of their rows may instead be read as the territory's
    total (its parts) minus every other term: whichever reads the fewest nodes.
    """
    found, rest = _cover_pass(AS_WAS, left, rows, sorted(left))
    if rest:  # never: as it was, every unit is its own node
        raise RuntimeError(f"units left out of a breakdown's cover: {sorted(rest)}")
    as_was = [(AS_WAS, node, row, sign) for node, row, sign in found]
    read = {(m, node) for m, node, _, _ in terms}
    best, fewest = as_was, len({(m, node) for m, node, _, _ in as_was} - read)
    for rest_row in sorted({rows[unit] for unit in left}, key=str):
        others = [term for term in as_was if term[2] != rest_row]
        total = [(m, node, rest_row, 1) for m, node in parts]
        total += [(m, node, rest_row, -sign) for m, node, _, sign in [*terms, *others]]
        nodes = {(m, node) for m, node, _, _ in [*total, *others]} - read
        if len(nodes) < fewest:
            best, fewest = [*others, *total], len(nodes)
    return best


def _cover_pass(
    node_mode: str, units: set[int], rows: dict[int, int | None], selection
) -> tuple[list[tuple[int, int | None, int]], set[int]]:
    """Cover the facts of ``units`` (``selection`` reads their ids) by nodes of
    ``node_mode``; return the terms and the units left (those a node of this mode holds only
    together with other units)."""
    mine = _paths(Q(mode=node_mode, area_id__in=selection))
    tops = sorted({path[1] for path in mine.values() if len(path) > 1})
    # Every unit counted under the same top nodes, these units and any other.
    under = AreaNode.objects.filter(mode=node_mode, node_id__in=tops).values("area_id")
    paths = {**_paths(Q(mode=node_mode, area_id__in=under)), **mine}
    children: dict[int, set[int]] = defaultdict(set)
    ends: dict[int, list[int]] = defaultdict(list)
    targets: dict[int, set] = defaultdict(set)
    mixed: set[int] = set()  # nodes counting other units too
    for unit, path in paths.items():
        ends[path[-1]].append(unit)
        for parent, child in pairwise(path):
            children[parent].add(child)
        for node in path[1:]:
            if unit in units:
                targets[node].add(rows[unit])
            else:
                mixed.add(node)
    terms: Counter = Counter()
    left: set[int] = set()
    for top in tops:
        found, missed = _visit(top, units, rows, children, ends, targets, mixed)
        terms.update(found)
        left |= missed
    return [(node, row, sign) for (node, row), sign in terms.items() if sign], left


def _visit(node: int, units, rows, children, ends, targets, mixed) -> tuple[Counter, set[int]]:
    """Cover the units below ``node``: the node whole when it is pure; else its children's
    covers and its own units (its rows minus its children's), or, when that reads fewer
    nodes, the node whole on one row, minus its children, plus their covers (legacy Lâm Đồng
    minus a village that went elsewhere)."""
    if not targets[node]:
        return Counter(), set()  # none of the units below
    if node not in mixed and len(targets[node]) == 1:
        return Counter({(node, next(iter(targets[node]))): 1}), set()
    below = sorted(children[node])
    terms: Counter = Counter()
    left: set[int] = set()
    for child in below:
        found, missed = _visit(child, units, rows, children, ends, targets, mixed)
        terms.update(found)
        left |= missed
    own = ends.get(node, [])
    placed = [unit for unit in own if unit in units]
    if placed:
        falls_in = {rows[unit] for unit in placed}
        if len(placed) < len(own) or len(falls_in) > 1:
            return terms, left | set(placed)
        # The node's own units: its rows minus its children's.
        return _whole(terms, node, falls_in.pop(), below), left
    best = terms
    if not own:
        # Nothing of its own: the node whole on one row minus its children adds nothing, and
        # may read fewer nodes.
        for row in sorted(targets[node], key=str):
            candidate = _whole(terms, node, row, below)
            if _read(candidate) < _read(best):
                best = candidate
    return best, left


def _whole(terms: Counter, node: int, row, below: list[int]) -> Counter:
    """``terms`` plus the node's rows on ``row`` minus its children's."""
    found = Counter(terms)
    found[(node, row)] += 1
    for child in below:
        found[(child, row)] -= 1
    return found


def _read(terms: Counter) -> int:
    """How many nodes ``terms`` read."""
    return len({node for (node, _), sign in terms.items() if sign})
