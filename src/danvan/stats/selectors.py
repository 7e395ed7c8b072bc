"""Every figure danvan shows is computed here, so a number is the same on every page."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from danvan.areas.models import Area
from danvan.initiatives.catalogues import (
    REGISTERED_STATUSES,
    Aggregation,
    ContributionKind,
    RegistrationKind,
)
from danvan.initiatives.models import Indicator, Initiative
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.lineage import is_current, territory_parts, territory_q
from danvan.stats.models import (
    AS_WAS,
    NATIONAL,
    RESTATED,
    ContributionRollup,
    InitiativeRollup,
    ResultRollup,
)
from danvan.stats.shape import (
    COUNT_MEASURES,
    FIGURE_MEASURES,
    GROUPS,
    LEDGER_MEASURES,
    MONTH_GROUPS,
    as_list,
    check_mode,
    columns_for,
    finish,
    merge,
    output_names,
)


def initiative_contribution_totals(*, initiative: Initiative) -> dict[str, dict[str, int]]:
    """Return, per contribution kind, the corrected amount and contributors, and how many
    entries were recorded (corrections adjust an entry; they are not entries of their own)."""
    totals = {
        kind: {"amount": 0, "contributors": 0, "entries": 0} for kind in ContributionKind.values
    }
    rows = (
        initiative.contributions.values("kind")
        .annotate(
            amount=Sum("amount"),
            contributors=Sum("contributors"),
            entries=Count("id", filter=Q(corrects__isnull=True)),
        )
        .order_by()
    )
    for row in rows:
        totals[row["kind"]] = {
            "amount": row["amount"] or 0,
            "contributors": row["contributors"] or 0,
            "entries": row["entries"],
        }
    return totals


def built_and_replicated(*, initiatives: QuerySet[Initiative]) -> dict[str, int]:
    """Count ``initiatives`` built where they are and replicated from elsewhere ("built and
    replicated" in the reports), in one query."""
    counts = initiatives.aggregate(
        built=Count("id", filter=Q(replicated_from__isnull=True)),
        replicated=Count("id", filter=Q(replicated_from__isnull=False)),
    )
    return {"built": counts["built"], "replicated": counts["replicated"]}


# --- figures from the rollups ----------------------------------------------------------------


def _dims(queryset, *, year_from, year_to, field, status, **_):
    if year_from is not None:
        queryset = queryset.filter(year__gte=year_from)
    if year_to is not None:
        queryset = queryset.filter(year__lte=year_to)
    if (fields := as_list(field)) is not None:
        queryset = queryset.filter(field__in=fields)
    if (statuses := as_list(status)) is not None:
        queryset = queryset.filter(status__in=statuses)
    return queryset


def _scoped(queryset, *, area, mode, **scope):
    """Filter rollup rows to ``area``'s territory and the dimensions.

    The territory is the same in both boundary modes (see ``danvan.stats.lineage``): a current
    unit is its restated node, a unit that ended its as-was node and those of the current units
    that took over its land alone. The mode decides only the breakdown by unit.
    """
    check_mode(mode)
    condition = Q(pk__in=[])
    for part_mode, part_node in territory_parts(area):
        condition |= Q(mode=part_mode, area_id=part_node)
    return _dims(queryset.filter(condition), **scope)


def level_from_rollups(area: Area | None, mode: str) -> bool:
    """Whether the breakdown by unit of ``area`` in ``mode`` is read from the rollups: the
    country, a current unit restated and a unit that ended as it was, where the rows are the
    unit's own children in that mode. Other readings cross schemes and are folded from the
    base tables (``danvan.stats.direct``)."""
    if area is None:
        return True
    if is_current(area):
        return mode == RESTATED
    return mode == AS_WAS and len(territory_parts(area)) == 1


def _level_rows(source, scope: dict, columns: list[str], aggregates: dict, narrow) -> list:
    """Rows of the children of the scope's unit, and rows (``area_id`` None) of what the unit
    holds that no child does: the unit's total minus its children's, group by group."""
    area, mode = scope["area"], scope["mode"]
    check_mode(mode)
    children = Area.objects.filter(parent=area).values("pk")
    own = source.filter(mode=mode, area_id=area.pk if area else NATIONAL)
    below = source.filter(mode=mode, area_id__in=children)
    others = [column for column in columns if column != "area_id"]
    child_rows = _grouped(narrow(_dims(below, **scope)), columns, **aggregates)
    parent_rows = _grouped(narrow(_dims(own, **scope)), others, **aggregates)
    rows = list(child_rows)
    rows += [{**row, "area_id": None} for row in parent_rows]
    rows += [
        {
            **{name: (-(v or 0) if name in aggregates else v) for name, v in row.items()},
            "area_id": None,
        }
        for row in child_rows
    ]
    return rows


def initiative_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    group_by: Sequence[str] = (),
) -> list[dict]:
    """Return initiatives (built / replicated, new / continued, exemplary, registered by the
    reviewer) and what they mobilised, for ``area``'s node (the country when None), grouped by
    ``group_by``.

    Reads only the rollups: one indexed query whatever the size of the ledgers.
    """
    columns = columns_for(group_by, GROUPS)
    names = output_names(group_by)
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year_from,
        "year_to": year_to,
        "field": field,
        "status": status,
    }
    if "level" in group_by and not level_from_rollups(area, mode):
        return initiative_figures_direct(**scope, group_by=group_by)
    aggregates = dict(
        n_all=Sum("initiatives"),
        n_built=Sum("initiatives", filter=Q(replicated=False)),
        n_replicated=Sum("initiatives", filter=Q(replicated=True)),
        n_new=Sum("initiatives", filter=Q(registration_kind=RegistrationKind.NEW)),
        n_continued=Sum("initiatives", filter=Q(registration_kind=RegistrationKind.CONTINUED)),
        n_exemplary=Sum("exemplary"),
        n_registered=Sum("initiatives", filter=Q(status__in=REGISTERED_STATUSES)),
        **{f"s_{m}": Sum(m) for m in LEDGER_MEASURES[:-1]},
    )
    if "level" in group_by:
        rows = _level_rows(InitiativeRollup.objects, scope, columns, aggregates, lambda q: q)
    else:
        rows = _grouped(_scoped(InitiativeRollup.objects, **scope), columns, **aggregates)
    merged = merge(
        columns,
        names,
        rows,
        [
            ("initiatives", "n_all"),
            *((m, f"n_{m}") for m in COUNT_MEASURES[1:]),
            *((m, f"s_{m}") for m in LEDGER_MEASURES[:-1]),
        ],
    )
    return finish(merged, FIGURE_MEASURES)


def _ledger(queryset, scope: dict, columns: list[str], cutoff=None, start=None, level=False):
    def narrow(queryset):
        if cutoff is not None:
            queryset = queryset.filter(
                Q(c_year__lt=cutoff.year) | Q(c_year=cutoff.year, c_month__lte=cutoff.month)
            )
        if start is not None:
            queryset = queryset.filter(
                Q(c_year__gt=start.year) | Q(c_year=start.year, c_month__gte=start.month)
            )
        return queryset

    aggregates = {f"s_{m}": Sum(m) for m in LEDGER_MEASURES}
    if level:
        return _level_rows(queryset, scope, columns, aggregates, narrow)
    return _grouped(narrow(_scoped(queryset, **scope)), columns, **aggregates)


def _grouped(queryset, columns: list[str], **aggregates) -> list[dict]:
    """Return one row per group of ``columns``, or the one total row when there are none
    (``.values()`` without fields would group by every column instead)."""
    if columns:
        return list(queryset.values(*columns).annotate(**aggregates).order_by())
    return [queryset.aggregate(**aggregates)]


def _whole_months(start: datetime.date | None, cutoff: datetime.date | None) -> bool:
    """Whether the period starts on a month's first day and ends on a month's last day."""
    starts_clean = start is None or start.day == 1
    ends_clean = cutoff is None or (cutoff + datetime.timedelta(days=1)).day == 1
    return starts_clean and ends_clean


def contribution_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    start: datetime.date | None = None,
    cutoff: datetime.date | None = None,
    group_by: Sequence[str] = (),
) -> list[dict]:
    """Return contributions by kind, optionally only entries dated from ``start`` up to
    ``cutoff`` (both days included).

    The rollups hold months, so a period of whole months (a round's cut-off of 30 November)
    reads them; a period that starts or ends inside a month is counted from the ledger itself,
    exactly, rather than rounded to the month. ``year_from``/``year_to`` filter the
    initiatives' registration year; group also by ``contribution_year`` / ``contribution_month``.
    """
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year_from,
        "year_to": year_to,
        "field": field,
        "status": status,
    }
    by_month = {"contribution_year", "contribution_month"} & set(group_by)
    if start is None and cutoff is None and not by_month:
        # All-time totals: the initiatives' rows carry them, by every dimension.
        columns = columns_for(group_by, GROUPS)
        source = InitiativeRollup.objects
    elif _whole_months(start, cutoff) and set(group_by) <= set(MONTH_GROUPS):
        columns = columns_for(group_by, MONTH_GROUPS)
        source = ContributionRollup.objects
    else:
        # A day inside a month, or a dimension the monthly table does not keep: exactly,
        # from the ledger.
        return contribution_figures_direct(**scope, start=start, cutoff=cutoff, group_by=group_by)
    level = "level" in group_by
    if level and not level_from_rollups(area, mode):
        return contribution_figures_direct(**scope, start=start, cutoff=cutoff, group_by=group_by)
    rows = _ledger(source, scope, columns, cutoff=cutoff, start=start, level=level)
    merged = merge(columns, output_names(group_by), rows, [(m, f"s_{m}") for m in LEDGER_MEASURES])
    return finish(merged, LEDGER_MEASURES)


def result_figures(
    *, area: Area | None = None, mode: str = AS_WAS, year: int, indicator: Indicator
) -> dict:
    """Return one indicator's figure for ``year`` (of the period's end) under ``area``'s node,
    combined by the indicator's own rule: sum, average, latest or maximum.

    A percentage is never summed (the catalogue forbids a percent indicator with the sum
    rule) and one indicator has one unit, so units never mix.
    """
    check_mode(mode)
    condition = Q(pk__in=[])
    for part_mode, part_node in territory_parts(area):
        condition |= Q(mode=part_mode, area_id=part_node)
    parts = list(ResultRollup.objects.filter(condition, year=year, indicator_id=indicator.pk))
    count = sum(part.count for part in parts)
    value: Decimal | None = None
    if count:
        scale = Decimal(10_000)
        total_e4 = sum(part.total_e4 for part in parts)
        held = [part for part in parts if part.count]
        latest = max(held, key=lambda part: (part.latest_end, part.latest_id))
        if indicator.aggregation == Aggregation.SUM:
            value = Decimal(total_e4) / scale
        elif indicator.aggregation == Aggregation.AVERAGE:
            value = (Decimal(total_e4) / scale / count).quantize(Decimal("0.0001"))
        elif indicator.aggregation == Aggregation.LATEST:
            value = Decimal(latest.latest_e4) / scale
        elif indicator.aggregation == Aggregation.MAX:
            value = Decimal(max(part.max_e4 for part in held)) / scale
    return {
        "indicator": indicator.code,
        "unit": indicator.unit,
        "aggregation": indicator.aggregation,
        "count": count,
        "value": value,
    }


def registering_units(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
) -> int:
    """Count the distinct organisations that registered initiatives in scope.

    A distinct count does not add up across rollup rows (one unit registers in several years
    and fields), so it is read from the initiatives, narrowed by the indexed year and area
    filters: the units of the territory come from the ``AreaNode`` cache.
    """
    check_mode(mode)
    initiatives = Initiative.objects.filter(_initiatives_in(area=area, mode=mode))
    if year_from is not None:
        initiatives = initiatives.filter(year__gte=year_from)
    if year_to is not None:
        initiatives = initiatives.filter(year__lte=year_to)
    if (fields := as_list(field)) is not None:
        initiatives = initiatives.filter(field__in=fields)
    if (statuses := as_list(status)) is not None:
        initiatives = initiatives.filter(status__in=statuses)
    return initiatives.values("organisation_id").distinct().count()


def _initiatives_in(*, area: Area | None, mode: str, prefix: str = "") -> Q:
    """Return a filter for the initiatives in ``area``'s territory (the same in both modes)."""
    return territory_q(area, prefix)


def award_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> list[dict]:
    """Return, per award stage and level, how many awards there are and how many distinct
    initiatives hold one ("recognised at province level", "nominated", "commended").

    Awards are few beside the ledgers (a few per hundred initiatives) and a distinct count
    does not add up across rollup rows, so they are counted from the awards themselves,
    narrowed by the initiatives' indexed year and unit.
    """
    from danvan.review.models import Award

    check_mode(mode)
    awards = Award.objects.filter(_initiatives_in(area=area, mode=mode, prefix="initiative__"))
    if year_from is not None:
        awards = awards.filter(initiative__year__gte=year_from)
    if year_to is not None:
        awards = awards.filter(initiative__year__lte=year_to)
    if (fields := as_list(field)) is not None:
        awards = awards.filter(initiative__field__in=fields)
    rows = (
        awards.values("stage", "level")
        .annotate(awards=Count("id"), initiatives=Count("initiative_id", distinct=True))
        .order_by("stage", "level")
    )
    return [dict(row) for row in rows]


def recognised_initiatives(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
) -> int:
    """Count the distinct initiatives in scope holding an award at one of ``stages``; by
    default recognised, nominated to the next level or commended, i.e. the initiatives
    recognised at some level ("32 models were recognised").

    ``award_figures`` counts initiatives per stage and level, and one initiative recognised at
    two levels is in two of its rows, so its rows do not add up to this: it is counted here,
    once, with the same scope as ``award_figures``.
    """
    from danvan.review.models import Award, AwardStage

    check_mode(mode)
    if stages is None:
        stages = (AwardStage.RECOGNISED, AwardStage.NOMINATED, AwardStage.COMMENDED)
    awards = Award.objects.filter(
        _initiatives_in(area=area, mode=mode, prefix="initiative__"), stage__in=list(stages)
    )
    if year_from is not None:
        awards = awards.filter(initiative__year__gte=year_from)
    if year_to is not None:
        awards = awards.filter(initiative__year__lte=year_to)
    if (fields := as_list(field)) is not None:
        awards = awards.filter(initiative__field__in=fields)
    return awards.order_by().values("initiative_id").distinct().count()


def round_scope(*, round) -> dict:
    """Return the scope a registration round stands for: its unit, its year, and its cut-off
    date (contributions counted up to that day)."""
    return {
        "area": round.area,
        "year_from": round.year,
        "year_to": round.year,
        "cutoff": round.cutoff_on,
    }


def cumulative_since(
    year: int,
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    group_by: Sequence[str] = ("field",),
) -> dict:
    """Return the totals since ``year`` ("since 2013 … built and replicated 19,300 models")
    and their breakdown by ``group_by`` (by field, as the reports give it).

    Counts are of models, not registrations: a model continued from year to year is
    registered each year and counted once, under its first registration in the period (so
    built + replicated is the distinct count, and the rows add up to the total). Read from the
    base tables: a distinct count does not add up across rollup rows.
    """
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year,
        "year_to": year_to,
        "field": field,
        "status": status,
        "distinct_models": True,
    }
    [total] = initiative_figures_direct(**scope) or [dict.fromkeys(FIGURE_MEASURES, 0)]
    return {
        "since": year,
        "total": total,
        "rows": initiative_figures_direct(**scope, group_by=group_by),
    }
