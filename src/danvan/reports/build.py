"""Building a report: what the worker does with a queued ``Report``.

The row moves queued → running → done or failed, with its progress written at each step so a
page polling it sees the work move. The file is rendered in memory and stored only once whole;
if anything fails, no file is left and the row says so in the requester's language.
"""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from danvan.reports.exporters import export_document
from danvan.reports.figures import periodic_figures
from danvan.reports.letterheads import report_letterhead, settings_of
from danvan.reports.models import Report, ReportKind, ReportStatus
from danvan.reports.periodic import periodic_document
from danvan.reports.renderers import renderer_for
from danvan.reports.word_templates import figure_values

logger = logging.getLogger(__name__)


def failure_message(language: str) -> str:
    with translation.override(language):
        return _(
            "The report could not be built. Try again; if it fails again, tell your administrator."
        )


def _set_progress(report_id: int, percent: int) -> None:
    Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=max(0, min(99, percent))
    )


def filename_of(report: Report, extension: str) -> str:
    if report.kind == ReportKind.PERIODIC:
        where = report.area.name if report.area else "viet-nam"
        stem = f"{report.period_kind}-{report.year}-{where}"
    else:
        stem = f"{report.kind}-{timezone.localdate():%Y%m%d}"
    return f"{slugify(stem) or 'report'}-{report.pk}.{extension}"


def document_of(report: Report, progress):
    """Gather the figures of ``report`` and lay them out as a document in its language."""
    if report.kind == ReportKind.PERIODIC:
        # The figures carry sentences of their own (why a unit's years are read as they are,
        # the row of figures no unit below takes): they are written in the report's language,
        # not the worker's.
        with translation.override(report.language):
            figures = periodic_figures(
                area=report.area,
                mode=report.mode,
                year=report.year,
                start=report.period_start,
                cutoff=report.cutoff,
                since=report.since,
                chosen=report.mode_chosen,
                progress=progress,
            )
        progress(65)
        settings = settings_of(report.area)
        document = periodic_document(
            figures,
            language=report.language,
            period_kind=report.period_kind,
            money_style=settings.money_style,
        )
        document.letterhead = report_letterhead(report, settings, document.title)
        document.figures = figure_values(figures, report.language, settings.money_style)
        if settings.template:
            document.word_template = settings.template
        return document
    return export_document(report, progress=progress)


def run_report(report_id: int) -> str:
    """Build report ``report_id`` if it is still queued; return its final status."""
    claimed = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, progress=5, started_at=timezone.now(), message=""
    )
    if not claimed:
        report = Report.objects.filter(pk=report_id).only("status").first()
        return report.status if report else "missing"
    report = Report.objects.select_related("area", "requested_by").get(pk=report_id)
    stored = None
    try:
        progress = lambda percent: _set_progress(report_id, percent)  # noqa: E731
        document = document_of(report, progress)
        progress(75)
        renderer = renderer_for(report.format)
        with translation.override(report.language):
            content = renderer.render(document)
        progress(90)
        name = filename_of(report, renderer.extension)
        stored = report.file.storage.save(
            report.file.field.generate_filename(report, name), ContentFile(content)
        )
        done = Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
            status=ReportStatus.DONE, progress=100, file=stored, finished_at=timezone.now()
        )
        if not done:  # deleted or swept as stale meanwhile: keep no orphan file
            report.file.storage.delete(stored)
            return ReportStatus.FAILED
        return ReportStatus.DONE
    except Exception:
        logger.exception("Report %s could not be built", report_id)
        if stored:
            report.file.storage.delete(stored)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            file="",
            message=failure_message(report.language),
            finished_at=timezone.now(),
        )
        return ReportStatus.FAILED
