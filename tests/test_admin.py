"""The Django admin is a super administrator's tool: it writes past the services' checks."""

import pytest

from danvan.accounts.models import Role, RoleAssignment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/areas/area/?q=yen+giang",
    "/admin/areas/areasuccession/",
    "/admin/orgs/organisation/",
    "/admin/initiatives/initiative/?q=dan+van",
    "/admin/initiatives/contribution/",
    "/admin/initiatives/indicator/",
    "/admin/initiatives/result/",
    "/admin/initiatives/evidence/",
    "/admin/accounts/user/",
    "/admin/review/registrationround/",
    "/admin/review/criteriaset/",
    "/admin/review/evaluation/",
    "/admin/review/award/",
    "/admin/review/awardtitle/",
    "/admin/review/awardform/",
    "/admin/initiatives/statuschange/",
    "/admin/notifications/notification/",
    "/admin/notifications/emailpreference/",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_superuser_reaches_every_admin_list(client, page):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get(page).status_code == 200


def test_staff_without_superuser_is_kept_out(client):
    tuan = UserFactory(username="tuan", is_staff=True)
    RoleAssignment.objects.create(user=tuan, role=Role.ADMIN, nationwide=True)
    client.force_login(tuan)
    response = client.get("/admin/initiatives/initiative/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_initiative_page_shows_its_ledger_and_history(client):
    from tests.factories import ContributionFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    entry = ContributionFactory(description="16 máy điều hòa cho nhà văn hóa khu 1–4")
    initiative = entry.initiative
    page = client.get(f"/admin/initiatives/initiative/{initiative.pk}/change/")
    assert page.status_code == 200
    assert "16 máy điều hòa cho nhà văn hóa khu 1–4" in page.content.decode()
    history = client.get(f"/admin/initiatives/initiative/{initiative.pk}/history/")
    assert history.status_code == 200


# The admin is a lookup tool: every domain write goes through a service (scope, rollups,
# history attribution, the areas' materialised path), so the admin may not write at all.


def _root(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    return root


def _danvan_admins():
    from django.contrib import admin

    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("danvan.")
    ]


def test_every_registered_changelist_loads(client):
    from django.contrib import admin

    _root(client)
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


def test_every_domain_model_is_read_only_in_the_admin(client, rf):
    root = _root(client)
    request = rf.get("/admin/")
    request.user = root
    admins = _danvan_admins()
    assert len(admins) >= 20
    for model, model_admin in admins:
        label = model._meta.label
        assert model_admin.has_view_permission(request), label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert model_admin.get_actions(request) == {}, label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (label, inline)
            assert not inline.has_change_permission(request, None), (label, inline)
            assert not inline.has_delete_permission(request, None), (label, inline)
        # The add page and the bulk delete are refused outright.
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(f"{base}add/").status_code == 403, label


def test_an_initiative_status_cannot_be_changed_in_the_admin(client):
    from danvan.initiatives.catalogues import Status
    from tests.factories import InitiativeFactory

    _root(client)
    initiative = InitiativeFactory(status=Status.DRAFT)
    url = f"/admin/initiatives/initiative/{initiative.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert '<input type="submit"' not in page.content.decode()
    response = client.post(url, {"status": Status.COMPLETED, "exemplary": "on"})
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.status == Status.DRAFT
    assert initiative.exemplary is False
    assert initiative.history.count() == 1


def test_an_area_parent_cannot_be_changed_in_the_admin(client):
    from tests.factories import AreaFactory

    _root(client)
    old_parent, new_parent = AreaFactory(), AreaFactory()
    child = AreaFactory(parent=old_parent)
    path = child.path
    url = f"/admin/areas/area/{child.pk}/change/"
    response = client.post(url, {"parent": new_parent.pk, "name": child.name, "code": child.code})
    assert response.status_code == 403
    child.refresh_from_db()
    assert child.parent_id == old_parent.pk
    assert child.path == path


def test_a_result_value_cannot_be_changed_or_deleted_in_the_admin(client):
    from danvan.initiatives.models import Result
    from tests.factories import ResultFactory

    _root(client)
    result = ResultFactory(value="120")
    url = f"/admin/initiatives/result/{result.pk}/"
    response = client.post(
        f"{url}change/",
        {
            "initiative": result.initiative_id,
            "indicator": result.indicator_id,
            "value": "999",
            "period_end": "2024-12-31",
        },
    )
    assert response.status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/initiatives/result/",
        {"action": "delete_selected", "_selected_action": [result.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302, 403}
    result.refresh_from_db()
    assert str(result.value).rstrip("0").rstrip(".") == "120"
    assert Result.objects.filter(pk=result.pk).exists()


def test_an_old_version_cannot_be_reverted_in_the_admin(client):
    from danvan.initiatives.catalogues import Status
    from tests.factories import InitiativeFactory

    _root(client)
    initiative = InitiativeFactory(status=Status.DRAFT, title="Đường hoa")
    first = initiative.history.earliest()
    initiative.title = "Đường hoa, nhà số"
    initiative.status = Status.SUBMITTED
    initiative.save()
    url = f"/admin/initiatives/initiative/{initiative.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"_change_history": "1", "title": "Đường hoa"})
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.title == "Đường hoa, nhà số"
    assert initiative.status == Status.SUBMITTED


def test_a_user_cannot_be_made_superuser_in_the_admin(client):
    _root(client)
    lan = UserFactory(username="lan")
    url = f"/admin/accounts/user/{lan.pk}/change/"
    response = client.post(url, {"username": "lan", "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 403
    assert client.post(f"/admin/accounts/user/{lan.pk}/password/", {}).status_code == 403
    lan.refresh_from_db()
    assert not lan.is_superuser
