"""Load Vietnam's official administrative units from the ``vietnamadminunits`` data (MIT).

The package ships an SQLite file with the legacy three-tier list (63 provinces, their districts
and communes, in force until 30 June 2025) and the current two-tier list (34 provinces and their
communes, wards and special zones, from 1 July 2025), with coordinates, and a JSON crosswalk from
each legacy commune to the current one(s). Only the data files are read; the package's own code
is not imported.

Loading is an upsert keyed on (scheme, code): a second run changes nothing and a newer release
of the data updates names and coordinates in place.
"""

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from importlib import resources
from pathlib import Path

from django.db import connections, router, transaction

from danvan.areas.models import (
    LEGACY_LAST_DAY,
    PATH_SEPARATOR,
    REFORM_2025,
    Area,
    AreaKind,
    AreaLevel,
    AreaSuccession,
    CodeScheme,
    SuccessionKind,
    level_of,
)
from danvan.core.text import fold

DISTRICT_KINDS = {
    "Quận": AreaKind.URBAN_DISTRICT,
    "Huyện": AreaKind.DISTRICT,
    "Thị xã": AreaKind.TOWN,
    "Thành phố": AreaKind.PROVINCIAL_CITY,
}
COMMUNE_KINDS = {
    "Phường": AreaKind.WARD,
    "Xã": AreaKind.COMMUNE,
    "Thị trấn": AreaKind.TOWNSHIP,
    "Đặc khu": AreaKind.SPECIAL_ZONE,
}
SIX_PLACES = Decimal("0.000001")
FOUR_PLACES = Decimal("0.0001")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Unit:
    scheme: str
    code: str
    name: str
    kind: str
    parent: tuple[str, str] | None
    latitude: float | None
    longitude: float | None


def data_dir() -> Path:
    """Return the folder of the package's data files."""
    return Path(str(resources.files("vietnamadminunits") / "data"))


def _province_kind(name: str) -> str:
    return AreaKind.CENTRAL_CITY if name.startswith("Thành phố") else AreaKind.PROVINCE


def _coordinate(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(SIX_PLACES)


def _read_units(connection: sqlite3.Connection):
    """Yield every official unit and record the keys the crosswalk uses to name them."""
    connection.row_factory = sqlite3.Row
    legacy_keys: dict[str, tuple[str, str]] = {}
    current_keys: dict[str, tuple[str, str]] = {}
    units: dict[tuple[str, str], _Unit] = {}

    def add(unit: _Unit) -> None:
        units.setdefault((unit.scheme, unit.code), unit)

    legacy = CodeScheme.LEGACY
    for row in connection.execute("SELECT * FROM admin_units_legacy ORDER BY wardCode"):
        province = (legacy, row["provinceCode"])
        district = (legacy, row["districtCode"])
        add(
            _Unit(
                legacy,
                row["provinceCode"],
                row["province"],
                _province_kind(row["province"]),
                None,
                row["provinceLat"],
                row["provinceLon"],
            )
        )
        add(
            _Unit(
                legacy,
                row["districtCode"],
                row["district"],
                DISTRICT_KINDS[row["districtType"]],
                province,
                row["districtLat"],
                row["districtLon"],
            )
        )
        legacy_keys[row["provinceKey"]] = province
        if row["wardCode"]:
            add(
                _Unit(
                    legacy,
                    row["wardCode"],
                    row["ward"],
                    COMMUNE_KINDS[row["wardType"]],
                    district,
                    row["wardLat"],
                    row["wardLon"],
                )
            )
            key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"
            legacy_keys[key] = (legacy, row["wardCode"])
        else:
            # Island districts have no communes; the crosswalk names them with an empty ward.
            legacy_keys[f"{row['provinceKey']}_{row['districtKey']}_"] = district

    current = CodeScheme.CURRENT
    for row in connection.execute("SELECT * FROM admin_units ORDER BY wardCode"):
        province = (current, row["provinceCode"])
        add(
            _Unit(
                current,
                row["provinceCode"],
                row["province"],
                _province_kind(row["province"]),
                None,
                row["provinceLat"],
                row["provinceLon"],
            )
        )
        add(
            _Unit(
                current,
                row["wardCode"],
                row["ward"],
                COMMUNE_KINDS[row["wardType"]],
                province,
                row["wardLat"],
                row["wardLon"],
            )
        )
        current_keys[row["provinceKey"]] = province
        current_keys[f"{row['provinceKey']}_{row['wardKey']}"] = (current, row["wardCode"])
    return units, legacy_keys, current_keys


def _upsert_areas(units: dict[tuple[str, str], _Unit], report: LoadReport) -> dict:
    valid = {
        CodeScheme.LEGACY: (None, LEGACY_LAST_DAY),
        CodeScheme.CURRENT: (REFORM_2025, None),
    }
    existing = {
        (area.scheme, area.code): area
        for area in Area.objects.filter(scheme__in=[CodeScheme.LEGACY, CodeScheme.CURRENT])
    }
    to_create, to_update = [], []
    for key, unit in units.items():
        valid_from, valid_to = valid[unit.scheme]
        values = {
            "name": unit.name,
            "name_folded": fold(unit.name),
            "kind": unit.kind,
            "level": level_of(unit.kind),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "latitude": _coordinate(unit.latitude),
            "longitude": _coordinate(unit.longitude),
        }
        area = existing.get(key)
        if area is None:
            to_create.append(Area(scheme=unit.scheme, code=unit.code, path="", depth=0, **values))
        elif any(getattr(area, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(area, name, value)
            to_update.append(area)
    Area.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        Area.objects.bulk_update(to_update, list(values), batch_size=2000)
    report.created, report.updated = len(to_create), len(to_update)
    return {
        (area.scheme, area.code): area
        for area in Area.objects.filter(scheme__in=[CodeScheme.LEGACY, CodeScheme.CURRENT])
    }


def _place_in_tree(units: dict[tuple[str, str], _Unit], areas: dict) -> None:
    """Set parent, path and depth of every official unit; write only what changed."""
    changed = []
    # Parents first, so a child's path is built from its parent's finished path.
    for key in sorted(units, key=lambda k: level_of(units[k].kind)):
        unit, area = units[key], areas[key]
        parent = areas[unit.parent] if unit.parent else None
        path = str(area.pk) if parent is None else f"{parent.path}{PATH_SEPARATOR}{area.pk}"
        depth = path.count(PATH_SEPARATOR)
        parent_id = parent.pk if parent else None
        if (area.parent_id, area.path, area.depth) != (parent_id, path, depth):
            area.parent_id, area.path, area.depth = parent_id, path, depth
            changed.append(area)
    _write_places(changed)


def _write_places(areas: list[Area]) -> None:
    """One plain UPDATE a unit, sent as a batch. ``bulk_update`` writes the same as a CASE
    over 2,000 ids per statement, which Django took most of the time to build: a first load
    of the 14,149 units spent 13.5 of its 18 s there (under a profiler); the whole command
    took 9-10 s and now takes 4."""
    database = connections[router.db_for_write(Area)]
    table = database.ops.quote_name(Area._meta.db_table)
    with database.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET parent_id = %s, path = %s, depth = %s WHERE id = %s",
            [(area.parent_id, area.path, area.depth, area.pk) for area in areas],
        )


def _desired_successions(converter: dict, areas: dict, legacy_keys: dict, current_keys: dict):
    """Return {(old_id, new_id): (kind, share, is_default)} for the 2025 reform."""
    wanted: dict[tuple[int, int], tuple[str, Decimal | None, bool]] = {}

    def area_of(key_map: dict, key: str) -> Area:
        return areas[key_map[key]]

    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        new = area_of(current_keys, new_key)
        for old_key in old_keys:
            old = area_of(legacy_keys, old_key)
            if len(old_keys) > 1:
                kind = SuccessionKind.MERGE
            elif old.name != new.name:
                kind = SuccessionKind.RENAME
            else:
                kind = SuccessionKind.CONTINUE
            wanted[(old.pk, new.pk)] = (kind, None, True)

    island_districts = set()
    for new_province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_keys in wards.items():
            new = area_of(current_keys, f"{new_province_key}_{new_ward_key}")
            for old_key in old_keys:
                old = area_of(legacy_keys, old_key)
                if old.level == 2:
                    island_districts.add(old.pk)
                if len(old_keys) > 1:
                    kind = SuccessionKind.MERGE
                elif old.name != new.name:
                    kind = SuccessionKind.RENAME
                else:
                    kind = SuccessionKind.REPARENT
                wanted[(old.pk, new.pk)] = (kind, None, True)

    for new_province_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            old = area_of(legacy_keys, old_key)
            share = (Decimal(1) / len(parts)).quantize(FOUR_PLACES, rounding=ROUND_DOWN)
            for part in parts:
                new = area_of(current_keys, f"{new_province_key}_{part['newWardKey']}")
                wanted[(old.pk, new.pk)] = (
                    SuccessionKind.SPLIT,
                    share,
                    bool(part["isDefaultNewWard"]),
                )

    # Districts were abolished: what was recorded at district level now belongs to the province.
    by_id = {area.pk: area for area in areas.values()}
    province_successor = {old: new for (old, new) in wanted if by_id[old].level == 1}
    for area in areas.values():
        if area.scheme == CodeScheme.LEGACY and area.level == 2 and area.pk not in island_districts:
            new_province = province_successor[area.parent_id]
            wanted[(area.pk, new_province)] = (SuccessionKind.ABOLISH, None, True)
    return wanted


def _upsert_successions(wanted: dict, report: LoadReport) -> None:
    existing = {
        (link.predecessor_id, link.successor_id): link
        for link in AreaSuccession.objects.filter(date=REFORM_2025)
    }
    to_create, to_update = [], []
    for (old, new), (kind, share, is_default) in wanted.items():
        link = existing.get((old, new))
        if link is None:
            to_create.append(
                AreaSuccession(
                    predecessor_id=old,
                    successor_id=new,
                    date=REFORM_2025,
                    kind=kind,
                    share=share,
                    is_default=is_default,
                )
            )
        elif (link.kind, link.share, link.is_default) != (kind, share, is_default):
            link.kind, link.share, link.is_default = kind, share, is_default
            to_update.append(link)
    AreaSuccession.objects.bulk_create(to_create, batch_size=2000)
    AreaSuccession.objects.bulk_update(to_update, ["kind", "share", "is_default"], batch_size=2000)
    report.successions_created, report.successions_updated = len(to_create), len(to_update)


def load_official_areas(source: Path | None = None) -> LoadReport:
    """Load or refresh both official lists and the 2025 crosswalk, all in one transaction."""
    source = source or data_dir()
    report = LoadReport()
    connection = sqlite3.connect(f"file:{source / 'dataset.db'}?mode=ro", uri=True)
    try:
        units, legacy_keys, current_keys = _read_units(connection)
    finally:
        connection.close()
    converter = json.loads((source / "converter_2025.json").read_text(encoding="utf-8"))
    with transaction.atomic():
        areas = _upsert_areas(units, report)
        _place_in_tree(units, areas)
        wanted = _desired_successions(converter, areas, legacy_keys, current_keys)
        _upsert_successions(wanted, report)
    counts = defaultdict(int)
    for area in areas.values():
        # Stable keys ("legacy:commune"), whatever the active language.
        counts[f"{area.scheme}:{AreaLevel(area.level).name.lower()}"] += 1
    report.counts = dict(sorted(counts.items()))
    return report
