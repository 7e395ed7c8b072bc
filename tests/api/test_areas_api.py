"""The administrative tree through the API: browse, search, as of a date, succession."""

import datetime

from danvan.areas.models import CodeScheme
from danvan.core.text import fold
from tests.api.conftest import count_queries, error_of

BEFORE_REFORM = datetime.date(2024, 1, 1)
AFTER_REFORM = datetime.date(2025, 8, 1)


def names(body) -> set[str]:
    rows = body["results"] if isinstance(body, dict) else body
    return {row["name"] for row in rows}


def test_search_ignores_diacritics_and_case(world, api):
    body = api(world.lan).get("/api/v1/areas/", {"q": "yen giang"}).json()
    assert "Phường Yên Giang" in names(body)
    assert all("yen giang" in fold(row["name"]) for row in body["results"])
    upper = api(world.lan).get("/api/v1/areas/", {"q": "YÊN GIANG"}).json()
    assert names(upper) == names(body)


def test_valid_on_picks_the_units_of_that_day(world, api):
    client = api(world.lan)
    before = client.get("/api/v1/areas/", {"q": "yen giang", "valid_on": BEFORE_REFORM}).json()
    assert world.yen_giang.pk in {row["id"] for row in before["results"]}
    after = client.get("/api/v1/areas/", {"q": "yen giang", "valid_on": AFTER_REFORM}).json()
    assert world.yen_giang.pk not in {row["id"] for row in after["results"]}
    today = client.get("/api/v1/areas/", {"q": "quang yen", "valid_on": AFTER_REFORM}).json()
    assert {row["scheme"] for row in today["results"]} == {CodeScheme.CURRENT}
    assert world.quang_yen.pk in {row["id"] for row in today["results"]}


def test_filters_by_scheme_and_parent(world, api):
    client = api(world.lan)
    body = client.get(
        "/api/v1/areas/", {"parent": world.quang_ninh.pk, "scheme": CodeScheme.CURRENT}
    ).json()
    assert "Phường Quảng Yên" in names(body)
    assert {row["parent"] for row in body["results"]} == {world.quang_ninh.pk}


def test_a_province_has_no_parent(world, api):
    """Regression (schemathesis): ``parent`` is null for provinces and the schema says so."""
    body = api(world.lan).get(f"/api/v1/areas/{world.quang_ninh.pk}/").json()
    assert body["parent"] is None
    schema = api(world.lan).get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["Area"]["properties"]["parent"]["nullable"] is True


def test_children(world, api):
    response = api(world.lan).get(f"/api/v1/areas/{world.quang_ninh.pk}/children/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == world.quang_ninh.children.count()
    assert "Phường Quảng Yên" in names(body) or body["next"]


def test_yen_giang_carries_on_as_quang_yen(world, api):
    client = api(world.lan)
    successors = client.get(f"/api/v1/areas/{world.yen_giang.pk}/successors/").json()
    assert successors[0]["area"]["id"] == world.quang_yen.pk
    assert successors[0]["is_default"] is True
    predecessors = client.get(f"/api/v1/areas/{world.quang_yen.pk}/predecessors/").json()
    assert world.yen_giang.pk in {row["id"] for row in predecessors}


def test_succession_lists_are_plain_arrays_in_the_schema(world, api):
    """Regression (schemathesis): the answers are not paginated, and the schema agreed not."""
    paths = api(world.lan).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    for action in ("successors", "predecessors"):
        operation = paths[f"/api/v1/areas/{{id}}/{action}/"]["get"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema["type"] == "array", action
        assert "page_size" not in {p["name"] for p in operation.get("parameters", [])}


def test_a_current_unit_is_its_own_successor(world, api):
    body = api(world.lan).get(f"/api/v1/areas/{world.quang_yen.pk}/successors/").json()
    assert [row["area"]["id"] for row in body] == [world.quang_yen.pk]
    assert body[0]["share"] == "1.000000"


def test_bad_filters_answer_400_in_the_error_shape(world, api):
    response = api(world.lan).get("/api/v1/areas/", {"valid_on": "yesterday", "level": 9})
    error = error_of(response, 400)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"valid_on", "level"}


def test_unknown_area_is_404(world, api):
    assert error_of(api(world.lan).get("/api/v1/areas/999999999/"), 404)["code"] == "not_found"


def test_anonymous_cannot_browse(world, api):
    error_of(api().get("/api/v1/areas/"), 401)


def test_children_run_the_same_queries_for_5_or_100_rows(world, api, django_assert_max_num_queries):
    client = api(world.quan)
    url = f"/api/v1/areas/{world.quang_ninh.pk}/children/"
    client.get(url)
    small, body = count_queries(client, f"{url}?page_size=5")
    large, body_large = count_queries(client, f"{url}?page_size=100")
    assert len(body["results"]) == 5
    assert len(body_large["results"]) > 5
    assert small == large
    with django_assert_max_num_queries(small):
        client.get("/api/v1/areas/?q=yen&page_size=100")
