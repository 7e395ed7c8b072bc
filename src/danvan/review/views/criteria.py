"""The commission's criteria sets: the list, a new set, a copy of last year's, and editing a set
until an evaluation uses it (``danvan.review.criteria`` holds the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, holds, is_superadmin, scope_roots
from danvan.areas.models import Area, CodeScheme
from danvan.areas.selectors import area_coverage_q
from danvan.core.forms import apply_errors
from danvan.core.http import or_404
from danvan.review.criteria import (
    CriterionSpec,
    ThresholdSpec,
    criteria_set_copy,
    criteria_set_create,
    criteria_set_in_use,
    criteria_set_update,
    specs_of,
    thresholds_of,
)
from danvan.review.forms import (
    CriteriaCopyForm,
    CriteriaSetForm,
    CriterionFormSet,
    ThresholdFormSet,
)
from danvan.review.models import CriteriaSet, RegistrationRound

ACTION = "round.manage"


def _not_manager() -> str:
    """The refusal, in the request's language."""
    return _("Only a commission's reviewers and administrators manage criteria.")


def _require_manager(user) -> None:
    if not holds(user, ACTION):
        raise PermissionDenied(
            _("Only a commission's reviewers and administrators manage criteria.")
        )


def _roots(user) -> list[Area] | None:
    return scope_roots(user, ACTION)


def _areas(user):
    """The units a person may write sets for: their scope's roots (every current province for
    a nationwide manager)."""
    roots = _roots(user)
    if roots is None:
        return Area.objects.filter(parent__isnull=True, scheme=CodeScheme.CURRENT).order_by("name")
    return Area.objects.filter(pk__in=[root.pk for root in roots]).order_by("name")


def _rounds(user, area: Area | None = None):
    """The rounds a set may be written for: national ones and those of the person's units."""
    roots = _roots(user)
    condition = Q(area__isnull=True)
    if roots is None:
        condition = Q()
    else:
        for root in roots:
            condition |= area_coverage_q(area=root)
    rounds = RegistrationRound.objects.filter(condition).select_related("area")
    if area is not None:
        rounds = rounds.filter(Q(area__isnull=True) | area_coverage_q(area=area))
    return rounds.order_by("-year", "area__name")


def _visible(user):
    """The sets a person may read here: national sets and those of their units."""
    roots = _roots(user)
    queryset = CriteriaSet.objects.select_related("area", "round").annotate(
        used=Count("evaluation", distinct=True), size=Count("criteria", distinct=True)
    )
    if roots is None:
        return queryset
    condition = Q(area__isnull=True)
    for root in roots:
        condition |= area_coverage_q(area=root)
    return queryset.filter(condition)


def _may_manage(user, criteria_set: CriteriaSet) -> bool:
    return can(user, ACTION, area=criteria_set.area)


@login_required
def criteria_index(request):
    _require_manager(request.user)
    sets = list(_visible(request.user).order_by("-round__year", "name", "id"))
    for criteria_set in sets:
        criteria_set.may_manage = _may_manage(request.user, criteria_set)
    return render(request, "review/criteria_list.html", {"sets": sets})


def _specs(criteria, thresholds):
    rows = [
        CriterionSpec(f["name"], f["weight"], f["max_score"])
        for f in criteria.cleaned_data
        if f and not f.get("DELETE")
    ]
    grades = [
        ThresholdSpec(f["min_total"], f["grade"])
        for f in thresholds.cleaned_data
        if f and not f.get("DELETE")
    ]
    return rows, grades


def _put_errors(error: ValidationError, form, criteria, thresholds) -> None:
    """A service's refusal next to its field: ``criteria.1.weight`` on the second row."""
    if not hasattr(error, "error_dict"):
        apply_errors(form, error)
        return
    for name, messages_ in error.message_dict.items():
        parts = name.split(".")
        formset = {"criteria": criteria, "thresholds": thresholds}.get(parts[0])
        if formset is not None and len(parts) == 3 and parts[1].isdigit():
            rows = [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            index = int(parts[1])
            if index < len(rows) and parts[2] in rows[index].fields:
                for message in messages_:
                    rows[index].add_error(parts[2], message)
                continue
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def _edit(request, criteria_set: CriteriaSet | None):
    user = request.user
    data = request.POST if request.method == "POST" else None
    national = is_superadmin(user) or _roots(user) is None
    area = criteria_set.area if criteria_set else None
    initial = {}
    if criteria_set is not None:
        initial = {"name": criteria_set.name, "area": area, "round": criteria_set.round}
    form = CriteriaSetForm(
        data,
        initial=initial,
        areas=_areas(user)
        if criteria_set is None
        else Area.objects.filter(pk=getattr(area, "pk", 0)),
        rounds=_rounds(user, area),
        national=national or (criteria_set is not None and area is None),
        fixed_area=criteria_set is not None,
    )
    criteria = CriterionFormSet(
        data,
        prefix="criteria",
        initial=[
            {"name": s.name, "weight": s.weight, "max_score": s.max_score}
            for s in (specs_of(criteria_set) if criteria_set else [])
        ],
    )
    thresholds = ThresholdFormSet(
        data,
        prefix="grades",
        initial=[
            {"min_total": t.min_total, "grade": t.grade}
            for t in (thresholds_of(criteria_set) if criteria_set else [])
        ],
    )
    if data is not None and form.is_valid() and criteria.is_valid() and thresholds.is_valid():
        rows, grades = _specs(criteria, thresholds)
        values = form.cleaned_data
        try:
            if criteria_set is None:
                saved = criteria_set_create(
                    actor=user,
                    name=values["name"],
                    area=values["area"],
                    round=values["round"],
                    criteria=rows,
                    thresholds=grades,
                )
            else:
                saved = criteria_set_update(
                    actor=user,
                    criteria_set=criteria_set,
                    name=values["name"],
                    round=values["round"],
                    criteria=rows,
                    thresholds=grades,
                )
        except ValidationError as error:
            _put_errors(error, form, criteria, thresholds)
        else:
            messages.success(request, _("Criteria set “%(name)s” saved.") % {"name": saved.name})
            return redirect("review:criteria")
    context = {
        "form": form,
        "criteria": criteria,
        "thresholds": thresholds,
        "criteria_set": criteria_set,
    }
    return render(request, "review/criteria_form.html", context)


@login_required
def criteria_new(request):
    _require_manager(request.user)
    return _edit(request, None)


def _set_in_scope(request, pk: int) -> CriteriaSet:
    return or_404(_visible(request.user).get, pk=pk)


@login_required
def criteria_edit(request, pk: int):
    criteria_set = _set_in_scope(request, pk)
    if not _may_manage(request.user, criteria_set):
        raise PermissionDenied(
            _("Only a commission's reviewers and administrators manage criteria.")
        )
    if criteria_set_in_use(criteria_set):
        messages.error(
            request,
            _(
                "This criteria set has already been used to evaluate initiatives and can no "
                "longer change. Copy it and edit the copy."
            ),
        )
        return redirect("review:criteria")
    return _edit(request, criteria_set)


@login_required
def criteria_copy(request, pk: int):
    """Copy a set (commonly last year's) into a round, then edit the copy."""
    source = _set_in_scope(request, pk)
    _require_manager(request.user)
    form = CriteriaCopyForm(request.POST or None, rounds=_rounds(request.user, source.area))
    if request.method == "POST" and form.is_valid():
        try:
            copy = criteria_set_copy(
                actor=request.user,
                source=source,
                round=form.cleaned_data["round"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Copied as “%(name)s”: check it and save.") % {"name": copy.name}
            )
            return redirect("review:criteria_edit", pk=copy.pk)
    return render(request, "review/criteria_copy.html", {"source": source, "form": form})
