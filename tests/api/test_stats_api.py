"""The statistics API answers what the stats selectors answer, for the caller's scope only."""

import datetime

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.initiatives.services import contribution_add, initiative_create
from danvan.stats.models import AS_WAS, RESTATED
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import contribution_figures, initiative_figures
from tests.factories_review import RegistrationRoundFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/stats/"


@pytest.fixture
def mobilised(world):
    """Two Yên Giang initiatives of 2025 with money given in June and in December."""
    houses = initiative_create(
        actor=SYSTEM,
        title="Nhà văn hóa khu 1",
        field=Field.CULTURE_SOCIETY,
        organisation=world.wu_yen_giang,
        area=world.yen_giang,
        year=2025,
    )
    roads = initiative_create(
        actor=SYSTEM,
        title="Đường hoa",
        field=Field.ECONOMY,
        organisation=world.pc_yen_giang,
        area=world.yen_giang,
        year=2025,
    )
    for initiative, day, amount in (
        (houses, datetime.date(2025, 6, 10), 180_000_000),
        (roads, datetime.date(2025, 12, 5), 20_000_000),
    ):
        contribution_add(
            actor=SYSTEM,
            initiative=initiative,
            date=day,
            kind=ContributionKind.MONEY,
            amount=amount,
            contributor_type=ContributorType.HOUSEHOLDS,
            contributors=12,
        )
    return world


def test_initiatives_by_field_are_the_selector_rows(api, mobilised):
    w = mobilised
    response = api(w.minh).get(
        URL + "initiatives/",
        {"area": w.quang_yen.pk, "mode": RESTATED, "group_by": "field", "year_from": 2025},
    )
    assert response.status_code == 200, response.content
    expected = initiative_figures(
        area=w.quang_yen, mode=RESTATED, year_from=2025, group_by=("field",)
    )
    assert response.json() == expected
    assert {row["field"]: row["money"] for row in response.json()} == {
        "culture_society": 180_000_000,
        "economy": 20_000_000,
    }


def test_a_round_stands_for_its_unit_year_and_cut_off(api, mobilised):
    w = mobilised
    round_ = RegistrationRoundFactory(area=w.quang_yen, cutoff_on=datetime.date(2025, 11, 30))
    response = api(w.minh).get(URL + "contributions/", {"round": round_.pk, "mode": RESTATED})
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert row["money"] == 180_000_000  # December's gift is after the cut-off
    assert response.json() == contribution_figures(
        area=w.quang_yen, mode=RESTATED, year_from=2025, year_to=2025, cutoff=round_.cutoff_on
    )


def test_repeated_and_comma_separated_lists_are_both_read(api, mobilised):
    w = mobilised
    client = api(w.root)
    by_comma = client.get(URL + "initiatives/?group_by=year,field&field=economy,culture_society")
    by_repeat = client.get(
        URL + "initiatives/?group_by=year&group_by=field&field=economy&field=culture_society"
    )
    assert by_comma.status_code == by_repeat.status_code == 200
    assert by_comma.json() == by_repeat.json()
    assert len(by_comma.json()) == 2


def test_the_whole_country_needs_a_nationwide_role(api, mobilised):
    w = mobilised
    refused = api(w.minh).get(URL + "initiatives/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert api(w.root).get(URL + "initiatives/").status_code == 200


def test_a_unit_outside_the_callers_scope_is_refused(api, mobilised):
    w = mobilised
    assert api(w.duc).get(URL + "initiatives/", {"area": w.quang_yen.pk}).status_code == 403
    assert api(w.hoa).get(URL + "awards/", {"area": w.quang_ninh.pk}).status_code == 403
    assert api().get(URL + "initiatives/", {"area": w.quang_yen.pk}).status_code in (401, 403)


def test_an_organisation_officer_reads_the_figures_of_their_seat_and_no_further(api, mobilised):
    """One rule for a unit's figures: the dashboard shows Lan her union's ward, so the API
    answers the same; a neighbouring ward and another province stay refused."""
    w = mobilised
    assert api(w.lan).get(URL + "initiatives/", {"area": w.yen_giang.pk}).status_code == 200
    for elsewhere in (w.ha_an, w.ha_tinh):
        response = api(w.lan).get(URL + "initiatives/", {"area": elsewhere.pk})
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"mode": "sideways"}, "mode"),
        ({"group_by": "colour"}, "group_by"),
        ({"group_by": "year,field,status,org_kind"}, "group_by"),
        ({"year_from": "2025", "year_to": "2013"}, "year_to"),
        ({"year_from": "twenty"}, "year_from"),
        ({"year_from": "1800"}, "year_from"),
        ({"field": "weather"}, "field"),
        ({"status": "lost"}, "status"),
        ({"area": "999999999"}, "area"),
        ({"area": "abc"}, "area"),
    ],
)
def test_bad_parameters_name_the_field(api, mobilised, query, field):
    response = api(mobilised.root, "vi").get(URL + "initiatives/", query)
    assert response.status_code == 400, response.content
    body = response.json()["error"]
    assert [name for name in body["fields"] if name.split(".")[0] == field]
    assert body["message"]


def test_contribution_specific_bad_input(api, mobilised):
    w = mobilised
    client = api(w.root)
    backwards = client.get(URL + "contributions/", {"start": "2025-12-01", "cutoff": "2025-01-01"})
    assert backwards.status_code == 400
    assert "cutoff" in backwards.json()["error"]["fields"]
    bad_day = client.get(URL + "contributions/", {"cutoff": "2025-02-30"})
    assert "cutoff" in bad_day.json()["error"]["fields"]
    round_ = RegistrationRoundFactory(area=w.quang_yen)
    both = client.get(URL + "contributions/", {"round": round_.pk, "area": w.quang_yen.pk})
    assert "area" in both.json()["error"]["fields"]


def test_results_need_a_known_indicator_and_a_year(api, mobilised):
    client = api(mobilised.root)
    missing = client.get(URL + "results/")
    assert missing.status_code == 400
    assert {"indicator", "year"} <= set(missing.json()["error"]["fields"])
    unknown = client.get(URL + "results/", {"indicator": "nothing", "year": 2025})
    assert "indicator" in unknown.json()["error"]["fields"]


def test_registering_units_awards_and_cumulative(api, mobilised):
    w = mobilised
    client = api(w.quan)
    scope = {"area": w.quang_yen.pk, "mode": RESTATED}
    units = client.get(URL + "registering-units/", scope)
    assert units.json() == {"registering_units": 2}
    assert client.get(URL + "awards/", scope).json() == []
    # Distinct models from the rollups, as every other figure: the world's own initiatives in
    # the ward (in Yên Giang and its zone) were made without the services, so they count once
    # the rollups are rebuilt, as after a bulk load.
    rebuild_rollups()
    cumulative = client.get(URL + "cumulative/", {**scope, "since": 2013}).json()
    assert cumulative["since"] == 2013
    assert cumulative["total"]["initiatives"] == 4
    assert sum(row["initiatives"] for row in cumulative["rows"]) == 4
    assert {"economy", "culture_society"} <= {row["field"] for row in cumulative["rows"]}
    assert cumulative["reading"]["mode"] == RESTATED
    # The same territory in both modes: the legacy ward's figures are the new ward's.
    as_was = client.get(URL + "registering-units/", {**scope, "mode": AS_WAS})
    assert as_was.json() == {"registering_units": 2}
    assert as_was["Boundary-Mode"] == AS_WAS


def test_land_and_labour_are_exact_numbers_and_households_and_people_apart(api, mobilised):
    w = mobilised
    houses = w.wu_yen_giang.initiatives.get(title="Nhà văn hóa khu 1")
    for kind, amount, contributor_type, count in (
        (ContributionKind.LAND, "350.5", ContributorType.HOUSEHOLDS, 9),
        (ContributionKind.LABOUR, "12.25", ContributorType.INDIVIDUALS, 30),
    ):
        contribution_add(
            actor=SYSTEM,
            initiative=houses,
            date=datetime.date(2025, 6, 11),
            kind=kind,
            amount=amount,
            contributor_type=contributor_type,
            contributors=count,
        )
    response = api(w.minh).get(URL + "initiatives/", {"area": w.quang_yen.pk, "mode": RESTATED})
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert (row["land"], row["labour"]) == (350.5, 12.25)
    assert isinstance(row["money"], int) and "contributors" not in row
    # 12 households gave money to each model (9 of the same gave land): 24, not 33 nor 54.
    assert (row["households"], row["people"]) == (24, 30)
    whole = api(w.minh).get(URL + "contributions/", {"area": w.quang_yen.pk, "mode": RESTATED})
    assert '"land":350.5' in whole.content.decode().replace(" ", "")
