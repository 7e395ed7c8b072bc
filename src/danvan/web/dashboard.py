"""The dashboard's scope and figures: which units a person may pick, what the query asks for,
and the figures of the chosen unit, year and boundary mode, all read from ``danvan.stats``.

Nothing is counted or summed here: every number comes from ``danvan.stats.selectors``; this
module only picks the arguments and gives the rows labels.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can_see_unit
from danvan.areas.models import Area
from danvan.core.ids import parse_id
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, Status
from danvan.orgs.models import OrgKind
from danvan.stats import lineage
from danvan.stats import selectors as stats
from danvan.stats.models import AS_WAS
from danvan.stats.units import MODES, UnitChoice, unit_choices

FIRST_YEAR = 2000


@dataclass
class Query:
    """What the dashboard shows, after checking the request's parameters."""

    unit: UnitChoice
    year: int | None
    mode: str
    problems: list[str] = field(default_factory=list)
    chosen: bool = True


def _parse_year(raw: str | None, default: int, problems: list[str]) -> int | None:
    if raw is None:
        return default
    if raw in ("", "all"):
        return None
    this_year = timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= this_year + 1:
        problems.append(
            _("“%(year)s” is not a year we can show; showing %(default)s instead.")
            % {"year": raw[:20], "default": default}
        )
        return default
    return year


def _parse_unit(user, raw: str | None, choices: list[UnitChoice], problems: list[str]):
    default = choices[0]
    if not raw:
        return default
    pk = parse_id(raw)
    area = Area.objects.filter(pk=pk).first() if pk is not None else None
    if area is None:
        problems.append(_("There is no unit with that number; showing your own scope instead."))
        return default
    for choice in choices:
        if choice.area is not None and choice.area.pk == area.pk:
            return choice
    if can_see_unit(user, area):
        return UnitChoice(area, str(area), 1)
    problems.append(
        _("%(unit)s is outside your scope; showing your own scope instead.") % {"unit": area}
    )
    return default


def parse_query(
    user, params, *, default_year: int, choices: list[UnitChoice] | None = None
) -> Query | None:
    """Return the checked query of ``params``, or None when ``user`` has no unit to see.

    ``choices`` are ``unit_choices(user)`` when the caller has read them already (the page
    shows them too), so they are read once per request.
    """
    if choices is None:
        choices = unit_choices(user)
    if not choices:
        return None
    problems: list[str] = []
    unit = _parse_unit(user, params.get("unit"), choices, problems)
    year = _parse_year(params.get("year"), default_year, problems)
    mode = params.get("mode") or None
    if mode is not None and mode not in MODES:
        problems.append(_("Unknown way of counting; showing the figures as they were."))
        mode = AS_WAS
    chosen = mode is not None
    if not chosen:
        # Nobody chose: restated for years before the picked current unit existed.
        mode = lineage.default_mode(unit.area, year, year)
    return Query(unit=unit, year=year, mode=mode, problems=problems, chosen=chosen)


def year_choices(default_year: int) -> list[int]:
    """Years a dashboard offers, newest first, from the round's year back to 2013."""
    newest = max(default_year, timezone.localdate().year)
    return list(range(newest, 2012, -1))


def _labelled(rows: list[dict], key: str, labels: dict) -> dict:
    return {
        "labels": [str(labels.get(row[key], row[key])) for row in rows],
        "values": [row["initiatives"] for row in rows],
    }


def _own_point(area: Area, initiatives: int) -> list[dict]:
    if area.latitude is None or area.longitude is None:
        return []
    return [
        {
            "name": area.name,
            "lon": float(area.longitude),
            "lat": float(area.latitude),
            "value": initiatives,
        }
    ]


def figures(query: Query) -> dict:
    """Return the key figures and the charts' data of ``query``, from the stats selectors."""
    area = query.unit.area
    scope = {"area": area, "mode": query.mode, "year_from": query.year, "year_to": query.year}
    [totals] = stats.initiative_figures(**scope, status=REGISTERED_STATUSES) or [
        dict.fromkeys(stats.FIGURE_MEASURES, 0)
    ]
    [waiting] = stats.initiative_figures(**scope, status=Status.SUBMITTED) or [{"initiatives": 0}]
    units = stats.registering_units(**scope, status=REGISTERED_STATUSES)
    recognised = stats.recognised_initiatives(**scope)
    by_field = stats.initiative_figures(**scope, status=REGISTERED_STATUSES, group_by=("field",))
    by_kind = stats.initiative_figures(**scope, status=REGISTERED_STATUSES, group_by=("org_kind",))
    by_year = stats.initiative_figures(
        area=area,
        mode=query.mode,
        year_to=query.year,
        status=REGISTERED_STATUSES,
        group_by=("year",),
    )
    by_unit = stats.initiative_figures(**scope, status=REGISTERED_STATUSES, group_by=("level",))
    places = {
        a["id"]: a
        for a in Area.objects.filter(pk__in=[row["area_id"] for row in by_unit]).values(
            "id", "name", "latitude", "longitude"
        )
    }
    points = [
        {
            "name": places[row["area_id"]]["name"],
            "lon": float(places[row["area_id"]]["longitude"]),
            "lat": float(places[row["area_id"]]["latitude"]),
            "value": row["initiatives"],
        }
        for row in by_unit
        if row["area_id"] in places
        and places[row["area_id"]]["latitude"] is not None
        and places[row["area_id"]]["longitude"] is not None
    ]
    if not points and area is not None and totals["initiatives"]:
        # A commune's figures sit on units without coordinates (villages): show the commune.
        points = _own_point(area, totals["initiatives"])
    charts = {
        "field": _labelled(by_field, "field", dict(Field.choices)),
        "org_kind": _labelled(by_kind, "org_kind", dict(OrgKind.choices)),
        "year": {
            "labels": [str(row["year"]) for row in by_year],
            "values": [row["initiatives"] for row in by_year],
        },
        "map": points,
        "text": {
            "initiatives": _("Initiatives"),
            "longitude": _("Longitude"),
            "latitude": _("Latitude"),
            "empty": _("No initiatives to show."),
        },
    }
    reading = lineage.reading(area, query.mode, query.year, query.year)
    return {
        "reading": reading,
        "unplaced": next((row["initiatives"] for row in by_unit if row["area_id"] is None), 0),
        "unplaced_label": lineage.unplaced_label(area),
        "totals": totals,
        "waiting": waiting["initiatives"],
        "registering_units": units,
        "recognised": recognised,
        "charts": charts,
        "unmapped": max(len([r for r in by_unit if r["area_id"]]) - len(points), 0),
    }
