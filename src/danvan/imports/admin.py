from django.contrib import admin

from danvan.imports.models import ImportBatch, ImportIssue


class ImportIssueInline(admin.TabularInline):
    model = ImportIssue
    extra = 0
    can_delete = False
    readonly_fields = ["row", "column", "severity", "message"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "original_name", "status", "total_rows", "requested_by"]
    list_filter = ["kind", "status"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]
    inlines = [ImportIssueInline]

    def has_add_permission(self, request) -> bool:
        return False  # imports are uploaded through the page or the API, which check them
