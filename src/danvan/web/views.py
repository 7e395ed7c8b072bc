"""The dashboard and the public showcase: thin views over ``danvan.web.dashboard`` (figures
from ``danvan.stats``) and ``danvan.web.selectors``."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from PIL import UnidentifiedImageError

from danvan.accounts.scope import can_see_unit
from danvan.areas.models import Area
from danvan.core.ids import parse_id
from danvan.core.images import strip_metadata
from danvan.initiatives.catalogues import ContributionKind
from danvan.initiatives.models import Initiative
from danvan.review.selectors import current_round_year
from danvan.stats.selectors import initiative_contribution_totals
from danvan.stats.units import MODES, unit_choices
from danvan.web import dashboard, maps, selectors

SHOWCASE_PAGE_SIZE = 12


@require_GET
@login_required
def home(request):
    """The dashboard of the person's scope; htmx asks for the figures part alone."""
    default_year = current_round_year()
    choices = unit_choices(request.user)
    query = dashboard.parse_query(
        request.user, request.GET, default_year=default_year, choices=choices
    )
    if query is None:
        return render(request, "web/no_role.html", status=403)
    context = {
        "query": query,
        "choices": choices,
        "years": dashboard.year_choices(default_year),
        "modes": MODES,
        "figures": dashboard.figures(query, request.GET, user=request.user, choices=choices),
        "changes": selectors.recent_status_changes(actor=request.user, area=query.unit.area),
        "filter_choices": dashboard.filter_choices(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "web/dashboard/figures.html", context)
    return render(request, "web/dashboard/page.html", context)


@require_GET
@login_required
def dashboard_map(request):
    """The outlines of the units below the asked unit, as GeoJSON for the dashboard's map;
    or of the units ``units`` names (ids, comma-separated), when the dashboard's figures are
    by units other than its children (``maps.drawn_units``).

    The same unit rule as the dashboard: a unit outside the person's scope is refused.
    Outlines are approximate (see ``danvan.web.maps``); the figures that colour them are in
    the dashboard page itself.
    """
    raw = request.GET.get("unit") or ""
    area = None
    if raw:
        pk = parse_id(raw)
        area = Area.objects.filter(pk=pk).first() if pk is not None else None
        if area is None:
            return JsonResponse({"detail": _("There is no unit with that number.")}, status=404)
    if not can_see_unit(request.user, area):
        return JsonResponse(
            {"detail": _("You do not have permission to see the figures of this unit.")},
            status=403,
        )
    units = None
    if "units" in request.GET:
        ids = [parse_id(raw) for raw in request.GET["units"].split(",")]
        if None in ids or len(ids) > maps.MAX_DRAWN:
            return JsonResponse({"detail": _("There is no unit with that number.")}, status=404)
        units = list(Area.objects.filter(pk__in=ids).order_by("path"))
        if len(units) != len(set(ids)):
            return JsonResponse({"detail": _("There is no unit with that number.")}, status=404)
    response = JsonResponse(maps.outlines(area, units))
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _province_filter(request) -> tuple[Area | None, str | None]:
    raw = request.GET.get("province") or ""
    if not raw:
        return None, None
    pk = parse_id(raw)
    province = selectors.showcase_provinces().filter(pk=pk).first() if pk is not None else None
    if province is None:
        return None, _("There is no province with that number; showing every province.")
    return province, None


def _locality_filter(request, communes) -> tuple[Area | None, str | None]:
    raw = request.GET.get("commune") or ""
    if not raw:
        return None, None
    pk = parse_id(raw)
    locality = communes.filter(pk=pk).first() if pk is not None else None
    if locality is None:
        return None, _("That commune is not in the province chosen; showing the whole province.")
    return locality, None


@require_GET
def showcase(request):
    """Exemplary initiatives by province, for everyone: the web version of the press articles."""
    province, problem = _province_filter(request)
    communes = selectors.showcase_communes(province=province)
    locality, locality_problem = _locality_filter(request, communes)
    words = (request.GET.get("q") or "").strip()[:200]
    listed = selectors.showcase_list(province=province, locality=locality, words=words)
    paginator = Paginator(listed, SHOWCASE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    provinces = selectors.provinces_of(initiative.area for initiative in page.object_list)
    cards = [
        {
            "initiative": initiative,
            "photo": initiative.public_photos[0] if initiative.public_photos else None,
            "province": provinces.get(initiative.area_id),
            "totals": initiative_contribution_totals(initiative=initiative),
        }
        for initiative in page.object_list
    ]
    query = {
        "q": words,
        "province": province.pk if province else "",
        "commune": locality.pk if locality else "",
    }
    context = {
        "page": page,
        "cards": cards,
        "province": province,
        "provinces": selectors.showcase_provinces(),
        "communes": communes,
        "locality": locality,
        "words": words,
        "query": urlencode({key: value for key, value in query.items() if value}),
        "problem": problem or locality_problem,
    }
    return render(request, "web/showcase/list.html", context)


@require_GET
def showcase_detail(request, code: str):
    """One exemplary initiative's public page: facts, photos and what residents contributed."""
    try:
        initiative = selectors.showcase_detail(code=code)
    except Initiative.DoesNotExist:
        raise Http404(_("No exemplary initiative has this code.")) from None
    totals = initiative_contribution_totals(initiative=initiative)
    context = {
        "initiative": initiative,
        "province": selectors.province_of(initiative.area),
        "photos": initiative.public_photos,
        "totals": totals,
        "money": totals[ContributionKind.MONEY]["amount"],
        "in_kind": totals[ContributionKind.IN_KIND]["amount"],
        "land": totals[ContributionKind.LAND]["amount"],
        "labour": totals[ContributionKind.LABOUR]["amount"],
        "results": selectors.showcase_results(initiative=initiative),
        "awards": selectors.showcase_awards(initiative=initiative),
        "co_organisations": list(initiative.co_organisations.order_by("name")),
    }
    return render(request, "web/showcase/detail.html", context)


@require_GET
def showcase_photo(request, pk: int):
    """Serve one public photo, re-encoded without its GPS position or camera metadata; any
    other file is "not found", whatever it is."""
    evidence = selectors.public_photos().filter(pk=pk).first()
    if evidence is None:
        raise Http404(_("No public photo has this number."))
    try:
        with evidence.file.open("rb") as handle:
            content, content_type = strip_metadata(handle.read())
    except (FileNotFoundError, OSError, UnidentifiedImageError):
        raise Http404(_("No public photo has this number.")) from None
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def privacy(request):
    """The privacy notice (ASVS 8.3.3), for everyone: the durations come from the settings
    that enforce them."""
    from django.conf import settings

    context = {
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "web/privacy.html", context)
