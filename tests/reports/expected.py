"""What each table of the periodic report must hold, read straight from the stats selectors
(not through the reports app), in a language's notation."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core.formats import format_money, format_number, format_percent
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, Unit
from danvan.initiatives.models import Indicator
from danvan.orgs.models import OrgKind
from danvan.review.models import LEVEL_ORDER, AwardStage
from danvan.stats import selectors as stats
from danvan.stats.models import AS_WAS

START = datetime.date(2024, 1, 1)
CUTOFF = datetime.date(2024, 6, 30)
COUNTS = ("initiatives", "new", "continued", "built", "replicated", "exemplary")
LEDGER = ("money", "land", "labour", "in_kind", "contributors")


def figures(area, mode=AS_WAS, year=2024, start=START, cutoff=CUTOFF, since=2013):
    scope = {"area": area, "mode": mode, "status": REGISTERED_STATUSES}
    of_year = {**scope, "year_from": year, "year_to": year}
    period = {**scope, "start": start, "cutoff": cutoff}
    since_scope = {**scope, "year_from": since, "year_to": year}
    awards_scope = {"area": area, "mode": mode, "year_from": year, "year_to": year}
    awards = {
        (r["stage"], r["level"]): r["initiatives"] for r in stats.award_figures(**awards_scope)
    }
    stages = [stage for stage in AwardStage if any(key[0] == stage for key in awards)]
    results = []
    for indicator in Indicator.objects.order_by("code"):
        row = stats.result_figures(area=area, mode=mode, year=cutoff.year, indicator=indicator)
        if row["count"]:
            results.append((indicator, row))
    cumulative = stats.cumulative_since(
        since, area=area, mode=mode, year_to=year, status=REGISTERED_STATUSES
    )
    return {
        "units": stats.registering_units(**of_year),
        "totals": stats.initiative_figures(**of_year)[0],
        "by_field": stats.initiative_figures(**of_year, group_by=("field",)),
        "by_org": stats.initiative_figures(**of_year, group_by=("org_kind",)),
        "by_level": stats.initiative_figures(**of_year, group_by=("level",)),
        "ledger": stats.contribution_figures(**period)[0],
        "ledger_by_field": stats.contribution_figures(**period, group_by=("field",)),
        "results": results,
        # Models since 2013, each counted once however many years it continued.
        "since": cumulative["total"],
        "since_by_field": cumulative["rows"],
        "by_year": stats.initiative_figures(**since_scope, group_by=("year",)),
        # One row per stage with awards, in the stages' order: per level, the initiatives at
        # that stage and level; the total, the stage's distinct initiatives.
        "awards": [
            (
                stage,
                [awards.get((stage, level), 0) for level in LEVEL_ORDER],
                stats.recognised_initiatives(**awards_scope, stages=(stage,)),
            )
            for stage in stages
        ],
        "recognised": stats.recognised_initiatives(**awards_scope),
        "commended": stats.recognised_initiatives(**awards_scope, stages=(AwardStage.COMMENDED,)),
    }


def awards_header(language: str) -> list[str]:
    """The awards table's header: the stage, the levels in their order, the total."""
    with translation.override(language):
        return [_("Stage"), *(str(level.label) for level in LEVEL_ORDER), _("Total")]


def awards_rows(f: dict, language: str) -> list[list[str]]:
    """The awards table's rows: the stage, the initiatives per level, the stage's total."""
    n = lambda value: format_number(value, language)  # noqa: E731
    with translation.override(language):
        return [
            [str(stage.label), *(n(value) for value in levels), n(total)]
            for stage, levels, total in f["awards"]
        ]


def text_tables(f: dict, language: str, level_names: dict) -> list[list[list[str]]]:
    """Every table's body rows (and total row), every cell as the report must write it."""
    n = lambda value: format_number(value, language)  # noqa: E731
    with translation.override(language):
        field = lambda row: str(Field(row["field"]).label)  # noqa: E731

        def counts(name, row):
            return [name, *(n(row[m]) for m in COUNTS)]

        def ledger(name, row):
            money = lambda v: format_money(v, language)  # noqa: E731
            return [
                name,
                money(row["money"]),
                n(row["land"]),
                n(row["labour"]),
                money(row["in_kind"]),
                n(row["contributors"]),
            ]

        totals = f["totals"]
        key = [f["units"], *(totals[m] for m in COUNTS), f["recognised"]]
        results = []
        for indicator, row in f["results"]:
            name = getattr(indicator, f"name_{language}") or indicator.name_vi
            if row["unit"] == Unit.PERCENT:
                value, unit = format_percent(row["value"], language), ""
            else:
                value, unit = n(row["value"]), str(Unit(row["unit"]).label)
            results.append([name, value, unit, n(row["count"])])
        by_level = sorted(
            (counts(level_names[row["area_id"]], row) for row in f["by_level"]),
            key=lambda row: (row[0] == level_names.get(None), row[0]),
        )
        return [
            [[n(value)] for value in key],
            [counts(field(r), r) for r in f["by_field"]] + [counts(None, totals)],
            [counts(str(OrgKind(r["org_kind"]).label), r) for r in f["by_org"]]
            + [counts(None, totals)],
            by_level,
            [ledger(field(r), r) for r in f["ledger_by_field"]] + [ledger(None, f["ledger"])],
            results,
            awards_rows(f, language),
            [counts(field(r), r) for r in f["since_by_field"]] + [counts(None, f["since"])],
            [counts(str(r["year"]), r) for r in f["by_year"]],
        ]
