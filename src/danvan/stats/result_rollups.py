"""Results in the rollups: sums, counts, the maximum and the latest value of each indicator,
per node, kept in step as results are recorded, removed or carried by an initiative's move.

Part of ``danvan.stats.rollups``, which the domain's changes reach through ``core.upkeep``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from danvan.core.limits import ROLLUP_CEILING
from danvan.initiatives.models import Initiative, Result
from danvan.stats.models import MODES, NATIONAL, AreaNode, ResultRollup
from danvan.stats.nodes import nodes_of
from danvan.stats.rollups_base import RESULT_TABLE, scaled, too_large, upsert


@dataclass(frozen=True)
class ResultFact:
    """The part of a result the rollup holds, kept so it can be removed after a delete."""

    id: int
    area_id: int
    indicator_id: int
    period_end: object
    value_e4: int

    @classmethod
    def of(cls, result: Result, area_id: int | None = None) -> "ResultFact":
        if area_id is None:
            area_id = Initiative.objects.values_list("area_id", flat=True).get(
                pk=result.initiative_id
            )
        return cls(result.pk, area_id, result.indicator_id, result.period_end, scaled(result.value))


def add_results(facts: list[ResultFact], nodes: dict[tuple[int, str], list[int]]) -> None:
    """Upsert results; the maximum and the latest are merged with a CASE, sums incremented."""
    if not facts:
        return
    t = RESULT_TABLE
    newer = (
        f"({t}.latest_end IS NULL OR excluded.latest_end > {t}.latest_end OR "
        f"(excluded.latest_end = {t}.latest_end AND excluded.latest_id > {t}.latest_id))"
    )
    sql = (
        f"INSERT INTO {t} (mode, area_id, year, indicator_id, total_e4, count, max_e4, "
        "latest_end, latest_id, latest_e4) VALUES (%s, %s, %s, %s, %s, 1, %s, %s, %s, %s) "
        "ON CONFLICT (mode, area_id, year, indicator_id) DO UPDATE SET "
        f"total_e4 = {t}.total_e4 + excluded.total_e4, count = {t}.count + 1, "
        f"max_e4 = CASE WHEN {t}.max_e4 IS NULL OR excluded.max_e4 > {t}.max_e4 "
        f"THEN excluded.max_e4 ELSE {t}.max_e4 END, "
        f"latest_e4 = CASE WHEN {newer} THEN excluded.latest_e4 ELSE {t}.latest_e4 END, "
        f"latest_id = CASE WHEN {newer} THEN excluded.latest_id ELSE {t}.latest_id END, "
        f"latest_end = CASE WHEN {newer} THEN excluded.latest_end ELSE {t}.latest_end END"
    )
    adapt = connection.ops.adapt_datefield_value
    params = []
    for fact in facts:
        for mode in MODES:
            for node in nodes[(fact.area_id, mode)]:
                params.append(
                    (
                        mode,
                        node,
                        fact.period_end.year,
                        fact.indicator_id,
                        fact.value_e4,
                        fact.value_e4,
                        adapt(fact.period_end),
                        fact.id,
                        fact.value_e4,
                    )
                )
    params.sort(key=lambda row: (row[0], row[1], row[2], row[3]))
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def remove_results(facts: list[ResultFact], nodes: dict[tuple[int, str], list[int]]) -> None:
    """Subtract results; recompute the maximum or latest only where a removed result held it."""
    stale: set[tuple] = set()
    for fact in facts:
        for mode in MODES:
            for node in nodes[(fact.area_id, mode)]:
                key = {
                    "mode": mode,
                    "area_id": node,
                    "year": fact.period_end.year,
                    "indicator_id": fact.indicator_id,
                }
                row = ResultRollup.objects.select_for_update().filter(**key).first()
                if row is None:
                    continue
                row.total_e4 -= fact.value_e4
                row.count -= 1
                row.save(update_fields=["total_e4", "count"])
                if row.max_e4 == fact.value_e4 or row.latest_id == fact.id:
                    stale.add(tuple(key.values()))
    for key in sorted(stale):
        _recompute_extremes(*key)


def _recompute_extremes(mode: str, node: int, year: int, indicator_id: int) -> None:
    """Recompute one row's maximum and latest value from the results under its node."""
    results = Result.objects.filter(indicator_id=indicator_id, period_end__year=year)
    if node != NATIONAL:
        areas = AreaNode.objects.filter(mode=mode, node_id=node).values("area_id")
        results = results.filter(initiative__area_id__in=areas)
    maximum = results.order_by("-value").values_list("value", flat=True).first()
    latest = results.order_by("-period_end", "-id").values_list("id", "period_end", "value")
    latest = latest.first()
    ResultRollup.objects.filter(
        mode=mode, area_id=node, year=year, indicator_id=indicator_id
    ).update(
        max_e4=None if maximum is None else scaled(maximum),
        latest_id=latest[0] if latest else None,
        latest_end=latest[1] if latest else None,
        latest_e4=scaled(latest[2]) if latest else None,
    )


def nodes_by_area(area_ids) -> dict[tuple[int, str], list[int]]:
    found = nodes_of(area_ids)
    return {(pk, mode): nodes for pk, by_mode in found.items() for mode, nodes in by_mode.items()}


def result_headroom(results) -> dict[int, ValidationError]:
    """Return, by position, the results that would carry their indicator's national total
    (in 10⁻⁴ units) past the ceiling."""
    results = list(results)
    if not results:
        return {}
    rows = (
        ResultRollup.objects.filter(
            area_id=NATIONAL, indicator_id__in={result.indicator_id for result in results}
        )
        .values_list("indicator_id", "mode")
        .annotate(total=Sum("total_e4"))
        .order_by()
    )
    totals: dict[int, int] = defaultdict(int)
    for indicator_id, _mode, total in rows:
        totals[indicator_id] = max(totals[indicator_id], total or 0)
    errors = {}
    for position, result in enumerate(results):
        total = totals[result.indicator_id] + scaled(result.value)
        if total > ROLLUP_CEILING:
            errors[position] = too_large("value", ROLLUP_CEILING // 10_000)
        else:
            totals[result.indicator_id] = total
    return errors


def _require_result_headroom(results) -> None:
    errors = result_headroom(results)
    if errors:
        raise errors[min(errors)]


def result_recorded(result: Result) -> None:
    """Add a new result under its initiative's nodes (refused when its indicator's national
    total would pass the ceiling)."""
    _require_result_headroom([result])
    fact = ResultFact.of(result)
    add_results([fact], nodes_by_area([fact.area_id]))


def results_recorded(results) -> None:
    """Add many new results under their initiatives' nodes (one read of their units)."""
    results = list(results)
    if not results:
        return
    _require_result_headroom(results)
    areas = dict(
        Initiative.objects.filter(pk__in={result.initiative_id for result in results})
        .values_list("pk", "area_id")
        .order_by()
    )
    facts = [ResultFact.of(result, areas[result.initiative_id]) for result in results]
    add_results(facts, nodes_by_area(set(areas.values())))


def result_removed(fact: ResultFact) -> None:
    """Take out a deleted result (``fact`` captured before the delete)."""
    remove_results([fact], nodes_by_area([fact.area_id]))


def results_removed(facts: list[ResultFact]) -> None:
    """Take out many deleted results at once (``facts`` captured before the delete): each
    row's total and count move once, in the chunked upsert; the maximum or latest is
    recomputed only where a removed result held it."""
    if not facts:
        return
    nodes = nodes_by_area({fact.area_id for fact in facts})
    moves: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, set(), set()])
    for fact in facts:
        for mode in MODES:
            for node in nodes[(fact.area_id, mode)]:
                move = moves[(mode, node, fact.period_end.year, fact.indicator_id)]
                move[0] -= fact.value_e4
                move[1] -= 1
                move[2].add(fact.value_e4)
                move[3].add(fact.id)
    rows = ResultRollup.objects.filter(
        indicator_id__in={key[3] for key in moves}, year__in={key[2] for key in moves}
    ).values_list("pk", "mode", "area_id", "year", "indicator_id", "count", "max_e4", "latest_id")
    found, emptied, stale = [], [], []
    for pk, *key, count, max_e4, latest_id in rows.order_by():
        move = moves.get(tuple(key))
        if move is None:
            continue  # a row no removed result was counted in
        found.append((*key, move[0], move[1]))
        if count + move[1] == 0:
            emptied.append(pk)  # no result left under it: no maximum, no latest
        elif max_e4 in move[2] or latest_id in move[3]:
            stale.append(tuple(key))
    upsert(RESULT_TABLE, ("mode", "area_id", "year", "indicator_id"), ("total_e4", "count"), found)
    for start in range(0, len(emptied), 500):
        ResultRollup.objects.filter(pk__in=emptied[start : start + 500]).update(
            max_e4=None, latest_id=None, latest_end=None, latest_e4=None
        )
    for key in sorted(stale):
        _recompute_extremes(*key)


def move_results(moved: dict[int, tuple[int, int]]) -> None:
    """Carry the results of initiatives that changed unit, between the nodes that differ."""
    nodes = nodes_by_area({area for pair in moved.values() for area in pair})
    for pk, (old_area, new_area) in moved.items():
        results = list(Result.objects.filter(initiative_id=pk))
        if not results:
            continue
        leave: dict[tuple[int, str], list[int]] = {}
        join: dict[tuple[int, str], list[int]] = {}
        for mode in MODES:
            old, new = nodes[(old_area, mode)], nodes[(new_area, mode)]
            leave[(old_area, mode)] = [n for n in old if n not in new]
            join[(new_area, mode)] = [n for n in new if n not in old]
        remove_results([ResultFact.of(r, old_area) for r in results], leave)
        add_results([ResultFact.of(r, new_area) for r in results], join)
