"""Dated contributions grouped by registration kind, replication or organisation kind: read
from the dated tables that keep them, equal to the ledger for every grouping the API accepts,
kept write by write exactly as a rebuild makes them."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.initiatives.models import Contribution, Initiative
from danvan.initiatives.services import contribution_correct
from danvan.orgs.models import OrgKind
from danvan.stats.direct import contribution_figures_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.filtered import Filters, figures, registering_units
from danvan.stats.lineage import territory_q
from danvan.stats.models import (
    MODES,
    ContributionDetailDayRollup,
    ContributionDetailRollup,
)
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import contribution_figures
from danvan.stats.shape import CONTRIBUTION_GROUPS
from tests.stats import scenario
from tests.stats.reference import contributions_from_base_tables
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

D = datetime.date
# A cut-off on a month's last day, one inside a month, a period inside one month, one across
# years starting and ending inside months, a start alone, and no dates (by month or year).
PERIODS = [
    (None, D(2024, 11, 30)),
    (None, D(2024, 11, 15)),
    (D(2024, 5, 4), D(2024, 5, 20)),
    (D(2024, 3, 17), D(2025, 2, 9)),
    (D(2024, 6, 12), None),
    (None, None),
    # Whole years (the month table's year rows) with and without months around them.
    (None, D(2025, 6, 30)),
    (D(2024, 1, 1), D(2025, 12, 31)),
    (D(2024, 2, 1), D(2024, 12, 31)),
    (D(2024, 1, 1), None),
    (D(2023, 12, 9), D(2025, 1, 3)),
]
DETAIL = ("registration_kind", "replicated", "org_kind")
# Every grouping the API accepts (up to three names) that reads the detail tables.
EVERY_GROUPING = [
    grouping
    for size in (1, 2, 3)
    for grouping in itertools.combinations(sorted(CONTRIBUTION_GROUPS), size)
    if set(grouping) & set(DETAIL)
]
SOME_GROUPINGS = [
    ("org_kind",),
    ("registration_kind", "replicated"),
    ("level", "org_kind"),
    ("org_kind", "contribution_month"),
    ("replicated", "field", "status"),
    ("org_kind", "contribution_year"),
]
DASHBOARD_PERIODS = [
    (D(2024, 3, 17), D(2024, 11, 15)),
    (D(2024, 5, 4), D(2024, 5, 20)),
    (None, D(2025, 1, 31)),
]
FILTERS = [
    {"year_from": 2024, "year_to": 2024},
    {"field": "economy"},
    {"status": REGISTERED_STATUSES},
    {"year_from": 2025, "field": ["economy", "culture_society"], "status": "registered"},
]


@pytest.fixture
def written(units, orgs, indicators):
    return write_ledgers(units, orgs, indicators)


def write_ledgers(units, orgs, indicators):
    """Random writes through the services, with corrections up and down."""
    scenario.run(11, 140, units, orgs, indicators)
    entries = list(Contribution.objects.filter(corrects__isnull=True).order_by("pk")[:6])
    for number, entry in enumerate(entries):
        contribution_correct(
            actor=SYSTEM,
            entry=entry,
            amount=entry.amount // 2 if number % 2 else entry.amount,
            contributors=number * 7,
            reason="Đếm lại",
        )
    initiatives, contributions, _results = scenario.ledger_sizes()
    assert initiatives >= 5 and contributions > 10
    return units


def _same(*, group_by=(), reference=None, **args) -> None:
    """The rollups' answer equals the ledger's; ``reference``, when given, is the scope's
    ledger already read for every grouping (``tests.stats.reference``)."""
    found = contribution_figures(**args, group_by=group_by)
    reference = reference or contributions_from_base_tables(**args)
    assert found == reference(group_by), (args, group_by)
    return found


def test_every_grouping_the_api_accepts_equals_the_ledger(written):
    """The country in both modes, a period that reads days, months and days again."""
    by_kind = _same(start=D(2024, 3, 17), cutoff=D(2025, 2, 9), group_by=("org_kind", "replicated"))
    assert len({row["org_kind"] for row in by_kind}) > 1
    for mode in MODES:
        period = {"mode": mode, "start": D(2024, 3, 17), "cutoff": D(2025, 2, 9)}
        reference = contributions_from_base_tables(**period)
        for group_by in EVERY_GROUPING:
            _same(**period, group_by=group_by, reference=reference)
    assert len(EVERY_GROUPING) == 88


def test_every_unit_period_and_filter_equals_the_ledger(written):
    """Every unit of the writes and every unit above them (a breakdown by unit across schemes
    among them), both modes, every kind of period, and the filters."""
    found_any = False
    for area in scopes(written):
        for mode in MODES:
            for start, cutoff in PERIODS:
                period = {"area": area, "mode": mode, "start": start, "cutoff": cutoff}
                reference = contributions_from_base_tables(**period)
                for group_by in SOME_GROUPINGS:
                    found = _same(**period, group_by=group_by, reference=reference)
                    found_any = found_any or bool(found)
            for scope in FILTERS:
                _same(
                    area=area,
                    mode=mode,
                    cutoff=D(2024, 11, 15),
                    group_by=("org_kind", "replicated"),
                    **scope,
                )
    assert found_any


def test_a_dated_grouping_by_replication_reads_the_detail_tables_only(written):
    with CaptureQueriesContext(connection) as queries:
        contribution_figures(cutoff=D(2024, 11, 15), group_by=("org_kind", "replicated"))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "stats_contributiondetailrollup" in sql
    assert "stats_contributiondetaildayrollup" in sql
    assert "initiatives_contribution" not in sql
    # The questions without those dimensions keep the smaller tables.
    with CaptureQueriesContext(connection) as queries:
        contribution_figures(cutoff=D(2024, 11, 15), group_by=("field",))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "detail" not in sql and "stats_contributiondayrollup" in sql


def _details() -> dict:
    state = scenario.table_state()
    return {name: state[name] for name in ("contribution details", "contribution detail days")}


def test_the_upkeep_equals_a_rebuild(written):
    kept = _details()
    assert kept["contribution details"] and kept["contribution detail days"]
    assert set(rollup_differences().values()) == {0}
    counts = rebuild_rollups(only=("contribution_details", "contribution_detail_days"))
    assert set(counts) == {"contribution_details", "contribution_detail_days"}
    assert _details() == kept


def test_the_exactness_check_finds_a_detail_row_gone_wrong(written):
    row = ContributionDetailDayRollup.objects.exclude(money=0).order_by("pk").first()
    ContributionDetailDayRollup.objects.filter(pk=row.pk).update(money=row.money + 1)
    month = ContributionDetailRollup.objects.exclude(entries=0).order_by("pk").first()
    ContributionDetailRollup.objects.filter(pk=month.pk).delete()
    differences = rollup_differences()
    # The changed row is both one that should not be there and one missing.
    assert differences["stats_contributiondetaildayrollup"] == 2
    assert differences["stats_contributiondetailrollup"] == 1
    assert differences["stats_contributiondayrollup"] == 0
    rebuild_rollups(only=("contribution_detail_days", "contribution_details"))
    assert set(rollup_differences().values()) == {0}


def test_a_change_of_organisation_kind_moves_the_dated_rows(written, orgs):
    """The kind of an organisation is a key of the detail rows: changing it moves its
    initiatives' contributions, by day and by month, to the new kind."""
    from danvan.orgs.services import organisation_update

    organisation = next(org for org in orgs if org.initiatives.exists())
    before = contribution_figures(cutoff=D(2025, 6, 14), group_by=("org_kind",))
    organisation_update(actor=SYSTEM, organisation=organisation, kind=OrgKind.VETERANS_ASSOCIATION)
    after = contribution_figures(cutoff=D(2025, 6, 14), group_by=("org_kind",))
    assert after != before
    assert after == contribution_figures_direct(cutoff=D(2025, 6, 14), group_by=("org_kind",))
    assert set(rollup_differences().values()) == {0}


@pytest.mark.parametrize("kind", [OrgKind.WOMENS_UNION, OrgKind.YOUTH_UNION])
def test_the_dashboards_period_and_kind_filters_equal_the_ledger(written, kind):
    """The dashboard's figures under a period and a kind of organisation, by field, by kind
    and by unit: the dated measures are the ledger's, the registering units the base
    tables'."""
    for area, (start, end) in itertools.product(scopes(written)[:4], DASHBOARD_PERIODS):
        for mode in MODES:
            for group_by in ((), ("field",), ("org_kind",), ("level",)):
                rows = figures(
                    area=area,
                    mode=mode,
                    filters=Filters(org_kind=kind, start=start, end=end),
                    group_by=group_by,
                )
                names = ["area_id" if name == "level" else name for name in group_by]
                shown = {
                    tuple(row[name] for name in names): {
                        measure: row[measure] for measure in ("money", "land", "people")
                    }
                    for row in rows
                    if any(row[measure] for measure in ("money", "land", "people"))
                }
                direct = contribution_figures_direct(
                    area=area,
                    mode=mode,
                    year_from=start.year if start else None,
                    year_to=end.year,
                    status=REGISTERED_STATUSES,
                    start=start,
                    cutoff=end,
                    group_by=(*group_by, "org_kind") if "org_kind" not in group_by else group_by,
                )
                expected = {
                    tuple(row[name] for name in names): {
                        measure: row[measure] for measure in ("money", "land", "people")
                    }
                    for row in direct
                    if row["org_kind"] == kind
                    if any(row[measure] for measure in ("money", "land", "people"))
                }
                assert shown == expected, (area, mode, group_by)
            # The organisations of the kind registering in the period's years.
            initiatives = Initiative.objects.filter(
                territory_q(area),
                status__in=REGISTERED_STATUSES,
                year__lte=end.year,
                organisation__kind=kind,
            )
            if start is not None:
                initiatives = initiatives.filter(year__gte=start.year)
            expected_units = initiatives.values("organisation_id").distinct().count()
            for mode in MODES:
                assert (
                    registering_units(
                        area=area, mode=mode, filters=Filters(org_kind=kind, start=start, end=end)
                    )
                    == expected_units
                ), (area, mode)
