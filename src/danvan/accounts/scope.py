"""Who may do what, where: the one place scope is decided.

Selectors filter reads with ``scope_q``; services call ``require`` before every write. A role
assignment covers a record when the record's area lies in the assignment's area subtree (or in
a unit that area succeeds) and, if the assignment names an organisation, the record belongs to it.
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment
from danvan.areas.models import Area
from danvan.areas.selectors import area_coverage_q, area_historical_predecessors

READ_ROLES = frozenset({Role.VIEWER, Role.OFFICER, Role.REVIEWER, Role.ADMIN})

# Each use case and the roles that may perform it inside their scope. Super administrators may
# do everything everywhere.
ACTIONS: dict[str, frozenset[str]] = {
    "initiative.view": READ_ROLES,
    "initiative.create": frozenset({Role.OFFICER}),
    "initiative.update": frozenset({Role.OFFICER}),
    "initiative.submit": frozenset({Role.OFFICER}),
    "initiative.start": frozenset({Role.OFFICER, Role.REVIEWER}),
    "initiative.complete": frozenset({Role.OFFICER, Role.REVIEWER}),
    "initiative.discontinue": frozenset({Role.OFFICER, Role.REVIEWER}),
    "initiative.continue": frozenset({Role.OFFICER}),
    "initiative.register": frozenset({Role.REVIEWER}),
    "initiative.return": frozenset({Role.REVIEWER}),
    "initiative.evaluate": frozenset({Role.REVIEWER}),
    "initiative.award": frozenset({Role.REVIEWER}),
    "initiative.mark_exemplary": frozenset({Role.REVIEWER}),
    "initiative.replicate": frozenset({Role.REVIEWER, Role.OFFICER}),
    "contribution.add": frozenset({Role.OFFICER}),
    "result.add": frozenset({Role.OFFICER}),
    "evidence.add": frozenset({Role.OFFICER}),
    "history.restore": frozenset({Role.ADMIN}),
    "organisation.manage": frozenset({Role.ADMIN}),
    "area.manage": frozenset({Role.ADMIN}),
    "user.manage": frozenset({Role.ADMIN}),
    "catalogue.manage": frozenset({Role.ADMIN}),
    "round.manage": frozenset({Role.REVIEWER, Role.ADMIN}),
}


class SystemActor:
    """The actor of loaders and scheduled jobs, which act for the system, not for a person."""

    is_authenticated = True
    is_system = True
    pk = None

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def person_of(actor):
    """Return ``actor`` when it is a stored person (for "recorded by" columns), else None."""
    if getattr(actor, "is_system", False) or not getattr(actor, "pk", None):
        return None
    return actor


@dataclass
class Grant:
    role: str
    area: Area | None
    organisation_id: int | None

    @cached_property
    def area_roots(self) -> list[Area]:
        if self.area is None:
            return []
        return [self.area, *area_historical_predecessors(area=self.area)]

    def covers(self, area: Area | None, organisation_id: int | None) -> bool:
        if self.organisation_id is not None and organisation_id != self.organisation_id:
            return False
        if self.area is None:
            return True
        if area is None:
            return False
        return any(
            area.pk == root.pk or area.path.startswith(root.subtree_prefix)
            for root in self.area_roots
        )


def _is_active_person(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", True))


def is_superadmin(user) -> bool:
    if getattr(user, "is_system", False):
        return True
    if not _is_active_person(user):
        return False
    return user.is_superuser or any(g.role == Role.SUPERADMIN for g in _grants(user))


def _grants(user) -> list[Grant]:
    """Return the user's role assignments, read once per user object."""
    cached = getattr(user, "_danvan_grants", None)
    if cached is None:
        cached = [
            Grant(a.role, a.area, a.organisation_id)
            for a in RoleAssignment.objects.filter(user=user).select_related("area")
        ]
        user._danvan_grants = cached
    return cached


def forget_grants(user) -> None:
    """Drop the cached assignments after they changed."""
    if hasattr(user, "_danvan_grants"):
        del user._danvan_grants


def scope_q(
    user,
    action: str = "initiative.view",
    *,
    area_field: str = "area",
    organisation_field: str = "organisation",
) -> Q:
    """Return a filter for the rows ``user`` may act on with ``action``.

    Rows with an area and an organisation are covered by any of the user's matching grants.
    A user with no matching grant gets a filter that matches nothing. ``organisation_field``
    ``"pk"`` filters organisations themselves.
    """
    if is_superadmin(user):
        return Q()
    if not _is_active_person(user):
        return Q(pk__in=[])
    roles = ACTIONS[action]
    condition = Q(pk__in=[])
    organisation_key = "pk" if organisation_field == "pk" else f"{organisation_field}_id"
    for grant in _grants(user):
        if grant.role not in roles:
            continue
        part = Q()
        if grant.area is not None:
            part &= area_coverage_q(area=grant.area, field=area_field)
        if grant.organisation_id is not None:
            part &= Q(**{organisation_key: grant.organisation_id})
        condition |= part
    return condition


def can(user, action: str, *, area: Area | None = None, organisation_id: int | None = None):
    """Return whether ``user`` may perform ``action`` on a record seated as given."""
    if is_superadmin(user):
        return True
    if not _is_active_person(user):
        return False
    roles = ACTIONS[action]
    return any(
        grant.role in roles and grant.covers(area, organisation_id) for grant in _grants(user)
    )


def holds(user, action: str) -> bool:
    """Return whether ``user`` may perform ``action`` somewhere (for national catalogues)."""
    if is_superadmin(user):
        return True
    if not _is_active_person(user):
        return False
    return any(grant.role in ACTIONS[action] for grant in _grants(user))


def require_anywhere(user, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds a role that may perform ``action``."""
    if not holds(user, action):
        raise PermissionDenied(_("You do not have permission to do this."))


def require(
    user, action: str, *, area: Area | None = None, organisation_id: int | None = None
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may perform ``action`` there."""
    if not can(user, action, area=area, organisation_id=organisation_id):
        raise PermissionDenied(_("You do not have permission to do this here."))


def require_on_initiative(user, action: str, initiative) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may perform ``action`` on ``initiative``."""
    require(user, action, area=initiative.area, organisation_id=initiative.organisation_id)
