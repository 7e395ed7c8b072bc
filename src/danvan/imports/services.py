"""Every write of the imports app: upload, check, apply and roll back a spreadsheet.

Checking and applying run as background tasks (a file of 100,000 rows takes a while); the
services here only record what was asked and enqueue the task once the request commits.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.scope import SYSTEM, is_superadmin, require_anywhere, require_on_initiative
from danvan.core.history import attribute_to
from danvan.core.tasks import enqueue_on_commit
from danvan.core.validation import reject
from danvan.imports.models import BatchStatus, ImportBatch, ImportKind
from danvan.imports.reading import FileRefused, sniff
from danvan.imports.rollbacks import (
    rollback_organisations,
    rollback_users,
    rollback_villages,
)
from danvan.imports.rows import change_cause
from danvan.initiatives.lifecycle import initiative_restore
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.initiatives.services import contribution_correct, result_delete
from danvan.stats import rollups

# The role needed to import each kind somewhere; each row is then checked where it lands.
ACTIONS = {
    ImportKind.INITIATIVES: "initiative.create",
    ImportKind.CONTRIBUTIONS: "contribution.add",
    ImportKind.RESULTS: "result.add",
    ImportKind.ORGANISATIONS: "organisation.manage",
    ImportKind.VILLAGES: "area.manage",
    ImportKind.USERS: "user.manage",
}


# Kinds written record by record, undone record by record (imports/rollbacks.py).
RECORD_ROLLBACKS = {
    ImportKind.ORGANISATIONS: rollback_organisations,
    ImportKind.VILLAGES: rollback_villages,
    ImportKind.USERS: rollback_users,
}


def _require_owner(actor, batch: ImportBatch) -> None:
    if batch.requested_by_id != getattr(actor, "pk", None) and not is_superadmin(actor):
        raise PermissionDenied(_("Only the person who uploaded this file can apply it."))


@transaction.atomic
def batch_upload(*, actor, kind: str, upload: UploadedFile) -> ImportBatch:
    """Store an uploaded file and enqueue its dry run."""
    if kind not in ImportKind.values:
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
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.VALIDATED).update(
        status=BatchStatus.APPLYING, applied_by=actor, processed_rows=0
    )
    if not claimed:
        reject("status", _("Only a checked file without errors can be applied."))
    batch.refresh_from_db()
    from danvan.imports.tasks import apply_batch

    enqueue_on_commit(apply_batch, batch.pk)
    return batch


def _later_changes(model, record_ids: set[int], after: dict[int, int]) -> list[int]:
    """Return the ids of records changed after the batch's own history row."""
    history = model.history.filter(id__in=record_ids).values_list("id", "history_id")
    return sorted({pk for pk, history_id in history if history_id > after.get(pk, 0)})


@transaction.atomic
def batch_rollback(*, actor, batch: ImportBatch) -> ImportBatch:
    """Undo an applied import: restore what it changed, remove what it added.

    Refused, naming the records, when any of them changed after the import — rolling back
    would otherwise erase someone's later work. Administrators of every unit concerned may do it.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.APPLIED:
        reject("status", _("Only an applied import can be rolled back."))
    reason = batch.cause
    with change_cause(f"rollback of {reason}"):
        if batch.kind == ImportKind.INITIATIVES:
            _rollback_initiatives(actor, reason)
        elif batch.kind in RECORD_ROLLBACKS:
            RECORD_ROLLBACKS[batch.kind](actor, reason)
        else:
            _rollback_ledger(actor, batch.kind, reason)
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.rolled_back_by = actor
    batch.save(update_fields=["status", "rolled_back_at", "rolled_back_by"])
    return batch


def _rollback_initiatives(actor, reason: str) -> None:
    own = list(
        Initiative.history.filter(history_change_reason=reason).values(
            "id", "history_id", "history_type"
        )
    )
    last_own: dict[int, int] = {}
    for row in own:
        last_own[row["id"]] = max(row["history_id"], last_own.get(row["id"], 0))
    initiatives = {
        initiative.pk: initiative
        for initiative in Initiative.objects.select_related("area", "organisation").filter(
            pk__in=last_own
        )
    }
    for initiative in initiatives.values():
        require_on_initiative(actor, "history.restore", initiative)
    blocked = _later_changes(Initiative, set(last_own), last_own)
    created = {row["id"] for row in own if row["history_type"] == "+"}
    for pk in created:
        initiative = initiatives.get(pk)
        if initiative is None or (
            initiative.contributions.exists()
            or initiative.results.exists()
            or initiative.evidence.exists()
            or initiative.status_changes.exists()
        ):
            blocked.append(pk)
    if blocked:
        codes = sorted(
            initiatives[pk].code if pk in initiatives else f"#{pk}" for pk in set(blocked)
        )
        reject(
            "status",
            _(
                "These initiatives changed after the import, so it cannot be rolled back "
                "without losing that work: %(codes)s."
            )
            % {"codes": ", ".join(codes)},
        )
    for pk, initiative in initiatives.items():
        if pk in created:
            _delete_created(actor, initiative)
            continue
        first_own = min(row["history_id"] for row in own if row["id"] == pk)
        previous = (
            initiative.history.filter(history_id__lt=first_own).order_by("-history_id").first()
        )
        initiative_restore(actor=actor, initiative=initiative, history_id=previous.history_id)


def _delete_created(actor, initiative: Initiative) -> None:
    """Remove an initiative the import registered (its history keeps it)."""
    before = rollups.capture([initiative.pk])
    attribute_to(initiative, actor)
    initiative.tags.clear()
    initiative.co_organisations.clear()
    initiative.delete()
    rollups.settle(before)


def _rollback_ledger(actor, kind: str, reason: str) -> None:
    model = Contribution if kind == ImportKind.CONTRIBUTIONS else Result
    ids = set(
        model.history.filter(history_change_reason=reason, history_type="+").values_list(
            "id", flat=True
        )
    )
    entries = list(model.objects.select_related("initiative__area").filter(pk__in=ids))
    for entry in entries:
        require_on_initiative(actor, "history.restore", entry.initiative)
    if model is Contribution:
        corrected = sorted(
            {entry.initiative.code for entry in entries if entry.corrections.exists()}
        )
        if corrected:
            reject(
                "status",
                _(
                    "Entries of this import were corrected since, so it cannot be rolled back: "
                    "%(codes)s."
                )
                % {"codes": ", ".join(corrected)},
            )
        # The ledger is append-only: each imported entry is cancelled by a correction to zero.
        for entry in entries:
            if entry.amount == 0 and entry.contributors == 0:
                continue  # nothing to cancel
            contribution_correct(
                actor=SYSTEM, entry=entry, amount=0, contributors=0, reason=f"rollback of {reason}"
            )
    else:
        for entry in entries:
            result_delete(actor=SYSTEM, result=entry)
