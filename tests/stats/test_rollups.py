"""The rollups equal the ledgers after any sequence of writes, in both boundary modes."""

import datetime
from decimal import Decimal

import pytest

from danvan.areas.models import Area
from danvan.initiatives.catalogues import Aggregation
from danvan.initiatives.models import Indicator, Initiative, Result
from danvan.stats.lineage import territory_parts
from danvan.stats.models import AS_WAS, MODES, RESTATED
from danvan.stats.nodes import area_node_ids
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import (
    contribution_figures,
    contribution_figures_direct,
    initiative_figures,
    initiative_figures_direct,
    result_figures,
)
from tests.stats import scenario

pytestmark = pytest.mark.django_db


def scopes(units) -> list[Area | None]:
    """The country, every unit of the scenario, and every unit above them."""
    found: dict[int, Area] = {}
    for unit in units.values():
        for mode in MODES:
            for pk in area_node_ids(unit, mode)[1:]:
                found.setdefault(pk, Area.objects.get(pk=pk))
    return [None, *found.values()]


def in_territory(unit: Area, area: Area | None) -> bool:
    """Whether facts recorded on ``unit`` belong to ``area``'s territory (both modes)."""
    return any(node in area_node_ids(unit, mode) for mode, node in territory_parts(area))


def expected_result(area, mode, year, indicator: Indicator):
    """The indicator's figure computed row by row in Python."""
    rows = [
        r
        for r in Result.objects.filter(indicator=indicator, period_end__year=year)
        .select_related("initiative__area")
        .order_by("period_end", "id")
        if in_territory(r.initiative.area, area)
    ]
    if not rows:
        return 0, None
    values = [r.value for r in rows]
    rule = indicator.aggregation
    value = {
        Aggregation.SUM: sum(values, Decimal(0)),
        Aggregation.AVERAGE: (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.0001")),
        Aggregation.LATEST: rows[-1].value,
        Aggregation.MAX: max(values),
    }[rule]
    return len(rows), value


def assert_everything_matches(units, indicators):
    for area in scopes(units):
        for mode in MODES:
            for group_by in scenario.GROUPINGS:
                args = {"area": area, "mode": mode, "group_by": group_by}
                assert initiative_figures(**args) == initiative_figures_direct(**args), args
            for cutoff in (None, datetime.date(2024, 11, 30), datetime.date(2025, 6, 30)):
                # The monthly table, the initiatives' all-time totals (no cut-off), and the
                # ledger for a dimension the monthly table does not keep.
                for group_by in (
                    (),
                    ("contribution_month",),
                    ("level", "status"),
                    ("org_kind", "replicated"),
                    ("registration_kind",),
                ):
                    args = {"area": area, "mode": mode, "cutoff": cutoff, "group_by": group_by}
                    assert contribution_figures(**args) == contribution_figures_direct(**args)
            args = {"area": area, "mode": mode, "year_from": 2024, "field": "economy"}
            assert initiative_figures(**args) == initiative_figures_direct(**args), args
            for indicator in indicators.values():
                for year in (2024, 2025):
                    figure = result_figures(area=area, mode=mode, year=year, indicator=indicator)
                    count, value = expected_result(area, mode, year, indicator)
                    assert (figure["count"], figure["value"]) == (count, value), (
                        area,
                        mode,
                        indicator.code,
                    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_rollups_equal_to_the_ledgers(seed, units, orgs, indicators):
    scenario.run(seed, 120, units, orgs, indicators)
    initiatives, contributions, results = scenario.ledger_sizes()
    assert initiatives > 10 and contributions > 5 and results > 5
    assert_everything_matches(units, indicators)
    incremental = scenario.table_state()
    rebuild_rollups(reset_nodes=True)
    assert scenario.table_state() == incremental
    assert_everything_matches(units, indicators)


def test_national_totals_are_the_same_in_both_modes(units, orgs, indicators):
    scenario.run(7, 80, units, orgs, indicators)
    assert Initiative.objects.exists()
    for group_by in ((), ("year",), ("field", "status", "org_kind")):
        assert initiative_figures(mode=AS_WAS, group_by=group_by) == initiative_figures(
            mode=RESTATED, group_by=group_by
        )
    for indicator in indicators.values():
        for year in (2024, 2025):
            assert result_figures(mode=AS_WAS, year=year, indicator=indicator) == result_figures(
                mode=RESTATED, year=year, indicator=indicator
            )
