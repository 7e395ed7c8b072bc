"""Organisation pages: the list in scope, one organisation, and create / edit for admins."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can, holds
from danvan.areas.models import Area
from danvan.core.forms import apply_errors
from danvan.core.ids import parse_id
from danvan.orgs.forms import OrganisationFilter, OrganisationForm
from danvan.orgs.models import Organisation
from danvan.orgs.selectors import (
    organisation_list,
    organisation_seat_ended,
    organisation_successor_chain,
)
from danvan.orgs.services import (
    organisation_create,
    organisation_move_to_successor,
    organisation_update,
)

PAGE_SIZE = 25


def _in_scope(request, pk: int) -> Organisation:
    try:
        return organisation_list(actor=request.user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


@login_required
def organisation_index(request):
    filters = OrganisationFilter(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    queryset = organisation_list(
        actor=request.user, search=values.get("q") or None, kind=values.get("kind") or None
    ).order_by("name_folded", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in values.items() if v})
    context = {
        "filters": filters,
        "page": page,
        "query": query,
        "may_create": holds(request.user, "organisation.manage"),
    }
    return render(request, "orgs/index.html", context)


@login_required
def organisation_detail(request, pk: int):
    organisation = _in_scope(request, pk)
    context = {
        "organisation": organisation,
        "successors": organisation_successor_chain(organisation=organisation),
        "may_edit": can(request.user, "organisation.manage", area=organisation.seat_area),
        "seat_ended": organisation_seat_ended(organisation=organisation),
    }
    return render(request, "orgs/detail.html", context)


@login_required
@require_POST
def organisation_move(request, pk: int):
    """Move an organisation whose seat has ended to the successor chosen on its page."""
    organisation = _in_scope(request, pk)
    if not can(request.user, "organisation.manage", area=organisation.seat_area):
        raise PermissionDenied(_("Only an administrator of its area edits this organisation."))
    successor = None
    raw = request.POST.get("successor") or ""
    if raw:
        pk_of = parse_id(raw)
        successor = Area.objects.filter(pk=pk_of).first() if pk_of is not None else None
        if successor is None:
            messages.error(request, _("Choose one of the units offered."))
            return redirect("orgs:detail", pk=organisation.pk)
    try:
        organisation = organisation_move_to_successor(
            actor=request.user, organisation=organisation, successor=successor
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The organisation now sits on %(area)s.") % {"area": organisation.seat_area.name},
        )
    return redirect("orgs:detail", pk=organisation.pk)


@login_required
def organisation_new(request):
    if not holds(request.user, "organisation.manage"):
        raise PermissionDenied(_("Only administrators manage organisations."))
    form = OrganisationForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("orgs:detail", pk=organisation.pk)
    return render(request, "orgs/form.html", {"form": form, "organisation": None})


@login_required
def organisation_edit(request, pk: int):
    organisation = _in_scope(request, pk)
    if not can(request.user, "organisation.manage", area=organisation.seat_area):
        raise PermissionDenied(_("Only an administrator of its area edits this organisation."))
    form = OrganisationForm(request.POST or None, actor=request.user, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("orgs:detail", pk=organisation.pk)
    return render(request, "orgs/form.html", {"form": form, "organisation": organisation})
