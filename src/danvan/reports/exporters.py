"""List exports (pretix-style exporters): each one names its columns and yields its rows, and
the CSV and XLSX renderers write them. Rows are records as they are, never sums.

The initiative list takes the same filters as the initiatives API list and reads through the
same selector, so an export holds exactly what the requester may see and the list shows.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area
from danvan.core.formats import format_date
from danvan.initiatives.catalogues import (
    CONTRIBUTION_UNITS,
    ContributionKind,
    ContributorType,
    Field,
    RegistrationKind,
    Status,
)
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR, Contribution
from danvan.initiatives.selectors import ORDERINGS, initiative_list
from danvan.orgs.models import Organisation
from danvan.reports.document import Column, Document, Table
from danvan.reports.models import ReportKind
from danvan.review.models import RegistrationRound

FILTERS = (
    "field",
    "status",
    "year",
    "organisation",
    "round",
    "exemplary",
    "replicated",
    "q",
    "ordering",
)
PROGRESS_EVERY = 500


def _fail(name: str, message: str):
    raise ValidationError({f"filters.{name}": ValidationError(message, code="invalid")})


def _whole(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        _fail(name, _("Enter a whole number."))
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        _fail(name, _("Enter a whole number."))
    number = int(text)
    if not low <= number <= high:
        _fail(name, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return number


def clean_filters(raw) -> dict:
    """Check the filters of a list export; return them as stored (ids, not objects)."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ValidationError({"filters": _("Give the filters as an object of names and values.")})
    unknown = sorted(set(raw) - set(FILTERS))
    if unknown:
        _fail(unknown[0], _("This filter does not exist."))
    clean: dict = {}
    for name, value in raw.items():
        if value is None or value == "":
            continue
        if name == "field" and value not in Field.values:
            _fail(name, _("Choose one of the four fields."))
        if name == "status" and value not in Status.values:
            _fail(name, _("Choose a status from the list."))
        if name == "ordering" and value not in ORDERINGS:
            _fail(name, _("Choose an ordering from the list."))
        if name in {"exemplary", "replicated"} and not isinstance(value, bool):
            _fail(name, _("Enter true or false."))
        if name == "q" and (not isinstance(value, str) or len(value) > 100):
            _fail(name, _("Enter at most 100 characters."))
        if name == "year":
            value = _whole(value, name, FIRST_YEAR, LAST_YEAR)
        if name in {"organisation", "round"}:
            value = _whole(value, name, 1, 2**63 - 1)
            model = Organisation if name == "organisation" else RegistrationRound
            if not model.objects.filter(pk=value).exists():
                _fail(name, _("This record does not exist."))
        clean[name] = value
    return clean


def _initiatives(actor, area: Area | None, filters: dict):
    arguments = {key: value for key, value in filters.items() if key not in {"q"}}
    arguments["search"] = filters.get("q")
    if "organisation" in filters:
        arguments["organisation"] = Organisation.objects.get(pk=filters["organisation"])
    if "round" in filters:
        arguments["round"] = RegistrationRound.objects.get(pk=filters["round"])
    return initiative_list(actor=actor, area=area, **arguments)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def initiative_table(*, actor, area, filters: dict, progress=None) -> Table:
    """The initiative list, one row per initiative the actor may read."""
    return initiatives_table(_initiatives(actor, area, filters), progress=progress)


def initiatives_table(initiatives, *, progress=None) -> Table:
    """One row per initiative of ``initiatives`` (already read through scope): the columns of
    every initiative export, the background one and the list page's immediate CSV alike."""
    queryset = initiatives.select_related("organisation", "area", "replicated_from")
    table = Table(
        _("Initiatives"),
        [
            Column(_("Code")),
            Column(_("Title")),
            Column(_("Field")),
            Column(_("Status")),
            Column(_("Year registered"), "count"),
            Column(_("Registration kind")),
            Column(_("Registering organisation")),
            Column(_("Area")),
            Column(_("Exemplary")),
            Column(_("Replicated from")),
            Column(_("Start date"), "date"),
            Column(_("End date"), "date"),
        ],
    )
    total = queryset.count() or 1
    for index, initiative in enumerate(queryset.iterator(chunk_size=1000), start=1):
        table.rows.append(
            [
                initiative.code,
                initiative.title,
                _label(Field, initiative.field),
                _label(Status, initiative.status),
                initiative.year,
                _label(RegistrationKind, initiative.registration_kind),
                initiative.organisation.name,
                initiative.area.name,
                _yes_no(initiative.exemplary),
                initiative.replicated_from.code if initiative.replicated_from else "",
                initiative.start_date,
                initiative.end_date,
            ]
        )
        if progress and index % PROGRESS_EVERY == 0:
            progress(10 + 80 * index // total)
    return table


def contribution_table(
    *,
    actor,
    area,
    filters: dict,
    start: datetime.date | None = None,
    cutoff: datetime.date | None = None,
    progress=None,
) -> Table:
    """The contribution ledger of the initiatives in the list, entries dated start..cutoff,
    corrections as their own rows (the ledger as it was recorded)."""
    entries = Contribution.objects.filter(
        initiative__in=_initiatives(actor, area, filters).values("pk")
    ).select_related("initiative", "corrects")
    if start is not None:
        entries = entries.filter(date__gte=start)
    if cutoff is not None:
        entries = entries.filter(date__lte=cutoff)
    entries = entries.order_by("initiative__code", "date", "id")
    table = Table(
        _("Contributions"),
        [
            Column(_("Entry")),
            Column(_("Initiative code")),
            Column(_("Initiative")),
            Column(_("Date"), "date"),
            Column(_("Kind")),
            Column(_("Amount"), "decimal"),  # land and labour to two decimals: 350.5
            Column(_("Unit")),
            Column(_("Contributed by")),
            Column(_("Number of contributors"), "count"),
            Column(_("Description")),
            Column(_("Corrects entry")),
        ],
    )
    total = entries.count() or 1
    for index, entry in enumerate(entries.iterator(chunk_size=1000), start=1):
        unit = CONTRIBUTION_UNITS.get(entry.kind)
        table.rows.append(
            [
                str(entry.pk),
                entry.initiative.code,
                entry.initiative.title,
                entry.date,
                _label(ContributionKind, entry.kind),
                entry.amount.normalize() if entry.amount % 1 else int(entry.amount),
                str(unit.label) if unit else "",
                _label(ContributorType, entry.contributor_type),
                entry.contributors,
                entry.description,
                str(entry.corrects_id or ""),
            ]
        )
        if progress and index % PROGRESS_EVERY == 0:
            progress(10 + 80 * index // total)
    return table


def export_document(report, *, progress=None) -> Document:
    """Build the document of a list export ``report`` in its language."""
    language = report.language
    with translation.override(language):
        arguments = {
            "actor": report.requested_by or SYSTEM,
            "area": report.area,
            "filters": report.filters,
            "progress": progress,
        }
        if report.kind == ReportKind.CONTRIBUTIONS:
            table = contribution_table(**arguments, start=report.period_start, cutoff=report.cutoff)
        else:
            table = initiative_table(**arguments)
        lines = [
            report.area.name if report.area else _("All the areas you may see"),
            _("Produced on %(date)s") % {"date": format_date(timezone.localdate(), language)},
        ]
        return Document(title=table.title, language=language, lines=lines, tables=[table])
