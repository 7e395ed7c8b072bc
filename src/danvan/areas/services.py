"""Every write to the administrative tree."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from danvan.areas.models import (
    COMMUNE_KINDS,
    LOCAL_KINDS,
    PATH_SEPARATOR,
    Area,
    AreaKind,
    AreaSuccession,
    CodeScheme,
    SuccessionKind,
)
from danvan.core import upkeep
from danvan.core.access import require
from danvan.core.history import attribute_to
from danvan.core.validation import clean_and_save, reject


def _path_for(area: Area) -> str:
    if area.parent_id is None:
        return str(area.pk)
    return f"{area.parent.path}{PATH_SEPARATOR}{area.pk}"


def _check_parent(*, kind: str, parent: Area | None, scheme: str) -> None:
    if kind in LOCAL_KINDS:
        if parent is None:
            reject("parent", _("A unit below a commune needs its commune (or village) as parent."))
        if parent.kind not in COMMUNE_KINDS and parent.kind not in LOCAL_KINDS:
            reject("parent", _("A unit below a commune must sit under a commune, ward or village."))
    if parent is not None and parent.scheme != scheme and scheme != CodeScheme.LOCAL:
        reject("parent", _("The parent unit belongs to another code list."))


def _require_area_manage(actor, area: Area | None, scheme: str) -> None:
    """Local units are managed by administrators in scope; official ones by super admins."""
    require(actor, "area.manage", area=area if scheme == CodeScheme.LOCAL else None)


@transaction.atomic
def area_create(
    *,
    actor,
    name: str,
    kind: str,
    code: str = "",
    scheme: str = CodeScheme.LOCAL,
    parent: Area | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Area:
    """Create one unit and place it in the tree.

    Officers create villages, residential groups and family groups under their commune; the
    official units come from ``load_areas``. A local unit without a code gets one from its
    parent's code and the next free number.
    """
    _require_area_manage(actor, parent, scheme)
    if kind not in AreaKind.values:
        reject("kind", _("Unknown kind of unit."))
    _check_parent(kind=kind, parent=parent, scheme=scheme)
    if not code and scheme == CodeScheme.LOCAL and parent is not None:
        siblings = Area.objects.filter(parent=parent, scheme=CodeScheme.LOCAL).count()
        code = f"{parent.code}-{siblings + 1:03d}"
        while Area.objects.filter(scheme=scheme, code=code).exists():
            siblings += 1
            code = f"{parent.code}-{siblings + 1:03d}"
    if parent is not None and valid_from is None:
        valid_from = parent.valid_from
    if parent is not None and valid_to is None:
        valid_to = parent.valid_to
    area = Area(
        scheme=scheme,
        code=code,
        name=(name or "").strip(),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        latitude=latitude,
        longitude=longitude,
        path="pending",
    )
    attribute_to(area, actor)
    clean_and_save(area)
    area.path = _path_for(area)
    area.depth = area.path.count(PATH_SEPARATOR)
    area.save(update_fields=["path", "depth"])
    return area


@transaction.atomic
def area_update(
    *,
    actor,
    area: Area,
    name: str | None = None,
    parent: Area | None = None,
    valid_to: datetime.date | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Area:
    """Rename, move or close a unit; moving it rewrites the paths of its whole subtree.

    Moving or closing a unit changes where its figures, and its subtree's, are counted: the
    statistics follow in the same transaction.
    """
    _require_area_manage(actor, area, area.scheme)
    if parent is not None:
        _require_area_manage(actor, parent, area.scheme)
    attribute_to(area, actor)
    old_prefix = area.path
    closed = valid_to is not None and valid_to != area.valid_to
    if name is not None:
        area.name = name.strip()
    if valid_to is not None:
        area.valid_to = valid_to
    if latitude is not None:
        area.latitude = latitude
    if longitude is not None:
        area.longitude = longitude
    moved = parent is not None and parent.pk != area.parent_id
    if moved:
        if parent.pk == area.pk or parent.path.startswith(area.subtree_prefix):
            reject("parent", _("A unit cannot be moved under itself."))
        _check_parent(kind=area.kind, parent=parent, scheme=area.scheme)
        area.parent = parent
    clean_and_save(area)
    if moved:
        area.path = _path_for(area)
        area.depth = area.path.count(PATH_SEPARATOR)
        area.save(update_fields=["path", "depth"])
        shift = area.depth - old_prefix.count(PATH_SEPARATOR)
        descendants = Area.objects.filter(path__startswith=old_prefix + PATH_SEPARATOR)
        for child in descendants:
            child.path = area.path + child.path[len(old_prefix) :]
            child.depth += shift
        Area.objects.bulk_update(descendants, ["path", "depth"])
    if moved or closed:
        _figures_follow([area])
    return area


def _figures_follow(units: list[Area]) -> None:
    """Re-file the figures of ``units``, their subtrees, and every unit they carry on."""
    from danvan.areas.selectors import area_historical_predecessors, area_subtree

    roots = {unit.pk: unit for unit in units}
    for unit in units:
        for predecessor in area_historical_predecessors(area=unit):
            roots.setdefault(predecessor.pk, predecessor)
    ids: set[int] = set()
    for root in roots.values():
        ids.update(area_subtree(area=root).values_list("pk", flat=True))
    upkeep.areas_changed(ids)


def _check_shares(predecessor: Area) -> None:
    links = AreaSuccession.objects.filter(predecessor=predecessor)
    total = links.aggregate(total=Sum("share"))["total"]
    if total is not None and total > 1:
        reject("share", _("The shares of a split unit cannot add up to more than 1."))


@transaction.atomic
def area_succession_create(
    *,
    actor,
    predecessor: Area,
    successor: Area,
    date: datetime.date,
    kind: str,
    share: Decimal | None = None,
    is_default: bool = True,
    note: str = "",
) -> AreaSuccession:
    """Record that ``predecessor`` ended and ``successor`` carries it on from ``date``."""
    _require_area_manage(actor, predecessor, predecessor.scheme)
    _require_area_manage(actor, successor, successor.scheme)
    if kind == SuccessionKind.SPLIT and share is None:
        reject("share", _("A split needs the share this successor carries."))
    existing = AreaSuccession.objects.filter(predecessor=predecessor)
    if is_default:
        existing.filter(is_default=True).update(is_default=False)
    elif not existing.filter(is_default=True).exists():
        is_default = True  # the first successor recorded is the default until another is named
    link = AreaSuccession(
        predecessor=predecessor,
        successor=successor,
        date=date,
        kind=kind,
        share=share,
        is_default=is_default,
        note=note,
    )
    clean_and_save(link)
    _check_shares(predecessor)
    _figures_follow([predecessor])
    return link
