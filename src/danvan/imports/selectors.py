"""Reads of imports: who sees which uploaded file."""

from django.db.models import Q, QuerySet

from danvan.accounts.scope import holds
from danvan.imports.models import ImportBatch, ImportIssue


def batch_list(*, actor) -> QuerySet[ImportBatch]:
    """Return the imports ``actor`` may follow: their own; every import for administrators,
    who roll imports back (the rollback itself checks their scope record by record)."""
    if not getattr(actor, "is_authenticated", False):
        return ImportBatch.objects.none()
    queryset = ImportBatch.objects.select_related("requested_by")
    if holds(actor, "history.restore"):
        return queryset
    return queryset.filter(Q(requested_by=actor))


def batch_issues(*, batch: ImportBatch, severity: str | None = None) -> QuerySet[ImportIssue]:
    """Return a batch's problems, the file's own first, then by row."""
    queryset = batch.issues.order_by("row", "id")
    if severity:
        queryset = queryset.filter(severity=severity)
    return queryset
