"""Rebuild every rollup from the base tables in a few set-based statements.

Bulk loaders (the demo's generated population, future imports of millions of rows) skip the
services for speed, so they end with this instead of incremental maintenance. The result is
the same as maintaining the rollups write by write; the tests prove it.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import Initiative
from danvan.stats.lineage import lineage_changed
from danvan.stats.models import (
    ALL_YEARS,
    NATIONAL,
    REGISTERING_COLUMNS,
    WHOLE_YEAR,
    AreaNode,
    AwardRollup,
    ChainDetailRollup,
    ChainKindRollup,
    ChainRollup,
    CollectiveCountRollup,
    CollectiveRollup,
    ContributionDayRollup,
    ContributionDetailDayRollup,
    ContributionDetailRollup,
    ContributionKindRollup,
    ContributionRollup,
    GradeRollup,
    InitiativeRollup,
    KindRollup,
    NationalTotal,
    RegisteringRollup,
    ResultRollup,
    SummaryAllYearsRollup,
    SummaryRollup,
    registering_column,
)
from danvan.stats.nodes import ensure_area_nodes
from danvan.stats.recognition_rollups import recognition_statements
from danvan.stats.rollups import pending_before_rebuild
from danvan.stats.taking_part import day_moves_sql

_COLUMNS = "mode, area_id, year, field, status, registration_kind, replicated, org_kind"
_LEDGER = ("money", "land", "labour", "in_kind", "households", "people", "entries")
ROLLUP_MODELS = (
    InitiativeRollup,
    SummaryRollup,
    SummaryAllYearsRollup,
    NationalTotal,
    ContributionRollup,
    ContributionDayRollup,
    RegisteringRollup,
    ResultRollup,
    ChainRollup,
    ChainDetailRollup,
    ChainKindRollup,
    ContributionDetailRollup,
    ContributionDetailDayRollup,
    KindRollup,
    ContributionKindRollup,
    AwardRollup,
    GradeRollup,
    CollectiveRollup,
    CollectiveCountRollup,
)
# The name of each rollup for ``rebuild_rollups(only=…)`` and ``rebuild_rollups --only``.
ROLLUP_NAMES = {
    "initiatives": InitiativeRollup,
    "summary": SummaryRollup,
    "summary_all_years": SummaryAllYearsRollup,
    "national": NationalTotal,
    "contributions": ContributionRollup,
    "contribution_days": ContributionDayRollup,
    "registering": RegisteringRollup,
    "results": ResultRollup,
    "chains": ChainRollup,
    "chain_details": ChainDetailRollup,
    "chain_kinds": ChainKindRollup,
    "contribution_details": ContributionDetailRollup,
    "contribution_detail_days": ContributionDetailDayRollup,
    "kinds": KindRollup,
    "contribution_kinds": ContributionKindRollup,
    "awards": AwardRollup,
    "grades": GradeRollup,
    "collectives": CollectiveRollup,
    "collective_counts": CollectiveCountRollup,
}
TABLES = tuple(model._meta.db_table for model in ROLLUP_MODELS)


def _date_part(part: str, column: str) -> str:
    if connection.vendor == "sqlite":
        code = {"year": "%Y", "month": "%m", "day": "%d"}[part]
        return f"CAST(strftime('{code}', {column}) AS INTEGER)"
    return f"CAST(EXTRACT({part.upper()} FROM {column}) AS INTEGER)"


def _scaled(column: str) -> str:
    return f"CAST(ROUND({column} * 10000) AS BIGINT)"


def _registering_sums() -> str:
    """The sums that fill the registering rollup's columns, per unit and organisation."""
    return ", ".join(
        f"SUM(CASE WHEN i.field = '{field}' AND i.status = '{status}' THEN 1 ELSE 0 END) "
        f"AS {registering_column(field, status)}"
        for field in Field.values
        for status in Status.values
    )


def chain_statement(table: str, *, detail: bool = False) -> str:
    """The INSERT … SELECT of ``ChainRollup`` (``detail``: ``ChainDetailRollup``) into
    ``table``.

    Registrations are first summed per unit, predecessor's unit and both registrations'
    year, field and status (and, for the detail table, the registration's kind, replication
    and organisation kind), then counted under every node of their unit; the predecessor's
    figures are kept where its unit is under the node (or, with ``prev_up``, under the
    node's parent only), as ``danvan.stats.chain_rollups`` keeps them write by write.
    """
    truth = ("1", "0") if connection.vendor == "sqlite" else ("TRUE", "FALSE")
    replicated = f"CASE WHEN i.replicated_from_id IS NULL THEN {truth[1]} ELSE {truth[0]} END"
    # The detail table's three keys of the registration: (expression, name).
    own = (
        (
            ("i.registration_kind", "registration_kind"),
            (replicated, "replicated"),
            ("o.kind", "org_kind"),
        )
        if detail
        else ()
    )
    named = "".join(f"{expression} AS {name}, " for expression, name in own)
    grouped = "".join(f", {expression}" for expression, _ in own)
    joined = "JOIN orgs_organisation o ON o.id = i.organisation_id " if detail else ""
    kinds = "".join(f"{name}, " for _, name in own)
    per_pair = (
        "SELECT i.area_id, p.area_id AS p_area, i.year, i.field, i.status, p.year AS p_year, "
        f"p.field AS p_field, p.status AS p_status, {named}COUNT(*) AS n, "
        "SUM(CASE WHEN i.exemplary THEN 1 ELSE 0 END) AS exemplary, "
        "SUM(CASE WHEN i.replicated_from_id IS NULL THEN 0 ELSE 1 END) AS n_replicated, "
        "SUM(CASE WHEN i.registration_kind = 'continued' THEN 1 ELSE 0 END) AS continued, "
        "SUM(CASE WHEN i.exemplary AND p.exemplary THEN 1 ELSE 0 END) AS chained "
        f"FROM initiatives_initiative i {joined}"
        "LEFT JOIN initiatives_initiative p ON p.id = i.continued_from_id "
        "GROUP BY i.area_id, p.area_id, i.year, i.field, i.status, p.year, p.field, p.status"
        f"{grouped}"
    )
    seen = "(pn.node_id IS NOT NULL OR pu.node_id IS NOT NULL)"
    per_node = (
        "SELECT n.mode, n.node_id, u.year, u.field, u.status, "
        + "".join(f"u.{name}, " for _, name in own)
        + f"CASE WHEN {seen} THEN u.p_year ELSE 0 END AS prev_year, "
        f"CASE WHEN {seen} THEN u.p_field ELSE '' END AS prev_field, "
        f"CASE WHEN {seen} THEN u.p_status ELSE '' END AS prev_status, "
        f"CASE WHEN pn.node_id IS NULL AND pu.node_id IS NOT NULL THEN {truth[0]} "
        f"ELSE {truth[1]} END AS prev_up, "
        "u.n, u.exemplary, u.n_replicated, u.continued, "
        f"CASE WHEN {seen} THEN u.chained ELSE 0 END AS chained "
        f"FROM ({per_pair}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        "LEFT JOIN areas_area a ON a.id = n.node_id "
        "LEFT JOIN stats_areanode pn ON pn.area_id = u.p_area AND pn.mode = n.mode "
        "AND pn.node_id = n.node_id "
        "LEFT JOIN stats_areanode pu ON pu.area_id = u.p_area AND pu.mode = n.mode "
        f"AND n.node_id <> {NATIONAL} AND pu.node_id = COALESCE(a.parent_id, {NATIONAL})"
    )
    key = f"mode, node_id, year, field, status, {kinds}prev_year, prev_field, prev_status, prev_up"
    columns = key.replace("node_id", "area_id")
    if detail:
        return (
            f"INSERT INTO {table} ({columns}, initiatives, exemplary, exemplary_chained) "
            f"SELECT {key}, SUM(n), SUM(exemplary), SUM(chained) "
            f"FROM ({per_node}) x GROUP BY {key} ORDER BY {key}"
        )
    return (
        f"INSERT INTO {table} ({columns}, initiatives, exemplary, replicated, continued, "
        "exemplary_chained) "
        f"SELECT {key}, SUM(n), SUM(exemplary), SUM(n_replicated), SUM(continued), "
        f"SUM(chained) FROM ({per_node}) x GROUP BY {key} ORDER BY {key}"
    )


def detail_statements(target: dict[str, str], per_day: str, replicated: str) -> list[str]:
    """The INSERT … SELECT of ``ContributionDetailRollup`` and ``ContributionDetailDayRollup``:
    the month and day tables' statements with the registration kind, the replication and the
    organisation kind in the key; ``per_day`` is the ledger per initiative and day (amounts,
    entries and the moves of those taking part), ``replicated`` the replication's expression.
    The month table's year rows (``c_month`` 0) are then folded out of its month rows."""
    d_year, d_month = _date_part("year", "d.date"), _date_part("month", "d.date")
    d_day = _date_part("day", "d.date")
    dims = "year, field, status, registration_kind, replicated, org_kind"
    units = {"month": (d_year, d_month), "day": (d_year, d_month, d_day)}
    found = []
    for grain, table in (
        ("month", "stats_contributiondetailrollup"),
        ("day", "stats_contributiondetaildayrollup"),
    ):
        dated = ("c_year", "c_month", "c_day")[: len(units[grain])]
        parts = units[grain]
        per_unit = (
            "SELECT i.area_id, i.year, i.field, i.status, i.registration_kind, "
            f"{replicated} AS replicated, o.kind AS org_kind, "
            + ", ".join(f"{part} AS {name}" for part, name in zip(parts, dated, strict=True))
            + ", "
            + ", ".join(f"SUM(d.{m}) AS {m}" for m in _LEDGER)
            + " FROM initiatives_initiative i "
            "JOIN orgs_organisation o ON o.id = i.organisation_id "
            f"JOIN ({per_day}) d ON d.initiative_id = i.id "
            "GROUP BY i.area_id, i.year, i.field, i.status, i.registration_kind, "
            f"{replicated}, o.kind, {', '.join(parts)}"
        )
        key = f"{', '.join(dated)}, {dims}"
        selected = ", ".join(f"u.{name}" for name in key.split(", "))
        found.append(
            f"INSERT INTO {target[table]} (mode, area_id, {key}, {', '.join(_LEDGER)}) "
            f"SELECT n.mode, n.node_id, {selected}, "
            + ", ".join(f"SUM(u.{m})" for m in _LEDGER)
            + f" FROM ({per_unit}) u JOIN stats_areanode n ON n.area_id = u.area_id "
            f"GROUP BY n.mode, n.node_id, {selected} ORDER BY n.mode, n.node_id, {selected}"
        )
    months = target["stats_contributiondetailrollup"]
    found.insert(
        1,
        f"INSERT INTO {months} (mode, area_id, c_year, c_month, {dims}, {', '.join(_LEDGER)}) "
        f"SELECT mode, area_id, c_year, {WHOLE_YEAR}, {dims}, "
        + ", ".join(f"SUM({m})" for m in _LEDGER)
        + f" FROM {months} WHERE c_month <> {WHOLE_YEAR} "
        f"GROUP BY mode, area_id, c_year, {dims} ORDER BY mode, area_id, c_year, {dims}",
    )
    return found


def contribution_years_statement(table: str) -> str:
    """The INSERT … SELECT of ``ContributionRollup``'s year rows (``c_month`` 0) into
    ``table``, folded out of its month rows (already written)."""
    key = "mode, area_id, year, field, status, c_year"
    return (
        f"INSERT INTO {table} ({key}, c_month, {', '.join(_LEDGER)}) "
        f"SELECT {key}, {WHOLE_YEAR}, "
        + ", ".join(f"SUM({m})" for m in _LEDGER)
        + f" FROM {table} WHERE c_month <> {WHOLE_YEAR} GROUP BY {key} ORDER BY {key}"
    )


def chain_kind_statement(target: dict[str, str]) -> str:
    """The INSERT … SELECT of ``ChainKindRollup``, folded out of the chain detail rows
    (already written): the rows that differ only in the field and the predecessor's field
    added up."""
    key = (
        "mode, area_id, year, status, registration_kind, replicated, org_kind, prev_year, "
        "prev_status, prev_up"
    )
    return (
        f"INSERT INTO {target['stats_chainkindrollup']} ({key}, initiatives, exemplary, "
        f"exemplary_chained) SELECT {key}, SUM(initiatives), SUM(exemplary), "
        f"SUM(exemplary_chained) FROM {target['stats_chaindetailrollup']} "
        f"GROUP BY {key} ORDER BY {key}"
    )


def kind_statements(target: dict[str, str], truth: tuple[str, str]) -> list[str]:
    """The INSERT … SELECT of the tables by kind of organisation, each folded out of the
    table it narrows (already written): ``KindRollup`` from the initiatives' rows, as the
    summary is; ``ContributionKindRollup`` from the detail table's months and years."""
    ledger = ", ".join(_LEDGER)
    sums = ", ".join(f"SUM({m})" for m in _LEDGER)
    found = []
    kinds = "mode, area_id, year, status, org_kind"
    found.append(
        f"INSERT INTO {target['stats_kindrollup']} ({kinds}, initiatives, exemplary, "
        f"replicated, continued, {ledger}) "
        f"SELECT {kinds}, SUM(initiatives), SUM(exemplary), "
        f"SUM(CASE WHEN replicated = {truth[0]} THEN initiatives ELSE 0 END), "
        "SUM(CASE WHEN registration_kind = 'continued' THEN initiatives ELSE 0 END), "
        f"{sums} FROM {target['stats_initiativerollup']} "
        f"GROUP BY {kinds} ORDER BY {kinds}"
    )
    key = "mode, area_id, c_year, c_month, year, status, org_kind"
    found.append(
        f"INSERT INTO {target['stats_contributionkindrollup']} ({key}, {ledger}) "
        f"SELECT {key}, {sums} FROM {target['stats_contributiondetailrollup']} "
        f"GROUP BY {key} ORDER BY {key}"
    )
    return found


def statements(target: dict[str, str] | None = None) -> list[str]:
    """The INSERT … SELECT of each rollup from the base tables, into ``target``'s table for
    each rollup table (the rollups themselves by default; the exactness check fills copies)."""
    target = {table: target.get(table, table) if target else table for table in TABLES}
    truth = ("1", "0") if connection.vendor == "sqlite" else ("TRUE", "FALSE")
    r_year = _date_part("year", "r.period_end")

    def kind_sum(kind: str) -> str:
        return f"SUM(CASE WHEN c.kind = '{kind}' THEN c.amount ELSE 0 END)"

    # Each table is written in the order of its key, so the rows of one node lie together on
    # disk and a node's question reads a few pages, not one page per row.
    # Facts are first summed per unit (a few thousand units carry millions of rows), then
    # counted under every node of the unit: the join with the nodes multiplies groups, not
    # ledger entries.
    replicated = f"CASE WHEN i.replicated_from_id IS NULL THEN {truth[1]} ELSE {truth[0]} END"
    dims = f"i.area_id, i.year, i.field, i.status, i.registration_kind, {replicated}, o.kind"
    # The ledger per initiative and day: amounts and entries from the entries, households and
    # people taking part from their moves that day (``danvan.stats.taking_part``).
    per_day = day_moves_sql(
        [(kind_sum(k), k) for k in _LEDGER[:4]]
        + [("SUM(CASE WHEN c.corrects_id IS NULL THEN 1 ELSE 0 END)", "entries")]
    )
    per_initiative = (
        "SELECT d.initiative_id, "
        + ", ".join(f"SUM(d.{m}) AS {m}" for m in _LEDGER)
        + f" FROM ({per_day}) d GROUP BY d.initiative_id"
    )
    per_unit = (
        f"SELECT {dims.replace(replicated, replicated + ' AS replicated')}, COUNT(*) AS n, "
        "SUM(CASE WHEN i.exemplary THEN 1 ELSE 0 END) AS exemplary, "
        + ", ".join(f"SUM(COALESCE(l.{m}, 0)) AS {m}" for m in _LEDGER)
        + " FROM initiatives_initiative i JOIN orgs_organisation o ON o.id = i.organisation_id "
        f"LEFT JOIN ({per_initiative}) l ON l.initiative_id = i.id GROUP BY {dims}"
    )
    unit_key = "n.mode, n.node_id, u.year, u.field, u.status, u.registration_kind, "
    unit_key += "u.replicated, u.kind"
    d_year, d_month = _date_part("year", "d.date"), _date_part("month", "d.date")
    d_day = _date_part("day", "d.date")
    months = (
        f"SELECT i.area_id, i.year, i.field, i.status, {d_year} AS c_year, "
        f"{d_month} AS c_month, "
        + ", ".join(f"SUM(d.{m}) AS {m}" for m in _LEDGER)
        + f" FROM initiatives_initiative i JOIN ({per_day}) d ON d.initiative_id = i.id "
        f"GROUP BY i.area_id, i.year, i.field, i.status, {d_year}, {d_month}"
    )
    days = (
        f"SELECT i.area_id, i.year, i.field, i.status, {d_year} AS c_year, "
        f"{d_month} AS c_month, {d_day} AS c_day, "
        + ", ".join(f"SUM(d.{m}) AS {m}" for m in _LEDGER)
        + f" FROM initiatives_initiative i JOIN ({per_day}) d ON d.initiative_id = i.id "
        f"GROUP BY i.area_id, i.year, i.field, i.status, {d_year}, {d_month}, {d_day}"
    )
    return [
        f"INSERT INTO {target['stats_initiativerollup']} ({_COLUMNS}, initiatives, exemplary, "
        f"{', '.join(_LEDGER)}) "
        f"SELECT {unit_key}, SUM(u.n), SUM(u.exemplary), "
        + ", ".join(f"SUM(u.{m})" for m in _LEDGER)
        + f" FROM ({per_unit}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        f"GROUP BY {unit_key} ORDER BY {unit_key}",
        # The summary folds the three keys it drops out of the rows just written.
        f"INSERT INTO {target['stats_summaryrollup']} (mode, area_id, year, field, status, "
        f"initiatives, exemplary, replicated, continued, {', '.join(_LEDGER)}) "
        "SELECT mode, area_id, year, field, status, SUM(initiatives), SUM(exemplary), "
        f"SUM(CASE WHEN replicated = {truth[0]} THEN initiatives ELSE 0 END), "
        "SUM(CASE WHEN registration_kind = 'continued' THEN initiatives ELSE 0 END), "
        + ", ".join(f"SUM({m})" for m in _LEDGER)
        + f" FROM {target['stats_initiativerollup']} GROUP BY mode, area_id, year, field, status "
        "ORDER BY mode, area_id, year, field, status",
        # Every year of a node's field and status: its summary rows added up.
        f"INSERT INTO {target['stats_summaryallyearsrollup']} (mode, area_id, field, status, "
        f"initiatives, exemplary, replicated, continued, {', '.join(_LEDGER)}) "
        "SELECT mode, area_id, field, status, SUM(initiatives), SUM(exemplary), "
        "SUM(replicated), SUM(continued), "
        + ", ".join(f"SUM({m})" for m in _LEDGER)
        + f" FROM {target['stats_summaryrollup']} GROUP BY mode, area_id, field, status "
        "ORDER BY mode, area_id, field, status",
        # The country's ledger totals: its summary rows added up.
        f"INSERT INTO {target['stats_nationaltotal']} (mode, {', '.join(_LEDGER)}) "
        "SELECT mode, "
        + ", ".join(f"SUM({m})" for m in _LEDGER)
        + f" FROM {target['stats_summaryrollup']} WHERE area_id = {NATIONAL} GROUP BY mode "
        "ORDER BY mode",
        f"INSERT INTO {target['stats_contributionrollup']} (mode, area_id, year, field, "
        "status, c_year, "
        f"c_month, {', '.join(_LEDGER)}) "
        "SELECT n.mode, n.node_id, u.year, u.field, u.status, u.c_year, u.c_month, "
        + ", ".join(f"SUM(u.{m})" for m in _LEDGER)
        + f" FROM ({months}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        "GROUP BY n.mode, n.node_id, u.year, u.field, u.status, u.c_year, u.c_month "
        "ORDER BY n.mode, n.node_id, u.year, u.field, u.status, u.c_year, u.c_month",
        contribution_years_statement(target["stats_contributionrollup"]),
        f"INSERT INTO {target['stats_contributiondayrollup']} (mode, area_id, c_year, c_month, "
        f"c_day, year, field, status, {', '.join(_LEDGER)}) "
        "SELECT n.mode, n.node_id, u.c_year, u.c_month, u.c_day, u.year, u.field, u.status, "
        + ", ".join(f"SUM(u.{m})" for m in _LEDGER)
        + f" FROM ({days}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        "GROUP BY n.mode, n.node_id, u.c_year, u.c_month, u.c_day, u.year, u.field, u.status "
        "ORDER BY n.mode, n.node_id, u.c_year, u.c_month, u.c_day, u.year, u.field, u.status",
        f"INSERT INTO {target['stats_registeringrollup']} (mode, area_id, year, "
        f"organisation_id, {', '.join(REGISTERING_COLUMNS)}) "
        "SELECT n.mode, n.node_id, u.year, u.organisation_id, "
        + ", ".join(f"SUM(u.{name})" for name in REGISTERING_COLUMNS)
        + f" FROM (SELECT i.area_id, i.year, i.organisation_id, {_registering_sums()} "
        "FROM initiatives_initiative i GROUP BY i.area_id, i.year, i.organisation_id) u "
        "JOIN stats_areanode n ON n.area_id = u.area_id "
        "GROUP BY n.mode, n.node_id, u.year, u.organisation_id "
        "ORDER BY n.mode, n.node_id, u.year, u.organisation_id",
        # Every year of an organisation under a node: the sum of its years' rows.
        f"INSERT INTO {target['stats_registeringrollup']} (mode, area_id, year, "
        f"organisation_id, {', '.join(REGISTERING_COLUMNS)}) "
        f"SELECT mode, area_id, {ALL_YEARS}, organisation_id, "
        + ", ".join(f"SUM({name})" for name in REGISTERING_COLUMNS)
        + f" FROM {target['stats_registeringrollup']} WHERE year <> {ALL_YEARS} "
        "GROUP BY mode, area_id, organisation_id ORDER BY mode, area_id, organisation_id",
        # The latest value per key comes from a window over the same join, ranked by
        # period end then id: the same tie rule as the incremental upsert.
        f"INSERT INTO {target['stats_resultrollup']} (mode, area_id, year, indicator_id, "
        "total_e4, count, max_e4, latest_end, latest_id, latest_e4) "
        "SELECT mode, node_id, year, indicator_id, SUM(v), COUNT(*), MAX(v), "
        "MAX(CASE WHEN rank = 1 THEN period_end END), MAX(CASE WHEN rank = 1 THEN id END), "
        "MAX(CASE WHEN rank = 1 THEN v END) FROM ("
        f"SELECT n.mode, n.node_id, {r_year} AS year, r.indicator_id, r.id, r.period_end, "
        f"{_scaled('r.value')} AS v, ROW_NUMBER() OVER (PARTITION BY n.mode, n.node_id, "
        f"{r_year}, r.indicator_id ORDER BY r.period_end DESC, r.id DESC) AS rank "
        "FROM initiatives_result r "
        "JOIN initiatives_initiative i ON i.id = r.initiative_id "
        "JOIN stats_areanode n ON n.area_id = i.area_id) ranked "
        "GROUP BY mode, node_id, year, indicator_id ORDER BY mode, node_id, year, indicator_id",
        chain_statement(target["stats_chainrollup"]),
        chain_statement(target["stats_chaindetailrollup"], detail=True),
        chain_kind_statement(target),
        *detail_statements(target, per_day, replicated),
        *kind_statements(target, truth),
        *recognition_statements(target),
    ]


def _written_table(statement: str) -> str:
    """The table an ``INSERT INTO <table> …`` statement writes."""
    return statement.split(None, 3)[2]


@transaction.atomic
def rebuild_rollups(
    *, reset_nodes: bool = False, only: Iterable[str] | None = None
) -> dict[str, int]:
    """Recompute all rollups from the base tables; return the number of rows of each.

    ``reset_nodes`` also recomputes the area-node cache: needed after the tree's history
    changed (a new succession, a unit moved), which changes where facts are restated.
    ``only`` names the rollups to recompute (``ROLLUP_NAMES``), leaving the others as they
    are: a large database gets a new rollup table without recomputing every other one. It
    cannot be combined with ``reset_nodes``, which changes where every figure is counted.
    """
    names = list(ROLLUP_NAMES) if only is None else list(dict.fromkeys(only))
    unknown = [name for name in names if name not in ROLLUP_NAMES]
    if unknown:
        raise ValueError(f"unknown rollup {unknown[0]!r}; one of {', '.join(ROLLUP_NAMES)}")
    if reset_nodes and only is not None:
        raise ValueError("resetting the nodes moves every rollup: rebuild them all")
    models = [ROLLUP_NAMES[name] for name in names]
    tables = {model._meta.db_table for model in models}
    pending_before_rebuild(every_table=only is None)
    if reset_nodes:
        AreaNode.objects.all().delete()
        lineage_changed()
        transaction.on_commit(lineage_changed)
    ensure_area_nodes(Initiative.objects.values_list("area_id", flat=True).distinct())
    for model in models:
        model.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in statements():
            if _written_table(statement) in tables:
                cursor.execute(statement)
        # The planner's row counts of these tables changed wholesale: refresh them, or the first
        # dashboards after a rebuild may be planned as if the tables were empty.
        for model in (AreaNode, *models):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {name: ROLLUP_NAMES[name].objects.count() for name in names}
