"""Reads of organisations."""

import datetime

from django.db.models import Q

from danvan.accounts.models import RoleAssignment
from danvan.accounts.scope import ACTIONS, is_superadmin, scope_q
from danvan.areas.models import Area, AreaQuerySet, CodeScheme
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


def manageable_areas(*, actor, action: str = "organisation.manage") -> AreaQuerySet:
    """Return the units ``actor`` may seat an organisation (or scope a role) in, for a form.

    Today's units and the units below communes, under the areas of the actor's administrator
    grants (every unit for a super administrator). A form still goes through the service,
    which checks the chosen unit again.
    """
    units = Area.objects.filter(Q(valid_to__isnull=True) | Q(scheme=CodeScheme.LOCAL))
    if is_superadmin(actor):
        return units.order_by("path")
    condition = Q(pk__in=[])
    grants = RoleAssignment.objects.filter(
        user_id=getattr(actor, "pk", None), role__in=ACTIONS[action], area__isnull=False
    ).select_related("area")
    for grant in grants:
        condition |= area_coverage_q(area=grant.area, field="parent") | Q(pk=grant.area_id)
        condition |= Q(path__startswith=grant.area.subtree_prefix)
    return units.filter(condition).order_by("path")
