"""Admin for registering organisations: read-only; the organisation services write them."""

from django.contrib import admin

from danvan.core.admin import ReadOnlyHistoryAdmin
from danvan.core.text import fold
from danvan.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "code", "kind", "seat_area", "valid_from", "valid_to"]
    list_filter = ["kind", "seat_area__scheme"]
    search_fields = ["code", "name_folded", "seat_area__name_folded"]
    list_select_related = ["seat_area"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))
