"""Background steps of an import: the dry run after upload, and the apply when asked.

Each step first takes the batch's lease (``danvan.core.jobs``), so that a sweep can tell a
batch whose worker died from one being worked on, and so that two tasks for the same batch (a
batch queued again by a sweep) run one after the other; the second then finds the step done
and skips. Then it sweeps the batches whose worker died (``danvan.imports.stale``): a worker
restarted after a crash puts them back to work with its first import.
"""

import logging

from django.db import transaction
from django_tasks import task

from danvan.core.jobs import lease
from danvan.imports.models import BatchStatus, ImportBatch
from danvan.imports.runner import run_batch
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
