"""Run a batch's rows through its importer: as a dry run (nothing kept) or for real.

Rows are read in chunks of 2,000. The dry run builds and validates each chunk with the very
rules the apply uses (the services' build functions: permissions, catalogue values, model
constraints) and writes nothing, committing the progress between chunks. The apply writes each
chunk with one bulk call, all chunks in one transaction, and stops at the first bad row: all or
nothing. Memory stays flat: only one chunk is held at a time.
"""

import contextlib
import itertools
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from danvan.areas.validity import spans_remembered
from danvan.core import upkeep
from danvan.imports import checked, progress
from danvan.imports.heap import heap_frozen
from danvan.imports.kinds import IMPORTERS
from danvan.imports.kinds.awards import SHEET as AWARDS_SHEET
from danvan.imports.kinds.awards import AwardImporter
from danvan.imports.kinds.evaluations import SHEET as EVALUATIONS_SHEET
from danvan.imports.kinds.evaluations import EvaluationImporter
from danvan.imports.models import BatchStatus, ImportBatch, ImportIssue, ImportKind, Severity
from danvan.imports.reading import FileRefused, Table, open_sheet, open_table
from danvan.imports.rows import (
    CREATE,
    NON_FIELD,
    UNCHANGED,
    UPDATE,
    RowError,
    change_cause,
    errors_of,
)

CHUNK_ROWS = 2000
MAX_STORED_ISSUES = 5000
ROW_ERRORS = (RowError, ValidationError, PermissionDenied)
# The further sheets of an initiatives workbook that bring a commission's archive, by name.
ARCHIVE_SHEETS = ((AwardImporter, AWARDS_SHEET), (EvaluationImporter, EVALUATIONS_SHEET))


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
        self.table = None  # once the file is open: where each column is
        self.recorder: checked.Recorder | None = None  # the dry run's reading, kept for the apply
        self.replayed = False  # the apply took the dry run's reading

    def issue(self, row: int | None, column: str, severity: str, message) -> None:
        cell = ""
        if row and column and self.table is not None and column in self.table.positions:
            cell = f"{self.table.letter(column)}{row}"
        if severity == Severity.ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        if len(self.issues) < MAX_STORED_ISSUES:
            self.issues.append(
                ImportIssue.found(
                    batch=self.batch,
                    row=row,
                    column=column,
                    cell=cell,
                    severity=severity,
                    message=message,
                )
            )

    def row_failed(self, row, error: Exception, importer) -> None:
        for key, messages in errors_of(error, importer.fields).items():
            column = "" if key == NON_FIELD else key
            for message in messages:
                self.issue(row.number, column, Severity.ERROR, message)

    def row_warned(self, row, warnings: list[tuple[str, str]]) -> None:
        for column, message in warnings:
            self.issue(row.number, column, Severity.WARNING, message)

    def progress(self) -> None:
        ImportBatch.objects.filter(pk=self.batch.pk).update(processed_rows=self.processed)


def _plan(importer, chunk, recorder=None) -> list[list]:
    """Read each row of ``chunk``: ``[row, outcome, item, error]`` in the file's order;
    ``recorder`` keeps each row's reading for the apply."""
    planned = []
    importer.prepare(chunk)
    kept = importer.looked_up | importer.kept_raw
    for row in chunk:
        importer.last_read = None
        try:
            outcome, item = importer.plan(row)
            planned.append([row, outcome, item, None])
            if recorder is not None:
                raw = {key: row.values.get(key) for key in kept}
                planned_item = outcome if item is not None else None
                recorder.add(row.number, raw, importer.last_read, planned_item, item)
        except ROW_ERRORS as error:
            planned.append([row, None, None, error])
        # What the importer noticed without refusing the row (a likely duplicate, say).
        planned[-1].append(list(importer.warnings))
        importer.warnings.clear()
    return planned


def _place(planned: list[list], errors: dict[int, Exception]) -> None:
    """Put the bulk service's errors (by item position) on their rows."""
    position = 0
    for entry in planned:
        if entry[2] is not None:
            entry[3] = errors.get(position)
            position += 1


def _alike(planned: list[list]) -> set[int]:
    """The positions among the items of those the dry run planned alike (the same signature),
    whose model rules it has passed."""
    alike, position = set(), 0
    for row, outcome, item, _error, _warnings in planned:
        if item is None:
            continue
        if row.signature is not None and row.signature == checked.signature(outcome, item):
            alike.add(position)
        position += 1
    return alike


def _dry_run(run: _Run, importer, rows) -> None:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
        with transaction.atomic():  # the checks write nothing; a guard all the same
            planned = _plan(importer, chunk, run.recorder)
            _place(planned, importer.check([entry[2] for entry in planned if entry[2]]))
            transaction.set_rollback(True)
        for row, outcome, _item, error, warnings in planned:
            run.row_warned(row, warnings)
            if error is not None:
                run.row_failed(row, error, importer)
            else:
                run.counts[outcome] += 1
        run.processed += len(chunk)
        run.progress()


def _apply(run: _Run, importer, rows) -> None:
    """Write chunk after chunk in one transaction; stop at the file's first bad row."""
    iterator = iter(rows)
    try:
        with transaction.atomic(), upkeep.ledgers_remembered():
            while chunk := list(itertools.islice(iterator, CHUNK_ROWS)):
                planned = _plan(importer, chunk)
                unreadable = next(
                    (index for index, entry in enumerate(planned) if entry[3] is not None),
                    len(planned),
                )
                readable = planned[:unreadable]
                items = [entry[2] for entry in readable if entry[2] is not None]
                if items and run.replayed:
                    _place(
                        readable,
                        importer.write(items, reason=run.batch.cause, checked=_alike(readable)),
                    )
                elif items:
                    _place(readable, importer.write(items, reason=run.batch.cause))
                for index, (row, outcome, _item, error, warnings) in enumerate(planned):
                    run.row_warned(row, warnings)
                    if error is not None:
                        run.row_failed(row, error, importer)
                        run.processed += index
                        raise _Abort
                    run.counts[outcome] += 1
                run.processed += len(chunk)
                progress.record(run.batch.pk, run.processed)
    except _Abort:
        run.counts.clear()


def _all_sheets(run: _Run, importer, table, archive: list, *, actor) -> None:
    """The first sheet, then (an archive) its awards and evaluations sheets: in the apply,
    all in one transaction, all or nothing; in the dry run, an award or grade of a model the
    first sheet registers is checked against that sheet's rows."""
    step = _apply if run.apply else _dry_run
    # The dry run commits its progress between chunks; only the apply holds one transaction.
    with transaction.atomic() if run.apply else contextlib.nullcontext():
        step(run, importer, table.rows)
        for sheet, sheet_importer in archive:
            if run.apply and run.errors:
                break
            run.table = sheet
            reading = sheet_importer(actor=actor, language=table.language, models=importer)
            step(run, reading, sheet.rows)
        if run.apply and run.errors:
            run.counts.clear()
            transaction.set_rollback(True)


def _replayed(batch: ImportBatch, importer_class, actor) -> Table | None:
    """The apply of a file checked by the same person under the same code takes the dry run's
    reading of it (``imports.checked``): neither the file's checks nor its cells are done
    again. None when there is none to take (the file is opened as for a dry run)."""
    if not importer_class.replayable:
        return None
    path = batch.file.path
    try:
        key = checked.key_of(path, kind=batch.kind, actor_id=getattr(actor, "pk", None))
    except OSError:  # the file is gone: opening it says so in the batch's language
        return None
    return checked.replay(path, key)


def _record_check(run: _Run, importer, table: Table, archive: list, actor) -> None:
    """The dry run keeps its reading of the file for the apply (``imports.checked``), unless
    the workbook has further sheets (an archive) or the kind cannot be replayed."""
    if run.apply or not importer.replayable or archive:
        return
    path = run.batch.file.path
    key = checked.key_of(path, kind=run.batch.kind, actor_id=getattr(actor, "pk", None))
    run.recorder = checked.Recorder(path, key, table)


def run_batch(batch: ImportBatch, *, apply: bool) -> ImportBatch:
    """Check (``apply=False``) or apply ``batch``; record its counts, issues and status."""
    with heap_frozen():  # the garbage collector walks only what the run creates
        return _run_batch(batch, apply=apply)


def _run_batch(batch: ImportBatch, *, apply: bool) -> ImportBatch:
    run = _Run(batch, apply=apply)
    actor = batch.applied_by if apply else batch.requested_by
    importer_class = IMPORTERS[batch.kind]
    ImportIssue.objects.filter(batch=batch).delete()
    working = BatchStatus.APPLYING if apply else BatchStatus.VALIDATING
    with override(batch.ui_language or "vi"):
        table = _replayed(batch, importer_class, actor) if apply else None
        run.replayed = table is not None
        try:
            table = table or open_table(batch.file.path, importer_class.columns)
        except FileRefused as refused:
            table = None
            for message in refused.messages:
                run.issue(None, "", Severity.ERROR, message)
        archive = []
        # A replayed file has no further sheets: its check kept no reading if it had.
        if table is not None and not run.replayed and batch.kind == ImportKind.INITIATIVES:
            # An archive's awards and evaluations come on further sheets of the same workbook.
            try:
                for sheet_importer, label in ARCHIVE_SHEETS:
                    sheet = open_sheet(batch.file.path, sheet_importer.columns, label)
                    if sheet is not None:
                        archive.append((sheet, sheet_importer))
            except FileRefused as refused:
                table = None
                for message in refused.messages:
                    run.issue(None, "", Severity.ERROR, message)
        if table is not None:
            run.table = table
            for sheet, _sheet_importer in archive:
                table.estimated_rows += sheet.estimated_rows
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
            _record_check(run, importer, table, archive, actor)
            try:
                # Each unit's span of validity is read once per run, not once per row.
                with change_cause(batch.cause), spans_remembered():
                    _all_sheets(run, importer, table, archive, actor=actor)
            except FileRefused as refused:  # found while streaming, e.g. data under no header
                run.counts.clear()
                for message in refused.messages:
                    run.issue(None, "", Severity.ERROR, message)
            except BaseException:
                if run.recorder is not None:
                    run.recorder.drop()
                raise
            if run.recorder is not None and (run.errors or not run.processed):
                run.recorder.drop()
            elif run.recorder is not None:
                run.recorder.keep()
            if apply:
                checked.forget(batch.file.path)
            if not run.processed and not run.errors:
                run.issue(
                    None,
                    "",
                    Severity.ERROR,
                    gettext_lazy(
                        "Nothing to import: the sheet has its header row and no rows under it."
                    ),
                )
        if run.errors > len(run.issues):
            run.issues.append(
                ImportIssue.found(
                    batch=batch,
                    severity=Severity.ERROR,
                    message=gettext_lazy("Only the first %(count)s problems are listed."),
                    params={"count": MAX_STORED_ISSUES},
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
    progress.forget(batch.pk)
    return batch
