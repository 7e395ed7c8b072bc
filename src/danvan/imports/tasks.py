"""Background steps of an import: the dry run after upload, and the apply when asked."""

from django_tasks import task

from danvan.imports.models import BatchStatus, ImportBatch
from danvan.imports.runner import run_batch


@task()
def validate_batch(batch_id: int) -> str:
    """Check every row of a freshly uploaded file; nothing is written but the findings."""
    batch = ImportBatch.objects.select_related("requested_by").filter(pk=batch_id).first()
    if batch is None or batch.status not in {BatchStatus.UPLOADED, BatchStatus.VALIDATING}:
        return "skipped"
    return run_batch(batch, apply=False).status


@task()
def apply_batch(batch_id: int) -> str:
    """Write every row of a checked file in one transaction (all or nothing)."""
    batch = ImportBatch.objects.select_related("applied_by").filter(pk=batch_id).first()
    if batch is None or batch.status != BatchStatus.APPLYING:
        return "skipped"
    return run_batch(batch, apply=True).status
