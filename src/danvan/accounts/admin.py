"""Admin for users: looked up here, changed through the people pages (accounts services)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import RoleAssignment, User
from danvan.core.admin import ReadOnlyHistoryAdmin, ReadOnlyTabularInline


class RoleAssignmentInline(ReadOnlyTabularInline):
    model = RoleAssignment
    fields = ["role", "area", "organisation", "nationwide"]


@admin.register(User)
class UserAdmin(ReadOnlyHistoryAdmin, DjangoUserAdmin):
    """Read-only: roles, activation and passwords go through the accounts services, which check
    the acting administrator's scope and sign the change."""

    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("danvan"), {"fields": ("organisation", "language")}),
    )
    list_display = ["username", "email", "first_name", "last_name", "organisation", "is_staff"]
    list_select_related = ["organisation"]
    inlines = [RoleAssignmentInline]
