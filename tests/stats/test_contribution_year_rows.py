"""``ContributionRollup``'s year rows (``c_month`` 0): every save keeps them with its month
rows, a period's whole years are read by them, and what they answer equals the ledger."""

import datetime

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from danvan.stats import selectors
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import MODES, NATIONAL, WHOLE_YEAR, ContributionRollup
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.rollups_base import MEASURES
from danvan.stats.selectors import contribution_figures
from danvan.stats.shape import LEDGER_MEASURES
from tests.stats import scenario
from tests.stats.reference import contributions_from_base_tables
from tests.stats.test_contribution_details import write_ledgers
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

D = datetime.date
# Periods with whole years in them, read both ways a cut-off is read.
PERIODS = [
    (None, D(2024, 11, 15)),
    (None, D(2024, 12, 31)),
    (D(2023, 12, 9), D(2025, 1, 3)),
    (D(2024, 1, 1), None),
    (D(2024, 2, 1), None),
]


@pytest.fixture
def written(units, orgs, indicators):
    return write_ledgers(units, orgs, indicators)


def _figures(rows: list[dict]) -> list[dict]:
    return [row for row in rows if any(row.get(m) for m in LEDGER_MEASURES)]


def test_a_year_row_holds_its_months(written):
    years = ContributionRollup.objects.filter(c_month=WHOLE_YEAR)
    assert years.exists()
    for row in years.filter(area_id=NATIONAL):
        months = ContributionRollup.objects.filter(
            mode=row.mode,
            area_id=NATIONAL,
            year=row.year,
            field=row.field,
            status=row.status,
            c_year=row.c_year,
            c_month__gt=WHOLE_YEAR,
        ).aggregate(**{m: Sum(m) for m in MEASURES})
        assert {m: getattr(row, m) for m in MEASURES} == months


def test_the_months_since_an_old_cut_off_are_read_as_years(written, monkeypatch):
    """To 15 November 2024, read as the all-time totals less what came after: the days to the
    month's end, December's month row and the whole years after it by their year rows."""
    monkeypatch.setattr(selectors, "_fewer_after", lambda cutoff, year_from: True)
    with CaptureQueriesContext(connection) as queries:
        contribution_figures(cutoff=D(2024, 11, 15), group_by=("level",))
    months = " ".join(q["sql"] for q in queries if "stats_contributionrollup" in q["sql"])
    assert f'"c_month" = {WHOLE_YEAR}' in months
    assert '"c_year" >= 2025' in months


@pytest.mark.parametrize("recent", [True, False])
def test_every_unit_and_period_equals_the_ledger(written, monkeypatch, recent):
    """Every unit of the writes and above them, both modes, both ways of reading a cut-off."""
    monkeypatch.setattr(selectors, "_fewer_after", lambda cutoff, year_from: recent)
    found_any = False
    for area in scopes(written):
        for mode in MODES:
            for start, cutoff in PERIODS:
                where = {"area": area, "mode": mode, "start": start, "cutoff": cutoff}
                reference = contributions_from_base_tables(**where)
                for group_by in ((), ("level",), ("field",), ("contribution_year",)):
                    found = contribution_figures(**where, group_by=group_by)
                    assert _figures(found) == _figures(reference(group_by)), (where, group_by)
                    found_any = found_any or bool(_figures(found))
    assert found_any


def test_the_year_rows_kept_write_by_write_equal_a_rebuild(written):
    kept = scenario.table_state()["contributions"]
    assert any(key[-1] == WHOLE_YEAR for key in kept)
    assert rollup_differences()["stats_contributionrollup"] == 0
    rebuild_rollups(only=("contributions",))
    assert scenario.table_state()["contributions"] == kept
