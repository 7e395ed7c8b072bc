"""Every write to organisations."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.areas.models import Area
from danvan.core.models import next_code
from danvan.core.validation import clean_and_save, reject
from danvan.orgs.models import Organisation

_UPDATABLE = {"name", "kind", "seat_area", "parent", "valid_from", "valid_to"}


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    seat_area: Area,
    code: str = "",
    parent: Organisation | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Organisation:
    """Create a registering unit; a code is assigned when none is given."""
    organisation = Organisation(
        code=(code or "").strip() or next_code("ORG"),
        name=(name or "").strip(),
        kind=kind,
        seat_area=seat_area,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return clean_and_save(organisation)


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes) -> Organisation:
    """Change the given fields of an organisation."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        reject(sorted(unknown)[0], _("This field cannot be changed here."))
    if changes.get("parent") is not None:
        ancestor = changes["parent"]
        while ancestor is not None:
            if ancestor.pk == organisation.pk:
                reject("parent", _("An organisation cannot sit under itself."))
            ancestor = ancestor.parent
    for field, value in changes.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) else value)
    return clean_and_save(organisation)


@transaction.atomic
def organisation_close(
    *,
    organisation: Organisation,
    valid_to: datetime.date,
    successor: Organisation | None = None,
) -> Organisation:
    """End an organisation (reorganised or dissolved), naming who carries its work on."""
    if successor is not None and successor.pk == organisation.pk:
        reject("successor", _("An organisation cannot succeed itself."))
    organisation.valid_to = valid_to
    organisation.successor = successor
    return clean_and_save(organisation)
