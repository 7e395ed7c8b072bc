"""``/api/v1/initiatives/``: the scoped list and its filters, one initiative, registering one and
changing it with optimistic locking, restoring an earlier version."""

import datetime

import pytest

from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import Initiative
from tests.api.conftest import count_queries, error_of
from tests.factories import ContributionFactory, InitiativeFactory
from tests.factories_review import RegistrationRoundFactory

URL = "/api/v1/initiatives/"


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_anonymous_gets_401_in_the_error_shape(world, api):
    error = error_of(api().get(URL), 401)
    assert error["code"] == "not_authenticated"


def test_the_list_holds_only_what_the_user_may_read(world, api):
    w = world
    assert codes(api(w.minh).get(URL)) == {w.cultural_houses.code, w.digital.code}
    assert codes(api(w.duc).get(URL)) == {w.railings.code}
    assert codes(api(w.hoa).get(URL)) == {w.thien_loc_roads.code}
    assert len(codes(api(w.root).get(URL))) == 4


def test_filters(world, api):
    w = world
    client = api(w.root)
    w.digital.exemplary = True
    w.digital.round = RegistrationRoundFactory(year=2024)
    w.digital.save()
    w.railings.replicated_from = w.cultural_houses
    w.railings.save()

    def get(**params):
        return codes(client.get(URL, params))

    assert get(field=Field.ECONOMY) == {w.thien_loc_roads.code}
    assert get(status=Status.COMPLETED) == {w.digital.code}
    # Today's ward covers the legacy ward and its residential groups.
    assert get(area=w.quang_yen.pk) == {w.cultural_houses.code, w.digital.code}
    assert get(area=w.quang_ninh.pk) == {w.cultural_houses.code, w.digital.code, w.railings.code}
    assert get(organisation=w.wu_yen_giang.pk) == {w.cultural_houses.code}
    assert get(q="dan van kheo") == {w.digital.code}
    assert get(q="DUONG HOA") == {w.thien_loc_roads.code}
    assert get(exemplary="true") == {w.digital.code}
    assert len(get(exemplary="false")) == 3
    assert get(replicated="true") == {w.railings.code}
    assert w.railings.code not in get(replicated="false")
    assert get(round=w.digital.round_id) == {w.digital.code}
    assert get(year=2024) == get()
    assert get(year=2023) == set()


def test_ordering_and_pagination(world, api):
    client = api(world.root)
    titles = [row["title"] for row in client.get(URL, {"ordering": "title"}).json()["results"]]
    assert titles[0].startswith("Dân vận khéo")  # folded: "dan van" sorts before "duong hoa"
    reverse = [row["title"] for row in client.get(URL, {"ordering": "-title"}).json()["results"]]
    assert reverse == titles[::-1]
    page = client.get(URL, {"page_size": 3}).json()
    assert page["count"] == 4 and len(page["results"]) == 3 and page["next"]
    assert len(client.get(URL, {"page_size": 3, "page": 2}).json()["results"]) == 1


@pytest.mark.parametrize(
    "param, value",
    [
        ("field", "farming"),
        ("status", "approved"),
        ("year", "abc"),
        ("year", "1850"),
        ("ordering", "budget"),
        ("exemplary", "maybe"),
        ("area", "999999999"),
        ("area", str(10**30)),
        ("organisation", "x"),
        ("round", "-1"),
        ("q", "x" * 101),
    ],
)
def test_bad_filters_get_400_naming_the_parameter(world, api, param, value):
    error = error_of(api(world.root).get(URL, {param: value}), 400)
    assert param in error["fields"]


def test_list_queries_do_not_grow_with_the_page_size(world, api, django_assert_max_num_queries):
    w = world
    InitiativeFactory.create_batch(
        40, organisation=w.wu_yen_giang, area=w.zone_1, replicated_from=w.digital
    )
    client = api(w.minh)
    client.get(URL)  # the first request reads the user's roles once
    small, body = count_queries(client, f"{URL}?page_size=5")
    large, body_large = count_queries(client, f"{URL}?page_size=100")
    assert len(body["results"]) == 5 and len(body_large["results"]) == 42
    assert small == large
    filtered = f"{URL}?area={w.quang_yen.pk}&q=mo hinh&exemplary=false&ordering=title"
    small, _ = count_queries(client, f"{filtered}&page_size=5")
    with django_assert_max_num_queries(small):
        assert len(client.get(f"{filtered}&page_size=100").json()["results"]) == 40


def test_detail_has_co_organisations_tags_totals_and_version(world, api):
    w = world
    w.cultural_houses.co_organisations.add(w.pc_yen_giang)
    w.cultural_houses.tags.create(name="nhà văn hóa")
    ContributionFactory(initiative=w.cultural_houses, amount=180_000_000, contributors=16)
    ContributionFactory(initiative=w.cultural_houses, amount=200_000_000, contributors=0)
    body = api(w.minh).get(f"{URL}{w.cultural_houses.pk}/").json()
    assert body["code"] == w.cultural_houses.code
    assert [org["name"] for org in body["co_organisations"]] == ["UBND phường Yên Giang"]
    assert body["tags"] == ["nhà văn hóa"]
    assert body["totals"]["money"] == {"amount": 380_000_000, "contributors": 16, "entries": 2}
    assert body["totals"]["land"]["amount"] == 0
    assert body["version"] == 1
    assert body["area_name"] == "Khu 1"


def test_detail_reads_no_ledger_entries(world, api):
    """One initiative's totals come from one aggregate: the entries, results and evidence its
    page lists are not read, however long its ledger."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    ContributionFactory.create_batch(30, initiative=w.cultural_houses, amount=1_000_000)
    client = api(w.minh)
    client.get(f"{URL}{w.cultural_houses.pk}/")  # the first request reads the user's roles
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"{URL}{w.cultural_houses.pk}/").json()
    assert body["totals"]["money"]["entries"] == 30
    assert body["totals"]["money"]["amount"] == 30_000_000
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'SELECT "initiatives_contribution"."id"' not in read
    assert '"initiatives_result"' not in read
    assert '"initiatives_evidence"' not in read


@pytest.mark.parametrize("suffix", ["railings", "999999", "abc", str(10**30)])
def test_out_of_scope_or_unknown_is_404(world, api, suffix):
    pk = getattr(world, suffix).pk if suffix == "railings" else suffix
    error = error_of(api(world.minh).get(f"{URL}{pk}/"), 404)
    assert error["code"] == "not_found"


def new_initiative(world, **changes) -> dict:
    payload = {
        "title": "Tổ liên gia phòng cháy chữa cháy",
        "field": Field.DEFENCE_SECURITY,
        "organisation": world.wu_yen_giang.pk,
        "area": world.zone_1.pk,
        "year": 2025,
        "summary": "Điểm chữa cháy công cộng",
        "co_organisations": [world.pc_yen_giang.pk],
        "tags": ["PCCC", "liên gia"],
        "start_date": "2025-02-01",
        "people_in_charge": "Nguyễn Thị Lan",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not ...}


def test_an_officer_registers_an_initiative(world, api):
    response = api(world.lan).post(URL, new_initiative(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("DVK-2025-")
    assert body["status"] == Status.DRAFT
    assert body["tags"] == ["PCCC", "liên gia"]
    assert [org["id"] for org in body["co_organisations"]] == [world.pc_yen_giang.pk]
    assert body["totals"]["money"]["amount"] == 0
    assert Initiative.objects.get(pk=body["id"]).area == world.zone_1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ...}, "title"),
        ({"title": ""}, "title"),
        ({"field": "farming"}, "field"),
        ({"field": ...}, "field"),
        ({"year": "abc"}, "year"),
        ({"year": 1990}, "year"),
        ({"year": 2025.5}, "year"),
        ({"organisation": 999999999}, "organisation"),
        ({"organisation": "Hội LHPN"}, "organisation"),
        ({"area": 10**30}, "area"),
        ({"area": None}, "area"),
        ({"co_organisations": [999999999]}, "co_organisations"),
        ({"co_organisations": "many"}, "co_organisations"),
        ({"tags": "PCCC"}, "tags"),
        ({"tags": ["x" * 81]}, "tags"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"continued_from": 999999999}, "continued_from"),
        ({"summary": ["a", "list"]}, "summary"),
    ],
)
def test_bad_registrations_get_400_naming_the_field(world, api, changes, field):
    before = Initiative.objects.count()
    response = api(world.lan).post(URL, new_initiative(world, **changes), format="json")
    error = error_of(response, 400)
    assert any(name == field or name.startswith(f"{field}.") for name in error["fields"]), error
    assert Initiative.objects.count() == before


def test_service_rules_come_back_as_400(world, api):
    payload = new_initiative(world, start_date="2025-06-01", end_date="2025-01-01")
    error = error_of(api(world.lan).post(URL, payload, format="json"), 400)
    assert error["code"] == "invalid" and error["message"]
    # A continuation of an initiative outside one's scope is refused as unknown.
    payload = new_initiative(world, continued_from=world.railings.pk)
    error = error_of(api(world.lan).post(URL, payload, format="json"), 400)
    assert "continued_from" in error["fields"]


def test_malformed_json_and_wrong_content_type(world, api):
    client = api(world.lan)
    error = error_of(client.post(URL, '{"title": ', content_type="application/json"), 400)
    assert error["code"] == "parse_error"
    error = error_of(client.post(URL, "title=x", content_type="text/plain"), 415)
    assert error["code"] == "unsupported_media_type"
    error = error_of(client.post(URL, [1, 2], format="json"), 400)
    assert Initiative.objects.count() == 4


def test_registering_for_another_organisation_is_refused(world, api):
    # An organisation the officer cannot see answers as a missing one, never named.
    payload = new_initiative(world, organisation=world.yu_ha_an.pk, area=world.ha_an.pk)
    response = api(world.lan).post(URL, payload, format="json")
    error = error_of(response, 400)
    assert list(error["fields"]) == ["organisation"]
    assert world.yu_ha_an.name not in response.content.decode()
    assert not Initiative.objects.filter(title=payload["title"]).exists()
    # Reviewers and viewers do not register initiatives.
    error_of(api(world.minh).post(URL, new_initiative(world), format="json"), 403)


def test_patch_with_the_version_read(world, api):
    client = api(world.lan)
    url = f"{URL}{world.cultural_houses.pk}/"
    version = client.get(url).json()["version"]
    response = client.patch(
        url,
        {"version": version, "title": "Nhà văn hóa khu 1–4", "tags": ["nhà văn hóa"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Nhà văn hóa khu 1–4"
    assert body["version"] == version + 1
    assert body["tags"] == ["nhà văn hóa"]


def test_a_stale_version_is_409_and_changes_nothing(world, api):
    url = f"{URL}{world.cultural_houses.pk}/"
    api(world.lan).patch(url, {"version": 1, "summary": "Thu's change"}, format="json")
    stale = {"version": 1, "title": "Lan's change"}
    error = error_of(api(world.lan).patch(url, stale, format="json"), 409)
    assert error["code"] == "conflict"
    world.cultural_houses.refresh_from_db()
    assert world.cultural_houses.title != "Lan's change"
    assert world.cultural_houses.version == 2
    vietnamese = api(world.lan, "vi").patch(url, stale, format="json").json()["error"]["message"]
    assert vietnamese != error["message"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "Không có phiên bản"}, "version"),
        ({"version": "one", "title": "x"}, "version"),
        ({"version": 1, "field": "farming"}, "field"),
        ({"version": 1, "title": ""}, "title"),
        ({"version": 1, "area": 999999999}, "area"),
    ],
)
def test_bad_patches_get_400(world, api, payload, field):
    url = f"{URL}{world.cultural_houses.pk}/"
    error = error_of(api(world.lan).patch(url, payload, format="json"), 400)
    assert field in error["fields"]
    world.cultural_houses.refresh_from_db()
    assert world.cultural_houses.version == 1


def test_patch_outside_scope_or_role(world, api):
    url = f"{URL}{world.cultural_houses.pk}/"
    payload = {"version": 1, "title": "Đổi tên"}
    error_of(api(world.duc).patch(url, payload, format="json"), 404)
    error_of(api(world.minh).patch(url, payload, format="json"), 403)
    completed = f"{URL}{world.digital.pk}/"
    error = error_of(api(world.thu).patch(completed, payload, format="json"), 400)
    assert "status" in error["fields"]


def test_restore_an_earlier_version(world, api):
    initiative = world.cultural_houses
    url = f"{URL}{initiative.pk}/"
    original = initiative.title
    api(world.lan).patch(url, {"version": 1, "title": "Tên sai"}, format="json")
    first = initiative.history.earliest("history_date").history_id
    error_of(api(world.lan).post(f"{url}restore/", {"history_id": first}, format="json"), 403)
    response = api(world.tuan).post(f"{url}restore/", {"history_id": first}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == original
    for bad in [{"history_id": 999999999}, {"history_id": "x"}, {}]:
        error = error_of(api(world.tuan).post(f"{url}restore/", bad, format="json"), 400)
        assert "history_id" in error["fields"]


def test_dates_are_iso_and_money_whole(world, api):
    body = api(world.root).get(f"{URL}{world.digital.pk}/").json()
    assert body["start_date"] == datetime.date(2024, 1, 15).isoformat()
    assert isinstance(body["totals"]["money"]["amount"], int)


class TestDeletingADraft:
    """Lan may delete a draft she never submitted; anything the commission saw stays."""

    def test_a_fresh_draft_is_deleted(self, world, api):
        created = api(world.lan).post(URL, new_initiative(world), format="json").json()
        response = api(world.lan).delete(f"{URL}{created['id']}/")
        assert response.status_code == 204
        assert not Initiative.objects.filter(pk=created["id"]).exists()
        assert Initiative.history.filter(id=created["id"], history_type="-").exists()

    @pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REGISTERED, Status.COMPLETED])
    def test_anything_past_draft_is_kept(self, world, api, status):
        house = world.cultural_houses
        Initiative.objects.filter(pk=house.pk).update(status=status)
        error = error_of(api(world.lan).delete(f"{URL}{house.pk}/"), 400)
        assert "status" in error["fields"]
        assert Initiative.objects.filter(pk=house.pk).exists()

    def test_a_draft_with_a_ledger_is_kept(self, world, api):
        house = world.cultural_houses
        ContributionFactory(initiative=house)
        error = error_of(api(world.lan).delete(f"{URL}{house.pk}/"), 400)
        assert "status" in error["fields"]
        assert Initiative.objects.filter(pk=house.pk).exists()

    def test_a_reviewer_cannot_delete_and_an_outsider_does_not_see_it(self, world, api):
        house = world.cultural_houses
        error_of(api(world.minh).delete(f"{URL}{house.pk}/"), 403)
        error_of(api(world.duc).delete(f"{URL}{house.pk}/"), 404)
        assert Initiative.objects.filter(pk=house.pk).exists()
