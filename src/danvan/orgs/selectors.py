"""Reads of organisations."""

import datetime

from danvan.accounts.scope import scope_q
from danvan.areas.models import Area
from danvan.areas.selectors import area_coverage_q
from danvan.orgs.models import Organisation, OrganisationQuerySet


def organisation_list(
    *,
    actor,
    area: Area | None = None,
    kind: str | None = None,
    search: str | None = None,
    active_on: datetime.date | None = None,
) -> OrganisationQuerySet:
    """Return the organisations ``actor`` may see, seated in ``area`` (with its predecessors)."""
    queryset = Organisation.objects.filter(
        scope_q(actor, "initiative.view", area_field="seat_area", organisation_field="pk")
    ).select_related("seat_area", "parent")
    if area is not None:
        queryset = queryset.filter(area_coverage_q(area=area, field="seat_area"))
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.search(search)
    if active_on:
        queryset = queryset.active_on(active_on)
    return queryset


def organisation_successor_chain(*, organisation: Organisation) -> list[Organisation]:
    """Return the organisations that carried ``organisation`` on, oldest first."""
    chain: list[Organisation] = []
    current = organisation.successor
    while current is not None and current not in chain and current != organisation:
        chain.append(current)
        current = current.successor
    return chain
