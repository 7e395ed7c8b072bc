"""``filtered.figures_each``: several breakdowns of one scope read together under a period or
when one of them needs the rollups by every dimension, each equal to its own
``filtered.figures``; read apart (each from its smaller table) otherwise."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.initiatives.catalogues import Field, Status
from danvan.orgs.models import OrgKind
from danvan.stats import filtered
from danvan.stats.filtered import Filters
from danvan.stats.models import MODES
from tests.stats.test_contribution_details import write_ledgers
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

D = datetime.date
GROUPINGS = [("field",), ("org_kind",), ("year",)]
# The scenario's initiatives are mostly drafts: every status is counted unless one is chosen.
EVERY = tuple(Status.values)
FILTERS = [
    Filters(status=EVERY),
    Filters(field=Field.ECONOMY, status=EVERY),
    Filters(org_kind=OrgKind.WOMENS_UNION, status=EVERY),
    Filters(field=Field.ECONOMY, org_kind=OrgKind.WOMENS_UNION, status=EVERY),
    Filters(org_kind=OrgKind.YOUTH_UNION, status=(Status.DRAFT, Status.REGISTERED)),
    Filters(org_kind=OrgKind.FATHERLAND_FRONT),
    # Periods: whole months, days at both ends across a year, corrections inside them.
    Filters(start=D(2024, 3, 15), end=D(2024, 11, 15), status=EVERY),
    Filters(org_kind=OrgKind.FATHERLAND_FRONT, start=D(2024, 3, 15), status=EVERY),
    Filters(field=Field.ECONOMY, org_kind=OrgKind.WOMENS_UNION, start=D(2024, 3, 15), status=EVERY),
    Filters(org_kind=OrgKind.WOMENS_UNION, start=D(2024, 5, 4), end=D(2025, 2, 9), status=EVERY),
    Filters(field=Field.CULTURE_SOCIETY, end=D(2025, 6, 30), status=EVERY),
]


@pytest.fixture
def written(units, orgs, indicators):
    return write_ledgers(units, orgs, indicators)


def test_each_breakdown_read_together_equals_its_own_reading(written):
    together = 0
    for area, mode, filters in itertools.product(scopes(written), MODES, FILTERS):
        for year_from, year_to in ((None, None), (2024, 2024)):
            scope = {"area": area, "mode": mode, "year_from": year_from, "year_to": year_to}
            answers = filtered.figures_each(**scope, filters=filters, groupings=GROUPINGS)
            alone = [filtered.figures(**scope, filters=filters, group_by=g) for g in GROUPINGS]
            assert answers == alone, (scope, filters)
            together += bool(filters.org_kind or filters.field)
    # The scenario's figures are not all empty under the filters that read together.
    assert together
    assert any(
        filtered.figures_each(area=None, filters=filters, groupings=GROUPINGS)[0]
        for filters in FILTERS
        if filters.org_kind and filters.has_period
    )


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


@pytest.mark.parametrize(
    "filters, together",
    [
        (Filters(field=Field.ECONOMY, org_kind=OrgKind.WOMENS_UNION), True),
        (Filters(org_kind=OrgKind.WOMENS_UNION, start=D(2024, 3, 15), end=D(2024, 11, 15)), True),
        (Filters(field=Field.ECONOMY), True),
        # Under a period: one set of dated queries (its days, its months) for all three.
        (Filters(start=D(2024, 3, 15), end=D(2024, 11, 15)), True),
        # Each from its own small table: the summary by field and by year, the table by kind.
        (Filters(), False),
        (Filters(status=(Status.REGISTERED,)), False),
    ],
)
def test_breakdowns_are_read_together_under_a_period_or_when_one_reads_every_dimension(
    written, filters, together
):
    def each():
        return filtered.figures_each(area=None, filters=filters, groupings=GROUPINGS)

    def apart():
        return [filtered.figures(area=None, filters=filters, group_by=g) for g in GROUPINGS]

    each(), apart()  # the lineage and covers are cached on a first reading
    if together:
        assert _queries(each) * len(GROUPINGS) == _queries(apart)
    else:
        assert _queries(each) == _queries(apart)


def test_one_organisation_is_read_from_its_own_rows(written, orgs):
    """One organisation's figures come from its initiatives, whatever the other filters."""
    women = orgs[0]
    filters = Filters(organisation_id=women.pk, org_kind=OrgKind.WOMENS_UNION, status=EVERY)
    answers = filtered.figures_each(area=None, filters=filters, groupings=GROUPINGS)
    assert answers == [filtered.figures(area=None, filters=filters, group_by=g) for g in GROUPINGS]
    assert answers[0]


def test_a_breakdown_by_unit_is_refused(written):
    with pytest.raises(ValueError, match="by unit"):
        filtered.figures_each(area=None, groupings=[("field",), ("level",)])
