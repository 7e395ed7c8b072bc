"""Requests the API must refuse cleanly: ids that are not ids, writes by people who may not
write there (403 before the body is read), read-only fields in a body, records out of scope
never named, list exports of units out of scope. Each answers the one error shape and changes
nothing."""

import pytest

from danvan.initiatives.models import Contribution, Initiative
from danvan.reports.models import Report
from tests.api.conftest import error_of

BAD_IDS = ["%C2%B2", "%D9%A3", "9223372036854775808", "99999999999999999999999", "-1", "0", "1.5"]


@pytest.mark.parametrize("raw", BAD_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/areas/?parent={}",
        "/api/v1/initiatives/?area={}",
        "/api/v1/initiatives/?organisation={}",
        "/api/v1/initiatives/?round={}",
        "/api/v1/organisations/?area={}",
        "/api/v1/stats/initiatives/?area={}",
        "/api/v1/stats/initiatives/?round={}",
    ],
)
def test_query_ids_that_are_not_ids_are_a_400(world, api, path, raw):
    error = error_of(api(world.root).get(path.format(raw)), 400)
    assert error["fields"]


@pytest.mark.parametrize("raw", BAD_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/areas/{}/",
        "/api/v1/organisations/{}/",
        "/api/v1/users/{}/",
        "/api/v1/users/{}/roles/",
        "/api/v1/initiatives/{}/",
        "/api/v1/initiatives/{}/contributions/",
        "/api/v1/reports/{}/",
    ],
)
def test_path_ids_that_are_not_ids_are_a_404(world, api, path, raw):
    error_of(api(world.root).get(path.format(raw)), 404)


@pytest.mark.parametrize("raw", BAD_IDS)
def test_the_showcase_ignores_a_province_that_is_not_an_id(world, client, raw):
    response = client.get(f"/showcase/?province={raw}")
    assert response.status_code == 200
    assert response.context["province"] is None
    assert response.context["problem"]


@pytest.mark.parametrize("raw", BAD_IDS)
def test_the_dashboard_ignores_a_unit_that_is_not_an_id(world, client, raw):
    client.force_login(world.root)
    response = client.get(f"/?unit={raw}")
    assert response.status_code == 200


# Item by item: (who, method, url, body) where the caller may read but not write.
def _writes(w):
    ch = w.cultural_houses.pk
    return [
        (w.quan, "post", "/api/v1/initiatives/", {"title": ""}),
        (w.quan, "patch", f"/api/v1/initiatives/{ch}/", {"version": "x"}),
        (w.quan, "delete", f"/api/v1/initiatives/{ch}/", None),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/restore/", {"history_id": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/contributions/", {"amount": -5}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/results/", {"value": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/evaluations/", {"scores": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/awards/", {"level": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/transitions/", {"name": "x"}),
        (w.quan, "post", "/api/v1/initiatives/transitions/", {"action": "x", "ids": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/continue/", {"round": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/exemplary/", {"exemplary": "x"}),
        (w.quan, "post", f"/api/v1/initiatives/{ch}/replication/", {"source": "x"}),
        (w.quan, "post", "/api/v1/indicators/", {"code": "!"}),
        (w.quan, "post", "/api/v1/organisations/", {"name": ""}),
        (w.quan, "post", "/api/v1/users/", {"username": ""}),
        (w.lan, "post", f"/api/v1/initiatives/{ch}/evaluations/", {"scores": "x"}),
        (w.minh, "post", f"/api/v1/initiatives/{ch}/contributions/", {"amount": -5}),
    ]


def test_a_write_without_the_right_is_a_403_before_the_body_is_checked(world, api):
    w = world
    before = (Initiative.objects.count(), Contribution.objects.count())
    for user, method, url, body in _writes(w):
        client = api(user)
        response = getattr(client, method)(url, body, format="json")
        error = error_of(response, 403)
        assert error["code"] == "permission_denied", (user, url)
        assert error["fields"] == {}, (user, url)
    assert (Initiative.objects.count(), Contribution.objects.count()) == before


def test_an_invalid_body_from_someone_who_may_write_is_still_a_400(world, api):
    w = world
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/contributions/"
    error = error_of(api(w.lan).post(url, {"amount": -5}, format="json"), 400)
    assert "amount" in error["fields"]


def test_an_unseen_initiative_is_still_a_404_not_a_403(world, api):
    w = world
    url = f"/api/v1/initiatives/{w.thien_loc_roads.pk}/contributions/"
    error_of(api(w.lan).post(url, {"amount": 1}, format="json"), 404)


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", "registered"),
        ("exemplary", True),
        ("organisation", None),
        ("code", "DVK-X"),
        ("year", 2020),
        ("replicated_from", None),
        ("id", 5),
        ("nonsense", 1),
    ],
)
def test_patching_a_read_only_field_is_a_400_that_names_it(world, api, field, value):
    w = world
    initiative = w.cultural_houses
    initiative.refresh_from_db()
    version = initiative.version
    body = {"version": version, "title": "Changed", field: value}
    response = api(w.lan).patch(f"/api/v1/initiatives/{initiative.pk}/", body, format="json")
    error = error_of(response, 400)
    assert list(error["fields"]) == [field]
    initiative.refresh_from_db()
    assert initiative.version == version
    assert initiative.title != "Changed"


def test_the_status_refusal_says_how_the_status_changes(world, api):
    w = world
    body = {"version": w.cultural_houses.version, "status": "registered"}
    response = api(w.lan).patch(f"/api/v1/initiatives/{w.cultural_houses.pk}/", body, format="json")
    assert "transitions" in error_of(response, 400)["fields"]["status"][0]


def test_an_organisations_code_cannot_be_patched(world, api):
    w = world
    url = f"/api/v1/organisations/{w.wu_yen_giang.pk}/"
    code = w.wu_yen_giang.code
    error = error_of(api(w.root).patch(url, {"code": "NEW"}, format="json"), 400)
    assert list(error["fields"]) == ["code"]
    w.wu_yen_giang.refresh_from_db()
    assert w.wu_yen_giang.code == code


def test_an_unseen_organisation_is_never_named(world, api):
    w = world
    hidden = w.wu_thien_loc
    body = {
        "title": "Một mô hình",
        "field": "economy",
        "organisation": hidden.pk,
        "area": w.yen_giang.pk,
        "year": 2024,
    }
    response = api(w.lan).post("/api/v1/initiatives/", body, format="json")
    error = error_of(response, 400)
    text = response.content.decode()
    assert hidden.name not in text and hidden.code not in text
    missing = api(w.lan).post(
        "/api/v1/initiatives/", body | {"organisation": 10**15}, format="json"
    )
    assert error["fields"]["organisation"] == error_of(missing, 400)["fields"]["organisation"]


def test_an_unseen_initiative_is_never_named(world, api):
    w = world
    hidden = w.thien_loc_roads
    url = f"/api/v1/initiatives/{w.cultural_houses.pk}/replication/"
    response = api(w.minh).post(url, {"source": hidden.pk}, format="json")
    text = response.content.decode()
    assert response.status_code in (400, 403)
    assert hidden.code not in text and hidden.title not in text


def test_a_list_export_of_a_unit_out_of_scope_is_refused_before_it_is_queued(world, api):
    w = world
    body = {"kind": "initiatives", "format": "xlsx", "language": "vi", "area": w.ha_tinh.pk}
    error = error_of(api(w.quan).post("/api/v1/reports/", body, format="json"), 400)
    assert "area" in error["fields"]
    assert not Report.objects.exists()


def test_a_list_export_of_an_unseen_organisation_is_refused(world, api):
    w = world
    body = {
        "kind": "initiatives",
        "format": "xlsx",
        "language": "vi",
        "filters": {"organisation": w.wu_thien_loc.pk},
    }
    response = api(w.quan).post("/api/v1/reports/", body, format="json")
    error = error_of(response, 400)
    assert "filters.organisation" in error["fields"]
    assert w.wu_thien_loc.name not in response.content.decode()
    assert not Report.objects.exists()


def test_a_list_export_in_scope_is_accepted(world, api):
    w = world
    body = {"kind": "initiatives", "format": "xlsx", "language": "vi", "area": w.quang_yen.pk}
    assert api(w.quan).post("/api/v1/reports/", body, format="json").status_code == 202


def test_the_export_page_refuses_a_unit_out_of_scope(world, client):
    w = world
    client.force_login(w.quan)
    response = client.post("/reports/export/", {"area": w.ha_tinh.pk})
    assert response.status_code == 302
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["page_size=0", "page_size=501", "page_size=abc", "page_size=%D9%A3", "page=0", "page=x"],
)
def test_a_page_or_page_size_out_of_range_is_a_400_not_the_default(world, api, query):
    error = error_of(api(world.root).get(f"/api/v1/initiatives/?{query}"), 400)
    assert list(error["fields"]) == [query.split("=")[0]]


def test_the_schema_documents_errors_limits_and_closed_bodies(world, api):
    schema = api(world.root).get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/initiatives/"]["post"]
    for code in ("400", "401", "403", "413", "415"):
        assert operation["responses"][code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    assert (
        schema["components"]["schemas"]["InitiativeCreateRequest"]["additionalProperties"] is False
    )
    listing = schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
    page_size = next(p for p in listing if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 500
