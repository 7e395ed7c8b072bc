"""A commission's archive brought in: past years' models in the state they ended up in, with
the links between them (continued from an earlier year, replicating another unit's model).

The workflow's steps one by one (submit, register, start, complete) are for this year's
models; for a model of 2016 nobody will take them again, so an archive import records where it
ended up in one step, named ``archive`` in its status changes, with the import's reason. The
rules are the lifecycle's own: who may register models there (``initiative_check_archive``),
which models may be linked (``initiative_check_source``, ``initiative_check_replication``).

Both writes are set-based, for ten years of a province at once: the rows are checked first
(nothing is written when any is refused), then changed with a few statements, with one history
row and one status change per model, and the statistics moved once. No notification is sent:
these steps happened years ago.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import person_of
from danvan.core import upkeep
from danvan.core.validation import reject
from danvan.initiatives.bulk_sql import insert_history
from danvan.initiatives.catalogues import RegistrationKind
from danvan.initiatives.lifecycle.rules import (
    ARCHIVE_TRANSITION,
    initiative_check_archive,
    initiative_check_replication,
    initiative_check_source,
)
from danvan.initiatives.models import Initiative, StatusChange

ROW_ERRORS = (ValidationError, PermissionDenied)
BATCH_SIZE = 2000
IDS_PER_UPDATE = 500  # under every database's limit of parameters


@dataclass
class ArchiveLinks:
    """The models ``initiative`` continues and replicates (None: no link)."""

    initiative: Initiative
    continued_from: Initiative | None = None
    replicated_from: Initiative | None = None


def _each(items: Sequence, check) -> dict[int, Exception]:
    errors: dict[int, Exception] = {}
    for position, item in enumerate(items):
        try:
            check(item)
        except ROW_ERRORS as error:
            errors[position] = error
    return errors


def initiatives_archive_check(*, actor, states: Sequence[tuple[Initiative, str]]) -> dict:
    """Check each ``(initiative, status)``; return the errors by position."""
    return _each(
        states,
        lambda pair: initiative_check_archive(actor=actor, initiative=pair[0], status=pair[1]),
    )


def _check_links(actor, links: ArchiveLinks) -> None:
    initiative, earlier = links.initiative, links.continued_from
    if earlier is not None:
        initiative_check_source(actor=actor, name="continued_from", linked=earlier)
        if earlier.year >= initiative.year:
            reject("continued_from", _("An initiative can only continue one of an earlier year."))
        if earlier.pk is not None and earlier.pk == initiative.pk:
            reject("continued_from", _("An initiative cannot continue itself."))
    if links.replicated_from is not None:
        initiative_check_source(actor=actor, name="replicated_from", linked=links.replicated_from)
        initiative_check_replication(initiative, links.replicated_from)


def initiatives_links_check(*, actor, links: Sequence[ArchiveLinks]) -> dict:
    """Check each model's links; return the errors by position."""
    return _each(links, lambda item: _check_links(actor, item))


def _save_with_history(changed: list[Initiative], fields: list[str], *, actor, reason: str):
    """Save ``fields`` of ``changed`` and write their history rows.

    One UPDATE per set of equal values (a state: four at most; a link: one per model linked)
    rather than ``bulk_update``, whose CASE over every row of a batch makes the database do
    work growing with the square of the batch (17 s for 2,000 archive rows on SQLite)."""
    now = timezone.now()
    names = [Initiative._meta.get_field(name).attname for name in fields]
    groups: dict[tuple, list[int]] = {}
    for initiative in changed:
        initiative.version += 1
        initiative.updated_at = now
        values = (*(getattr(initiative, name) for name in names), initiative.version)
        groups.setdefault(values, []).append(initiative.pk)
    for values, ids in groups.items():
        *facts, version = values
        for start in range(0, len(ids), IDS_PER_UPDATE):
            Initiative.objects.filter(pk__in=ids[start : start + IDS_PER_UPDATE]).update(
                **dict(zip(names, facts, strict=True)), version=version, updated_at=now
            )
    insert_history(changed, history_type="~", user=person_of(actor), reason=reason)


@transaction.atomic
def initiatives_archive(*, actor, states: Sequence[tuple[Initiative, str]], reason: str) -> dict:
    """Put each ``(initiative, status)`` in the state it ended up in; nothing is written when
    any is refused, and the errors are returned by position."""
    errors = initiatives_archive_check(actor=actor, states=states)
    if errors or not states:
        return errors
    before = upkeep.capture([initiative.pk for initiative, _status in states])
    person = person_of(actor)
    changes = []
    changed = []
    for initiative, status in states:
        if initiative.status == status:
            continue
        changes.append(
            StatusChange(
                initiative=initiative,
                transition=ARCHIVE_TRANSITION,
                from_status=initiative.status,
                to_status=status,
                reason=reason,
                actor=person,
            )
        )
        initiative.status = status
        changed.append(initiative)
    if changed:
        _save_with_history(changed, ["status"], actor=actor, reason=reason)
        StatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
    upkeep.settle(before)
    return {}


@transaction.atomic
def initiatives_link(*, actor, links: Sequence[ArchiveLinks], reason: str) -> dict:
    """Record the models each initiative continues and replicates; nothing is written when
    any link is refused, and the errors are returned by position."""
    errors = initiatives_links_check(actor=actor, links=links)
    if errors or not links:
        return errors
    before = upkeep.capture([item.initiative.pk for item in links])
    changed = []
    for item in links:
        initiative = item.initiative
        if item.continued_from is not None:
            initiative.continued_from = item.continued_from
            initiative.registration_kind = RegistrationKind.CONTINUED
        if item.replicated_from is not None:
            initiative.replicated_from = item.replicated_from
        changed.append(initiative)
    _save_with_history(
        changed,
        ["continued_from", "registration_kind", "replicated_from"],
        actor=actor,
        reason=reason,
    )
    upkeep.settle(before)
    return {}


def archive_steps(*, reason: str):
    """The ``archive`` steps a write with ``reason`` recorded, as a ``Q`` of status changes."""
    return Q(transition=ARCHIVE_TRANSITION, reason=reason)


@transaction.atomic
def initiatives_archive_forget(*, ids: Sequence[int], reason: str) -> int:
    """Remove the ``archive`` steps recorded with ``reason`` for the initiatives ``ids``, which
    are being removed with the import that brought them (the steps have no history of their
    own: the initiatives' history rows record the states). Return how many were removed."""
    removed = 0
    ids = list(ids)
    for start in range(0, len(ids), IDS_PER_UPDATE):
        removed += StatusChange.objects.filter(
            archive_steps(reason=reason), initiative_id__in=ids[start : start + IDS_PER_UPDATE]
        )._raw_delete(StatusChange.objects.db)
    return removed
