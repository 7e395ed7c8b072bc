"""Initiatives ("mô hình") and what they mobilised and achieved."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from danvan.areas.models import Area
from danvan.core.history import AuditedHistory
from danvan.core.text import fold
from danvan.initiatives.catalogues import (
    REGISTERED_STATUSES,
    Aggregation,
    ContributionKind,
    ContributorType,
    EvidenceKind,
    Field,
    RegistrationKind,
    Status,
    Unit,
)
from danvan.orgs.models import Organisation

FIRST_YEAR = 2000
LAST_YEAR = 2100


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InitiativeQuerySet(models.QuerySet):
    def exemplary(self) -> "InitiativeQuerySet":
        return self.filter(exemplary=True)

    def public(self) -> "InitiativeQuerySet":
        """Initiatives anyone may see: exemplary ones the commission registered. A draft or a
        returned registration never reaches the public, whatever its flags say."""
        return self.filter(exemplary=True, status__in=REGISTERED_STATUSES)

    def replicated(self) -> "InitiativeQuerySet":
        return self.filter(replicated_from__isnull=False)

    def built(self) -> "InitiativeQuerySet":
        """Initiatives built where they are, not copied from elsewhere."""
        return self.filter(replicated_from__isnull=True)

    def search(self, text: str) -> "InitiativeQuerySet":
        """Match the title or code, ignoring case and diacritics."""
        folded = fold(text)
        return self.filter(Q(title_folded__contains=folded) | Q(code__iexact=text.strip()))


class Initiative(models.Model):
    """A registered model of skilled mass mobilization."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    field = models.CharField(_("field"), max_length=32, choices=Field.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("registering organisation"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    co_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-organisations"),
        blank=True,
        related_name="joint_initiatives",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="initiatives"
    )
    year = models.PositiveSmallIntegerField(
        _("year registered"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    registration_kind = models.CharField(
        _("registration kind"),
        max_length=16,
        choices=RegistrationKind.choices,
        default=RegistrationKind.NEW,
    )
    continued_from = models.ForeignKey(
        "self",
        verbose_name=_("continued from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continuations",
    )
    round = models.ForeignKey(
        "review.RegistrationRound",
        verbose_name=_("registration round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    exemplary = models.BooleanField(_("exemplary"), default=False)
    replicated_from = models.ForeignKey(
        "self",
        verbose_name=_("replicated from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replications",
    )
    people_in_charge = models.CharField(_("people in charge"), max_length=500, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The history is read by record (``id``), by import (its change reason) and by date;
    # the copies of the record's own indexes were never read there and made every history row
    # of an import cost fourteen index insertions instead of five.
    history = AuditedHistory(
        m2m_fields=[tags, co_organisations],
        no_db_index=[
            "code",
            "title_folded",
            "organisation",
            "area",
            "round",
            "continued_from",
            "replicated_from",
        ],
    )

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_dates_ordered",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(registration_kind=RegistrationKind.NEW, continued_from__isnull=True)
                | Q(registration_kind=RegistrationKind.CONTINUED, continued_from__isnull=False),
                name="initiative_continued_has_link",
                violation_error_message=_(
                    "A continued initiative must link to the one it continues, and only it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(replicated_from=models.F("id")),
                name="initiative_not_replica_of_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "field"]),
            models.Index(fields=["exemplary"]),
            # Lists open in their default order (newest year, then code): the first page is
            # read from the top of this index instead of sorting a whole province.
            models.Index(fields=["-year", "code"], name="initiative_list_order"),
            # Counts by status in a scope (the review queue's badges, the dashboard's
            # registering units) are read from this index alone, without the table's rows.
            models.Index(
                fields=["status", "year", "area", "organisation"], name="initiative_status_scope"
            ),
            # A status of every year in a scope (the review queue's submissions: their count
            # and the units and organisations its filters offer) walks each unit's entries
            # here, instead of the country's entries of that status in the index above.
            models.Index(fields=["status", "area", "organisation"], name="initiative_status_unit"),
            # The review queue: submissions oldest first.
            models.Index(fields=["status", "updated_at", "code"], name="initiative_queue_order"),
            # The public showcase (``public()``): exemplary registered initiatives, in its
            # order. The condition is the showcase's own, so its count reads this index alone
            # (one wider, past draft only, left it reading 20,000 rows: 66 ms at full scale).
            models.Index(
                fields=["-year", "title_folded", "code"],
                name="initiative_showcase_public",
                condition=Q(exemplary=True, status__in=REGISTERED_STATUSES),
                include=["area"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)


class Contribution(models.Model):
    """One entry in the ledger of what residents contributed.

    Entries are never edited: a correction is a new entry carrying the difference and pointing
    at the entry it corrects, so the ledger sums to the corrected total and keeps its history.
    """

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ContributionKind.choices)
    # Decimal for land (350,5 m²) and labour (half days); money and in-kind value are whole
    # đồng, which the services check (VND has no smaller unit).
    amount = models.DecimalField(
        _("amount"),
        max_digits=18,
        decimal_places=2,
        help_text=_("VND for money and in-kind value; m² for land; person-days for labour."),
    )
    description = models.CharField(_("description"), max_length=500, blank=True)
    contributor_type = models.CharField(
        _("contributed by"), max_length=16, choices=ContributorType.choices
    )
    contributors = models.IntegerField(_("number of contributors"), default=0)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Read by record, by initiative (the timeline) and by import; not by correction or author.
    history = AuditedHistory(no_db_index=["corrects", "created_by"])

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=False) | (Q(amount__gte=0) & Q(contributors__gte=0)),
                name="contribution_original_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]
        indexes = [models.Index(fields=["initiative", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class Indicator(models.Model):
    """A measured outcome (km of canal, % of residents…) with its unit and aggregation rule."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    aggregation = models.CharField(
        _("aggregation rule"), max_length=16, choices=Aggregation.choices
    )
    history = AuditedHistory()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit=Unit.PERCENT) | ~Q(aggregation=Aggregation.SUM),
                name="indicator_percent_not_summed",
                violation_error_message=_("Percentages cannot be summed."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, Vietnamese when there is none."""
        language = (get_language() or "vi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_vi


class Result(models.Model):
    """A measured outcome of an initiative over a period, with an optional target."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="results"
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    target = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Read by record, by initiative (the timeline) and by import; not by indicator.
    history = AuditedHistory(no_db_index=["indicator"])

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["period_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="result_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["initiative", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.initiative.year}/{instance.initiative.code}/{filename}"


class Evidence(models.Model):
    """A file attached to an initiative: a photo, minutes of a meeting, a decision."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    # Its own word: "title" alone is the initiative's ("Tên mô hình" in Vietnamese).
    title = models.CharField(pgettext_lazy("evidence", "caption"), max_length=255)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = AuditedHistory()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One step of an initiative through the workflow, with who took it and why."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    transition = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        # The table keeps the name it was created with, when the workflow lived in ``review``.
        db_table = "review_statuschange"
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_status} → {self.to_status}"
