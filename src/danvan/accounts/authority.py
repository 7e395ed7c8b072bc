"""Whether an administrator may change another person's account: the one rule every door asks.

Changing a person's e-mail address, names, organisation or activity, or giving them a role, is
as good as taking over what they hold: a new address receives their "forgotten password" link.
So an administrator needs ``user.manage`` over *every* scope the person holds — each of their
role assignments (its area and its organisation) and the organisation they work for — not only
over the organisation. A person holding a nationwide role or a super administrator's can be
changed only by a super administrator, and a person with no organisation has no scope an
administrator could hold.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.scope import can, is_superadmin
from danvan.areas.models import Area
from danvan.areas.selectors import area_coverage_q
from danvan.orgs.models import Organisation


def can_manage_scope(actor, *, area: Area | None, organisation: Organisation | None) -> bool:
    """Return whether ``actor`` holds ``user.manage`` over a scope (an area subtree and/or an
    organisation, which is seated in its area)."""
    if organisation is not None:
        seat = area or organisation.seat_area
        return can(actor, "user.manage", area=seat, organisation_id=organisation.pk) and can(
            actor, "user.manage", area=organisation.seat_area, organisation_id=organisation.pk
        )
    if area is not None:
        return can(actor, "user.manage", area=area, organisation_id=None)
    return is_superadmin(actor)


def organisation_lies_in(organisation: Organisation, area: Area) -> bool:
    """Return whether ``organisation`` is seated in ``area``'s subtree (or a unit it took over)."""
    return Organisation.objects.filter(
        area_coverage_q(area=area, field="seat_area"), pk=organisation.pk
    ).exists()


def _holds_everywhere(user: User) -> bool:
    return (
        user.is_superuser
        or RoleAssignment.objects.filter(user=user, role=Role.SUPERADMIN).exists()
        or RoleAssignment.objects.filter(user=user, nationwide=True).exists()
    )


def user_is_manageable(actor, user: User) -> bool:
    """Return whether ``actor`` may change ``user``'s account (see the module's rule)."""
    if is_superadmin(actor):
        return True
    if _holds_everywhere(user) or user.organisation_id is None:
        return False
    if not can_manage_scope(actor, area=None, organisation=user.organisation):
        return False
    assignments = RoleAssignment.objects.filter(user=user).select_related(
        "area", "organisation__seat_area"
    )
    return all(
        can_manage_scope(actor, area=assignment.area, organisation=assignment.organisation)
        for assignment in assignments
    )


def user_require_manageable(actor, user: User) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may change ``user``'s account."""
    if user_is_manageable(actor, user):
        return
    if _holds_everywhere(user):
        raise PermissionDenied(
            _(
                "Only a super administrator can change this person's account: they hold a "
                "nationwide role."
            )
        )
    raise PermissionDenied(
        _(
            "You cannot change this person's account: they hold a role or work somewhere "
            "outside the places you administer."
        )
    )
