"""What each table of the periodic report must hold, read straight from the stats selectors
(not through the reports app), in a language's notation."""

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from danvan.core.formats import format_money, format_number, format_percent
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field, Unit
from danvan.initiatives.models import Indicator
from danvan.orgs.models import OrgKind
from danvan.review.models import LEVEL_ORDER, AwardStage, RecognitionLevel
from danvan.stats import selectors as stats
from danvan.stats.models import AS_WAS
from danvan.stats.recognition import grade_figures, recognition_figures

START = datetime.date(2024, 1, 1)
CUTOFF = datetime.date(2024, 6, 30)
COUNTS = ("initiatives", "new", "continued", "built", "replicated", "exemplary")
LEDGER = ("money", "land", "labour", "in_kind", "households", "people")


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
        # Per level as the reports say it: proposed, recognised, proposed upward; collectives
        # and individuals; recognised models by kind of organisation; evaluation grades.
        "recognition": recognition_figures(**awards_scope),
        "grades": grade_figures(**awards_scope),
        "recognised": stats.recognised_initiatives(**awards_scope),
        "commended": stats.recognised_initiatives(**awards_scope, stages=(AwardStage.COMMENDED,)),
    }


AWARD_MEASURES = ("proposed", "recognised", "nominated", "collectives", "individuals")


def awards_header(language: str) -> list[str]:
    """The awards table's header: the level, then what was proposed and recognised there."""
    with translation.override(language):
        return [
            _("Level"),
            _("Models proposed"),
            _("Models recognised"),
            _("Proposed to the next level"),
            _("Collectives recognised"),
            _("Individuals recognised"),
        ]


def awards_rows(f: dict, language: str) -> list[list[str]]:
    """The awards table's rows: one per level with awards, lowest first, then the distinct
    totals (each model, collective and person once)."""
    n = lambda value: format_number(value, language)  # noqa: E731
    recognition = f["recognition"]
    with translation.override(language):
        rows = [
            [
                str(RecognitionLevel(row["level"]).label),
                *(n(row[m]) for m in AWARD_MEASURES),
            ]
            for row in recognition["levels"]
        ]
    if rows:
        totals = recognition["totals"]
        rows.append(
            [
                None,
                "",
                n(totals["recognised"]),
                "",
                n(totals["collectives"]),
                n(totals["individuals"]),
            ]
        )
    return rows


def awards_by_org_rows(f: dict, language: str) -> list[list[str]]:
    """The recognised models by kind of organisation, one column per level with any."""
    rows = f["recognition"]["by_org_kind"]
    levels = [level for level in LEVEL_ORDER if any(r["level"] == level for r in rows)]
    cells = {(r["org_kind"], r["level"]): r["recognised"] for r in rows}
    with translation.override(language):
        return [
            [
                str(OrgKind(kind).label),
                *(format_number(cells.get((kind, level), 0), language) for level in levels),
            ]
            for kind in dict.fromkeys(r["org_kind"] for r in rows)
        ]


def key_values(f: dict) -> list[int]:
    """The key-figures column: units, the year's counts, then recognition per level (the
    proposals above the lowest level, the recognised), the models recognised at some level,
    and, when any award was recognised, the collectives and individuals."""
    recognition = f["recognition"]
    values = [f["units"], *(f["totals"][m] for m in COUNTS)]
    for index, row in enumerate(recognition["levels"]):
        if index:
            values.append(row["proposed"])
        values.append(row["recognised"])
    values.append(recognition["totals"]["recognised"])
    if recognition["levels"]:
        values += [recognition["totals"]["collectives"], recognition["totals"]["individuals"]]
    return values


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
                n(row["households"]),
                n(row["people"]),
            ]

        totals = f["totals"]
        key = key_values(f)
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
            *([awards_by_org_rows(f, language)] if f["recognition"]["by_org_kind"] else []),
            [counts(field(r), r) for r in f["since_by_field"]] + [counts(None, f["since"])],
            [counts(str(r["year"]), r) for r in f["by_year"]],
        ]
