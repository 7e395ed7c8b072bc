"""Who may change another person's account: ``user.manage`` over every scope the person holds
(each role's area and organisation, and their organisation); a person with a nationwide role
only by a super administrator. The services, the pages and the API all ask the same rule, and a
refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.accounts.authority import user_is_manageable, user_require_manageable
from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.services import role_assign, user_activate, user_deactivate, user_update
from tests.api.conftest import error_of
from tests.factories_review import RoleAssignmentFactory
from tests.people import person


@pytest.fixture
def hanh(world):
    """A member of a Quảng Ninh commission who also reviews in Hà Tĩnh."""
    user = person(
        "hanh",
        Role.VIEWER,
        area=world.quang_ninh,
        member_of=world.commission_qn,
        email="hanh@quangninh.test",
    )
    RoleAssignmentFactory(user=user, role=Role.REVIEWER, area=world.ha_tinh)
    return user


@pytest.fixture
def central(world):
    """A Quảng Ninh member with a nationwide viewer's role (a central commission's reader)."""
    user = person("central", member_of=world.commission_qn, email="central@danvan.test")
    RoleAssignment.objects.create(user=user, role=Role.VIEWER, nationwide=True)
    return user


def snapshot(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.email,
        user.first_name,
        user.organisation_id,
        user.is_active,
        user.email_changed_at,
        User.history.filter(id=user.pk).count(),
    )


class TestTheRule:
    def test_an_admin_manages_a_person_whose_every_scope_is_theirs(self, world):
        assert user_is_manageable(world.tuan, world.lan)
        assert user_is_manageable(world.tuan, world.thu)
        assert user_is_manageable(world.tuan, world.tuan)

    def test_a_role_in_another_province_puts_the_person_out_of_reach(self, world, hanh):
        assert not user_is_manageable(world.tuan, hanh)
        assert user_is_manageable(world.root, hanh)

    def test_a_nationwide_role_needs_a_super_administrator(self, world, central):
        with pytest.raises(PermissionDenied, match="super administrator"):
            user_require_manageable(world.tuan, central)
        user_require_manageable(world.root, central)

    def test_a_super_administrator_is_out_of_an_admins_reach(self, world):
        world.root.organisation = world.commission_qn
        world.root.save()
        assert not user_is_manageable(world.tuan, world.root)

    def test_an_organisation_bound_role_elsewhere_counts(self, world):
        user = person("mai", Role.VIEWER, area=world.quang_yen, member_of=world.wu_yen_giang)
        RoleAssignmentFactory(user=user, role=Role.OFFICER, organisation=world.wu_thien_loc)
        assert not user_is_manageable(world.tuan, user)


class TestEveryChangeIsRefused:
    @pytest.mark.parametrize(
        "change",
        [
            {"email": "attacker@evil.test"},
            {"first_name": "Kẻ gian"},
            {"organisation": "pc_yen_giang"},
            {"language": "en"},
        ],
    )
    def test_details(self, world, hanh, change):
        if change.get("organisation"):
            change = {"organisation": getattr(world, change["organisation"])}
        before = snapshot(hanh)
        with pytest.raises(PermissionDenied):
            user_update(actor=world.tuan, user=hanh, **change)
        assert snapshot(hanh) == before

    def test_deactivation_and_reactivation(self, world, hanh, central):
        for target in (hanh, central):
            before = snapshot(target)
            with pytest.raises(PermissionDenied):
                user_deactivate(actor=world.tuan, user=target)
            assert snapshot(target) == before
        User.objects.filter(pk=hanh.pk).update(is_active=False)
        hanh.refresh_from_db()
        with pytest.raises(PermissionDenied):
            user_activate(actor=world.tuan, user=hanh)
        hanh.refresh_from_db()
        assert not hanh.is_active

    def test_a_role_for_them(self, world, hanh):
        with pytest.raises(PermissionDenied):
            role_assign(actor=world.tuan, user=hanh, role=Role.VIEWER, area=world.quang_yen)
        assert RoleAssignment.objects.filter(user=hanh).count() == 2

    def test_a_super_administrator_may(self, world, hanh, central):
        user_update(actor=world.root, user=hanh, email="hanh@hatinh.test")
        user_update(actor=world.root, user=central, first_name="Trung")
        hanh.refresh_from_db()
        assert hanh.email == "hanh@hatinh.test"

    def test_the_edit_page_says_why_and_changes_nothing(self, client, world, hanh):
        client.force_login(world.tuan)
        before = snapshot(hanh)
        response = client.post(
            f"/people/{hanh.pk}/edit/",
            {
                "email": "attacker@evil.test",
                "organisation": world.commission_qn.pk,
                "language": "vi",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 403
        assert "outside the places you administer" in response.content.decode()
        assert snapshot(hanh) == before

    def test_the_deactivate_button_says_why(self, client, world, hanh):
        client.force_login(world.tuan)
        response = client.post(
            f"/people/{hanh.pk}/deactivate/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert "outside the places you administer" in response.content.decode()
        hanh.refresh_from_db()
        assert hanh.is_active


class TestRolesOutsideScope:
    """Tuấn administers Quảng Ninh; Thiên Lộc's Women's Union is in Hà Tĩnh."""

    def state(self):
        return (
            sorted(RoleAssignment.objects.values_list("user", "role", "area", "organisation")),
            RoleAssignment.history.count(),
        )

    @pytest.mark.parametrize("with_area", [False, True])
    def test_the_service(self, world, with_area):
        before = self.state()
        area = world.quang_ninh if with_area else None
        with pytest.raises(PermissionDenied):
            role_assign(
                actor=world.tuan,
                user=world.tuan,
                role=Role.OFFICER,
                area=area,
                organisation=world.wu_thien_loc,
            )
        assert self.state() == before

    @pytest.mark.parametrize("with_area", [False, True])
    def test_the_api(self, world, api, with_area):
        before = self.state()
        body = {"role": "officer", "organisation": world.wu_thien_loc.pk}
        if with_area:
            body["area"] = world.quang_ninh.pk
        response = api(world.tuan).post(
            f"/api/v1/users/{world.tuan.pk}/roles/", body, format="json"
        )
        # Refused by the service (403), or already by the body's check when the organisation
        # is not one Tuấn can see (400 on the field): either way in the one error shape.
        if response.status_code == 400:
            assert "organisation" in error_of(response, 400)["fields"]
        else:
            error = error_of(response, 403)
            assert error["code"] == "permission_denied"
            assert "outside the places you administer" in error["message"]
        assert self.state() == before

    def test_the_page(self, client, world):
        client.force_login(world.tuan)
        before = self.state()
        response = client.post(
            f"/people/{world.tuan.pk}/roles/new/",
            {"role": "officer", "area": world.quang_ninh.pk, "organisation": world.wu_thien_loc.pk},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        # The form offers only organisations in reach; the choice is refused on its field.
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert self.state() == before

    def test_an_organisation_must_lie_in_the_area_named_with_it(self, world, api):
        before = self.state()
        with pytest.raises(ValidationError) as raised:
            role_assign(
                actor=world.tuan,
                user=world.lan,
                role=Role.OFFICER,
                area=world.ha_an,
                organisation=world.wu_yen_giang,
            )
        assert "organisation" in raised.value.message_dict
        response = api(world.tuan).post(
            f"/api/v1/users/{world.lan.pk}/roles/",
            {"role": "officer", "area": world.ha_an.pk, "organisation": world.wu_yen_giang.pk},
            format="json",
        )
        assert "organisation" in error_of(response, 400)["fields"]
        assert self.state() == before

    def test_inside_scope_still_works(self, world):
        assignment = role_assign(
            actor=world.tuan,
            user=world.lan,
            role=Role.VIEWER,
            area=world.quang_yen,  # current ward; Yên Giang's union sits in its predecessor
            organisation=world.wu_yen_giang,
        )
        assert assignment.pk
