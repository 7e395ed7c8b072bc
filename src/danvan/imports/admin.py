"""Imports in the admin: read-only; files are uploaded, applied and rolled back through the
import pages and API, which check them and the person's scope."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from danvan.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline
from danvan.imports.models import ImportBatch, ImportIssue


class ImportIssueInline(ReadOnlyTabularInline):
    model = ImportIssue
    fields = ["row", "column", "severity", "said"]
    readonly_fields = ["said"]

    @admin.display(description=_("message"))
    def said(self, issue: ImportIssue) -> str:
        """The message in the reader's language."""
        return issue.text()


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "original_name", "status", "total_rows", "requested_by"]
    list_filter = ["kind", "status"]
    search_fields = ["original_name", "requested_by__username"]
    exclude = ["file"]
    readonly_fields = ["uploaded_file"]
    inlines = [ImportIssueInline]

    @admin.display(description=_("file"))
    def uploaded_file(self, batch: ImportBatch) -> str:
        """Link to the checked download, never to the storage path."""
        if not batch.file:
            return "—"
        url = reverse("imports:file", args=[batch.pk])
        return format_html('<a href="{}">{}</a>', url, batch.original_name or batch.pk)
