"""Users and roles through the API: administrators act inside their scope, nobody else at all."""

from danvan.accounts.models import Role, RoleAssignment, User
from tests.api.conftest import count_queries, error_of
from tests.factories_review import PersonFactory

GOOD_PASSWORD = "nha-van-hoa-khu-1-2024"


def usernames(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["username"] for row in response.json()["results"]}


def test_administrator_lists_the_people_of_the_province(world, api):
    found = usernames(api(world.tuan).get("/api/v1/users/"))
    assert {"lan", "thu", "minh", "duc", "quan", "tuan"} <= found
    assert not found & {"hoa", "nga"}


def test_search_by_name(world, api):
    assert usernames(api(world.tuan).get("/api/v1/users/", {"q": "lan"})) == {"lan"}


def test_a_nul_character_in_the_search_is_a_400(world, api):
    """Regression (schemathesis): PostgreSQL refuses NUL in a query; that was a 500 there."""
    error = error_of(api(world.tuan).get("/api/v1/users/", {"q": "la\x00n"}), 400)
    assert "q" in error["fields"]


def test_people_without_user_rights_see_nobody(world, api):
    assert usernames(api(world.lan).get("/api/v1/users/")) == set()
    error_of(api(world.lan).get(f"/api/v1/users/{world.thu.pk}/"), 404)


def test_a_user_shows_their_roles(world, api):
    body = api(world.tuan).get(f"/api/v1/users/{world.lan.pk}/").json()
    assert [role["role"] for role in body["roles"]] == [Role.OFFICER]
    assert "password" not in body


def test_administrator_creates_a_user_in_scope(world, api):
    response = api(world.tuan).post(
        "/api/v1/users/",
        {
            "username": "hanh",
            "password": GOOD_PASSWORD,
            "organisation": world.wu_yen_giang.pk,
            "first_name": "Hạnh",
        },
    )
    assert response.status_code == 201, response.content
    assert "password" not in response.json()
    assert User.objects.get(username="hanh").check_password(GOOD_PASSWORD)


def test_administrator_cannot_create_a_user_outside_scope(world, api):
    payload = {"username": "hanh", "password": GOOD_PASSWORD, "organisation": world.wu_thien_loc.pk}
    # Hà Tĩnh's organisation is not Quảng Ninh's administrator's to see: refused as missing.
    response = api(world.tuan).post("/api/v1/users/", payload)
    error = error_of(response, 400)
    assert list(error["fields"]) == ["organisation"]
    assert world.wu_thien_loc.name not in response.content.decode()
    assert not User.objects.filter(username="hanh").exists()


def test_weak_passwords_are_refused_field_by_field(world, api):
    payload = {"username": "hanh", "password": "123", "organisation": world.wu_yen_giang.pk}
    error = error_of(api(world.tuan).post("/api/v1/users/", payload), 400)
    assert "password" in error["fields"]


def test_roles_in_and_out_of_scope(world, api):
    hanh = PersonFactory(username="hanh", organisation=world.wu_yen_giang)
    client = api(world.tuan)
    url = f"/api/v1/users/{hanh.pk}/roles/"
    given = client.post(url, {"role": Role.OFFICER, "organisation": world.wu_yen_giang.pk})
    assert given.status_code == 201, given.content
    assert [row["role"] for row in client.get(url).json()] == [Role.OFFICER]

    refused = client.post(url, {"role": Role.REVIEWER, "area": world.ha_tinh.pk})
    assert error_of(refused, 403)["code"] == "permission_denied"
    nationwide = client.post(url, {"role": Role.VIEWER, "nationwide": True})
    error_of(nationwide, 403)

    taken = client.delete(f"{url}{given.json()['id']}/")
    assert taken.status_code == 204
    assert not RoleAssignment.objects.filter(user=hanh).exists()


def test_officers_cannot_hand_out_roles(world, api):
    url = f"/api/v1/users/{world.lan.pk}/roles/"
    response = api(world.lan).post(url, {"role": Role.ADMIN, "area": world.quang_ninh.pk})
    assert response.status_code in {403, 404}
    assert not RoleAssignment.objects.filter(user=world.lan, role=Role.ADMIN).exists()


def test_refusals_speak_the_request_language(world, api):
    payload = {"username": "hanh", "password": GOOD_PASSWORD, "organisation": world.wu_yen_giang.pk}
    english = error_of(api(world.quan, "en").post("/api/v1/users/", payload), 403)
    vietnamese = error_of(api(world.quan, "vi").post("/api/v1/users/", payload), 403)
    assert english["message"] == "You do not have permission to do this here."
    assert vietnamese["message"] == "Bạn không có quyền thực hiện thao tác này tại đây."


def test_list_runs_the_same_queries_for_5_or_100_rows(world, api, django_assert_max_num_queries):
    for index in range(12):
        PersonFactory(username=f"person{index:02}", organisation=world.wu_yen_giang)
    client = api(world.tuan)
    client.get("/api/v1/users/")
    small, body = count_queries(client, "/api/v1/users/?page_size=5")
    large, body_large = count_queries(client, "/api/v1/users/?page_size=100")
    assert len(body["results"]) == 5
    assert len(body_large["results"]) == body["count"] > 12
    assert small == large
    with django_assert_max_num_queries(small):
        client.get("/api/v1/users/?page_size=500&q=person")


def test_reactivation_gives_back_no_token_and_no_session(world, client):
    """Deactivating a person revokes their tokens and ends their sessions for good."""
    from rest_framework.test import APIClient

    from danvan.accounts.models import ApiToken, UserSession
    from danvan.accounts.services import api_token_create, user_activate, user_deactivate

    _token, key = api_token_create(actor=world.lan, name="Sổ tay Excel")
    robot = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    robot.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert robot.get("/api/v1/initiatives/").status_code == 200
    client.force_login(world.lan)
    assert UserSession.objects.filter(user=world.lan).exists()
    assert client.get("/people/me/sessions/").status_code == 200

    user_deactivate(actor=world.tuan, user=world.lan)
    assert error_of(robot.get("/api/v1/initiatives/"), 401)["code"] == "authentication_failed"
    user_activate(actor=world.tuan, user=world.lan)

    error = error_of(robot.get("/api/v1/initiatives/"), 401)
    assert error["message"] == "This token has been revoked."
    assert not ApiToken.objects.filter(user=world.lan, revoked_at__isnull=True).exists()
    assert client.get("/people/me/sessions/").status_code == 302  # back to the sign-in page
    assert not UserSession.objects.filter(user=world.lan).exists()


def test_no_door_changes_a_person_with_a_role_outside_scope(world, api):
    """A Hà Tĩnh reviewer who works for a Quảng Ninh commission: Tuấn cannot give them a role."""
    hanh = PersonFactory(username="hanh", organisation=world.commission_qn)
    RoleAssignment.objects.create(user=hanh, role=Role.REVIEWER, area=world.ha_tinh)
    response = api(world.tuan).post(
        f"/api/v1/users/{hanh.pk}/roles/",
        {"role": "viewer", "area": world.quang_yen.pk},
        format="json",
    )
    assert "outside the places you administer" in error_of(response, 403)["message"]
    assert RoleAssignment.objects.filter(user=hanh).count() == 1
