"""Shared pieces of the demo loader: deterministic codes, organisation naming, area look-ups.

The demo must produce the same rows for the same seed on any day, so nothing here reads the
clock or the database's sequences: initiative numbers are handed out by a ``CodeBook`` in a
fixed order, organisation codes are derived from their seat and kind, and the sequences are
bumped past them afterwards so officers' later registrations never collide.
"""

import datetime
from collections import defaultdict

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, AreaLevel, CodeScheme
from danvan.areas.services import area_create
from danvan.core.models import bump_sequence
from danvan.initiatives.services import CODE_PREFIX
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.services import organisation_create

# The demo describes the world as of the end of 2025, whatever day it is loaded on.
AS_OF = datetime.date(2025, 12, 31)
FIRST_YEAR = 2013
LAST_YEAR = 2025

SCHEME_LETTER = {CodeScheme.LEGACY: "L", CodeScheme.CURRENT: "C", CodeScheme.LOCAL: "X"}
KIND_SUFFIX = {
    OrgKind.PARTY_COMMITTEE: "DB",
    OrgKind.PEOPLES_COMMITTEE: "UB",
    OrgKind.FATHERLAND_FRONT: "MT",
    OrgKind.WOMENS_UNION: "PN",
    OrgKind.YOUTH_UNION: "DTN",
    OrgKind.FARMERS_ASSOCIATION: "ND",
    OrgKind.VETERANS_ASSOCIATION: "CCB",
    OrgKind.TRADE_UNION: "CD",
    OrgKind.POLICE: "CA",
    OrgKind.MILITARY: "QS",
    OrgKind.SCHOOL: "TH",
    OrgKind.ENTERPRISE: "DN",
    OrgKind.MASS_MOBILIZATION_COMMISSION: "BDV",
    OrgKind.OTHER: "K",
}
# How each kind of unit is called in Vietnamese, before the name of its area.
KIND_PREFIX = {
    OrgKind.PARTY_COMMITTEE: "Đảng bộ",
    OrgKind.PEOPLES_COMMITTEE: "Ủy ban nhân dân",
    OrgKind.FATHERLAND_FRONT: "Ủy ban Mặt trận Tổ quốc Việt Nam",
    OrgKind.WOMENS_UNION: "Hội Liên hiệp Phụ nữ",
    OrgKind.YOUTH_UNION: "Đoàn Thanh niên",
    OrgKind.FARMERS_ASSOCIATION: "Hội Nông dân",
    OrgKind.VETERANS_ASSOCIATION: "Hội Cựu chiến binh",
    OrgKind.TRADE_UNION: "Liên đoàn Lao động",
    OrgKind.POLICE: "Công an",
    OrgKind.MILITARY: "Ban Chỉ huy Quân sự",
    OrgKind.SCHOOL: "Trường Tiểu học",
    OrgKind.ENTERPRISE: "Hợp tác xã",
    OrgKind.MASS_MOBILIZATION_COMMISSION: "Ban Dân vận",
    OrgKind.OTHER: "Tổ",
}
# Below a commune the same bodies have other names: a Party cell, a Front work committee.
LOCAL_PREFIX = {
    OrgKind.PARTY_COMMITTEE: "Chi bộ",
    OrgKind.FATHERLAND_FRONT: "Ban công tác Mặt trận",
    OrgKind.WOMENS_UNION: "Chi hội Phụ nữ",
    OrgKind.YOUTH_UNION: "Chi đoàn Thanh niên",
    OrgKind.FARMERS_ASSOCIATION: "Chi hội Nông dân",
    OrgKind.VETERANS_ASSOCIATION: "Chi hội Cựu chiến binh",
}


class DemoError(Exception):
    """The demo cannot be loaded into this database as it is."""


def lower_first(name: str) -> str:
    """Return "phường Yên Giang" for "Phường Yên Giang", as names read inside a sentence."""
    return name[:1].lower() + name[1:]


def org_code(area: Area, kind: str) -> str:
    """Return the demo code of the ``kind`` organisation seated in ``area``."""
    return f"DV-{SCHEME_LETTER[area.scheme]}{area.code}-{KIND_SUFFIX[kind]}"


def org_name(area: Area, kind: str, parent: Area | None = None) -> str:
    """Return the Vietnamese name of the ``kind`` organisation of ``area``."""
    if area.level == AreaLevel.LOCAL:
        prefix = LOCAL_PREFIX.get(kind, KIND_PREFIX[kind])
        where = lower_first(area.name)
        if parent is not None:
            where = f"{where}, {lower_first(parent.name)}"
        return f"{prefix} {where}"
    if kind == OrgKind.SCHOOL:
        return f"{KIND_PREFIX[kind]} {area.name.split(' ', 1)[-1]}"
    return f"{KIND_PREFIX[kind]} {lower_first(area.name)}"


def org_fields(area: Area, kind: str) -> dict:
    """Return the fields of a demo organisation; its life follows its seat's."""
    parent = area.parent if area.level == AreaLevel.LOCAL else None
    return {
        "code": org_code(area, kind),
        "name": org_name(area, kind, parent),
        "kind": kind,
        "seat_area": area,
        "valid_from": area.valid_from,
        "valid_to": area.valid_to,
    }


def organisation(area: Area, kind: str, name: str = "") -> Organisation:
    """Return the demo organisation of ``kind`` in ``area``, creating it through the service."""
    fields = org_fields(area, kind)
    found = Organisation.objects.filter(code=fields["code"]).first()
    if found is not None:
        return found
    if name:
        fields["name"] = name
    return organisation_create(actor=SYSTEM, **fields)


class CodeBook:
    """Hand out ``DVK-YYYY-NNNNNN`` codes in call order, the same on every run."""

    def __init__(self) -> None:
        self.last: dict[int, int] = defaultdict(int)

    def next(self, year: int) -> str:
        self.last[year] += 1
        return f"{CODE_PREFIX}-{year}-{self.last[year]:06d}"

    def bump_sequences(self) -> None:
        """Move each year's sequence past the codes used, so services continue after them."""
        for year, last in self.last.items():
            bump_sequence(f"{CODE_PREFIX}-{year}", last)


def legacy_area(name: str, parent: str) -> Area:
    """Return the legacy official unit called ``name`` under the unit called ``parent``."""
    return Area.objects.get(scheme=CodeScheme.LEGACY, name=name, parent__name=parent)


def local_area(parent: Area, kind: str, name: str) -> Area:
    """Return the unit ``name`` below ``parent``, creating it through the service if missing."""
    found = Area.objects.filter(parent=parent, scheme=CodeScheme.LOCAL, name=name).first()
    return found or area_create(actor=SYSTEM, name=name, kind=kind, parent=parent)
