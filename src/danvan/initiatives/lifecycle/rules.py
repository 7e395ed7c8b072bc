"""The lifecycle's rules: the workflow as data, and what a person may do to an initiative now.

Pages, the API and the lifecycle's own actions ask these checks, so a button is shown exactly
when the action behind it would be allowed. The facts' services (create, update) use the
replication, source and exemplary rules from here too.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import can, require
from danvan.areas.models import Area
from danvan.core.validation import reject
from danvan.initiatives.catalogues import EDITABLE_STATUSES, Status
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_may_link

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

# The states a past year's model can be brought in with from a commission's archive: where it
# ended up, after the steps nobody will take again on paper that old.
ARCHIVE_STATUSES = frozenset(
    {Status.REGISTERED, Status.IN_PROGRESS, Status.COMPLETED, Status.DISCONTINUED}
)
ARCHIVE_TRANSITION = "archive"

CONFLICT_MESSAGE = gettext_lazy(
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


def require_allowed(allowed: bool) -> None:
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


def initiative_check_archive(*, actor, initiative: Initiative, status: str) -> None:
    """Refuse a state brought in from an archive unless it is one a model ends up in, the
    model is of a past year (this year's go through the workflow, step by step), and the
    person may register models there (a commission's reviewer or administrator)."""
    if status not in ARCHIVE_STATUSES:
        reject(
            "status",
            _("A past year's model can be registered, in progress, completed or discontinued."),
        )
    if initiative.year >= timezone.localdate().year:
        reject(
            "status",
            _(
                "A state can be brought in only for a past year; this year's models go "
                "through the workflow."
            ),
        )
    require(
        actor,
        TRANSITIONS["register"].permission,
        area=initiative.area,
        organisation_id=initiative.organisation_id,
    )
