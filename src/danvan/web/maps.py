"""Outlines of administrative units for the dashboard's map, drawn offline.

No registry package ships the outlines of the units in force since 1 July 2025 (34 provinces,
communes without districts), so the outlines are derived, and the map says they are
approximate:

* the country's land is Vietnam's polygon in Natural Earth's 1:10m countries, as the npm
  package ``world-atlas`` ships it (ISC licence; Natural Earth is in the public domain);
* each commune (the lowest unit of a scheme that has official coordinates, from the
  ``vietnamadminunits`` package, MIT) gets its Voronoi cell among all the communes of its
  scheme, clipped to that land: the land nearest its official centre;
* a unit's outline is the union of the cells of the communes under it, so children tile
  their parent exactly, and a province's outline is its communes' together;
* a commune whose centre lies off the Natural Earth land (an island) gets a small disc
  around its centre instead, inside its cell; the special zones of Hoàng Sa (Đà Nẵng) and
  Trường Sa (Khánh Hòa) get a disc the size of the archipelago and a label on every map that
  shows them, the whole country's above all.

Outlines are computed once per scheme and process and kept in the cache per unit: computing
the cells of the 3,321 current communes takes about a second.
"""

import functools
import hashlib
import json
import math
from collections.abc import Iterable

import shapely
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.geometry.base import BaseGeometry

from danvan.areas.models import Area, CodeScheme
from danvan.stats.shape import plain

LAND_FILE = settings.NODE_MODULES / "world-atlas" / "countries-10m.json"
VIETNAM_ID = "704"
# A commune off the mapped land is drawn as a disc of this radius (degrees, about 3 km).
ISLAND_RADIUS = 0.03
# The archipelagos, by the official code of their unit in each scheme: label and the radius
# (degrees) of the disc that stands for the archipelago's extent.
ARCHIPELAGOS = {
    (CodeScheme.CURRENT, "20333"): (gettext_lazy("Hoàng Sa archipelago (Đà Nẵng)"), 0.7),
    (CodeScheme.CURRENT, "22736"): (gettext_lazy("Trường Sa archipelago (Khánh Hòa)"), 1.2),
    (CodeScheme.LEGACY, "498"): (gettext_lazy("Hoàng Sa archipelago (Đà Nẵng)"), 0.7),
    (CodeScheme.LEGACY, "576"): (gettext_lazy("Trường Sa archipelago (Khánh Hòa)"), 1.2),
}
# How much outlines are simplified, in degrees, by the depth of the unit whose children
# are drawn (the whole country's provinces need less detail than a commune's neighbours).
SIMPLIFY = {None: 0.01, 0: 0.003, 1: 0.0015}
DECIMALS = 4
# At most this many units on one map drawn by the units its figures are by (``drawn_units``).
MAX_DRAWN = 500


def _arc_points(arcs: list, transform: dict, wanted: set[int]) -> dict[int, list]:
    """Decode the ``wanted`` delta-encoded, quantised arcs of a TopoJSON file into lon/lat."""
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    decoded = {}
    for index in wanted:
        arc = arcs[index]
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        decoded[index] = points
    return decoded


def _ring(indexes: list[int], arcs: dict) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


@functools.lru_cache(maxsize=1)
def vietnam_land() -> BaseGeometry:
    """Return Vietnam's land as Natural Earth draws it (the islands it knows included)."""
    with LAND_FILE.open(encoding="utf-8") as handle:
        topology = json.load(handle)
    [country] = [
        g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == VIETNAM_ID
    ]
    polygons = country["arcs"] if country["type"] == "MultiPolygon" else [country["arcs"]]
    wanted = {i if i >= 0 else ~i for rings in polygons for ring in rings for i in ring}
    arcs = _arc_points(topology["arcs"], topology["transform"], wanted)
    geometry = shapely.MultiPolygon(
        [
            shapely.Polygon(_ring(rings[0], arcs), [_ring(r, arcs) for r in rings[1:]])
            for rings in polygons
        ]
    )
    valid = shapely.make_valid(geometry)
    polygons = [
        part
        for part in shapely.get_parts(valid)
        if isinstance(part, shapely.Polygon | shapely.MultiPolygon)
    ]
    return shapely.union_all(polygons).simplify(0.002)


def _stamp(scheme: str) -> tuple[int, int]:
    """What changes when a scheme's units are reloaded: their number and newest id."""
    row = Area.objects.filter(scheme=scheme).aggregate(n=Count("id"), top=Max("id"))
    return row["n"], row["top"] or 0


@functools.lru_cache(maxsize=4)
def _cells(scheme: str, stamp: tuple[int, int]) -> dict:
    """Return ``{"cells": {id: geometry}, "paths": {id: path}, "marks": [...]}`` for the
    leaves of ``scheme``: the units with coordinates that no unit with coordinates is under."""
    rows = list(
        Area.objects.filter(scheme=scheme, latitude__isnull=False, longitude__isnull=False)
        .values_list("id", "parent_id", "path", "latitude", "longitude", "code")
        .order_by("id")
    )
    parents = {row[1] for row in rows}
    leaves = [row for row in rows if row[0] not in parents]
    if not leaves:
        return {"cells": {}, "paths": {}, "marks": []}
    land = vietnam_land()
    shapely.prepare(land)
    # Units that share their official coordinates share one cell.
    places = sorted({(float(lon), float(lat)) for _, _, _, lat, lon, _ in leaves})
    envelope = shapely.box(100.0, 5.0, 120.0, 25.0)
    regions = shapely.voronoi_polygons(MultiPoint(places), extend_to=envelope, ordered=True)
    region_of = dict(zip(places, regions.geoms, strict=True))
    inside = {place for place in places if land.contains(Point(place))}
    clipped = dict(
        zip(
            sorted(inside),
            shapely.intersection([region_of[p] for p in sorted(inside)], land),
            strict=True,
        )
    )
    cells: dict[int, BaseGeometry] = {}
    marks = []
    for pk, _, _, lat, lon, code in leaves:
        place = (float(lon), float(lat))
        point, region = Point(place), region_of[place]
        archipelago = ARCHIPELAGOS.get((scheme, code))
        if archipelago is not None:
            radius = archipelago[1]
            cells[pk] = point.buffer(radius, quad_segs=8)
            marks.append({"id": pk, "code": code, "lon": float(lon), "lat": float(lat)})
        elif place in inside:
            cells[pk] = clipped[place]
        else:
            cells[pk] = region.intersection(point.buffer(ISLAND_RADIUS, quad_segs=4))
    return {"cells": cells, "paths": {row[0]: row[2] for row in leaves}, "marks": marks}


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def _rounded(geometry: BaseGeometry) -> dict:
    geometry = shapely.set_precision(geometry, 10**-DECIMALS)
    return mapping(geometry)


def _feature(area: Area, geometry: BaseGeometry, tolerance: float) -> dict | None:
    if geometry.is_empty:
        return None
    simple = geometry.simplify(tolerance, preserve_topology=True)
    return {
        "type": "Feature",
        "properties": {"id": area.pk, "name": area.name},
        "geometry": _rounded(simple if not simple.is_empty else geometry),
    }


def children_of(area: Area | None) -> list[Area]:
    """Return the units drawn for ``area``: its children, the provinces for the country."""
    if area is None:
        return list(Area.objects.filter(scheme=CodeScheme.CURRENT, parent=None).current())
    return list(Area.objects.filter(parent=area))


def drawn_units(area: Area | None, row_ids: Iterable[int]) -> tuple[list[Area], bool]:
    """Return the units the map draws for ``area`` when its figures are broken down by the
    units ``row_ids``, and whether those are other than its children.

    The map draws the units the figures are by, so that each outline is coloured by its own
    figure. As a rule those are ``area``'s children. A unit that ended, read in the years
    after, is broken down by the current units that took over its land; a current unit, in the
    years before it was formed, by the units it was formed from; the whole country, before
    the 2025 reform, by the provinces of that day: the map then draws those units (every
    province of that day, for the whole country)."""
    children = children_of(area)
    rows = set(row_ids)
    if rows <= {child.pk for child in children}:
        return children, False
    units = Area.objects.filter(pk__in=rows)
    if area is None:
        schemes = set(units.values_list("scheme", flat=True))
        if len(schemes) > 1:  # years on both sides of the reform: today's provinces
            return children, False
        units = Area.objects.filter(parent=None, scheme__in=schemes)
    return list(units.order_by("path")[:MAX_DRAWN]), True


def colour_scale(drawn: Iterable[int], rows: Iterable[dict], figures: Iterable[str]) -> dict:
    """Return, for each of ``figures``, the range ``[smallest, largest]`` of that figure over
    the ``drawn`` units (a unit without a row counts 0), or None when none of them has any of
    it: the map then says so in words rather than draw a scale from 0 to 0.

    ``rows`` are the breakdown's rows (``id`` and one key per figure); a row that is not a
    drawn unit (an organisation, below a commune) colours nothing."""
    by_id = {row["id"]: row for row in rows}
    drawn = list(drawn)
    scale = {}
    for figure in figures:
        values = [(by_id[pk].get(figure) or 0) if pk in by_id else 0 for pk in drawn]
        largest = max(values, default=0)
        scale[figure] = [plain(min(values)), plain(largest)] if largest > 0 else None
    return scale


def outlines(area: Area | None, units: list[Area] | None = None) -> dict:
    """Return ``area``'s children (or the given ``units``, see ``drawn_units``) as a GeoJSON
    FeatureCollection (each feature's properties carry the unit's ``id`` and ``name``), the
    archipelago ``marks`` they hold, and ``own`` True when the unit has no outlined children
    and its own outline stands in."""
    scheme = CodeScheme.CURRENT if area is None else area.scheme
    if scheme == CodeScheme.LOCAL:
        return {"type": "FeatureCollection", "features": [], "marks": [], "own": False}
    stamp = _stamp(scheme)
    key = f"web:map:{scheme}:{area.pk if area else 'country'}:{stamp[0]}:{stamp[1]}"
    if units is not None:
        ids = ",".join(str(unit.pk) for unit in units)
        others = [_stamp(s) for s in sorted({unit.scheme for unit in units} - {scheme})]
        key += f":{hashlib.sha256(ids.encode()).hexdigest()[:20]}:{others}".replace(" ", "")
    result = cache.get(key)
    if result is None:
        result = _outlines(area, scheme, stamp, units)
        cache.set(key, result, timeout=None)
    # Labels are translated per request: the cache is shared by every language.
    for mark in result["marks"]:
        mark["label"] = str(ARCHIPELAGOS[(mark.get("scheme", scheme), mark["code"])][0])
    return result


def _outlines(
    area: Area | None, scheme: str, stamp: tuple[int, int], units: list[Area] | None
) -> dict:
    tolerance = SIMPLIFY.get(None if area is None else min(area.depth, 1), 0.0015)
    features = []
    own = False
    marks = []
    for unit in children_of(area) if units is None else units:
        if unit.scheme == CodeScheme.LOCAL:
            continue
        data = _cells(unit.scheme, stamp if unit.scheme == scheme else _stamp(unit.scheme))
        parts = [c for pk, c in data["cells"].items() if _under(data["paths"][pk], unit.path)]
        if parts and (feature := _feature(unit, shapely.union_all(parts), tolerance)):
            features.append(feature)
        if units is not None:
            marks += [
                {**mark, "scheme": unit.scheme}
                for mark in data["marks"]
                if _under(data["paths"][mark["id"]], unit.path)
            ]
    data = _cells(scheme, stamp)
    if not features and area is not None:
        parts = [c for pk, c in data["cells"].items() if _under(data["paths"][pk], area.path)]
        if parts and (feature := _feature(area, shapely.union_all(parts), tolerance / 3)):
            features.append(feature)
            own = True
    if units is None:
        prefix = area.path if area is not None else None
        marks = [
            {**mark, "scheme": scheme}
            for mark in data["marks"]
            if prefix is None or _under(data["paths"][mark["id"]], prefix)
        ]
    return {"type": "FeatureCollection", "features": features, "marks": marks, "own": own}


def area_km2(geometry: dict) -> float:
    """Return the rough area of a GeoJSON geometry in km² (for tests and checks)."""
    geom = shape(geometry)
    lat = geom.centroid.y
    return geom.area * 111.32 * 111.32 * math.cos(math.radians(lat))
