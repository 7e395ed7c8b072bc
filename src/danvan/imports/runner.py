"""Run a batch's rows through its importer: as a dry run (nothing kept) or for real.

The dry run calls the very services the apply will call, inside transactions that are rolled
back, so it finds everything the apply would refuse — permissions, catalogue values, model
constraints — and writes nothing. It runs in chunks, each rolled back, so the progress can be
committed between them and other users are never blocked for long. The apply runs every row in
one transaction and stops at the first error: all or nothing.
"""

import itertools
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from danvan.imports.kinds import IMPORTERS
from danvan.imports.models import BatchStatus, ImportBatch, ImportIssue, Severity
from danvan.imports.reading import FileRefused, open_table
from danvan.imports.rows import (
    CREATE,
    NON_FIELD,
    UNCHANGED,
    UPDATE,
    RowError,
    change_cause,
    errors_of,
)

CHUNK_ROWS = 500
MAX_STORED_ISSUES = 5000
ROW_ERRORS = (RowError, ValidationError, PermissionDenied)


class _Abort(Exception):
    """Leave the apply's transaction, rolling it back."""


class _Run:
    def __init__(self, batch: ImportBatch, *, apply: bool):
        self.batch = batch
        self.apply = apply
        self.counts: Counter = Counter()
        self.issues: list[ImportIssue] = []
        self.errors = 0
        self.warnings = 0
        self.processed = 0

    def issue(self, row: int | None, column: str, severity: str, message: str) -> None:
        if severity == Severity.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.issues) < MAX_STORED_ISSUES:
            self.issues.append(
                ImportIssue(
                    batch=self.batch, row=row, column=column, severity=severity, message=message
                )
            )

    def row_failed(self, row, error: Exception, importer) -> None:
        for key, messages in errors_of(error, importer.fields).items():
            column = "" if key == NON_FIELD else key
            for message in messages:
                self.issue(row.number, column, Severity.ERROR, message)

    def handle(self, importer, row) -> None:
        importer.warnings = []
        outcome = importer.handle(row)
        self.counts[outcome] += 1
        for key, message in importer.warnings:
            self.issue(row.number, key, Severity.WARNING, message)

    def progress(self) -> None:
        ImportBatch.objects.filter(pk=self.batch.pk).update(processed_rows=self.processed)


def _dry_run(run: _Run, importer, rows) -> None:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        with transaction.atomic():
            for row in chunk:
                try:
                    with transaction.atomic():
                        run.handle(importer, row)
                except ROW_ERRORS as error:
                    run.row_failed(row, error, importer)
            transaction.set_rollback(True)
        run.processed += len(chunk)
        run.progress()


def _apply(run: _Run, importer, rows) -> None:
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    run.handle(importer, row)
                except ROW_ERRORS as error:
                    run.row_failed(row, error, importer)
                    raise _Abort from None
                run.processed += 1
            if run.errors:
                raise _Abort
    except _Abort:
        run.counts.clear()


def run_batch(batch: ImportBatch, *, apply: bool) -> ImportBatch:
    """Check (``apply=False``) or apply ``batch``; record its counts, issues and status."""
    run = _Run(batch, apply=apply)
    actor = batch.applied_by if apply else batch.requested_by
    importer_class = IMPORTERS[batch.kind]
    ImportIssue.objects.filter(batch=batch).delete()
    working = BatchStatus.APPLYING if apply else BatchStatus.VALIDATING
    with override(batch.ui_language or "vi"):
        try:
            table = open_table(batch.file.path, importer_class.columns)
        except FileRefused as refused:
            table = None
            for message in refused.messages:
                run.issue(None, "", Severity.ERROR, message)
        if table is not None:
            batch.file_type, batch.language = table.kind, table.language
            batch.total_rows = table.estimated_rows
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=working,
                file_type=table.kind,
                language=table.language,
                total_rows=table.estimated_rows,
                processed_rows=0,
            )
            importer = importer_class(actor=actor, language=table.language)
            try:
                with change_cause(batch.cause):
                    (_apply if apply else _dry_run)(run, importer, table.rows)
            except FileRefused as refused:  # found while streaming, e.g. data under no header
                run.counts.clear()
                for message in refused.messages:
                    run.issue(None, "", Severity.ERROR, message)
        if run.errors > len(run.issues):
            run.issues.append(
                ImportIssue(
                    batch=batch,
                    severity=Severity.ERROR,
                    message=_("Only the first %(count)s problems are listed.")
                    % {"count": MAX_STORED_ISSUES},
                )
            )
    return _finish(batch, run)


def _finish(batch: ImportBatch, run: _Run) -> ImportBatch:
    now = timezone.now()
    batch.creates = run.counts[CREATE]
    batch.updates = run.counts[UPDATE]
    batch.unchanged = run.counts[UNCHANGED]
    batch.error_count = run.errors
    batch.warning_count = run.warnings
    batch.processed_rows = run.processed
    if run.apply and not run.errors:
        batch.status, batch.applied_at = BatchStatus.APPLIED, now
    elif run.apply:
        batch.status = BatchStatus.FAILED
    else:
        batch.status = BatchStatus.FAILED if run.errors else BatchStatus.VALIDATED
        batch.validated_at = now
    with transaction.atomic():
        ImportIssue.objects.bulk_create(run.issues, batch_size=1000)
        batch.save()
    return batch
