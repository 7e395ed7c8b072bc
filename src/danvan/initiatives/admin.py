"""Admin for initiatives, their ledger, results and evidence: read-only.

Status moves through the lifecycle services, figures through the ledger and result services
(which keep the statistics rollups fresh), files through the evidence services; the admin only
finds and shows. Files link to the checked download, which verifies the person's scope.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from danvan.core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyTabularInline
from danvan.core.text import fold
from danvan.initiatives.models import (
    Contribution,
    Evidence,
    Indicator,
    Initiative,
    Result,
    Tag,
)


def _evidence_link(evidence: Evidence) -> str:
    if not evidence.file:
        return "—"
    url = reverse("initiatives:evidence-file", args=[evidence.initiative_id, evidence.pk])
    return format_html('<a href="{}">{}</a>', url, evidence.title or evidence.pk)


class ContributionInline(ReadOnlyTabularInline):
    model = Contribution
    fk_name = "initiative"
    fields = ["date", "kind", "amount", "contributor_type", "contributors", "description"]
    show_change_link = True


class ResultInline(ReadOnlyTabularInline):
    model = Result
    fields = ["indicator", "value", "target", "period_start", "period_end"]


class EvidenceInline(ReadOnlyTabularInline):
    model = Evidence
    fields = ["kind", "title", "download", "content_type", "size"]
    readonly_fields = ["download", "content_type", "size"]

    @admin.display(description=_("file"))
    def download(self, evidence: Evidence) -> str:
        return _evidence_link(evidence)


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyHistoryAdmin):
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
    inlines = [ContributionInline, ResultInline, EvidenceInline]
    date_hierarchy = "start_date"
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["initiative", "date", "kind", "amount", "contributor_type", "contributors"]
    list_filter = ["kind", "contributor_type", "date"]
    search_fields = ["initiative__code", "initiative__title_folded", "description"]
    list_select_related = ["initiative"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "unit", "aggregation"]
    list_filter = ["unit", "aggregation"]
    search_fields = ["code", "name_vi", "name_en", "name_ar"]


@admin.register(Result)
class ResultAdmin(ReadOnlyHistoryAdmin):
    list_display = ["initiative", "indicator", "value", "target", "period_end"]
    list_filter = ["indicator"]
    search_fields = ["initiative__code", "initiative__title_folded"]
    list_select_related = ["initiative", "indicator"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "initiative", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["title", "initiative__code"]
    list_select_related = ["initiative"]
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description=_("file"))
    def download(self, evidence: Evidence) -> str:
        return _evidence_link(evidence)


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    search_fields = ["name"]
