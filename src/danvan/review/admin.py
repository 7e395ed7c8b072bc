"""Admin for rounds, criteria, evaluations and awards; the workflow trail is read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from danvan.review.models import (
    Award,
    AwardForm,
    AwardTitle,
    CriteriaSet,
    Criterion,
    Evaluation,
    EvaluationScore,
    GradeThreshold,
    RegistrationRound,
    StatusChange,
)


@admin.register(RegistrationRound)
class RegistrationRoundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "area", "theme", "opens_on", "closes_on", "cutoff_on"]
    list_filter = ["year"]
    search_fields = ["theme", "area__name_folded"]
    autocomplete_fields = ["area"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class GradeThresholdInline(admin.TabularInline):
    model = GradeThreshold
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "round"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]
    inlines = [CriterionInline, GradeThresholdInline]


class EvaluationScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0
    readonly_fields = ["criterion", "score"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "criteria_set", "total", "grade", "reviewer", "created_at"]
    list_filter = ["grade", "criteria_set"]
    search_fields = ["initiative__code", "initiative__title_folded"]
    list_select_related = ["initiative", "criteria_set", "reviewer"]
    readonly_fields = ["initiative", "criteria_set", "reviewer", "total", "grade"]
    inlines = [EvaluationScoreInline]


@admin.register(AwardTitle)
class AwardTitleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "name_ar"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(AwardForm)
class AwardFormAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "name_ar"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = [
        "initiative",
        "title",
        "form",
        "level",
        "stage",
        "decision_number",
        "decision_date",
        "issuing_body",
    ]
    list_filter = ["level", "stage", "title", "form"]
    search_fields = ["initiative__code", "initiative__title_folded", "decision_number"]
    list_select_related = ["initiative", "title", "form"]
    autocomplete_fields = ["initiative"]
    date_hierarchy = "decision_date"


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["initiative", "from_status", "to_status", "actor", "at", "reason"]
    list_filter = ["to_status", "transition"]
    search_fields = ["initiative__code", "reason"]
    list_select_related = ["initiative", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
