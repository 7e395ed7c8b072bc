"""Reads of organisations."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from danvan.areas.models import Area
from danvan.areas.selectors import area_coverage_q, area_current_successors
from danvan.areas.validity import area_span
from danvan.core.access import scope_q
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


@dataclass(frozen=True)
class SeatEnded:
    """An active organisation seated on a unit that has ended (or under one): ``ended`` is that
    unit, ``day`` the first day it no longer existed, ``successors`` today's units carrying it
    on, the default one first."""

    seat: Area
    ended: Area
    day: datetime.date
    successors: list[Area]

    @property
    def default(self) -> Area | None:
        return self.successors[0] if self.successors else None


def organisation_seat_ended(*, organisation: Organisation | None) -> SeatEnded | None:
    """Return why ``organisation``'s seat no longer fits it, or None when it does.

    An organisation that still works (no end, or an end after its seat's) should sit on one of
    today's units; one that ended with its unit keeps its legacy seat, as history.
    """
    if organisation is None:
        return None
    _, last, ended = area_span(area=organisation.seat_area)
    works_until = organisation.valid_to or timezone.localdate()
    if last is None or works_until <= last:
        return None
    successors = [successor.area for successor in area_current_successors(area=ended)]
    return SeatEnded(
        seat=organisation.seat_area,
        ended=ended,
        day=last + datetime.timedelta(days=1),
        successors=successors,
    )


def organisation_notice(*, organisation: Organisation | None) -> dict:
    """What the pages of ``organisation`` and of its people say about its place in time: its
    seat has ended (``seat_ended``), or it has itself ended (``organisation_ended``)."""
    if organisation is None:
        return {}
    ended = organisation.valid_to is not None and organisation.valid_to < timezone.localdate()
    return {
        "organisation": organisation,
        "seat_ended": organisation_seat_ended(organisation=organisation),
        "organisation_ended": ended,
    }
