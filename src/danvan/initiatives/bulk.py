"""Many initiatives, contributions or results in one write, for spreadsheet imports.

Every row is built and validated by the same functions as the single-row services
(``initiative_build``, ``initiative_revise``, ``contribution_build``, ``result_build``), so
there is one set of rules. Only the writing differs: every row is checked before anything is
written, codes are reserved in one block per year, records and their history rows are written
with a few multi-row statements (``bulk_sql``), and the statistics rollups are moved once for
the batch.
A batch with any bad row writes nothing and returns every row's error; a batch that would carry
a national total past what the statistics can hold names its first row too many.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from danvan.accounts.scope import person_of
from danvan.core import upkeep
from danvan.core.instances import unsaved
from danvan.core.models import next_codes
from danvan.core.text import fold
from danvan.initiatives.bulk_sql import among, insert_created, insert_history
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.initiatives.services import (
    contribution_build,
    initiative_build,
    initiative_code_prefix,
    initiative_revise,
    result_build,
)

BATCH_SIZE = 2000
# The ids a statement of ``initiatives_in_use`` takes (one parameter, whatever their number).
IN_USE_BLOCK = 50_000
ROW_ERRORS = (ValidationError, PermissionDenied)


@dataclass
class InitiativeRow:
    """A new initiative (``initiative`` None; ``fields`` as for ``initiative_create``) or the
    ``fields`` to change on ``initiative`` (as for ``initiative_update``)."""

    fields: dict
    initiative: Initiative | None = None


@dataclass
class BulkOutcome:
    """What a bulk write did or would do; when ``errors`` holds anything, nothing was written.

    ``errors`` maps a row's position in the input to the ``ValidationError`` or
    ``PermissionDenied`` that the single-row service raises for it.
    """

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    errors: dict[int, Exception] = field(default_factory=dict)


def _build_all(
    rows: Sequence, build: Callable, checked: Collection[int] = ()
) -> tuple[list, dict[int, Exception]]:
    """Build every row; ``build(row, validated)`` is told whether the row's model rules were
    passed already (its position is in ``checked``)."""
    built, errors = [], {}
    for index, row in enumerate(rows):
        try:
            built.append(build(row, index in checked))
        except ROW_ERRORS as error:
            errors[index] = error
    return built, errors


def initiatives_check(
    *, actor, rows: Sequence[InitiativeRow], checked: Collection[int] = ()
) -> BulkOutcome:
    """Build and validate every row, writing nothing (the dry run of an import).

    ``checked``: the positions of rows whose very values passed these rules under the same code
    (an import's dry run of the same file); the model's own field rules are not run again for
    them, every rule that reads the database is (``initiative_build``'s ``validated``).
    The initiatives to update are changed in memory only: read them again to use them.
    """

    def build(row: InitiativeRow, validated: bool) -> Initiative:
        if row.initiative is None:
            return initiative_build(actor=actor, validated=validated, **row.fields)
        return initiative_revise(
            actor=actor, initiative=row.initiative, validated=validated, **row.fields
        )

    built, errors = _build_all(rows, build, checked)
    outcome = BulkOutcome(errors=errors)
    for initiative in built:
        (outcome.created if initiative.pk is None else outcome.updated).append(initiative)
    return outcome


def _copy_m2m_history(initiatives: list[Initiative], history_ids: list[int]) -> None:
    """Record the tags and co-organisations with each new history row, as a save does."""
    historical = Initiative.history.model
    by_initiative = dict(zip((i.pk for i in initiatives), history_ids, strict=True))
    for m2m_field in historical._history_m2m_fields:
        m2m_history = next(
            rel.related_model
            for rel in historical._meta.related_objects
            if rel.related_model.__name__ == f"{historical.__name__}_{m2m_field.name}"
        )
        through = m2m_field.remote_field.through
        names = [f.attname for f in through._meta.fields]
        rows = [
            m2m_history(
                history_id=by_initiative[link.initiative_id],
                **{name: getattr(link, name) for name in names},
            )
            for link in through.objects.filter(among(through, "initiative", by_initiative))
        ]
        m2m_history.objects.bulk_create(rows, batch_size=BATCH_SIZE)


@transaction.atomic
def initiatives_bulk_upsert(
    *, actor, rows: Sequence[InitiativeRow], reason: str, checked: Collection[int] = ()
) -> BulkOutcome:
    """Register and change many initiatives at once, as many calls of ``initiative_create``
    and ``initiative_update`` would, with ``reason`` on every history row (``checked`` as for
    ``initiatives_check``).

    Nothing is written when any row is refused: the outcome's ``errors`` name them all.
    """
    outcome = initiatives_check(actor=actor, rows=rows, checked=checked)
    if outcome.errors:
        return outcome
    user = person_of(actor)
    updated = outcome.updated
    before = upkeep.capture([initiative.pk for initiative in updated])  # locks the rows
    if updated:
        versions = dict(
            Initiative.objects.filter(pk__in=before.ids).values_list("pk", "version").order_by()
        )
        now = timezone.now()
        changed = {name for row in rows if row.initiative is not None for name in row.fields}
        for initiative in updated:
            initiative.version = versions[initiative.pk] + 1
            initiative.updated_at = now
            initiative.title_folded = fold(initiative.title)
        fields = sorted(changed | {"version", "updated_at", "title_folded"})
        Initiative.objects.bulk_update(updated, fields, batch_size=BATCH_SIZE)
        history_ids = insert_history(updated, history_type="~", user=user, reason=reason)
        _copy_m2m_history(updated, history_ids)
    by_year: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in outcome.created:
        by_year[initiative.year].append(initiative)
        initiative.title_folded = fold(initiative.title)
    for year, group in sorted(by_year.items()):
        codes = next_codes(initiative_code_prefix(year), len(group))
        for initiative, code in zip(group, codes, strict=True):
            initiative.code = code
    insert_created(outcome.created, user=user, reason=reason)
    before.ids.extend(initiative.pk for initiative in outcome.created)
    upkeep.settle(before)
    return outcome


def contributions_check(
    *, actor, rows: Sequence[dict], checked: Collection[int] = ()
) -> BulkOutcome:
    """Build and validate ledger entries (keyword arguments of ``contribution_add``;
    ``checked`` as for ``initiatives_check``)."""
    built, errors = _build_all(
        rows,
        lambda row, validated: contribution_build(actor=actor, validated=validated, **row),
        checked,
    )
    if not errors:
        # All rows built, so positions in ``built`` are the rows' own.
        errors = upkeep.contribution_headroom(built)
    return BulkOutcome(created=built, errors=errors)


@transaction.atomic
def contributions_bulk_add(
    *, actor, rows: Sequence[dict], reason: str, checked: Collection[int] = ()
) -> BulkOutcome:
    """Add many ledger entries, as many calls of ``contribution_add`` would; nothing is
    written when any row is refused (``checked`` as for ``initiatives_check``)."""
    outcome = contributions_check(actor=actor, rows=rows, checked=checked)
    if outcome.errors or not outcome.created:
        return outcome
    insert_created(outcome.created, user=person_of(actor), reason=reason)
    upkeep.contributions_recorded(outcome.created)
    return outcome


def results_check(*, actor, rows: Sequence[dict]) -> BulkOutcome:
    """Build and validate results (keyword arguments of ``result_add``)."""
    built, errors = _build_all(rows, lambda row, _validated: result_build(actor=actor, **row))
    if not errors:
        errors = upkeep.result_headroom(built)
    return BulkOutcome(created=built, errors=errors)


@transaction.atomic
def results_bulk_add(*, actor, rows: Sequence[dict], reason: str) -> BulkOutcome:
    """Record many results, as many calls of ``result_add`` would; nothing is written when
    any row is refused."""
    outcome = results_check(actor=actor, rows=rows)
    if outcome.errors or not outcome.created:
        return outcome
    insert_created(outcome.created, user=person_of(actor), reason=reason)
    upkeep.results_recorded(outcome.created)
    return outcome


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def contributions_bulk_cancel(*, actor, entries: Sequence, reason: str) -> list[Contribution]:
    """Cancel ledger entries, as ``contribution_correct`` to zero would each: a correction
    entry carrying the entry's negative (amount and contributors, on its date, kind and kind of
    contributor), ``reason`` as its description and on its history row; the statistics moved
    once for them all (give a large number a block at a time). Return the corrections.

    ``entries`` are the entries, or rows of their ``pk``, ``initiative_id``, ``date``,
    ``kind``, ``amount``, ``contributor_type`` and ``contributors`` (what a correction takes).

    The caller checks the actor's permission and that the entries are originals without a
    correction (the difference to zero is then the entry itself). An entry of nothing (no
    amount, no contributors) is left as it is: a correction would change nothing.
    """
    user = person_of(actor)
    user_id = getattr(user, "pk", None)
    description = reason.strip()
    corrections = [
        unsaved(
            Contribution,
            initiative_id=entry.initiative_id,
            date=entry.date,
            kind=entry.kind,
            amount=0 - entry.amount,
            contributor_type=entry.contributor_type,
            contributors=0 - entry.contributors,
            description=description,
            corrects_id=entry.pk,
            created_by_id=user_id,
        )
        for entry in entries
        if entry.amount or entry.contributors
    ]
    insert_created(corrections, user=user, reason=reason)
    upkeep.contributions_recorded(corrections)
    return corrections


@transaction.atomic
def results_bulk_remove(*, actor, results: Sequence[Result], reason: str) -> None:
    """Delete results, as many calls of ``result_delete`` would: a ``-`` history row each with
    ``reason``, the statistics moved once per block. The caller checks the actor's permission.
    """
    user = person_of(actor)
    for block in _chunks(list(results)):
        area_of = dict(
            Initiative.objects.filter(pk__in={result.initiative_id for result in block})
            .values_list("pk", "area_id")
            .order_by()
        )
        facts = upkeep.results_removing(block, area_of)
        insert_history(block, history_type="-", user=user, reason=reason)
        # No per-row signals: the history rows are written above, in one statement.
        Result.objects.filter(pk__in=[result.pk for result in block])._raw_delete(Result.objects.db)
        upkeep.results_removed(facts)


def initiatives_in_use(ids: Sequence[int], *, besides: Mapping | None = None) -> set[int]:
    """Return which of the initiatives ``ids`` anything else refers to (ledger entries,
    results, evidence, workflow steps, evaluations, awards, initiatives continuing or
    replicating them): those a removal would take with it or be stopped by. ``besides`` maps
    a kind of record to a ``Q`` of those not to count (what the caller removes with them).

    One query per kind of reference and per block of 50,000 ids, each block's ids one parameter
    of the statement (``bulk_sql.among``).
    """
    found: set[int] = set()
    relations = [
        relation
        for relation in Initiative._meta.related_objects
        if not relation.many_to_many and relation.field.concrete
    ]
    for block in _chunks(list(ids), IN_USE_BLOCK):
        for relation in relations:
            model, column = relation.related_model, relation.field.attname
            referring = model._base_manager.filter(among(model, relation.field.name, block))
            if besides and model in besides:
                referring = referring.exclude(besides[model])
            found.update(referring.values_list(column, flat=True).distinct().order_by())
    return found


@transaction.atomic
def initiatives_bulk_remove(*, actor, initiatives: Sequence[Initiative], reason: str) -> None:
    """Delete initiatives nothing refers to (``initiatives_in_use``), as many deletions would:
    a ``-`` history row each with ``reason`` (tags and co-organisations recorded with it), their
    links removed, the statistics moved once per block.

    The caller checks that nothing refers to them; a reference left would make the database
    refuse the deletion, so nothing is removed then.
    """
    user = person_of(actor)
    for block in _chunks(list(initiatives)):
        ids = [initiative.pk for initiative in block]
        before = upkeep.capture(ids)  # locks the rows
        history_ids = insert_history(block, history_type="-", user=user, reason=reason)
        _copy_m2m_history(block, history_ids)
        for m2m_field in Initiative._meta.many_to_many:
            through = m2m_field.remote_field.through
            through.objects.filter(among(through, "initiative", ids))._raw_delete(
                through.objects.db
            )
        # No per-row signals: the history rows are written above, in one statement.
        Initiative.objects.filter(among(Initiative, "pk", ids))._raw_delete(Initiative.objects.db)
        upkeep.settle(before)


@transaction.atomic
def initiatives_bulk_restore(
    *, actor, restores: Sequence[tuple[Initiative, Model]], fields: Sequence[str], reason: str
) -> None:
    """Bring back ``fields`` of earlier versions, as many calls of ``initiative_restore`` would:
    each pair is an initiative and the history row to restore; a new version and a ``~`` history
    row each with ``reason``; the statistics moved once per block.

    The caller checks the actor's permission on each initiative and on the unit it returns to.
    """
    user = person_of(actor)
    for block in _chunks(list(restores)):
        ids = [initiative.pk for initiative, _record in block]
        before = upkeep.capture(ids)  # locks the rows
        versions = dict(
            Initiative.objects.filter(pk__in=ids).values_list("pk", "version").order_by()
        )
        now = timezone.now()
        restored = []
        for initiative, record in block:
            for name in fields:
                setattr(initiative, name, getattr(record, name))
            initiative.version = versions[initiative.pk] + 1
            initiative.updated_at = now
            initiative.title_folded = fold(initiative.title)
            restored.append(initiative)
        columns = sorted({*fields, "version", "updated_at", "title_folded"})
        Initiative.objects.bulk_update(restored, columns, batch_size=BATCH_SIZE)
        history_ids = insert_history(restored, history_type="~", user=user, reason=reason)
        _copy_m2m_history(restored, history_ids)
        upkeep.settle(before)
