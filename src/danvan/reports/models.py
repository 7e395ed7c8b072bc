"""A report someone asked for, and the file it produced once the worker built it.

The row is the request and its outcome at once: the page and the API poll its status and
progress, and download the file when it is done. Building happens in a background task
(``tasks.build_report``), never in the request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.areas.models import Area
from danvan.reports import official_form
from danvan.stats.models import Mode

# The movement's first year: "since 2013 the province has built and replicated…".
MOVEMENT_START = 2013


class ReportKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic report")
    INITIATIVES = "initiatives", _("List of initiatives")
    CONTRIBUTIONS = "contributions", _("Contribution ledger")


EXPORT_KINDS = frozenset({ReportKind.INITIATIVES, ReportKind.CONTRIBUTIONS})


class PeriodKind(models.TextChoices):
    SIX_MONTHS = "six_months", _("Six months")
    NINE_MONTHS = "nine_months", _("Nine months")
    ANNUAL = "annual", _("Annual")
    CUSTOM = "custom", _("Custom period")


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word (DOCX)")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", _("CSV")


# Which formats each kind can be written in: a report with a narrative and several tables
# does not fit one CSV; a list has no narrative for a Word or PDF document.
FORMATS_OF = {
    ReportKind.PERIODIC: (ReportFormat.DOCX, ReportFormat.PDF, ReportFormat.XLSX),
    ReportKind.INITIATIVES: (ReportFormat.CSV, ReportFormat.XLSX),
    ReportKind.CONTRIBUTIONS: (ReportFormat.CSV, ReportFormat.XLSX),
}


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def report_upload_to(instance: "Report", filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class Report(models.Model):
    """A periodic report or a list export: what was asked, by whom, and how building it went."""

    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the whole country."),
    )
    mode = models.CharField(
        _("boundaries"), max_length=8, choices=Mode.choices, default=Mode.AS_WAS
    )
    # Whether the person picked the mode; when not, the request stored the one that answers
    # the question (``danvan.stats.lineage.default_mode``) and the report says it was chosen
    # for them.
    mode_chosen = models.BooleanField(_("boundaries chosen by the requester"), default=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    period_kind = models.CharField(
        _("period"), max_length=16, choices=PeriodKind.choices, blank=True
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    cutoff = models.DateField(
        _("cut-off"), null=True, blank=True, help_text=_("Figures are counted up to this day.")
    )
    since = models.PositiveSmallIntegerField(
        _("cumulative since"), default=MOVEMENT_START, help_text=_("First year of the totals.")
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The document's number and date: empty leaves them blank on the form for the clerk.
    number = models.CharField(_("document number"), max_length=20, blank=True)
    issued_on = models.DateField(_("document date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(cutoff__isnull=True)
                | Q(cutoff__gte=models.F("period_start")),
                name="report_period_ordered",
                violation_error_message=_("The cut-off cannot be before the period starts."),
            ),
        ]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_export(self) -> bool:
        return self.kind in EXPORT_KINDS

    @property
    def is_ready(self) -> bool:
        """Whether the file is built: the one test of every page, endpoint and command that
        offers or hands out a report's file."""
        return self.status == ReportStatus.DONE and bool(self.file)


class MoneyStyle(models.TextChoices):
    """How the narrative writes a sum of money, as the unit's published reports do."""

    MILLIONS = "millions", _("In millions: 48.026,7 triệu đồng")
    BILLIONS = "billions", _("In billions and millions: 48 tỷ 26,7 triệu đồng")


def template_upload_to(instance: "DocumentSettings", filename: str) -> str:
    return f"report-templates/{instance.area_id or 'national'}/{filename}"


class DocumentSettings(models.Model):
    """How a unit's documents are headed and signed, set once by its administrators: the
    issuing body's lines, the document symbol, the place, the signatory, the recipients, Party
    or State form, how money is written, and optionally its own Word template.

    One row per unit (none for the country as a whole: ``area`` empty). A report of a unit
    without a row gets a header built from the unit's name, to be completed by hand.
    """

    area = models.OneToOneField(
        Area,
        verbose_name=pgettext_lazy("administrative unit", "unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    form = models.CharField(
        _("form"),
        max_length=8,
        choices=official_form.FormKind.choices,
        default=official_form.FormKind.PARTY,
    )
    issuer_lines = models.TextField(
        _("issuing body"),
        help_text=_(
            "One line each, the body it belongs to first and the issuing body last, e.g. "
            "“TỈNH ỦY QUẢNG NINH” then “BAN DÂN VẬN”."
        ),
    )
    symbol = models.CharField(
        _("document symbol"),
        max_length=40,
        help_text=_("After the number: “BC/BDVTU” (Party form) or “BC-UBND” (State form)."),
    )
    place = models.CharField(
        _("place"), max_length=80, help_text=_("Written before the date: “Quảng Ninh”.")
    )
    authority = models.CharField(
        _("signing authority"),
        max_length=120,
        blank=True,
        help_text=_("“T/M BAN DÂN VẬN”, “K/T TRƯỞNG BAN”; empty when the head signs alone."),
    )
    position = models.CharField(_("position of the signatory"), max_length=120)
    signatory = models.CharField(_("name of the signatory"), max_length=120, blank=True)
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("One per line, e.g. “Ban Dân vận Trung ương”.")
    )
    money_style = models.CharField(
        _("money in the narrative"),
        max_length=10,
        choices=MoneyStyle.choices,
        default=MoneyStyle.MILLIONS,
    )
    template = models.FileField(
        _("Word template"),
        upload_to=template_upload_to,
        max_length=255,
        blank=True,
        help_text=_("A .docx with placeholders; empty for the built-in form."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(area__isnull=True),
                name="document_settings_one_national",
            )
        ]

    def __str__(self) -> str:
        return str(self.area) if self.area else str(_("the whole country"))

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]
