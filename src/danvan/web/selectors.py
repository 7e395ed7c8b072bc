"""Reads of the web pages that belong to no other app: the dashboard's recent changes and the
public showcase.

The showcase is read by anyone, signed in or not, so it returns only exemplary initiatives the
commission registered, and only their photos; nothing else of the register is reachable through
it. The exemplary flag alone is not enough: a factory, an import or a later return can leave it
on a draft, a submitted or a returned registration, so every public read checks the status too.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from danvan.accounts.scope import scope_q
from danvan.areas.models import Area, CodeScheme
from danvan.areas.selectors import area_coverage_q
from danvan.initiatives.catalogues import REGISTERED_STATUSES, EvidenceKind
from danvan.initiatives.models import Evidence, Initiative, StatusChange

PUBLIC_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")


# Registered or a later state: the only initiatives that went through registration.
def public_initiatives() -> QuerySet[Initiative]:
    """Return the initiatives anyone may see: exemplary and registered (or later)."""
    return Initiative.objects.public()


def recent_status_changes(*, actor, area: Area | None = None, limit: int = 10) -> list:
    """Return the latest workflow steps on initiatives ``actor`` may read, under ``area``."""
    changes = StatusChange.objects.filter(
        scope_q(actor, area_field="initiative__area", organisation_field="initiative__organisation")
    )
    if area is not None:
        changes = changes.filter(area_coverage_q(area=area, field="initiative__area"))
    return list(
        changes.select_related("initiative", "initiative__area", "actor").order_by("-at", "-id")[
            :limit
        ]
    )


def public_photos() -> QuerySet[Evidence]:
    """Return the photos anyone may see: photos of public initiatives, stored as images."""
    return Evidence.objects.filter(
        initiative__exemplary=True,
        initiative__status__in=REGISTERED_STATUSES,
        kind=EvidenceKind.PHOTO,
        content_type__in=PUBLIC_IMAGE_TYPES,
    )


def showcase_provinces() -> QuerySet[Area]:
    """Return today's provinces, the showcase's filter."""
    return Area.objects.filter(scheme=CodeScheme.CURRENT, parent=None).current().order_by("name")


def showcase_list(*, province: Area | None = None) -> QuerySet[Initiative]:
    """Return the public initiatives, under ``province`` (and the units it succeeds)."""
    initiatives = public_initiatives()
    if province is not None:
        initiatives = initiatives.filter(area_coverage_q(area=province))
    return (
        initiatives.select_related("organisation", "area")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=public_photos().order_by("uploaded_at", "id"),
                to_attr="public_photos",
            )
        )
        .order_by("-year", "title_folded", "code")
    )


def showcase_detail(*, code: str) -> Initiative:
    """Return one public initiative by its code; raises ``Initiative.DoesNotExist`` for any
    other, so a visitor cannot tell a private initiative from a missing one."""
    return showcase_list().get(code=code)


def province_of(area: Area) -> Area | None:
    """Return the province at the top of ``area``'s path (itself when it is one)."""
    return provinces_of([area]).get(area.pk)


def provinces_of(areas: Iterable[Area]) -> dict[int, Area]:
    """Return the province of each of ``areas`` by the area's id, read in one query: a page of
    showcase cards names the province of every card."""
    areas = list(areas)
    tops = {area.pk: area.path.split(".", 1)[0] for area in areas}
    wanted = {int(top) for pk, top in tops.items() if top.isdigit() and str(pk) != top}
    found = Area.objects.in_bulk(wanted) if wanted else {}
    provinces = {}
    for area in areas:
        top = tops[area.pk]
        if str(area.pk) == top:
            provinces[area.pk] = area
        elif top.isdigit() and int(top) in found:
            provinces[area.pk] = found[int(top)]
    return provinces
