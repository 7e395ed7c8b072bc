"""The exactness tests' reference: a scope's finest direct rows added up equal the direct
reading asked for each grouping, so comparing the rollups with the sums is comparing them
with the base tables."""

import datetime
import itertools

import pytest

from danvan.initiatives.catalogues import REGISTERED_STATUSES, Field
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.models import MODES
from danvan.stats.shape import FIGURE_MEASURES
from tests.stats import scenario
from tests.stats.reference import (
    INITIATIVE_FINEST,
    contributions_from_base_tables,
    initiatives_from_base_tables,
)
from tests.stats.test_chains import grow_chains

pytestmark = pytest.mark.django_db

D = datetime.date

# Every single name, and pairs and triples that fold units across schemes or cross dimensions.
INITIATIVE_GROUPINGS = [
    (),
    *((name,) for name in ("level", *INITIATIVE_FINEST)),
    ("level", "field"),
    ("level", "field", "replicated"),
    ("year", "field", "status"),
    ("org_kind", "registration_kind"),
]
CONTRIBUTION_GROUPINGS = [
    (),
    ("level",),
    ("contribution_year",),
    ("contribution_month",),
    ("level", "contribution_month"),
    ("contribution_year", "contribution_month", "field"),
    ("org_kind", "replicated"),
    ("level", "status", "registration_kind"),
]
FILTERS = [
    {},
    {"year_from": 2024, "year_to": 2025, "field": Field.ECONOMY},
    {"field": [Field.ECONOMY, Field.CULTURE_SOCIETY], "status": REGISTERED_STATUSES},
]
PERIODS = [{}, {"cutoff": D(2024, 11, 15)}, {"start": D(2024, 3, 17), "cutoff": D(2025, 2, 9)}]


def sample_scopes(units) -> list:
    """The country; a legacy province, whose land current units took over; today's province
    formed from it; a legacy district; a legacy commune and the ward formed from it."""
    ward = units["yen_giang"]
    district = units["lien_hoa"].parent
    return [
        None,
        district.parent,
        units["quang_yen"].parent,
        district,
        ward,
        units["quang_yen"],
    ]


def test_the_sums_equal_the_direct_reading_for_every_grouping(units, orgs, indicators):
    scenario.run(7, 80, units, orgs, indicators)
    grow_chains(8, 40, units, orgs)
    compared = 0
    for area, mode in itertools.product(sample_scopes(units), MODES):
        for filters, distinct_models in itertools.product(FILTERS, (False, True)):
            scope = {"area": area, "mode": mode, "distinct_models": distinct_models, **filters}
            reference = initiatives_from_base_tables(**scope)
            for group_by in INITIATIVE_GROUPINGS:
                direct = initiative_figures_direct(**scope, group_by=group_by)
                assert reference(group_by) == direct, (scope, group_by)
                compared += bool(direct)
            [total] = initiative_figures_direct(**scope) or [dict.fromkeys(FIGURE_MEASURES, 0)]
            assert reference.total() == total
        for period in PERIODS:
            scope = {"area": area, "mode": mode, **period}
            reference = contributions_from_base_tables(**scope)
            for group_by in CONTRIBUTION_GROUPINGS:
                direct = contribution_figures_direct(**scope, group_by=group_by)
                assert reference(group_by) == direct, (scope, group_by)
                compared += bool(direct)
    # Most questions found something to count: the sums were compared with figures.
    assert compared > 600


def test_a_scope_with_nothing_counted_has_a_zero_total(units):
    reference = initiatives_from_base_tables(area=units["ha_an"])
    assert reference(("level", "field")) == []
    assert reference.total() == dict.fromkeys(FIGURE_MEASURES, 0)


def test_a_grouping_outside_the_finest_is_refused(db):
    with pytest.raises(AssertionError, match="contribution_month"):
        initiatives_from_base_tables()(("contribution_month",))
