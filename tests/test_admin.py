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
    "/admin/review/statuschange/",
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
