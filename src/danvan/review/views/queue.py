"""The reviewer's queue: submissions to register or return, evaluations due, proposals to
decide; with the quick actions "register" and "return with a reason"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.accounts.scope import holds
from danvan.core.forms import apply_errors
from danvan.core.http import or_404
from danvan.core.ids import parse_id
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import (
    REVIEWABLE,
    TRANSITIONS,
    initiative_register,
    initiative_return,
)
from danvan.initiatives.selectors import initiative_visible
from danvan.review.bulk import initiatives_transition
from danvan.review.forms import QUEUE_PAGE_SIZES, BulkReturnForm, QueueFilterForm, ReturnForm
from danvan.review.queue import (
    QueueFilters,
    queue_choices,
    queue_default_year,
    queue_filter,
    queue_sorted,
    queue_status_counts,
    queue_years,
)
from danvan.review.selectors import (
    queue_evaluations_due,
    queue_nominations,
    queue_submissions,
)
from danvan.review.views.common import page_of

TABS = ("submissions", "evaluations", "nominations")
# The workflow steps the queue offers on many rows at once.
BULK_ACTIONS = ("register", "return")
REVIEW_ACTIONS = ("initiative.register", "initiative.evaluate", "initiative.award")


def require_reviewer(user) -> None:
    """Only people holding a reviewer's role (or a super administrator) open the queue."""
    if not any(holds(user, action) for action in REVIEW_ACTIONS):
        raise PermissionDenied(_("Only reviewers have a review queue."))


def _year(request, years: list[int]) -> int:
    """The round year the evaluation list shows: the one asked for, else the newest year
    that still has work (see ``queue_default_year``)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return queue_default_year(years)
    return year if 2000 <= year <= 2100 else queue_default_year(years)


SORT_LABELS = {
    "code": gettext_lazy("Code"),
    "title": gettext_lazy("Initiative"),
    "organisation": gettext_lazy("Registering organisation"),
    "area": gettext_lazy("Unit"),
    "status": gettext_lazy("Status"),
    "changed": gettext_lazy("Last changed"),
}
# The form's fields that narrow the list (sorting and page size only reorder or cut it).
FILTERS = ("q", "unit", "organisation", "field", "status", "round", "changed_from", "changed_to")
DEFAULT_SORT = {"submissions": "changed", "evaluations": "code"}
TAB_STATUSES = {
    "submissions": [Status.SUBMITTED],
    "evaluations": [status for status in Status.values if status in REVIEWABLE],
}


def _sort_choices():
    choices = []
    for key, label in SORT_LABELS.items():
        choices.append((key, _("%(column)s, ascending") % {"column": label}))
        choices.append((f"-{key}", _("%(column)s, descending") % {"column": label}))
    return choices


def _filtered(request, tab: str, base):
    """The tab's list narrowed by the address's filters, with the form that shows them."""
    data = request.GET.copy()
    if not data.get("sort"):  # the select shows the order the list is in
        data["sort"] = DEFAULT_SORT[tab]
    form = QueueFilterForm(
        data,
        choices=queue_choices(base),
        statuses=[(s, Status(s).label) for s in TAB_STATUSES[tab]],
        sorts=_sort_choices(),
    )
    values = form.cleaned_data if form.is_valid() else {}
    filters = QueueFilters(
        text=values.get("q") or "",
        area=values.get("unit"),
        organisation=values.get("organisation"),
        field=values.get("field") or "",
        round=values.get("round"),
        changed_from=values.get("changed_from"),
        changed_to=values.get("changed_to"),
    )
    without_status = queue_filter(base, filters)
    status = values.get("status") or ""
    rows = without_status.filter(status=status) if status else without_status
    sort = values.get("sort") or DEFAULT_SORT[tab]
    size = values.get("size") or QUEUE_PAGE_SIZES[0]
    return form, queue_sorted(rows, sort, DEFAULT_SORT[tab]), without_status, sort, size


@login_required
def queue(request):
    """Show the three lists with their counts; the chosen one is searched, filtered, sorted
    and paged by the address's parameters, with bulk actions on the rows chosen."""
    require_reviewer(request.user)
    tab = request.GET.get("tab")
    tab = tab if tab in TABS else TABS[0]
    due_any_year = queue_evaluations_due(actor=request.user, year=None)
    years = queue_years(due_any_year)
    year = _year(request, years)
    lists = {
        "submissions": queue_submissions(actor=request.user),
        "evaluations": due_any_year.filter(year=year),
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
        "years": sorted({*years, year}, reverse=True),
    }
    if tab == "nominations":
        context["page"] = page_of(request, lists[tab], count=counts[tab])
        context["query"] = urlencode({"tab": tab})
        return render(request, "review/queue.html", context)
    form, rows, without_status, sort, size = _filtered(request, tab, lists[tab])
    narrowed = bool(form.is_bound and any(form.cleaned_data.get(name) for name in FILTERS))
    # Unfiltered, the list is the tab's own: its badge's count serves the pager too.
    page = page_of(request, rows, size=size, count=None if narrowed else counts[tab])
    if len(TAB_STATUSES[tab]) > 1:
        by_status = queue_status_counts(without_status)
    else:  # a single status: its count is the list's
        by_status = {TAB_STATUSES[tab][0]: page.paginator.count}
    query = request.GET.copy()
    query.pop("page", None)
    query["tab"] = tab
    if tab == "evaluations":
        query["year"] = str(year)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    context.update(
        {
            "filters": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "query": query.urlencode(),
            "unsorted": unsorted.urlencode(),
            "sort": sort,
            "columns": _columns(tab, sort),
            "status_counts": [
                (status, Status(status).label, by_status.get(status, 0))
                for status in TAB_STATUSES[tab]
            ],
            "bulk_return": BulkReturnForm(prefix="bulk"),
            "here": request.get_full_path(),
        }
    )
    if tab == "submissions":
        context["rows"] = [
            {"initiative": initiative, "return_form": _return_form(initiative)}
            for initiative in page
        ]
    return render(request, "review/queue.html", context)


def _columns(tab: str, sort: str) -> list[dict]:
    """The sortable headers: each links to its own order, the other way round when active."""
    keys = ["code", "title", "organisation", "status" if tab == "evaluations" else "changed"]
    columns = []
    for key in keys:
        active = sort.lstrip("-") == key
        descending = sort.startswith("-")
        columns.append(
            {
                "label": SORT_LABELS[key],
                "sort": f"-{key}" if active and not descending else key,
                "active": active,
                "descending": active and descending,
            }
        )
    return columns


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


def chosen_ids(values) -> list[int]:
    """The ids of the rows chosen, in order; anything that is not an id is left out."""
    return [pk for pk in (parse_id(value) for value in values) if pk is not None]


def back_to(request) -> str:
    """Where to go back to: the queue as it was filtered (only an address on this site)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/review/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("review:queue")


@login_required
@require_POST
def bulk(request):
    """Register or return the chosen submissions (one reason for all), or open the evaluation
    of the chosen initiatives. Each initiative is checked and recorded on its own; the result
    page lists which succeeded and which were refused, and why."""
    require_reviewer(request.user)
    action = request.POST.get("action", "")
    ids = chosen_ids(request.POST.getlist("ids"))
    back = back_to(request)
    if not ids:
        messages.error(request, _("Choose at least one initiative."))
        return redirect(back)
    if action == "evaluate":
        return redirect(
            reverse("review:evaluate_many") + "?" + urlencode({"ids": ids, "next": back}, True)
        )
    if action not in BULK_ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    form = BulkReturnForm(request.POST, prefix="bulk")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        result = initiatives_transition(actor=request.user, ids=ids, name=action, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    return render(
        request,
        "review/bulk_result.html",
        {"result": result, "action": TRANSITIONS[action].label, "back": back},
    )
