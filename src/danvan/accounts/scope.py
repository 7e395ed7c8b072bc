"""Who may do what, where: the one place scope is decided.

Selectors filter reads with ``scope_q``; services call ``require`` before every write. A role
assignment covers a record when the record's area lies in the assignment's area subtree (or in
a unit that area succeeds) and, if the assignment names an organisation, the record belongs to it.
An assignment that names only an organisation covers that organisation's records inside the
organisation's territory (its seat, the units under it and its lineage), never a record it
files in another commune or province: the organisation alone does not say where it may act.

Writes that point at other records (co-organisers, a criteria set, the model replicated) also
check those records with ``require_related``: the one function every write service calls for
what it touches, so no write can reach across a province by pointing at a foreign record.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment
from danvan.areas.models import Area
from danvan.areas.selectors import (
    area_coverage_q,
    area_current_successors,
    area_historical_predecessors,
)

if TYPE_CHECKING:
    from danvan.orgs.models import Organisation

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
    # The registering unit carries its model on; the commission may too (a model it honoured
    # goes on into the new round without waiting for the unit).
    "initiative.continue": frozenset({Role.OFFICER, Role.REVIEWER}),
    "initiative.register": frozenset({Role.REVIEWER}),
    "initiative.return": frozenset({Role.REVIEWER}),
    "initiative.evaluate": frozenset({Role.REVIEWER}),
    "initiative.award": frozenset({Role.REVIEWER}),
    "initiative.mark_exemplary": frozenset({Role.REVIEWER}),
    "initiative.replicate": frozenset({Role.REVIEWER, Role.OFFICER}),
    # The figures of a unit (dashboard, statistics API, reports): readers of the unit, and an
    # organisation's people for the unit their organisation is seated in.
    "figures.view": READ_ROLES,
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


# The actions that only read; every other action writes, and a write must stay inside the
# territory of the organisation a grant is bound to.
READ_ACTIONS = frozenset({"initiative.view", "figures.view"})


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


def territory_roots(area: Area) -> list[Area]:
    """Return the units whose subtrees make up ``area``'s territory through time.

    The unit itself, every unit it succeeds (a 2025 ward covers the wards merged into it) and,
    for a unit that has ended, the units that carry it on today (the Women's Union of a ward
    merged in 2025 goes on working in the new ward).
    """
    roots = [area, *area_historical_predecessors(area=area)]
    if area.valid_to is not None:
        for successor in area_current_successors(area=area):
            roots.append(successor.area)
            roots.extend(area_historical_predecessors(area=successor.area))
    return roots


def _within(area: Area, roots: list[Area]) -> bool:
    return any(area.pk == root.pk or area.path.startswith(root.subtree_prefix) for root in roots)


@dataclass
class Grant:
    role: str
    area: Area | None
    organisation_id: int | None
    organisation_seat: Area | None = None
    nationwide: bool = False
    # The organisation itself (its name, for the lines that show a person's roles).
    organisation: "Organisation | None" = None

    @cached_property
    def area_roots(self) -> list[Area]:
        if self.area is None:
            return []
        return [self.area, *area_historical_predecessors(area=self.area)]

    @cached_property
    def seat_roots(self) -> list[Area]:
        if self.organisation_seat is None:
            return []
        return territory_roots(self.organisation_seat)

    @property
    def everywhere(self) -> bool:
        """A nationwide grant: no area and no organisation bound it."""
        return self.area is None and self.organisation_id is None

    def covers(
        self, area: Area | None, organisation_id: int | None, *, write: bool = False
    ) -> bool:
        """Whether a record seated in ``area`` and belonging to ``organisation_id`` is covered.

        A grant bound to an organisation covers only that organisation's records: all of them
        to read, and to write only those inside the organisation's territory.
        """
        if self.organisation_id is not None:
            if organisation_id != self.organisation_id:
                return False
            if self.area is None and self.organisation_seat is not None:
                return not write or area is None or _within(area, self.seat_roots)
        if self.area is None:
            return True
        if area is None:
            return False
        return _within(area, self.area_roots)

    def covers_unit(self, area: Area | None) -> bool:
        """Whether the figures of the unit ``area`` (None: the whole country) are covered.

        Area grants cover the units of their subtree; an organisation's grant covers the unit
        its organisation is seated in and the units below, since its people read and report
        the figures of their own commune.
        """
        if self.everywhere:
            return True
        if area is None:
            return False
        if self.area is not None:
            return _within(area, self.area_roots)
        return self.organisation_seat is not None and _within(area, self.seat_roots)


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
            Grant(
                a.role,
                a.area,
                a.organisation_id,
                a.organisation.seat_area if a.organisation_id else None,
                a.nationwide,
                a.organisation,
            )
            for a in RoleAssignment.objects.filter(user=user)
            .select_related("area", "organisation__seat_area")
            .order_by("id")
        ]
        user._danvan_grants = cached
    return cached


def role_grants(user) -> list[Grant]:
    """Return every role assignment of ``user`` in the order they were given, read once per
    user object: a page asks several times (its lists' scopes, the menu, the roles shown in
    its header)."""
    return list(_grants(user))


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
    grants = [grant for grant in _grants(user) if grant.role in roles]
    if any(grant.everywhere for grant in grants):
        # A nationwide grant matches every row; OR-ing an empty Q into the others would drop it.
        return Q()
    condition = Q(pk__in=[])
    organisation_key = "pk" if organisation_field == "pk" else f"{organisation_field}_id"
    for grant in grants:
        part = Q()
        if grant.area is not None:
            part &= area_coverage_q(area=grant.area, field=area_field)
        if grant.organisation_id is not None:
            part &= Q(**{organisation_key: grant.organisation_id})
        condition |= part
    return condition


def grants_for(user, action: str) -> list[Grant]:
    """Return ``user``'s grants whose role may perform ``action`` (none for an inactive user)."""
    if not _is_active_person(user):
        return []
    return [grant for grant in _grants(user) if grant.role in ACTIONS[action]]


def scope_roots(user, action: str) -> list[Area] | None:
    """Return the units whose subtrees hold every place ``user`` may perform ``action``, or
    None when nothing bounds it (a super administrator, a nationwide grant).

    An area grant gives its unit and the units it succeeds; a grant on an organisation alone
    gives the organisation's territory (``territory_roots`` of its seat). Choosers list the
    units under these roots; ``can`` still decides each record.
    """
    if is_superadmin(user):
        return None
    roots: list[Area] = []
    for grant in grants_for(user, action):
        if grant.everywhere:
            return None
        roots += grant.area_roots if grant.area is not None else grant.seat_roots
    return roots


def can(user, action: str, *, area: Area | None = None, organisation_id: int | None = None):
    """Return whether ``user`` may perform ``action`` on a record seated as given."""
    if is_superadmin(user):
        return True
    if not _is_active_person(user):
        return False
    roles = ACTIONS[action]
    write = action not in READ_ACTIONS
    return any(
        grant.role in roles and grant.covers(area, organisation_id, write=write)
        for grant in _grants(user)
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


def can_see_unit(user, area: Area | None) -> bool:
    """Return whether ``user`` may read the figures of the unit ``area`` (None: the country).

    The one rule of the dashboard, the statistics API and the reports, so a figure shown on a
    page is never refused by the API, nor the other way round.
    """
    if is_superadmin(user):
        return True
    if not _is_active_person(user):
        return False
    roles = ACTIONS["figures.view"]
    return any(grant.role in roles and grant.covers_unit(area) for grant in _grants(user))


def require_unit(user, area: Area | None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may read the figures of ``area``."""
    if not can_see_unit(user, area):
        raise PermissionDenied(_("You do not have permission to see the figures of this unit."))


def _top(area: Area) -> str:
    return area.path.split(".")[0] if area.path else str(area.pk)


def provinces_of(area: Area) -> set[int]:
    """Return the ids of today's provinces whose territory holds ``area`` (legacy or current).

    A legacy unit lies in the provinces its province became; a current one in its province.
    """
    top_id = int(area.path.split(".")[0]) if area.path else area.pk
    top = area if top_id == area.pk else Area.objects.get(pk=top_id)
    return {successor.area.pk for successor in area_current_successors(area=top)}


def require_related(field: str, *, area: Area | None, related: Area | None) -> None:
    """Raise ``PermissionDenied`` when a record seated in ``area`` points, through ``field``,
    at a record seated in ``related`` that lies in another province.

    Every write service calls this for each area, organisation and record it points to (the
    co-organisers of an initiative, the criteria set of an evaluation, a round's unit), so a
    write in one province can never borrow another province's records. A record without a
    seat (a national catalogue) is everyone's.
    """
    if area is None or related is None:
        return
    if _top(area) == _top(related):  # the same province tree: no lineage to read
        return
    if provinces_of(area) & provinces_of(related):
        return
    raise PermissionDenied(
        _("%(field)s belongs to another province and cannot be used here.")
        % {"field": _field_label(field)}
    )


def _field_label(field: str) -> str:
    labels = {
        "co_organisations": _("A co-organising agency"),
        "criteria_set": _("The criteria set"),
        "organisation": _("The organisation"),
        "area": _("The area"),
        "round": _("The registration round"),
    }
    return str(labels.get(field, _("A linked record")))
