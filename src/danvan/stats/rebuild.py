"""Rebuild every rollup from the base tables in a few set-based statements.

Bulk loaders (the demo's generated population, future imports of millions of rows) skip the
services for speed, so they end with this instead of incremental maintenance. The result is
the same as maintaining the rollups write by write; the tests prove it.
"""

from django.db import connection, transaction

from danvan.initiatives.models import Initiative
from danvan.stats.models import AreaNode, ContributionRollup, InitiativeRollup, ResultRollup
from danvan.stats.nodes import ensure_area_nodes

_KEY = (
    "n.mode, n.node_id, i.year, i.field, i.status, i.registration_kind, "
    "CASE WHEN i.replicated_from_id IS NULL THEN {false} ELSE {true} END, i.exemplary, o.kind"
)
_COLUMNS = "mode, area_id, year, field, status, registration_kind, replicated, exemplary, org_kind"
_FROM = (
    "FROM initiatives_initiative i "
    "JOIN orgs_organisation o ON o.id = i.organisation_id "
    "JOIN stats_areanode n ON n.area_id = i.area_id "
)


def _date_part(part: str, column: str) -> str:
    if connection.vendor == "sqlite":
        code = {"year": "%Y", "month": "%m"}[part]
        return f"CAST(strftime('{code}', {column}) AS INTEGER)"
    return f"CAST(EXTRACT({part.upper()} FROM {column}) AS INTEGER)"


def _scaled(column: str) -> str:
    return f"CAST(ROUND({column} * 10000) AS BIGINT)"


def _statements() -> list[str]:
    truth = ("1", "0") if connection.vendor == "sqlite" else ("TRUE", "FALSE")
    key = _KEY.format(true=truth[0], false=truth[1])
    c_year, c_month = _date_part("year", "c.date"), _date_part("month", "c.date")
    r_year = _date_part("year", "r.period_end")

    def kind_sum(kind: str) -> str:
        return f"SUM(CASE WHEN c.kind = '{kind}' THEN c.amount ELSE 0 END)"

    return [
        f"INSERT INTO stats_initiativerollup ({_COLUMNS}, initiatives) "
        f"SELECT {key}, COUNT(*) {_FROM} GROUP BY {key}",
        f"INSERT INTO stats_contributionrollup ({_COLUMNS}, c_year, c_month, money, land, "
        "labour, in_kind, contributors, entries) "
        f"SELECT {key}, {c_year}, {c_month}, {kind_sum('money')}, {kind_sum('land')}, "
        f"{kind_sum('labour')}, {kind_sum('in_kind')}, SUM(c.contributors), "
        "SUM(CASE WHEN c.corrects_id IS NULL THEN 1 ELSE 0 END) "
        f"{_FROM} JOIN initiatives_contribution c ON c.initiative_id = i.id "
        f"GROUP BY {key}, {c_year}, {c_month}",
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
    return {
        "initiatives": InitiativeRollup.objects.count(),
        "contributions": ContributionRollup.objects.count(),
        "results": ResultRollup.objects.count(),
    }
