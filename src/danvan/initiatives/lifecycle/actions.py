"""The lifecycle's actions: every change of an initiative's state, each checked by its rule.

Each action locks the initiative's row, changes the stored version (never a stale copy), keeps
the statistics in step and leaves its trail (the status changes and the history).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.accounts.scope import person_of, require, require_on_initiative, require_related
from danvan.areas.models import Area
from danvan.core import upkeep
from danvan.core.history import attribute_to
from danvan.core.validation import ConflictError, clean_and_save, reject
from danvan.initiatives import services
from danvan.initiatives.lifecycle.rules import (
    CONFLICT_MESSAGE,
    CONTINUABLE,
    TRANSITIONS,
    initiative_can_mark_exemplary,
    initiative_can_replicate,
    initiative_can_restore,
    initiative_check_replication,
    initiative_check_source,
    require_allowed,
    transitioned,
)
from danvan.initiatives.models import Initiative, StatusChange

# --- the actions ----------------------------------------------------------------------------


def _locked(initiative: Initiative, expected_version: int | None) -> Initiative:
    """Return the initiative's row locked for this transaction, at its stored version.

    A change made on a copy read earlier would save that copy's version and facts back,
    moving the version backwards and letting a concurrent edit be lost; each action changes
    the locked row instead, and is refused when the caller read an older version.
    """
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(str(CONFLICT_MESSAGE), code="conflict")
    return locked


def _save(initiative: Initiative, locked: Initiative, fields: list[str]) -> Initiative:
    """Save ``fields`` of the locked row with the next version, and give the caller's copy the
    stored values."""
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])
    for name in (*fields, "version", "updated_at"):
        setattr(initiative, name, getattr(locked, name))
    return initiative


@transaction.atomic
def initiative_transition(
    *,
    actor,
    initiative: Initiative,
    name: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Initiative:
    """Apply workflow action ``name`` (submit, register, return, start, complete, discontinue).

    Refused with ``PermissionDenied`` outside the actor's role or scope, and with a
    ``ValidationError`` on ``status`` from a state the action does not start from.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        reject("transition", _("Unknown action."))
    require_on_initiative(actor, transition.permission, initiative)
    before = upkeep.capture([initiative.pk])
    locked = _locked(initiative, expected_version)
    if locked.status not in transition.sources:
        reject(
            "status",
            _("“%(action)s” is not possible while the initiative is %(status)s.")
            % {"action": transition.label, "status": locked.get_status_display().lower()},
        )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        reject("reason", _("Give a reason."))
    previous = locked.status
    locked.status = transition.target
    locked._change_reason = reason or str(transition.label)
    attribute_to(locked, actor)
    _save(initiative, locked, ["status"])
    upkeep.settle(before)
    StatusChange.objects.create(
        initiative=locked,
        transition=transition.name,
        from_status=previous,
        to_status=transition.target,
        reason=reason,
        actor=person_of(actor),
    )
    transitioned.send(
        sender=Initiative,
        initiative=locked,
        transition=transition.name,
        actor=actor,
        reason=reason,
    )
    return locked


def initiative_submit(*, actor, initiative: Initiative) -> Initiative:
    return initiative_transition(actor=actor, initiative=initiative, name="submit")


def initiative_register(*, actor, initiative: Initiative) -> Initiative:
    return initiative_transition(actor=actor, initiative=initiative, name="register")


def initiative_return(*, actor, initiative: Initiative, reason: str) -> Initiative:
    return initiative_transition(actor=actor, initiative=initiative, name="return", reason=reason)


def initiative_start(*, actor, initiative: Initiative) -> Initiative:
    return initiative_transition(actor=actor, initiative=initiative, name="start")


def initiative_complete(*, actor, initiative: Initiative) -> Initiative:
    return initiative_transition(actor=actor, initiative=initiative, name="complete")


def initiative_discontinue(*, actor, initiative: Initiative, reason: str) -> Initiative:
    return initiative_transition(
        actor=actor, initiative=initiative, name="discontinue", reason=reason
    )


@transaction.atomic
def initiative_continue(*, actor, initiative: Initiative, round=None) -> Initiative:
    """Carry ``initiative`` into a later year as a draft linked to it: the year of ``round``
    (a registration round of the initiative's province or the country), or the next year."""
    require_on_initiative(actor, "initiative.continue", initiative)
    if initiative.status not in CONTINUABLE:
        reject("status", _("Only a registered, running or completed initiative can continue."))
    year = round.year if round is not None else initiative.year + 1
    if year <= initiative.year:
        reject("round", _("Choose a round of a later year."))
    if round is not None:
        require_related("round", area=initiative.area, related=round.area)
    if initiative.continuations.filter(year=year).exists():
        reject("round", _("This initiative has already been continued into that year."))
    successor = services.initiative_create(
        actor=actor,
        title=initiative.title,
        summary=initiative.summary,
        field=initiative.field,
        organisation=initiative.organisation,
        area=initiative.area,
        year=year,
        continued_from=initiative,
        co_organisations=initiative.co_organisations.all(),
        people_in_charge=initiative.people_in_charge,
        replicated_from=initiative.replicated_from,
        tags=[tag.name for tag in initiative.tags.all()],
    )
    if round is not None:
        successor.round = round
        successor.save(update_fields=["round"])
    return successor


@transaction.atomic
def initiative_mark_exemplary(
    *,
    actor,
    initiative: Initiative,
    exemplary: bool = True,
    expected_version: int | None = None,
) -> Initiative:
    """Mark (or unmark) an initiative as exemplary."""
    require_allowed(initiative_can_mark_exemplary(actor=actor, initiative=initiative))
    before = upkeep.capture([initiative.pk])
    locked = _locked(initiative, expected_version)
    locked.exemplary = exemplary
    attribute_to(locked, actor)
    locked._change_reason = _("Marked exemplary") if exemplary else _("Exemplary mark removed")
    _save(initiative, locked, ["exemplary"])
    upkeep.settle(before)
    return initiative


@transaction.atomic
def initiative_set_replication(
    *,
    actor,
    initiative: Initiative,
    source: Initiative | None,
    expected_version: int | None = None,
) -> Initiative:
    """Record that ``initiative`` replicates ``source`` (or clear it with None).

    The source may be a model the actor can read or one shown to the public.
    """
    require_allowed(initiative_can_replicate(actor=actor, initiative=initiative))
    initiative_check_source(actor=actor, name="replicated_from", linked=source)
    before = upkeep.capture([initiative.pk])
    locked = _locked(initiative, expected_version)
    initiative_check_replication(locked, source)
    locked.replicated_from = source
    attribute_to(locked, actor)
    _save(initiative, locked, ["replicated_from"])
    upkeep.settle(before)
    return initiative


_RESTORABLE = ("title", "summary", "field", "area_id", "start_date", "end_date", "people_in_charge")


@transaction.atomic
def initiative_restore(
    *, actor, initiative: Initiative, history_id: int, expected_version: int | None = None
) -> Initiative:
    """Bring back the facts of an earlier version (title, summary, field, area, dates, people).

    The workflow state is not restored: it moves only through its transitions. The restore is
    itself a new change in the history, so nothing of the trail is lost. A version whose unit
    lies where the actor may not write is refused, like any other move.
    """
    require_allowed(initiative_can_restore(actor=actor, initiative=initiative))
    record = initiative.history.filter(history_id=history_id).first()
    if record is None:
        reject("history_id", _("This version does not belong to this initiative."))
    if record.area_id != initiative.area_id:
        area = Area.objects.filter(pk=record.area_id).first()
        if area is None:
            reject("history_id", _("The unit of this version no longer exists."))
        require(actor, "history.restore", area=area, organisation_id=initiative.organisation_id)
        require_related("area", area=area, related=initiative.organisation.seat_area)
    before = upkeep.capture([initiative.pk])
    locked = _locked(initiative, expected_version)
    for name in _RESTORABLE:
        setattr(locked, name, getattr(record, name))
    locked._change_reason = _("Restored the version of %(when)s") % {
        "when": record.history_date.isoformat(timespec="minutes")
    }
    attribute_to(locked, actor)
    locked.version += 1
    clean_and_save(locked)
    for name in (*_RESTORABLE, "version", "updated_at"):
        setattr(initiative, name, getattr(locked, name))
    upkeep.settle(before)
    return initiative
