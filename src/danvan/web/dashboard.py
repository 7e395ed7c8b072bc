"""The dashboard's scope and figures: which units a person may pick, what the query asks for,
and the figures of the chosen unit, year, boundary mode and filters, all read from
``danvan.stats``.

Nothing is counted or summed here: every number comes from ``danvan.stats.selectors`` and
``danvan.stats.filtered``; this module only picks the arguments, gives the rows labels and
builds the links of the drill-down (country → province → commune → organisation).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can_see_unit
from danvan.areas.models import Area, AreaLevel
from danvan.core.formats import format_date
from danvan.core.ids import parse_id
from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation, OrgKind
from danvan.stats import filtered, lineage
from danvan.stats import selectors as stats
from danvan.stats.filtered import Filters
from danvan.stats.models import AS_WAS
from danvan.stats.recognition import grade_figures, recognition_figures
from danvan.stats.shape import FIGURE_MEASURES, plain
from danvan.stats.units import MODES, UnitChoice, unit_choices
from danvan.web import maps

FIRST_YEAR = 2000
# The figures the map can colour its units by, in the order the picker offers them.
MAP_FIGURES = ("initiatives", "money", "households", "people", "land", "labour", "in_kind")
# The query parameters the filters are read from, kept by every drill-down link.
FILTER_PARAMS = ("year", "mode", "field", "kind", "status", "from", "to")


@dataclass
class Query:
    """What the dashboard shows, after checking the request's parameters."""

    unit: UnitChoice
    year: int | None
    mode: str
    problems: list[str] = field(default_factory=list)
    chosen: bool = True
    filters: Filters = field(default_factory=Filters)
    organisation: Organisation | None = None
    year_chosen: bool = True

    @property
    def has_filters(self) -> bool:
        f = self.filters
        return any((f.field, f.org_kind, f.status, f.start, f.end))


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


def _choice(raw: str | None, choices, problems: list[str], message: str) -> str | None:
    if not raw:
        return None
    if raw in dict(choices):
        return raw
    problems.append(message)
    return None


def _parse_day(raw: str | None, problems: list[str]) -> datetime.date | None:
    if not raw:
        return None
    try:
        day = datetime.date.fromisoformat(raw[:10]) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or day.year < FIRST_YEAR or day.year > timezone.localdate().year + 1:
        problems.append(
            _("“%(day)s” is not a date we can read (year-month-day); the period ignores it.")
            % {"day": raw[:20]}
        )
        return None
    return day


def parse_filters(params, problems: list[str]) -> Filters:
    """Return the checked filters of ``params``; each bad value is dropped with a message."""
    field_ = _choice(
        params.get("field"),
        Field.choices,
        problems,
        _("Unknown field; showing every field."),
    )
    kind = _choice(
        params.get("kind"),
        OrgKind.choices,
        problems,
        _("Unknown kind of organisation; showing every kind."),
    )
    status = _choice(
        params.get("status"),
        Status.choices,
        problems,
        _("Unknown status; showing the registered initiatives."),
    )
    start = _parse_day(params.get("from"), problems)
    end = _parse_day(params.get("to"), problems)
    if start and end and start > end:
        problems.append(_("The period ends before it starts; the dates were swapped."))
        start, end = end, start
    return Filters(
        field=field_,
        org_kind=kind,
        status=(status,) if status else None,
        start=start,
        end=end,
    )


def _parse_organisation(user, raw: str | None, unit: UnitChoice, problems: list[str]):
    if not raw:
        return None
    pk = parse_id(raw)
    organisation = (
        Organisation.objects.select_related("seat_area").filter(pk=pk).first()
        if pk is not None
        else None
    )
    area = unit.area
    # In the unit's territory: seated there, or registering initiatives there (a unit's
    # organisations may be seated on the legacy units it was formed from).
    inside = (
        organisation is not None
        and can_see_unit(user, organisation.seat_area)
        and (
            area is None
            or Organisation.objects.filter(lineage.territory_q(area, "seat_"), pk=pk).exists()
            or Initiative.objects.filter(lineage.territory_q(area), organisation_id=pk).exists()
        )
    )
    if not inside:
        problems.append(_("There is no such organisation in this unit; showing the whole unit."))
        return None
    return organisation


def newest_year_with_data(area: Area | None, mode: str, up_to: int) -> int | None:
    """Return the newest year up to ``up_to`` with registered initiatives in ``area``."""
    rows = filtered.figures(area=area, mode=mode, year_to=up_to, group_by=("year",))
    years = [row["year"] for row in rows if row["initiatives"]]
    return max(years) if years else None


def parse_query(
    user, params, *, default_year: int, choices: list[UnitChoice] | None = None
) -> Query | None:
    """Return the checked query of ``params``, or None when ``user`` has no unit to see.

    ``choices`` are ``unit_choices(user)`` when the caller has read them already (the page
    shows them too), so they are read once per request. With no year asked for, the round's
    year is shown if it has figures in the unit, else the newest year that has: the
    dashboard never opens on an empty year while there is data.
    """
    if choices is None:
        choices = unit_choices(user)
    if not choices:
        return None
    problems: list[str] = []
    unit = _parse_unit(user, params.get("unit"), choices, problems)
    year_chosen = params.get("year") is not None
    year = _parse_year(params.get("year"), default_year, problems)
    mode = params.get("mode") or None
    if mode is not None and mode not in MODES:
        problems.append(_("Unknown way of counting; showing the figures as they were."))
        mode = AS_WAS
    filters = parse_filters(params, problems)
    organisation = _parse_organisation(user, params.get("org"), unit, problems)
    if organisation is not None:
        filters = Filters(**{**filters.__dict__, "organisation_id": organisation.pk})
    if not year_chosen and not filters.has_period:
        probe_mode = mode or lineage.default_mode(unit.area, year, year)
        newest = newest_year_with_data(unit.area, probe_mode, max(default_year, year or 0))
        if newest is not None and newest != year:
            has_round = filtered.totals(
                area=unit.area, mode=probe_mode, year_from=year, year_to=year
            )["initiatives"]
            if not has_round:
                year = newest
    if filters.has_period:
        year = None
    chosen = mode is not None
    if not chosen:
        # Nobody chose: restated for years before the picked current unit existed.
        mode = lineage.default_mode(unit.area, year, year)
    return Query(
        unit=unit,
        year=year,
        mode=mode,
        problems=problems,
        chosen=chosen,
        filters=filters,
        organisation=organisation,
        year_chosen=year_chosen,
    )


def filter_choices() -> dict:
    """Return the values each filter offers, with their labels."""
    return {"fields": Field.choices, "kinds": OrgKind.choices, "statuses": Status.choices}


def year_choices(default_year: int) -> list[int]:
    """Years a dashboard offers, newest first, from the round's year back to 2013."""
    newest = max(default_year, timezone.localdate().year)
    return list(range(newest, 2012, -1))


def _labelled(rows: list[dict], key: str, labels: dict) -> dict:
    return {
        "labels": [str(labels.get(row[key], row[key])) for row in rows],
        "values": [row["initiatives"] for row in rows],
    }


def link(params, **changes) -> str:
    """Return the dashboard's query string for ``changes``, keeping the filters of
    ``params`` (the year, the mode and the filters stay while the unit changes)."""
    kept = {name: params.get(name) for name in FILTER_PARAMS if params.get(name)}
    for name, value in changes.items():
        if value in (None, ""):
            kept.pop(name, None)
        else:
            kept[name] = value
    return "?" + urlencode(kept)


def breadcrumb(user, query: Query, params, choices: list[UnitChoice]) -> list[dict]:
    """Return the way back up from the shown unit: the country (for nationwide people), each
    unit above it the person may see, the unit itself, and the organisation when one is
    shown. The last step is the current one (no link)."""
    steps: list[dict] = []
    if choices and choices[0].area is None:
        steps.append({"label": choices[0].label, "url": link(params, unit=None, org=None)})
    area = query.unit.area
    if area is not None:
        ids = [int(pk) for pk in area.path.split(".") if pk]
        ancestors = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
        for pk in ids:
            ancestor = ancestors.get(pk)
            if ancestor is None or not can_see_unit(user, ancestor):
                continue
            steps.append({"label": ancestor.name, "url": link(params, unit=pk, org=None)})
    if query.organisation is not None:
        steps.append({"label": query.organisation.name, "url": ""})
    if steps:
        steps[-1]["url"] = ""
    return steps


def _at_organisations(area: Area | None) -> bool:
    """Whether the drill-down below ``area`` goes to organisations: below a commune, the
    units (villages) hold too little for a breakdown, the registering units are what counts."""
    return area is not None and area.level >= AreaLevel.COMMUNE


def _unit_rows(query: Query, params, scope: dict) -> tuple[list[dict], int]:
    """Return the rows of the drill-down table: the children of the unit (or its
    organisations at commune level), with their figures and the link one level down; and
    how many initiatives the unit holds that no child does."""
    area = query.unit.area
    unplaced = 0
    if query.organisation is not None:
        return [], 0
    if _at_organisations(area):
        rows = filtered.organisation_figures(
            area=area,
            year_from=scope["year_from"],
            year_to=scope["year_to"],
            filters=query.filters,
            group_by=("organisation",),
        )
        names = dict(
            Organisation.objects.filter(pk__in=[r["organisation_id"] for r in rows]).values_list(
                "pk", "name"
            )
        )
        units = [
            {
                **row,
                "id": row["organisation_id"],
                "name": names.get(row["organisation_id"], "?"),
                "url": link(params, unit=area.pk, org=row["organisation_id"]),
                "kind": "organisation",
            }
            for row in rows
        ]
    else:
        rows = filtered.figures(**scope, filters=query.filters, group_by=("level",))
        unplaced = sum(r["initiatives"] for r in rows if r["area_id"] is None)
        named = _told_apart(
            Area.objects.filter(pk__in=[r["area_id"] for r in rows if r["area_id"]]).values_list(
                "pk", "name", "valid_to"
            )
        )
        units = [
            {
                **row,
                "id": row["area_id"],
                "name": named[row["area_id"]],
                "url": link(params, unit=row["area_id"], org=None),
                "kind": "unit",
            }
            for row in rows
            if row["area_id"] in named
        ]
    units.sort(key=lambda row: (-row["initiatives"], -(row["money"] or 0), row["name"]))
    return units, unplaced


def _told_apart(units) -> dict[int, str]:
    """Each unit's name by id, with "until <day>" after an ended unit whose name another unit
    of the list shares: a period across 1 July 2025 lists a legacy province and the current one
    of the same name side by side, and a leader must tell the two rows apart."""
    units = list(units)
    seen: dict[str, int] = {}
    for _pk, name, _valid_to in units:
        seen[name] = seen.get(name, 0) + 1
    named = {}
    for pk, name, valid_to in units:
        if seen[name] > 1 and valid_to is not None:
            until = _("until %(day)s") % {"day": format_date(valid_to)}
            name = f"{name} ({until})"
        named[pk] = name
    return named


def _recognition(scope: dict, field: str | None) -> tuple[dict, list[dict]]:
    """The recognition per level and the evaluation grades per level (``stats.recognition``),
    with each level's name in the reader's language."""
    from danvan.review.models import RecognitionLevel

    names = dict(RecognitionLevel.choices)
    recognition = recognition_figures(**scope, field=field)
    for row in recognition["levels"]:
        row["label"] = names.get(row["level"], row["level"])
    grades = grade_figures(**scope, field=field)
    for row in grades:
        row["label"] = names.get(row["level"], _("level not recorded"))
    return recognition, grades


def figures(query: Query, params=None, *, user=None, choices=None) -> dict:
    """Return the key figures, the charts' data and the drill-down of ``query``, from the
    stats selectors."""
    with stats.children_remembered():
        return _figures(query, params, user=user, choices=choices)


def _figures(query: Query, params, *, user, choices) -> dict:
    params = dict(params.items()) if params is not None else {}
    if not query.filters.has_period:
        # Links down and up keep the year shown, even the one chosen for the reader.
        params["year"] = str(query.year) if query.year is not None else "all"
    area = query.unit.area
    f = query.filters
    scope = {"area": area, "mode": query.mode, "year_from": query.year, "year_to": query.year}
    # By field, by kind of organisation and (over every year, or a period) by year are one
    # scope's figures: read together under a period or when one of them needs the rollups by
    # every dimension (``filtered.figures_each``).
    groupings = [("field",), ("org_kind",)] + ([("year",)] if query.year is None else [])
    by_field, by_kind, *by_years = filtered.figures_each(**scope, filters=f, groupings=groupings)
    # Every initiative has one field, so the totals are the fields' rows added up: one read
    # fewer (three with a period) than asking for them apart.
    totals = {m: sum((row.get(m) or 0 for row in by_field), 0) for m in FIGURE_MEASURES}
    waiting_filters = Filters(**{**f.__dict__, "status": (Status.SUBMITTED,)})
    waiting = 0
    if not f.status:
        waiting = sum(
            row["initiatives"]
            for row in filtered.figures(**scope, filters=waiting_filters, counts_only=True)
        )
    units = filtered.registering_units(**scope, filters=f)
    recognised = stats.recognised_initiatives(**scope, field=f.field)
    recognition, grades = _recognition(scope, f.field)
    if by_years:
        [by_year] = by_years
    else:
        by_year = filtered.figures(
            area=area, mode=query.mode, year_to=query.year, filters=f, group_by=("year",)
        )
    by_year.sort(key=lambda row: row["year"])
    unit_rows, unplaced = _unit_rows(query, params, scope)
    # The map draws the units the figures are by, and colours them on their own range.
    area_rows = [row for row in unit_rows if row["kind"] == "unit"]
    drawn, by_rows = maps.drawn_units(area, [row["id"] for row in area_rows])
    drawn_ids = ",".join(str(unit.pk) for unit in drawn) if by_rows else None
    charts = {
        "field": _labelled(
            sorted(by_field, key=lambda r: list(Field.values).index(r["field"])),
            "field",
            dict(Field.choices),
        ),
        "org_kind": _labelled(by_kind, "org_kind", dict(OrgKind.choices)),
        "year": {
            "labels": [str(row["year"]) for row in by_year],
            "values": [row["initiatives"] for row in by_year],
        },
        "units": [
            {
                "id": row["id"],
                "name": row["name"],
                "url": row["url"],
                "kind": row["kind"],
                **{m: plain(row[m] or 0) for m in MAP_FIGURES},
            }
            for row in unit_rows
        ],
        "map_url": reverse("web:map") + link({}, unit=area.pk if area else None, units=drawn_ids),
        "map_scale": maps.colour_scale([unit.pk for unit in drawn], area_rows, MAP_FIGURES),
        "text": {
            "initiatives": _("Initiatives"),
            "empty": _("No initiatives to show."),
            "figures": {
                "initiatives": _("Initiatives"),
                "money": _("Money mobilised (VND)"),
                "households": _("Households taking part"),
                "people": _("People taking part"),
                "land": _("Land donated (m²)"),
                "labour": _("Labour (person-days)"),
                "in_kind": _("Assets and materials (VND)"),
            },
            "approximate": _("Approximate outlines"),
            "no_map": _("No outlines for this unit."),
            "no_map_figures": _("The units on this map have no figures for this choice."),
            "loading": _("Loading…"),
        },
    }
    reading = lineage.reading(area, query.mode, query.year, query.year)
    return {
        "reading": reading,
        "unplaced": unplaced,
        "unplaced_label": lineage.unplaced_label(area),
        "totals": totals,
        "waiting": waiting,
        "registering_units": units,
        "recognised": recognised,
        "recognition": recognition,
        "grades": grades,
        "charts": charts,
        "units": unit_rows,
        "units_are_organisations": _at_organisations(area) and query.organisation is None,
        "breadcrumb": breadcrumb(user, query, params, choices or []) if user else [],
        "map_figures": [(m, charts["text"]["figures"][m]) for m in MAP_FIGURES],
    }
