"""Reports in the admin: read-only, for operators looking into a failed build. Reports are
asked for, built and swept by the report services."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from danvan.core.admin import ReadOnlyAdmin
from danvan.reports.models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
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
    list_select_related = ["area", "requested_by"]
    date_hierarchy = "created_at"
    exclude = ["file"]
    readonly_fields = ["built_file"]

    @admin.display(description=_("file"))
    def built_file(self, report: Report) -> str:
        """Link to the checked download, never to the storage path."""
        if not report.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:download", args=[report.pk]), _("Download")
        )
