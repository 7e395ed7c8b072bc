"""Keep the rollup tables in step with every write, inside the writing transaction.

The services call these functions explicitly (no signals): a figure is never stale and a
failed write leaves no trace in the rollups. Changes to an initiative are handled one way:
``capture`` its facts before the write, ``settle`` after it — the difference (old key minus,
new key plus, for its count, its contributions and, when it moved, its results) is upserted.
Every upsert increments (``x = x + excluded.x``), so concurrent writers on PostgreSQL never
lose each other's counts; the initiative's row is locked first so two moves of one initiative
cannot both subtract the same old key.

Totals cannot overflow. The rollup columns are signed 64-bit integers; past their range
PostgreSQL refuses every later write to the row (``bigint out of range``) and SQLite silently
turns the sum into an inexact float. Widening the columns would not help SQLite, whose
integers are 64-bit whatever the declared type, nor the sums the dashboards run over them. So
before a new entry or result is written, the national total of each measure it adds to (for a
result, its indicator's total in 10⁻⁴ units) is read, and the entry is refused with a
``ValidationError`` on its field, writing nothing, when the total would pass
``ROLLUP_CEILING`` (half the column's range, see ``danvan.core.limits``). Every other row, and
every sum a selector or the full rebuild runs, holds part of that national total: an
initiative's ledger never sums below zero, so no part can be larger than the whole. The check
reads a few hundred national rows, once per write or per imported chunk; a move of an
initiative between keys (``settle``) leaves the national totals as they were and is not
checked. Two writers passing the check at the same moment add at most twice the headroom,
still inside the column.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from danvan.core.formats import format_number
from danvan.core.limits import ROLLUP_CEILING
from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.stats.models import MODES, NATIONAL, AreaNode, InitiativeRollup, ResultRollup
from danvan.stats.nodes import ensure_area_nodes, nodes_of

DIMS = ("year", "field", "status", "registration_kind", "replicated", "org_kind")
# The ledger table keeps only these of the initiative's dimensions (positions in DIMS).
MONTH_DIMS = ("year", "field", "status")
_MONTH_INDEX = [DIMS.index(name) for name in MONTH_DIMS]
MEASURES = ("money", "land", "labour", "in_kind", "contributors", "entries")
COUNTS = ("initiatives", "exemplary", *MEASURES)
KIND_INDEX = {"money": 0, "land": 1, "labour": 2, "in_kind": 3}
INITIATIVE_TABLE = "stats_initiativerollup"
CONTRIBUTION_TABLE = "stats_contributionrollup"
RESULT_TABLE = "stats_resultrollup"


@dataclass
class Facts:
    """What one initiative adds to the rollups: its key, whether it is exemplary, and its
    ledger by (year, month)."""

    area_id: int
    dims: tuple
    exemplary: bool = False
    ledger: dict[tuple[int, int], list[int]] = field(default_factory=dict)


@dataclass
class Snapshot:
    """The facts of some initiatives before a write."""

    ids: list[int]
    facts: dict[int, Facts]


def scaled(value) -> int:
    """Return a result value (four decimals) as an exact integer of 10⁻⁴ units."""
    return int((Decimal(value) * 10_000).to_integral_value())


def _initiative_facts(ids: list[int], *, ledger: bool = True, lock: bool = True):
    """Read (and lock) the initiatives' keys, and their ledgers grouped by year and month."""
    queryset = Initiative.objects.filter(pk__in=ids).order_by("pk")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    columns = (
        "pk",
        "area_id",
        "year",
        "field",
        "status",
        "registration_kind",
        "replicated_from_id",
        "exemplary",
        "organisation__kind",
    )
    facts = {
        pk: Facts(area_id, (year, fld, status, kind, replicated is not None, org), exemplary)
        for pk, area_id, year, fld, status, kind, replicated, exemplary, org in (
            queryset.values_list(*columns)
        )
    }
    if ledger and facts:
        rows = (
            Contribution.objects.filter(initiative_id__in=list(facts))
            .values("initiative_id", "kind", y=ExtractYear("date"), m=ExtractMonth("date"))
            .annotate(
                amount=Sum("amount"),
                people=Sum("contributors"),
                entries=Count("id", filter=Q(corrects__isnull=True)),
            )
            .order_by()
        )
        for row in rows:
            measures = facts[row["initiative_id"]].ledger.setdefault(
                (row["y"], row["m"]), [0] * len(MEASURES)
            )
            measures[KIND_INDEX[row["kind"]]] += row["amount"] or 0
            measures[4] += row["people"] or 0
            measures[5] += row["entries"]
    return facts


def _rows(facts: dict[int, Facts], sign: int, into: tuple[dict, dict], *, count=True) -> None:
    """Add ``sign`` × the facts to the per-key deltas of the two rollups (``count=False``
    adds only the ledger, for a new entry of an initiative already counted)."""
    counts, months = into
    nodes = nodes_of({fact.area_id for fact in facts.values()})
    for fact in facts.values():
        totals = [0] * len(MEASURES)
        for measures in fact.ledger.values():
            for index, value in enumerate(measures):
                totals[index] += value
        head = [sign, sign * fact.exemplary] if count else [0, 0]
        row = [*head, *(sign * value for value in totals)]
        month_dims = tuple(fact.dims[index] for index in _MONTH_INDEX)
        for mode in MODES:
            for node in nodes[fact.area_id][mode]:
                total = counts[(mode, node, *fact.dims)]
                for index, value in enumerate(row):
                    total[index] += value
                for (year, month), measures in fact.ledger.items():
                    total = months[(mode, node, *month_dims, year, month)]
                    for index, value in enumerate(measures):
                        total[index] += sign * value


def _upsert(table: str, keys: tuple[str, ...], measures: tuple[str, ...], rows: list) -> None:
    """Add each row's measures to its key's row, creating it when missing (one statement per
    chunk; rows sorted so concurrent writers lock rows in the same order)."""
    if not rows:
        return
    columns = (*keys, *measures)
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    rows = sorted(rows, key=lambda row: tuple(str(v) for v in row[: len(keys)]))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"{', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                [value for row in chunk for value in row],
            )


def _apply(counts: dict, months: dict) -> None:
    _upsert(
        INITIATIVE_TABLE,
        ("mode", "area_id", *DIMS),
        COUNTS,
        [(*key, *measures) for key, measures in counts.items() if any(measures)],
    )
    _upsert(
        CONTRIBUTION_TABLE,
        ("mode", "area_id", *MONTH_DIMS, "c_year", "c_month"),
        MEASURES,
        [(*key, *measures) for key, measures in months.items() if any(measures)],
    )


def _deltas() -> tuple[dict, dict]:
    return defaultdict(lambda: [0] * len(COUNTS)), defaultdict(lambda: [0] * len(MEASURES))


def capture(ids) -> Snapshot:
    """Lock the initiatives and remember their facts before a write that may change them."""
    ids = [pk for pk in ids if pk is not None]
    return Snapshot(ids, _initiative_facts(ids))


def settle(snapshot: Snapshot) -> None:
    """Move the captured initiatives' figures from their old keys to their keys now.

    A deleted initiative has no key now, a created one had none before. Results move only
    when the unit changed, and then only between the nodes the move actually leaves or joins.
    """
    after = _initiative_facts(snapshot.ids, lock=False)
    deltas = _deltas()
    _rows(snapshot.facts, -1, deltas)
    _rows(after, +1, deltas)
    _apply(*deltas)
    moved = {
        pk: (fact.area_id, after[pk].area_id)
        for pk, fact in snapshot.facts.items()
        if pk in after and after[pk].area_id != fact.area_id
    }
    if moved:
        _move_results(moved)


def initiative_created(initiative: Initiative) -> None:
    """Count a new initiative."""
    settle(Snapshot([initiative.pk], {}))


def _too_large(field: str, ceiling: int) -> ValidationError:
    return ValidationError(
        {
            field: ValidationError(
                _(
                    "This would carry the national total past %(limit)s, the most the "
                    "statistics can hold. Check the figure; if it is right, ask the system's "
                    "administrators."
                )
                % {"limit": format_number(ceiling)},
                code="total_too_large",
            )
        }
    )


def _national_ledger_totals() -> list[int]:
    """The national total of each ledger measure (the larger of the two modes' totals)."""
    rows = (
        InitiativeRollup.objects.filter(area_id=NATIONAL)
        .values("mode")
        .annotate(**{name: Sum(name) for name in MEASURES[:5]})
        .order_by()
    )
    totals = [0] * 5
    for row in rows:
        for index, name in enumerate(MEASURES[:5]):
            totals[index] = max(totals[index], row[name] or 0)
    return totals


def contribution_headroom(entries) -> dict[int, ValidationError]:
    """Return, by position, the entries that would carry a national total past the ceiling.

    The entries are added in their order, so in a batch the first one too many is named (and
    every later one that still does not fit).
    """
    entries = list(entries)
    if not entries:
        return {}
    totals = _national_ledger_totals()
    errors = {}
    for position, entry in enumerate(entries):
        index = KIND_INDEX[entry.kind]
        amount, people = totals[index] + entry.amount, totals[4] + entry.contributors
        if amount > ROLLUP_CEILING:
            errors[position] = _too_large("amount", ROLLUP_CEILING)
        elif people > ROLLUP_CEILING:
            errors[position] = _too_large("contributors", ROLLUP_CEILING)
        else:
            totals[index], totals[4] = amount, people
    return errors


def _require_contribution_headroom(entries) -> None:
    errors = contribution_headroom(entries)
    if errors:
        raise errors[min(errors)]


def contribution_recorded(entry: Contribution) -> None:
    """Add one ledger entry (an original or a correction) under its initiative's key.

    The initiative's row is locked (a concurrent move must not carry the ledger without this
    entry, nor this entry land under the key it just left). An entry that would carry a
    national total past the ceiling is refused before any rollup row is touched.
    """
    facts = _initiative_facts([entry.initiative_id], ledger=False)
    _require_contribution_headroom([entry])
    measures = [0] * len(MEASURES)
    measures[KIND_INDEX[entry.kind]] = entry.amount
    measures[4] = entry.contributors
    measures[5] = 0 if entry.corrects_id else 1
    facts[entry.initiative_id].ledger[(entry.date.year, entry.date.month)] = measures
    deltas = _deltas()
    _rows(facts, +1, deltas, count=False)
    _apply(*deltas)


def contributions_recorded(entries) -> None:
    """Add many ledger entries at once: the deltas of all of them, applied in the chunked
    upserts (the same arithmetic as ``contribution_recorded``, one pass for a whole batch)."""
    entries = list(entries)
    if not entries:
        return
    facts = _initiative_facts(sorted({entry.initiative_id for entry in entries}), ledger=False)
    _require_contribution_headroom(entries)
    for entry in entries:
        measures = facts[entry.initiative_id].ledger.setdefault(
            (entry.date.year, entry.date.month), [0] * len(MEASURES)
        )
        measures[KIND_INDEX[entry.kind]] += entry.amount
        measures[4] += entry.contributors
        measures[5] += 0 if entry.corrects_id else 1
    deltas = _deltas()
    _rows(facts, +1, deltas, count=False)
    _apply(*deltas)


# --- results -----------------------------------------------------------------------------


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


def _add_results(facts: list[ResultFact], nodes: dict[tuple[int, str], list[int]]) -> None:
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


def _remove_results(facts: list[ResultFact], nodes: dict[tuple[int, str], list[int]]) -> None:
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


def _nodes_by_area(area_ids) -> dict[tuple[int, str], list[int]]:
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
            errors[position] = _too_large("value", ROLLUP_CEILING // 10_000)
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
    _add_results([fact], _nodes_by_area([fact.area_id]))


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
    _add_results(facts, _nodes_by_area(set(areas.values())))


def result_removed(fact: ResultFact) -> None:
    """Take out a deleted result (``fact`` captured before the delete)."""
    _remove_results([fact], _nodes_by_area([fact.area_id]))


def _move_results(moved: dict[int, tuple[int, int]]) -> None:
    """Carry the results of initiatives that changed unit, between the nodes that differ."""
    nodes = _nodes_by_area({area for pair in moved.values() for area in pair})
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
        _remove_results([ResultFact.of(r, old_area) for r in results], leave)
        _add_results([ResultFact.of(r, new_area) for r in results], join)


# --- the tree changed ------------------------------------------------------------------------


def areas_changed(area_ids) -> None:
    """Re-file the figures recorded on units whose place in the tree or whose successors
    changed (a unit moved, closed, or given a successor), inside the writing transaction.

    The ``AreaNode`` rows of those units are recomputed; their initiatives' figures leave the
    nodes they were counted under and join the new ones (counts and ledgers by difference,
    results between the nodes that differ), so a moved village is counted under its new
    commune the moment it moves, with no rebuild.
    """
    cached = set(
        AreaNode.objects.filter(area_id__in=set(area_ids)).values_list("area_id", flat=True)
    )
    if not cached:
        return
    ids = list(Initiative.objects.filter(area_id__in=cached).values_list("pk", flat=True))
    facts = _initiative_facts(ids)
    before = _nodes_by_area(cached)
    deltas = _deltas()
    _rows(facts, -1, deltas)
    AreaNode.objects.filter(area_id__in=cached).delete()
    ensure_area_nodes(cached)
    after = _nodes_by_area(cached)
    _rows(facts, +1, deltas)
    _apply(*deltas)
    results = list(Result.objects.filter(initiative_id__in=ids).select_related(None))
    if not results:
        return
    area_of = {pk: fact.area_id for pk, fact in facts.items()}
    leave = {key: [n for n in nodes if n not in after[key]] for key, nodes in before.items()}
    join = {key: [n for n in nodes if n not in before[key]] for key, nodes in after.items()}
    removed = [ResultFact.of(r, area_of[r.initiative_id]) for r in results]
    _remove_results(removed, leave)
    _add_results(removed, join)
