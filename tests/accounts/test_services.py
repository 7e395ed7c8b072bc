"""Creating users and handing out roles: administrators act only inside their own scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.scope import can
from danvan.accounts.selectors import role_assignments_of, user_list
from danvan.accounts.services import role_assign, role_revoke, user_create, user_deactivate
from tests.factories import OrganisationFactory

GOOD_PASSWORD = "nha-van-hoa-khu-1-2024"


def usernames(queryset):
    return set(queryset.values_list("username", flat=True))


class TestUserCreate:
    def test_admin_creates_a_user_of_an_organisation_in_scope(self, world):
        user = user_create(
            actor=world.tuan,
            username=" hanh ",
            password=GOOD_PASSWORD,
            organisation=world.wu_yen_giang,
            email=" hanh@danvan.test ",
            first_name="Hạnh",
        )
        user.refresh_from_db()
        assert user.username == "hanh"
        assert user.email == "hanh@danvan.test"
        assert user.organisation == world.wu_yen_giang
        assert user.check_password(GOOD_PASSWORD)

    def test_password_is_hashed_with_argon2(self, world):
        user = user_create(
            actor=world.tuan,
            username="hanh",
            password=GOOD_PASSWORD,
            organisation=world.wu_yen_giang,
        )
        assert user.password.startswith("argon2")
        assert GOOD_PASSWORD not in user.password

    def test_admin_cannot_create_a_user_outside_scope(self, world):
        with pytest.raises(PermissionDenied):
            user_create(
                actor=world.tuan,
                username="hanh",
                password=GOOD_PASSWORD,
                organisation=world.wu_thien_loc,
            )
        assert not User.objects.filter(username="hanh").exists()

    @pytest.mark.parametrize("who", ["lan", "minh", "quan", "hoa"])
    def test_non_admins_cannot_create_users(self, world, who):
        with pytest.raises(PermissionDenied):
            user_create(
                actor=getattr(world, who),
                username="hanh",
                password=GOOD_PASSWORD,
                organisation=world.wu_yen_giang,
            )
        assert not User.objects.filter(username="hanh").exists()

    def test_only_superadmin_creates_a_user_without_organisation(self, world):
        with pytest.raises(ValidationError) as caught:
            user_create(actor=world.tuan, username="hanh", password=GOOD_PASSWORD)
        assert "organisation" in caught.value.message_dict
        user = user_create(actor=world.root, username="hanh", password=GOOD_PASSWORD)
        assert user.organisation is None

    @pytest.mark.parametrize("password", ["short", "12345678901", "password123", "hanh-danvan"])
    def test_weak_password_is_refused_on_password(self, world, password):
        with pytest.raises(ValidationError) as caught:
            user_create(
                actor=world.tuan,
                username="hanh-danvan",
                password=password,
                organisation=world.wu_yen_giang,
                email="hanh-danvan@danvan.test",
            )
        assert list(caught.value.message_dict) == ["password"]
        assert not User.objects.filter(username="hanh-danvan").exists()

    def test_duplicate_username_is_refused_on_username(self, world):
        with pytest.raises(ValidationError) as caught:
            user_create(
                actor=world.tuan,
                username="lan",
                password=GOOD_PASSWORD,
                organisation=world.wu_yen_giang,
            )
        assert "username" in caught.value.message_dict

    def test_invalid_email_is_refused_on_email(self, world):
        with pytest.raises(ValidationError) as caught:
            user_create(
                actor=world.tuan,
                username="hanh",
                password=GOOD_PASSWORD,
                organisation=world.wu_yen_giang,
                email="not-an-address",
            )
        assert "email" in caught.value.message_dict


class TestRoleAssign:
    def test_admin_assigns_a_role_in_scope_and_it_takes_effect_at_once(self, world):
        assert not can(world.lan, "initiative.view", area=world.yen_giang)
        assignment = role_assign(
            actor=world.tuan, user=world.lan, role=Role.VIEWER, area=world.quang_yen
        )
        assert assignment.pk
        assert RoleAssignment.objects.filter(user=world.lan, role=Role.VIEWER).exists()
        assert can(world.lan, "initiative.view", area=world.yen_giang)

    def test_a_role_on_a_dissolved_unit_is_refused_naming_its_successor(self, world):
        with pytest.raises(ValidationError) as caught:
            role_assign(actor=world.tuan, user=world.thu, role=Role.REVIEWER, area=world.yen_giang)
        assert caught.value.message_dict == {
            "area": ["Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên."]
        }
        assert not RoleAssignment.objects.filter(user=world.thu, role=Role.REVIEWER).exists()

    def test_a_role_on_a_village_of_a_dissolved_unit_is_refused(self, world):
        with pytest.raises(ValidationError) as caught:
            role_assign(actor=world.tuan, user=world.thu, role=Role.REVIEWER, area=world.zone_1)
        assert "Phường Quảng Yên" in caught.value.message_dict["area"][0]
        assert not RoleAssignment.objects.filter(user=world.thu, role=Role.REVIEWER).exists()

    def test_admin_assigns_a_role_over_the_successor_and_old_grants_keep_working(self, world):
        role_assign(actor=world.tuan, user=world.thu, role=Role.REVIEWER, area=world.quang_yen)
        assert can(world.thu, "initiative.register", area=world.zone_1)
        # Thu's officer grant on the legacy ward, made before the reform, still covers it.
        assert can(
            world.thu, "initiative.update", area=world.zone_1, organisation_id=world.pc_yen_giang.pk
        )

    def test_admin_assigns_an_organisation_scoped_role(self, world):
        role_assign(
            actor=world.tuan, user=world.thu, role=Role.OFFICER, organisation=world.wu_yen_giang
        )
        assert can(
            world.thu, "initiative.submit", area=world.zone_1, organisation_id=world.wu_yen_giang.pk
        )

    @pytest.mark.parametrize(
        ("area", "organisation"),
        [("ha_tinh", None), ("thien_loc", None), (None, "wu_thien_loc"), ("can_loc", None)],
    )
    def test_admin_cannot_assign_outside_scope_and_nothing_is_written(
        self, world, area, organisation
    ):
        before = RoleAssignment.objects.count()
        with pytest.raises(PermissionDenied):
            role_assign(
                actor=world.tuan,
                user=world.lan,
                role=Role.REVIEWER,
                area=getattr(world, area) if area else None,
                organisation=getattr(world, organisation) if organisation else None,
            )
        assert RoleAssignment.objects.count() == before

    def test_commune_admin_cannot_grant_over_the_whole_province(self, world):
        ward_admin = role_assign(
            actor=world.tuan, user=world.thu, role=Role.ADMIN, area=world.quang_yen
        ).user
        role_assign(actor=ward_admin, user=world.lan, role=Role.VIEWER, area=world.quang_yen)
        with pytest.raises(PermissionDenied):
            role_assign(actor=ward_admin, user=world.lan, role=Role.VIEWER, area=world.quang_ninh)
        with pytest.raises(PermissionDenied):
            role_assign(actor=ward_admin, user=world.lan, role=Role.VIEWER, area=world.ha_an)

    @pytest.mark.parametrize("who", ["minh", "lan", "quan"])
    def test_non_admins_cannot_assign_roles(self, world, who):
        with pytest.raises(PermissionDenied):
            role_assign(
                actor=getattr(world, who), user=world.thu, role=Role.VIEWER, area=world.quang_yen
            )

    def test_only_superadmin_appoints_superadmin(self, world):
        with pytest.raises(PermissionDenied):
            role_assign(actor=world.tuan, user=world.tuan, role=Role.SUPERADMIN)
        assert not RoleAssignment.objects.filter(user=world.tuan, role=Role.SUPERADMIN).exists()
        role_assign(actor=world.root, user=world.tuan, role=Role.SUPERADMIN)
        assert can(world.tuan, "initiative.register", area=world.thien_loc)

    def test_duplicate_role_is_refused_on_role(self, world):
        with pytest.raises(ValidationError) as caught:
            role_assign(actor=world.tuan, user=world.minh, role=Role.REVIEWER, area=world.quang_yen)
        assert "role" in caught.value.message_dict
        assert RoleAssignment.objects.filter(user=world.minh).count() == 1

    def test_the_same_role_elsewhere_is_not_a_duplicate(self, world):
        role_assign(actor=world.tuan, user=world.minh, role=Role.REVIEWER, area=world.ha_an)
        assert RoleAssignment.objects.filter(user=world.minh, role=Role.REVIEWER).count() == 2

    def test_unknown_role_is_refused(self, world):
        with pytest.raises(ValidationError) as caught:
            role_assign(actor=world.tuan, user=world.lan, role="emperor", area=world.quang_yen)
        assert "role" in caught.value.message_dict

    def test_a_role_needs_a_scope(self, world):
        with pytest.raises(ValidationError) as caught:
            role_assign(actor=world.root, user=world.lan, role=Role.VIEWER)
        assert "area" in caught.value.message_dict


class TestRoleRevoke:
    def test_admin_revokes_in_scope_and_it_takes_effect_at_once(self, world):
        assignment = world.minh.role_assignments.get()
        assert can(world.minh, "initiative.register", area=world.yen_giang)
        role_revoke(actor=world.tuan, assignment=assignment)
        assert not world.minh.role_assignments.exists()
        assert not can(world.minh, "initiative.register", area=world.yen_giang)

    def test_admin_cannot_revoke_outside_scope(self, world):
        assignment = world.hoa.role_assignments.get()
        with pytest.raises(PermissionDenied):
            role_revoke(actor=world.tuan, assignment=assignment)
        assert world.hoa.role_assignments.exists()

    def test_only_superadmin_removes_superadmin(self, world):
        assignment = world.root.role_assignments.get()
        with pytest.raises(PermissionDenied):
            role_revoke(actor=world.tuan, assignment=assignment)
        assert world.root.role_assignments.exists()


class TestUserDeactivate:
    def test_admin_deactivates_a_user_in_scope(self, world):
        user_deactivate(actor=world.tuan, user=world.lan)
        world.lan.refresh_from_db()
        assert not world.lan.is_active
        assert RoleAssignment.objects.filter(user=world.lan).exists()

    def test_admin_cannot_deactivate_outside_scope(self, world):
        with pytest.raises(PermissionDenied):
            user_deactivate(actor=world.tuan, user=world.nga)
        world.nga.refresh_from_db()
        assert world.nga.is_active

    def test_nobody_deactivates_themselves(self, world):
        with pytest.raises(ValidationError) as caught:
            user_deactivate(actor=world.tuan, user=world.tuan)
        assert "user" in caught.value.message_dict

    def test_admin_cannot_deactivate_a_superadmin_of_an_organisation_in_scope(self, world):
        world.root.organisation = world.commission_qn
        world.root.save(update_fields=["organisation"])
        with pytest.raises(PermissionDenied):
            user_deactivate(actor=world.tuan, user=world.root)
        world.root.refresh_from_db()
        assert world.root.is_active


class TestSelectors:
    def test_provincial_admin_lists_the_users_of_the_province_old_and_new(self, world):
        assert usernames(user_list(actor=world.tuan)) == {
            "duc",
            "lan",
            "minh",
            "quan",
            "thu",
            "tuan",
        }

    def test_superadmin_lists_everyone(self, world):
        assert {"hoa", "nga", "root", "lan"} <= usernames(user_list(actor=world.root))

    @pytest.mark.parametrize("who", ["minh", "lan", "quan"])
    def test_non_admins_list_nobody(self, world, who):
        assert not user_list(actor=getattr(world, who)).exists()

    def test_user_list_searches_name_and_email(self, world):
        assert usernames(user_list(actor=world.tuan, search="Nguyễn")) == {"lan"}
        assert usernames(user_list(actor=world.tuan, search="minh@")) == {"minh"}

    def test_organisation_scoped_admin_lists_only_that_organisations_users(self, world):
        union_admin = user_create(
            actor=world.tuan,
            username="chi-hoi",
            password=GOOD_PASSWORD,
            organisation=world.wu_yen_giang,
        )
        role_assign(
            actor=world.tuan, user=union_admin, role=Role.ADMIN, organisation=world.wu_yen_giang
        )
        assert usernames(user_list(actor=union_admin)) == {"chi-hoi", "lan"}

    def test_role_assignments_of_in_and_out_of_scope(self, world):
        assert list(role_assignments_of(actor=world.tuan, user=world.minh)) == list(
            world.minh.role_assignments.all()
        )
        assert not role_assignments_of(actor=world.tuan, user=world.hoa).exists()
        assert role_assignments_of(actor=world.root, user=world.hoa).count() == 1

    def test_user_in_a_new_organisation_elsewhere_is_not_listed(self, world):
        elsewhere = OrganisationFactory(seat_area=world.can_loc)
        user_create(
            actor=world.root, username="vinh", password=GOOD_PASSWORD, organisation=elsewhere
        )
        assert "vinh" not in usernames(user_list(actor=world.tuan))
        assert "vinh" in usernames(user_list(actor=world.root))


class TestNationwideRoles:
    """The Central Commission's people hold their role over the whole country."""

    def test_superadmin_grants_a_nationwide_viewer_who_sees_every_province(self, world):
        role_assign(actor=world.root, user=world.quan, role=Role.VIEWER, nationwide=True)
        assert can(world.quan, "initiative.view", area=world.ha_tinh)
        assert can(
            world.quan,
            "initiative.view",
            area=world.thien_loc,
            organisation_id=world.wu_thien_loc.pk,
        )
        # A nationwide viewer still only reads.
        assert not can(world.quan, "initiative.update", area=world.thien_loc)

    def test_an_administrator_cannot_grant_a_nationwide_role(self, world):
        with pytest.raises(PermissionDenied):
            role_assign(actor=world.tuan, user=world.quan, role=Role.VIEWER, nationwide=True)
        assert not RoleAssignment.objects.filter(user=world.quan, nationwide=True).exists()

    def test_a_nationwide_role_has_no_area(self, world):
        with pytest.raises(ValidationError) as error:
            role_assign(
                actor=world.root,
                user=world.quan,
                role=Role.VIEWER,
                area=world.ha_tinh,
                nationwide=True,
            )
        assert "nationwide" in error.value.message_dict

    def test_a_role_without_any_scope_is_refused_by_the_database(self, world):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAssignment.objects.create(user=world.quan, role=Role.REVIEWER)
