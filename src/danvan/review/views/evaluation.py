"""The evaluation form: one score per criterion of the round's criteria set, and a comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.accounts.scope import can
from danvan.core.formats import format_number
from danvan.core.forms import apply_errors
from danvan.core.http import or_404
from danvan.initiatives.lifecycle import initiative_can_review
from danvan.initiatives.selectors import initiative_visible
from danvan.review.forms import EvaluationForm
from danvan.review.selectors import criteria_sets_for, evaluations_of
from danvan.review.services import evaluation_create


def _chosen(sets, wanted):
    """The set asked for (by id) among the candidates, else the most specific one."""
    for criteria_set in sets:
        if str(criteria_set.pk) == str(wanted):
            return criteria_set
    return sets[0] if sets else None


@login_required
def evaluate(request, pk: int):
    """Score an initiative; the service computes the weighted total and the grade."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    if not can(
        request.user,
        "initiative.evaluate",
        area=initiative.area,
        organisation_id=initiative.organisation_id,
    ):
        raise PermissionDenied(_("Only a reviewer of this initiative's area can evaluate it."))
    sets = criteria_sets_for(initiative=initiative)
    criteria_set = _chosen(sets, request.POST.get("criteria_set") or request.GET.get("set"))
    reviewable = initiative_can_review(
        actor=request.user, initiative=initiative, action="initiative.evaluate"
    )
    form = None
    if criteria_set is not None and reviewable:
        data = request.POST if request.method == "POST" else None
        form = EvaluationForm(data, criteria_set=criteria_set)
        if request.method == "POST" and form.is_valid():
            try:
                evaluation = evaluation_create(
                    actor=request.user,
                    initiative=initiative,
                    criteria_set=criteria_set,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                apply_errors(form, error, form.aliases())
            else:
                messages.success(
                    request,
                    _("%(code)s evaluated: %(total)s points %(grade)s")
                    % {
                        "code": initiative.code,
                        "total": format_number(evaluation.total),
                        "grade": evaluation.grade,
                    },
                )
                return redirect(reverse("review:queue") + "?tab=evaluations")
    context = {
        "initiative": initiative,
        "sets": sets,
        "criteria_set": criteria_set,
        "form": form,
        "reviewable": reviewable,
        "evaluations": evaluations_of(initiative=initiative),
    }
    return render(request, "review/evaluate.html", context)
