"""Who may do what, where: ``can``, ``require`` and ``scope_q`` for every role, in and out of
scope, across the 2025 merge of Yên Giang ward into Phường Quảng Yên."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from danvan.accounts.models import Role
from danvan.accounts.scope import (
    ACTIONS,
    SYSTEM,
    can,
    forget_grants,
    is_superadmin,
    require,
    require_on_initiative,
    scope_q,
)
from danvan.areas.models import AreaKind
from danvan.initiatives.models import Initiative
from tests.factories import AreaFactory, InitiativeFactory, OrganisationFactory
from tests.factories_review import RoleAssignmentFactory


def visible(user, action="initiative.view"):
    return set(Initiative.objects.filter(scope_q(user, action)).values_list("code", flat=True))


def codes(*initiatives):
    return {initiative.code for initiative in initiatives}


def on(user, action, initiative):
    return can(user, action, area=initiative.area, organisation_id=initiative.organisation_id)


class TestAreaScopeFollowsTheMerge:
    def test_reviewer_of_the_current_ward_covers_the_legacy_wards_it_replaced(self, world):
        assert on(world.minh, "initiative.register", world.digital)
        assert on(world.minh, "initiative.register", world.cultural_houses)

    def test_reviewer_covers_villages_created_under_a_legacy_ward(self, world):
        group = AreaFactory(name="Tổ 3", kind=AreaKind.FAMILY_GROUP, parent=world.zone_1)
        deep = InitiativeFactory(organisation=world.wu_yen_giang, area=group)
        assert on(world.minh, "initiative.evaluate", deep)
        assert deep.code in visible(world.minh)

    def test_reviewer_covers_the_other_merged_commune_and_the_current_ward_itself(self, world):
        tien_an = InitiativeFactory(area=world.tien_an)
        today = InitiativeFactory(area=world.quang_yen)
        assert on(world.minh, "initiative.return", tien_an)
        assert on(world.minh, "initiative.return", today)

    def test_reviewer_of_a_neighbouring_ward_does_not_cover_yen_giang(self, world):
        assert not on(world.duc, "initiative.register", world.digital)
        assert not on(world.duc, "initiative.register", world.cultural_houses)
        assert on(world.duc, "initiative.register", world.railings)
        assert not on(world.minh, "initiative.register", world.railings)

    def test_reviewer_of_another_province_covers_nothing_in_quang_ninh(self, world):
        assert not on(world.hoa, "initiative.register", world.digital)
        assert on(world.hoa, "initiative.register", world.thien_loc_roads)
        assert visible(world.hoa) == codes(world.thien_loc_roads)

    def test_scope_q_matches_can_for_every_person(self, world):
        everyone = [world.lan, world.thu, world.minh, world.duc, world.hoa, world.nga, world.quan]
        initiatives = list(Initiative.objects.all())
        for user in everyone:
            for action in ["initiative.view", "initiative.register", "initiative.update"]:
                expected = {i.code for i in initiatives if on(user, action, i)}
                assert visible(user, action) == expected, (user, action)

    def test_reviewer_sees_exactly_the_merged_wards_initiatives(self, world):
        assert visible(world.minh) == codes(world.cultural_houses, world.digital)
        assert visible(world.duc) == codes(world.railings)

    def test_provincial_viewer_sees_the_whole_province_old_and_new(self, world):
        assert visible(world.quan) == codes(world.cultural_houses, world.digital, world.railings)

    def test_a_legacy_area_scope_does_not_reach_forward_to_the_current_unit(self, world):
        """A grant on the legacy ward covers what was recorded there, not the merged ward."""
        legacy_reviewer = RoleAssignmentFactory(role=Role.REVIEWER, area=world.yen_giang).user
        today = InitiativeFactory(area=world.quang_yen)
        tien_an = InitiativeFactory(area=world.tien_an)
        assert on(legacy_reviewer, "initiative.register", world.digital)
        assert not on(legacy_reviewer, "initiative.register", today)
        assert not on(legacy_reviewer, "initiative.register", tien_an)
        assert visible(legacy_reviewer) == codes(world.cultural_houses, world.digital)


class TestRolesAndActions:
    def test_viewer_reads_but_writes_nothing(self, world):
        for action in ACTIONS:
            allowed = on(world.quan, action, world.digital)
            assert allowed == (action in {"initiative.view", "figures.view"}), action

    def test_reviewer_may_exactly_the_reviewer_actions(self, world):
        for action, roles in ACTIONS.items():
            assert on(world.minh, action, world.digital) == (Role.REVIEWER in roles), action

    def test_admin_manages_but_does_not_register_or_record(self, world):
        for action, roles in ACTIONS.items():
            assert on(world.tuan, action, world.digital) == (Role.ADMIN in roles), action
        assert not on(world.tuan, "user.manage", world.thien_loc_roads)

    def test_officer_acts_only_on_their_organisation(self, world):
        assert on(world.lan, "initiative.submit", world.cultural_houses)
        assert on(world.lan, "contribution.add", world.cultural_houses)
        # Same ward, another organisation: not hers.
        assert not on(world.lan, "initiative.submit", world.digital)
        assert not on(world.lan, "initiative.view", world.digital)
        # Her organisation's role does not make her a reviewer.
        assert not on(world.lan, "initiative.register", world.cultural_houses)
        assert visible(world.lan) == codes(world.cultural_houses)

    def test_officer_scoped_to_area_and_organisation_needs_both(self, world):
        assert on(world.thu, "initiative.update", world.digital)
        assert not on(world.thu, "initiative.update", world.cultural_houses)
        elsewhere = InitiativeFactory(organisation=world.pc_yen_giang, area=world.ha_an)
        assert not on(world.thu, "initiative.update", elsewhere)
        assert visible(world.thu) == codes(world.digital)

    def test_an_organisation_scoped_officer_acts_only_in_the_organisations_territory(self, world):
        """Lan's grant names only her union: it covers her union's records in Yên Giang, its
        villages and the ward it merged into, never a record filed in another ward or
        another province (which would then sit in that place's review queue)."""
        assert on(world.lan, "initiative.update", world.cultural_houses)
        in_successor = InitiativeFactory(organisation=world.wu_yen_giang, area=world.quang_yen)
        assert on(world.lan, "initiative.update", in_successor)
        for place in (world.ha_an, world.can_loc, world.ha_tinh):
            away = InitiativeFactory(organisation=world.wu_yen_giang, area=place)
            assert not on(world.lan, "initiative.update", away), place
            assert not can(
                world.lan, "initiative.create", area=place, organisation_id=world.wu_yen_giang.pk
            )
            # She still reads what her union has, wherever it was filed.
            assert on(world.lan, "initiative.view", away)

    def test_a_user_with_no_role_gets_nothing(self, world):
        nobody = RoleAssignmentFactory(role=Role.VIEWER, area=world.ha_an).user
        nobody.role_assignments.all().delete()
        forget_grants(nobody)
        assert visible(nobody) == set()
        assert not on(nobody, "initiative.view", world.railings)

    def test_several_grants_add_up(self, world):
        RoleAssignmentFactory(user=world.minh, role=Role.REVIEWER, area=world.ha_an)
        forget_grants(world.minh)
        assert visible(world.minh) == codes(world.cultural_houses, world.digital, world.railings)

    def test_grants_are_cached_until_forgotten(self, world):
        assert not on(world.duc, "initiative.view", world.digital)
        RoleAssignmentFactory(user=world.duc, role=Role.VIEWER, area=world.quang_yen)
        assert not on(world.duc, "initiative.view", world.digital)
        forget_grants(world.duc)
        assert on(world.duc, "initiative.view", world.digital)

    def test_record_without_area_is_covered_only_by_organisation_or_unscoped_grants(self, world):
        assert not can(world.minh, "round.manage", area=None)
        assert can(world.lan, "initiative.view", organisation_id=world.wu_yen_giang.pk)
        assert can(world.root, "round.manage", area=None)


class TestRequire:
    def test_require_passes_inside_scope(self, world):
        require_on_initiative(world.minh, "initiative.register", world.digital)
        require(world.tuan, "user.manage", area=world.yen_giang)

    @pytest.mark.parametrize(
        ("who", "action", "initiative"),
        [
            ("duc", "initiative.register", "digital"),
            ("hoa", "initiative.evaluate", "cultural_houses"),
            ("lan", "initiative.submit", "digital"),
            ("quan", "initiative.update", "digital"),
            ("tuan", "initiative.register", "digital"),
            ("nga", "initiative.submit", "cultural_houses"),
        ],
    )
    def test_require_refuses_outside_role_or_scope(self, world, who, action, initiative):
        with pytest.raises(PermissionDenied):
            require_on_initiative(getattr(world, who), action, getattr(world, initiative))

    def test_unknown_action_is_a_programming_error(self, world):
        with pytest.raises(KeyError):
            can(world.minh, "initiative.teleport", area=world.quang_yen)


class TestSpecialActors:
    def test_anonymous_gets_nothing(self, world):
        anonymous = AnonymousUser()
        assert not is_superadmin(anonymous)
        assert visible(anonymous) == set()
        for action in ACTIONS:
            assert not on(anonymous, action, world.digital)
        with pytest.raises(PermissionDenied):
            require_on_initiative(anonymous, "initiative.view", world.digital)

    def test_system_may_do_everything_everywhere(self, world):
        assert is_superadmin(SYSTEM)
        assert scope_q(SYSTEM) == Q()
        for action in ACTIONS:
            assert on(SYSTEM, action, world.thien_loc_roads)
            require(SYSTEM, action, area=None)
        assert visible(SYSTEM) == set(Initiative.objects.values_list("code", flat=True))

    def test_superadmin_role_may_do_everything_everywhere(self, world):
        assert is_superadmin(world.root)
        for action in ACTIONS:
            assert on(world.root, action, world.thien_loc_roads)
        assert visible(world.root) == set(Initiative.objects.values_list("code", flat=True))

    def test_django_superuser_counts_as_superadmin(self, world):
        world.quan.is_superuser = True
        assert is_superadmin(world.quan)
        assert on(world.quan, "initiative.register", world.thien_loc_roads)

    def test_scope_q_works_on_other_field_names(self, world):
        """User lists filter on the organisation's seat, not on an ``area`` column."""
        from danvan.accounts.models import User

        condition = scope_q(
            world.tuan,
            "user.manage",
            area_field="organisation__seat_area",
            organisation_field="organisation",
        )
        names = set(User.objects.filter(condition).values_list("username", flat=True))
        assert {"lan", "thu", "minh", "duc", "quan", "tuan"} <= names
        assert not names & {"hoa", "nga", "root"}

    def test_other_organisation_in_the_same_ward_is_not_covered_by_lans_grant(self, world):
        other = OrganisationFactory(seat_area=world.yen_giang)
        assert not can(world.lan, "initiative.view", area=world.yen_giang, organisation_id=other.pk)
