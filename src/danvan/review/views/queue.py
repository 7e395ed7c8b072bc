"""The reviewer's queue: submissions to register or return, evaluations due, proposals to
decide; with the quick actions "register" and "return with a reason"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import holds
from danvan.core.forms import apply_errors
from danvan.core.http import or_404
from danvan.initiatives.lifecycle import initiative_register, initiative_return
from danvan.initiatives.selectors import initiative_visible
from danvan.review.forms import ReturnForm
from danvan.review.selectors import (
    current_round_year,
    queue_evaluations_due,
    queue_nominations,
    queue_submissions,
)
from danvan.review.views.common import page_of

TABS = ("submissions", "evaluations", "nominations")
REVIEW_ACTIONS = ("initiative.register", "initiative.evaluate", "initiative.award")


def require_reviewer(user) -> None:
    """Only people holding a reviewer's role (or a super administrator) open the queue."""
    if not any(holds(user, action) for action in REVIEW_ACTIONS):
        raise PermissionDenied(_("Only reviewers have a review queue."))


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return current_round_year()
    return year if 2000 <= year <= 2100 else current_round_year()


@login_required
def queue(request):
    """Show the three lists with their counts; the chosen one is paged."""
    require_reviewer(request.user)
    tab = request.GET.get("tab")
    tab = tab if tab in TABS else TABS[0]
    year = _year(request)
    lists = {
        "submissions": queue_submissions(actor=request.user),
        "evaluations": queue_evaluations_due(actor=request.user, year=year),
        "nominations": queue_nominations(actor=request.user),
    }
    counts = {name: queryset.count() for name, queryset in lists.items()}
    context = {
        "tab": tab,
        "tabs": [
            ("submissions", _("Submissions waiting"), counts["submissions"]),
            ("evaluations", _("Evaluations due"), counts["evaluations"]),
            ("nominations", _("Awards to decide"), counts["nominations"]),
        ],
        "counts": counts,
        "year": year,
        "page": page_of(request, lists[tab], count=counts[tab]),
        "query": urlencode({"tab": tab, "year": year}),
    }
    if tab == "submissions":
        context["rows"] = [
            {"initiative": initiative, "return_form": _return_form(initiative)}
            for initiative in context["page"]
        ]
    return render(request, "review/queue.html", context)


def _return_form(initiative, data=None) -> ReturnForm:
    """Each row has its own return form: the prefix keeps the inputs' ids unique."""
    return ReturnForm(data, prefix=f"return-{initiative.pk}")


def _row(request, initiative, *, done: str = "", form: ReturnForm | None = None, error=""):
    row = {"initiative": initiative, "return_form": form or _return_form(initiative)}
    return render(
        request, "review/_submission_row.html", {"row": row, "done": done, "error": error}
    )


@login_required
@require_POST
def register(request, pk: int):
    """Register a submission; htmx gets the updated row, a plain form goes back to the queue."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    try:
        initiative_register(actor=request.user, initiative=initiative)
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.htmx:
            return _row(request, initiative, error=message)
        messages.error(request, message)
        return redirect("review:queue")
    done = _("%(code)s registered.") % {"code": initiative.code}
    if request.htmx:
        return _row(request, initiative, done=done)
    messages.success(request, done)
    return redirect("review:queue")


@login_required
@require_POST
def return_(request, pk: int):
    """Return a submission to its officer with a reason (required)."""
    initiative = or_404(initiative_visible, actor=request.user, pk=pk)
    form = _return_form(initiative, request.POST)
    if form.is_valid():
        try:
            initiative_return(
                actor=request.user, initiative=initiative, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            done = _("%(code)s returned to its officer.") % {"code": initiative.code}
            if request.htmx:
                return _row(request, initiative, done=done)
            messages.success(request, done)
            return redirect("review:queue")
    if request.htmx:
        return _row(request, initiative, form=form)
    return render(request, "review/return.html", {"initiative": initiative, "form": form})
