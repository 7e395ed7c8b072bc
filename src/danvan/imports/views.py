"""Pages of imports: upload a file, watch its check, read its problems, apply or roll back.

The status block refreshes itself (htmx) while a background step runs, from the same numbers
the API gives.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.accounts.scope import holds
from danvan.core.downloads import FALLBACK_TYPE, bytes_download, file_download
from danvan.imports.models import SPREADSHEET_KINDS, BatchStatus
from danvan.imports.selectors import batch_issues, batch_list, issue_place
from danvan.imports.services import ACTIONS, batch_apply, batch_rollback_request, batch_upload
from danvan.imports.workbooks import workbook

ISSUES_PAGE_SIZE = 100
RUNNING = {
    BatchStatus.UPLOADED,
    BatchStatus.VALIDATING,
    BatchStatus.APPLYING,
    BatchStatus.ROLLING_BACK,
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kinds_for(user) -> list:
    return [(kind, label) for kind, label in SPREADSHEET_KINDS if holds(user, ACTIONS[kind])]


@login_required
def import_index(request):
    """The user's imports, and the form to upload a new file."""
    kinds = _kinds_for(request.user)
    if request.method == "POST":
        try:
            batch = batch_upload(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                upload=request.FILES.get("file"),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            return redirect("imports:detail", pk=batch.pk)
    page = Paginator(batch_list(actor=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "imports/index.html", {"page": page, "kinds": kinds})


def _batch(request, pk: int):
    return get_object_or_404(batch_list(actor=request.user), pk=pk)


@login_required
def import_detail(request, pk: int):
    """One import: status and counts, then every problem by row and column."""
    batch = _batch(request, pk)
    issues = Paginator(batch_issues(batch=batch), ISSUES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for issue in issues:  # the header in the reader's language, and the cell
        issue.place = issue_place(issue, kind=batch.kind)
    context = {
        "batch": batch,
        "issues": issues,
        "running": batch.status in RUNNING,
        "can_apply": batch.status == BatchStatus.VALIDATED
        and batch.requested_by_id == request.user.pk,
        "can_roll_back": batch.status == BatchStatus.APPLIED
        and holds(request.user, "history.restore"),
    }
    template = "imports/_status.html" if request.htmx else "imports/detail.html"
    return render(request, template, context)


@login_required
@require_GET
def import_file(request, pk: int):
    """The uploaded file, for a person who may follow the import (404 to others); it is never
    reachable by its storage path."""
    batch = _batch(request, pk)
    # Whatever the person uploaded is handed back as bytes to save, never as a page to render.
    return file_download(batch.file, name=batch.original_name or None, content_type=FALLBACK_TYPE)


@login_required
@require_POST
def import_apply(request, pk: int):
    try:
        batch_apply(actor=request.user, batch=_batch(request, pk))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("imports:detail", pk=pk)


@login_required
@require_POST
def import_rollback(request, pk: int):
    try:
        batch_rollback_request(actor=request.user, batch=_batch(request, pk))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request, _("The import is being rolled back; this page shows how far it has got.")
        )
    return redirect("imports:detail", pk=pk)


@login_required
def import_template(request, kind: str):
    """The XLSX template of ``kind`` in the page's language."""
    if kind not in dict(SPREADSHEET_KINDS):
        raise Http404
    return bytes_download(workbook(kind), content_type=XLSX_TYPE, name=f"danvan-{kind}.xlsx")
