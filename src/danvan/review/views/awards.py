"""Awards: the list in scope, one award with its path, and each step of the path —
propose, recognise (with the decision's scan), nominate to the next level, commend."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can
from danvan.core.downloads import file_download
from danvan.core.forms import apply_errors
from danvan.core.http import or_404
from danvan.core.text import fold
from danvan.initiatives.selectors import initiative_visible
from danvan.review.forms import (
    AwardListFilter,
    AwardProposeForm,
    DecisionForm,
    RecogniseForm,
)
from danvan.review.models import AwardStage
from danvan.review.selectors import award_list
from danvan.review.services import award_commend, award_nominate, award_propose, award_recognise
from danvan.review.views.common import award_in_scope, page_of


def _may_award(user, initiative) -> bool:
    return can(
        user, "initiative.award", area=initiative.area, organisation_id=initiative.organisation_id
    )


def _require_award(user, initiative) -> None:
    if not _may_award(user, initiative):
        raise PermissionDenied(_("Only a reviewer of this initiative's area can decide awards."))


@login_required
def award_index(request):
    """The awards of the initiatives the user may read, filtered and paged."""
    filters = AwardListFilter(request.GET or None)
    queryset = award_list(actor=request.user)
    if filters.is_valid():
        values = filters.cleaned_data
        if values["q"]:
            queryset = queryset.filter(initiative__title_folded__contains=fold(values["q"]))
        if values["stage"]:
            queryset = queryset.filter(stage=values["stage"])
        if values["level"]:
            queryset = queryset.filter(level=values["level"])
        if values["recipient_kind"]:
            queryset = queryset.filter(recipient_kind=values["recipient_kind"])
    page = page_of(request, queryset)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "review/awards.html", context)


@login_required
def award_detail(request, pk: int):
    award = award_in_scope(request, pk)
    may_award = _may_award(request.user, award.initiative)
    context = {
        "award": award,
        "may_award": may_award,
        "can_recognise": may_award and award.stage == AwardStage.PROPOSED,
        "can_nominate": may_award and award.stage == AwardStage.RECOGNISED,
        "can_commend": may_award and award.stage in {AwardStage.PROPOSED, AwardStage.RECOGNISED},
        "history": award.nominated_from.all(),
    }
    return render(request, "review/award_detail.html", context)


@login_required
def award_new(request, pk: int):
    """Propose an initiative for recognition at a level."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    _require_award(request.user, initiative)
    form = AwardProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award = award_propose(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Award proposed."))
            return redirect("review:award", pk=award.pk)
    return render(request, "review/award_propose.html", {"initiative": initiative, "form": form})


def _decision_step(request, pk: int, *, form_class, template: str, step):
    award = award_in_scope(request, pk)
    _require_award(request.user, award.initiative)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            step(award, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, {"file": "decision_file"})
        else:
            return redirect("review:award", pk=award.pk)
    return render(request, template, {"award": award, "form": form})


@login_required
def award_recognise_view(request, pk: int):
    """Record the decision recognising a proposed award, with its scan."""

    def step(award, values):
        award_recognise(
            actor=request.user,
            award=award,
            decision_number=values["decision_number"],
            decision_date=values["decision_date"],
            issuing_body=values["issuing_body"],
            form=values["form"],
            decision_file=values["decision_file"],
        )
        messages.success(request, _("Recognition recorded."))

    return _decision_step(
        request, pk, form_class=RecogniseForm, template="review/award_recognise.html", step=step
    )


@login_required
def award_commend_view(request, pk: int):
    """Record the commendation decision that closes an award's path."""

    def step(award, values):
        award_commend(actor=request.user, award=award, **values)
        messages.success(request, _("Commendation recorded."))

    return _decision_step(
        request, pk, form_class=DecisionForm, template="review/award_commend.html", step=step
    )


@login_required
@require_POST
def award_nominate_view(request, pk: int):
    """Nominate a recognised award to the next level; the new proposal's page follows."""
    award = award_in_scope(request, pk)
    try:
        nomination = award_nominate(actor=request.user, award=award)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("review:award", pk=award.pk)
    messages.success(
        request,
        _("Nominated to the next level: %(level)s.") % {"level": nomination.get_level_display()},
    )
    return redirect("review:award", pk=nomination.pk)


@login_required
def award_decision(request, pk: int):
    """Download the decision's scan, for whoever may read the award (as the API does)."""
    return file_download(award_in_scope(request, pk).decision_file)
