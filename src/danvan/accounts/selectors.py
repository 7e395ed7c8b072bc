"""Reads of users and roles, limited to what the acting administrator may see; and a
person's own sessions and tokens."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.accounts.models import ApiToken, RoleAssignment, User, UserSession
from danvan.accounts.scope import scope_q, scope_roots
from danvan.areas.models import Area, AreaQuerySet, CodeScheme
from danvan.core.collation import vietnamese
from danvan.core.text import fold


def user_list(*, actor, search: str = "") -> QuerySet[User]:
    """Return the users whose organisation lies in the actor's user-management scope.

    ``search`` matches the user name, names (either order) and e-mail ignoring case and
    diacritics ("nguyen" finds "Nguyễn", "dang" finds "Đặng").
    """
    condition = scope_q(
        actor,
        "user.manage",
        area_field="organisation__seat_area",
        organisation_field="organisation",
    )
    queryset = User.objects.filter(condition).select_related("organisation")
    needle = fold(search)
    if needle:
        queryset = queryset.filter(search_folded__contains=needle)
    # As Vietnamese lists are: by given name, then family and middle names, in Vietnamese order.
    return queryset.order_by(vietnamese("first_name"), vietnamese("last_name"), "username")


def role_assignments_of(*, actor, user: User) -> QuerySet[RoleAssignment]:
    """Return ``user``'s role assignments if the actor may manage that user."""
    if not user_list(actor=actor).filter(pk=user.pk).exists():
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user).select_related("area", "organisation")


def user_history(*, actor, user: User) -> list:
    """Return the changes to ``user`` and to their role assignments, newest first.

    Empty when the actor may not manage that user. Each row has ``at``, ``by``, ``what`` (the
    history type: +, ~, -) and ``record`` (the historical user or assignment).
    """
    if not user_list(actor=actor).filter(pk=user.pk).exists():
        return []
    rows = []
    for record in User.history.filter(id=user.pk).select_related("history_user"):
        rows.append({"at": record.history_date, "by": record.history_user, "record": record})
    for record in RoleAssignment.history.filter(user_id=user.pk).select_related(
        "history_user", "area", "organisation"
    ):
        rows.append({"at": record.history_date, "by": record.history_user, "record": record})
    for row in rows:
        row["what"] = row["record"].history_type
        row["kind"] = "user" if isinstance(row["record"], User.history.model) else "role"
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def user_sessions(*, user: User) -> QuerySet[UserSession]:
    """Return ``user``'s sessions that have not expired, most recently used first.

    Sessions that a password change made unusable are removed by ``user_sessions_prune``,
    which the page calls first.
    """
    return UserSession.objects.filter(user=user, session__expire_date__gt=timezone.now())


def api_tokens_in_use(*, user: User) -> QuerySet[ApiToken]:
    """Return ``user``'s API tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def manageable_areas(*, actor, action: str = "organisation.manage") -> AreaQuerySet:
    """Return the units ``actor`` may seat an organisation (or scope a role) in, for a form.

    Today's units and the units below communes, under the areas of the actor's administrator
    grants (every unit for a super administrator). A form still goes through the service,
    which checks the chosen unit again.
    """
    units = Area.objects.filter(Q(valid_to__isnull=True) | Q(scheme=CodeScheme.LOCAL))
    roots = scope_roots(actor, action)
    if roots is None:  # a super administrator, or a nationwide administrator
        return units.order_by("path")
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(pk=root.pk) | Q(path__startswith=root.subtree_prefix)
    return units.filter(condition).order_by("path")
