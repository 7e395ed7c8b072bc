"""Pages of a Word-report import: upload a report, then review what was read and apply it.

The review page shows each item beside the sentence or the table row it came from; the person
confirms, corrects or rejects it, and only confirmed items are applied.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import holds
from danvan.imports.models import (
    BatchStatus,
    ImportKind,
    ItemDecision,
    ItemRecord,
    ReportItem,
)
from danvan.imports.selectors import batch_issues, batch_list
from danvan.imports.word_reports.document import office_converter
from danvan.imports.word_reports.services import (
    ACTION,
    report_apply,
    report_confirm_suggestions,
    report_review,
    report_upload,
)
from danvan.initiatives.catalogues import Field, Unit
from danvan.initiatives.models import Indicator
from danvan.orgs.models import OrgKind

PAGE_SIZE = 100
QUALIFIERS = {
    "more_than": _lazy("more than"),
    "nearly": _lazy("nearly"),
    "about": _lazy("about"),
    "at_least": _lazy("at least"),
}
RECORDS = {
    "": _lazy("Everything"),
    ItemRecord.INITIATIVE: _lazy("Models"),
    ItemRecord.CONTRIBUTION: _lazy("Contributions"),
    ItemRecord.RESULT: _lazy("Results"),
}


@login_required
def report_upload_page(request):
    """The form to upload a Word report."""
    if not holds(request.user, ACTION):
        raise PermissionDenied
    if request.method == "POST":
        try:
            batch = report_upload(actor=request.user, upload=request.FILES.get("file"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return redirect("imports:word_report_review", pk=batch.pk)
    return render(
        request,
        "imports/word_reports/upload.html",
        {"can_convert": office_converter() is not None},
    )


def _batch(request, pk: int):
    return get_object_or_404(
        batch_list(actor=request.user).filter(kind=ImportKind.WORD_REPORTS), pk=pk
    )


def _highlight(evidence: str, raw: str) -> str:
    """The evidence with the words the figure was read from marked."""
    text = escape(evidence)
    if raw and escape(raw) in text:
        text = text.replace(escape(raw), f"<mark>{escape(raw)}</mark>", 1)
    return mark_safe(text)  # built from escaped text only


@login_required
def report_review_page(request, pk: int):
    """Every item read from the report, beside its evidence, to confirm, correct or reject."""
    batch = _batch(request, pk)
    owner = batch.requested_by_id == request.user.pk
    editable = owner and batch.status == BatchStatus.VALIDATED
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        changes = _changes(request.POST)
        try:
            problems = report_review(actor=request.user, batch=batch, changes=changes)
        except ValidationError as error:
            problems = error.messages
        for problem in problems:
            messages.error(request, problem)
        if not problems:
            messages.success(request, _("Your decisions were saved."))
        return redirect(request.get_full_path())
    record = request.GET.get("record", "")
    items = batch.items.all()
    if record in dict(RECORDS) and record:
        items = items.filter(record=record)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    models = list(
        batch.items.filter(record=ItemRecord.INITIATIVE).values_list("position", "values")
    )
    indicators = list(Indicator.objects.order_by("code"))
    rows = [_row(item, indicators) for item in page]
    counts = {decision: batch.items.filter(decision=decision).count() for decision in ItemDecision}
    return render(
        request,
        "imports/word_reports/review.html",
        {
            "batch": batch,
            "page": page,
            "rows": rows,
            "record": record,
            "records": RECORDS.items(),
            "models": [(position, values.get("title", "")) for position, values in models],
            "fields": Field.choices,
            "decisions": ItemDecision.choices,
            "editable": editable,
            "counts": counts,
            "issues": list(batch_issues(batch=batch)[:200]),
        },
    )


def _row(item: ReportItem, indicators: list[Indicator]) -> dict:
    values = item.values
    row = {"item": item, "values": values}
    if item.record == ItemRecord.INITIATIVE:
        row["evidence"] = item.evidence
        row["org_kind"] = OrgKind(values["org_kind"]).label if values.get("org_kind") else ""
    else:
        row["evidence"] = _highlight(item.evidence, values.get("raw", ""))
        row["unit"] = Unit(values["unit"]).label
        row["qualifier"] = QUALIFIERS.get(values.get("qualifier", ""), "")
        row["indicators"] = [i for i in indicators if i.unit == values.get("unit")]
        row["link"] = (
            f"item:{values['initiative_item']}"
            if values.get("initiative_item")
            else values.get("initiative", "")
        )
    return row


def _changes(post) -> dict[int, dict]:
    """``{position: {field: value}}`` from the form's ``item-<position>-<field>`` inputs."""
    changes: dict[int, dict] = {}
    for key, value in post.items():
        parts = key.split("-", 2)
        if len(parts) != 3 or parts[0] != "item" or not parts[1].isdigit():
            continue
        changes.setdefault(int(parts[1]), {})[parts[2]] = value
    return changes


@login_required
@require_POST
def report_confirm_page(request, pk: int):
    batch = _batch(request, pk)
    try:
        count = report_confirm_suggestions(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("%(count)s suggestions were confirmed.") % {"count": count})
    return redirect("imports:word_report_review", pk=pk)


@login_required
@require_POST
def report_apply_page(request, pk: int):
    batch = _batch(request, pk)
    try:
        batch = report_apply(actor=request.user, batch=batch)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("imports:word_report_review", pk=pk)
    if batch.status == BatchStatus.APPLIED:
        messages.success(request, _("The confirmed rows were saved."))
        return redirect("imports:detail", pk=pk)
    messages.error(request, _("Nothing was saved: correct the rows listed below and apply again."))
    return redirect("imports:word_report_review", pk=pk)
