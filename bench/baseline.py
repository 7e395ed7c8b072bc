"""The fair baseline: each question as the plainest correct SQL over the base tables.

What a competent developer would write without the rollups: one statement per question, the
scope in its WHERE clause, the existing indexes, PostgreSQL's parallel workers allowed. The
statements are shown in docs/performance.md.

Scope. A unit's territory is the set of units whose facts it counts. As it was, a unit that
existed is its own subtree: ``area.path LIKE '<path>.%' OR area.id = <id>``. Restated on today's
units, a unit's territory also holds the historical units it carries on (a merged commune, a
split one's default successor): that list of unit → today's unit is the ``stats_areanode``
table, a small map of units (one row per unit and node, never per fact), so the restated
baseline reads ``i.area_id IN (SELECT area_id FROM stats_areanode WHERE mode = 'restated' AND
node_id = <id>)``. A unit that ended adds the as-was nodes of the current units that took over
its land alone, in the same way (``danvan.stats.lineage.territory_parts``).
"""

import datetime
from dataclasses import dataclass, field

from danvan.areas.models import Area
from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.stats.lineage import territory_parts
from danvan.stats.models import AS_WAS

REGISTERED = tuple(str(s) for s in REGISTERED_STATUSES)


@dataclass
class Sql:
    """One statement and its parameters."""

    text: str
    params: list = field(default_factory=list)


def scope_sql(area: Area | None, alias: str = "i") -> Sql:
    """The WHERE condition of the initiatives (``alias``) in ``area``'s territory."""
    if area is None:
        return Sql("TRUE")
    parts = territory_parts(area)
    if parts == [(AS_WAS, area.pk)]:
        return Sql(
            f"{alias}.area_id IN (SELECT id FROM areas_area WHERE path LIKE %s OR id = %s)",
            [area.subtree_prefix + "%", area.pk],
        )
    nodes = " OR ".join("(mode = %s AND node_id = %s)" for _ in parts)
    return Sql(
        f"{alias}.area_id IN (SELECT area_id FROM stats_areanode WHERE {nodes})",
        [value for part in parts for value in part],
    )


def _filters(
    area, year_from=None, year_to=None, field=None, status=None, org_kind=None
) -> tuple[str, list]:
    scope = scope_sql(area)
    conditions, params = [scope.text], list(scope.params)
    if year_from is not None:
        conditions.append("i.year >= %s")
        params.append(year_from)
    if year_to is not None:
        conditions.append("i.year <= %s")
        params.append(year_to)
    if field is not None:
        conditions.append("i.field = ANY(%s)")
        params.append([field] if isinstance(field, str) else list(field))
    if status is not None:
        conditions.append("i.status = ANY(%s)")
        params.append([status] if isinstance(status, str) else list(status))
    if org_kind is not None:
        conditions.append("o.kind = %s")
        params.append(org_kind)
    return " AND ".join(conditions), params


_GROUP_COLUMNS = {
    "year": "i.year",
    "field": "i.field",
    "status": "i.status",
    "registration_kind": "i.registration_kind",
    "org_kind": "o.kind",
    "replicated": "(i.replicated_from_id IS NOT NULL)",
    "contribution_year": "EXTRACT(YEAR FROM c.date)::int",
    "contribution_month": "EXTRACT(MONTH FROM c.date)::int",
}


def _level(area: Area | None, mode: str) -> tuple[str, str, list]:
    """The join and column of a breakdown by the units one level below ``area``: each fact
    under the child node it is counted under in ``mode`` (facts on the unit itself are left
    out)."""
    parent = "child.parent_id IS NULL" if area is None else "child.parent_id = %s"
    join = (
        "JOIN stats_areanode n ON n.area_id = i.area_id AND n.mode = %s "
        f"JOIN areas_area child ON child.id = n.node_id AND {parent}"
    )
    params = [mode] if area is None else [mode, area.pk]
    return join, "n.node_id", params


def _grouping(group_by, area, mode) -> tuple[str, list[str], list]:
    joins, columns, params = "", [], []
    for name in group_by:
        if name == "level":
            join, column, join_params = _level(area, mode)
            joins += " " + join
            columns.append(column)
            params += join_params
        else:
            columns.append(_GROUP_COLUMNS[name])
    return joins, columns, params


def initiatives_sql(*, area=None, mode=AS_WAS, group_by=(), **filters) -> Sql:
    """Initiatives (built, replicated, new, continued, exemplary, registered) and what their
    ledgers mobilised, grouped by ``group_by``: the initiatives in scope, their ledgers summed
    per initiative, one statement."""
    where, params = _filters(area, **filters)
    joins, columns, join_params = _grouping(group_by, area, mode)
    select = "".join(f"{column} AS g{index}, " for index, column in enumerate(columns))
    group = f" GROUP BY {', '.join(columns)}" if columns else ""
    kind_sum = ", ".join(
        f"SUM(c.amount) FILTER (WHERE c.kind = '{kind}') AS {kind}"
        for kind in ("money", "land", "labour", "in_kind")
    )
    text = (
        "WITH scoped AS (SELECT i.id, i.area_id, i.year, i.field, i.status, "
        "i.registration_kind, i.replicated_from_id, i.exemplary, i.organisation_id "
        "FROM initiatives_initiative i JOIN orgs_organisation o ON o.id = i.organisation_id "
        f"WHERE {where}), "
        f"ledger AS (SELECT c.initiative_id, {kind_sum}, {_taking_part_now()} "
        "FROM initiatives_contribution c JOIN scoped s ON s.id = c.initiative_id "
        "GROUP BY c.initiative_id) "
        f"SELECT {select}COUNT(*) AS initiatives, "
        "COUNT(*) FILTER (WHERE i.replicated_from_id IS NULL) AS built, "
        "COUNT(*) FILTER (WHERE i.replicated_from_id IS NOT NULL) AS replicated, "
        "COUNT(*) FILTER (WHERE i.registration_kind = 'new') AS new, "
        "COUNT(*) FILTER (WHERE i.registration_kind = 'continued') AS continued, "
        "COUNT(*) FILTER (WHERE i.exemplary) AS exemplary, "
        "COUNT(*) FILTER (WHERE i.status = ANY(%s)) AS registered, "
        "SUM(l.money) AS money, SUM(l.land) AS land, SUM(l.labour) AS labour, "
        "SUM(l.in_kind) AS in_kind, SUM(l.households) AS households, "
        "SUM(l.people) AS people "
        "FROM scoped i JOIN orgs_organisation o ON o.id = i.organisation_id "
        f"LEFT JOIN ledger l ON l.initiative_id = i.id{joins}{group}"
    )
    return Sql(text, [*params, list(REGISTERED), *join_params])


def contributions_sql(
    *,
    area=None,
    mode=AS_WAS,
    start: datetime.date | None = None,
    cutoff: datetime.date | None = None,
    group_by=(),
    **filters,
) -> Sql:
    """Contributions by kind dated from ``start`` to ``cutoff``: the ledger joined to its
    initiatives in scope, one statement."""
    where, params = _filters(area, **filters)
    dated = ""
    if cutoff is not None:
        dated = " WHERE c.date <= %s"
        params.append(cutoff)
    after = ""
    after_params = []
    if start is not None:
        after = " WHERE c.date >= %s"
        after_params.append(start)
    joins, columns, join_params = _grouping(group_by, area, mode)
    select = "".join(f"{column} AS g{index}, " for index, column in enumerate(columns))
    group = f" GROUP BY {', '.join(columns)}" if columns else ""
    kind_sum = ", ".join(
        f"SUM(c.amount) FILTER (WHERE c.kind = '{kind}') AS {kind}"
        for kind in ("money", "land", "labour", "in_kind")
    )
    # Households and people taking part move on the days an initiative's largest kind of gift
    # grows: its ledger up to the cut-off in date order (the same rule as the rollups).
    text = (
        "WITH scoped AS (SELECT i.id FROM initiatives_initiative i "
        f"JOIN orgs_organisation o ON o.id = i.organisation_id WHERE {where}), "
        f"days AS (SELECT c.initiative_id, c.date, {kind_sum}, "
        "COUNT(*) FILTER (WHERE c.corrects_id IS NULL) AS entries, "
        f"{_by_kind_and_class()} FROM initiatives_contribution c "
        f"JOIN scoped s ON s.id = c.initiative_id{dated} GROUP BY c.initiative_id, c.date), "
        f"levels AS (SELECT d.*, {_levels()} FROM days d "
        "WINDOW w AS (PARTITION BY d.initiative_id ORDER BY d.date)), "
        "c AS (SELECT l.*, "
        "l.h_level - COALESCE(LAG(l.h_level) OVER w, 0) AS households, "
        "l.p_level - COALESCE(LAG(l.p_level) OVER w, 0) AS people FROM levels l "
        "WINDOW w AS (PARTITION BY l.initiative_id ORDER BY l.date)) "
        f"SELECT {select}SUM(c.money) AS money, SUM(c.land) AS land, SUM(c.labour) AS labour, "
        "SUM(c.in_kind) AS in_kind, SUM(c.households) AS households, "
        "SUM(c.people) AS people, SUM(c.entries) AS entries "
        "FROM c JOIN initiatives_initiative i ON i.id = c.initiative_id "
        f"JOIN orgs_organisation o ON o.id = i.organisation_id{joins}{after}{group}"
    )
    return Sql(text, [*params, *join_params, *after_params])


def cumulative_sql(*, since: int, area=None, mode=AS_WAS, group_by=(), **filters) -> Sql:
    """Models since a year ("since 2013 … N models"): the registrations in scope whose
    predecessor (``continued_from``) is not in scope, each model once under its first
    registration; exemplary and registered models likewise among the exemplary, or
    registered, registrations; what the ledgers mobilised summed over every registration."""
    where, params = _filters(area, year_from=since, **filters)
    joins, columns, join_params = _grouping(group_by, area, mode)
    select = "".join(f"{column} AS g{index}, " for index, column in enumerate(columns))
    group = f" GROUP BY {', '.join(columns)}" if columns else ""
    kind_sum = ", ".join(
        f"SUM(c.amount) FILTER (WHERE c.kind = '{kind}') AS {kind}"
        for kind in ("money", "land", "labour", "in_kind")
    )
    text = (
        "WITH scoped AS (SELECT i.id, i.area_id, i.year, i.field, i.status, "
        "i.registration_kind, i.replicated_from_id, i.continued_from_id, i.exemplary, "
        "i.organisation_id FROM initiatives_initiative i "
        f"JOIN orgs_organisation o ON o.id = i.organisation_id WHERE {where}), "
        f"ledger AS (SELECT c.initiative_id, {kind_sum}, {_taking_part_now()} "
        "FROM initiatives_contribution c JOIN scoped s ON s.id = c.initiative_id "
        "GROUP BY c.initiative_id) "
        f"SELECT {select}COUNT(*) FILTER (WHERE p.id IS NULL) AS initiatives, "
        "COUNT(*) FILTER (WHERE p.id IS NULL AND i.replicated_from_id IS NULL) AS built, "
        "COUNT(*) FILTER (WHERE p.id IS NULL AND i.replicated_from_id IS NOT NULL) "
        "AS replicated, "
        "COUNT(*) FILTER (WHERE p.id IS NULL AND i.registration_kind = 'new') AS new, "
        "COUNT(*) FILTER (WHERE p.id IS NULL AND i.registration_kind = 'continued') "
        "AS continued, "
        "COUNT(*) FILTER (WHERE i.exemplary AND NOT COALESCE(p.exemplary, FALSE)) "
        "AS exemplary, "
        "COUNT(*) FILTER (WHERE i.status = ANY(%s) "
        "AND NOT COALESCE(p.status = ANY(%s), FALSE)) AS registered, "
        "SUM(l.money) AS money, SUM(l.land) AS land, SUM(l.labour) AS labour, "
        "SUM(l.in_kind) AS in_kind, SUM(l.households) AS households, "
        "SUM(l.people) AS people "
        "FROM scoped i JOIN orgs_organisation o ON o.id = i.organisation_id "
        "LEFT JOIN scoped p ON p.id = i.continued_from_id "
        f"LEFT JOIN ledger l ON l.initiative_id = i.id{joins}{group}"
    )
    return Sql(text, [*params, list(REGISTERED), list(REGISTERED), *join_params])


_KINDS = ("money", "land", "labour", "in_kind")
_CLASSES = {"h": ("households",), "p": ("individuals", "benefactors")}


def _by_kind_and_class(alias: str = "c") -> str:
    return ", ".join(
        f"SUM({alias}.contributors) FILTER (WHERE {alias}.kind = '{kind}' AND "
        f"{alias}.contributor_type IN ({', '.join(repr(t) for t in types)})) AS {name}_{kind}"
        for name, types in _CLASSES.items()
        for kind in _KINDS
    )


def _levels() -> str:
    return ", ".join(
        f"GREATEST(0, {', '.join(f'SUM(COALESCE(d.{name}_{kind}, 0)) OVER w' for kind in _KINDS)})"
        f" AS {name}_level"
        for name in _CLASSES
    )


def _taking_part_now() -> str:
    """Households and people taking part in an initiative: the largest kind of gift."""
    return ", ".join(
        "GREATEST(0, "
        + ", ".join(
            f"COALESCE(SUM(c.contributors) FILTER (WHERE c.kind = '{kind}' AND "
            f"c.contributor_type IN ({', '.join(repr(t) for t in types)})), 0)"
            for kind in _KINDS
        )
        + f") AS {full}"
        for (name, types), full in zip(_CLASSES.items(), ("households", "people"), strict=True)
    )


def registering_units_sql(*, area=None, mode=AS_WAS, **filters) -> Sql:
    """How many organisations registered initiatives in scope."""
    where, params = _filters(area, **filters)
    return Sql(
        f"SELECT COUNT(DISTINCT i.organisation_id) FROM initiatives_initiative i WHERE {where}",
        params,
    )


def result_sql(*, area=None, mode=AS_WAS, year: int, indicator_id: int) -> Sql:
    """One indicator's results of a year: how many, their sum, maximum and latest value."""
    where, params = _filters(area)
    return Sql(
        "SELECT COUNT(*), SUM(r.value), MAX(r.value), "
        "(ARRAY_AGG(r.value ORDER BY r.period_end DESC, r.id DESC))[1] "
        "FROM initiatives_result r JOIN initiatives_initiative i ON i.id = r.initiative_id "
        f"WHERE r.indicator_id = %s AND r.period_end BETWEEN %s AND %s AND {where}",
        [indicator_id, datetime.date(year, 1, 1), datetime.date(year, 12, 31), *params],
    )
