"""Everything a periodic report shows, gathered in one place and only from the stats layer.

The dashboard, the API and every report format read the same selectors, so a figure in a
Word file is the figure on the page. Nothing here adds numbers up: rows come back from
``danvan.stats.selectors`` as they are, with names looked up for the codes they carry.
"""

import datetime
from dataclasses import dataclass, field

from danvan.areas.models import Area
from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.initiatives.models import Indicator
from danvan.review.models import AwardStage
from danvan.stats import lineage
from danvan.stats import selectors as stats
from danvan.stats.recognition import grade_figures, recognition_figures
from danvan.stats.shape import FIGURE_MEASURES, LEDGER_MEASURES


@dataclass
class PeriodicFigures:
    """The figures of one periodic report, as the stats selectors returned them."""

    area: Area | None
    mode: str
    year: int
    start: datetime.date
    cutoff: datetime.date
    since: int
    units: int
    totals: dict
    by_field: list[dict]
    by_org_kind: list[dict]
    by_level: list[dict]
    contributions: dict
    contributions_by_field: list[dict]
    results: list[dict]
    cumulative: dict
    by_year: list[dict]
    awards: list[dict] = field(default_factory=list)
    awards_total: dict[str, int] = field(default_factory=dict)
    recognised: int = 0
    commended: int = 0
    recognition: dict = field(
        default_factory=lambda: {"levels": [], "totals": {}, "by_org_kind": []}
    )
    grades: list[dict] = field(default_factory=list)
    level_names: dict[int | None, str] = field(default_factory=dict)
    reading: lineage.Reading | None = None


def _zero(measures) -> dict:
    return dict.fromkeys(measures, 0)


def periodic_figures(
    *,
    area: Area | None,
    mode: str,
    year: int,
    start: datetime.date,
    cutoff: datetime.date,
    since: int,
    chosen: bool = True,
    progress=None,
) -> PeriodicFigures:
    """Return the figures of the periodic report of ``year`` for ``area`` (None: the country).

    Initiatives are those registered in ``year``; contributions are the entries dated from
    ``start`` to ``cutoff``; results are those of the indicators for the cut-off's year; the
    cumulative totals run from ``since`` to ``year``; awards are those of the initiatives
    registered in ``year``, at whatever stage. ``chosen`` says whether the requester picked
    ``mode`` (the report then says so, or that it was picked for them). ``progress(percent)``
    is called between the steps so a long national report shows it is moving.
    """
    step = progress or (lambda percent: None)
    scope = {"area": area, "mode": mode, "status": REGISTERED_STATUSES}
    of_year = {**scope, "year_from": year, "year_to": year}

    [totals] = stats.initiative_figures(**of_year) or [_zero(FIGURE_MEASURES)]
    units = stats.registering_units(**of_year)
    by_field = stats.initiative_figures(**of_year, group_by=("field",))
    by_org_kind = stats.initiative_figures(**of_year, group_by=("org_kind",))
    step(20)
    by_level = stats.initiative_figures(**of_year, group_by=("level",))
    level_names = dict(
        Area.objects.filter(pk__in=[row["area_id"] for row in by_level]).values_list("pk", "name")
    )
    level_names[lineage.UNPLACED] = lineage.unplaced_label(area)
    step(30)
    period = {**scope, "start": start, "cutoff": cutoff}
    [contributions] = stats.contribution_figures(**period) or [_zero(LEDGER_MEASURES)]
    contributions_by_field = stats.contribution_figures(**period, group_by=("field",))
    step(40)
    results = []
    for indicator in Indicator.objects.order_by("code"):
        figure = stats.result_figures(area=area, mode=mode, year=cutoff.year, indicator=indicator)
        if figure["count"]:
            names = {"vi": indicator.name_vi, "en": indicator.name_en, "ar": indicator.name_ar}
            results.append({**figure, "names": names, "code": indicator.code})
    step(50)
    # Models, not registrations: a model continued every year since ``since`` is one model.
    cumulative = stats.cumulative_since(
        since, area=area, mode=mode, year_to=year, status=REGISTERED_STATUSES
    )
    since_scope = {**scope, "year_from": since, "year_to": year}
    by_year = stats.initiative_figures(**since_scope, group_by=("year",))
    # Awards of the year's initiatives. ``award_figures`` counts initiatives per stage and
    # level; one initiative can be at one stage at two levels, so a stage's total and the
    # recognised and commended figures are distinct counts of their own, never sums of rows.
    award_scope = {"area": area, "mode": mode, "year_from": year, "year_to": year}
    awards = stats.award_figures(**award_scope)
    awards_total = {
        stage: stats.recognised_initiatives(**award_scope, stages=(stage,))
        for stage in dict.fromkeys(row["stage"] for row in awards)
    }
    recognised = stats.recognised_initiatives(**award_scope)
    commended = stats.recognised_initiatives(**award_scope, stages=(AwardStage.COMMENDED,))
    # Per level, as the reports say it: proposed, recognised, proposed upward; collectives and
    # individuals apart; and the evaluation grades per level.
    recognition = recognition_figures(**award_scope)
    grades = grade_figures(**award_scope)
    step(60)
    reading = lineage.reading(area, mode, year, year)
    reading.chosen = chosen
    return PeriodicFigures(
        area=area,
        mode=mode,
        year=year,
        start=start,
        cutoff=cutoff,
        since=since,
        units=units,
        totals=totals,
        by_field=by_field,
        by_org_kind=by_org_kind,
        by_level=by_level,
        contributions=contributions,
        contributions_by_field=contributions_by_field,
        results=results,
        cumulative=cumulative,
        by_year=by_year,
        awards=awards,
        awards_total=awards_total,
        recognised=recognised,
        commended=commended,
        recognition=recognition,
        grades=grades,
        level_names=level_names,
        reading=reading,
    )
