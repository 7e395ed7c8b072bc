"""An uploaded spreadsheet, what checking it found, and what applying it did."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.imports.translated import say


class ImportKind(models.TextChoices):
    INITIATIVES = "initiatives", _("Initiatives")
    CONTRIBUTIONS = "contributions", _("Contributions")
    RESULTS = "results", _("Results")
    ORGANISATIONS = "organisations", _("Organisations")
    VILLAGES = "villages", _("Villages and residential groups")
    USERS = "users", _("People")
    WORD_REPORTS = "word_reports", _("Word report (models and figures)")


# The kinds read from a spreadsheet, each with its template; a Word report has its own pages.
SPREADSHEET_KINDS = [(kind.value, kind.label) for kind in ImportKind if kind != "word_reports"]


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, waiting to be checked")
    VALIDATING = "validating", _("Being checked")
    VALIDATED = "validated", _("Checked, ready to apply")
    FAILED = "failed", _("Has errors")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")
    ROLLING_BACK = "rolling_back", _("Being rolled back")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


def batch_upload_to(instance: "ImportBatch", filename: str) -> str:
    return f"imports/{instance.kind}/{filename}"


class ImportBatch(models.Model):
    """One uploaded file, checked in a dry run before anything is written.

    Applying it writes every row in one transaction, through the same services as the forms;
    each history row it leaves names the batch (``import #<id>``), which is how a rollback finds
    what to undo.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=batch_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=8, blank=True)
    language = models.CharField(_("language of the headers"), max_length=8, blank=True)
    ui_language = models.CharField(_("language of the messages"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    creates = models.PositiveIntegerField(_("to create"), default=0)
    updates = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    warning_count = models.PositiveIntegerField(_("warnings"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rolled back by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.original_name}"

    @property
    def cause(self) -> str:
        """The change reason every history row written by this batch carries."""
        return f"import #{self.pk}"

    @property
    def rows_done(self) -> int:
        """Rows processed in the current step; an apply or a rollback reports them through the
        cache, as its transaction hides the saved count until it ends."""
        if self.status in {BatchStatus.APPLYING, BatchStatus.ROLLING_BACK}:
            from danvan.imports.progress import rows_recorded

            if self.status == BatchStatus.ROLLING_BACK:  # the saved count is the apply's
                return rows_recorded(self.pk)
            return max(self.processed_rows, rows_recorded(self.pk))
        return self.processed_rows

    @property
    def progress(self) -> int:
        """Percent of the rows processed in the current step."""
        if self.status in {BatchStatus.VALIDATED, BatchStatus.APPLIED, BatchStatus.FAILED}:
            return 100
        # A rollback undoes the records the apply created or changed, not the file's rows.
        total = (
            self.creates + self.updates
            if self.status == BatchStatus.ROLLING_BACK
            else self.total_rows
        )
        if not total:
            return 0
        return min(100, self.rows_done * 100 // total)


class ImportIssue(models.Model):
    """An error or a warning about one cell, one row, or (``row`` empty) the whole file."""

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("import"), on_delete=models.CASCADE, related_name="issues"
    )
    row = models.PositiveIntegerField(_("row"), null=True, blank=True)
    column = models.CharField(_("column"), max_length=64, blank=True)
    # Where the file holds it ("H3"), so the page can name the sheet's own header and cell in
    # the language of whoever reads it; empty for a column the file does not have.
    cell = models.CharField(_("cell"), max_length=16, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    # As it was written, in the language of whoever ran the step that found it.
    message = models.TextField(_("message"))
    # The same message in each of the site's languages ({"vi": …, "en": …, "ar": …}), so each
    # reader reads it in theirs; empty for a message no catalogue knows (and for problems
    # recorded before messages were kept in every language).
    texts = models.JSONField(_("message in each language"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import issue")
        verbose_name_plural = _("import issues")
        ordering = ["batch", "row", "id"]
        indexes = [models.Index(fields=["batch", "severity", "row"])]

    def __str__(self) -> str:
        return f"{self.row or '-'} {self.column}: {self.text()}"

    @classmethod
    def found(cls, *, message, params=None, **fields) -> "ImportIssue":
        """A new (unsaved) issue saying ``message`` — text, lazy text or one
        ``ValidationError`` — in the active language and in every language it can be said in."""
        said = say(message, params)
        return cls(message=said.text, texts=said.texts, **fields)

    def text(self, language: str | None = None) -> str:
        """The message in ``language`` (the active one when not given), or as it was written
        when it is not known in that language."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        texts = self.texts or {}
        return texts.get(language) or texts.get(language.split("-")[0]) or self.message


class ItemRecord(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    CONTRIBUTION = "contribution", _("Contribution")
    RESULT = "result", _("Result")


class ItemDecision(models.TextChoices):
    PENDING = "pending", _("To check")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class ReportItem(models.Model):
    """One row read from a Word report, waiting for a person to confirm, correct or reject it.

    ``values`` holds what the reader suggests (and the person's corrections); ``evidence`` is
    the sentence or the table row it was read from, shown beside it. Only confirmed items are
    applied (``danvan.imports.word_reports.services``).
    """

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("import"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("position"))
    record = models.CharField(_("record"), max_length=16, choices=ItemRecord.choices)
    values = models.JSONField(_("values"), default=dict)
    evidence = models.TextField(_("evidence"), blank=True)
    source = models.CharField(_("source"), max_length=64, blank=True)
    unsure = models.BooleanField(_("unsure"), default=False)
    decision = models.CharField(
        pgettext_lazy("report item", "decision"),
        max_length=16,
        choices=ItemDecision.choices,
        default=ItemDecision.PENDING,
    )

    class Meta:
        verbose_name = _("report item")
        verbose_name_plural = _("report items")
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="report_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.position} {self.record}"
