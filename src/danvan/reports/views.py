"""Pages of reports: the person's reports (rows refresh themselves while the worker builds
them), the form asking for a periodic report, the initiative list's background export, and
the download of a finished file.

Every request goes through ``reports.services.report_request``, as the API's does; a report is
seen and downloaded only by the person who asked for it (or a super administrator).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.scope import can, holds
from danvan.core.downloads import bytes_download, file_download
from danvan.core.forms import apply_errors
from danvan.core.http import id_or_404, or_404
from danvan.initiatives.views.listing import filtered_initiatives
from danvan.reports.document import Document
from danvan.reports.exporters import initiatives_table
from danvan.reports.forms import DocumentSettingsForm, PeriodicReportForm, export_arguments
from danvan.reports.letterheads import settings_of
from danvan.reports.models import Report, ReportFormat, ReportStatus
from danvan.reports.renderers import renderer_for
from danvan.reports.selectors import report_detail, report_list
from danvan.reports.services import SETTINGS_FIELDS, report_request, save_document_settings
from danvan.reports.word_templates import PLACEHOLDERS
from danvan.stats.units import unit_choices

PAGE_SIZE = 20
FINISHED = {ReportStatus.DONE, ReportStatus.FAILED}


def _report_or_404(request, pk) -> Report:
    return or_404(report_detail, actor=request.user, pk=id_or_404(pk))


@login_required
@require_GET
def report_index(request):
    """The reports the person asked for, newest first, paged."""
    page = Paginator(report_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/index.html",
        {"page": page, "finished": FINISHED, "sets_documents": holds(request.user, "area.manage")},
    )


@login_required
@require_GET
def report_row(request, pk):
    """One row of the list: htmx polls it while the report is queued or running."""
    report = _report_or_404(request, pk)
    return render(request, "reports/_row.html", {"report": report, "finished": FINISHED})


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """Ask for a periodic report; the worker builds it and the list follows it."""
    if not holds(request.user, "initiative.view"):
        raise PermissionDenied(_("Only people who may read initiatives ask for reports."))
    if request.method == "POST":
        form = PeriodicReportForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                report_request(actor=request.user, **form.request_arguments())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Your report is being prepared; it appears below when it is ready."),
                )
                return redirect("reports:index")
    else:
        form = PeriodicReportForm(initial={"unit": request.GET.get("unit")}, user=request.user)
    return render(request, "reports/new.html", {"form": form})


@login_required
@require_POST
def report_export(request):
    """Export the initiative list, filtered as the page showed it, as XLSX in the background."""
    arguments, notes = export_arguments(request.user, request.POST)
    if arguments is None:
        messages.error(request, _("Some filters are not valid; correct them before exporting."))
        return _back_to_list(request)
    try:
        report_request(actor=request.user, **arguments)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back_to_list(request)
    for note in notes:
        messages.warning(request, note)
    messages.success(request, _("The export is being prepared; download it here when it is ready."))
    return redirect("reports:index")


@login_required
@require_GET
def initiative_csv(request):
    """The initiative list as the page filters and sorts it now, as CSV straight away: the
    background export's columns and CSV writer, for the rows the list shows."""
    _form, initiatives = filtered_initiatives(request)
    table = initiatives_table(initiatives)
    renderer = renderer_for(ReportFormat.CSV)
    document = Document(title=table.title, language=get_language(), tables=[table])
    return bytes_download(
        renderer.render(document),
        content_type=renderer.content_type,
        name=f"initiatives-{timezone.localdate().isoformat()}.{renderer.extension}",
    )


def _back_to_list(request):
    return redirect(reverse("initiatives:list"))


@login_required
@require_GET
def report_download(request, pk):
    """The report's file, for the person who asked for it; a friendly page until it is built."""
    report = _report_or_404(request, pk)
    if not report.is_ready:
        return render(request, "reports/not_ready.html", {"report": report}, status=409)
    return file_download(report.file, content_type=renderer_for(report.format).content_type)


def _managed_units(user) -> list:
    """The units whose document settings ``user`` may set: those offered on the report form
    that the person administers."""
    return [choice for choice in unit_choices(user) if can(user, "area.manage", area=choice.area)]


@login_required
@require_http_methods(["GET", "POST"])
def document_settings(request):
    """Set once how a unit's documents are headed and signed, and its own Word template."""
    units = _managed_units(request.user)
    if not units:
        raise PermissionDenied(_("Only a unit's administrators set how its documents look."))
    wanted = request.POST.get("unit", request.GET.get("unit", units[0].value)) or ""
    choice = next((unit for unit in units if unit.value == wanted), None)
    if choice is None:
        raise Http404
    area = choice.area
    current = settings_of(area)
    if request.method == "POST":
        form = DocumentSettingsForm(request.POST, request.FILES, instance=current)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
            try:
                save_document_settings(
                    actor=request.user,
                    area=area,
                    values=values,
                    template=form.cleaned_data.get("template"),
                    remove_template=form.cleaned_data.get("remove_template", False),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The document settings are saved."))
                return redirect(f"{reverse('reports:settings')}?unit={choice.value}")
    else:
        form = DocumentSettingsForm(instance=current)
    return render(
        request,
        "reports/settings.html",
        {
            "form": form,
            "units": units,
            "choice": choice,
            "saved": current.pk is not None,
            "template_name": current.template.name.rsplit("/", 1)[-1] if current.template else "",
            "placeholders": PLACEHOLDERS,
        },
    )
