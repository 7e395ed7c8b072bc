"""Every change of an initiative's state, in one place: the workflow's transitions, carrying a
model into a new year, the exemplary mark, the replication link and restoring an old version.

Each action has an ``initiative_can_<action>`` check that answers, without raising, whether a
person may take it now. Pages and the API call the checks to decide which buttons and links
to show; the actions call the same checks (through ``_require``) before they change anything,
so what is shown and what is allowed cannot drift apart. ``initiative_create`` and
``initiative_update`` leave the exemplary mark and the replication rule to this module too.

Other apps learn of a step through the ``transitioned`` signal (notifications connect to it),
so the lifecycle needs no app above it.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import (
    can,
    person_of,
    require,
    require_on_initiative,
    require_related,
)
from danvan.areas.models import Area
from danvan.core.history import attribute_to
from danvan.core.validation import ConflictError, clean_and_save, reject
from danvan.initiatives import services
from danvan.initiatives.catalogues import EDITABLE_STATUSES, Status
from danvan.initiatives.models import Initiative, StatusChange
from danvan.initiatives.selectors import initiative_may_link
from danvan.stats import rollups

# Sent after a workflow step is saved: ``initiative``, ``transition`` (its name), ``actor``,
# ``reason``.
transitioned = Signal()


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    needs_reason: bool = False

    @property
    def permission(self) -> str:
        """The action in ``danvan.accounts.scope.ACTIONS`` that allows this step."""
        return f"initiative.{self.name}"


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            gettext_lazy("Submit"),
            frozenset({Status.DRAFT, Status.RETURNED}),
            Status.SUBMITTED,
        ),
        Transition(
            "register", gettext_lazy("Register"), frozenset({Status.SUBMITTED}), Status.REGISTERED
        ),
        Transition(
            "return",
            gettext_lazy("Return for changes"),
            frozenset({Status.SUBMITTED}),
            Status.RETURNED,
            needs_reason=True,
        ),
        Transition(
            "start", gettext_lazy("Start"), frozenset({Status.REGISTERED}), Status.IN_PROGRESS
        ),
        Transition(
            "complete",
            gettext_lazy("Mark completed"),
            frozenset({Status.IN_PROGRESS}),
            Status.COMPLETED,
        ),
        Transition(
            "discontinue",
            gettext_lazy("Discontinue"),
            frozenset({Status.REGISTERED, Status.IN_PROGRESS}),
            Status.DISCONTINUED,
            needs_reason=True,
        ),
    ]
}

# An initiative in one of these states can be carried into the next year's round.
CONTINUABLE = frozenset({Status.REGISTERED, Status.IN_PROGRESS, Status.COMPLETED})

# Only an initiative the commission has accepted can be evaluated or honoured.
REVIEWABLE = frozenset({Status.REGISTERED, Status.IN_PROGRESS, Status.COMPLETED})

_CONFLICT = gettext_lazy(
    "Someone else saved this initiative after you opened it. "
    "Reload it to see their changes, then make yours again."
)


def _on(actor, action: str, initiative: Initiative) -> bool:
    return can(actor, action, area=initiative.area, organisation_id=initiative.organisation_id)


# --- what a person may do now (for pages, the API and the actions alike) -----------------------


def initiative_can_transition(*, actor, initiative: Initiative, name: str) -> bool:
    """Whether ``actor`` may apply the workflow step ``name`` to ``initiative`` now."""
    transition = TRANSITIONS.get(name)
    return (
        transition is not None
        and initiative.status in transition.sources
        and _on(actor, transition.permission, initiative)
    )


def allowed_transitions(*, actor, initiative: Initiative) -> list[Transition]:
    """Return the workflow steps ``actor`` may apply to ``initiative`` now."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if initiative_can_transition(actor=actor, initiative=initiative, name=transition.name)
    ]


def initiative_can_edit(*, actor, initiative: Initiative) -> bool:
    """Whether ``actor`` may change the facts of ``initiative`` now."""
    return initiative.status in EDITABLE_STATUSES and _on(actor, "initiative.update", initiative)


def initiative_can_delete(*, actor, initiative: Initiative) -> bool:
    """Whether ``actor`` may delete ``initiative``: a draft never submitted, in their scope."""
    return (
        initiative.status == Status.DRAFT
        and _on(actor, "initiative.update", initiative)
        and not initiative.status_changes.exists()
    )


def initiative_can_continue(*, actor, initiative: Initiative) -> bool:
    """Whether ``actor`` may carry ``initiative`` into a later year."""
    return initiative.status in CONTINUABLE and _on(actor, "initiative.continue", initiative)


def initiative_can_mark_exemplary(*, actor, initiative: Initiative) -> bool:
    """Whether ``actor`` may mark or unmark ``initiative`` as exemplary."""
    return _on(actor, "initiative.mark_exemplary", initiative)


def initiative_can_replicate(*, actor, initiative: Initiative) -> bool:
    """Whether ``actor`` may record or clear the model ``initiative`` replicates."""
    return _on(actor, "initiative.replicate", initiative)


def initiative_can_restore(*, actor, initiative: Initiative) -> bool:
    """Whether ``actor`` may bring back an earlier version of ``initiative``'s facts."""
    return _on(actor, "history.restore", initiative)


def initiative_can_review(*, actor, initiative: Initiative, action: str) -> bool:
    """Whether ``actor`` may evaluate or honour ``initiative`` (``action`` is
    ``initiative.evaluate`` or ``initiative.award``): only accepted initiatives are."""
    return initiative.status in REVIEWABLE and _on(actor, action, initiative)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this here."))


# --- rules the facts' services share --------------------------------------------------------


def initiative_check_replication(initiative: Initiative, source: Initiative | None) -> None:
    """Refuse a replication source that is the initiative itself, the same unit's own model in
    the same place, or one that would close a loop: the one rule of every door."""
    if source is None:
        return
    if initiative.pk is not None and source.pk == initiative.pk:
        reject("replicated_from", _("An initiative cannot replicate itself."))
    same_unit = source.organisation_id == initiative.organisation_id
    if same_unit and source.area_id == initiative.area_id:
        reject("replicated_from", _("A replication is made in another place or by another unit."))
    ancestor, hops = source.replicated_from, 0
    while ancestor is not None and hops < 1000:
        if initiative.pk is not None and ancestor.pk == initiative.pk:
            reject("replicated_from", _("This would make the replication chain a loop."))
        ancestor, hops = ancestor.replicated_from, hops + 1


def initiative_check_source(*, actor, name: str, linked: Initiative | None) -> None:
    """Refuse a model to continue (``continued_from``) or replicate (``replicated_from``) that
    ``actor`` may not see; a model shown to the public may be replicated by anyone. An unseen
    model answers as a missing one, so its existence is not confirmed."""
    public = name == "replicated_from"
    if linked is None or initiative_may_link(actor=actor, initiative=linked, public=public):
        return
    reject(name, _("There is no initiative with this code."), "does_not_exist")


def initiative_check_exemplary(*, actor, area: Area, organisation_id: int) -> None:
    """Marking a model exemplary is a reviewer's judgement, whichever door the value came by."""
    require(actor, "initiative.mark_exemplary", area=area, organisation_id=organisation_id)


# --- the actions ----------------------------------------------------------------------------


def _locked(initiative: Initiative, expected_version: int | None) -> Initiative:
    """Return the initiative's row locked for this transaction, at its stored version.

    A change made on a copy read earlier would save that copy's version and facts back,
    moving the version backwards and letting a concurrent edit be lost; each action changes
    the locked row instead, and is refused when the caller read an older version.
    """
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(str(_CONFLICT), code="conflict")
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
    before = rollups.capture([initiative.pk])
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
    rollups.settle(before)
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
    _require(initiative_can_mark_exemplary(actor=actor, initiative=initiative))
    before = rollups.capture([initiative.pk])
    locked = _locked(initiative, expected_version)
    locked.exemplary = exemplary
    attribute_to(locked, actor)
    locked._change_reason = _("Marked exemplary") if exemplary else _("Exemplary mark removed")
    _save(initiative, locked, ["exemplary"])
    rollups.settle(before)
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
    _require(initiative_can_replicate(actor=actor, initiative=initiative))
    initiative_check_source(actor=actor, name="replicated_from", linked=source)
    before = rollups.capture([initiative.pk])
    locked = _locked(initiative, expected_version)
    initiative_check_replication(locked, source)
    locked.replicated_from = source
    attribute_to(locked, actor)
    _save(initiative, locked, ["replicated_from"])
    rollups.settle(before)
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
    _require(initiative_can_restore(actor=actor, initiative=initiative))
    record = initiative.history.filter(history_id=history_id).first()
    if record is None:
        reject("history_id", _("This version does not belong to this initiative."))
    if record.area_id != initiative.area_id:
        area = Area.objects.filter(pk=record.area_id).first()
        if area is None:
            reject("history_id", _("The unit of this version no longer exists."))
        require(actor, "history.restore", area=area, organisation_id=initiative.organisation_id)
        require_related("area", area=area, related=initiative.organisation.seat_area)
    before = rollups.capture([initiative.pk])
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
    rollups.settle(before)
    return initiative


def day_in_force(initiative: Initiative) -> datetime.date:
    """The day an initiative's unit must be in force on: its start, or 1 January of its year."""
    return initiative.start_date or datetime.date(initiative.year, 1, 1)
