"""How many queries a dashboard page and each statistics answer run, at a tiny scale.

The figures are read from the rollups in a fixed number of queries whatever the size of the
data: a page or an answer that starts reading per row (one query per unit, per year, per
organisation) is caught here, long before a national benchmark. Each budget is what the page
or answer needs today; raise one only with the reason in the commit.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.initiatives.services import contribution_add, initiative_create
from danvan.stats.models import AS_WAS, RESTATED
from tests.people import world  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/"


def _add(w, area, organisation, year: int, count: int) -> None:
    """Register ``count`` initiatives of ``organisation`` on ``area`` in ``year``, each with a
    contribution in November."""
    for number in range(count):
        initiative = initiative_create(
            actor=SYSTEM,
            title=f"Mô hình {year} {number}",
            field=Field.values[number % len(Field.values)],
            organisation=organisation,
            area=area,
            year=year,
        )
        contribution_add(
            actor=SYSTEM,
            initiative=initiative,
            date=datetime.date(year, 11, 1 + number % 28),
            kind=ContributionKind.MONEY,
            amount=1_000_000 * (number + 1),
            contributor_type=ContributorType.HOUSEHOLDS,
            contributors=3,
        )


@pytest.fixture
def small(world):  # noqa: F811
    _add(world, world.yen_giang, world.wu_yen_giang, 2024, 2)
    _add(world, world.ha_an, world.yu_ha_an, 2025, 2)
    return world


def _grow(w) -> None:
    """Ten times the data, in more units, years and organisations."""
    _add(w, w.yen_giang, w.pc_yen_giang, 2024, 8)
    _add(w, w.zone_1, w.wu_yen_giang, 2023, 6)
    _add(w, w.ha_an, w.yu_ha_an, 2025, 6)


class Counted(int):
    """A number of queries that shows the queries when an assertion prints it."""

    sql: list[str]

    def __repr__(self) -> str:
        return f"{int(self)} queries:\n" + "\n".join(sql[:160] for sql in self.sql)


def _counted(queries) -> Counted:
    counted = Counted(len(queries))
    counted.sql = [query["sql"] for query in queries.captured_queries]
    return counted


def _api_count(user, params: dict, endpoint: str) -> Counted:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL + endpoint + "/", params)
    assert response.status_code == 200, response.content
    return _counted(queries)


def _page_count(user, params: dict) -> Counted:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", params)
    assert response.status_code == 200
    return _counted(queries)


# The page under a period and a kind of organisation (with a field): the dated figures by kind
# from the detail dated rollups, the registering units from theirs; by field, by kind and by
# year read together (``filtered.figures_each``), the breakdown by unit apart.
FILTERED_PAGE_BUDGETS = {
    ("province", AS_WAS): 37,
    ("province", RESTATED): 37,
    ("ward", AS_WAS): 40,
    ("ward", RESTATED): 36,
    ("country", AS_WAS): 29,
    ("country", RESTATED): 29,
}


@pytest.mark.parametrize("mode", [AS_WAS, RESTATED])
@pytest.mark.parametrize("scope", ["province", "ward", "country"])
def test_a_filtered_dashboard_page_runs_a_fixed_number_of_queries(small, mode, scope):
    w = small
    who, unit = {
        "province": (w.tuan, {"unit": w.quang_ninh.pk}),
        "ward": (w.tuan, {"unit": w.quang_yen.pk}),
        "country": (w.root, {}),
    }[scope]
    asked = {
        **unit,
        "mode": mode,
        "from": "2024-03-15",
        "to": "2025-11-15",
        "kind": "womens_union",
        "field": Field.ECONOMY,
    }
    _page_count(who, asked)  # a unit's lineage is cached on its first reading
    counted = _page_count(who, asked)
    budget = FILTERED_PAGE_BUDGETS[(scope, mode)]
    assert counted <= budget, f"dashboard {asked}: budget {budget}, {counted!r}"
    _grow(w)
    _page_count(who, asked)  # a unit's first figures renew the cached covers
    assert _page_count(who, asked) == counted, "the count grows with the data"


# (endpoint, parameters, budgets). The unit is filled in by the test: Quảng Ninh as it was
# (its lineage read: the legacy province it was formed from), Quảng Ninh restated, or the
# country (either mode). Group_by, a cut-off day inside a month, all years and a single year.
API_CASES = [
    ("initiatives", {}, {"province-as_was": 6, "province-restated": 2, "country": 1}),
    (
        "initiatives",
        {"group_by": "field", "year_from": 2024, "year_to": 2024},
        {"province-as_was": 6, "province-restated": 2, "country": 1},
    ),
    # As it was, a current province is broken down by the legacy units of each year: the
    # rollup rows of the nodes that cover them (``danvan.stats.cover``), in one query.
    (
        "initiatives",
        {"group_by": "level"},
        {"province-as_was": 6, "province-restated": 4, "country": 3},
    ),
    (
        "initiatives",
        {"group_by": "org_kind,status"},
        {"province-as_was": 6, "province-restated": 2, "country": 1},
    ),
    (
        "contributions",
        {"cutoff": "2024-11-30"},
        {"province-as_was": 6, "province-restated": 2, "country": 1},
    ),
    # A day inside a month: the whole months and the days of November, one query each.
    (
        "contributions",
        {"cutoff": "2024-11-15"},
        {"province-as_was": 7, "province-restated": 3, "country": 2},
    ),
    # The days at both ends of the period in one query, the months in another.
    (
        "contributions",
        {"start": "2024-03-15", "cutoff": "2025-11-15"},
        {"province-as_was": 7, "province-restated": 3, "country": 2},
    ),
    # Grouped by a dimension only the detail dated tables keep: the same pieces, from them (by
    # unit, as the breakdown by unit below).
    (
        "contributions",
        {"cutoff": "2024-11-15", "group_by": "org_kind"},
        {"province-as_was": 7, "province-restated": 3, "country": 2},
    ),
    (
        "contributions",
        {"start": "2024-03-15", "cutoff": "2025-11-15", "group_by": "registration_kind,replicated"},
        {"province-as_was": 7, "province-restated": 3, "country": 2},
    ),
    (
        "contributions",
        {"cutoff": "2024-11-15", "group_by": "level,org_kind"},
        {"province-as_was": 13, "province-restated": 7, "country": 6},
    ),
    (
        "contributions",
        {"cutoff": "2024-11-15", "group_by": "level"},
        {"province-as_was": 7, "province-restated": 7, "country": 6},
    ),
    ("registering-units", {}, {"province-as_was": 6, "province-restated": 2, "country": 1}),
    (
        "registering-units",
        {"year_from": 2024, "year_to": 2024},
        {"province-as_was": 6, "province-restated": 2, "country": 1},
    ),
]


@pytest.mark.parametrize(
    ("endpoint", "params", "budgets"),
    API_CASES,
    ids=[f"{e}-{'-'.join(f'{k}={v}' for k, v in p.items()) or 'all'}" for e, p, _ in API_CASES],
)
@pytest.mark.parametrize("scope", ["province", "country"])
@pytest.mark.parametrize("mode", [AS_WAS, RESTATED])
def test_a_stats_answer_runs_a_fixed_number_of_queries(
    small, endpoint, params, budgets, scope, mode
):
    w = small
    who, unit = (w.tuan, {"area": w.quang_ninh.pk}) if scope == "province" else (w.root, {})
    budget = budgets[f"province-{mode}" if scope == "province" else "country"]
    asked = {**params, **unit, "mode": mode}
    _api_count(who, asked, endpoint)  # a unit's lineage is cached on its first reading
    counted = _api_count(who, asked, endpoint)
    assert counted <= budget, f"{endpoint} {asked}: budget {budget}, {counted!r}"
    _grow(w)
    _api_count(who, asked, endpoint)  # a unit's first figures renew the cached covers
    assert _api_count(who, asked, endpoint) == counted, "the count grows with the data"


# The page (its layout, the person's units and scope, the figures, the recognition card, the
# drill-down, the reading of the unit's lineage), per unit and mode, the same for one year and
# all years.
# The map reads the units its figures are by (one or two queries), and a breakdown read from
# the base tables (by organisation) reads its households and people taking part from the
# ledger (one). The recognition card reads its rollups in four queries.
PAGE_BUDGETS = {
    ("province", AS_WAS): 39,
    ("province", RESTATED): 37,
    ("ward", AS_WAS): 42,
    ("ward", RESTATED): 38,
    ("country", AS_WAS): 26,
    ("country", RESTATED): 26,
}


@pytest.mark.parametrize("year", ["2024", "all"])
@pytest.mark.parametrize("mode", [AS_WAS, RESTATED])
@pytest.mark.parametrize("scope", ["province", "ward", "country"])
def test_a_dashboard_page_runs_a_fixed_number_of_queries(small, year, mode, scope):
    w = small
    who, unit = {
        "province": (w.tuan, {"unit": w.quang_ninh.pk}),
        "ward": (w.tuan, {"unit": w.quang_yen.pk}),
        "country": (w.root, {}),
    }[scope]
    asked = {**unit, "year": year, "mode": mode}
    _page_count(who, asked)  # a unit's lineage is cached on its first reading
    counted = _page_count(who, asked)
    budget = PAGE_BUDGETS[(scope, mode)]
    assert counted <= budget, f"dashboard {asked}: budget {budget}, {counted!r}"
    _grow(w)
    _page_count(who, asked)  # a unit's first figures renew the cached covers
    assert _page_count(who, asked) == counted, "the count grows with the data"


# Legacy Quảng Ninh, a unit that ended: as it was, its districts then today's Quảng Ninh's
# communes; restated, today's communes. Both read the nodes that cover the rows
# (``danvan.stats.cover``) in one query a table, never the base tables.
LEGACY_CASES = [
    ("initiatives", {"group_by": "level"}, {AS_WAS: 3, RESTATED: 3}),
    (
        "initiatives",
        {"group_by": "level,field", "year_from": 2024, "year_to": 2024},
        {AS_WAS: 2, RESTATED: 3},
    ),
    ("contributions", {"cutoff": "2024-11-15", "group_by": "level"}, {AS_WAS: 4, RESTATED: 4}),
]
LEGACY_PAGE_BUDGETS = {AS_WAS: 35, RESTATED: 35}


@pytest.mark.parametrize(
    ("endpoint", "params", "budgets"),
    LEGACY_CASES,
    ids=[f"{e}-{'-'.join(f'{k}={v}' for k, v in p.items())}" for e, p, _ in LEGACY_CASES],
)
@pytest.mark.parametrize("mode", [AS_WAS, RESTATED])
def test_a_legacy_provinces_breakdown_by_unit_runs_a_fixed_number_of_queries(
    small, endpoint, params, budgets, mode
):
    w = small
    legacy = w.yen_giang.parent.parent
    asked = {**params, "area": legacy.pk, "mode": mode}
    _api_count(w.tuan, asked, endpoint)  # the unit's lineage and cover are cached
    counted = _api_count(w.tuan, asked, endpoint)
    assert counted <= budgets[mode], f"{endpoint} {asked}: budget {budgets[mode]}, {counted!r}"
    _grow(w)
    _api_count(w.tuan, asked, endpoint)  # a unit's first figures renew the cached covers
    assert _api_count(w.tuan, asked, endpoint) == counted, "the count grows with the data"


@pytest.mark.parametrize("year", ["2024", "all"])
@pytest.mark.parametrize("mode", [AS_WAS, RESTATED])
def test_a_legacy_provinces_page_runs_a_fixed_number_of_queries(small, year, mode):
    w = small
    asked = {"unit": w.yen_giang.parent.parent.pk, "year": year, "mode": mode}
    _page_count(w.tuan, asked)
    counted = _page_count(w.tuan, asked)
    assert counted <= LEGACY_PAGE_BUDGETS[mode], f"dashboard {asked}: {counted!r}"
    _grow(w)
    _page_count(w.tuan, asked)  # a unit's first figures renew the cached covers
    assert _page_count(w.tuan, asked) == counted, "the count grows with the data"


def _honour(w, area, organisation, year: int, count: int) -> None:
    """Register ``count`` models of ``organisation`` on ``area`` in ``year``, each recognised
    at commune level (every other one nominated on to the district, with a person honoured)
    and evaluated."""
    from danvan.initiatives import lifecycle
    from danvan.review import services as review
    from tests.factories_review import AwardTitleFactory, CriteriaSetFactory, CriterionFactory

    title = AwardTitleFactory()
    criteria = CriteriaSetFactory()
    criterion = CriterionFactory(criteria_set=criteria)
    decision = {
        "decision_number": "5/QĐ-UBND",
        "decision_date": datetime.date(year, 12, 5),
        "issuing_body": "UBND",
        "quiet": True,
    }
    for number in range(count):
        model = initiative_create(
            actor=SYSTEM,
            title=f"Mô hình tiêu biểu {year} {number}",
            field=Field.values[number % len(Field.values)],
            organisation=organisation,
            area=area,
            year=year,
        )
        for step in ("submit", "register"):
            lifecycle.initiative_transition(actor=SYSTEM, initiative=model, name=step)
        award = review.award_propose(actor=w.root, initiative=model, title=title, level="commune")
        review.award_recognise(actor=w.root, award=award, **decision)
        if number % 2:
            review.award_nominate(actor=w.root, award=award)
            person = review.award_propose(
                actor=w.root,
                initiative=model,
                title=title,
                level="commune",
                recipient_kind="individual",
                recipient_name=f"Nguyễn Văn {number}",
                recipient_role="resident",
            )
            review.award_recognise(actor=w.root, award=person, **decision)
        review.evaluation_create(
            actor=w.root,
            initiative=model,
            criteria_set=criteria,
            scores={criterion.pk: 5 + number % 5},
            level="commune",
        )


@pytest.fixture
def honoured(world):  # noqa: F811
    _honour(world, world.yen_giang, world.wu_yen_giang, 2024, 2)
    _honour(world, world.ha_an, world.yu_ha_an, 2025, 2)
    return world


# The recognition answers (the awards by stage and level; the recognition per level with the
# collectives, by kind of organisation, and the grades): each table's rows in one query, the
# collectives of a node one row; several nodes (a unit that ended), a range of years or
# several fields count the organisations' rows in one query. Legacy Quảng Ninh, a unit that
# ended, is read through its lineage (and, over all years, the units that took over its land).
RECOGNITION_BUDGETS = {"province-as_was": 8, "province-restated": 4, "legacy": 5, "country": 3}
RECOGNITION_CASES = [
    ("awards", {}, {"province-as_was": 6, "province-restated": 2, "legacy": 3, "country": 1}),
    ("recognition", {}, RECOGNITION_BUDGETS),
    (
        "recognition",
        {"year_from": 2024, "year_to": 2024, "field": Field.ECONOMY},
        RECOGNITION_BUDGETS,
    ),
    (
        "recognition",
        {"year_from": 2023, "year_to": 2025, "field": [Field.ECONOMY, Field.CULTURE_SOCIETY]},
        RECOGNITION_BUDGETS,
    ),
]


@pytest.mark.parametrize(
    ("endpoint", "params", "budgets"),
    RECOGNITION_CASES,
    ids=[
        f"{e}-{'-'.join(f'{k}={v}' for k, v in p.items()) or 'all'}"
        for e, p, _ in RECOGNITION_CASES
    ],
)
@pytest.mark.parametrize("scope", ["province", "legacy", "country"])
@pytest.mark.parametrize("mode", [AS_WAS, RESTATED])
def test_a_recognition_answer_runs_a_fixed_number_of_queries(
    honoured, endpoint, params, budgets, scope, mode
):
    w = honoured
    who, unit = {
        "province": (w.tuan, {"area": w.quang_ninh.pk}),
        "legacy": (w.tuan, {"area": w.yen_giang.parent.parent.pk}),
        "country": (w.root, {}),
    }[scope]
    budget = budgets[scope if scope != "province" else f"province-{mode}"]
    asked = {**params, **unit, "mode": mode}
    _api_count(who, asked, endpoint)  # a unit's lineage is cached on its first reading
    counted = _api_count(who, asked, endpoint)
    assert counted <= budget, f"{endpoint} {asked}: budget {budget}, {counted!r}"
    _honour(w, w.yen_giang, w.pc_yen_giang, 2024, 6)
    _honour(w, w.zone_1, w.wu_yen_giang, 2023, 4)
    _api_count(who, asked, endpoint)
    assert _api_count(who, asked, endpoint) == counted, "the count grows with the data"
