"""The leader's dashboard: the filters against the statistics, the year it opens on, the
drill-down to organisations with its breadcrumb, and the map's outlines."""

import datetime

import pytest
import shapely
from shapely.geometry import shape

from danvan.initiatives.catalogues import REGISTERED_STATUSES, ContributionKind, Field, Status
from danvan.orgs.models import OrgKind
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.filtered import Filters, figures, organisation_figures
from danvan.stats.rebuild import rebuild_rollups
from danvan.web import maps
from tests.factories import ContributionFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

REGISTERED = (Status.REGISTERED, Status.IN_PROGRESS, Status.COMPLETED)


@pytest.fixture
def ledger(cast):
    """Contributions on two days of 2024 and a registered initiative of each field."""
    ContributionFactory(
        initiative=cast.digital,
        kind=ContributionKind.MONEY,
        amount=180_000_000,
        date=datetime.date(2024, 3, 15),
    )
    ContributionFactory(
        initiative=cast.digital,
        kind=ContributionKind.MONEY,
        amount=75_000_000,
        date=datetime.date(2024, 9, 2),
    )
    for field, organisation in (
        (Field.ECONOMY, cast.wu_yen_giang),
        (Field.CULTURE_SOCIETY, cast.yu_ha_an),
    ):
        InitiativeFactory(
            field=field, organisation=organisation, area=organisation.seat_area, status="registered"
        )
    rebuild_rollups()
    return cast


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"field": "economy"}, {"field": "economy"}),
        ({"status": "completed"}, {"status": ("completed",)}),
        ({"status": "submitted"}, {"status": ("submitted",)}),
    ],
    ids=["field", "status-completed", "status-submitted"],
)
def test_field_and_status_filters_equal_the_base_tables(client, ledger, params, expected):
    client.force_login(ledger.quan)
    response = client.get("/", {"year": "2024", "mode": "restated", **params})
    assert response.context["query"].problems == []
    status = expected.get("status", REGISTERED)
    [direct] = initiative_figures_direct(
        area=ledger.quang_ninh,
        mode="restated",
        year_from=2024,
        year_to=2024,
        field=expected.get("field"),
        status=status,
    ) or [{"initiatives": 0, "money": 0}]
    totals = response.context["figures"]["totals"]
    assert totals["initiatives"] == direct["initiatives"]
    assert totals["money"] == direct["money"]


def test_the_kind_filter_keeps_the_kinds_rows(client, ledger):
    client.force_login(ledger.quan)
    kind = OrgKind.PEOPLES_COMMITTEE
    response = client.get("/", {"year": "2024", "mode": "restated", "kind": kind})
    rows = initiative_figures_direct(
        area=ledger.quang_ninh,
        mode="restated",
        year_from=2024,
        year_to=2024,
        status=REGISTERED,
        group_by=("org_kind",),
    )
    [expected] = [row for row in rows if row["org_kind"] == kind]
    totals = response.context["figures"]["totals"]
    assert totals["initiatives"] == expected["initiatives"] == 1
    assert totals["money"] == expected["money"] == 255_000_000
    # Every chart is narrowed too: the kinds' pie holds the one kind.
    assert response.context["figures"]["charts"]["org_kind"]["values"] == [1]
    assert response.context["figures"]["registering_units"] == 1


def test_a_period_counts_the_contributions_dated_inside_it(client, ledger):
    client.force_login(ledger.quan)
    response = client.get("/", {"mode": "restated", "from": "2024-09-01", "to": "2024-09-30"})
    query = response.context["query"]
    assert query.problems == []
    assert query.filters.start == datetime.date(2024, 9, 1)
    [direct] = contribution_figures_direct(
        area=ledger.quang_ninh,
        mode="restated",
        status=REGISTERED,
        start=datetime.date(2024, 9, 1),
        cutoff=datetime.date(2024, 9, 30),
    )
    assert response.context["figures"]["totals"]["money"] == direct["money"] == 75_000_000
    # A period inside a month is exact, not rounded to the month.
    rows = figures(
        area=ledger.quang_ninh,
        mode="restated",
        filters=Filters(start=datetime.date(2024, 3, 16), end=datetime.date(2024, 9, 1)),
    )
    assert rows[0]["money"] == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"field": "magic"}, "Unknown field"),
        ({"kind": "'; drop table"}, "Unknown kind of organisation"),
        ({"status": "deleted"}, "Unknown status"),
        ({"from": "2024-13-40"}, "is not a date we can read"),
        ({"to": "yesterday"}, "is not a date we can read"),
        ({"from": "1066-10-14"}, "is not a date we can read"),
        ({"org": "abc"}, "There is no such organisation in this unit"),
        ({"org": "99999999999"}, "There is no such organisation in this unit"),
    ],
    ids=["field", "kind", "status", "month-13", "word", "too-old", "org-text", "org-missing"],
)
def test_bad_filters_get_a_clear_message_and_are_ignored(client, ledger, params, message):
    client.force_login(ledger.quan)
    plain = client.get("/", {"year": "2024"}).context["figures"]["totals"]
    response = client.get("/", {"year": "2024", **params})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["figures"]["totals"] == plain


def test_a_period_given_backwards_is_swapped_with_a_message(client, ledger):
    client.force_login(ledger.quan)
    response = client.get("/", {"from": "2024-12-31", "to": "2024-01-01"})
    query = response.context["query"]
    assert "ends before it starts" in response.content.decode()
    assert (query.filters.start, query.filters.end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )


def test_an_organisation_outside_the_scope_is_refused(client, ledger):
    client.force_login(ledger.quan)
    response = client.get("/", {"unit": ledger.quang_ninh.pk, "org": ledger.wu_thien_loc.pk})
    assert "There is no such organisation in this unit" in response.content.decode()
    assert response.context["query"].organisation is None


def test_it_opens_on_the_newest_year_with_figures_when_the_round_has_none(client, ledger):
    """No round is open in the cast: the calendar year stands in, and it has no initiatives,
    so the dashboard opens on 2024, where they are."""
    client.force_login(ledger.quan)
    response = client.get("/")
    assert response.context["query"].year == 2024
    assert response.context["figures"]["totals"]["initiatives"] > 0
    # The drill-down keeps the year shown, so a unit below does not open on another year.
    assert all("year=2024" in row["url"] for row in response.context["figures"]["units"])
    assert response.context["figures"]["units"]
    # A year asked for is kept, even an empty one.
    assert client.get("/", {"year": "2023"}).context["query"].year == 2023


def test_the_drill_down_goes_from_province_to_commune_to_organisation(client, ledger):
    client.force_login(ledger.quan)
    province = client.get("/", {"year": "2024", "mode": "restated"}).context["figures"]
    names = [row["name"] for row in province["units"]]
    assert "Phường Quảng Yên" in names
    assert all(row["kind"] == "unit" for row in province["units"])
    [ward] = [row for row in province["units"] if row["name"] == "Phường Quảng Yên"]
    assert ward["url"] == f"?year=2024&mode=restated&unit={ledger.quang_yen.pk}"
    commune = client.get("/" + ward["url"])
    rows = commune.context["figures"]["units"]
    assert commune.context["figures"]["units_are_organisations"]
    assert {row["id"] for row in rows} >= {ledger.pc_yen_giang.pk}
    [pc] = [row for row in rows if row["id"] == ledger.pc_yen_giang.pk]
    expected = organisation_figures(
        area=ledger.quang_yen, year_from=2024, year_to=2024, group_by=("organisation",)
    )
    assert pc["initiatives"] == next(
        r["initiatives"] for r in expected if r["organisation_id"] == ledger.pc_yen_giang.pk
    )
    organisation = client.get("/" + pc["url"])
    assert organisation.context["query"].organisation == ledger.pc_yen_giang
    totals = organisation.context["figures"]["totals"]
    assert totals["money"] == 255_000_000
    assert totals["initiatives"] == pc["initiatives"]
    crumbs = organisation.context["figures"]["breadcrumb"]
    assert [c["label"] for c in crumbs] == [
        "Tỉnh Quảng Ninh",
        "Phường Quảng Yên",
        "UBND phường Yên Giang",
    ]
    assert crumbs[0]["url"] == f"?year=2024&mode=restated&unit={ledger.quang_ninh.pk}"
    assert crumbs[-1]["url"] == ""
    html = organisation.content.decode()
    assert 'aria-current="page">UBND phường Yên Giang<' in html


def test_the_breadcrumb_starts_at_the_persons_own_scope(client, ledger):
    """A ward's reviewer sees no link to the province above: it is outside their scope."""
    client.force_login(ledger.minh)
    crumbs = client.get("/").context["figures"]["breadcrumb"]
    assert [c["label"] for c in crumbs] == ["Phường Quảng Yên"]


def test_the_map_refuses_a_unit_outside_the_scope_and_a_bad_number(client, ledger):
    client.force_login(ledger.quan)
    assert client.get("/map/", {"unit": ledger.ha_tinh.pk}).status_code == 403
    assert client.get("/map/", {"unit": "x1"}).status_code == 404
    assert client.get("/map/").status_code == 403  # the whole country is not theirs
    client.logout()
    assert client.get("/map/").status_code == 302


def test_the_map_draws_the_provinces_and_the_archipelagos(client, ledger):
    client.force_login(ledger.root)
    geo = client.get("/map/").json()
    names = {f["properties"]["name"] for f in geo["features"]}
    assert len(geo["features"]) == 34
    assert {"Tỉnh Quảng Ninh", "Thành phố Đà Nẵng", "Tỉnh Khánh Hòa"} <= names
    labels = [mark["label"] for mark in geo["marks"]]
    assert any("Hoàng Sa" in label for label in labels)
    assert any("Trường Sa" in label for label in labels)
    # The archipelagos are drawn inside the outlines of the provinces they belong to.
    outline = {f["properties"]["name"]: shape(f["geometry"]) for f in geo["features"]}
    for mark, province in zip(geo["marks"], ("Thành phố Đà Nẵng", "Tỉnh Khánh Hòa"), strict=True):
        assert outline[province].buffer(0.01).contains(shapely.Point(mark["lon"], mark["lat"]))


def test_a_provinces_communes_tile_its_outline(client, ledger):
    client.force_login(ledger.quan)
    country = maps.outlines(None)
    province = next(
        shape(f["geometry"])
        for f in country["features"]
        if f["properties"]["id"] == ledger.quang_ninh.pk
    )
    geo = client.get("/map/", {"unit": ledger.quang_ninh.pk}).json()
    communes = [shape(f["geometry"]) for f in geo["features"]]
    assert len(communes) > 40
    assert ledger.quang_yen.pk in {f["properties"]["id"] for f in geo["features"]}
    together = shapely.union_all(communes)
    # Simplified separately, so equal within a small margin.
    assert abs(together.area - province.area) / province.area < 0.05
    assert geo["own"] is False


def test_a_commune_without_outlined_units_shows_its_own(client, ledger):
    client.force_login(ledger.quan)
    geo = client.get("/map/", {"unit": ledger.quang_yen.pk}).json()
    assert geo["own"] is True
    assert [f["properties"]["id"] for f in geo["features"]] == [ledger.quang_yen.pk]


@pytest.mark.parametrize(
    ("which", "mode"),
    [("current", "as_was"), ("legacy", "as_was"), ("legacy", "restated")],
    ids=["current-as_was", "legacy-as_was", "legacy-restated"],
)
@pytest.mark.parametrize(
    "params",
    [
        {"year": "2024"},
        {"year": "all"},
        {"year": "all", "field": "economy"},
        {"from": "2024-03-01", "to": "2024-09-10"},
    ],
    ids=["2024", "all", "field", "period"],
)
def test_a_drill_down_across_schemes_equals_the_base_tables(client, ledger, which, mode, params):
    """Today's Quảng Ninh as it was, legacy Quảng Ninh as it was and restated: each unit's
    row of the drill-down (read from the rollups) is the base tables' figure of that unit."""
    area = ledger.quang_ninh if which == "current" else ledger.yen_giang.parent.parent
    client.force_login(ledger.root)
    response = client.get("/", {"unit": area.pk, "mode": mode, **params})
    assert response.context["query"].problems == []
    start, end = params.get("from"), params.get("to")
    year = None if params.get("year", "all") == "all" else int(params["year"])
    scope = {
        "area": area,
        "mode": mode,
        "year_from": 2024 if start else year,
        "year_to": 2024 if start else year,
        "field": params.get("field"),
        "status": REGISTERED_STATUSES,
        "group_by": ("level",),
    }
    counts = {row["area_id"]: row for row in initiative_figures_direct(**scope)}
    ledgers = counts
    if start:
        ledgers = {
            row["area_id"]: row
            for row in contribution_figures_direct(
                **scope,
                start=datetime.date.fromisoformat(start),
                cutoff=datetime.date.fromisoformat(end),
            )
        }
    shown = {row["id"]: row for row in response.context["figures"]["units"]}
    assert set(shown) == ({*counts, *ledgers} - {None})
    assert shown, "nothing to compare"
    for pk, row in shown.items():
        assert row["initiatives"] == counts.get(pk, {}).get("initiatives", 0), pk
        for measure in ("money", "households", "people"):
            assert row[measure] == ledgers.get(pk, {}).get(measure, 0), (pk, measure)
