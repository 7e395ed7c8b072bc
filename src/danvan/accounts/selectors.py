"""Reads of users and roles, limited to what the acting administrator may see."""

from django.db.models import Q, QuerySet

from danvan.accounts.models import RoleAssignment, User
from danvan.accounts.scope import scope_q


def user_list(*, actor, search: str = "") -> QuerySet[User]:
    """Return the users whose organisation lies in the actor's user-management scope."""
    condition = scope_q(
        actor,
        "user.manage",
        area_field="organisation__seat_area",
        organisation_field="organisation",
    )
    queryset = User.objects.filter(condition).select_related("organisation")
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return queryset.order_by("username")


def role_assignments_of(*, actor, user: User) -> QuerySet[RoleAssignment]:
    """Return ``user``'s role assignments if the actor may manage that user."""
    if not user_list(actor=actor).filter(pk=user.pk).exists():
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user).select_related("area", "organisation")
