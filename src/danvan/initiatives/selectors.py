"""Reads of initiatives and their ledgers."""

from django.db.models import Prefetch

from danvan.accounts.scope import scope_q
from danvan.areas.models import Area
from danvan.areas.selectors import area_coverage_q
from danvan.initiatives.models import Contribution, Initiative, InitiativeQuerySet, Result
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
