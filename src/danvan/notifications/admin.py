"""Admin for the inbox and e-mail preferences: read-only; each person sets their own."""

from django.contrib import admin

from danvan.core.admin import ReadOnlyAdmin
from danvan.notifications.models import EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "message", "created_at", "read_at", "emailed"]
    list_filter = ["kind", "emailed"]
    search_fields = ["recipient__username", "message"]
    list_select_related = ["recipient"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__username"]
