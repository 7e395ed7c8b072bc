"""A recent cut-off (a reporting round's, weeks old) read as the all-time totals minus what is
dated after it; an old one month by month. Both ways equal the ledger, for every unit, mode,
grouping and filter."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.initiatives.catalogues import REGISTERED_STATUSES
from danvan.stats import selectors
from danvan.stats.models import MODES
from danvan.stats.selectors import contribution_figures
from tests.stats.reference import contributions_from_base_tables
from tests.stats.test_contribution_details import written  # noqa: F401
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

D = datetime.date
CUTOFFS = [D(2023, 12, 31), D(2024, 11, 30), D(2024, 11, 15), D(2025, 2, 9), D(2030, 1, 1)]
GROUPINGS = [
    (),
    ("field",),
    ("level",),
    ("level", "field"),
    ("status", "year"),
    ("org_kind",),
    ("level", "org_kind"),
    ("registration_kind", "replicated"),
]
FILTERS = [
    {},
    {"year_from": 2024, "year_to": 2024},
    {"field": "economy", "status": REGISTERED_STATUSES},
    {"year_from": 2025, "status": "registered"},
]


def test_a_cutoff_read_either_way_equals_the_ledger(written, monkeypatch):  # noqa: F811
    """Each cut-off read both ways (the all-time totals minus what came after it, and month by
    month) against one reading of the ledger."""
    found_any = False
    for area in scopes(written):
        for mode in MODES:
            for cutoff, scope in itertools.product(CUTOFFS, FILTERS):
                # The ledger of this scope, read once for all its groupings.
                ledger = contributions_from_base_tables(
                    area=area, mode=mode, cutoff=cutoff, **scope
                )
                for group_by in GROUPINGS if not scope else [(), ("level",)]:
                    args = {"area": area, "mode": mode, "cutoff": cutoff, "group_by": group_by}
                    expected = ledger(group_by)
                    for way, recent in (("minus-after", True), ("month-by-month", False)):
                        monkeypatch.setattr(
                            selectors, "_fewer_after", lambda cutoff, year_from, r=recent: r
                        )
                        found = contribution_figures(**args, **scope)
                        assert found == expected, (way, args, scope)
                        found_any = found_any or bool(found)
    assert found_any


def test_a_recent_cutoff_reads_the_totals_and_what_came_after(written):  # noqa: F811
    cutoff = datetime.date.today() - datetime.timedelta(days=20)
    with CaptureQueriesContext(connection) as queries:
        contribution_figures(cutoff=cutoff, group_by=("field",))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "stats_summaryrollup" in sql
    assert "initiatives_contribution" not in sql


def test_which_way_a_cutoff_is_read():
    today = datetime.date.today()
    assert selectors._fewer_after(today - datetime.timedelta(days=45), 2013)
    assert not selectors._fewer_after(D(2014, 3, 31), 2013)
    # A question about one old year reads that year's months.
    assert not selectors._fewer_after(D(2016, 11, 30), 2016)
    # A cut-off to come: nothing is dated after it yet.
    assert selectors._fewer_after(today + datetime.timedelta(days=30), 2024)
