"""Helpers the review pages share: finding an award in scope, paging."""

from django.core.paginator import Page, Paginator

from danvan.core.http import or_404
from danvan.review.models import Award
from danvan.review.selectors import award_list

PAGE_SIZE = 20


def award_in_scope(request, pk: int) -> Award:
    """Return the award if the user may read its initiative; 404 otherwise."""
    return or_404(award_list(actor=request.user).select_related("initiative__area").get, pk=pk)


def page_of(
    request, queryset, *, param: str = "page", size: int = PAGE_SIZE, count: int | None = None
) -> Page:
    """Return the requested page; a bad or too large page number gives the nearest page.

    ``count`` is the number of rows when the page already counted them (the queue's tabs show
    it): counting a province's submissions once per request instead of twice.
    """
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # the paginator would count the same rows again
    return paginator.get_page(request.GET.get(param))
