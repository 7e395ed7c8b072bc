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
