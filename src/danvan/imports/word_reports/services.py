"""Every write of a Word-report import: upload and read, review, apply, roll back.

The report is read when it is uploaded (a 40-page report in well under ten seconds), and what it
holds is stored as ``ReportItem`` rows waiting for a person. Nothing reaches the initiatives until
the person confirms items and applies them; the apply then writes every confirmed item in one
transaction through the same bulk services as the spreadsheet imports — all or nothing, each
history row naming the batch, so the ordinary rollback finds what to undo.
"""

import datetime
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.scope import is_superadmin, require_anywhere
from danvan.core.validation import reject
from danvan.imports.models import (
    BatchStatus,
    ImportBatch,
    ImportIssue,
    ImportKind,
    ItemDecision,
    ItemRecord,
    ReportItem,
    Severity,
)
from danvan.imports.rows import change_cause, errors_of
from danvan.imports.word_reports.document import FileRefused, as_docx, sniff_report
from danvan.imports.word_reports.extract import Report, read_report
from danvan.imports.word_reports.prose import CONTRIBUTION
from danvan.imports.word_reports.resolve import Resolver
from danvan.initiatives.bulk import (
    InitiativeRow,
    contributions_bulk_add,
    initiatives_bulk_upsert,
    results_bulk_add,
)
from danvan.initiatives.catalogues import ContributorType, Field
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR, Indicator, Initiative
from danvan.initiatives.selectors import initiative_list
from danvan.orgs.models import Organisation

ACTION = "initiative.create"
MAX_ITEMS = 5000
ITEM_FIELDS = {
    "title": "title",
    "field": "field",
    "organisation": "organisation",
    "area": "organisation",
    "year": "year",
    "summary": "summary",
    "amount": "value",
    "value": "value",
    "kind": "value",
    "indicator": "indicator",
    "date": "value",
    "period_end": "value",
    "initiative": "initiative",
    "description": "value",
    "note": "value",
}


class _Abort(Exception):
    """Leave the apply's transaction, rolling it back."""


def _require_owner(actor, batch: ImportBatch) -> None:
    if batch.requested_by_id != getattr(actor, "pk", None) and not is_superadmin(actor):
        raise PermissionDenied(_("Only the person who uploaded this file can apply it."))


# --- Upload -----------------------------------------------------------------------------------


@transaction.atomic
def report_upload(*, actor, upload: UploadedFile) -> ImportBatch:
    """Store a report, read it, and keep what it holds as items to review.

    A file that is not a report, or a hostile one, is refused with its reason and leaves
    nothing behind: no batch, no stored file.
    """
    require_anywhere(actor, ACTION)
    if upload is None or not upload.size:
        reject("file", _("The file is empty."))
    if upload.size > settings.IMPORT_MAX_BYTES:
        reject(
            "file",
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        )
    name = (upload.name or "report").rsplit("/", 1)[-1][-200:]
    batch = ImportBatch(
        kind=ImportKind.WORD_REPORTS,
        original_name=name,
        requested_by=actor,
        ui_language=(translation.get_language() or "vi")[:2],
        language="vi",
    )
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}-{name}", upload, save=False)
    try:
        path = Path(batch.file.path)
        batch.file_type = sniff_report(path)
        with tempfile.TemporaryDirectory() as workdir:
            report = read_report(as_docx(path, batch.file_type, Path(workdir)))
    except FileRefused as refused:
        batch.file.delete(save=False)
        raise ValidationError({"file": refused.messages}) from None
    except Exception:
        batch.file.delete(save=False)
        raise
    batch.status = BatchStatus.VALIDATED
    batch.validated_at = timezone.now()
    batch.save()
    items = report_items(actor=actor, batch=batch, report=report)
    ReportItem.objects.bulk_create(items, batch_size=1000)
    batch.total_rows = batch.processed_rows = len(items)
    if not items:
        batch.status = BatchStatus.FAILED
        ImportIssue.found(
            batch=batch,
            severity=Severity.ERROR,
            message=_(
                "No table of models and no figure with a unit was found in this report. "
                "The models are read from a table whose headers name them (“Tên mô hình”)."
            ),
        ).save()
        batch.error_count = 1
    batch.save()
    return batch


def report_items(*, actor, batch: ImportBatch, report: Report) -> list[ReportItem]:
    """The items a report suggests: its models, then its figures, each with its evidence."""
    resolver = Resolver(actor, report.day())
    resolver.read_titles(
        [model.title for model in report.models] + [f.model for f in report.figures]
    )
    day = report.day() or timezone.localdate()
    items: list[ReportItem] = []
    by_title: dict[str, int] = {}
    for model in report.models:
        unit = model.unit or report.issuer
        found = resolver.organisation(
            unit, model.org_kind or _kind(unit), model.area_name or _area(unit)
        )
        year = model.year or report.year
        existing = resolver.existing_initiative(model.title, year)
        position = len(items) + 1
        by_title.setdefault(model.title, position)
        items.append(
            ReportItem(
                batch=batch,
                position=position,
                record=ItemRecord.INITIATIVE,
                evidence=model.cells,
                source=model.source,
                values={
                    "title": model.title,
                    "field": model.field,
                    "field_text": model.field_text,
                    "unit": unit,
                    "org_kind": model.org_kind or _kind(unit),
                    "organisation": found.organisation.code if found.organisation else "",
                    "organisation_name": found.organisation.name if found.organisation else "",
                    "year": year,
                    "summary": model.result[:5000],
                    "existing": existing.code if existing else "",
                },
            )
        )
    for figure in report.figures:
        if len(items) >= MAX_ITEMS:
            break
        position = len(items) + 1
        link = by_title.get(figure.model)
        existing = None
        if link is None and figure.model:
            existing = resolver.existing_initiative(figure.model, report.year)
        indicator = None
        if figure.record != CONTRIBUTION:
            indicator = resolver.indicator(figure.unit, f"{figure.noun} {figure.evidence}")
        items.append(
            ReportItem(
                batch=batch,
                position=position,
                record=ItemRecord.CONTRIBUTION
                if figure.record == CONTRIBUTION
                else ItemRecord.RESULT,
                evidence=figure.evidence,
                source=figure.source,
                unsure=figure.unsure,
                values={
                    "value": _plain(figure.value),
                    "unit": figure.unit,
                    "raw": figure.raw,
                    "qualifier": figure.qualifier,
                    "qualifier_words": figure.qualifier_words,
                    "noun": figure.noun,
                    "kind": figure.contribution_kind,
                    "model": figure.model,
                    "initiative_item": link,
                    "initiative": existing.code if existing else "",
                    "indicator": indicator.code if indicator else "",
                    "date": day.isoformat(),
                    "year": report.year or day.year,
                },
            )
        )
    return items


def _plain(number: Decimal) -> str:
    """``120``, ``7.1``: a number as the form shows it, never "1.2E+2"."""
    return format(number.normalize(), "f")


def _kind(unit: str) -> str:
    from danvan.imports.word_reports.vocabulary import org_kind_of

    return org_kind_of(unit)


def _area(unit: str) -> str:
    from danvan.imports.word_reports.vocabulary import area_name_in

    return area_name_in(unit)


# --- Review -----------------------------------------------------------------------------------


@transaction.atomic
def report_review(*, actor, batch: ImportBatch, changes: dict[int, dict]) -> list[str]:
    """Record the person's decisions and corrections, ``{position: {"decision": …, field: …}}``.

    Returns the messages of corrections that could not be read (that item keeps its values
    and is left to check); everything else is saved.
    """
    _require_owner(actor, batch)
    if batch.status != BatchStatus.VALIDATED:
        reject("status", _("Only a report waiting for review can be reviewed."))
    items = {item.position: item for item in batch.items.filter(position__in=list(changes))}
    problems: list[str] = []
    for position, change in changes.items():
        item = items.get(position)
        if item is None:
            continue
        try:
            _correct(actor, batch, item, change)
        except ValidationError as error:
            problems.extend(
                _("Row %(row)s: %(message)s") % {"row": position, "message": message}
                for message in error.messages
            )
            continue
        decision = change.get("decision")
        if decision in ItemDecision.values:
            item.decision = decision
        item.save(update_fields=["values", "decision"])
    return problems


def _correct(actor, batch: ImportBatch, item: ReportItem, change: dict) -> None:
    values = dict(item.values)
    if item.record == ItemRecord.INITIATIVE:
        if "title" in change:
            title = " ".join(str(change["title"]).split())
            if not title:
                reject("title", _("A model needs a title."))
            values["title"] = title[:500]
        if "field" in change:
            if change["field"] and change["field"] not in Field.values:
                reject("field", _("Choose one of the four fields."))
            values["field"] = change["field"]
        if "organisation" in change:
            code = str(change["organisation"]).strip()
            organisation = Organisation.objects.filter(code=code).first() if code else None
            if code and organisation is None:
                reject(
                    "organisation", _("No organisation has the code “%(code)s”.") % {"code": code}
                )
            values["organisation"] = code
            values["organisation_name"] = organisation.name if organisation else ""
        if "year" in change:
            try:
                year = int(str(change["year"]).strip())
            except ValueError:
                reject("year", _("“%(raw)s” is not a year.") % {"raw": change["year"]})
            if not FIRST_YEAR <= year <= LAST_YEAR:
                reject("year", _("“%(raw)s” is not a year.") % {"raw": change["year"]})
            values["year"] = year
    else:
        if "value" in change:
            raw = str(change["value"]).strip().replace(" ", "")
            try:
                number = Decimal(
                    raw.replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw
                )
            except InvalidOperation:
                reject("value", _("“%(raw)s” is not a number.") % {"raw": change["value"]})
            values["value"] = _plain(number)
        if "link" in change:
            link = str(change["link"] or "")
            values["initiative_item"], values["initiative"] = None, ""
            if link.startswith("item:"):
                target = batch.items.filter(
                    position=int(link[5:]), record=ItemRecord.INITIATIVE
                ).first()
                values["initiative_item"] = target.position if target else None
            elif link:
                found = initiative_list(actor=actor).filter(code=link.upper()).first()
                if found is None:
                    reject(
                        "initiative", _("No initiative has the code “%(code)s”.") % {"code": link}
                    )
                values["initiative"] = found.code
        if "indicator" in change and item.record == ItemRecord.RESULT:
            code = str(change["indicator"] or "")
            if code and not Indicator.objects.filter(code=code).exists():
                reject("indicator", _("Choose an indicator from the list."))
            values["indicator"] = code
    item.values = values


@transaction.atomic
def report_confirm_suggestions(*, actor, batch: ImportBatch) -> int:
    """Confirm, at the person's request, every item still to check that the reader was sure
    of and that names what it needs; return how many."""
    _require_owner(actor, batch)
    if batch.status != BatchStatus.VALIDATED:
        reject("status", _("Only a report waiting for review can be reviewed."))
    count = 0
    for item in batch.items.filter(decision=ItemDecision.PENDING, unsure=False):
        if _complete(item):
            item.decision = ItemDecision.CONFIRMED
            item.save(update_fields=["decision"])
            count += 1
    return count


def _complete(item: ReportItem) -> bool:
    values = item.values
    if item.record == ItemRecord.INITIATIVE:
        return bool(values.get("title") and values.get("field") and values.get("organisation"))
    linked = values.get("initiative_item") or values.get("initiative")
    if item.record == ItemRecord.RESULT:
        return bool(linked and values.get("indicator"))
    return bool(linked)


# --- Apply ------------------------------------------------------------------------------------


@transaction.atomic
def report_apply(*, actor, batch: ImportBatch) -> ImportBatch:
    """Write every confirmed item in one transaction, or nothing; record what went wrong on
    the items so the person can correct them and apply again."""
    _require_owner(actor, batch)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.VALIDATED:
        reject("status", _("Only a report waiting for review can be applied."))
    ImportIssue.objects.filter(batch=batch).delete()
    confirmed = list(batch.items.filter(decision=ItemDecision.CONFIRMED))
    if not confirmed:
        reject("status", _("Confirm at least one row before applying."))
    issues: list[ImportIssue] = []
    created = 0
    try:
        with transaction.atomic(), change_cause(batch.cause):
            created = _write(actor, batch, confirmed, issues)
            if issues:
                raise _Abort
    except _Abort:
        created = 0
    ImportIssue.objects.bulk_create(issues)
    batch.error_count = len(issues)
    if not issues:
        batch.status = BatchStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.applied_by = actor
        batch.creates = created
    batch.save()
    return batch


def _issue(batch, item: ReportItem, key: str, message) -> ImportIssue:
    return ImportIssue.found(
        batch=batch, row=item.position, column=key, severity=Severity.ERROR, message=message
    )


def _write(actor, batch: ImportBatch, confirmed: list[ReportItem], issues: list) -> int:
    initiatives = [item for item in confirmed if item.record == ItemRecord.INITIATIVE]
    rows, kept = [], []
    codes = {item.values.get("organisation") for item in initiatives} - {""}
    organisations = {
        org.code: org
        for org in Organisation.objects.select_related("seat_area").filter(code__in=codes)
    }
    for item in initiatives:
        values = item.values
        organisation = organisations.get(values.get("organisation") or "")
        missing = []
        if organisation is None:
            missing.append(("organisation", _("Choose the registering organisation.")))
        if not values.get("field"):
            missing.append(("field", _("Choose one of the four fields.")))
        if not values.get("year"):
            missing.append(("year", _("Give the year the model was registered.")))
        if missing:
            issues.extend(_issue(batch, item, key, message) for key, message in missing)
            continue
        rows.append(
            InitiativeRow(
                {
                    "title": values["title"],
                    "field": values["field"],
                    "organisation": organisation,
                    "area": organisation.seat_area,
                    "year": int(values["year"]),
                    "summary": values.get("summary", ""),
                }
            )
        )
        kept.append(item)
    if issues:
        return 0
    by_position: dict[int, Initiative] = {}
    if rows:
        outcome = initiatives_bulk_upsert(actor=actor, rows=rows, reason=batch.cause)
        _place(batch, kept, outcome.errors, issues)
        if issues:
            return 0
        by_position = {
            item.position: initiative
            for item, initiative in zip(kept, outcome.created, strict=True)
        }
    contributions, results, entries_of = [], [], {"c": [], "r": []}
    codes = {item.values.get("initiative") for item in confirmed} - {"", None}
    existing = {i.code: i for i in initiative_list(actor=actor).filter(code__in=codes)}
    indicators = {i.code: i for i in Indicator.objects.all()}
    for item in confirmed:
        if item.record == ItemRecord.INITIATIVE:
            continue
        values = item.values
        initiative = by_position.get(values.get("initiative_item")) or existing.get(
            values.get("initiative") or ""
        )
        if initiative is None:
            issues.append(
                _issue(
                    batch,
                    item,
                    "initiative",
                    _("Link the figure to a confirmed model or an initiative."),
                )
            )
            continue
        day = datetime.date.fromisoformat(values["date"])
        note = item.evidence[:500]
        if item.record == ItemRecord.CONTRIBUTION:
            contributions.append(
                {
                    "initiative": initiative,
                    "date": day,
                    "kind": values["kind"],
                    # As read: 350,5 m², half a day; the ledger refuses what its kind has not.
                    "amount": Decimal(values["value"]),
                    "contributor_type": ContributorType.HOUSEHOLDS,
                    "contributors": 0,
                    "description": note,
                }
            )
            entries_of["c"].append(item)
        else:
            indicator = indicators.get(values.get("indicator") or "")
            if indicator is None:
                issues.append(
                    _issue(batch, item, "indicator", _("Choose an indicator from the list."))
                )
                continue
            results.append(
                {
                    "initiative": initiative,
                    "indicator": indicator,
                    "value": Decimal(values["value"]),
                    "period_start": datetime.date(day.year, 1, 1),
                    "period_end": day,
                    "note": note,
                }
            )
            entries_of["r"].append(item)
    if issues:
        return 0
    if contributions:
        outcome = contributions_bulk_add(actor=actor, rows=contributions, reason=batch.cause)
        _place(batch, entries_of["c"], outcome.errors, issues)
    if results and not issues:
        outcome = results_bulk_add(actor=actor, rows=results, reason=batch.cause)
        _place(batch, entries_of["r"], outcome.errors, issues)
    return len(rows) + len(contributions) + len(results)


def _place(batch, items: list[ReportItem], errors: dict[int, Exception], issues: list) -> None:
    for index, error in errors.items():
        for key, messages in errors_of(error, ITEM_FIELDS).items():
            for message in messages:
                issues.append(_issue(batch, items[index], "" if key == "__all__" else key, message))
