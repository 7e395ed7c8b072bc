"""Reports in the admin: read-only, for operators looking into a failed build."""

from django.contrib import admin

from danvan.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "area",
        "year",
        "format",
        "language",
        "status",
        "progress",
        "requested_by",
        "created_at",
    ]
    list_filter = ["kind", "status", "format", "language"]
    search_fields = ["requested_by__username", "area__name"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        """Delete the stored file with its row, so no orphan file stays in MEDIA_ROOT."""
        if obj.file:
            obj.file.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            if report.file:
                report.file.delete(save=False)
        super().delete_queryset(request, queryset)
