"""Imports whose worker died: queue them again, or after too many attempts mark them failed.

A batch being checked (``uploaded``/``validating``), applied (``applying``) or rolled back
(``rolling_back``) whose task is not queued and whose lease (``danvan.core.jobs``) no live
process holds will never move on by itself. Every step can safely run again:

- the check writes nothing but its findings, which a new run replaces;
- the apply writes every row in one transaction, so a worker killed half-way left nothing
  behind, and a second apply of the same batch waits for the first and then finds it applied;
- the rollback too undoes everything in one transaction; after too many attempts the batch
  goes back to "applied".

A check is tried up to three times, an apply twice (once more after the crash): a file that
kills its worker every time (say, one that exhausts the memory) must end with a message, not
loop for ever. The sweep runs at the start of every import task and in ``danvan sweep_jobs``.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from danvan.core.jobs import Swept, orphan_of, release_abandoned, release_dead, uses_task_queue
from danvan.imports import progress
from danvan.imports.models import BatchStatus, ImportBatch, ImportIssue, Severity

LEASE = "imports.batch"


@dataclass(frozen=True)
class Step:
    task_name: str  # in danvan.imports.tasks
    attempts: int
    message: str


CHECK = Step(
    "validate_batch",
    3,
    _(
        "Checking this file stopped several times because the server working on it shut down "
        "unexpectedly. Nothing from it was saved. Upload the file again; if this happens "
        "again, tell your administrator."
    ),
)
APPLY = Step(
    "apply_batch",
    2,
    _(
        "Applying this file stopped twice because the server working on it shut down "
        "unexpectedly. Nothing from it was saved. Upload the file again; if this happens "
        "again, tell your administrator."
    ),
)
ROLLBACK = Step(
    "rollback_batch",
    2,
    _(
        "Rolling this import back stopped twice because the server working on it shut down "
        "unexpectedly. Nothing was undone: the import is still applied. Try again; if this "
        "happens again, tell your administrator."
    ),
)
STEP_OF = {
    BatchStatus.UPLOADED: CHECK,
    BatchStatus.VALIDATING: CHECK,
    BatchStatus.APPLYING: APPLY,
    BatchStatus.ROLLING_BACK: ROLLBACK,
}


def _task(step: Step):
    from danvan.imports import tasks

    return getattr(tasks, step.task_name)


def imports_sweep() -> Swept:
    """Queue again, or mark failed, every batch whose check or apply nothing will finish."""
    swept = Swept()
    if not uses_task_queue(_task(CHECK)):
        return swept
    working = dict(ImportBatch.objects.filter(status__in=list(STEP_OF)).values_list("pk", "status"))
    for pk, status in sorted(working.items()):
        step = STEP_OF[status]
        orphan = orphan_of(_task(step), pk, lease_name=LEASE)
        if orphan is None:
            continue
        swept.closed += len(orphan.dead)
        if orphan.attempts < step.attempts:
            with transaction.atomic():
                release_dead(orphan.dead)
                # In the same transaction: the new row and the batch's state commit together.
                _task(step).enqueue(pk)
            swept.requeued += 1
        elif _fail(pk, status, step, orphan.dead):
            swept.failed += 1
        else:
            continue
        progress.forget(pk)  # the dead apply's count, which would show until the next one's
    for step in (CHECK, APPLY, ROLLBACK):
        swept.closed += release_abandoned(_task(step), lease_name=LEASE, working=set(working))
    return swept


@transaction.atomic
def _fail(pk: int, status: str, step: Step, dead: list) -> bool:
    """Mark batch ``pk`` failed with ``step``'s message in its uploader's language, if it is
    still in ``status`` (a live task that took it meanwhile wins)."""
    release_dead(dead)
    batch = ImportBatch.objects.select_for_update().filter(pk=pk, status=status).first()
    if batch is None:
        return False
    with override(batch.ui_language or "vi"):
        issue = ImportIssue.found(batch=batch, severity=Severity.ERROR, message=step.message)
    issue.save()
    if step is ROLLBACK:  # the rollback's one transaction left the import as it was
        ImportBatch.objects.filter(pk=pk).update(status=BatchStatus.APPLIED, rolled_back_by=None)
        return True
    changes = {
        "status": BatchStatus.FAILED,
        "error_count": F("error_count") + 1,
        "creates": 0,
        "updates": 0,
        "unchanged": 0,
    }
    if step is CHECK:
        changes["validated_at"] = timezone.now()
    ImportBatch.objects.filter(pk=pk).update(**changes)
    return True
