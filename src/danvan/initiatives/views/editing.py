"""The forms that write: register and edit an initiative, add to its ledger, record a result,
attach evidence. Each calls one service; what the service refuses shows on the form's fields."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from danvan.accounts.scope import can, holds
from danvan.areas.models import Area
from danvan.core.forms import apply_errors
from danvan.core.http import id_or_404, or_404
from danvan.core.ids import parse_id
from danvan.core.validation import ConflictError
from danvan.initiatives.forms import (
    ContributionForm,
    CorrectionForm,
    EvidenceForm,
    InitiativeEditForm,
    InitiativeForm,
    ResultForm,
)
from danvan.initiatives.models import Contribution, Initiative
from danvan.initiatives.selectors import (
    area_choices,
    area_option_label,
    co_organisation_choices,
    contribution_of,
    initiative_visible,
    organisation_choices,
    replication_source_by_code,
)
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    evidence_add,
    initiative_create,
    initiative_update,
    result_add,
)
from danvan.initiatives.views.detail import contribution_unit_label
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import organisation_notice

# A chooser draws this many options at most; the area chooser's search finds the others.
MAX_OPTIONS = 300
# Where each service names a field differently from the form.
ALIASES = {"entry": None, "upload": "file"}


def _require(request, action: str, initiative: Initiative) -> None:
    """Raise ``PermissionDenied`` (a friendly 403) for a person who may read but not act."""
    if not can(
        request.user, action, area=initiative.area, organisation_id=initiative.organisation_id
    ):
        raise PermissionDenied(_("You do not have permission to do this here."))


def _area_options(request, form) -> list[Area]:
    options = list(area_choices(actor=request.user, action="initiative.create"))
    chosen = form["area"].value() if "area" in form.fields else None
    if chosen:
        try:
            area = Area.objects.filter(pk=id_or_404(chosen)).first()
        except Http404:
            area = None
        if area is not None and area not in options:
            options.insert(0, area)
    return options


def _initiative_form(request, form_class, *, data=None, initial=None):
    form = form_class(
        data,
        initial=initial,
        organisations=organisation_choices(actor=request.user),
        areas=Area.objects.all(),
    )
    form.limit_options("area", _area_options(request, form), label=area_option_label)
    if "organisation" in form.fields:
        form.limit_options("organisation", form.fields["organisation"].queryset[:MAX_OPTIONS])
    chosen = _chosen_co_organisations(form)
    form.limit_co_organisations(co_organisation_choices(actor=request.user, chosen=chosen))
    return form


def _refused_field(refusal: PermissionDenied) -> str:
    """The field a refusal of the scope is about: a co-organiser of another province, or the
    unit (the service's ``require_related`` names the co-organiser in its message)."""
    co_organiser = _("%(field)s belongs to another province and cannot be used here.") % {
        "field": _("A co-organising agency")
    }
    return "co_organisations" if str(refusal) == co_organiser else "area"


def _chosen_co_organisations(form) -> list[Organisation]:
    """The co-organisers the form holds (sent, or the initiative's), to keep them drawn."""
    value = form["co_organisations"].value() or []
    ids = [number for number in (parse_id(item) for item in value) if number is not None]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _replicated_from(request, form) -> Initiative | None:
    """The model the code names: one the person may read, or a public one of any unit."""
    code = (form.cleaned_data.get("replicated_from") or "").strip()
    if not code:
        return None
    source = replication_source_by_code(actor=request.user, code=code)
    if source is None:
        form.add_error("replicated_from", _("No initiative you can see has this code."))
    return source


@login_required
@require_http_methods(["GET", "POST"])
def initiative_create_page(request):
    """Register a new initiative as a draft."""
    if not holds(request.user, "initiative.create"):
        raise PermissionDenied(_("You do not have permission to do this."))
    form = _initiative_form(request, InitiativeForm, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = _replicated_from(request, form)
        if not form.errors:
            try:
                initiative = initiative_create(
                    actor=request.user,
                    title=data["title"],
                    field=data["field"],
                    organisation=data["organisation"],
                    area=data["area"],
                    year=data["year"],
                    summary=data["summary"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    people_in_charge=data["people_in_charge"],
                    tags=data["tags"],
                    replicated_from=source,
                    co_organisations=data["co_organisations"],
                )
            except PermissionDenied as refusal:
                form.add_error(_refused_field(refusal), str(refusal))
            except ValidationError as error:
                apply_errors(form, error, aliases=ALIASES)
            else:
                message = _("Initiative %(code)s registered as a draft.")
                messages.success(request, message % {"code": initiative.code})
                return redirect("initiatives:detail", pk=initiative.pk)
    # The officer learns here when their organisation, or its seat, has ended.
    notice = organisation_notice(organisation=getattr(request.user, "organisation", None))
    context = {"form": form, "initiative": None, "own_organisation": notice}
    return render(request, "initiatives/initiative_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit_page(request, pk):
    """Change an initiative's facts; a save on an older version is refused, nothing lost."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk, full=True)
    _require(request, "initiative.update", initiative)
    initial = {
        "title": initiative.title,
        "field": initiative.field,
        "area": initiative.area_id,
        "summary": initiative.summary,
        "start_date": initiative.start_date,
        "end_date": initiative.end_date,
        "people_in_charge": initiative.people_in_charge,
        "tags": ", ".join(tag.name for tag in initiative.tags.all()),
        "replicated_from": initiative.replicated_from.code if initiative.replicated_from else "",
        "co_organisations": [org.pk for org in initiative.co_organisations.all()],
        "version": initiative.version,
    }
    form = _initiative_form(request, InitiativeEditForm, data=request.POST or None, initial=initial)
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = _replicated_from(request, form)
        if not form.errors:
            try:
                initiative_update(
                    actor=request.user,
                    initiative=initiative,
                    expected_version=data["version"],
                    title=data["title"],
                    field=data["field"],
                    area=data["area"],
                    summary=data["summary"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    people_in_charge=data["people_in_charge"],
                    replicated_from=source,
                    tags=data["tags"],
                    co_organisations=data["co_organisations"],
                )
            except ConflictError as error:
                conflict = True
                apply_errors(form, error)
            except PermissionDenied as refusal:
                form.add_error(_refused_field(refusal), str(refusal))
            except ValidationError as error:
                apply_errors(form, error, aliases=ALIASES)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("initiatives:detail", pk=initiative.pk)
    return render(
        request,
        "initiatives/initiative_form.html",
        {"form": form, "initiative": initiative, "conflict": conflict},
    )


def _write_page(request, pk, *, action, form_class, template, write, success, extra=None):
    """Run the usual write page: scope, permission, form, service, errors on the fields."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    _require(request, action, initiative)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            write(initiative, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, aliases=ALIASES)
        else:
            messages.success(request, success)
            return redirect("initiatives:detail", pk=initiative.pk)
    return render(request, template, {"form": form, "initiative": initiative, **(extra or {})})


@login_required
@require_http_methods(["GET", "POST"])
def contribution_add_page(request, pk):
    def write(initiative, data):
        contribution_add(
            actor=request.user,
            initiative=initiative,
            date=data["date"],
            kind=data["kind"],
            amount=data["amount"],
            contributor_type=data["contributor_type"],
            contributors=data["contributors"] or 0,
            description=data["description"],
        )

    return _write_page(
        request,
        pk,
        action="contribution.add",
        form_class=ContributionForm,
        template="initiatives/contribution_form.html",
        write=write,
        success=_("Contribution recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contribution_correct_page(request, pk, entry_pk):
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    try:
        entry = contribution_of(initiative=initiative, pk=id_or_404(entry_pk))
    except Contribution.DoesNotExist:
        raise Http404 from None

    def write(initiative, data):
        contribution_correct(
            actor=request.user,
            entry=entry,
            amount=data["amount"],
            contributors=data["contributors"] if data["contributors"] != "" else None,
            reason=data["reason"],
            date=data["date"],
        )

    return _write_page(
        request,
        pk,
        action="contribution.add",
        form_class=partial(CorrectionForm, kind=entry.kind),
        template="initiatives/correction_form.html",
        write=write,
        success=_("Correction recorded."),
        extra={"entry": entry, "unit": contribution_unit_label(entry.kind)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def result_add_page(request, pk):
    def write(initiative, data):
        result_add(
            actor=request.user,
            initiative=initiative,
            indicator=data["indicator"],
            value=data["value"],
            target=data["target"] or None,
            period_start=data["period_start"],
            period_end=data["period_end"],
            note=data["note"],
        )

    return _write_page(
        request,
        pk,
        action="result.add",
        form_class=ResultForm,
        template="initiatives/result_form.html",
        write=write,
        success=_("Result recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add_page(request, pk):
    def write(initiative, data):
        evidence_add(
            actor=request.user,
            initiative=initiative,
            upload=data["file"],
            kind=data["kind"],
            title=data["title"],
        )

    return _write_page(
        request,
        pk,
        action="evidence.add",
        form_class=EvidenceForm,
        template="initiatives/evidence_form.html",
        write=write,
        success=_("File attached."),
    )
