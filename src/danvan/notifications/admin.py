"""Admin for the inbox and e-mail preferences."""

from django.contrib import admin

from danvan.notifications.models import EmailPreference, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "message", "created_at", "read_at", "emailed"]
    list_filter = ["kind", "emailed"]
    search_fields = ["recipient__username", "message"]
    list_select_related = ["recipient"]
    readonly_fields = ["recipient", "kind", "message", "initiative", "created_at", "emailed"]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__username"]
