"""The Django admin as a lookup tool: lists, search, filters and read-only pages, no writes.

Every write to the register goes through a service, which checks the actor's permission and
scope, keeps the statistics rollups fresh, attributes the history row to its author and keeps
the areas' materialised paths true. A form that saves a model directly skips all of that, so the
admin only reads: no add, no change, no delete, no bulk action, no revert to an old version.
People, initiatives and the rest are changed through the product's pages and API.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdminMixin:
    """Refuse every write the admin offers for a model or an inline."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request) -> dict:
        """No bulk action: the built-in "delete selected" deletes past the services."""
        return {}


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A model the admin lists and shows, and never writes."""


class ReadOnlyHistoryAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """A read-only model whose history the admin shows.

    The history pages show old versions; posting one would save it back (a revert) without the
    services, so only reading them is allowed.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Related rows shown on the parent's page, read-only."""

    extra = 0
    can_delete = False
