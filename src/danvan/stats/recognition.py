"""Recognition figures as the commissions publish them: per level, how many models were
proposed and recognised ("612 mô hình được công nhận cấp huyện, 35 mô hình được đề nghị cấp
tỉnh, 19 mô hình được công nhận cấp tỉnh"), how many collectives and individuals were honoured
("15 tập thể và 7 cá nhân"), the recognised models by kind of organisation, and the evaluation
grades per level ("1.530 mô hình được đánh giá hiệu quả").

The words are the reports':
- *proposed at a level*: a model holding an award to its collective at that level, at any
  stage (proposed there, or nominated up from the level below);
- *recognised at a level*: such an award past its decision (recognised, then perhaps nominated
  further or commended);
- *proposed upward*: a model recognised at a level and nominated to the next;
- *collectives*: the distinct organisations of the models recognised; *individuals*: the
  awards to persons recognised at the level, one per person and initiative.

Everything is read from the recognition rollups, kept write by write
(``danvan.stats.recognition_rollups``): the counts of models and awards add up across the
rows of a territory's nodes, years, fields and kinds of organisation (``AwardRollup``,
``GradeRollup``). The collectives are a distinct count of organisations, which does not: a
node's count for one year or all years, of one field or all, is one ``CollectiveCountRollup``
row; a range of years, several fields, or a unit that ended read the organisations' own rows
(``CollectiveRollup``) and count them once. ``danvan.stats.recognition_direct`` computes the
same figures from the awards and evaluations.
"""

import operator
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce

from django.db.models import Count, F, Q, Sum
from django.db.models.lookups import GreaterThan

from danvan.areas.models import Area
from danvan.initiatives.catalogues import Field
from danvan.stats.lineage import territory_parts
from danvan.stats.models import (
    ALL_YEARS,
    ANY_LEVEL,
    AS_WAS,
    AWARD_MEASURES,
    AWARD_STAGES,
    EVERY,
    RECOGNITION_LEVELS,
    AwardRollup,
    CollectiveCountRollup,
    CollectiveRollup,
    GradeRollup,
    collective_column,
)
from danvan.stats.shape import as_list, check_mode

LEVEL_MEASURES = (
    "proposed",
    "recognised",
    "nominated",
    "commended",
    "collectives",
    "individuals_proposed",
    "individuals",
)
# An award past its decision: recognised, then perhaps nominated further or commended.
DECIDED = ("recognised", "nominated", "commended")
_BITS = {stage: 1 << index for index, stage in enumerate(AWARD_STAGES)}
_ORDER = {level: index for index, level in enumerate(RECOGNITION_LEVELS)}


def _territory(area: Area | None, mode: str) -> tuple[list[tuple[str, int]], Q]:
    """The nodes whose rows add up to ``area``'s territory (the same in both modes), and the
    filter of their rows."""
    check_mode(mode)
    parts = territory_parts(area)
    condition = Q(pk__in=[])
    for part_mode, node in parts:
        condition |= Q(mode=part_mode, area_id=node)
    return parts, condition


def _rows(model, *, area, mode, year_from, year_to, field):
    """The rollup rows of ``model`` in scope: the territory's nodes, the years, the fields."""
    _parts, condition = _territory(area, mode)
    rows = model.objects.filter(condition)
    if year_from is not None:
        rows = rows.filter(year__gte=year_from)
    if year_to is not None:
        rows = rows.filter(year__lte=year_to)
    if (fields := as_list(field)) is not None:
        rows = rows.filter(field__in=fields)
    return rows


def _collectives(*, area, mode, year_from, year_to, field) -> dict[str, int]:
    """The distinct organisations recognised at each level and at some level (``EVERY``).

    A single node (the country, a current unit, a unit that ended with no later units) for one
    year or all years, of one field or all, is its ``CollectiveCountRollup`` row. Otherwise an
    organisation may be under two nodes, in two years or fields, so the organisations' rows
    are counted once each, in one query (a province's few hundred; a national range of years
    reads one row per organisation recognised in those years).
    """
    parts, condition = _territory(area, mode)
    levels = (*RECOGNITION_LEVELS, EVERY)
    fields = as_list(field)
    if fields is not None:
        if not fields:
            return dict.fromkeys(levels, 0)
        fields = None if set(Field.values) <= set(fields) else sorted(set(fields))
    one_year = year_from == year_to  # both None: every year
    year = ALL_YEARS if year_from is None else year_from
    if len(parts) == 1 and one_year and (fields is None or len(fields) == 1):
        [(part_mode, node)] = parts
        column = {level: collective_column(level, (fields or [EVERY])[0]) for level in levels}
        row = (
            CollectiveCountRollup.objects.filter(mode=part_mode, area_id=node, year=year)
            .values(*column.values())
            .first()
        ) or {}
        return {level: row.get(name) or 0 for level, name in column.items()}
    rows = CollectiveRollup.objects.filter(condition)
    if one_year:
        rows = rows.filter(year=year)
    else:
        rows = rows.exclude(year=ALL_YEARS)
        if year_from is not None:
            rows = rows.filter(year__gte=year_from)
        if year_to is not None:
            rows = rows.filter(year__lte=year_to)
    held = {
        level: reduce(operator.add, (F(collective_column(level, one)) for one in fields or [EVERY]))
        for level in levels
    }
    counted = rows.aggregate(
        **{
            level: Count("organisation_id", distinct=True, filter=GreaterThan(held[level], 0))
            for level in levels
        }
    )
    return {level: counted[level] or 0 for level in levels}


def recognition_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> dict:
    """Return the recognition of the initiatives in scope, level by level (lowest first).

    ``levels``: one row per recognition level with an award, holding ``LEVEL_MEASURES``;
    ``totals``: models recognised at some level, collectives and individuals recognised at some
    level (distinct, so not the sum of the rows); ``by_org_kind``: per kind of organisation and
    level, the models recognised. Two queries (a third for the collectives of a unit that
    ended).
    """
    scope = {"area": area, "mode": mode, "year_from": year_from, "year_to": year_to}
    rows = (
        _rows(AwardRollup, **scope, field=field)
        .values("level", "org_kind")
        .annotate(**{name: Sum(name) for name in AWARD_MEASURES})
        .order_by()
    )
    by_level: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AWARD_MEASURES, 0))
    kinds: dict[tuple[str, str], int] = {}
    for row in rows:
        summed = by_level[row["level"]]
        for name in AWARD_MEASURES:
            summed[name] += int(row[name] or 0)
        if row["level"] != ANY_LEVEL and row["recognised"]:
            key = (row["org_kind"], row["level"])
            kinds[key] = kinds.get(key, 0) + int(row["recognised"])
    collectives = _collectives(**scope, field=field)
    levels = []
    for level in RECOGNITION_LEVELS:
        summed = by_level.get(level)
        if summed is None or not any(summed[f"awards_{stage}"] for stage in AWARD_STAGES):
            continue
        levels.append(
            {
                "level": level,
                **{
                    name: collectives[level] if name == "collectives" else summed[name]
                    for name in LEVEL_MEASURES
                },
            }
        )
    every = by_level.get(ANY_LEVEL, dict.fromkeys(AWARD_MEASURES, 0))
    totals = {
        "recognised": every["recognised"],
        "collectives": collectives[EVERY],
        "individuals": every["individuals"],
    }
    by_org_kind = sorted(
        (
            {"org_kind": org_kind, "level": level, "recognised": recognised}
            for (org_kind, level), recognised in kinds.items()
            if recognised
        ),
        key=lambda row: (row["org_kind"], _ORDER.get(row["level"], 99)),
    )
    return {"levels": levels, "totals": totals, "by_org_kind": by_org_kind}


def grade_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> list[dict]:
    """Return, per level and grade, the models whose latest evaluation at that level earned it
    ("1.530 mô hình được đánh giá hiệu quả"), lowest level first, then the grade's count.

    A model evaluated again at the same level counts under its latest grade only; evaluations
    recorded before levels were kept come under a blank level.
    """
    rows = (
        _rows(GradeRollup, area=area, mode=mode, year_from=year_from, year_to=year_to, field=field)
        .values("level", "grade")
        .annotate(initiatives=Sum("initiatives"))
        .order_by()
    )
    return sorted(
        (
            {"level": row["level"], "grade": row["grade"], "initiatives": int(row["initiatives"])}
            for row in rows
            if row["initiatives"]
        ),
        key=lambda row: (_ORDER.get(row["level"], 99), -row["initiatives"], row["grade"]),
    )


def award_figures(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
) -> list[dict]:
    """Return, per award stage and level, how many awards there are and how many distinct
    initiatives hold one, ordered by stage then level (``selectors.award_figures``)."""
    measures = [f"{kind}_{stage}" for kind in ("awards", "held") for stage in AWARD_STAGES]
    rows = (
        _rows(AwardRollup, area=area, mode=mode, year_from=year_from, year_to=year_to, field=field)
        .exclude(level=ANY_LEVEL)
        .values("level")
        .annotate(**{name: Sum(name) for name in measures})
        .order_by()
    )
    found = [
        {
            "stage": stage,
            "level": row["level"],
            "awards": int(row[f"awards_{stage}"]),
            "initiatives": int(row[f"held_{stage}"]),
        }
        for row in rows
        for stage in AWARD_STAGES
        if row[f"awards_{stage}"]
    ]
    return sorted(found, key=lambda row: (row["stage"], row["level"]))


def recognised_initiatives(
    *,
    area: Area | None = None,
    mode: str = AS_WAS,
    year_from: int | None = None,
    year_to: int | None = None,
    field: str | Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
) -> int:
    """Count the distinct initiatives in scope holding an award at one of ``stages`` (by
    default past its decision), at any level (``selectors.recognised_initiatives``): the
    any-level rows whose stages meet them."""
    wanted = 0
    for stage in DECIDED if stages is None else stages:
        wanted |= _BITS.get(str(stage), 0)
    held = [stages for stages in range(1, 1 << len(AWARD_STAGES)) if stages & wanted]
    if not held:
        check_mode(mode)
        return 0
    total = (
        _rows(AwardRollup, area=area, mode=mode, year_from=year_from, year_to=year_to, field=field)
        .filter(level=ANY_LEVEL, stages__in=held)
        .aggregate(initiatives=Sum("initiatives"))["initiatives"]
    )
    return int(total or 0)
