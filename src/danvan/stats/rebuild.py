"""Rebuild every rollup from the base tables in a few set-based statements.

Bulk loaders (the demo's generated population, future imports of millions of rows) skip the
services for speed, so they end with this instead of incremental maintenance. The result is
the same as maintaining the rollups write by write; the tests prove it.
"""

from django.db import connection, transaction

from danvan.initiatives.models import Initiative
from danvan.stats.models import AreaNode, ContributionRollup, InitiativeRollup, ResultRollup
from danvan.stats.nodes import ensure_area_nodes

_COLUMNS = "mode, area_id, year, field, status, registration_kind, replicated, org_kind"
_LEDGER = ("money", "land", "labour", "in_kind", "contributors", "entries")


def _date_part(part: str, column: str) -> str:
    if connection.vendor == "sqlite":
        code = {"year": "%Y", "month": "%m"}[part]
        return f"CAST(strftime('{code}', {column}) AS INTEGER)"
    return f"CAST(EXTRACT({part.upper()} FROM {column}) AS INTEGER)"


def _scaled(column: str) -> str:
    return f"CAST(ROUND({column} * 10000) AS BIGINT)"


def _statements() -> list[str]:
    truth = ("1", "0") if connection.vendor == "sqlite" else ("TRUE", "FALSE")
    c_year, c_month = _date_part("year", "c.date"), _date_part("month", "c.date")
    r_year = _date_part("year", "r.period_end")

    def kind_sum(kind: str) -> str:
        return f"SUM(CASE WHEN c.kind = '{kind}' THEN c.amount ELSE 0 END)"

    # Facts are first summed per unit (a few thousand units carry millions of rows), then
    # counted under every node of the unit: the join with the nodes multiplies groups, not
    # ledger entries.
    replicated = f"CASE WHEN i.replicated_from_id IS NULL THEN {truth[1]} ELSE {truth[0]} END"
    dims = f"i.area_id, i.year, i.field, i.status, i.registration_kind, {replicated}, o.kind"
    per_initiative = (
        "SELECT c.initiative_id, "
        + ", ".join(f"{kind_sum(k)} AS {k}" for k in _LEDGER[:4])
        + ", SUM(c.contributors) AS contributors, "
        "SUM(CASE WHEN c.corrects_id IS NULL THEN 1 ELSE 0 END) AS entries "
        "FROM initiatives_contribution c GROUP BY c.initiative_id"
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
    months = (
        f"SELECT i.area_id, i.year, i.field, i.status, {c_year} AS c_year, "
        f"{c_month} AS c_month, "
        + ", ".join(f"{kind_sum(k)} AS {k}" for k in _LEDGER[:4])
        + ", SUM(c.contributors) AS contributors, "
        "SUM(CASE WHEN c.corrects_id IS NULL THEN 1 ELSE 0 END) AS entries "
        "FROM initiatives_initiative i JOIN initiatives_contribution c "
        "ON c.initiative_id = i.id "
        f"GROUP BY i.area_id, i.year, i.field, i.status, {c_year}, {c_month}"
    )
    return [
        f"INSERT INTO stats_initiativerollup ({_COLUMNS}, initiatives, exemplary, "
        f"{', '.join(_LEDGER)}) "
        f"SELECT {unit_key}, SUM(u.n), SUM(u.exemplary), "
        + ", ".join(f"SUM(u.{m})" for m in _LEDGER)
        + f" FROM ({per_unit}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        f"GROUP BY {unit_key}",
        "INSERT INTO stats_contributionrollup (mode, area_id, year, field, status, c_year, "
        f"c_month, {', '.join(_LEDGER)}) "
        "SELECT n.mode, n.node_id, u.year, u.field, u.status, u.c_year, u.c_month, "
        + ", ".join(f"SUM(u.{m})" for m in _LEDGER)
        + f" FROM ({months}) u JOIN stats_areanode n ON n.area_id = u.area_id "
        "GROUP BY n.mode, n.node_id, u.year, u.field, u.status, u.c_year, u.c_month",
        # The latest value per key comes from a window over the same join, ranked by
        # period end then id: the same tie rule as the incremental upsert.
        "INSERT INTO stats_resultrollup (mode, area_id, year, indicator_id, total_e4, count, "
        "max_e4, latest_end, latest_id, latest_e4) "
        "SELECT mode, node_id, year, indicator_id, SUM(v), COUNT(*), MAX(v), "
        "MAX(CASE WHEN rank = 1 THEN period_end END), MAX(CASE WHEN rank = 1 THEN id END), "
        "MAX(CASE WHEN rank = 1 THEN v END) FROM ("
        f"SELECT n.mode, n.node_id, {r_year} AS year, r.indicator_id, r.id, r.period_end, "
        f"{_scaled('r.value')} AS v, ROW_NUMBER() OVER (PARTITION BY n.mode, n.node_id, "
        f"{r_year}, r.indicator_id ORDER BY r.period_end DESC, r.id DESC) AS rank "
        "FROM initiatives_result r "
        "JOIN initiatives_initiative i ON i.id = r.initiative_id "
        "JOIN stats_areanode n ON n.area_id = i.area_id) ranked "
        "GROUP BY mode, node_id, year, indicator_id",
    ]


@transaction.atomic
def rebuild_rollups(*, reset_nodes: bool = False) -> dict[str, int]:
    """Recompute all rollups from the base tables; return the number of rows of each.

    ``reset_nodes`` also recomputes the area-node cache: needed after the tree's history
    changed (a new succession, a unit moved), which changes where facts are restated.
    """
    if reset_nodes:
        AreaNode.objects.all().delete()
    ensure_area_nodes(Initiative.objects.values_list("area_id", flat=True).distinct())
    for model in (InitiativeRollup, ContributionRollup, ResultRollup):
        model.objects.all().delete()
    with connection.cursor() as cursor:
        for statement in _statements():
            cursor.execute(statement)
        # The planner's row counts of these tables changed wholesale: refresh them, or the first
        # dashboards after a rebuild may be planned as if the tables were empty.
        for model in (AreaNode, InitiativeRollup, ContributionRollup, ResultRollup):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {
        "initiatives": InitiativeRollup.objects.count(),
        "contributions": ContributionRollup.objects.count(),
        "results": ResultRollup.objects.count(),
    }
