"""Initiatives: a row with a code updates that initiative, a row without one registers a new one
unless the same organisation already has a model of that year with that title (compared
ignoring case and diacritics), which it then updates: importing the same file twice, codes or
not, leaves no trace the second time.

Only the facts an officer may change in the form are changed (title, summary, field, area,
dates, people in charge); the registering organisation and the year are fixed at registration,
and a row that would change them is refused.

A commission's archive comes in through the same file: for a past year, the state the model
ended up in (registered, in progress, completed, discontinued), the model it continues (by code,
or by its title in an earlier year of the same organisation), the exemplary mark and the model
it replicates. They go through the lifecycle's own rules (``initiatives.lifecycle.archive``).
A model it continues or replicates may be a row further up the same file.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.core.text import fold
from danvan.imports.cells import (
    Catalogue,
    CellError,
    parse_bool,
    parse_date,
    parse_text,
    parse_whole,
    raw_text,
)
from danvan.imports.kinds.records import catalogue_of
from danvan.imports.lookups import AreaFinder, InitiativeFinder, OrganisationFinder
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, NON_FIELD, UNCHANGED, UPDATE, Importer, RowError
from danvan.initiatives.bulk import InitiativeRow, initiatives_bulk_upsert, initiatives_check
from danvan.initiatives.bulk_sql import among
from danvan.initiatives.catalogues import Field, RegistrationKind, Status
from danvan.initiatives.lifecycle import ARCHIVE_STATUSES
from danvan.initiatives.lifecycle.archive import (
    ArchiveLinks,
    initiatives_archive,
    initiatives_archive_check,
    initiatives_link,
    initiatives_links_check,
)
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR, Initiative
from danvan.initiatives.selectors import initiative_list, initiatives_linkable
from danvan.initiatives.services import initiative_require_area_in_force

COLUMNS = [
    Column(
        "code",
        _lazy("Initiative code"),
        help=_lazy("Leave empty to register a new initiative; give the code to update one."),
        example="",
    ),
    Column("title", _lazy("title"), required=True, example="Thắp sáng đường quê"),
    Column(
        "field",
        _lazy("field"),
        required=True,
        help=_lazy("One of the four fields, by its name or its code."),
        choices=tuple(Field.values),
        example="economy",
    ),
    Column(
        "organisation",
        _lazy("registering organisation"),
        required=True,
        help=_lazy("The organisation's code, or its exact name."),
        example="ORG-000123",
    ),
    Column("year", _lazy("year registered"), required=True, example="2024"),
    Column(
        "area_code",
        _lazy("Area code"),
        help=_lazy(
            "The unit's code in the list in force on the start date (the 63-province list "
            "before 1 July 2025, the 34-province list from then on), or a village's code."
        ),
        example="22015",
    ),
    Column(
        "area",
        _lazy("Area name"),
        help=_lazy("Used when there is no area code; several units of that name are refused."),
        example="Phường Yên Giang",
    ),
    Column("start_date", _lazy("start date"), help=_lazy("dd/mm/yyyy"), example="15/01/2024"),
    Column("end_date", _lazy("end date"), help=_lazy("dd/mm/yyyy"), example=""),
    Column("summary", _lazy("summary"), example=""),
    Column("people_in_charge", _lazy("people in charge"), example="Nguyễn Thị Lan"),
    Column(
        "status",
        _lazy("status"),
        help=_lazy(
            "For a past year's model from the archive: registered, in progress, completed or "
            "discontinued. Empty: a draft, which goes through the workflow."
        ),
        choices=tuple(sorted(ARCHIVE_STATUSES)),
        example="",
    ),
    Column(
        "registration_kind",
        _lazy("registration kind"),
        help=_lazy(
            "New, or continued from an earlier year (then name that model in the next column)."
        ),
        choices=tuple(RegistrationKind.values),
        example="",
    ),
    Column(
        "continues",
        _lazy("continues the model"),
        help=_lazy(
            "The earlier model it continues: its code, or its title in an earlier year of the "
            "same organisation (a row further up this file counts)."
        ),
        example="",
    ),
    Column(
        "exemplary",
        _lazy("exemplary"),
        help=_lazy("Yes when the commission honoured it as exemplary; empty or no otherwise."),
        example="",
    ),
    Column(
        "replicated_from",
        _lazy("replicates the model"),
        help=_lazy(
            "The model it replicates: its code, or its exact title when only one model has it."
        ),
        example="",
    ),
]

# A status a file may give, by its name in any language or its code.
ARCHIVE_CHOICES = [(value, label) for value, label in Status.choices if value in ARCHIVE_STATUSES]

FIELDS = {
    "title": "title",
    "field": "field",
    "organisation": "organisation",
    "area": "area",
    "year": "year",
    "start_date": "start_date",
    "end_date": "end_date",
    "summary": "summary",
    "people_in_charge": "people_in_charge",
    "code": "code",
    "replicated_from": "replicated_from",
    "continued_from": "continues",
    "registration_kind": "registration_kind",
    "exemplary": "exemplary",
    # The service's refusal of a change to a settled initiative concerns the whole row; the
    # archive's own refusals are put on the status cell (``_on_status``).
    "status": NON_FIELD,
}

TEXT_LIMITS = {"title": 500, "summary": 5000, "people_in_charge": 500}


def _year(raw, language: str) -> int:
    year = parse_whole(raw, language="en")  # a year is never written with separators
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(_("“%(raw)s” is not a year.") % {"raw": raw_text(raw)})
    return year


def _on_status(error: Exception) -> RowError:
    """The archive's refusal of a state, on the cell that gave it."""
    if isinstance(error, ValidationError):
        return RowError({"status": list(error.messages)})
    return RowError({"status": [str(error) or _("You do not have permission to do this here.")]})


@dataclass
class PlannedRow(InitiativeRow):
    """A row's facts, plus what a past year's model brings from the archive: the state it
    ended up in and the links to models that may be created further up the same file."""

    status: str = ""
    continues: object = None  # an Initiative, or the key of a row above (_Key)
    replicates: object = None
    row_number: int = 0


@dataclass(frozen=True)
class _Key:
    """A model named by its organisation, year and folded title."""

    organisation: int
    year: int
    title: str


class InitiativeImporter(Importer):
    kind = "initiatives"
    columns = COLUMNS
    fields = FIELDS
    replayable = True
    looked_up = frozenset({"organisation"})
    kept_raw = frozenset({"code", "title", "continues", "replicated_from"})

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.areas = AreaFinder()
        self.organisations = OrganisationFinder()
        self.initiatives = InitiativeFinder(actor)
        self.fields_catalogue = Catalogue.of_choices(Field)
        self.status_catalogue = catalogue_of(ARCHIVE_CHOICES)
        self.kinds_catalogue = Catalogue.of_choices(RegistrationKind)
        self.seen: dict[str, int] = {}
        # The rows of this file so far, by organisation, year and folded title: a later row
        # may continue or replicate one of them before it exists.
        self.planned: dict[_Key, int] = {}
        # The stored models of the titles read so far (``prepare``), for matching and warnings.
        self._titles_read: set[str] = set()
        self._stored: dict[str, list[Initiative]] = {}
        # The texts of the chunk being read (``prepare``), folded.
        self._folded: dict[str, str] = {}
        self.parsers = {
            "code": lambda raw: raw_text(raw).upper(),
            "title": partial(parse_text, max_length=TEXT_LIMITS["title"]),
            "field": self.fields_catalogue.match,
            "organisation": self.organisations.find,
            "year": partial(_year, language=language),
            "area_code": raw_text,
            "area": raw_text,
            "start_date": parse_date,
            "end_date": parse_date,
            "summary": partial(parse_text, max_length=TEXT_LIMITS["summary"]),
            "people_in_charge": partial(parse_text, max_length=TEXT_LIMITS["people_in_charge"]),
            "status": self.status_catalogue.match,
            "registration_kind": self.kinds_catalogue.match,
            "continues": raw_text,
            "exemplary": parse_bool,
            "replicated_from": raw_text,
        }

    def _area(self, values: dict, near, *, required: bool = True):
        day = values["start_date"] or datetime.date(values["year"], 1, 1)
        key = "area_code" if values["area_code"] else "area"
        try:
            if values["area_code"]:
                area = self.areas.by_code(values["area_code"], day, strict=False)
            elif values["area"]:
                area = self.areas.by_name(values["area"], day, near=near, strict=False)
            else:
                area = None
            if area is not None:
                # The service's rule and words (a unit that ended names its successors), on
                # the cell that named the unit.
                initiative_require_area_in_force(
                    area=area,
                    year=values["year"],
                    start_date=values["start_date"],
                    end_date=values["end_date"],
                )
                return area
        except CellError as error:
            raise RowError({key: [error.message]}) from None
        except ValidationError as error:
            raise RowError({key: error.message_dict["area"]}) from None
        if required:
            raise RowError({"area_code": [_("Give the area's code or its name.")]})
        return None

    # --- finding models by code or title ------------------------------------------------

    def _visible(self):
        return initiative_list(actor=self.actor)

    def prepare(self, rows: list[Row]) -> None:
        """Read, in two queries, the stored models whose titles the chunk names (its rows'
        own titles, and those of the models they continue or replicate): a code-less row
        matches its organisation's model of that year, and links find their models, without
        a query a row."""
        self.initiatives.prefetch(row.values.get("code") for row in rows)
        # Each text folded once: ``plan`` folds the same titles again for its keys.
        self._folded = {
            text: fold(text)
            for text in {
                raw_text(row.values.get(key))
                for row in rows
                for key in ("title", "continues", "replicated_from")
                if row.values.get(key)
            }
        }
        titles = set(self._folded.values()) - self._titles_read
        if not titles:
            return
        self._titles_read |= titles
        # The titles go as one parameter (``among``), not one placeholder a title.
        visible = set(
            self._visible()
            .filter(among(Initiative, "title_folded", titles))
            .values_list("pk", flat=True)
        )
        for initiative in (
            initiatives_linkable(actor=self.actor)
            .filter(among(Initiative, "title_folded", titles))
            .select_related("organisation", "area")
        ):
            initiative.visible_to_importer = initiative.pk in visible
            self._stored.setdefault(initiative.title_folded, []).append(initiative)

    def _fold(self, text: str) -> str:
        """``text`` folded, as ``prepare`` folded it when the chunk named it."""
        folded = self._folded.get(text)
        return fold(text) if folded is None else folded

    def _stored_with(self, title: str) -> list[Initiative]:
        if title not in self._titles_read:  # a title no chunk named (never, from ``plan``)
            self._titles_read.add(title)
            for initiative in initiatives_linkable(actor=self.actor).filter(title_folded=title):
                initiative.visible_to_importer = self._visible().filter(pk=initiative.pk).exists()
                self._stored.setdefault(title, []).append(initiative)
        return self._stored.get(title, [])

    def _same_model(self, key: _Key) -> Initiative | None:
        """The model this row already is: same organisation, year and title."""
        for initiative in self._stored_with(key.title):
            if (
                initiative.visible_to_importer
                and initiative.organisation_id == key.organisation
                and initiative.year == key.year
            ):
                return initiative
        return None

    @staticmethod
    def _may_be_code(raw: str) -> bool:
        return " " not in raw.strip()

    def _earlier(self, raw: str, key: _Key):
        """The model ``raw`` names as the one this row continues: a code, or the title of an
        earlier year's model of the same organisation (the latest such year)."""
        if self._may_be_code(raw):
            by_code = self.initiatives.find(raw, required=False)
            if by_code is not None:
                return by_code
        title = self._fold(raw)
        stored = [
            initiative
            for initiative in self._stored_with(title)
            if initiative.visible_to_importer
            and initiative.organisation_id == key.organisation
            and initiative.year < key.year
        ]
        above = [
            other
            for other in self.planned
            if other.organisation == key.organisation
            and other.title == title
            and other.year < key.year
        ]
        latest_stored = max(stored, key=lambda i: i.year, default=None)
        latest_above = max(above, key=lambda other: other.year, default=None)
        if latest_stored is not None and (
            latest_above is None or latest_stored.year >= latest_above.year
        ):
            return latest_stored
        if latest_above is not None:
            return latest_above
        raise RowError(
            {
                "continues": [
                    _("No earlier model of this organisation has the code or the title “%(raw)s”.")
                    % {"raw": raw}
                ]
            }
        )

    def _source(self, raw: str, key: _Key):
        """The model ``raw`` names as the one this row replicates: a code, or a title only
        one model has (among those the person may see and the public ones)."""
        if self._may_be_code(raw):
            by_code = self.initiatives.find(raw, required=False)
            if by_code is None:
                by_code = Initiative.objects.public().filter(code=raw.upper()).first()
            if by_code is not None:
                return by_code
        title = self._fold(raw)
        found = self._stored_with(title) if title else []
        stored = {_Key(i.organisation_id, i.year, i.title_folded) for i in found}
        # A row above that is a stored model (a file imported again) is that model, once.
        above = [
            other
            for other in self.planned
            if other.title == title and other != key and other not in stored
        ]
        if len(found) + len(above) == 1:
            return found[0] if found else above[0]
        if len(found) + len(above) > 1:
            message = _(
                "Several models have the title “%(raw)s”; give the code of the one it replicates."
            )
        else:
            message = _("No model has the code or the title “%(raw)s”.")
        raise RowError({"replicated_from": [message % {"raw": raw}]})

    # --- one row ---------------------------------------------------------------------------

    def plan(self, row: Row) -> tuple[str, InitiativeRow | None]:
        values = self.read(row, self.parsers)
        code = values["code"]
        organisation = values["organisation"]
        key = _Key(organisation.pk, values["year"], self._fold(values["title"] or ""))
        initiative = None
        if code:
            if code in self.seen:
                raise RowError(
                    {"code": [_("This code is also on row %(row)s.") % {"row": self.seen[code]}]}
                )
            self.seen[code] = row.number
            try:
                initiative = self.initiatives.find(code)
            except CellError as error:
                raise RowError({"code": [error.message]}) from None
        else:
            if key in self.planned:
                raise RowError(
                    {
                        "title": [
                            _(
                                "The same model (organisation, year and title) is also on row "
                                "%(row)s."
                            )
                            % {"row": self.planned[key]}
                        ]
                    }
                )
            initiative = self._same_model(key)
            if initiative is None:
                self._warn_if_likely_duplicate(key, values)
        self.planned.setdefault(key, row.number)
        # An update without an area keeps the initiative's; a new one needs it.
        area = self._area(values, organisation.seat_area, required=initiative is None)
        facts = {
            "title": values["title"] or "",
            "field": values["field"],
            "area": area or getattr(initiative, "area", None),
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "summary": values["summary"] or "",
            "people_in_charge": values["people_in_charge"] or "",
        }
        archive = self._archive(values, key)
        if initiative is None:
            if archive["exemplary"]:
                facts["exemplary"] = True
            return CREATE, PlannedRow(
                {"organisation": organisation, "year": values["year"], **facts},
                status=archive["status"],
                continues=archive["continues"],
                replicates=archive["replicates"],
                row_number=row.number,
            )
        self._same_archive(initiative, archive)
        return self._update(initiative, organisation, values["year"], facts)

    def _archive(self, values: dict, key: _Key) -> dict:
        kind, continues = values["registration_kind"], values["continues"]
        if kind == RegistrationKind.CONTINUED and not continues:
            raise RowError(
                {"continues": [_("Name the model it continues: its code or its title.")]}
            )
        if kind == RegistrationKind.NEW and continues:
            raise RowError(
                {
                    "registration_kind": [
                        _("A new model continues none; leave “continues” empty or say continued.")
                    ]
                }
            )
        return {
            "status": values["status"] or "",
            "exemplary": bool(values["exemplary"]),
            "continues": self._earlier(continues, key) if continues else None,
            "replicates": self._source(values["replicated_from"], key)
            if values["replicated_from"]
            else None,
        }

    def _same_archive(self, initiative: Initiative, archive: dict) -> None:
        """A row naming a model already there may repeat its state and links (a file imported
        twice), never change them: those change through the workflow."""
        errors = {}
        if archive["status"] and archive["status"] != initiative.status:
            errors["status"] = [
                _("%(code)s is %(status)s; its state changes through the workflow.")
                % {"code": initiative.code, "status": initiative.get_status_display()}
            ]
        if archive["exemplary"] and not initiative.exemplary:
            errors["exemplary"] = [
                _("%(code)s is not marked exemplary; a reviewer marks it on its page.")
                % {"code": initiative.code}
            ]
        for column, name, linked in (
            ("continues", "continued_from_id", archive["continues"]),
            ("replicated_from", "replicated_from_id", archive["replicates"]),
        ):
            if linked is not None and getattr(linked, "pk", None) != getattr(initiative, name):
                errors[column] = [
                    _("%(code)s is linked otherwise; change its links on its page.")
                    % {"code": initiative.code}
                ]
        if errors:
            raise RowError(errors)

    def _warn_if_likely_duplicate(self, key: _Key, values: dict) -> None:
        if values["continues"]:
            return
        others = [
            (initiative.year, initiative.code)
            for initiative in self._stored_with(key.title)
            if initiative.visible_to_importer
            and initiative.organisation_id == key.organisation
            and initiative.year != key.year
        ]
        if others:
            year, code = max(others)
            self.warn(
                "continues",
                _(
                    "This organisation has a model with this title in %(year)s (%(code)s): if "
                    "this one continues it, say so in “continues”; otherwise it is registered as "
                    "a new model."
                )
                % {"year": year, "code": code},
            )

    # --- checking and writing ---------------------------------------------------------------

    def check(self, items: list[InitiativeRow]) -> dict[int, Exception]:
        outcome = initiatives_check(actor=self.actor, rows=items)
        if outcome.errors:
            return outcome.errors
        created = iter(outcome.created)
        states, state_positions, links, link_positions = [], [], [], []
        for position, item in enumerate(items):
            built = next(created) if item.initiative is None else None
            if built is None:
                continue
            if item.status:
                states.append((built, item.status))
                state_positions.append(position)
            # A link to a row above is checked once that row is written (in the apply).
            known = [
                linked if isinstance(linked, Initiative) else None
                for linked in (item.continues, item.replicates)
            ]
            if any(known):
                links.append(ArchiveLinks(built, *known))
                link_positions.append(position)
        errors = {
            link_positions[index]: error
            for index, error in initiatives_links_check(actor=self.actor, links=links).items()
        }
        archive_errors = initiatives_archive_check(actor=self.actor, states=states)
        for index, error in archive_errors.items():
            errors.setdefault(state_positions[index], _on_status(error))
        return errors

    def write(self, items: list[InitiativeRow], *, reason: str, checked=()) -> dict[int, Exception]:
        outcome = initiatives_bulk_upsert(
            actor=self.actor, rows=items, reason=reason, checked=checked
        )
        if outcome.errors:
            return outcome.errors
        created = iter(outcome.created)
        new = [
            (position, item, next(created))
            for position, item in enumerate(items)
            if item.initiative is None
        ]
        links, link_positions = [], []
        written = self._written(
            [linked for _p, item, _i in new for linked in (item.continues, item.replicates)]
        )
        for position, item, initiative in new:
            if item.continues is None and item.replicates is None:
                continue
            links.append(
                ArchiveLinks(
                    initiative,
                    continued_from=self._resolved(item.continues, written),
                    replicated_from=self._resolved(item.replicates, written),
                )
            )
            link_positions.append(position)
        errors = initiatives_link(actor=self.actor, links=links, reason=reason)
        if errors:
            return {link_positions[index]: error for index, error in errors.items()}
        states = [(initiative, item.status) for _p, item, initiative in new if item.status]
        positions = [position for position, item, _i in new if item.status]
        errors = initiatives_archive(actor=self.actor, states=states, reason=reason)
        return {positions[index]: _on_status(error) for index, error in errors.items()}

    @staticmethod
    def _written(linked: list) -> dict:
        """The models of the rows above that ``linked`` names, now written: one query for a
        chunk rather than one a link."""
        keys = {key for key in linked if isinstance(key, _Key)}
        found: dict[_Key, Initiative] = {}
        if not keys:
            return found
        for initiative in Initiative.objects.filter(
            organisation_id__in={key.organisation for key in keys},
            year__in={key.year for key in keys},
            title_folded__in={key.title for key in keys},
        ).order_by("-pk"):
            key = _Key(initiative.organisation_id, initiative.year, initiative.title_folded)
            if key in keys:
                found[key] = initiative  # by descending pk: the first one registered wins
        return found

    def _resolved(self, linked, written: dict):
        """A link to a row above, now written, as its model."""
        if linked is None or isinstance(linked, Initiative):
            return linked
        return written.get(linked)

    def _update(
        self, initiative: Initiative, organisation, year: int, facts: dict
    ) -> tuple[str, InitiativeRow | None]:
        errors = {}
        if initiative.organisation_id != organisation.pk:
            errors["organisation"] = [
                _("The registering organisation of %(code)s is %(name)s; it cannot be changed.")
                % {"code": initiative.code, "name": initiative.organisation.name}
            ]
        if initiative.year != year:
            errors["year"] = [
                _("%(code)s was registered in %(year)s; the year cannot be changed.")
                % {"code": initiative.code, "year": initiative.year}
            ]
        if errors:
            raise RowError(errors)
        changes = {
            name: value
            for name, value in facts.items()
            if (getattr(initiative, name) if name != "area" else initiative.area) != value
        }
        if not changes:
            return UNCHANGED, None
        return UPDATE, InitiativeRow(changes, initiative=initiative)
