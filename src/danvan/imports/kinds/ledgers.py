"""Contributions and results: rows added to an initiative's ledger, never changed by an import.

The ledger is append-only, so re-importing a file must not add its rows again. A row is
identified by what it says — its fingerprint: the initiative, date, kind, amount, contributor
type, number of contributors and description (for results: the indicator, period, value, target
and note). The file and the ledger are compared as multisets: if a file holds a fingerprint
three times and the ledger already has it twice, one entry is added. Two genuinely equal
entries on one day therefore both import, and the same file imported again adds nothing.
A correction of an imported entry is made in the ledger (a correction entry), not by editing
the file.
"""

from collections import Counter
from decimal import Decimal
from functools import partial

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.core import limits
from danvan.imports.cells import (
    Catalogue,
    CellError,
    parse_date,
    parse_money,
    parse_number,
    parse_text,
    parse_whole,
    raw_text,
)
from danvan.imports.lookups import IndicatorFinder, InitiativeFinder
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, UNCHANGED, Importer, RowError
from danvan.initiatives.bulk import (
    contributions_bulk_add,
    contributions_check,
    results_bulk_add,
    results_check,
)
from danvan.initiatives.catalogues import (
    CONTRIBUTION_UNITS,
    ContributionKind,
    ContributorType,
    Unit,
)
from danvan.initiatives.models import Contribution, Result

INITIATIVE_COLUMN = Column(
    "initiative",
    _lazy("Initiative code"),
    required=True,
    help=_lazy("The code of an initiative you may record for (DVK-YYYY-NNNNNN)."),
    example="DVK-2024-000001",
)


class _LedgerImporter(Importer):
    model = Contribution

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.initiatives = InitiativeFinder(actor)
        self.in_file: Counter = Counter()
        self.in_ledger: Counter = Counter()
        self.ledgers_read: set[int] = set()

    def _initiative(self, raw):
        try:
            return self.initiatives.find(raw)
        except CellError as error:
            raise RowError({"initiative": [error.message]}) from None

    # The entry's fields in fingerprint order, after the initiative, and which entries count.
    entry_fields: tuple[str, ...] = ()
    counted = Q()

    def prepare(self, rows: list[Row]) -> None:
        """Read the ledgers of the chunk's initiatives in two queries: their codes, then every
        entry of those not read before, counted by fingerprint."""
        self.initiatives.prefetch(row.values.get("initiative") for row in rows)
        self._read_ledgers({initiative.pk for initiative in self.initiatives.known()})

    def _read_ledgers(self, initiative_ids: set[int]) -> None:
        """Count the entries of the initiatives whose ledgers are not read yet."""
        wanted = initiative_ids - self.ledgers_read
        if not wanted:
            return
        self.ledgers_read |= wanted
        self.in_ledger.update(Counter(self.ledger_fingerprints(wanted)))

    def ledger_fingerprints(self, initiative_ids):
        """The fingerprints of the entries a file's rows are matched against."""
        return self.model.objects.filter(
            self.counted, initiative_id__in=initiative_ids
        ).values_list("initiative_id", *self.entry_fields)

    def _is_new(self, fingerprint: tuple) -> bool:
        """Count this row; return whether the ledger holds fewer such entries than the file."""
        self._read_ledgers({fingerprint[0]})  # read already, unless planned without prepare
        self.in_file[fingerprint] += 1
        return self.in_file[fingerprint] > self.in_ledger.get(fingerprint, 0)


class ContributionImporter(_LedgerImporter):
    kind = "contributions"
    model = Contribution
    replayable = True
    kept_raw = frozenset({"initiative"})
    entry_fields = ("date", "kind", "amount", "contributor_type", "contributors", "description")
    counted = Q(corrects__isnull=True)  # a correction entry is not a row any file holds

    def ledger_fingerprints(self, initiative_ids):
        """Entries not cancelled: one whose corrections bring it to nothing (a rolled-back
        import's, or one an officer zeroed) is gone from the ledger's figures, so the file's
        row is new again; the dry run shows it as an addition.

        Most ledgers have no correction, so no entry is compared with its corrections one by
        one: the corrections of the initiatives (each on its entry's initiative) are summed by
        the entry they correct in one grouped query, and only when that brings some entry to
        nothing are the entries read with their ids, to leave it out."""
        entries = super().ledger_fingerprints(initiative_ids)
        cancelled = {
            pk
            for pk, amount, contributors, corrected, corrected_people in (
                Contribution.objects.filter(
                    initiative_id__in=initiative_ids, corrects__isnull=False
                )
                .values_list("corrects_id", "corrects__amount", "corrects__contributors")
                .annotate(Sum("amount"), Sum("contributors"))
                .order_by()
            )
            if corrected == -amount and corrected_people == -contributors
        }
        if not cancelled:
            return entries
        return (
            row[1:]
            for row in entries.values_list("pk", "initiative_id", *self.entry_fields)
            if row[0] not in cancelled
        )

    columns = [
        INITIATIVE_COLUMN,
        Column(
            "date", _lazy("date"), required=True, help=_lazy("dd/mm/yyyy"), example="15/03/2024"
        ),
        Column(
            "kind",
            _lazy("kind"),
            required=True,
            choices=tuple(ContributionKind.values),
            example="money",
        ),
        Column(
            "amount",
            _lazy("amount"),
            required=True,
            help=_lazy(
                "Whole VND for money and assets; m² for land and person-days for labour, up to "
                "two decimals (350.5 m², half a day 0.5)."
            ),
            example="75.000.000",
        ),
        Column(
            "contributor_type",
            _lazy("contributed by"),
            required=True,
            choices=tuple(ContributorType.values),
            example="households",
        ),
        Column("contributors", _lazy("number of contributors"), example="120"),
        Column(
            "description",
            _lazy("description"),
            help=_lazy("Required for assets and materials: say what was given."),
            example="",
        ),
    ]
    fields = {
        "date": "date",
        "kind": "kind",
        "amount": "amount",
        "contributor_type": "contributor_type",
        "contributors": "contributors",
        "description": "description",
        "initiative": "initiative",
    }

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.kinds = Catalogue.of_choices(ContributionKind)
        self.contributor_types = Catalogue.of_choices(ContributorType)

    def plan(self, row: Row) -> tuple[str, dict | None]:
        values = self.read(
            row,
            {
                "initiative": raw_text,
                "date": parse_date,
                "kind": self.kinds.match,
                "amount": lambda raw: raw,  # read once the kind gives its unit
                "contributor_type": self.contributor_types.match,
                "contributors": partial(parse_whole, language=self.language),
                "description": partial(parse_text, max_length=500),
            },
        )
        initiative = self._initiative(values["initiative"])
        try:
            if CONTRIBUTION_UNITS[values["kind"]] == Unit.VND:
                amount = parse_money(values["amount"], language=self.language)
            else:
                amount = parse_number(values["amount"], language=self.language)
        except CellError as error:
            raise RowError({"amount": [error.message]}) from None
        refused = limits.contribution_decimals_error(Decimal(amount), values["kind"])
        if refused is not None:
            raise RowError({"amount": [refused.message]})
        entry = {
            "date": values["date"],
            "kind": values["kind"],
            "amount": amount,
            "contributor_type": values["contributor_type"],
            "contributors": values["contributors"] or 0,
            "description": values["description"] or "",
        }
        if not self._is_new((initiative.pk, *entry.values())):
            return UNCHANGED, None
        return CREATE, {"initiative": initiative, **entry}

    def check(self, items: list[dict]) -> dict[int, Exception]:
        return contributions_check(actor=self.actor, rows=items).errors

    def write(self, items: list[dict], *, reason: str, checked=()) -> dict[int, Exception]:
        return contributions_bulk_add(
            actor=self.actor, rows=items, reason=reason, checked=checked
        ).errors


def _measure(raw, language: str):
    if isinstance(raw, str) and raw.strip().endswith("%"):
        raw = raw.strip()[:-1]
    return parse_number(raw, language=language)


class ResultImporter(_LedgerImporter):
    kind = "results"
    model = Result
    entry_fields = ("indicator_id", "value", "target", "period_start", "period_end", "note")
    columns = [
        INITIATIVE_COLUMN,
        Column(
            "indicator",
            _lazy("indicator"),
            required=True,
            help=_lazy("The indicator's code or its name in any language."),
            example="canal_new_km",
        ),
        Column("value", _lazy("value"), required=True, example="7,1"),
        Column("target", _lazy("target"), example=""),
        Column("period_start", _lazy("period start"), help=_lazy("dd/mm/yyyy"), example=""),
        Column(
            "period_end",
            _lazy("period end"),
            required=True,
            help=_lazy("dd/mm/yyyy"),
            example="30/09/2023",
        ),
        Column("note", _lazy("note"), example=""),
    ]
    fields = {
        "value": "value",
        "target": "target",
        "period_start": "period_start",
        "period_end": "period_end",
        "note": "note",
        "indicator": "indicator",
        "initiative": "initiative",
    }

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.indicators = IndicatorFinder()

    def plan(self, row: Row) -> tuple[str, dict | None]:
        values = self.read(
            row,
            {
                "initiative": raw_text,
                "indicator": self.indicators.find,
                "value": partial(_measure, language=self.language),
                "target": partial(_measure, language=self.language),
                "period_start": parse_date,
                "period_end": parse_date,
                "note": partial(parse_text, max_length=500),
            },
        )
        initiative = self._initiative(values["initiative"])
        entry = {
            "indicator": values["indicator"],
            "value": values["value"],
            "target": values["target"],
            "period_start": values["period_start"],
            "period_end": values["period_end"],
            "note": values["note"] or "",
        }
        for name in ("value", "target"):
            number = entry[name]
            if number is not None and (number.as_tuple().exponent < -4 or abs(number) >= 10**14):
                raise RowError(
                    {name: [_("At most 14 digits before the decimal sign and 4 after it.")]}
                )
        fingerprint = (initiative.pk, entry["indicator"].pk, *list(entry.values())[1:])
        if not self._is_new(fingerprint):
            return UNCHANGED, None
        return CREATE, {"initiative": initiative, **entry}

    def check(self, items: list[dict]) -> dict[int, Exception]:
        return results_check(actor=self.actor, rows=items).errors

    def write(self, items: list[dict], *, reason: str) -> dict[int, Exception]:
        return results_bulk_add(actor=self.actor, rows=items, reason=reason).errors
