"""Every write to organisations."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import require
from danvan.areas.models import Area
from danvan.core.history import attribute_to
from danvan.core.models import next_code
from danvan.core.validation import clean_and_save, reject
from danvan.orgs.models import Organisation

_UPDATABLE = {"name", "kind", "seat_area", "parent", "valid_from", "valid_to"}


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
    before = None
    if changes.get("kind", organisation.kind) != organisation.kind:
        # The registering unit's kind is a rollup dimension: move its initiatives' figures.
        from danvan.stats import rollups

        before = rollups.capture(organisation.initiatives.values_list("pk", flat=True))
    for field, value in changes.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    attribute_to(organisation, actor)
    clean_and_save(organisation)
    if before is not None:
        rollups.settle(before)
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
