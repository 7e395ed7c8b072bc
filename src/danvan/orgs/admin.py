"""Admin for registering organisations."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from danvan.core.text import fold
from danvan.orgs.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "seat_area", "valid_from", "valid_to"]
    list_filter = ["kind", "seat_area__scheme"]
    search_fields = ["code", "name_folded", "seat_area__name_folded"]
    list_select_related = ["seat_area"]
    autocomplete_fields = ["seat_area", "parent", "successor"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))
