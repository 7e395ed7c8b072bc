"""Admin for the administrative tree: search by name ignoring diacritics, filter by list.

Read-only: a unit's parent and successions change through the area services, which keep the
materialised path of the unit and of everything under it true."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from danvan.areas.models import Area, AreaSuccession
from danvan.core.admin import ReadOnlyHistoryAdmin, ReadOnlyTabularInline
from danvan.core.text import fold


class SuccessionOutInline(ReadOnlyTabularInline):
    model = AreaSuccession
    fk_name = "predecessor"
    verbose_name = _("successor")
    verbose_name_plural = _("successors")


class SuccessionInInline(ReadOnlyTabularInline):
    model = AreaSuccession
    fk_name = "successor"
    verbose_name = _("predecessor")
    verbose_name_plural = _("predecessors")


@admin.register(Area)
class AreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "code", "scheme", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["scheme", "level", "kind"]
    search_fields = ["code", "name_folded"]
    list_select_related = ["parent"]
    inlines = [SuccessionOutInline, SuccessionInInline]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["predecessor", "successor", "kind", "date", "share", "is_default"]
    list_filter = ["kind", "date", "is_default"]
    search_fields = ["predecessor__name_folded", "successor__name_folded", "predecessor__code"]
    list_select_related = ["predecessor", "successor"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))
