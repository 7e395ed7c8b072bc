"""Writes to an initiative's facts: register (build, create), revise, update, delete.

The rules of registration live here once; the bulk import builds rows with the same functions.
State changes (workflow, exemplary, replication, restore) belong to ``initiatives.lifecycle``.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from danvan.accounts.scope import (
    can,
    require,
    require_on_initiative,
    require_related,
)
from danvan.areas.models import Area
from danvan.areas.validity import area_in_force_on, area_require_in_force
from danvan.core import upkeep
from danvan.core.history import attribute_to
from danvan.core.instances import unsaved
from danvan.core.limits import (
    check_date,
)
from danvan.core.models import next_code
from danvan.core.validation import (
    ConflictError,
    clean_and_save,
    reject,
)
from danvan.initiatives.catalogues import (
    EDITABLE_STATUSES,
    Field,
    RegistrationKind,
    Status,
)
from danvan.initiatives.checks import validate_unsaved
from danvan.initiatives.lifecycle import rules as lifecycle
from danvan.initiatives.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Initiative,
    Tag,
)
from danvan.orgs.models import Organisation

CODE_PREFIX = "DVK"
_FIELDS = frozenset(Field.values)  # read once: the enum builds the list on every access
_DATES = ("start_date", "end_date")

_UPDATABLE = {
    "title",
    "summary",
    "field",
    "area",
    "start_date",
    "end_date",
    "people_in_charge",
    "exemplary",
    "replicated_from",
}


def _set_tags(initiative: Initiative, tags: Iterable[str]) -> None:
    names = sorted({name.strip() for name in tags if name and name.strip()})
    for name in names:
        if len(name) > Tag._meta.get_field("name").max_length:
            reject("tags", _("A tag can have at most 80 characters."))
    initiative.tags.set([Tag.objects.get_or_create(name=name)[0] for name in names])


def _require_links(
    actor,
    *,
    area: Area,
    continued_from: Initiative | None = None,
    replicated_from: Initiative | None = None,
    co_organisations: Iterable[Organisation] = (),
) -> None:
    """Check every record an initiative seated in ``area`` points to, before anything is saved:
    co-organisers must work in the same province, and the models continued or replicated must
    be ones the actor may point at (the lifecycle's rule)."""
    for organisation in co_organisations:
        require_related("co_organisations", area=area, related=organisation.seat_area)
    lifecycle.initiative_check_source(actor=actor, name="continued_from", linked=continued_from)
    lifecycle.initiative_check_source(actor=actor, name="replicated_from", linked=replicated_from)


def _day(value) -> datetime.date | None:
    """The day of a date or a moment; None for what is not a date yet (a text the model's own
    validation refuses), which narrows nothing."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def initiative_days(
    year: int, start_date: datetime.date | None, end_date: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """The first and last day an initiative counts for: its year, narrowed by its start and end
    when they fall inside it (a 2025 model started in August belongs to the units of August)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start_date, end_date = _day(start_date), _day(end_date)
    if start_date is not None and first < start_date <= last:
        first = start_date
    if end_date is not None and first <= end_date < last:
        last = end_date
    return first, last


def initiative_require_area_in_force(
    *,
    area: Area,
    year: int,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
) -> None:
    """A model sits on a unit in force in its days: the legacy unit of its year before the 2025
    reorganisation, one of today's units after it (whose dashboards would otherwise miss it).
    Refused with a ``ValidationError`` on ``area`` naming the units to choose."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        return  # the model refuses the year itself
    first, last = initiative_days(year, start_date, end_date)
    area_require_in_force(area=area, first_day=first, last_day=last, field="area")


def _carried_on(actor, organisation: Organisation, area: Area, year, start_date, end_date) -> Area:
    """The unit a model continued into ``year`` runs on: its unit while in force, else the
    current unit that carries it on by default (a 2024 model of a ward dissolved in 2025 goes
    on in 2026 in the ward that took it over). The draft can still be moved like any other.

    A person who may not register there keeps the old unit, which the validity rule then
    refuses by naming the successor: clearer than a bare refusal of permission."""
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        return area
    carried = area_in_force_on(area=area, day=initiative_days(year, start_date, end_date)[0])
    if carried == area or not can(
        actor, "initiative.continue", area=carried, organisation_id=organisation.pk
    ):
        return area
    return carried


def initiative_build(
    *,
    actor,
    title: str,
    field: str,
    organisation: Organisation,
    area: Area,
    year: int,
    summary: str = "",
    continued_from: Initiative | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    exemplary: bool = False,
    replicated_from: Initiative | None = None,
    people_in_charge: str = "",
    code: str = "",
    validated: bool = False,
) -> Initiative:
    """Return a new, validated, unsaved initiative (without a code unless ``code`` is given).

    The rules of registration live here once: ``initiative_create`` saves what this builds,
    and the bulk import builds thousands of rows with it before writing any. ``validated``:
    these very arguments passed the model's field rules before, under the same code (an
    import's dry run of the same file), which are then not run again; every rule that reads
    the database (permissions, provinces, links, the unit in force) is.
    """
    if organisation is None:
        reject("organisation", _("Choose the registering organisation."), code="required")
    if area is None:
        reject("area", _("Choose the area where the initiative runs."), code="required")
    if continued_from is not None and area.pk == continued_from.area_id:
        area = _carried_on(actor, organisation, area, year, start_date, end_date)
    # A continuation is the lifecycle's "continue" (officers and reviewers); a new model is
    # an officer's registration.
    creating = "initiative.continue" if continued_from is not None else "initiative.create"
    require(actor, creating, area=area, organisation_id=organisation.pk)
    require_related("organisation", area=area, related=organisation.seat_area)
    _require_links(actor, area=area, continued_from=continued_from, replicated_from=None)
    if field not in _FIELDS:
        reject("field", _("Choose one of the four fields."))
    if not isinstance(year, int):
        reject("year", _("The year must be a whole number."))
    if continued_from is not None and continued_from.year >= year:
        reject("continued_from", _("An initiative can only continue one of an earlier year."))
    check_date(start_date, "start_date")
    check_date(end_date, "end_date")
    initiative_require_area_in_force(area=area, year=year, start_date=start_date, end_date=end_date)
    initiative = unsaved(
        Initiative,
        code=code,
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        field=field,
        organisation=organisation,
        area=area,
        year=year,
        registration_kind=RegistrationKind.CONTINUED if continued_from else RegistrationKind.NEW,
        continued_from=continued_from,
        start_date=start_date,
        end_date=end_date,
        exemplary=exemplary,
        replicated_from=replicated_from,
        people_in_charge=(people_in_charge or "").strip(),
    )
    lifecycle.initiative_check_replication(initiative, replicated_from)
    if exemplary:
        lifecycle.initiative_check_exemplary(
            actor=actor, area=area, organisation_id=organisation.pk
        )
    attribute_to(initiative, actor)
    if not validated:
        validate_unsaved(initiative, exclude=() if code else ("code",))
    return initiative


def initiative_code_prefix(year: int) -> str:
    """The prefix of the codes of initiatives registered in ``year`` (``DVK-2024``)."""
    return f"{CODE_PREFIX}-{year}"


@transaction.atomic
def initiative_create(
    *,
    actor,
    title: str,
    field: str,
    organisation: Organisation,
    area: Area,
    year: int,
    summary: str = "",
    co_organisations: Iterable[Organisation] = (),
    continued_from: Initiative | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    exemplary: bool = False,
    replicated_from: Initiative | None = None,
    people_in_charge: str = "",
    tags: Iterable[str] = (),
    code: str = "",
) -> Initiative:
    """Register a new initiative as a draft and give it its code (``DVK-2024-000123``).

    ``continued_from`` makes it the continuation of an earlier year's initiative; on that
    initiative's unit, when it has ended since, the continuation goes to its default successor.
    """
    initiative = initiative_build(
        actor=actor,
        title=title,
        field=field,
        organisation=organisation,
        area=area,
        year=year,
        summary=summary,
        continued_from=continued_from,
        start_date=start_date,
        end_date=end_date,
        exemplary=exemplary,
        replicated_from=replicated_from,
        people_in_charge=people_in_charge,
        code=code,
    )
    co_organisations = [org for org in co_organisations if org.pk != organisation.pk]
    _require_links(
        actor,
        area=initiative.area,
        replicated_from=replicated_from,
        co_organisations=co_organisations,
    )
    initiative.code = code or next_code(initiative_code_prefix(year))
    clean_and_save(initiative)
    initiative.co_organisations.set(co_organisations)
    _set_tags(initiative, tags)
    upkeep.initiative_created(initiative)
    return initiative


def _require_update(
    actor, initiative: Initiative, changes: dict, co_organisations: Iterable[Organisation] = ()
) -> None:
    """The checks of an update that come before its version is claimed."""
    require_on_initiative(actor, "initiative.update", initiative)
    area = changes.get("area") or initiative.area
    if changes.get("area") is not None:
        require(actor, "initiative.update", area=area, organisation_id=initiative.organisation_id)
        require_related("organisation", area=area, related=initiative.organisation.seat_area)
    _require_links(
        actor,
        area=area,
        replicated_from=changes.get("replicated_from"),
        co_organisations=co_organisations,
    )
    if "exemplary" in changes and bool(changes["exemplary"]) != initiative.exemplary:
        lifecycle.initiative_check_exemplary(
            actor=actor, area=initiative.area, organisation_id=initiative.organisation_id
        )
    unknown = set(changes) - _UPDATABLE
    if unknown:
        reject(sorted(unknown)[0], _("This field cannot be changed here."))
    # A record already on a unit that ended keeps it until its unit or dates are changed.
    moved = changes.get("area") is not None and changes["area"].pk != initiative.area_id
    dates = {name: changes.get(name, getattr(initiative, name)) for name in _DATES}
    if moved or any(dates[name] != getattr(initiative, name) for name in _DATES):
        initiative_require_area_in_force(area=area, year=initiative.year, **dates)
    if initiative.status not in EDITABLE_STATUSES:
        reject(
            "status",
            _("A %(status)s initiative cannot be changed.")
            % {"status": initiative.get_status_display().lower()},
        )


def _revise(actor, initiative: Initiative, changes: dict) -> None:
    """Check the new values and set them on ``initiative`` (not saved)."""
    for name in ("start_date", "end_date"):
        check_date(changes.get(name), name)
    if "field" in changes and changes["field"] not in _FIELDS:
        reject("field", _("Choose one of the four fields."))
    source_before = initiative.replicated_from_id
    for name, value in changes.items():
        setattr(initiative, name, value.strip() if isinstance(value, str) else value)
    if initiative.replicated_from_id != source_before or (
        "area" in changes and initiative.replicated_from_id is not None
    ):
        lifecycle.initiative_check_replication(initiative, initiative.replicated_from)
    attribute_to(initiative, actor)


def initiative_revise(
    *, actor, initiative: Initiative, validated: bool = False, **changes
) -> Initiative:
    """Apply ``changes`` to ``initiative`` in memory and validate it, writing nothing.

    The same checks as ``initiative_update`` (scope, editable status, the fields that may
    change, the model's rules), for the bulk import; the version is the caller's to raise.
    ``validated``: as for ``initiative_build``, the same changes to the same version of
    ``initiative`` passed the model's rules before.
    """
    _require_update(actor, initiative, changes)
    _revise(actor, initiative, changes)
    if not validated:
        validate_unsaved(initiative)
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor,
    initiative: Initiative,
    expected_version: int | None = None,
    tags: Iterable[str] | None = None,
    co_organisations: Iterable[Organisation] | None = None,
    **changes,
) -> Initiative:
    """Change an initiative's facts; refuse if someone else saved it since ``expected_version``.

    The version check and the increment happen in one UPDATE, so two concurrent saves cannot
    both pass it: the second gets ``ConflictError`` and nothing of it is written.
    """
    _require_update(actor, initiative, changes, co_organisations or ())
    if expected_version is not None:
        claimed = Initiative.objects.filter(pk=initiative.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise ConflictError(
                _(
                    "Someone else saved this initiative after you opened it. "
                    "Reload it to see their changes, then make yours again."
                ),
                code="conflict",
            )
        initiative.version = expected_version + 1
    else:
        # Take the version from the row, not from a possibly stale copy, so this save cannot
        # move the version back and let an editor holding an older version in.
        versioned = Initiative.objects.filter(pk=initiative.pk)
        versioned.update(version=F("version") + 1)
        initiative.version = versioned.values_list("version", flat=True).get()
    before = upkeep.capture([initiative.pk])
    _revise(actor, initiative, changes)
    clean_and_save(initiative)
    upkeep.settle(before)
    if tags is not None:
        _set_tags(initiative, tags)
    if co_organisations is not None:
        initiative.co_organisations.set(
            [org for org in co_organisations if org.pk != initiative.organisation_id]
        )
    return initiative


@transaction.atomic
def initiative_delete(*, actor, initiative: Initiative) -> None:
    """Delete a draft that was never submitted; anything the commission has seen is kept.

    The history keeps the deleted draft. A draft with ledger entries, results or evidence must
    be emptied first, so nothing recorded is lost by one click.
    """
    require_on_initiative(actor, "initiative.update", initiative)
    if initiative.status != Status.DRAFT or initiative.status_changes.exists():
        reject("status", _("Only a draft that was never submitted can be deleted."))
    if (
        initiative.contributions.exists()
        or initiative.results.exists()
        or initiative.evidence.exists()
    ):
        reject(
            "status",
            _("Remove its contributions, results and evidence before deleting the draft."),
        )
    if initiative.continuations.exists() or initiative.replications.exists():
        reject("status", _("Other initiatives link to this one; it cannot be deleted."))
    before = upkeep.capture([initiative.pk])
    attribute_to(initiative, actor)
    initiative.tags.clear()
    initiative.co_organisations.clear()
    initiative.delete()
    upkeep.settle(before)
