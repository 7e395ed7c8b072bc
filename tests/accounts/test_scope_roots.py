"""The roots of a person's scope, the one answer choosers read instead of re-reading grants."""

import pytest

from danvan.accounts.scope import SYSTEM, can, scope_roots
from danvan.initiatives.selectors import area_choices

pytestmark = pytest.mark.django_db


def test_nobody_bounds_a_super_administrator_or_the_system(world):
    assert scope_roots(world.root, "initiative.create") is None
    assert scope_roots(SYSTEM, "initiative.view") is None


def test_an_area_grant_roots_at_its_unit_and_what_it_succeeds(world):
    roots = scope_roots(world.minh, "initiative.view")  # reviewer of today's Phường Quảng Yên
    assert world.quang_yen in roots and world.yen_giang in roots  # merged into it in 2025
    assert world.ha_an not in roots
    assert scope_roots(world.minh, "initiative.create") == []  # reviewers register nothing


def test_an_organisation_grant_roots_at_its_territory(world):
    """Lan's Women's Union sits on the legacy Yên Giang ward: its territory goes on in
    today's Phường Quảng Yên, where the union still works."""
    roots = scope_roots(world.lan, "initiative.create")
    assert world.yen_giang in roots and world.quang_yen in roots
    assert all(
        can(world.lan, "initiative.create", area=root, organisation_id=world.wu_yen_giang.pk)
        for root in roots
    )


def test_an_inactive_person_has_no_scope(world):
    world.quan.is_active = False
    assert scope_roots(world.quan, "initiative.view") == []
    assert not area_choices(actor=world.quan, action="initiative.view").exists()


def test_the_area_chooser_offers_only_units_under_the_roots(world):
    offered = set(area_choices(actor=world.minh, action="initiative.view", search="Phường"))
    assert world.quang_yen in offered and world.yen_giang in offered
    assert world.ha_an not in offered and world.ha_tinh not in offered
