"""Every write of the imports app: upload, check, apply and roll back a spreadsheet.

Checking and applying run as background tasks (a file of 100,000 rows takes a while); the
services here only record what was asked and enqueue the task once the request commits.
"""

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.scope import (
    holds,
    is_superadmin,
    require_anywhere,
)
from danvan.core.tasks import enqueue_on_commit
from danvan.core.validation import reject
from danvan.imports import progress
from danvan.imports.heap import heap_frozen
from danvan.imports.models import SPREADSHEET_KINDS, BatchStatus, ImportBatch, ImportKind
from danvan.imports.reading import FileRefused, sniff
from danvan.imports.rollback_initiatives import rollback_initiatives
from danvan.imports.rollback_ledgers import rollback_contributions, rollback_results
from danvan.imports.rollbacks import (
    rollback_organisations,
    rollback_users,
    rollback_villages,
)
from danvan.imports.rows import change_cause
from danvan.imports.word_reports.rollback import rollback_word_report

# The role needed to import each kind somewhere; each row is then checked where it lands.
ACTIONS = {
    ImportKind.INITIATIVES: "initiative.create",
    ImportKind.CONTRIBUTIONS: "contribution.add",
    ImportKind.RESULTS: "result.add",
    ImportKind.ORGANISATIONS: "organisation.manage",
    ImportKind.VILLAGES: "area.manage",
    ImportKind.USERS: "user.manage",
    ImportKind.WORD_REPORTS: "initiative.create",
}


# Kinds written record by record, undone record by record (imports/rollbacks.py).
RECORD_ROLLBACKS = {
    ImportKind.ORGANISATIONS: rollback_organisations,
    ImportKind.VILLAGES: rollback_villages,
    ImportKind.USERS: rollback_users,
    ImportKind.WORD_REPORTS: rollback_word_report,
}


def _require_owner(actor, batch: ImportBatch) -> None:
    if batch.requested_by_id != getattr(actor, "pk", None) and not is_superadmin(actor):
        raise PermissionDenied(_("Only the person who uploaded this file can apply it."))


@transaction.atomic
def batch_upload(*, actor, kind: str, upload: UploadedFile) -> ImportBatch:
    """Store an uploaded file and enqueue its dry run."""
    if kind not in dict(SPREADSHEET_KINDS):
        reject("kind", _("Choose what the file holds."))
    require_anywhere(actor, ACTIONS[kind])
    if upload is None or not upload.size:
        reject("file", _("The file is empty."))
    if upload.size > settings.IMPORT_MAX_BYTES:
        reject(
            "file",
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        )
    name = (upload.name or "import").rsplit("/", 1)[-1][-200:]
    batch = ImportBatch(
        kind=kind,
        original_name=name,
        requested_by=actor,
        ui_language=(translation.get_language() or "vi")[:2],
    )
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}-{name}", upload, save=False)
    try:
        batch.file_type = sniff(Path(batch.file.path))
    except FileRefused as refused:
        batch.file.delete(save=False)
        raise ValidationError({"file": refused.messages}) from None
    batch.save()
    from danvan.imports.tasks import validate_batch

    enqueue_on_commit(validate_batch, batch.pk)
    return batch


@transaction.atomic
def batch_apply(*, actor, batch: ImportBatch) -> ImportBatch:
    """Ask for a checked batch to be applied; every row is checked again as it is written."""
    _require_owner(actor, batch)
    if batch.kind == ImportKind.WORD_REPORTS:  # its confirmed items, at once
        from danvan.imports.word_reports.services import report_apply

        return report_apply(actor=actor, batch=batch)
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.VALIDATED).update(
        status=BatchStatus.APPLYING, applied_by=actor, processed_rows=0
    )
    if not claimed:
        reject("status", _("Only a checked file without errors can be applied."))
    batch.refresh_from_db()
    from danvan.imports.tasks import apply_batch

    enqueue_on_commit(apply_batch, batch.pk)
    return batch


def batch_rollback_request(*, actor, batch: ImportBatch) -> ImportBatch:
    """Ask for an applied batch to be rolled back in the background (``rollback_batch``).

    Only the batch's state and the actor's role are checked here, so the request answers at
    once whatever the size of the import; the task checks every record and, when it refuses,
    puts the batch back to "applied" with the reason among its problems.
    """
    if not holds(actor, "history.restore"):
        raise PermissionDenied(_("You do not have permission to do this here."))
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.APPLIED).update(
            status=BatchStatus.ROLLING_BACK, rolled_back_by=actor
        )
        if not claimed:
            reject("status", _("Only an applied import can be rolled back."))
        from danvan.imports.tasks import rollback_batch

        enqueue_on_commit(rollback_batch, batch.pk)
    progress.forget(batch.pk)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def batch_rollback(
    *, actor, batch: ImportBatch, report: Callable[[int], None] | None = None
) -> ImportBatch:
    """Undo an applied import: restore what it changed, remove what it added.

    Refused, naming the records, when any of them changed after the import — rolling back
    would otherwise erase someone's later work. Administrators of every unit concerned may do
    it. ``report`` is told how many records are done as the work goes (all but the records of
    organisations, villages, people and Word reports, undone one by one).
    A batch asked to be rolled back (``batch_rollback_request``) is in "rolling back".
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in {BatchStatus.APPLIED, BatchStatus.ROLLING_BACK}:
        reject("status", _("Only an applied import can be rolled back."))
    reason = batch.cause
    # The garbage collector walks only what the rollback creates (``imports.heap``).
    with change_cause(f"rollback of {reason}"), heap_frozen():
        if batch.kind == ImportKind.INITIATIVES:
            rollback_initiatives(actor, reason, cause=f"rollback of {reason}", progress=report)
        elif batch.kind in RECORD_ROLLBACKS:
            RECORD_ROLLBACKS[batch.kind](actor, reason)
        else:
            _rollback_ledger(actor, batch.kind, reason, report)
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.rolled_back_by = actor
    batch.save(update_fields=["status", "rolled_back_at", "rolled_back_by"])
    return batch


def _rollback_ledger(
    actor, kind: str, reason: str, report: Callable[[int], None] | None = None
) -> None:
    """Cancel the imported ledger entries or remove the imported results, a block at a time
    (``imports.rollback_ledgers``)."""
    undo = rollback_contributions if kind == ImportKind.CONTRIBUTIONS else rollback_results
    undo(actor, reason, cause=f"rollback of {reason}", progress=report)
