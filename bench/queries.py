"""The questions the benchmark times: every question the dashboard, the reports and the stats
API ask, each beside the fair baseline of ``bench.baseline`` (one plain SQL statement over the
base tables), and every dashboard page as a whole.

A question is (name, the stats layer's answer, the baseline's SQL or None). The answers are the
selectors the API's endpoints and the dashboard call, with the same arguments.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Sum

from bench import baseline
from danvan.areas.models import Area, AreaLevel
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, Status
from danvan.initiatives.models import Indicator
from danvan.orgs.models import OrgKind
from danvan.stats import recognition, selectors
from danvan.stats.filtered import Filters
from danvan.stats.lineage import is_current
from danvan.stats.models import AS_WAS, MODES, RESTATED, InitiativeRollup
from danvan.stats.units import UnitChoice

D = datetime.date
REGISTERED = list(REGISTERED_STATUSES)
YEAR = 2024
ONE_YEAR = {"year_from": YEAR, "year_to": YEAR}


@dataclass
class Question:
    name: str
    answer: Callable[[], object]
    baseline: baseline.Sql | None
    kind: str  # "api" (≤ 20 ms) or "page" (≤ 50 ms)


def _busiest(level: int, scheme: str, mode: str) -> Area:
    """The unit of ``level`` and ``scheme`` with the most initiatives counted under it."""
    units = Area.objects.filter(level=level, scheme=scheme).values_list("pk", flat=True)
    busiest = (
        InitiativeRollup.objects.filter(mode=mode, area_id__in=list(units))
        .values("area_id")
        .annotate(total=Sum("initiatives"))
        .order_by("-total")
        .first()
    )
    return Area.objects.get(pk=busiest["area_id"])


def scopes(core: bool = False) -> list[tuple[str, Area | None]]:
    """The country, the busiest province as it was (a legacy one) and today (a current one),
    and (unless ``core``) the busiest legacy district and commune."""
    found = [
        ("national", None),
        ("legacy province", _busiest(AreaLevel.PROVINCE, "legacy", AS_WAS)),
        ("current province", _busiest(AreaLevel.PROVINCE, "current", RESTATED)),
    ]
    if not core:
        found += [
            ("legacy district", _busiest(AreaLevel.DISTRICT, "legacy", AS_WAS)),
            ("legacy commune", _busiest(AreaLevel.COMMUNE, "legacy", AS_WAS)),
        ]
    return found


def _modes(area: Area | None) -> list[str]:
    """Both boundary modes, the unit's natural one first (as it was for a unit that ended)."""
    return list(MODES) if area is None or not is_current(area) else [RESTATED, AS_WAS]


INITIATIVE_GROUPS = [
    (),
    ("field",),
    ("year",),
    ("status",),
    ("registration_kind",),
    ("replicated",),
    ("org_kind",),
    ("org_kind", "status"),
    ("level",),
    ("level", "field"),
]
PERIODS = [
    ("to 30 Nov", None, D(YEAR, 11, 30)),
    ("to 15 Nov", None, D(YEAR, 11, 15)),
    ("15 Mar–15 Nov", D(YEAR, 3, 15), D(YEAR, 11, 15)),
    ("3–17 Nov", D(YEAR, 11, 3), D(YEAR, 11, 17)),
]
CONTRIBUTION_GROUPS = [
    (),
    ("field",),
    ("contribution_month",),
    ("level",),
    ("org_kind",),
    ("registration_kind", "replicated"),
    ("level", "org_kind"),
]
PAGE_FILTERS = [
    ("field", Filters(field=Field.ECONOMY)),
    ("kind of organisation", Filters(org_kind=OrgKind.WOMENS_UNION)),
    ("status", Filters(status=(Status.COMPLETED,))),
    ("15 Mar–15 Nov", Filters(start=D(YEAR, 3, 15), end=D(YEAR, 11, 15))),
    (
        "field, kind and 15 Mar–15 Nov",
        Filters(
            field=Field.ECONOMY,
            org_kind=OrgKind.WOMENS_UNION,
            start=D(YEAR, 3, 15),
            end=D(YEAR, 11, 15),
        ),
    ),
]
# The smaller set of ``--core`` runs: one of each kind of question.
CORE_GROUPS = [(), ("field",), ("org_kind",), ("level",), ("level", "field")]
CORE_PERIODS = PERIODS[:3]
CORE_CONTRIBUTION_GROUPS = [(), ("level",), ("org_kind",)]


def api_questions(core: bool = False) -> Iterator[Question]:
    """The stats API's questions (and the reports', which call the same selectors); ``core``
    asks one of each kind only, on the country and two provinces."""
    indicator = Indicator.objects.order_by("pk").first()
    groups = CORE_GROUPS if core else INITIATIVE_GROUPS
    periods = CORE_PERIODS if core else PERIODS
    dated_groups = CORE_CONTRIBUTION_GROUPS if core else CONTRIBUTION_GROUPS
    for label, area in scopes(core):
        for mode in _modes(area):
            where = f"{label} {mode}"
            for years, span in (
                ("all years", {}),
                (str(YEAR), {"year_from": YEAR, "year_to": YEAR}),
            ):
                for group_by in groups:
                    args = {"area": area, "mode": mode, "group_by": group_by, **span}
                    yield Question(
                        f"initiatives {where} {years} by {'+'.join(group_by) or '-'}",
                        lambda a=args: selectors.initiative_figures(**a),
                        baseline.initiatives_sql(**args),
                        "api",
                    )
                units = {"area": area, "mode": mode, "status": REGISTERED, **span}
                yield Question(
                    f"registering units {where} {years}",
                    lambda a=units: selectors.registering_units(**a),
                    baseline.registering_units_sql(**units),
                    "api",
                )
            for period, start, cutoff in periods:
                for group_by in dated_groups:
                    args = {
                        "area": area,
                        "mode": mode,
                        "start": start,
                        "cutoff": cutoff,
                        "group_by": group_by,
                    }
                    yield Question(
                        f"contributions {where} {period} by {'+'.join(group_by) or '-'}",
                        lambda a=args: selectors.contribution_figures(**a),
                        baseline.contributions_sql(**args),
                        "api",
                    )
            # The reports' "since 2013 …" totals (models, not registrations) and the awards.
            since = {"area": area, "mode": mode, "group_by": ("field",)}
            yield Question(
                f"cumulative since 2013 {where} by field",
                lambda a=since: selectors.cumulative_since(2013, **a),
                baseline.cumulative_sql(since=2013, **since),
                "api",
            )
            # As the reports ask it: registered models since 2013 up to the report's year.
            reported = {**since, "year_to": YEAR, "status": REGISTERED}
            yield Question(
                f"cumulative since 2013 {where} registered to {YEAR} by field",
                lambda a=reported: selectors.cumulative_since(2013, **a),
                baseline.cumulative_sql(since=2013, **reported),
                "api",
            )
            if not core:
                # Grouped by the registration's kinds: read from the chain detail rows.
                for grouping in ("org_kind", "registration_kind", "replicated"):
                    by_kind = {**since, "group_by": (grouping,)}
                    yield Question(
                        f"cumulative since 2013 {where} by {grouping}",
                        lambda a=by_kind: selectors.cumulative_since(2013, **a),
                        baseline.cumulative_sql(since=2013, **by_kind),
                        "api",
                    )
            awards = {"area": area, "mode": mode, "year_from": YEAR, "year_to": YEAR}
            yield Question(
                f"awards {where} {YEAR}",
                lambda a=awards: selectors.award_figures(**a),
                None,
                "api",
            )
            yield Question(
                f"recognised initiatives {where} {YEAR}",
                lambda a=awards: selectors.recognised_initiatives(**a),
                None,
                "api",
            )
            # The API's recognition answer (the dashboard's card reads the same): per level,
            # the collectives and individuals, by kind of organisation, and the grades.
            for years, scope in ((str(YEAR), awards), ("all years", {"area": area, "mode": mode})):
                yield Question(
                    f"recognition {where} {years}",
                    lambda a=scope: (
                        recognition.recognition_figures(**a),
                        recognition.grade_figures(**a),
                    ),
                    None,
                    "api",
                )
            if indicator is not None:
                args = {"area": area, "mode": mode, "year": YEAR}
                yield Question(
                    f"result {indicator.code} {where} {YEAR}",
                    lambda a=args: selectors.result_figures(**a, indicator=indicator),
                    baseline.result_sql(**args, indicator_id=indicator.pk),
                    "api",
                )


def page_questions(core: bool = False) -> Iterator[Question]:
    """Every dashboard page: each unit, a single year or all years, both boundary modes, and
    (unless ``core``) one year under each of the page's filters, or a period instead of the
    year, as the page asks it."""
    from danvan.web import dashboard

    for label, area in scopes(core):
        for mode in _modes(area):
            for year in (YEAR, None):
                query = dashboard.Query(
                    unit=UnitChoice(area, label), year=year, mode=mode, chosen=True
                )
                yield Question(
                    f"dashboard page {label} {mode} {year or 'all years'}",
                    lambda q=query: dashboard.figures(q),
                    None,
                    "page",
                )
            if core:
                continue
            # The page's filters, each alone (the organisation filter reads one organisation's
            # rows by its key and is left out): field, kind of organisation, status, a period.
            for name, filters in PAGE_FILTERS:
                # A period replaces the year on the page (``dashboard.parse_query``).
                year = None if filters.has_period else YEAR
                query = dashboard.Query(
                    unit=UnitChoice(area, label), year=year, mode=mode, filters=filters
                )
                yield Question(
                    f"dashboard page {label} {mode} {YEAR} filtered by {name}",
                    lambda q=query: dashboard.figures(q),
                    None,
                    "page",
                )
