"""Admin for initiatives, their ledger, results and evidence.

Contributions are shown read-only: the ledger is append-only, and corrections are new entries.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from danvan.core.models import next_code
from danvan.core.text import fold
from danvan.initiatives.models import (
    Contribution,
    Evidence,
    Indicator,
    Initiative,
    Result,
    Tag,
)
from danvan.initiatives.services import CODE_PREFIX


class ContributionInline(admin.TabularInline):
    model = Contribution
    fk_name = "initiative"
    extra = 0
    fields = ["date", "kind", "amount", "contributor_type", "contributors", "description"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ResultInline(admin.TabularInline):
    model = Result
    extra = 0
    autocomplete_fields = ["indicator"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "title", "file", "content_type", "size"]
    readonly_fields = ["content_type", "size"]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "title",
        "field",
        "year",
        "status",
        "organisation",
        "area",
        "exemplary",
    ]
    list_filter = [
        "year",
        "field",
        "status",
        "registration_kind",
        "exemplary",
        "organisation__kind",
    ]
    search_fields = ["code", "title_folded", "organisation__name_folded", "area__name_folded"]
    list_select_related = ["organisation", "area"]
    autocomplete_fields = [
        "organisation",
        "co_organisations",
        "area",
        "continued_from",
        "replicated_from",
        "tags",
    ]
    readonly_fields = ["code", "version", "created_at", "updated_at"]
    inlines = [ContributionInline, ResultInline, EvidenceInline]
    date_hierarchy = "start_date"
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        if not obj.code:
            obj.code = next_code(f"{CODE_PREFIX}-{obj.year}")
        super().save_model(request, obj, form, change)


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "date", "kind", "amount", "contributor_type", "contributors"]
    list_filter = ["kind", "contributor_type", "date"]
    search_fields = ["initiative__code", "initiative__title_folded", "description"]
    list_select_related = ["initiative"]
    readonly_fields = [
        "initiative",
        "date",
        "kind",
        "amount",
        "description",
        "contributor_type",
        "contributors",
        "corrects",
        "created_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "unit", "aggregation"]
    list_filter = ["unit", "aggregation"]
    search_fields = ["code", "name_vi", "name_en", "name_ar"]


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "indicator", "value", "target", "period_end"]
    list_filter = ["indicator"]
    search_fields = ["initiative__code", "initiative__title_folded"]
    list_select_related = ["initiative", "indicator"]
    autocomplete_fields = ["initiative", "indicator"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "initiative", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "initiative__code"]
    list_select_related = ["initiative"]
    readonly_fields = ["content_type", "size", "uploaded_by"]
    autocomplete_fields = ["initiative"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
