"""Admin for users."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from danvan.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["area", "organisation"]
    fields = ["role", "area", "organisation", "nationwide"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("danvan"), {"fields": ("organisation", "language")}),
    )
    list_display = ["username", "email", "first_name", "last_name", "organisation", "is_staff"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    inlines = [RoleAssignmentInline]
