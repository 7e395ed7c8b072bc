"""Registering organisations through the API: scoped lists, writes through the services."""

from danvan.orgs.models import Organisation, OrgKind
from tests.api.conftest import count_queries, error_of
from tests.factories import OrganisationFactory


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_each_person_sees_the_organisations_of_their_scope(world, api):
    assert names(api(world.lan).get("/api/v1/organisations/")) == {"Hội LHPN phường Yên Giang"}
    province = names(api(world.tuan).get("/api/v1/organisations/"))
    assert {"Hội LHPN phường Yên Giang", "Ban Dân vận Tỉnh ủy Quảng Ninh"} <= province
    assert not province & {"Hội LHPN xã Thiên Lộc", "Ban Dân vận Tỉnh ủy Hà Tĩnh"}
    assert names(api(world.hoa).get("/api/v1/organisations/")) == {
        "Hội LHPN xã Thiên Lộc",
        "Ban Dân vận Tỉnh ủy Hà Tĩnh",
    }


def test_someone_elses_organisation_is_404(world, api):
    response = api(world.lan).get(f"/api/v1/organisations/{world.wu_thien_loc.pk}/")
    assert error_of(response, 404)["code"] == "not_found"


def test_search_ignores_diacritics(world, api):
    """Regression (schemathesis): ``q`` reached the selector under the wrong name: a 500."""
    found = names(api(world.tuan).get("/api/v1/organisations/", {"q": "lhpn phuong yen giang"}))
    assert found == {"Hội LHPN phường Yên Giang"}
    found = names(api(world.tuan).get("/api/v1/organisations/", {"q": "DOAN THANH NIEN"}))
    assert found == {"Đoàn Thanh niên phường Hà An"}


def test_area_filter_includes_the_historical_units_taken_over(world, api):
    found = names(api(world.tuan).get("/api/v1/organisations/", {"area": world.quang_yen.pk}))
    assert {"Hội LHPN phường Yên Giang", "UBND phường Yên Giang"} <= found
    assert "Đoàn Thanh niên phường Hà An" not in found


def test_kind_filter(world, api):
    found = names(
        api(world.tuan).get("/api/v1/organisations/", {"kind": OrgKind.WOMENS_UNION.value})
    )
    assert found == {"Hội LHPN phường Yên Giang"}


def test_administrator_registers_an_organisation_in_scope(world, api):
    response = api(world.tuan).post(
        "/api/v1/organisations/",
        {
            "name": "Hội Nông dân phường Quảng Yên",
            "kind": OrgKind.FARMERS_ASSOCIATION,
            "seat_area": world.quang_yen.pk,
        },
    )
    assert response.status_code == 201, response.content
    assert Organisation.objects.get(pk=response.json()["id"]).seat_area == world.quang_yen


def test_administrator_cannot_register_outside_scope(world, api):
    payload = {
        "name": "Hội Nông dân xã Thiên Lộc",
        "kind": OrgKind.FARMERS_ASSOCIATION,
        "seat_area": world.thien_loc.pk,
    }
    error = error_of(api(world.tuan).post("/api/v1/organisations/", payload), 403)
    assert error["code"] == "permission_denied"
    assert not Organisation.objects.filter(name=payload["name"]).exists()


def test_officers_cannot_register_organisations(world, api):
    payload = {"name": "X", "kind": OrgKind.OTHER, "seat_area": world.yen_giang.pk}
    error_of(api(world.lan).post("/api/v1/organisations/", payload), 403)


def test_refusals_speak_the_request_language(world, api):
    payload = {"name": "X", "kind": OrgKind.OTHER, "seat_area": world.thien_loc.pk}
    english = error_of(api(world.tuan, "en").post("/api/v1/organisations/", payload), 403)
    vietnamese = error_of(api(world.tuan, "vi").post("/api/v1/organisations/", payload), 403)
    assert english["message"] == "You do not have permission to do this here."
    assert vietnamese["message"] == "Bạn không có quyền thực hiện thao tác này tại đây."


def test_invalid_input_lists_the_fields(world, api):
    response = api(world.tuan).post("/api/v1/organisations/", {"kind": "nonsense"})
    error = error_of(response, 400)
    assert error["code"] == "invalid"
    assert {"name", "kind", "seat_area"} <= set(error["fields"])


def test_list_runs_the_same_queries_for_5_or_100_rows(world, api, django_assert_max_num_queries):
    OrganisationFactory.create_batch(20, kind=OrgKind.OTHER, seat_area=world.yen_giang)
    client = api(world.tuan)
    client.get("/api/v1/organisations/")
    small, body = count_queries(client, "/api/v1/organisations/?page_size=5")
    large, body_large = count_queries(client, "/api/v1/organisations/?page_size=100")
    assert len(body["results"]) == 5
    assert len(body_large["results"]) == body["count"] > 20
    assert small == large
    with django_assert_max_num_queries(small):
        client.get("/api/v1/organisations/?page_size=500&q=yen")
