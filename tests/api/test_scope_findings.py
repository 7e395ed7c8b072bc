"""Reproductions of the scope findings of the security review, one test each.

Lan is an officer bound to the Women's Union of Yên Giang ward (Quảng Ninh); Tuấn administers
Quảng Ninh; Hà Tĩnh is another province (``tests/people.py``). Each write must be refused with
nothing saved, and each figure answered the same by the dashboard and the statistics API.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from danvan.accounts.models import Role, RoleAssignment
from danvan.accounts.services import role_assign
from danvan.areas.models import AreaKind
from danvan.initiatives.catalogues import REGISTERED_STATUSES, Status
from danvan.initiatives.models import Initiative
from danvan.stats.models import AS_WAS
from tests.api.conftest import error_of
from tests.factories import AreaFactory, ContributionFactory, InitiativeFactory
from tests.factories_review import PersonFactory, RoleAssignmentFactory

pytestmark = pytest.mark.django_db

YEAR = 2026  # registered on today's units, in force since 1 July 2025


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def fields_of(initiative: Initiative) -> dict:
    return Initiative.objects.filter(pk=initiative.pk).values().get()


# --- an organisation's officer cannot write in another province ------------------------------


def new_initiative(world, area) -> dict:
    return {
        "title": "Camera an ninh khu dân cư",
        "field": "defence_security",
        "organisation": world.wu_yen_giang.pk,
        "area": area.pk,
        "year": YEAR,
        "start_date": f"{YEAR}-02-01",
    }


def test_an_organisation_officer_cannot_register_in_another_province_by_the_api(api, world):
    """Lan's grant names her union and no area: the union alone does not say where she acts."""
    before = Initiative.objects.count()
    response = api(world.lan).post(
        "/api/v1/initiatives/", new_initiative(world, world.can_loc), format="json"
    )
    assert error_of(response, 403)["code"] == "permission_denied"
    assert Initiative.objects.count() == before
    assert not Initiative.objects.filter(area=world.can_loc).exists()


def test_an_organisation_officer_cannot_register_in_another_province_by_the_web_form(world):
    before = Initiative.objects.count()
    data = {
        **new_initiative(world, world.can_loc),
        "summary": "",
        "end_date": "",
        "people_in_charge": "",
        "tags": "",
        "replicated_from": "",
    }
    response = signed_in(world.lan).post("/initiatives/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["area"] == [
        "You do not have permission to do this here."
    ]
    assert Initiative.objects.count() == before


def test_an_organisation_officer_cannot_move_an_initiative_to_another_province(api, world):
    initiative = world.cultural_houses
    before = fields_of(initiative)
    response = api(world.lan).patch(
        f"/api/v1/initiatives/{initiative.pk}/",
        {"version": initiative.version, "area": world.can_loc.pk},
        format="json",
    )
    assert error_of(response, 403)["code"] == "permission_denied"
    assert fields_of(initiative) == before  # the area and the version alike


def test_the_same_officer_still_registers_and_moves_inside_the_unions_territory(api, world):
    """The refusals above are about the place: inside the ward the same requests pass."""
    client = api(world.lan)
    created = client.post(
        "/api/v1/initiatives/", new_initiative(world, world.quang_yen), format="json"
    )
    assert created.status_code == 201, created.content
    zone_5 = AreaFactory(name="Khu 5", kind=AreaKind.RESIDENTIAL_GROUP, parent=world.quang_yen)
    moved = client.patch(
        f"/api/v1/initiatives/{created.json()['id']}/",
        {"version": created.json()["version"], "area": zone_5.pk},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["area"] == zone_5.pk


def test_restoring_a_version_that_stood_in_another_province_is_refused(api, world):
    """The restore used to save the move and then answer 404, the moved initiative being out of
    the administrator's sight: now it is refused before anything is saved."""
    initiative = world.cultural_houses
    # A version in Hà Tĩnh, as the old rules let a move through (undone since).
    initiative.area = world.thien_loc
    initiative.save()
    foreign_version = initiative.history.latest().history_id
    initiative.area = world.zone_1
    initiative.save()
    before = fields_of(initiative)
    history = initiative.history.count()

    response = api(world.tuan).post(
        f"/api/v1/initiatives/{initiative.pk}/restore/",
        {"history_id": foreign_version},
        format="json",
    )

    assert error_of(response, 403)["code"] == "permission_denied"
    assert fields_of(initiative) == before
    assert initiative.history.count() == history
    # A version of its own province is still brought back.
    own_version = initiative.history.earliest().history_id
    restored = api(world.tuan).post(
        f"/api/v1/initiatives/{initiative.pk}/restore/", {"history_id": own_version}, format="json"
    )
    assert restored.status_code == 200, restored.content


# --- an administrator cannot reach across the province by a grant --------------------------


def test_a_provincial_admin_cannot_grant_themselves_an_officer_role_abroad(api, world):
    """Tuấn administers Quảng Ninh; an officer's role on Hà Tĩnh's Women's Union of Thiên Lộc
    would let him write there. Refused by the API, the form and the service alike."""
    tuan = world.tuan
    before = list(RoleAssignment.objects.order_by("pk").values())
    response = api(tuan).post(
        f"/api/v1/users/{tuan.pk}/roles/",
        {"role": "officer", "organisation": world.wu_thien_loc.pk},
        format="json",
    )
    assert response.status_code in (400, 403, 404), response.content
    error_of(response, response.status_code)
    page = signed_in(tuan).post(
        f"/people/{tuan.pk}/roles/new/", {"role": "officer", "organisation": world.wu_thien_loc.pk}
    )
    assert page.status_code in (200, 403, 404)
    if page.status_code == 200:
        assert page.context["form"].errors
    with pytest.raises(PermissionDenied):
        role_assign(actor=tuan, user=tuan, role=Role.OFFICER, organisation=world.wu_thien_loc)
    assert list(RoleAssignment.objects.order_by("pk").values()) == before


# --- a nationwide role reads the country ---------------------------------------------------


def test_a_nationwide_viewer_lists_the_countrys_initiatives(api, world):
    """Before, a nationwide grant OR-ed an empty filter away and the list came back empty."""
    inspector = PersonFactory(username="thanh_tra")
    RoleAssignmentFactory(user=inspector, role=Role.VIEWER, nationwide=True)
    body = api(inspector).get("/api/v1/initiatives/").json()
    assert body["count"] == Initiative.objects.count() > 0
    codes = {row["code"] for row in body["results"]}
    assert {world.cultural_houses.code, world.thien_loc_roads.code} <= codes  # both provinces


# --- one rule for a unit's figures: the dashboard and the statistics API agree -------------


@pytest.fixture
def registered(world):
    """Registered models of 2024 on Yên Giang ward (Lan's seat) and on Hà Tĩnh's Thiên Lộc."""
    for organisation, area, amount in (
        (world.wu_yen_giang, world.zone_1, 180_000_000),
        (world.pc_yen_giang, world.yen_giang, 352_000_000),
        (world.wu_thien_loc, world.thien_loc, 75_000_000),
    ):
        initiative = InitiativeFactory(
            organisation=organisation, area=area, year=2024, status=Status.REGISTERED
        )
        ContributionFactory(initiative=initiative, date=datetime.date(2024, 6, 1), amount=amount)
    call_command("rebuild_rollups", verbosity=0)
    return world


def dashboard_totals(client, area) -> tuple[dict, object]:
    response = client.get("/", {"unit": area.pk, "year": 2024, "mode": AS_WAS})
    assert response.status_code == 200
    return response.context["figures"]["totals"], response.context["query"]


def api_totals(client, area):
    return client.get(
        "/api/v1/stats/initiatives/",
        {
            "area": area.pk,
            "year_from": 2024,
            "year_to": 2024,
            "mode": AS_WAS,
            "status": ",".join(REGISTERED_STATUSES),
        },
    )


def test_an_organisation_officer_reads_the_same_figures_of_their_seat_on_both_doors(
    api, registered
):
    w = registered
    page_totals, query = dashboard_totals(signed_in(w.lan), w.yen_giang)
    assert query.unit.area == w.yen_giang and not query.problems
    response = api_totals(api(w.lan), w.yen_giang)
    assert response.status_code == 200, response.content
    [row] = response.json()
    # The two registered here and the People's Committee's completed digital model.
    assert page_totals["initiatives"] == row["initiatives"] == 3
    assert page_totals["money"] == row["money"] == 532_000_000
    assert {key: page_totals[key] for key in row} == row


def test_both_doors_refuse_the_officer_the_figures_of_another_province(api, registered):
    w = registered
    page_totals, query = dashboard_totals(signed_in(w.lan), w.ha_tinh)
    # The page shows the officer's own unit instead, and says why; never Hà Tĩnh's figures.
    assert query.unit.area != w.ha_tinh
    assert any("outside your scope" in str(problem) for problem in query.problems)
    assert page_totals["money"] != 75_000_000
    error = error_of(api_totals(api(w.lan), w.ha_tinh), 403)
    assert error["code"] == "permission_denied"
