"""``/initiatives/``: the scoped list with search, filters, sorting and paging, and the small
option lists the choosers fetch while a person types. Its exports are the reports app's."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from danvan.accounts.scope import holds
from danvan.areas.models import Area
from danvan.core.forms import ReadyChoices
from danvan.core.http import id_or_404
from danvan.initiatives.forms import DEFAULT_PAGE_SIZE, PAGE_SIZES, InitiativeFilterForm
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import (
    area_choices,
    area_option_label,
    initiative_browse,
    organisation_choices,
)
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import organisation_list
from danvan.review.models import RegistrationRound

# The list's columns that sort, with the ordering key each one uses.
SORTABLE = [
    ("code", gettext_lazy("Code")),
    ("title", gettext_lazy("Title")),
    ("year", gettext_lazy("Year")),
    ("status", gettext_lazy("Status")),
    ("updated", gettext_lazy("Updated")),
]
# A chooser draws this many options at most; a search narrows them.
MAX_OPTIONS = 300


def _filter_form(request) -> InitiativeFilterForm:
    form = InitiativeFilterForm(
        request.GET or None,
        organisations=organisation_list(actor=request.user),
        areas=Area.objects.all(),
        rounds=RegistrationRound.objects.select_related("area"),
    )
    selected_area = _selected(request.GET.get("area"), Area)
    areas = list(
        area_choices(actor=request.user, action="initiative.view", search=request.GET.get("area_q"))
    )
    if selected_area is not None and selected_area not in areas:
        areas.insert(0, selected_area)
    form.fields["area"].widget.choices = ReadyChoices(
        [("", _("All"))] + [(area.pk, area_option_label(area)) for area in areas]
    )
    organisations = list(organisation_list(actor=request.user).order_by("name")[:MAX_OPTIONS])
    selected_org = _selected(request.GET.get("organisation"), Organisation)
    if selected_org is not None and selected_org not in organisations:
        organisations.insert(0, selected_org)
    form.fields["organisation"].widget.choices = ReadyChoices(
        [("", _("All"))] + [(org.pk, str(org)) for org in organisations]
    )
    return form


def _selected(value, model):
    if not value:
        return None
    try:
        return model.objects.filter(pk=id_or_404(value)).first()
    except Http404:
        return None


def filtered_initiatives(request):
    """Return the filter form and the initiatives it selects (none when it is invalid)."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        return form, Initiative.objects.none()
    if not form.is_bound:
        form.cleaned_data = {}
    return form, initiative_browse(actor=request.user, **form.selector_filters())


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _columns(request, ordering: str) -> list[dict]:
    columns = []
    for key, label in SORTABLE:
        if ordering == key:
            sort, next_ordering = "ascending", f"-{key}"
        elif ordering == f"-{key}":
            sort, next_ordering = "descending", key
        else:
            sort, next_ordering = "none", key
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": sort,
                "url": _query(request, ordering=next_ordering, page=None),
            }
        )
    return columns


@login_required
@require_GET
def initiative_list_page(request):
    """Show the initiatives the person may see; htmx asks only for the results part."""
    form, initiatives = filtered_initiatives(request)
    size = form.cleaned_data.get("size") if form.is_bound and form.is_valid() else None
    size = size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    page = Paginator(initiatives, size).get_page(request.GET.get("page"))
    ordering = (form.cleaned_data.get("ordering") if form.is_bound else None) or "-year"
    context = {
        "form": form,
        "page": page,
        "columns": _columns(request, ordering),
        "page_urls": {
            "first": _query(request, page=1),
            "previous": _query(request, page=page.previous_page_number())
            if page.has_previous()
            else None,
            "next": _query(request, page=page.next_page_number()) if page.has_next() else None,
            "last": _query(request, page=page.paginator.num_pages),
        },
        "export_url": reverse("reports:initiatives_csv") + _query(request, page=None, size=None),
        "can_create": holds(request.user, "initiative.create"),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "initiatives/_results.html" if partial else "initiatives/list.html"
    return render(request, template, context)


# --- choosers ----------------------------------------------------------------------------------


@login_required
@require_GET
def area_options(request):
    """Return ``<option>``s of the units matching ``q`` that the person may use.

    ``purpose=create`` offers the units where they may register an initiative; anything else the
    units they may read.
    """
    action = "initiative.create" if request.GET.get("purpose") == "create" else "initiative.view"
    search = request.GET.get("q") or request.GET.get("area_q") or ""
    areas = area_choices(actor=request.user, action=action, search=search[:100])
    options = [(area.pk, area_option_label(area)) for area in areas]
    return render(
        request,
        "initiatives/_options.html",
        {"options": options, "blank": request.GET.get("purpose") != "create"},
    )


@login_required
@require_GET
def organisation_options(request):
    """Return ``<option>``s of the organisations matching ``q`` the person may register for."""
    search = (request.GET.get("q") or "")[:100]
    organisations = organisation_choices(actor=request.user, search=search)[:MAX_OPTIONS]
    options = [(organisation.pk, organisation.name) for organisation in organisations]
    return render(request, "initiatives/_options.html", {"options": options, "blank": False})
