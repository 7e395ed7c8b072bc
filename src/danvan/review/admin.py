"""Admin for rounds, criteria, evaluations, awards and the workflow trail: read-only; the review
services open rounds, score, recognise and move initiatives, with the reviewer's scope."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from danvan.core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin, ReadOnlyTabularInline
from danvan.initiatives.models import StatusChange
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
)


@admin.register(RegistrationRound)
class RegistrationRoundAdmin(ReadOnlyHistoryAdmin):
    list_display = ["year", "area", "theme", "opens_on", "closes_on", "cutoff_on"]
    list_filter = ["year"]
    search_fields = ["theme", "area__name_folded"]


class CriterionInline(ReadOnlyTabularInline):
    model = Criterion


class GradeThresholdInline(ReadOnlyTabularInline):
    model = GradeThreshold


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "area", "round"]
    search_fields = ["name"]
    inlines = [CriterionInline, GradeThresholdInline]


class EvaluationScoreInline(ReadOnlyTabularInline):
    model = EvaluationScore
    fields = ["criterion", "score"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "initiative",
        "criteria_set",
        "total",
        "grade",
        "archived",
        "reviewer",
        "created_at",
    ]
    list_filter = ["archived", "grade", "criteria_set"]
    search_fields = ["initiative__code", "initiative__title_folded"]
    list_select_related = ["initiative", "criteria_set", "reviewer"]
    inlines = [EvaluationScoreInline]


@admin.register(AwardTitle)
class AwardTitleAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "name_ar"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(AwardForm)
class AwardFormAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name_vi", "name_en", "name_ar"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Award)
class AwardAdmin(ReadOnlyHistoryAdmin):
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
    exclude = ["decision_file"]
    readonly_fields = ["decision"]
    date_hierarchy = "decision_date"

    @admin.display(description=_("decision file"))
    def decision(self, award: Award) -> str:
        """Link to the checked download, never to the storage path."""
        if not award.decision_file:
            return "—"
        url = reverse("review:award_decision", args=[award.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "from_status", "to_status", "actor", "at", "reason"]
    list_filter = ["to_status", "transition"]
    search_fields = ["initiative__code", "reason"]
    list_select_related = ["initiative", "actor"]
