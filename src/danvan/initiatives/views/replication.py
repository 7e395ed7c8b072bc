"""``/initiatives/<id>/replication/``: record which model an initiative replicates, found by
words among the showcased and public models of any unit and those the person may read.

The lifecycle's ``initiative_set_replication`` decides; a model the person may not see and the
public may not either answers as a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from danvan.core.http import or_404
from danvan.core.ids import parse_id
from danvan.initiatives.lifecycle import initiative_can_replicate, initiative_set_replication
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_visible, replication_sources

MAX_QUERY = 100


def _source(value) -> Initiative | None:
    """The initiative an id names, whoever may see it: the service judges, and answers an
    unseen one as a missing one. An id that names nothing is a missing one too."""
    number = parse_id(value)
    found = Initiative.objects.filter(pk=number).first() if number is not None else None
    return found


@login_required
@require_http_methods(["GET", "POST"])
def replication_page(request, pk):
    """Search models by words and record the one this initiative replicates, or clear it."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    if not initiative_can_replicate(actor=request.user, initiative=initiative):
        raise PermissionDenied(_("You do not have permission to do this here."))
    error = ""
    if request.method == "POST":
        clearing = request.POST.get("clear") == "1"
        source = None if clearing else _source(request.POST.get("source"))
        try:
            if source is None and not clearing:
                raise ValidationError(
                    {"replicated_from": _("There is no initiative with this code.")}
                )
            initiative_set_replication(actor=request.user, initiative=initiative, source=source)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            if source is None:
                messages.success(request, _("The replication link is removed."))
            else:
                messages.success(
                    request,
                    _("%(code)s now replicates %(source)s.")
                    % {"code": initiative.code, "source": source.code},
                )
            return redirect("initiatives:detail", pk=initiative.pk)
    query = (request.GET.get("q") or request.POST.get("q") or "")[:MAX_QUERY]
    context = {
        "initiative": initiative,
        "query": query,
        "results": replication_sources(actor=request.user, text=query, initiative=initiative),
        "error": error,
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "initiatives/_replication_results.html", context)
    return render(request, "initiatives/replication.html", context)
