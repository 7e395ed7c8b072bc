"""Every write to reports: asking for one, and (for the worker) recording how building it went."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import person_of, require_anywhere, require_unit
from danvan.areas.models import Area
from danvan.core.jobs import (
    Swept,
    lease_held,
    orphan_of,
    release_abandoned,
    release_dead,
    uses_task_queue,
)
from danvan.core.tasks import enqueue_on_commit
from danvan.core.validation import clean_and_save
from danvan.initiatives.models import FIRST_YEAR
from danvan.reports.exporters import clean_filters
from danvan.reports.models import (
    EXPORT_KINDS,
    FORMATS_OF,
    MOVEMENT_START,
    DocumentSettings,
    PeriodKind,
    Report,
    ReportKind,
    ReportStatus,
)
from danvan.stats import lineage
from danvan.stats.models import AS_WAS, MODES

# The last day of each standard period; a round's own cut-off ("data to 30 November") is given
# explicitly and replaces it.
PERIOD_ENDS = {
    PeriodKind.SIX_MONTHS: (6, 30),
    PeriodKind.NINE_MONTHS: (9, 30),
    PeriodKind.ANNUAL: (12, 31),
}
# A cut-off may lie a little ahead (a report prepared before its round closes), not further.
FUTURE_LIMIT = datetime.timedelta(days=366)
# A report still "running" after this long lost its worker (killed, machine restarted), when
# nothing else tells (see reports_sweep).
STALE_AFTER = datetime.timedelta(hours=2)
# Builds of one report whose worker died before it gives up: the first and one more.
REPORT_ATTEMPTS = 2


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_day(value) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def _check_common(errors: dict, kind: str, format: str, language: str, mode: str | None) -> None:
    if format not in FORMATS_OF[kind]:
        errors["format"] = _("Choose one of these formats: %(formats)s.") % {
            "formats": ", ".join(FORMATS_OF[kind])
        }
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = _("Choose Vietnamese, English or Arabic.")
    if mode is not None and mode not in MODES:
        errors["mode"] = _("Choose units as they were or restated on today's units.")


def _check_period(errors: dict, *, year, period_kind, period_start, cutoff, since) -> tuple:
    """Return the period's first day and cut-off, filled from the kind where not given."""
    today = timezone.localdate()
    if not _is_whole(year) or not FIRST_YEAR <= year <= today.year + 1:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": today.year + 1,
        }
        return period_start, cutoff
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = _("Choose six months, nine months, annual or a custom period.")
        return period_start, cutoff
    for name, value in (("period_start", period_start), ("cutoff", cutoff)):
        if value is not None and not _is_day(value):
            errors[name] = _("Enter a date.")
    if errors:
        return period_start, cutoff
    if period_start is None:
        period_start = datetime.date(year, 1, 1)
    if cutoff is None:
        if period_kind == PeriodKind.CUSTOM:
            errors["cutoff"] = _("A custom period needs its cut-off date.")
            return period_start, cutoff
        month, day = PERIOD_ENDS[period_kind]
        cutoff = datetime.date(year, month, day)
    if cutoff.year != year:
        errors["cutoff"] = _("The cut-off must fall in the report's year, %(year)s.") % {
            "year": year
        }
    elif cutoff > today + FUTURE_LIMIT:
        errors["cutoff"] = _("The cut-off cannot be more than a year ahead.")
    if period_start > cutoff:
        errors["period_start"] = _("The period cannot start after its cut-off.")
    elif period_start.year < FIRST_YEAR:
        errors["period_start"] = _("The period cannot start before %(first)s.") % {
            "first": FIRST_YEAR
        }
    if not _is_whole(since) or not FIRST_YEAR <= since <= year:
        errors["since"] = _("Enter a year from %(first)s to the report's year.") % {
            "first": FIRST_YEAR
        }
    return period_start, cutoff


@transaction.atomic
def report_request(
    *,
    actor,
    kind: str,
    format: str,
    language: str,
    area: Area | None = None,
    mode: str | None = None,
    year: int | None = None,
    period_kind: str = "",
    period_start: datetime.date | None = None,
    cutoff: datetime.date | None = None,
    since: int = MOVEMENT_START,
    filters: dict | None = None,
    number: str = "",
    issued_on: datetime.date | None = None,
    enqueue: bool = True,
) -> Report:
    """Ask for a periodic report or a list export; the worker builds it after the commit.

    A periodic report of ``area`` (None: the whole country) needs the right to view
    initiatives there, so a nationwide report needs a nationwide role. A list export holds
    only what the requester may see, so it needs that right somewhere.

    ``mode`` None means the requester did not choose how boundaries are read: the report is
    read in the mode that answers the question, as on the dashboard and the statistics API
    (restated for a year before the picked current unit existed, so "Quảng Ninh 2024" is not
    an empty report), and says that the mode was chosen for them. ``enqueue=False``
    leaves building to the caller (the ``build_report`` command builds in its own process).

    ``number`` and ``issued_on`` are the document's number and date on the official form;
    left out, the form leaves them blank for the clerk to fill in by hand.
    """
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Choose a periodic report or a list export.")})
    if kind in EXPORT_KINDS:
        require_anywhere(actor, "initiative.view")
        _require_export_scope(actor, area, filters)
    else:
        require_unit(actor, area)
    errors: dict[str, str] = {}
    _check_common(errors, kind, format, language, mode)
    report = Report(
        kind=kind,
        area=area,
        mode=mode or AS_WAS,
        mode_chosen=mode is not None,
        format=format,
        language=language,
    )
    if kind == ReportKind.PERIODIC:
        period_start, cutoff = _check_period(
            errors,
            year=year,
            period_kind=period_kind,
            period_start=period_start,
            cutoff=cutoff,
            since=since,
        )
        report.year, report.period_kind, report.since = year, period_kind, since
        report.number, report.issued_on = _check_number(errors, number, issued_on)
        if mode is None and "year" not in errors:
            report.mode = lineage.default_mode(area, year, year)
    else:
        for name, value in (("period_start", period_start), ("cutoff", cutoff)):
            if value is not None and not _is_day(value):
                errors[name] = _("Enter a date.")
        if not errors and period_start and cutoff and period_start > cutoff:
            errors["period_start"] = _("The period cannot start after its cut-off.")
        try:
            report.filters = clean_filters(filters)
        except ValidationError as error:
            errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    report.period_start, report.cutoff = period_start, cutoff
    report.requested_by = person_of(actor)
    clean_and_save(report)
    if enqueue:
        from danvan.reports.tasks import build_report

        enqueue_on_commit(build_report, report.pk)
    return report


# A document's number as the clerk writes it: digits, "125" (the symbol follows from the unit's
# settings).
NUMBER = re.compile(r"[0-9]{1,10}")


def _check_number(errors: dict, number, issued_on) -> tuple[str, datetime.date | None]:
    """The document's number and date, checked; both may be left out."""
    number = number.strip() if isinstance(number, str) else number
    if number in (None, ""):
        number = ""
    elif not isinstance(number, str) or not NUMBER.fullmatch(number):
        errors["number"] = _("Enter the document's number in digits, e.g. 125, or leave it empty.")
        number = ""
    if issued_on is not None:
        if not _is_day(issued_on):
            errors["issued_on"] = _("Enter a date.")
            issued_on = None
        elif issued_on > timezone.localdate() + FUTURE_LIMIT:
            errors["issued_on"] = _("The document's date cannot be more than a year ahead.")
        elif issued_on.year < FIRST_YEAR:
            errors["issued_on"] = _("The document's date cannot be before %(first)s.") % {
                "first": FIRST_YEAR
            }
    return number, issued_on


def _require_export_scope(actor, area: Area | None, filters) -> None:
    """Refuse a list export of a unit or an organisation the requester may not see, before
    anything is queued: such an export would only ever be built empty. An unseen organisation
    answers as a missing one, so its existence is not confirmed."""
    from danvan.accounts.scope import can_see_unit
    from danvan.orgs.selectors import organisation_list

    if area is not None and not can_see_unit(actor, area):
        raise ValidationError(
            {"area": _("This unit is outside your scope; choose one you may see.")}
        )
    wanted = filters.get("organisation") if isinstance(filters, dict) else None
    if not isinstance(wanted, int) or isinstance(wanted, bool):
        return  # absent, or not a number: the filters' own check names the fault
    if not organisation_list(actor=actor).filter(pk=wanted).exists():
        raise ValidationError({"filters.organisation": _("This record does not exist.")})


def reports_fail_stale(*, older_than: datetime.timedelta = STALE_AFTER) -> int:
    """Sweep the reports whose worker died (see :func:`reports_sweep`); return how many were
    marked failed."""
    return reports_sweep(older_than=older_than).failed


def reports_sweep(*, older_than: datetime.timedelta = STALE_AFTER) -> Swept:
    """Queue again once, or mark failed, every "running" report whose builder died.

    A killed worker cannot record its own failure, so every build (and the ``build_report`` and
    ``sweep_jobs`` commands) sweeps first: no report stays "running" for ever. A report built by
    a worker of the queue is known dead at once: no process holds its lease and no task for it
    waits (``danvan.core.jobs``); building writes nothing until the whole file is stored, so it
    is queued again, once. A report built without the queue (the ``build_report`` command)
    leaves no such trace; it counts as dead after ``older_than``.
    """
    from danvan.reports.build import failure_message
    from danvan.reports.tasks import LEASE, build_report

    swept = Swept()
    queue = uses_task_queue(build_report)
    limit = timezone.now() - older_than
    running = list(
        Report.objects.filter(status=ReportStatus.RUNNING)
        .order_by("pk")
        .only("pk", "language", "file", "started_at")
    )
    for report in running:
        orphan = orphan_of(build_report, report.pk, lease_name=LEASE, needs_rows=True)
        if orphan:
            swept.closed += len(orphan.dead)
        if queue and orphan and orphan.attempts < REPORT_ATTEMPTS:
            with transaction.atomic():
                release_dead(orphan.dead)
                requeued = Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).update(
                    status=ReportStatus.QUEUED, progress=0, started_at=None, message=""
                )
                if requeued:
                    # In the same transaction: the row and the report's state commit together.
                    build_report.enqueue(report.pk)
            swept.requeued += requeued
            continue
        if orphan is None and (
            report.started_at is None or report.started_at >= limit or lease_held(LEASE, report.pk)
        ):
            continue
        with transaction.atomic():
            release_dead(orphan.dead if orphan else [])
            failed = Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).update(
                status=ReportStatus.FAILED,
                file="",
                message=failure_message(report.language),
                finished_at=timezone.now(),
            )
        if failed and report.file:
            report.file.delete(save=False)
        swept.failed += failed
    if queue:
        running_keys = {report.pk for report in running}
        swept.closed += release_abandoned(build_report, lease_name=LEASE, working=running_keys)
    return swept


# What a unit's administrators set on its document settings (the template apart).
SETTINGS_FIELDS = (
    "form",
    "issuer_lines",
    "symbol",
    "place",
    "authority",
    "position",
    "signatory",
    "recipients",
    "money_style",
)


@transaction.atomic
def save_document_settings(
    *, actor, area: Area | None, values: dict, template=None, remove_template: bool = False
) -> DocumentSettings:
    """Set how the documents of ``area`` (None: the country) are headed and signed, and
    optionally its own Word template; administrators of the unit only.

    A template is checked before anything is saved (``word_templates.check_template``): a file
    that is not a Word document, a broken placeholder or one that does not exist is refused
    with its reason, and the settings stay as they were. A replaced template's file is removed
    once the change is committed.
    """
    from danvan.accounts.scope import require
    from danvan.reports.letterheads import default_settings
    from danvan.reports.word_templates import check_template

    require(actor, "area.manage", area=area)
    settings_row = DocumentSettings.objects.select_for_update().filter(
        area=area
    ).first() or default_settings(area)
    old_template = settings_row.template.name if settings_row.template else ""
    for name in SETTINGS_FIELDS:
        if name in values:
            value = values[name]
            setattr(settings_row, name, value.strip() if isinstance(value, str) else value)
    if template is not None:
        try:
            check_template(template)
        except ValidationError as error:
            raise ValidationError({"template": error.messages}) from error
        settings_row.template.save(template.name.rsplit("/", 1)[-1], template, save=False)
    elif remove_template:
        settings_row.template = ""
    settings_row.updated_by = person_of(actor)
    try:
        clean_and_save(settings_row)
    except ValidationError:
        if template is not None and settings_row.template:
            settings_row.template.storage.delete(settings_row.template.name)
        raise
    new_template = settings_row.template.name if settings_row.template else ""
    if old_template and old_template != new_template:
        storage = settings_row.template.storage
        transaction.on_commit(lambda: storage.delete(old_template))
    return settings_row
