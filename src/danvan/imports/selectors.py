"""Reads of imports: who sees which uploaded file."""

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.accounts.scope import is_superadmin, scope_q
from danvan.imports.kinds import IMPORTERS
from danvan.imports.kinds.awards import COLUMNS as AWARD_COLUMNS
from danvan.imports.kinds.evaluations import COLUMNS as EVALUATION_COLUMNS
from danvan.imports.models import ImportBatch, ImportIssue, ImportKind


def batch_list(*, actor) -> QuerySet[ImportBatch]:
    """Return the imports ``actor`` may follow: their own, and those of the people of the
    organisations they administer (administrators roll imports back; the rollback itself
    checks their scope record by record). A file and its problems quote cell values — names,
    addresses, amounts — so an import is shown to nobody else: another province's
    administrator is answered "not found". Super administrators see every import."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", True):
        return ImportBatch.objects.none()
    queryset = ImportBatch.objects.select_related("requested_by")
    if is_superadmin(actor):
        return queryset
    administered = scope_q(
        actor,
        "history.restore",
        area_field="requested_by__organisation__seat_area",
        organisation_field="requested_by__organisation",
    )
    return queryset.filter(Q(requested_by=actor) | administered)


def batch_issues(*, batch: ImportBatch, severity: str | None = None) -> QuerySet[ImportIssue]:
    """Return a batch's problems, the file's own first, then by row."""
    queryset = batch.issues.order_by("row", "id")
    if severity:
        queryset = queryset.filter(severity=severity)
    return queryset


def issue_place(issue: ImportIssue, *, kind: str, language: str | None = None) -> str:
    """Where a problem is, as the reader's sheet says it: the column's header in ``language``
    (the reader's, not the uploader's) and its cell, e.g. "Ngày bắt đầu, ô H3"."""
    columns = list(getattr(IMPORTERS.get(kind), "columns", ()))
    if kind == ImportKind.INITIATIVES:  # and its archive's sheets, whose keys are their own
        columns += AWARD_COLUMNS + EVALUATION_COLUMNS
    column = next((c for c in columns if c.key == issue.column), None)
    header = column.header(language) if column is not None else issue.column
    if not header or not issue.cell:
        return header
    with translation.override(language or translation.get_language()):
        return _("%(header)s, cell %(cell)s") % {"header": header, "cell": issue.cell}
