"""The tables by kind of organisation (``KindRollup``, ``ContributionKindRollup``): the
questions by kind that ask nothing of field, registration kind or replication read them
instead of the tables keyed by every dimension (the days of a period's partial months from
the detail day table); they equal the base tables for every period, grouping and filter they
answer, and are kept write by write exactly as a rebuild makes them."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.initiatives.catalogues import REGISTERED_STATUSES, Status
from danvan.orgs.models import OrgKind
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import MODES, ContributionKindRollup, KindRollup
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import KIND_DATED_GROUPS, contribution_figures, initiative_figures
from danvan.stats.shape import FIGURE_MEASURES, LEDGER_MEASURES
from tests.stats import scenario
from tests.stats.reference import contributions_from_base_tables, initiatives_from_base_tables
from tests.stats.test_contribution_details import PERIODS, write_ledgers
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

D = datetime.date
# Every grouping of the tables' keys, up to three names, with the kind among them.
KIND_GROUPINGS = [
    grouping
    for size in (1, 2, 3)
    for grouping in itertools.combinations(sorted(KIND_DATED_GROUPS), size)
    if "org_kind" in grouping
]
# Filters the tables answer: a kind of organisation, statuses, registration years.
KIND_FILTERS = [
    {"org_kind": OrgKind.WOMENS_UNION},
    {"org_kind": OrgKind.YOUTH_UNION, "status": REGISTERED_STATUSES},
    {"org_kind": OrgKind.WOMENS_UNION, "year_from": 2024, "year_to": 2024},
    {"status": Status.REGISTERED, "year_from": 2025},
]


@pytest.fixture
def written(units, orgs, indicators):
    return write_ledgers(units, orgs, indicators)


def _direct(figures, *, org_kind=None, group_by=(), **arguments) -> list[dict]:
    """The base tables' figures; under a kind of organisation (which the direct path does not
    filter by), its rows of the same question grouped by kind too, without the kind."""
    if org_kind is None:
        return figures(group_by=group_by, **arguments)
    if "org_kind" in group_by:
        rows = figures(group_by=group_by, **arguments)
        return [row for row in rows if row["org_kind"] == org_kind]
    rows = figures(group_by=(*group_by, "org_kind"), **arguments)
    return [row for row in rows if row.pop("org_kind") == org_kind]


def _figures(rows: list[dict]) -> list[dict]:
    """The rows that hold a figure (a question of nothing answers one row of zeros, the
    direct path's rows of one kind none)."""
    measures = {*FIGURE_MEASURES, *LEDGER_MEASURES}
    return [row for row in rows if any(v for k, v in row.items() if k in measures)]


def _tables(call) -> str:
    with CaptureQueriesContext(connection) as queries:
        call()
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_a_question_by_kind_alone_reads_the_kind_tables(written):
    dated = _tables(
        lambda: contribution_figures(cutoff=D(2024, 11, 15), group_by=("level", "org_kind"))
    )
    assert "stats_contributionkindrollup" in dated or "stats_kindrollup" in dated
    assert "stats_contributiondetailrollup" not in dated
    assert "stats_initiativerollup" not in dated
    period = _tables(
        lambda: contribution_figures(
            start=D(2024, 3, 17), cutoff=D(2024, 11, 15), org_kind=OrgKind.WOMENS_UNION
        )
    )
    assert "stats_contributionkindrollup" in period
    assert "stats_contributiondetaildayrollup" in period
    assert "stats_contributiondetailrollup" not in period
    counts = _tables(lambda: initiative_figures(group_by=("org_kind", "status")))
    assert "stats_kindrollup" in counts and "stats_initiativerollup" not in counts


def test_field_registration_kind_or_replication_keep_the_tables_that_hold_them(written):
    """The kind tables drop those three keys: a question asking one of them reads on."""
    by_field = _tables(
        lambda: contribution_figures(
            cutoff=D(2024, 11, 15), group_by=("org_kind",), field="economy"
        )
    )
    assert "stats_contributiondetail" in by_field and "stats_contributionkind" not in by_field
    replicated = _tables(lambda: initiative_figures(group_by=("org_kind", "replicated")))
    assert "stats_initiativerollup" in replicated and "stats_kindrollup" not in replicated
    # Without the kind of organisation, the smaller tables by field answer as before.
    by_status = _tables(lambda: contribution_figures(cutoff=D(2024, 11, 15), group_by=("status",)))
    assert "stats_contributionkind" not in by_status and "detail" not in by_status


def test_every_grouping_of_the_kind_tables_equals_the_base_tables(written):
    for mode, group_by in itertools.product(MODES, KIND_GROUPINGS):
        arguments = {"mode": mode, "group_by": group_by}
        assert contribution_figures(
            start=D(2024, 3, 17), cutoff=D(2025, 2, 9), **arguments
        ) == contribution_figures_direct(start=D(2024, 3, 17), cutoff=D(2025, 2, 9), **arguments)
        undated = {**arguments, "group_by": [g for g in group_by if not g.startswith("contri")]}
        assert initiative_figures(**undated) == initiative_figures_direct(**undated), undated


def test_every_unit_period_and_filter_of_the_kind_tables_equals_the_base_tables(written):
    """Every unit of the writes and above them (breakdowns by unit across schemes among
    them), both modes, every kind of period, under each filter the kind tables answer."""
    found_any = False
    groupings = ((), ("org_kind",), ("level",), ("level", "org_kind"))
    for area, mode in itertools.product(scopes(written), MODES):
        for scope in KIND_FILTERS:
            # The base tables' rows of this scope, read once for all its groupings.
            where = {"area": area, "mode": mode, **scope}
            counts = _every_grouping(initiatives_from_base_tables(**_unkinded(where)))
            ledgers = {
                (start, cutoff): _every_grouping(
                    contributions_from_base_tables(**_unkinded(where), start=start, cutoff=cutoff)
                )
                for start, cutoff in PERIODS
            }
            for group_by in groupings:
                arguments = {**where, "group_by": group_by}
                # The counts are undated: asked once, not once per period.
                counted = initiative_figures(**arguments)
                assert _figures(counted) == _figures(_direct(counts, **arguments)), arguments
                for (start, cutoff), reference in ledgers.items():
                    dated = {**arguments, "start": start, "cutoff": cutoff}
                    found = contribution_figures(**dated)
                    assert _figures(found) == _figures(_direct(reference, **dated)), dated
                    found_any = found_any or bool(scope.get("org_kind") and _figures(found))
    assert found_any


def _unkinded(where: dict) -> dict:
    """The scope without its kind of organisation, which ``_direct`` takes from the rows."""
    return {k: v for k, v in where.items() if k != "org_kind"}


def _every_grouping(reference):
    """A reference called as ``_direct`` calls the direct readings."""
    return lambda *, group_by=(), **_: reference(group_by)


def test_the_upkeep_of_the_kind_tables_equals_a_rebuild(written):
    state = scenario.table_state()
    kept = {name: state[name] for name in ("kinds", "contribution kinds")}
    assert all(kept.values())
    assert set(rollup_differences().values()) == {0}
    counts = rebuild_rollups(only=("kinds", "contribution_kinds"))
    assert set(counts) == {"kinds", "contribution_kinds"}
    state = scenario.table_state()
    assert {name: state[name] for name in kept} == kept
    # A few hundred national rows by kind, with the year rows of the months kept.
    assert KindRollup.objects.filter(area_id=0).count() < 100
    assert ContributionKindRollup.objects.filter(c_month=0).exists()


def test_the_exactness_check_finds_a_kind_row_gone_wrong(written):
    row = ContributionKindRollup.objects.exclude(money=0).order_by("pk").first()
    ContributionKindRollup.objects.filter(pk=row.pk).update(money=row.money + 1)
    KindRollup.objects.filter(pk=KindRollup.objects.exclude(initiatives=0).first().pk).delete()
    differences = rollup_differences()
    assert differences["stats_contributionkindrollup"] == 2
    assert differences["stats_kindrollup"] == 1
    assert differences["stats_contributiondetailrollup"] == 0
    rebuild_rollups(only=("kinds", "contribution_kinds"))
    assert set(rollup_differences().values()) == {0}
