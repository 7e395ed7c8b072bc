"""The areas browser: the tree loaded level by level, search ignoring diacritics, and a unit's
page with its place in the tree, validity, coordinates and history of merges and splits.

Administrative units are public reference data, so every signed-in person may browse them; the
tree never renders whole (about 14,000 units): each level is fetched when it is opened.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, render

from danvan.areas.models import Area, AreaSuccession, CodeScheme
from danvan.areas.selectors import (
    area_current_successors,
    area_historical_predecessors,
    area_search,
)

SEARCH_PAGE_SIZE = 50
TREE_SCHEMES = (CodeScheme.CURRENT, CodeScheme.LEGACY)


def _with_children_flag(queryset):
    """Mark each unit that has units under it, so only those offer to expand."""
    return queryset.annotate(has_children=Exists(Area.objects.filter(parent=OuterRef("pk"))))


@login_required
def area_index(request):
    """The provinces of one code list (today's by default), or the units a search finds."""
    scheme = request.GET.get("scheme")
    scheme = scheme if scheme in TREE_SCHEMES else CodeScheme.CURRENT
    text = request.GET.get("q", "").strip()[:100]
    context = {"scheme": scheme, "q": text, "schemes": [(s, s.label) for s in TREE_SCHEMES]}
    if text:
        # Search runs across both lists (and the local units), so a former name is found too.
        found = area_search(text=text).order_by("level", "name", "scheme")
        context["page"] = Paginator(found, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        context["query"] = urlencode({"q": text})
    else:
        roots = Area.objects.filter(scheme=scheme, parent__isnull=True).order_by("name_folded")
        context["roots"] = _with_children_flag(roots)
    return render(request, "areas/index.html", context)


@login_required
def area_children(request, pk: int):
    """The units directly under one unit: the fragment htmx puts under an opened node."""
    area = get_object_or_404(Area, pk=pk)
    children = _with_children_flag(area.children.order_by("name_folded", "name"))
    return render(request, "areas/_children.html", {"area": area, "children": children})


@login_required
def area_detail(request, pk: int):
    """One unit: its path, validity, coordinates, and what it came from and became."""
    area = get_object_or_404(Area.objects.select_related("parent"), pk=pk)
    ancestor_ids = [int(part) for part in area.path.split(".") if part.isdigit()]
    ancestors = sorted(
        Area.objects.filter(pk__in=ancestor_ids).exclude(pk=area.pk), key=lambda a: a.depth
    )
    links = AreaSuccession.objects.select_related("predecessor", "successor")
    context = {
        "area": area,
        "ancestors": ancestors,
        "became": links.filter(predecessor=area).order_by("date", "successor__name"),
        "came_from": links.filter(successor=area).order_by("date", "predecessor__name"),
        "current_successors": area_current_successors(area=area) if area.valid_to else [],
        "historical_predecessors": area_historical_predecessors(area=area)
        .exclude(pk__in=links.filter(successor=area).values("predecessor_id"))
        .order_by("path")[:200],
        "children_count": area.children.count(),
    }
    return render(request, "areas/detail.html", context)
