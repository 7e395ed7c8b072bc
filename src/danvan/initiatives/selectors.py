"""Reads of initiatives and their ledgers."""

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.utils import timezone

from danvan.accounts.scope import can, scope_q, scope_roots
from danvan.areas.models import Area
from danvan.areas.selectors import (
    area_coverage_q,
)
from danvan.core.ids import parse_id
from danvan.core.text import fold
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Status
from danvan.initiatives.models import (
    Contribution,
    Evidence,
    Initiative,
    InitiativeQuerySet,
    Result,
    StatusChange,
)
from danvan.orgs.models import Organisation

ORDERINGS = {
    "code": "code",
    "-code": "-code",
    "title": "title_folded",
    "-title": "-title_folded",
    "year": "year",
    "-year": "-year",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


def initiative_list(
    *,
    actor,
    area: Area | None = None,
    organisation: Organisation | None = None,
    field: str | None = None,
    status: str | None = None,
    year: int | None = None,
    exemplary: bool | None = None,
    replicated: bool | None = None,
    search: str | None = None,
    round=None,
    ordering: str = "-year",
) -> InitiativeQuerySet:
    """Return initiatives filtered as a list page or an export asks.

    Only what ``actor`` may read is returned. ``area`` covers its subtree and the historical
    units it succeeds; ``round`` is a ``RegistrationRound``.
    """
    queryset = Initiative.objects.filter(scope_q(actor)).select_related("organisation", "area")
    if area is not None:
        queryset = queryset.filter(area_coverage_q(area=area))
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    if field:
        queryset = queryset.filter(field=field)
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(year=year)
    if round is not None:
        queryset = queryset.filter(round=round)
    if exemplary is not None:
        queryset = queryset.filter(exemplary=exemplary)
    if replicated is not None:
        queryset = queryset.replicated() if replicated else queryset.built()
    if search:
        queryset = queryset.search(search)
    return queryset.order_by(ORDERINGS.get(ordering, "-year"), "code")


def initiative_detail(*, actor, pk: int) -> Initiative:
    """Return one initiative with everything its page shows, in a fixed number of queries.

    Raises ``Initiative.DoesNotExist`` when it does not exist or lies outside the actor's scope,
    so a page cannot tell the two apart.
    """
    return (
        Initiative.objects.filter(scope_q(actor))
        .select_related("organisation", "area", "continued_from", "replicated_from")
        .prefetch_related(
            "co_organisations",
            "tags",
            Prefetch("contributions", queryset=Contribution.objects.order_by("date", "id")),
            Prefetch("results", queryset=Result.objects.select_related("indicator")),
            "evidence",
            "replications",
        )
        .get(pk=pk)
    )


def initiative_facts(*, actor, pk: int) -> Initiative:
    """Return one initiative with its organisations and tags, without its ledgers.

    What the API's representation of one initiative needs: its contribution totals come from
    ``danvan.stats`` in one query, so the entries, results and evidence the page lists are not
    read. Raises ``Initiative.DoesNotExist`` as ``initiative_detail`` does.
    """
    return (
        Initiative.objects.filter(scope_q(actor))
        .select_related("organisation", "area")
        .prefetch_related("co_organisations", "tags")
        .get(pk=pk)
    )


def initiative_visible(*, actor, pk, full: bool = False) -> Initiative:
    """Return initiative ``pk`` (an id, or its text from a URL) if ``actor`` may read it.

    The one scoped get of an initiative: ``full`` reads everything its page shows
    (``initiative_detail``), otherwise the initiative with its organisation and area. Raises
    ``Initiative.DoesNotExist`` for an id that is not one, a missing initiative and one outside
    the actor's scope alike, so no door can tell them apart.
    """
    number = parse_id(pk)
    if number is None:
        raise Initiative.DoesNotExist
    if full:
        return initiative_detail(actor=actor, pk=number)
    return initiative_list(actor=actor).get(pk=number)


def contribution_ledger(*, initiative: Initiative):
    """Return the ledger of an initiative, oldest first, corrections next to their entries."""
    return initiative.contributions.select_related("corrects").order_by("date", "id")


def replication_chain(*, initiative: Initiative) -> dict[str, list[Initiative]]:
    """Return where ``initiative`` was copied from (up the chain) and every copy made of it."""
    ancestors: list[Initiative] = []
    current = initiative.replicated_from
    while current is not None and current.pk != initiative.pk and current not in ancestors:
        ancestors.append(current)
        current = current.replicated_from
    descendants: list[Initiative] = []
    frontier = [initiative.pk]
    seen = {initiative.pk}
    while frontier:
        children = list(Initiative.objects.filter(replicated_from_id__in=frontier))
        children = [child for child in children if child.pk not in seen]
        seen.update(child.pk for child in children)
        descendants.extend(children)
        frontier = [child.pk for child in children]
    return {"ancestors": ancestors, "descendants": descendants}


# --- reads for the pages ----------------------------------------------------------------------

# The list page also sorts by workflow status, in the order an initiative moves through it.
STATUS_ORDER = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.REGISTERED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.DISCONTINUED,
]
PAGE_ORDERINGS = [*ORDERINGS, "status", "-status"]


def initiative_browse(
    *,
    actor,
    registration_kind: str | None = None,
    ordering: str = "-year",
    **filters,
) -> InitiativeQuerySet:
    """Return ``initiative_list`` with the list page's extras: the registration kind filter and
    sorting by workflow status. The other ``filters`` are those of ``initiative_list``."""
    queryset = initiative_list(actor=actor, ordering=ordering, **filters)
    if registration_kind:
        queryset = queryset.filter(registration_kind=registration_kind)
    if ordering.lstrip("-") == "status":
        position = Case(
            *[When(status=value, then=Value(index)) for index, value in enumerate(STATUS_ORDER)],
            default=Value(len(STATUS_ORDER)),
            output_field=IntegerField(),
        )
        key = position.desc() if ordering.startswith("-") else position.asc()
        queryset = queryset.order_by(key, "code")
    return queryset


def _subtree_q(roots: list[Area]) -> Q:
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(pk=root.pk) | Q(path__startswith=root.subtree_prefix)
    return condition


def area_choices(*, actor, action: str = "initiative.create", search: str = "", limit: int = 40):
    """Return the units ``actor`` may pick for ``action``, for a chooser: up to ``limit`` units
    whose name matches ``search`` (ignoring diacritics), or the top of their scope without one.

    An area grant offers its unit's subtree and the historical units it succeeds; a grant on an
    organisation alone offers the organisation's seat and the current unit that seat became.
    The service still checks the unit chosen; this only keeps the list short and relevant.
    """
    roots = scope_roots(actor, action)
    text = (search or "").strip()
    if roots is None:
        queryset = Area.objects.all() if text else Area.objects.current().provinces()
    else:
        if not roots:
            return Area.objects.none()
        queryset = Area.objects.filter(_subtree_q(roots))
        if not text:
            # Without a search, the units of the grants and their direct children.
            ids = {root.pk for root in roots}
            queryset = queryset.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    if text:
        queryset = queryset.search(text)
    queryset = queryset.select_related("parent").order_by(
        F("valid_to").desc(nulls_first=True), "depth", "name"
    )
    return queryset[:limit]


def area_option_label(area: Area) -> str:
    """Return a unit's name with its parent's, so the many "Phường 1" of a chooser differ."""
    parent = area.parent if area.parent_id else None
    return f"{area.name} – {parent.name}" if parent is not None else area.name


def area_label(area: Area) -> str:
    """Return a unit's name with the units above it ("Khu 1 – Phường Yên Giang – Tỉnh …")."""
    ids = [int(part) for part in area.path.split(".") if part.isdigit()]
    names = dict(Area.objects.filter(pk__in=ids).values_list("pk", "name"))
    return " – ".join(names[pk] for pk in reversed(ids) if pk in names) or area.name


def organisation_choices(*, actor, action: str = "initiative.create", search: str = ""):
    """Return the organisations ``actor`` may register initiatives for (or act for ``action``),
    by name; a chooser shows the first few."""
    queryset = Organisation.objects.filter(
        scope_q(actor, action, area_field="seat_area", organisation_field="pk")
    ).select_related("seat_area")
    if search and search.strip():
        queryset = queryset.search(search)
    return queryset.order_by("name")


def contribution_of(*, initiative: Initiative, pk: int) -> Contribution:
    """Return one ledger entry of ``initiative`` (``Contribution.DoesNotExist`` otherwise)."""
    return initiative.contributions.select_related("initiative").get(pk=pk)


def evidence_of(*, initiative: Initiative, pk: int) -> Evidence:
    """Return one attachment of ``initiative`` (``Evidence.DoesNotExist`` otherwise)."""
    return initiative.evidence.get(pk=pk)


def initiative_may_link(*, actor, initiative: Initiative, public: bool = False) -> bool:
    """Return whether ``actor`` may point a record at ``initiative``: one they may read or,
    when ``public``, one shown to everyone (a showcased model may be replicated anywhere)."""
    if can(
        actor, "initiative.view", area=initiative.area, organisation_id=initiative.organisation_id
    ):
        return True
    return public and Initiative.objects.public().filter(pk=initiative.pk).exists()


def _linkable_q(actor) -> Q:
    """What ``actor`` may point a replication at: what they may read, and what the showcase
    shows everyone (exemplary models the commission registered), as ``initiative_may_link``."""
    return scope_q(actor) | Q(exemplary=True, status__in=REGISTERED_STATUSES)


def initiatives_linkable(*, actor) -> InitiativeQuerySet:
    """Return the initiatives ``actor`` may read or replicate (their own scope and the public)."""
    return Initiative.objects.filter(_linkable_q(actor))


def replication_sources(
    *, actor, text: str, initiative: Initiative | None = None, limit: int = 20
) -> list[Initiative]:
    """Return models ``initiative`` could replicate whose title holds every word of ``text``
    (ignoring case and diacritics: "nha van hoa" finds "nhà văn hóa"), or whose code is
    ``text``: the showcased and public models anywhere and those ``actor`` may read.

    Exemplary models come first, then the newest. The initiative itself is left out.
    """
    words = fold(text or "").split()
    if not words:
        return []
    queryset = initiatives_linkable(actor=actor).select_related("organisation", "area")
    matches = Q()
    for word in words[:8]:
        matches &= Q(title_folded__contains=word)
    queryset = queryset.filter(matches | Q(code__iexact=(text or "").strip()))
    if initiative is not None and initiative.pk is not None:
        queryset = queryset.exclude(pk=initiative.pk)
    return list(queryset.order_by("-exemplary", "-year", "code")[:limit])


def replication_source_by_code(*, actor, code: str) -> Initiative | None:
    """Return the model with ``code`` that ``actor`` may replicate, or None: one outside their
    scope and not public answers as a missing one."""
    code = (code or "").strip()
    if not code:
        return None
    return initiatives_linkable(actor=actor).filter(code__iexact=code).first()


def co_organisation_choices(*, actor, search: str = "", chosen=()) -> list[Organisation]:
    """Return the organisations ``actor`` may name as co-organisers: those seated in the
    provinces of the actor's scope (the same-province rule ``require_related`` enforces), by
    name, with the ones already ``chosen`` first. A chooser shows the first few."""
    roots = scope_roots(actor, "initiative.create")
    queryset = Organisation.objects.active_on(timezone.localdate()).select_related("seat_area")
    if roots is not None:
        tops = {root.path.split(".")[0] for root in roots if root.path}
        if not tops:
            return list(queryset.filter(pk__in=[org.pk for org in chosen]))
        within = Q()
        for top in tops:
            within |= Q(seat_area__path=top) | Q(seat_area__path__startswith=f"{top}.")
        queryset = queryset.filter(within)
    if search and search.strip():
        queryset = queryset.search(search)
    chosen = list(chosen)
    picked = {org.pk for org in chosen}
    return chosen + [org for org in queryset.order_by("name")[:300] if org.pk not in picked]


def initiative_return_reason(*, initiative: Initiative) -> StatusChange | None:
    """Return the step that sent ``initiative`` back, while it waits to be corrected: its
    reason is what the officer must act on, shown at the top of the page rather than deep in
    the history."""
    if initiative.status != Status.RETURNED:
        return None
    return (
        initiative.status_changes.filter(to_status=Status.RETURNED)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
