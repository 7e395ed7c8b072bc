"""Background steps of an import: the dry run after upload, the apply and the rollback when
asked.

Each step first takes the batch's lease (``danvan.core.jobs``), so that a sweep can tell a
batch whose worker died from one being worked on, and so that two tasks for the same batch (a
batch queued again by a sweep) run one after the other; the second then finds the step done
and skips. Then it sweeps the batches whose worker died (``danvan.imports.stale``): a worker
restarted after a crash puts them back to work with its first import.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import override
from django_tasks import task

from danvan.core.jobs import lease
from danvan.imports import progress
from danvan.imports.models import BatchStatus, ImportBatch, ImportIssue, Severity
from danvan.imports.rows import errors_of
from danvan.imports.runner import run_batch
from danvan.imports.services import batch_rollback
from danvan.imports.stale import LEASE, imports_sweep

logger = logging.getLogger(__name__)


def _sweep() -> None:
    try:
        imports_sweep()
    except Exception:  # the task at hand must not fail for another batch's sake
        logger.exception("Sweeping imports whose worker died failed")


@task()
def validate_batch(batch_id: int) -> str:
    """Check every row of a freshly uploaded file; nothing is written but the findings."""
    with lease(LEASE, batch_id):
        _sweep()
        batch = ImportBatch.objects.select_related("requested_by").filter(pk=batch_id).first()
        if batch is None or batch.status not in {BatchStatus.UPLOADED, BatchStatus.VALIDATING}:
            return "skipped"
        return run_batch(batch, apply=False).status


@task()
def apply_batch(batch_id: int) -> str:
    """Write every row of a checked file in one transaction (all or nothing).

    The transaction starts by claiming the batch, and the claim is only kept by the commit
    that keeps the rows: on PostgreSQL it locks the batch's row, on SQLite it holds the
    database's write lock, until the apply commits or rolls back. A second apply of the same
    batch waits behind it and then finds the batch no longer "applying": rows are written once
    however many tasks were queued. A worker killed half-way leaves neither rows nor claim.
    """
    with lease(LEASE, batch_id):
        _sweep()
        with transaction.atomic():
            claimed = ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.APPLYING).update(
                processed_rows=0
            )
            if not claimed:
                return "skipped"
            batch = ImportBatch.objects.select_related("applied_by").get(pk=batch_id)
            return run_batch(batch, apply=True).status


@task()
def rollback_batch(batch_id: int) -> str:
    """Undo an applied batch whose rollback was asked for, in one transaction (all or nothing).

    The records undone so far go to the shared cache, where the page and the API read the
    progress. A refusal found here (a record changed after the import, a permission since
    taken away) puts the batch back to "applied", with the reason among its problems in the
    language of the person who asked.
    """
    with lease(LEASE, batch_id):
        _sweep()
        batch = ImportBatch.objects.select_related("rolled_back_by").filter(pk=batch_id).first()
        if batch is None or batch.status != BatchStatus.ROLLING_BACK:
            return "skipped"
        actor = batch.rolled_back_by
        try:
            with override(batch.ui_language or "vi"):
                batch = batch_rollback(
                    actor=actor,
                    batch=batch,
                    report=lambda done: progress.record(batch_id, done),
                )
        except (ValidationError, PermissionDenied) as refused:
            with override(batch.ui_language or "vi"):
                issues = [
                    ImportIssue.found(batch=batch, severity=Severity.ERROR, message=message)
                    for messages in errors_of(refused, {}).values()
                    for message in messages
                ]
            with transaction.atomic():
                ImportIssue.objects.bulk_create(issues)
                ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.ROLLING_BACK).update(
                    status=BatchStatus.APPLIED, rolled_back_by=None
                )
            return "refused"
        finally:
            progress.forget(batch_id)
        return batch.status
