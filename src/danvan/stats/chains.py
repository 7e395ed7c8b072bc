"""Models, not registrations, since a year: "since 2013 … built and replicated N models",
read from ``ChainRollup``.

A model continued from year to year is registered every year and is one model, counted under
its first registration in scope: a registration counts when it is in scope and its
predecessor is not. ``ChainRollup`` keeps, per node, the predecessor's year, field and status
when its unit is under the node, so the scope's test is a condition on the row's key and the
count adds up over rows. Exemplary and registered models are the chains with an exemplary, or
registered, registration in scope: an exemplary registration counts unless its predecessor is
exemplary and in scope (``exemplary_chained``), a registered one unless its predecessor is
registered and in scope.

What the rollups answer this way:

* a territory of one node (the country, a current unit, a unit that ended with no later
  units): the node's rows;
* a unit that ended whose land current units took over (several nodes): each node's rows,
  less the registrations whose predecessor is in scope under another of the nodes (a model
  registered on a legacy commune in 2024 and continued on today's commune in 2025). Those
  links are read from the base tables, narrowed to the registrations of the current units
  (the years after the unit ended) and the ones that continue them;
* grouped by year, field, status, and by unit where the unit's breakdown is its node's
  children (``selectors.level_from_rollups``): a child's rows also keep a predecessor under
  the parent only (``prev_up``), so a model that moved between two children is one model of
  the first.

Grouped by registration kind, replication or organisation kind, ``ChainDetailRollup`` answers
the same way: its rows are ``ChainRollup``'s split by those three keys of the registration
(being replicated or continued is a key there, not a count). With no field asked or grouped
by, ``ChainKindRollup`` answers them: the detail rows without the two fields, added up. By
unit across schemes the base tables answer (``danvan.stats.direct``, ``distinct_models``).
Ledger measures are sums over registrations, read from the summary rollup as
``initiative_figures`` reads them.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Q, Sum

from danvan.areas.models import Area
from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.initiatives.models import Initiative
from danvan.stats.lineage import territory_parts
from danvan.stats.models import AS_WAS, NATIONAL, ChainDetailRollup, ChainKindRollup, ChainRollup
from danvan.stats.shape import (
    COUNT_MEASURES,
    FIGURE_MEASURES,
    GROUPS,
    as_list,
    check_mode,
    columns_for,
    finish,
    output_names,
)

# What the chain rows can be grouped by; the detail rows also by the registration's kind,
# replication and organisation kind; other groupings read the base tables.
CHAIN_GROUPS = frozenset({"year", "field", "status", "level"})
DETAIL_GROUPS = CHAIN_GROUPS | {"registration_kind", "replicated", "org_kind"}
REGISTERED = list(REGISTERED_STATUSES)
_SUMS = ("c_all", "c_replicated", "c_continued", "c_exemplary", "c_chained", "c_registered")


def _dims(queryset, year_from, year_to, fields, statuses, prefix: str = ""):
    if year_from is not None:
        queryset = queryset.filter(**{f"{prefix}year__gte": year_from})
    if year_to is not None:
        queryset = queryset.filter(**{f"{prefix}year__lte": year_to})
    if fields is not None:
        queryset = queryset.filter(**{f"{prefix}field__in": fields})
    if statuses is not None:
        queryset = queryset.filter(**{f"{prefix}status__in": statuses})
    return queryset


def _predecessor_in_scope(year_from, year_to, fields, statuses, *, children: bool) -> Q:
    """The rows whose predecessor is in scope: under the node (``children``: under the
    node's parent too, the scope of a child's row in a breakdown by unit) and in the years,
    fields and statuses asked."""
    condition = Q(prev_year__gt=0)
    if not children:
        condition &= Q(prev_up=False)
    if year_from is not None:
        condition &= Q(prev_year__gte=year_from)
    if year_to is not None:
        condition &= Q(prev_year__lte=year_to)
    if fields is not None:
        condition &= Q(prev_field__in=fields)
    if statuses is not None:
        condition &= Q(prev_status__in=statuses)
    return condition


def _sums(in_scope: Q, model) -> dict:
    first = ~in_scope
    if model is not ChainRollup:
        replicated = Sum("initiatives", filter=first & Q(replicated=True))
        continued = Sum("initiatives", filter=first & Q(registration_kind="continued"))
    else:
        replicated = Sum("replicated", filter=first)
        continued = Sum("continued", filter=first)
    return {
        "c_all": Sum("initiatives", filter=first),
        "c_replicated": replicated,
        "c_continued": continued,
        "c_exemplary": Sum("exemplary"),
        "c_chained": Sum("exemplary_chained", filter=in_scope),
        "c_registered": Sum(
            "initiatives",
            filter=Q(status__in=REGISTERED) & ~(in_scope & Q(prev_status__in=REGISTERED)),
        ),
    }


def _grouped(queryset, columns: list[str], sums: dict) -> list[dict]:
    if columns:
        return list(queryset.values(*columns).annotate(**sums).order_by())
    return [queryset.aggregate(**sums)]


def _add(merged: dict, key: tuple, row: dict, sign: int = 1) -> None:
    target = merged.setdefault(key, dict.fromkeys(_SUMS, 0))
    for name in _SUMS:
        target[name] += sign * (row.get(name) or 0)


def _counts(sums: dict) -> dict:
    """The figures of models from a row's sums."""
    every, replicated, continued = sums["c_all"], sums["c_replicated"], sums["c_continued"]
    return {
        "initiatives": every,
        "built": every - replicated,
        "replicated": replicated,
        "new": every - continued,
        "continued": continued,
        "exemplary": sums["c_exemplary"] - sums["c_chained"],
        "registered": sums["c_registered"],
    }


def chain_table(group_by: Sequence[str], fields: list[str] | None = None):
    """The chain table that can group by ``group_by`` with ``fields`` chosen (the smallest
    one that can), or None.

    Grouped by a registration's kinds, the table by kind answers when no field is asked or
    grouped by: then a predecessor's field never decides whether it is in scope."""
    if set(group_by) <= CHAIN_GROUPS:
        return ChainRollup
    if set(group_by) <= DETAIL_GROUPS:
        if fields is None and "field" not in group_by:
            return ChainKindRollup
        return ChainDetailRollup
    return None


def answers(area: Area | None, mode: str, group_by: Sequence[str]) -> bool:
    """Whether the chain rows answer ``group_by`` for ``area`` in ``mode``."""
    from danvan.stats.selectors import level_from_rollups

    if chain_table(group_by) is None:
        return False
    return "level" not in group_by or level_from_rollups(area, mode)


def model_counts(
    *,
    area: Area | None,
    mode: str,
    year_from: int | None,
    year_to: int | None,
    field: str | Iterable[str] | None,
    status: str | Iterable[str] | None,
    group_by: Sequence[str],
) -> dict[tuple, dict]:
    """Return the figures of models in scope per group (the key: the group's values in the
    order of ``group_by``); only for what ``answers`` accepts."""
    check_mode(mode)
    columns = columns_for(group_by, GROUPS)
    fields, statuses = as_list(field), as_list(status)
    filters = (year_from, year_to, fields, statuses)
    model = chain_table(group_by, fields)
    merged: dict[tuple, dict] = {}
    if "level" in group_by:
        _by_unit(merged, model, area, mode, columns, filters)
    else:
        parts = territory_parts(area)
        condition = Q(pk__in=[])
        for part_mode, part_node in parts:
            condition |= Q(mode=part_mode, area_id=part_node)
        rows = model.objects.filter(condition)
        sums = _sums(_predecessor_in_scope(*filters, children=False), model)
        for row in _grouped(_dims(rows, *filters), columns, sums):
            _add(merged, tuple(row[c] for c in columns), row)
        if len(parts) > 1:
            for key, row in _crossing(area, parts, columns, filters):
                _add(merged, key, row, -1)
    return {key: _counts(sums) for key, sums in merged.items()}


def _by_unit(merged: dict, model, area: Area | None, mode: str, columns, filters) -> None:
    """The breakdown by the node's children, and the row (``area_id`` None) of what the node
    holds that no child does: the node's models minus its children's, group by group."""
    node = NATIONAL if area is None else area.pk
    children = list(Area.objects.filter(parent=area).values_list("pk", flat=True))
    others = [column for column in columns if column != "area_id"]
    below = _dims(model.objects.filter(mode=mode, area_id__in=children), *filters)
    child_rows = _grouped(
        below, ["area_id", *others], _sums(_predecessor_in_scope(*filters, children=True), model)
    )
    own = _dims(model.objects.filter(mode=mode, area_id=node), *filters)
    own_rows = _grouped(own, others, _sums(_predecessor_in_scope(*filters, children=False), model))

    def key(row, area_id):
        return tuple(area_id if c == "area_id" else row[c] for c in columns)

    for row in child_rows:
        _add(merged, key(row, row["area_id"]), row)
        _add(merged, key(row, None), row, -1)
    for row in own_rows:
        _add(merged, key(row, None), row)


def _crossing(area: Area, parts, columns: list[str], filters) -> list[tuple[tuple, dict]]:
    """The registrations in scope whose predecessor is in scope under another node of the
    territory, as sums to take away: each node's rows counted them as first registrations.

    A unit's later units are current units, registered on only after it ended; the links are
    read from the base tables in one statement of two branches, each led by the units of the
    later nodes: the registrations on them, and the ones continuing a registration on them.
    """
    nodes = [node for _mode, node in parts]
    year_from, year_to, fields, statuses = filters
    conditions, params = [], []
    for alias in ("r", "p"):
        if year_from is not None:
            conditions.append(f"{alias}.year >= %s")
            params.append(year_from)
        if year_to is not None:
            conditions.append(f"{alias}.year <= %s")
            params.append(year_to)
        for column, values in (("field", fields), ("status", statuses)):
            if values is not None:
                conditions.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
                params.extend(values)
    where = " AND ".join(conditions) or "1 = 1"
    table = Initiative._meta.db_table
    every = ", ".join(["%s"] * len(nodes))
    later = ", ".join(["%s"] * (len(nodes) - 1))
    registered = ", ".join(["%s"] * len(REGISTERED))
    branch = (
        "SELECT r.year, r.field, r.status, r.registration_kind, o.kind AS org_kind, "
        "CASE WHEN r.replicated_from_id IS NULL THEN 0 ELSE 1 END AS replicated, "
        "CASE WHEN r.exemplary AND p.exemplary THEN 1 ELSE 0 END AS chained, "
        f"CASE WHEN r.status IN ({registered}) AND p.status IN ({registered}) "
        "THEN 1 ELSE 0 END AS registered "
        f"FROM {table} r JOIN {table} p ON p.id = r.continued_from_id "
        "JOIN orgs_organisation o ON o.id = r.organisation_id "
        "JOIN stats_areanode rn ON rn.area_id = r.area_id AND rn.mode = %s "
        "JOIN stats_areanode pn ON pn.area_id = p.area_id AND pn.mode = %s "
        "WHERE {lead} AND rn.node_id <> pn.node_id AND {where}"
    )
    onto_later = branch.format(
        lead=f"rn.node_id IN ({later}) AND pn.node_id IN ({every})", where=where
    )
    from_later = branch.format(lead=f"rn.node_id = %s AND pn.node_id IN ({later})", where=where)
    head = [*REGISTERED, *REGISTERED, AS_WAS, AS_WAS]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT year, field, status, registration_kind, org_kind, replicated, COUNT(*), "
            "SUM(chained), SUM(registered) "
            f"FROM ({onto_later} UNION ALL {from_later}) crossing "
            "GROUP BY year, field, status, registration_kind, org_kind, replicated",
            [
                *head,
                *nodes[1:],
                *nodes,
                *params,
                *head,
                nodes[0],
                *nodes[1:],
                *params,
            ],
        )
        found = cursor.fetchall()
    taken = []
    for year, fld, status, kind, org_kind, replicated, links, chained, both in found:
        values = {
            "year": year,
            "field": fld,
            "status": status,
            "registration_kind": kind,
            "org_kind": org_kind,
            "replicated": bool(replicated),
        }
        taken.append(
            (
                tuple(values[c] for c in columns),
                {
                    "c_all": links,
                    "c_replicated": links if replicated else 0,
                    "c_continued": links if kind == "continued" else 0,
                    "c_chained": -chained,
                    "c_registered": both,
                },
            )
        )
    return taken


def cumulative_from_rollups(
    year: int,
    *,
    area: Area | None,
    mode: str,
    year_to: int | None,
    field,
    status,
    group_by: Sequence[str],
) -> dict | None:
    """Return what ``selectors.cumulative_since`` returns, from the rollups; None when they
    cannot answer ``group_by`` for ``area`` in ``mode``."""
    from danvan.stats.selectors import initiative_figures

    if not answers(area, mode, group_by):
        return None
    scope = {
        "area": area,
        "mode": mode,
        "year_from": year,
        "year_to": year_to,
        "field": field,
        "status": status,
    }
    counts = model_counts(**scope, group_by=group_by)
    names = output_names(group_by)
    merged: dict[tuple, dict] = {}
    for row in initiative_figures(**scope, group_by=group_by):
        key = tuple(row[name] for name in names)
        merged[key] = {**row, **dict.fromkeys(COUNT_MEASURES, 0)}
    for key, figures in counts.items():
        target = merged.setdefault(key, dict(zip(names, key, strict=True)))
        target.update(figures)
    rows = finish(merged, FIGURE_MEASURES)
    total = dict.fromkeys(FIGURE_MEASURES, 0)
    for row in rows:
        for name in FIGURE_MEASURES:
            total[name] += row[name]
    return {"since": year, "total": total, "rows": rows}
