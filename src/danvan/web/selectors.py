"""Reads of the web pages that belong to no other app: the dashboard's recent changes and the
public showcase.

The showcase is read by anyone, signed in or not, so it returns only exemplary initiatives the
commission registered, and only their photos; nothing else of the register is reachable through
it. The exemplary flag alone is not enough: a factory, an import or a later return can leave it
on a draft, a submitted or a returned registration, so every public read checks the status too.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from danvan.accounts.scope import scope_q
from danvan.areas.models import Area, CodeScheme
from danvan.areas.selectors import area_coverage_q
from danvan.core.collation import vietnamese
from danvan.core.text import fold
from danvan.initiatives.catalogues import REGISTERED_STATUSES, EvidenceKind
from danvan.initiatives.models import Evidence, Initiative, StatusChange

PUBLIC_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
# A search of the showcase reads at most this many words (each one is a LIKE on the titles).
MAX_SEARCH_WORDS = 8


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


def showcase_communes(*, province: Area | None) -> QuerySet[Area]:
    """Return today's units directly under ``province``, the showcase's second filter, in
    Vietnamese alphabetical order."""
    if province is None:
        return Area.objects.none()
    return (
        Area.objects.filter(scheme=CodeScheme.CURRENT, parent=province)
        .current()
        .order_by(vietnamese("name"), "pk")
    )


def showcase_list(
    *, province: Area | None = None, locality: Area | None = None, words: str = ""
) -> QuerySet[Initiative]:
    """Return the public initiatives under ``locality`` (a commune of the province) or else
    ``province``, both with the units they succeed, whose title or code holds every one of
    ``words`` (ignoring case and diacritics: "nha van hoa" finds "Nhà văn hóa")."""
    initiatives = public_initiatives()
    place = locality or province
    if place is not None:
        initiatives = initiatives.filter(area_coverage_q(area=place))
    for word in fold(words).split()[:MAX_SEARCH_WORDS]:
        initiatives = initiatives.filter(Q(title_folded__contains=word) | Q(code__iexact=word))
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


def showcase_results(*, initiative: Initiative) -> list:
    """Return the public initiative's measured results with their targets, latest period
    first, each with the share of its target reached (None without a target)."""
    results = list(
        initiative.results.select_related("indicator").order_by("-period_end", "indicator__code")
    )
    for result in results:
        result.share_of_target = (
            result.value / result.target * 100 if result.target not in (None, 0) else None
        )
    return results


def showcase_awards(*, initiative: Initiative) -> list:
    """Return the public initiative's decided awards (recognised, sent up, commended), highest
    level first; proposals still being considered are not public."""
    from danvan.review.models import Award, AwardStage

    decided = (AwardStage.RECOGNISED, AwardStage.NOMINATED, AwardStage.COMMENDED)
    return list(
        Award.objects.filter(initiative=initiative, stage__in=decided)
        .select_related("title", "form")
        .order_by("-decision_date", "-id")
    )
