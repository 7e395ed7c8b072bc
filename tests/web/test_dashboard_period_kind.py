"""The leader's dashboard under a period and a kind of organisation: the figures, the charts and
the drill-down equal the ledger's, read from the dated rollups that keep the kind."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import REGISTERED_STATUSES, ContributionKind, ContributorType
from danvan.initiatives.services import contribution_add
from danvan.orgs.models import OrgKind
from danvan.stats.direct import contribution_figures_direct
from danvan.stats.rebuild import rebuild_rollups
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def gifts(cast):
    """Lan's women's union and Hà An's youth union gave on days on both sides of the period's
    ends, in 2024 and 2025; the women's union's second model is replicated from its first."""
    market = InitiativeFactory(
        title="Chợ dân sinh văn minh",
        organisation=cast.wu_yen_giang,
        area=cast.zone_1,
        status="in_progress",
        year=2024,
        replicated_from=cast.cultural_houses,
    )
    youth = InitiativeFactory(
        title="Tuyến đường thanh niên tự quản",
        organisation=cast.yu_ha_an,
        area=cast.ha_an,
        status="registered",
        year=2024,
    )
    rebuild_rollups()
    for initiative, day, kind, amount, people in (
        (market, D(2024, 3, 14), ContributionKind.MONEY, 20_000_000, 12),
        (market, D(2024, 3, 15), ContributionKind.LAND, "350.5", 30),
        (market, D(2024, 6, 2), ContributionKind.MONEY, 75_000_000, 40),
        (market, D(2024, 11, 16), ContributionKind.LABOUR, "12.5", 55),
        (youth, D(2024, 3, 31), ContributionKind.MONEY, 5_000_000, 8),
        (youth, D(2024, 11, 15), ContributionKind.IN_KIND, 16_000_000, 9),
        (youth, D(2025, 1, 4), ContributionKind.MONEY, 1_000_000, 3),
    ):
        contribution_add(
            actor=SYSTEM,
            initiative=initiative,
            date=day,
            kind=kind,
            amount=amount,
            contributor_type=ContributorType.INDIVIDUALS,
            contributors=people,
            description="16 máy điều hòa" if kind == ContributionKind.IN_KIND else "",
        )
    return cast


@pytest.mark.parametrize("kind", [OrgKind.WOMENS_UNION, OrgKind.YOUTH_UNION])
@pytest.mark.parametrize("mode", ["as_was", "restated"])
def test_a_period_with_a_kind_shows_the_ledgers_figures(client, gifts, kind, mode):
    client.force_login(gifts.quan)
    params = {"mode": mode, "from": "2024-03-15", "to": "2024-11-15", "kind": kind}
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", params)
    assert response.context["query"].problems == []
    # Read from the rollups: the ledger is not read for the figures.
    assert not any(
        'FROM "initiatives_contribution"' in query["sql"] for query in queries.captured_queries
    )
    rows = contribution_figures_direct(
        area=gifts.quang_ninh,
        mode=mode,
        year_from=2024,
        year_to=2024,
        status=REGISTERED_STATUSES,
        start=D(2024, 3, 15),
        cutoff=D(2024, 11, 15),
        group_by=("org_kind",),
    )
    [expected] = [row for row in rows if row["org_kind"] == kind]
    figures = response.context["figures"]
    for measure in ("money", "land", "labour", "in_kind", "people"):
        assert figures["totals"][measure] == expected[measure], measure
    if kind == OrgKind.WOMENS_UNION:
        # 14 March is before the period, 16 November after it.
        assert (figures["totals"]["money"], figures["totals"]["land"]) == (75_000_000, 350.5)
    else:
        assert (figures["totals"]["money"], figures["totals"]["in_kind"]) == (5_000_000, 16_000_000)
    # The drill-down's rows add up to the totals.
    shown = sum(row["money"] or 0 for row in figures["units"])
    assert shown == figures["totals"]["money"]


@pytest.mark.parametrize("mode", ["as_was", "restated"])
def test_a_period_counts_the_models_waiting_for_review_apart(client, gifts, mode):
    """A submitted model of the period's year is said waiting, not counted in the totals; its
    gifts in the period are not in the totals either."""
    client.force_login(gifts.quan)
    asked = {"mode": mode, "from": "2024-03-15", "to": "2024-11-15"}
    before = client.get("/", asked).context["figures"]
    waiting = InitiativeFactory(
        title="Camera an ninh khu phố",
        organisation=gifts.wu_yen_giang,
        area=gifts.zone_1,
        status="submitted",
        year=2024,
    )
    rebuild_rollups()
    contribution_add(
        actor=SYSTEM,
        initiative=waiting,
        date=D(2024, 6, 3),
        kind=ContributionKind.MONEY,
        amount=9_000_000,
        contributor_type=ContributorType.INDIVIDUALS,
        contributors=4,
    )
    figures = client.get("/", asked).context["figures"]
    assert (before["waiting"], figures["waiting"]) == (0, 1)
    # The market's 75,000,000 of June and the youth union's 5,000,000 of 31 March.
    assert before["totals"]["money"] == figures["totals"]["money"] == 80_000_000
    assert figures["totals"]["initiatives"] == before["totals"]["initiatives"]
    assert figures["totals"]["initiatives"] == sum(row["initiatives"] for row in figures["units"])


def test_a_period_across_the_reform_tells_apart_two_provinces_of_one_name(client, gifts):
    """Across 1 July 2025 the country as it was lists the legacy Tỉnh Quảng Ninh (the market,
    filed on a legacy ward) beside the current one (the youth road, filed on Phường Hà An):
    the legacy row says until when it stood, in the reader's language."""
    from danvan.accounts.models import Role
    from tests.factories_review import PersonFactory, RoleAssignmentFactory

    thu = PersonFactory(username="thu")
    RoleAssignmentFactory(user=thu, role=Role.VIEWER, area=None, nationwide=True)
    client.force_login(thu)
    params = {"mode": "as_was", "from": "2024-03-01", "to": "2025-11-30"}
    for language, legacy in (
        ("vi", "Tỉnh Quảng Ninh (đến 30/06/2025)"),
        ("en", "Tỉnh Quảng Ninh (until Jun 30, 2025)"),
    ):
        response = client.get("/", params, HTTP_ACCEPT_LANGUAGE=language)
        assert response.context["query"].problems == []
        names = sorted(row["name"] for row in response.context["figures"]["units"])
        # Hà Tĩnh's models are of 2025 only, filed on current units: one row, its bare name.
        assert names == ["Tỉnh Hà Tĩnh", "Tỉnh Quảng Ninh", legacy], names
        assert legacy in response.content.decode()
