"""The dashboard: who may open it, its figures against the statistics, bad queries."""

import json
import re

import pytest

from danvan.core.formats import format_money
from danvan.initiatives.catalogues import REGISTERED_STATUSES, ContributionKind, Field, Status
from danvan.initiatives.models import StatusChange
from danvan.stats import selectors as stats
from danvan.stats.rebuild import rebuild_rollups
from tests.factories import ContributionFactory
from tests.factories_review import PersonFactory

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1)


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_a_person_without_a_role_gets_a_friendly_refusal(client, db):
    client.force_login(PersonFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 403
    assert "no role" in response.content.decode()


@pytest.mark.parametrize("who", ["quan", "minh", "lan", "thu", "tuan", "hoa", "nga", "root"])
def test_every_role_sees_its_dashboard(client, cast, who):
    client.force_login(getattr(cast, who))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["query"].problems == []
    assert 'data-chart="field"' in response.content.decode()


def test_the_default_unit_is_the_assignment_and_the_organisation_seat(client, cast):
    client.force_login(cast.minh)
    assert client.get("/").context["query"].unit.area == cast.quang_yen
    client.force_login(cast.lan)
    assert client.get("/").context["query"].unit.area == cast.yen_giang


def test_figures_equal_the_statistics(client, cast):
    ContributionFactory(initiative=cast.digital, kind=ContributionKind.MONEY, amount=180_000_000)
    ContributionFactory(initiative=cast.digital, kind=ContributionKind.LAND, amount=1200)
    rebuild_rollups()
    client.force_login(cast.quan)
    response = client.get("/", {"year": "2024", "mode": "restated"})
    html = response.content.decode()
    [expected] = stats.initiative_figures(
        area=cast.quang_ninh,
        mode="restated",
        year_from=2024,
        year_to=2024,
        status=REGISTERED_STATUSES,
    )
    assert expected["initiatives"] == 1  # the completed digital model; drafts do not count
    assert expected["money"] == 180_000_000
    assert response.context["figures"]["totals"] == expected
    assert _figure(html, "initiatives") == "1"
    assert _figure(html, "money") == format_money(180_000_000, "en")
    assert _figure(html, "land") == "1,200"
    assert response.context["figures"]["registering_units"] == stats.registering_units(
        area=cast.quang_ninh,
        mode="restated",
        year_from=2024,
        year_to=2024,
        status=REGISTERED_STATUSES,
    )
    charts = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html).group(1))
    assert charts["field"] == {"labels": [str(Field.PARTY_BUILDING.label)], "values": [1]}
    assert charts["year"] == {"labels": ["2024"], "values": [1]}


def test_households_and_people_are_shown_apart_with_their_own_words(client, cast):
    ContributionFactory(
        initiative=cast.digital, kind=ContributionKind.LAND, amount="350.5",
        contributor_type="households", contributors=40,
    )  # fmt: skip
    ContributionFactory(
        initiative=cast.digital, kind=ContributionKind.MONEY, amount=1_000_000,
        contributor_type="households", contributors=25,
    )  # fmt: skip
    ContributionFactory(
        initiative=cast.digital, kind=ContributionKind.MONEY, amount=500_000,
        contributor_type="individuals", contributors=7,
    )  # fmt: skip
    rebuild_rollups()
    client.force_login(cast.quan)
    response = client.get("/", {"year": "2024", "mode": "restated"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    # 40 households gave land, 25 of them money too: 40, never 65 nor 72 "người".
    assert (_figure(html, "households"), _figure(html, "people")) == ("40", "7")
    assert _figure(html, "land") == "350,5"
    table = html[html.index('class="table table-sm align-middle units-table"') :]
    header = table[: table.index("</thead>")]
    assert "Hộ gia đình" in header and "Người" in header
    assert "Người dùng" not in header  # the users' page's word, not the contributors'
    charts = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html).group(1))
    assert all(isinstance(row["land"], int | float) for row in charts["units"])


def test_a_year_before_the_province_existed_has_its_figures_in_both_modes(client, cast):
    """The digital model was recorded on the legacy ward in 2024: today's province holds it in
    both modes (as it was, under the legacy province it was formed from), and nobody choosing
    a mode gets the restated one, said on the page."""
    client.force_login(cast.quan)
    default = client.get("/", {"year": "2024"})
    as_was = client.get("/", {"year": "2024", "mode": "as_was"}).context["figures"]
    restated = client.get("/", {"year": "2024", "mode": "restated"}).context["figures"]
    assert as_was["totals"]["initiatives"] == restated["totals"]["initiatives"] == 1
    assert default.context["query"].mode == "restated"
    assert default.context["query"].chosen is False
    assert [unit.scheme for unit in as_was["reading"].units] == ["legacy"]
    assert as_was["reading"].note
    page = default.content.decode()
    assert 'class="small boundary-reading" data-mode="restated"' in page
    assert "boundary-note" in page


def test_a_unit_below_the_scope_can_be_picked(client, cast):
    client.force_login(cast.quan)
    response = client.get("/", {"unit": cast.yen_giang.pk, "year": "all"})
    assert response.context["query"].problems == []
    assert response.context["query"].unit.area == cast.yen_giang
    assert response.context["figures"]["totals"]["initiatives"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"unit": "abc"}, "There is no unit with that number"),
        ({"unit": "99999999"}, "There is no unit with that number"),
        ({"unit": "-1"}, "There is no unit with that number"),
        ({"year": "abc"}, "is not a year we can show"),
        ({"year": "1800"}, "is not a year we can show"),
        ({"year": "99999999999999999999"}, "is not a year we can show"),
        ({"mode": "sideways"}, "Unknown way of counting"),
    ],
)
def test_bad_queries_get_a_clear_message(client, cast, params, message):
    client.force_login(cast.quan)
    response = client.get("/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["query"].unit.area == cast.quang_ninh


def test_a_unit_outside_the_scope_is_refused_with_a_message(client, cast):
    client.force_login(cast.quan)
    response = client.get("/", {"unit": cast.ha_tinh.pk})
    assert response.status_code == 200
    assert "Tỉnh Hà Tĩnh is outside your scope" in response.content.decode()
    assert response.context["query"].unit.area == cast.quang_ninh


def test_an_organisation_bound_officer_cannot_pick_a_neighbour(client, cast):
    client.force_login(cast.lan)
    response = client.get("/", {"unit": cast.ha_an.pk})
    assert "outside your scope" in response.content.decode()


def test_htmx_gets_the_figures_alone(client, cast):
    client.force_login(cast.quan)
    response = client.get("/", {"year": "2024"}, headers={"hx-request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="figures"')
    assert "<html" not in html


def test_recent_changes_stay_in_scope(client, cast):
    StatusChange.objects.create(
        initiative=cast.digital,
        transition="complete",
        from_status=Status.IN_PROGRESS,
        to_status=Status.COMPLETED,
    )
    StatusChange.objects.create(
        initiative=cast.thien_loc_roads,
        transition="start",
        from_status=Status.REGISTERED,
        to_status=Status.IN_PROGRESS,
    )
    client.force_login(cast.quan)
    html = client.get("/").content.decode()
    assert cast.digital.title in html
    assert cast.thien_loc_roads.title not in html
    client.force_login(cast.hoa)
    html = client.get("/").content.decode()
    assert cast.thien_loc_roads.title in html
    assert cast.digital.title not in html


def test_only_get(client, cast):
    client.force_login(cast.quan)
    assert client.post("/").status_code == 405


def test_recognised_counts_initiatives_with_an_award_decision(client, cast):
    import datetime

    from danvan.review.models import RecognitionLevel
    from danvan.review.services import award_propose, award_recognise
    from tests.factories_review import AwardTitleFactory

    rebuild_rollups()
    client.force_login(cast.quan)
    query = {"year": "2024", "mode": "restated"}
    assert _figure(client.get("/", query).content.decode(), "recognised") == "0"
    # Through the services, which keep the recognition rollups the page reads.
    award = award_propose(
        actor=cast.root,
        initiative=cast.digital,
        title=AwardTitleFactory(),
        level=RecognitionLevel.COMMUNE,
    )
    assert _figure(client.get("/", query).content.decode(), "recognised") == "0"
    award_recognise(
        actor=cast.root,
        award=award,
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2024, 12, 20),
        issuing_body="UBND phường Yên Giang",
        quiet=True,
    )
    response = client.get("/", query)
    assert response.context["figures"]["recognised"] == stats.recognised_initiatives(
        area=cast.quang_ninh, mode="restated", year_from=2024, year_to=2024
    )
    assert _figure(response.content.decode(), "recognised") == "1"


def test_the_units_and_the_scope_are_read_once_a_request(client, world):
    """The page's unit selector and its checked query share one reading of the person's units,
    and the layout's two scope lines share one reading of their roles."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.quan)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    roles = [
        q["sql"] for q in queries.captured_queries if 'FROM "accounts_roleassignment"' in q["sql"]
    ]
    # One for the units (with the seats of organisations), one for the scope lines, one for
    # the grants that scope every read: not two of each.
    assert len(roles) <= 3, roles
    html = response.content.decode()
    label = response.context["choices"][0].label
    assert label in html
    assert html.count("user-scope") == 1  # the menu's line, read from the same labels
