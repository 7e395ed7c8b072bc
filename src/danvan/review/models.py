"""Registration rounds, the workflow's trail, evaluation and recognition."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from danvan.areas.models import Area
from danvan.core.history import AuditedHistory
from danvan.initiatives.models import Initiative


class RegistrationRound(models.Model):
    """A year's call for registrations, in a province (or nationally when no area is set)."""

    year = models.PositiveSmallIntegerField(_("year"))
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    cutoff_on = models.DateField(
        _("statistics cut-off"), help_text=_("Figures are counted up to this day.")
    )
    history = AuditedHistory()

    class Meta:
        verbose_name = _("registration round")
        verbose_name_plural = _("registration rounds")
        ordering = ["-year", "area__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
                violation_error_message=_("A round cannot close before it opens."),
            ),
            models.UniqueConstraint(fields=["year", "area"], name="round_unique_per_area_year"),
        ]

    def __str__(self) -> str:
        where = f" – {self.area}" if self.area_id else ""
        return f"{self.year}{where}"


class CriteriaSet(models.Model):
    """The criteria a province scores initiatives against in a round."""

    name = models.CharField(_("name"), max_length=255)
    area = models.ForeignKey(
        Area, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT
    )
    round = models.ForeignKey(
        RegistrationRound,
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    history = AuditedHistory()

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=255)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(1)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = AuditedHistory()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class GradeThreshold(models.Model):
    """The lowest total (out of 100) that earns a grade, e.g. 90 → "Excellent"."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="thresholds"
    )
    min_total = models.DecimalField(_("minimum total"), max_digits=6, decimal_places=2)
    grade = models.CharField(_("grade"), max_length=100)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("grade threshold")
        verbose_name_plural = _("grade thresholds")
        ordering = ["-min_total"]

    def __str__(self) -> str:
        return f"≥ {self.min_total}: {self.grade}"


class RecognitionLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    DISTRICT = "district", _("District level")
    PROVINCE = "province", _("Province level")
    CENTRAL = "central", _("Central level")


LEVEL_ORDER = [
    RecognitionLevel.COMMUNE,
    RecognitionLevel.DISTRICT,
    RecognitionLevel.PROVINCE,
    RecognitionLevel.CENTRAL,
]


class Evaluation(models.Model):
    """A commission's judgement of an initiative: a reviewer's scores against a criteria set
    (the total and grade computed from them), or, brought in from a commission's archive, the
    grade it gave (and its total when the archive has one) without the scores."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("None for an evaluation from the archive, which has no scores."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(
        _("level"),
        max_length=16,
        blank=True,
        choices=RecognitionLevel.choices,
        help_text=_("The level of the commission that evaluated; blank on older evaluations."),
    )
    total = models.DecimalField(
        _("total (out of 100)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    archived = models.BooleanField(
        _("from the archive"),
        default=False,
        help_text=_(
            "Brought in from a commission's archive: the grade it gave, without the scores."
        ),
    )
    # For an evaluation from the archive: the day the commission gave its grade.
    created_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at"]
        indexes = [
            # The grades per level read each initiative's latest evaluation at a level.
            models.Index(fields=["initiative", "level", "created_at"], name="evaluation_level_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(archived=False, criteria_set__isnull=False, total__isnull=False)
                    | (Q(archived=True) & ~Q(grade=""))
                ),
                name="evaluation_scored_or_archived",
                violation_error_message=_(
                    "An evaluation is scored against a criteria set, or comes from the archive "
                    "with its grade."
                ),
            ),
        ]

    def __str__(self) -> str:
        total = "" if self.total is None else f"{self.total} "
        return f"{self.initiative.code}: {total}{self.grade}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    history = AuditedHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class AwardStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RECOGNISED = "recognised", _("Recognised")
    NOMINATED = "nominated", _("Nominated to the next level")
    COMMENDED = "commended", _("Commended")


class _Named(models.Model):
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "vi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_vi


class AwardTitle(_Named):
    """What is recognised: "Exemplary Skilled Mass Mobilization model", …"""

    code = models.CharField(_("code"), max_length=40, unique=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("award title")
        verbose_name_plural = _("award titles")


class AwardForm(_Named):
    """How it is recognised: certificate of merit of a People's Committee, commendation…"""

    code = models.CharField(_("code"), max_length=40, unique=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("form of award")
        verbose_name_plural = _("forms of award")


class RecipientKind(models.TextChoices):
    """Who an award goes to: the initiative's collective (its registering organisation) or one
    person, counted apart in the reports ("15 tập thể và 7 cá nhân được tặng Bằng khen")."""

    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class RecipientRole(models.TextChoices):
    """What an individual recipient is to the initiative; not necessarily a user."""

    RESIDENT = "resident", _("Resident")
    HOUSEHOLD_HEAD = "household_head", _("Household head")
    OFFICER = "officer", _("Officer")
    OTHER = "other", _("Other")


def decision_upload_to(instance: "Award", filename: str) -> str:
    return f"decisions/{instance.initiative.code}/{filename}"


class Award(models.Model):
    """A recognition of an initiative at a level, from proposal to commendation."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="awards"
    )
    title = models.ForeignKey(
        AwardTitle, verbose_name=pgettext_lazy("award", "title"), on_delete=models.PROTECT
    )
    form = models.ForeignKey(
        AwardForm, verbose_name=_("form of award"), null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(_("level"), max_length=16, choices=RecognitionLevel.choices)
    stage = models.CharField(
        _("stage"), max_length=16, choices=AwardStage.choices, default=AwardStage.PROPOSED
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    decision_file = models.FileField(
        _("decision file"), upload_to=decision_upload_to, blank=True, max_length=255
    )
    recipient_kind = models.CharField(
        _("awarded to"),
        max_length=16,
        choices=RecipientKind.choices,
        default=RecipientKind.COLLECTIVE,
        help_text=_("The initiative's collective (its organisation) or one person."),
    )
    recipient_name = models.CharField(
        _("recipient's full name"),
        max_length=255,
        blank=True,
        help_text=_("Only for an award to a person, in Vietnamese order: family, middle, given."),
    )
    recipient_role = models.CharField(
        _("recipient's role"), max_length=20, choices=RecipientRole.choices, blank=True
    )
    recipient_detail = models.CharField(
        _("recipient's position or address"),
        max_length=255,
        blank=True,
        help_text=_("E.g. “Trưởng thôn 1” or “Tổ dân phố 3, phường Yên Giang”."),
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards_received",
        help_text=_("Only when the person has an account; most recipients have none."),
    )
    nominated_to = models.ForeignKey(
        "self",
        verbose_name=_("nominated as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nominated_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = AuditedHistory()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-decision_date", "-created_at"]
        indexes = [
            # The recognition figures group an initiative's awards by level, stage and kind.
            models.Index(
                fields=["initiative", "level", "stage", "recipient_kind"],
                name="award_recognition_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        recipient_kind=RecipientKind.COLLECTIVE,
                        recipient_name="",
                        recipient_role="",
                        recipient_detail="",
                        recipient_user__isnull=True,
                    )
                    | (
                        Q(recipient_kind=RecipientKind.INDIVIDUAL)
                        & ~Q(recipient_name="")
                        & ~Q(recipient_role="")
                    )
                ),
                name="award_recipient_complete",
                violation_error_message=_(
                    "An award to a person needs the person's name and role; an award to the "
                    "collective names no person."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative.code}: {self.title} ({self.get_level_display()})"

    @property
    def to_individual(self) -> bool:
        return self.recipient_kind == RecipientKind.INDIVIDUAL

    @property
    def recipient(self) -> str:
        """Who receives it: the person's name, or the initiative's organisation."""
        if self.to_individual:
            return self.recipient_name
        return self.initiative.organisation.name
