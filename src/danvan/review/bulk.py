"""One step on many initiatives at once: register, return (one reason for all), start, complete,
discontinue, or evaluate several with the same scores.

Each initiative goes through the same lifecycle action (or evaluation service) as a single one,
checked and audited on its own: its own permission check, its own state check, its own status
change with the reviewer and the reason, its own notification. The batch is **partial by
design**: what may be done is done, what is refused stays as it was, and each outcome says
which and why, in the reviewer's language. A refusal never undoes another initiative's step,
because each runs in its own savepoint. The page and the API report the same outcomes.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import TRANSITIONS, initiative_transition
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_list
from danvan.review.models import CriteriaSet
from danvan.review.services import evaluation_create

# Enough for a page of the queue at its largest size, small enough to answer in one request.
MAX_BATCH = 200


@dataclass
class Outcome:
    """What happened to one initiative of a batch."""

    id: int
    code: str = ""
    ok: bool = False
    status: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else ""

    @property
    def message(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)


@dataclass
class BatchResult:
    """Every initiative's outcome, in the order asked."""

    outcomes: list[Outcome]

    @property
    def succeeded(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.ok]

    @property
    def refused(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]


def _errors_of(error: Exception) -> dict[str, list[str]]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return {name: list(messages) for name, messages in error.message_dict.items()}
    if isinstance(error, ValidationError):
        return {"non_field_errors": list(error.messages)}
    return {"non_field_errors": [str(error) or _("You do not have permission to do this here.")]}


def _check_ids(ids: Sequence[int]) -> list[int]:
    if not ids:
        reject_batch(_("Choose at least one initiative."))
    if len(ids) > MAX_BATCH:
        reject_batch(_("Choose at most %(count)s initiatives at a time.") % {"count": MAX_BATCH})
    unique: list[int] = []
    for pk in ids:
        if pk not in unique:
            unique.append(pk)
    return unique


def reject_batch(message: str) -> None:
    raise ValidationError({"ids": ValidationError(message, code="invalid")})


def _run(actor, ids: Sequence[int], step) -> BatchResult:
    """Apply ``step(initiative)`` to each readable initiative in its own savepoint.

    An id the actor may not read answers as a missing one, so the batch confirms nothing
    about initiatives outside their scope.
    """
    ids = _check_ids(list(ids))
    visible = initiative_list(actor=actor).filter(pk__in=ids).in_bulk()
    outcomes = []
    for pk in ids:
        initiative: Initiative | None = visible.get(pk)
        if initiative is None:
            outcomes.append(
                Outcome(id=pk, errors={"id": [_("There is no initiative with this id.")]})
            )
            continue
        outcome = Outcome(id=pk, code=initiative.code)
        try:
            with transaction.atomic():
                step(initiative)
        except (ValidationError, PermissionDenied) as error:
            outcome.errors = _errors_of(error)
            initiative.refresh_from_db(fields=["status"])
        else:
            outcome.ok = True
        outcome.status = initiative.status
        outcomes.append(outcome)
    return BatchResult(outcomes)


def initiatives_transition(
    *, actor, ids: Sequence[int], name: str, reason: str = ""
) -> BatchResult:
    """Apply the workflow step ``name`` to every initiative of ``ids`` the actor may move.

    The step's reason (required to return or discontinue) is checked once, before anything
    changes, so a missing reason refuses the whole batch rather than each row.
    """
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError({"action": ValidationError(_("Unknown action."), code="invalid")})
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": ValidationError(_("Give a reason."), code="required")})

    def step(initiative: Initiative) -> None:
        initiative_transition(actor=actor, initiative=initiative, name=name, reason=reason)

    return _run(actor, ids, step)


def initiatives_evaluate(
    *,
    actor,
    ids: Iterable[int],
    criteria_set: CriteriaSet,
    scores: Mapping[int, object],
    comment: str = "",
) -> BatchResult:
    """Evaluate every initiative of ``ids`` with the same scores of ``criteria_set``.

    Each evaluation is the single evaluation's service: the set must be one that initiative
    may be scored by, and each initiative must be in the actor's scope and evaluable.
    """

    def step(initiative: Initiative) -> None:
        evaluation_create(
            actor=actor,
            initiative=initiative,
            criteria_set=criteria_set,
            scores=scores,
            comment=comment,
        )

    return _run(actor, list(ids), step)
