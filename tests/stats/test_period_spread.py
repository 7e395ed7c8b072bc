"""A period's days are asked node by node: each (node, span) pair is one arm of the query, so
the rollup's key answers it, whatever the number of nodes an ended unit's territory has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.stats import selectors
from danvan.stats.lineage import territory_parts
from danvan.stats.models import AS_WAS
from danvan.stats.selectors import contribution_figures
from tests.stats.test_boundaries import create, give

pytestmark = pytest.mark.django_db

# Two partial months (from 15 August to 15 November 2025) and the whole months between.
START, END = datetime.date(2025, 8, 15), datetime.date(2025, 11, 15)


@pytest.fixture
def gifts(units, orgs):
    """Gifts to a model of Yên Giang's (a ward of Thị xã Quảng Yên, a town that ended) and to
    one of today's Quảng Yên ward, formed inside the town's land, on the period's edges and
    just outside them."""
    legacy = create(orgs[0], units["yen_giang"])
    current = create(orgs[3], units["quang_yen"], year=2025)
    for model in (legacy, current):
        give(model, 1, datetime.date(2025, 8, 14))  # the day before the period
        give(model, 10, datetime.date(2025, 8, 15))  # its first day
        give(model, 100, datetime.date(2025, 10, 1))  # a whole month inside it
        give(model, 1_000, datetime.date(2025, 11, 15))  # its last day
        give(model, 10_000, datetime.date(2025, 11, 16))  # the day after it
    return units


def test_an_ended_town_counts_its_days_and_its_successors_exactly(gifts):
    town = gifts["yen_giang"].parent  # Thị xã Quảng Yên
    assert len(territory_parts(town)) >= 2, "the test needs a territory of several nodes"
    [row] = contribution_figures(area=town, mode=AS_WAS, start=START, cutoff=END)
    assert row["money"] == 2 * (10 + 100 + 1_000)
    by_kind = contribution_figures(
        area=town, mode=AS_WAS, start=START, cutoff=END, group_by=("org_kind",)
    )
    assert sum(r["money"] for r in by_kind) == 2 * (10 + 100 + 1_000)


@pytest.mark.parametrize(
    "group_by, day_table",
    [
        (("org_kind",), "contributiondetaildayrollup"),
        (("org_kind", "replicated"), "contributiondetaildayrollup"),
    ],
)
def test_each_node_is_asked_with_each_span_of_days(gifts, group_by, day_table):
    town = gifts["yen_giang"].parent  # Thị xã Quảng Yên
    parts = len(territory_parts(town))
    with CaptureQueriesContext(connection) as queries:
        contribution_figures(area=town, mode=AS_WAS, start=START, cutoff=END, group_by=group_by)
    [days] = [q["sql"] for q in queries if day_table in q["sql"]]
    # One arm per node and span: the node's key, the span's year, month and days together.
    assert days.count('"c_day" >=') == parts * 2
    assert days.count('"area_id" =') == parts * 2


def test_every_arm_of_the_days_names_all_their_months(gifts):
    """PostgreSQL takes a condition found alike in every arm into the index's key range: each
    arm names the spans' years and months, so the index is read for those months only."""
    town = gifts["yen_giang"].parent
    parts = len(territory_parts(town))
    with CaptureQueriesContext(connection) as queries:
        contribution_figures(area=town, mode=AS_WAS, start=START, cutoff=END)
    [days] = [q["sql"] for q in queries if "contributiondayrollup" in q["sql"]]
    assert days.count('"c_month" IN (8, 11)') == parts * 2
    assert days.count('"c_year" IN (2025)') == parts * 2


@pytest.mark.parametrize(
    "start, end, ranges",
    [
        # Within one year: one range of months, no arm for the years after it.
        (START, END, 1),
        (datetime.date(2024, 8, 15), END, 2),  # the first year's months, the last year's
        (datetime.date(2023, 8, 15), END, 3),  # and the whole years between
        (None, END, 2),  # every year before the last, then its months
        (START, None, 2),  # the first year's months, then every year after it
    ],
)
def test_the_whole_months_are_one_range_of_the_key_per_year_part(
    gifts, monkeypatch, start, end, ranges
):
    # Months up to the cut-off, not the all-time totals less the months after it.
    monkeypatch.setattr(selectors, "_fewer_after", lambda cutoff, year_from: False)
    town = gifts["yen_giang"].parent
    parts = len(territory_parts(town))
    with CaptureQueriesContext(connection) as queries:
        figures = contribution_figures(area=town, mode=AS_WAS, start=start, cutoff=end)
    [months] = [q["sql"] for q in queries if "stats_contributionrollup" in q["sql"]]
    where = months.split(" WHERE ", 1)[1]
    assert where.count('"area_id" =') == parts * ranges
    # Both models' gifts of the period, whichever way it is written.
    inside = {(START, END): 2 * 1_110}.get((start, end))
    if inside is not None:
        assert figures[0]["money"] == inside
