"""The evaluation form: one score per criterion of the round's criteria set, and a comment; and
the same scores given to several initiatives at once."""

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
from danvan.review.bulk import MAX_BATCH, initiatives_evaluate
from danvan.review.forms import EvaluationForm
from danvan.review.selectors import criteria_sets_for, evaluations_of, queue_evaluations_due
from danvan.review.services import evaluation_create
from danvan.review.views.queue import back_to, chosen_ids, require_reviewer


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
                # Back to the list of its year: the default year moves on once a year's
                # list is empty, and the reviewer should see this one shorter.
                return redirect(
                    reverse("review:queue") + f"?tab=evaluations&year={initiative.year}"
                )
    context = {
        "initiative": initiative,
        "sets": sets,
        "criteria_set": criteria_set,
        "form": form,
        "reviewable": reviewable,
        "evaluations": evaluations_of(initiative=initiative),
    }
    return render(request, "review/evaluate.html", context)


def _common_sets(initiatives) -> list:
    """The criteria sets every chosen initiative may be scored by, in the first one's order."""
    common = None
    for initiative in initiatives:
        sets = criteria_sets_for(initiative=initiative)
        common = sets if common is None else [s for s in common if s in sets]
    return common or []


@login_required
def evaluate_many(request):
    """Score several initiatives with the same scores of one criteria set.

    Each is then evaluated by the single evaluation's service (its scope, its state, its set);
    the result page lists which were evaluated and which refused, and why.
    """
    require_reviewer(request.user)
    source = request.POST if request.method == "POST" else request.GET
    ids = chosen_ids(source.getlist("ids"))[:MAX_BATCH]
    back = back_to(request)
    initiatives = list(
        queue_evaluations_due(actor=request.user, year=None).filter(pk__in=ids).order_by("code")
    )
    if not initiatives:
        messages.error(request, _("Choose at least one initiative that is due for evaluation."))
        return redirect(back)
    sets = _common_sets(initiatives)
    criteria_set = _chosen(sets, source.get("criteria_set") or source.get("set"))
    form = None
    if criteria_set is not None:
        form = EvaluationForm(
            request.POST if request.method == "POST" else None, criteria_set=criteria_set
        )
        if request.method == "POST" and form.is_valid():
            result = initiatives_evaluate(
                actor=request.user,
                ids=[initiative.pk for initiative in initiatives],
                criteria_set=criteria_set,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            return render(
                request,
                "review/bulk_result.html",
                {"result": result, "action": _("Evaluate"), "back": back},
            )
    context = {
        "initiatives": initiatives,
        "sets": sets,
        "criteria_set": criteria_set,
        "form": form,
        "back": back,
    }
    return render(request, "review/evaluate_many.html", context)
