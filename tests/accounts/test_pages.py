"""People pages: users in scope, search ignoring diacritics, create and edit, activation,
roles granted and taken away, and the history of a person."""

import pytest
from django.urls import reverse

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.selectors import user_list

PASSWORD = "Rất-khó-đoán-2025!"


@pytest.fixture
def client(client, settings):
    """Pages in English, to compare their words with the messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def usernames(response) -> set[str]:
    return {person.username for person in response.context["page"]}


class TestUserSearch:
    def test_search_ignores_diacritics(self, world):
        # Lan's family name is "Nguyễn": a plain "nguyen" must find her.
        assert list(user_list(actor=world.tuan, search="nguyen")) == [world.lan]
        assert list(user_list(actor=world.tuan, search="NGUYỄN lan")) == [world.lan]
        assert list(user_list(actor=world.tuan, search="lan nguyen")) == [world.lan]

    def test_d_with_stroke_folds_to_d(self, world):
        world.duc.last_name = "Đặng"
        world.duc.save()
        assert list(user_list(actor=world.tuan, search="dang")) == [world.duc]

    def test_a_partial_save_of_a_name_keeps_the_search_up_to_date(self, world):
        world.thu.last_name = "Đỗ"
        world.thu.save(update_fields=["last_name"])
        assert list(user_list(actor=world.tuan, search="do thu")) == [world.thu]

    def test_search_stays_inside_the_scope(self, world):
        world.nga.last_name = "Nguyễn"
        world.nga.save()
        assert list(user_list(actor=world.tuan, search="nguyen")) == [world.lan]
        assert set(user_list(actor=world.root, search="nguyen")) == {world.lan, world.nga}


class TestAccess:
    def test_sign_in_first(self, client, world):
        response = client.get(reverse("accounts:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("name", ["lan", "minh", "quan", "hoa"])
    def test_non_admins_get_403(self, client, world, name):
        client.force_login(getattr(world, name))
        assert client.get(reverse("accounts:index")).status_code == 403
        assert client.get(reverse("accounts:new")).status_code == 403
        assert client.get(reverse("accounts:detail", args=[world.lan.pk])).status_code == 403

    def test_an_admin_lists_the_people_of_the_province(self, client, world):
        client.force_login(world.tuan)
        response = client.get(reverse("accounts:index"))
        assert usernames(response) == {"lan", "thu", "minh", "duc", "quan", "tuan"}
        found = client.get(reverse("accounts:index"), {"q": "nguyen"})
        assert usernames(found) == {"lan"}

    def test_people_outside_the_scope_are_404(self, client, world):
        client.force_login(world.tuan)
        for name in ("nga", "hoa", "root"):
            url = reverse("accounts:detail", args=[getattr(world, name).pk])
            assert client.get(url).status_code == 404

    def test_the_super_administrator_sees_everyone(self, client, world):
        client.force_login(world.root)
        assert {"nga", "hoa", "root", "lan"} <= usernames(client.get(reverse("accounts:index")))


def new_person(world, **changes):
    data = {
        "username": "hanh",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "last_name": "Trần Thị",
        "first_name": "Hạnh",
        "email": "hanh@example.org",
        "organisation": world.wu_yen_giang.pk,
        "language": "vi",
    }
    return data | changes


class TestCreateAndEdit:
    def test_create(self, client, world):
        client.force_login(world.tuan)
        response = client.post(reverse("accounts:new"), new_person(world))
        hanh = User.objects.get(username="hanh")
        assert response["Location"] == reverse("accounts:detail", args=[hanh.pk])
        assert hanh.check_password(PASSWORD)
        assert hanh.organisation == world.wu_yen_giang

    def test_bad_input_shows_errors_and_writes_nothing(self, client, world):
        client.force_login(world.tuan)
        before = User.objects.count()
        response = client.post(
            reverse("accounts:new"),
            new_person(world, username="", password2="other", email="not-an-address"),
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"username", "password2", "email"}
        weak = client.post(
            reverse("accounts:new"), new_person(world, password1="123", password2="123")
        )
        assert "password1" in weak.context["form"].errors
        taken = client.post(reverse("accounts:new"), new_person(world, username="lan"))
        assert "username" in taken.context["form"].errors
        outside = client.post(
            reverse("accounts:new"), new_person(world, organisation=world.wu_thien_loc.pk)
        )
        assert "organisation" in outside.context["form"].errors
        assert "is-invalid" in outside.content.decode()
        assert User.objects.count() == before

    def test_edit(self, client, world):
        client.force_login(world.tuan)
        url = reverse("accounts:edit", args=[world.thu.pk])
        form = client.get(url).context["form"]
        assert "username" not in form.fields and "password1" not in form.fields
        response = client.post(
            url,
            {
                "last_name": "Phạm",
                "first_name": "Thu",
                "email": "thu@example.org",
                "organisation": world.pc_yen_giang.pk,
                "language": "en",
            },
        )
        assert response.status_code == 302
        world.thu.refresh_from_db()
        assert (world.thu.last_name, world.thu.language) == ("Phạm", "en")

    def test_edit_bad_input(self, client, world):
        client.force_login(world.tuan)
        url = reverse("accounts:edit", args=[world.thu.pk])
        response = client.post(url, {"email": "nope", "language": "klingon", "organisation": ""})
        assert set(response.context["form"].errors) == {"email", "language", "organisation"}
        world.thu.refresh_from_db()
        assert world.thu.email == "thu@danvan.test"


class TestActivation:
    def test_deactivate_and_activate(self, client, world):
        client.force_login(world.tuan)
        client.post(reverse("accounts:deactivate", args=[world.lan.pk]))
        world.lan.refresh_from_db()
        assert not world.lan.is_active
        page = client.get(reverse("accounts:detail", args=[world.lan.pk]))
        assert reverse("accounts:activate", args=[world.lan.pk]) in page.content.decode()
        client.post(reverse("accounts:activate", args=[world.lan.pk]))
        world.lan.refresh_from_db()
        assert world.lan.is_active

    def test_not_oneself(self, client, world):
        client.force_login(world.tuan)
        response = client.post(reverse("accounts:deactivate", args=[world.tuan.pk]), follow=True)
        assert "You cannot deactivate your own account." in response.content.decode()
        world.tuan.refresh_from_db()
        assert world.tuan.is_active

    def test_get_is_refused_and_out_of_scope_is_404(self, client, world):
        client.force_login(world.tuan)
        assert client.get(reverse("accounts:deactivate", args=[world.lan.pk])).status_code == 405
        assert client.post(reverse("accounts:deactivate", args=[world.nga.pk])).status_code == 404
        world.nga.refresh_from_db()
        assert world.nga.is_active


class TestRoles:
    def test_grant_then_take_away_with_history(self, client, world):
        client.force_login(world.tuan)
        url = reverse("accounts:role_add", args=[world.lan.pk])
        form = client.get(url).context["form"]
        assert "nationwide" not in form.fields
        assert Role.SUPERADMIN not in dict(form.fields["role"].choices)
        response = client.post(url, {"role": Role.VIEWER, "area": world.quang_yen.pk})
        assert response.status_code == 302
        assignment = RoleAssignment.objects.get(user=world.lan, role=Role.VIEWER)
        assert assignment.area == world.quang_yen
        client.post(reverse("accounts:role_revoke", args=[world.lan.pk, assignment.pk]))
        assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
        page = client.get(reverse("accounts:detail", args=[world.lan.pk])).content.decode()
        assert "Role granted" in page and "Role taken away" in page

    def test_bad_role_input(self, client, world):
        client.force_login(world.tuan)
        url = reverse("accounts:role_add", args=[world.lan.pk])
        before = RoleAssignment.objects.count()
        missing = client.post(url, {"role": Role.VIEWER})
        assert "area" in missing.context["form"].errors
        outside = client.post(url, {"role": Role.VIEWER, "area": world.can_loc.pk})
        assert "area" in outside.context["form"].errors
        nationwide = client.post(url, {"role": Role.VIEWER, "nationwide": "on"})
        assert "area" in nationwide.context["form"].errors  # the field is not offered
        unknown = client.post(url, {"role": "emperor", "area": world.quang_yen.pk})
        assert "role" in unknown.context["form"].errors
        twice = client.post(url, {"role": Role.OFFICER, "organisation": world.wu_yen_giang.pk})
        assert "already holds this role" in twice.content.decode()
        assert RoleAssignment.objects.count() == before

    def test_only_the_super_administrator_grants_nationwide(self, client, world):
        client.force_login(world.root)
        url = reverse("accounts:role_add", args=[world.quan.pk])
        assert "nationwide" in client.get(url).context["form"].fields
        assert client.post(url, {"role": Role.VIEWER, "nationwide": "on"}).status_code == 302
        assert RoleAssignment.objects.filter(user=world.quan, nationwide=True).exists()

    def test_revoke_out_of_scope_is_404(self, client, world):
        client.force_login(world.tuan)
        assignment = RoleAssignment.objects.get(user=world.nga)
        url = reverse("accounts:role_revoke", args=[world.nga.pk, assignment.pk])
        assert client.post(url).status_code == 404
        lans = RoleAssignment.objects.get(user=world.lan)
        other = reverse("accounts:role_revoke", args=[world.thu.pk, lans.pk])
        assert client.post(other).status_code == 404
        assert RoleAssignment.objects.filter(pk__in=[assignment.pk, lans.pk]).count() == 2
