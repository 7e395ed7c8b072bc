"""The summary's rows of every year (``SummaryAllYearsRollup``): questions that ask no
registration year (a breakdown by unit over all years, the all-time totals a recent cut-off
is read from) read one row per node, field and status instead of every year's; they equal the
base tables for every unit, filter and grouping, and are kept write by write exactly as a
rebuild makes them."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import MODES, NATIONAL, SummaryAllYearsRollup, SummaryRollup
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import contribution_figures, initiative_figures
from danvan.stats.shape import FIGURE_MEASURES, LEDGER_MEASURES
from tests.stats import scenario
from tests.stats.reference import contributions_from_base_tables, initiatives_from_base_tables
from tests.stats.test_contribution_details import write_ledgers
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

D = datetime.date
ALL_YEARS = "stats_summaryallyearsrollup"
BY_YEAR = "stats_summaryrollup"
GROUPINGS = [(), ("field",), ("status",), ("level",), ("level", "field"), ("level", "status")]
FILTERS = [
    {},
    {"field": Field.ECONOMY},
    {"status": REGISTERED_STATUSES},
    {"field": [Field.ECONOMY, Field.CULTURE_SOCIETY], "status": "registered"},
]
# No start: the whole ledger, and cut-offs weeks before today, which are read as the
# all-time totals less what is dated after them.
CUTOFFS = [None, D(2026, 11, 15), D(2026, 10, 31)]


@pytest.fixture
def written(units, orgs, indicators):
    return write_ledgers(units, orgs, indicators)


def _tables(call) -> str:
    """The SQL of a call, asked a second time (the first registration year, which decides how
    a cut-off is read, is cached by the first)."""
    call()
    with CaptureQueriesContext(connection) as queries:
        call()
    return " ".join(query["sql"] for query in queries.captured_queries)


def _figures(rows: list[dict]) -> list[dict]:
    """The rows that hold a figure (a question of nothing answers one row of zeros)."""
    measures = {*FIGURE_MEASURES, *LEDGER_MEASURES}
    return [row for row in rows if any(v for k, v in row.items() if k in measures)]


def test_questions_of_every_year_read_the_all_years_rows(written):
    for call in (
        lambda: initiative_figures(group_by=("level",)),
        lambda: initiative_figures(group_by=("level", "field"), status=REGISTERED_STATUSES),
        lambda: contribution_figures(group_by=("level",)),
        lambda: contribution_figures(cutoff=D(2026, 11, 15), group_by=("level",)),
    ):
        read = _tables(call)
        assert ALL_YEARS in read
        assert BY_YEAR not in read


def test_a_registration_year_asked_or_grouped_by_reads_the_rows_by_year(written):
    for call in (
        lambda: initiative_figures(group_by=("level",), year_from=2024, year_to=2024),
        lambda: initiative_figures(group_by=("year",)),
        lambda: initiative_figures(group_by=("level",), year_to=2024),
        lambda: contribution_figures(group_by=("field",), year_from=2025),
    ):
        read = _tables(call)
        assert BY_YEAR in read
        assert ALL_YEARS not in read


def test_every_unit_filter_and_grouping_equals_the_base_tables(written):
    """Every unit of the writes and above them (breakdowns by unit across schemes among
    them), both modes, under each filter, counts and the ledger to each cut-off."""
    found_any = False
    for area, mode, scope in itertools.product(scopes(written), MODES, FILTERS):
        where = {"area": area, "mode": mode, **scope}
        counts = initiatives_from_base_tables(**where)
        ledgers = {
            cutoff: contributions_from_base_tables(**where, start=None, cutoff=cutoff)
            for cutoff in CUTOFFS
        }
        for group_by in GROUPINGS:
            found = initiative_figures(**where, group_by=group_by)
            assert _figures(found) == _figures(counts(group_by)), (where, group_by)
            found_any = found_any or bool(_figures(found))
            for cutoff, reference in ledgers.items():
                dated = contribution_figures(**where, cutoff=cutoff, group_by=group_by)
                assert _figures(dated) == _figures(reference(group_by)), (where, cutoff, group_by)
    assert found_any


def test_the_upkeep_of_the_all_years_rows_equals_a_rebuild(written):
    kept = scenario.table_state()["summary all years"]
    assert kept
    assert set(rollup_differences().values()) == {0}
    assert set(rebuild_rollups(only=("summary_all_years",))) == {"summary_all_years"}
    assert scenario.table_state()["summary all years"] == kept
    # The country's rows are its summary rows of every year added up, one per field and status.
    national = SummaryAllYearsRollup.objects.filter(area_id=NATIONAL)
    by_year = SummaryRollup.objects.filter(area_id=NATIONAL)
    assert national.count() < by_year.count()
    assert sum(national.values_list("money", flat=True)) == sum(
        by_year.values_list("money", flat=True)
    )


def test_the_exactness_check_finds_an_all_years_row_gone_wrong(written):
    row = SummaryAllYearsRollup.objects.exclude(money=0).order_by("pk").first()
    SummaryAllYearsRollup.objects.filter(pk=row.pk).update(money=row.money + 1)
    differences = rollup_differences()
    assert differences[ALL_YEARS] == 2
    assert differences[BY_YEAR] == 0
    rebuild_rollups(only=("summary_all_years",))
    assert set(rollup_differences().values()) == {0}
