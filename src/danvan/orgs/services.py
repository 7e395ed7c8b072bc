"""Every write to organisations."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.areas.models import Area
from danvan.areas.validity import area_require_in_force, area_successor_names
from danvan.core import upkeep
from danvan.core.access import require
from danvan.core.history import attribute_to
from danvan.core.models import next_code
from danvan.core.validation import clean_and_save, reject
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import organisation_seat_ended

_UPDATABLE = {"name", "kind", "seat_area", "parent", "valid_from", "valid_to"}


def _require_seat_in_force(
    seat_area: Area | None, valid_from: datetime.date | None, valid_to: datetime.date | None
) -> None:
    """An organisation works from a unit in force on its last day: today's units while it is
    active, and the legacy unit of its day for one that ended before the 2025 reorganisation."""
    dates = [day for day in (valid_from, valid_to) if day is not None]
    if seat_area is None or not all(isinstance(day, datetime.date) for day in dates):
        return  # the model's own validation names the missing or malformed value
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        return  # the model refuses the range itself
    area_require_in_force(
        area=seat_area, last_day=valid_to or timezone.localdate(), field="seat_area"
    )


@transaction.atomic
def organisation_create(
    *,
    actor,
    name: str,
    kind: str,
    seat_area: Area,
    code: str = "",
    parent: Organisation | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Organisation:
    """Create a registering unit; a code is assigned when none is given."""
    require(actor, "organisation.manage", area=seat_area)
    _require_seat_in_force(seat_area, valid_from, valid_to)
    organisation = Organisation(
        code=(code or "").strip() or next_code("ORG"),
        name=(name or "").strip(),
        kind=kind,
        seat_area=seat_area,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    attribute_to(organisation, actor)
    return clean_and_save(organisation)


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **changes) -> Organisation:
    """Change the given fields of an organisation (moving it needs scope over both seats)."""
    require(actor, "organisation.manage", area=organisation.seat_area)
    if changes.get("seat_area") is not None:
        require(actor, "organisation.manage", area=changes["seat_area"])
    unknown = set(changes) - _UPDATABLE
    if unknown:
        reject(sorted(unknown)[0], _("This field cannot be changed here."))
    if changes.get("parent") is not None:
        ancestor = changes["parent"]
        while ancestor is not None:
            if ancestor.pk == organisation.pk:
                reject("parent", _("An organisation cannot sit under itself."))
            ancestor = ancestor.parent
    moved = changes.get("seat_area") is not None and changes["seat_area"] != organisation.seat_area
    if moved or ("valid_to" in changes and changes["valid_to"] != organisation.valid_to):
        # An organisation already on a unit that ended keeps its seat until it is moved.
        _require_seat_in_force(
            changes.get("seat_area") or organisation.seat_area,
            changes.get("valid_from", organisation.valid_from),
            changes.get("valid_to", organisation.valid_to),
        )
    before = None
    if changes.get("kind", organisation.kind) != organisation.kind:
        # The registering unit's kind is a rollup dimension: move its initiatives' figures.

        before = upkeep.capture(organisation.initiatives.values_list("pk", flat=True))
    for field, value in changes.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    attribute_to(organisation, actor)
    clean_and_save(organisation)
    if before is not None:
        upkeep.settle(before)
    return organisation


@transaction.atomic
def organisation_close(
    *,
    actor,
    organisation: Organisation,
    valid_to: datetime.date,
    successor: Organisation | None = None,
) -> Organisation:
    """End an organisation (reorganised or dissolved), naming who carries its work on."""
    require(actor, "organisation.manage", area=organisation.seat_area)
    if successor is not None and successor.pk == organisation.pk:
        reject("successor", _("An organisation cannot succeed itself."))
    organisation.valid_to = valid_to
    organisation.successor = successor
    attribute_to(organisation, actor)
    return clean_and_save(organisation)


@transaction.atomic
def organisation_move_to_successor(
    *, actor, organisation: Organisation, successor: Area | None = None
) -> Organisation:
    """Move an organisation seated on a unit that has ended (a ward dissolved on 1 July 2025,
    or a village under it) to a unit that carries that unit on: ``successor``, or by default
    the default successor.

    Its initiatives stay where they were recorded (the facts of their day) and the history
    keeps the old seat, so nothing of the past is rewritten.
    """
    require(actor, "organisation.manage", area=organisation.seat_area)
    ended = organisation_seat_ended(organisation=organisation)
    if ended is None:
        reject("seat_area", _("This organisation's seat is in force; there is nothing to move."))
    if not ended.successors:
        reject(
            "successor",
            _("No current unit carries %(unit)s on; choose its new seat in the form.")
            % {"unit": ended.ended.name},
        )
    target = successor or ended.default
    if target.pk not in {unit.pk for unit in ended.successors}:
        reject(
            "successor",
            _("%(unit)s is not carried on by %(target)s; choose %(successors)s.")
            % {
                "unit": ended.ended.name,
                "target": target.name,
                "successors": area_successor_names(area=ended.ended),
            },
        )
    require(actor, "organisation.manage", area=target)
    previous = organisation.seat_area
    organisation.seat_area = target
    organisation._change_reason = _("Moved from %(old)s to its successor %(new)s") % {
        "old": previous.name,
        "new": target.name,
    }
    attribute_to(organisation, actor)
    return clean_and_save(organisation)
