"""The commission's actions on one initiative, from its page: mark it exemplary (or not),
record the model it replicates, carry it into a later year. Each calls the lifecycle, which
checks and records it; a refusal comes back as a message on the initiative's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.http import or_404
from danvan.core.ids import parse_id
from danvan.initiatives.lifecycle import (
    initiative_continue,
    initiative_mark_exemplary,
    initiative_set_replication,
)
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_visible
from danvan.review.models import RegistrationRound


def _refused(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def exemplary(request, pk: int):
    """Mark the initiative exemplary (``exemplary=1``) or remove the mark (``exemplary=0``)."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    mark = request.POST.get("exemplary") == "1"
    try:
        initiative_mark_exemplary(actor=request.user, initiative=initiative, exemplary=mark)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("%(code)s is marked exemplary: it is shown in the public showcase.")
            % {"code": initiative.code}
            if mark
            else _("%(code)s is no longer marked exemplary.") % {"code": initiative.code},
        )
    return redirect("initiatives:detail", pk=initiative.pk)


@login_required
@require_POST
def replication(request, pk: int):
    """Record the model this initiative replicates, given by its code; an empty code clears it."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    code = (request.POST.get("source") or "").strip()
    source = None
    if code:
        source = Initiative.objects.filter(code__iexact=code).first()
        if source is None:
            messages.error(request, _("There is no initiative with this code."))
            return redirect("initiatives:detail", pk=initiative.pk)
    try:
        initiative_set_replication(actor=request.user, initiative=initiative, source=source)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Recorded: %(code)s replicates %(source)s.")
            % {"code": initiative.code, "source": source.code}
            if source
            else _("%(code)s no longer records a model it replicates.") % {"code": initiative.code},
        )
    return redirect("initiatives:detail", pk=initiative.pk)


@login_required
@require_POST
def continue_(request, pk: int):
    """Carry the initiative into a later round (or the next year) as a linked draft."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    round_id = request.POST.get("round") or ""
    registration_round = None
    if round_id:
        registration_round = RegistrationRound.objects.filter(pk=parse_id(round_id) or 0).first()
        if registration_round is None:
            messages.error(request, _("Choose a round of a later year."))
            return redirect("initiatives:detail", pk=initiative.pk)
    try:
        successor = initiative_continue(
            actor=request.user, initiative=initiative, round=registration_round
        )
    except ValidationError as error:
        _refused(request, error)
        return redirect("initiatives:detail", pk=initiative.pk)
    messages.success(
        request,
        _("%(code)s continues %(source)s in %(year)s, as a draft for its unit to complete.")
        % {"code": successor.code, "source": initiative.code, "year": successor.year},
    )
    return redirect("initiatives:detail", pk=successor.pk)
