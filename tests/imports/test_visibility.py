"""An import, its problems (which quote cell values) and its pages are shown only to people
whose scope covers it: its uploader, the administrators of the uploader's organisation, and
super administrators. Anyone else is answered "not found", as if it did not exist."""

import pytest
from rest_framework.test import APIClient

from danvan.accounts.models import Role
from danvan.imports.models import ImportBatch, ImportIssue, Severity
from danvan.imports.selectors import batch_list
from tests.people import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def thao(world):
    """Hà Tĩnh's administrator."""
    return person("thao", Role.ADMIN, area=world.ha_tinh, member_of=world.commission_ht)


@pytest.fixture
def lans_import(world):
    """Lan (Yên Giang, Quảng Ninh) uploaded people whose rows quote private values."""
    batch = ImportBatch.objects.create(kind="users", requested_by=world.lan, original_name="x.xlsx")
    ImportIssue.objects.create(
        batch=batch,
        row=2,
        column="email",
        severity=Severity.ERROR,
        message="“hoa.private@mail.test” is not a valid email",
    )
    return batch


def client_of(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["lan", "tuan", "root"])
def test_those_whose_scope_covers_it_see_it(world, lans_import, who):
    user = getattr(world, who)
    client = client_of(user)
    base = f"/api/v1/imports/{lans_import.pk}/"
    assert lans_import.pk in {row["id"] for row in client.get("/api/v1/imports/").json()["results"]}
    assert client.get(base).status_code == 200
    issues = client.get(f"{base}issues/").json()["results"]
    assert "hoa.private@mail.test" in issues[0]["message"]


@pytest.mark.parametrize("who", ["thao", "thu", "hoa", "nga"])
def test_others_are_told_it_does_not_exist(world, lans_import, thao, client, who):
    user = getattr(world, who, None) or thao
    api = client_of(user)
    base = f"/api/v1/imports/{lans_import.pk}/"
    assert api.get("/api/v1/imports/").json()["results"] == []
    for url in (base, f"{base}issues/"):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
        assert "hoa.private" not in response.content.decode()
    for url in (f"{base}apply/", f"{base}rollback/"):
        assert api.post(url).status_code == 404
    client.force_login(user)
    assert client.get(f"/imports/{lans_import.pk}/").status_code == 404
    page = client.get("/imports/").content.decode()
    assert "x.xlsx" not in page


def test_two_provinces_admins_see_their_own_provinces_imports(world, lans_import, thao):
    hoas = ImportBatch.objects.create(kind="users", requested_by=world.hoa, original_name="h.xlsx")
    assert set(batch_list(actor=world.tuan)) == {lans_import}
    assert set(batch_list(actor=thao)) == {hoas}
    assert set(batch_list(actor=world.root)) == {lans_import, hoas}
