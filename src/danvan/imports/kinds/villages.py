"""Villages, residential groups and family groups (thôn, tổ dân phố, tổ liên gia): the units
below a commune that officers keep themselves, in the ``local`` list.

A row with a code updates that unit or adds one under that code; a row without a code adds one
(it gets its commune's code and the next number), unless a unit of that name already sits
under that commune, which the row then means, so a file imported twice adds nothing the second
time. Empty coordinates or an empty parent keep the unit's own. The kind of an existing unit
cannot change (the service has no such change). The rules (permission over the commune, a
parent that is a commune, ward or village) are the services'.
"""

from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.areas.models import LOCAL_KINDS, Area, AreaKind, CodeScheme
from danvan.areas.services import area_create, area_update
from danvan.core.text import fold
from danvan.imports.cells import CellError, parse_number, parse_text, raw_text
from danvan.imports.kinds.records import ROW_ERRORS, RecordImporter, catalogue_of, on_columns
from danvan.imports.lookups import AreaFinder, LocalAreaFinder, plain_code, today
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, UNCHANGED, UPDATE, RowError

KINDS = tuple(kind for kind in AreaKind.values if kind in LOCAL_KINDS)

COLUMNS = [
    Column(
        "code",
        _lazy("Village code"),
        help=_lazy(
            "Leave empty to add a unit (it gets its commune's code and the next number); give "
            "a code to update that unit, or to add a new one under that code."
        ),
        example="",
    ),
    Column("name", _lazy("name"), required=True, example="Tổ dân phố Cẩm Phú"),
    Column(
        "kind",
        _lazy("kind"),
        required=True,
        help=_lazy("Village, residential group or family group, by its name or its code."),
        choices=KINDS,
        example="residential_group",
    ),
    Column(
        "parent_code",
        _lazy("Parent unit code"),
        help=_lazy(
            "The code of the commune or ward (in the list in force today, the 34-province "
            "list), or of the village a family group belongs to. Empty keeps a unit's parent."
        ),
        example="",
    ),
    Column(
        "parent",
        _lazy("parent unit"),
        help=_lazy("Used when there is no parent code; several units of that name are refused."),
        example="Phường Quảng Yên",
    ),
    Column(
        "latitude",
        _lazy("latitude"),
        help=_lazy("Decimal degrees, at most 6 decimals. Empty keeps a unit's coordinates."),
        example="20,935678",
    ),
    Column("longitude", _lazy("longitude"), help=_lazy("Decimal degrees."), example="106,8012"),
]

FIELDS = {
    "code": "code",
    "name": "name",
    "kind": "kind",
    "parent": "parent_code",
    "latitude": "latitude",
    "longitude": "longitude",
}


@dataclass
class VillageItem:
    """A new unit (``area`` None; ``fields`` as for ``area_create``) or the ``fields`` to
    change on ``area`` (as for ``area_update``); ``columns`` places the services' errors."""

    area: Area | None
    fields: dict
    columns: dict = field(default_factory=lambda: dict(FIELDS))
    denied: str = "parent_code"


class VillageImporter(RecordImporter):
    kind = "villages"
    columns = COLUMNS
    fields = FIELDS

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.areas = AreaFinder()
        self.local = LocalAreaFinder()
        self.kinds = catalogue_of((kind, AreaKind(kind).label) for kind in KINDS)
        self.seen_codes: dict[str, int] = {}
        self.seen_names: dict[tuple[str, int], int] = {}
        self.day = today()
        self.parsers = {
            "code": plain_code,
            "name": partial(parse_text, max_length=200),
            "kind": self.kinds.match,
            "parent_code": plain_code,
            "parent": raw_text,
            "latitude": partial(parse_number, language=language),
            "longitude": partial(parse_number, language=language),
        }

    def _parent(self, values: dict, area: Area | None) -> Area | None:
        code, name = values["parent_code"], values["parent"]
        current = area.parent if area is not None else None
        if current is not None and (
            code == current.code or (not code and name and fold(name) == current.name_folded)
        ):
            return current  # as stored, even in a list no longer in force
        try:
            if code:
                return self.areas.by_code(code, self.day)
            if name:
                return self.areas.by_name(name, self.day)
        except CellError as error:
            raise RowError({"parent_code" if code else "parent": [error.message]}) from None
        if area is None:
            raise RowError({"parent_code": [_("Give the parent unit's code or its name.")]})
        return current

    def plan(self, row: Row) -> tuple[str, VillageItem | None]:
        values = self.read(row, self.parsers)
        code, name, kind = values["code"], values["name"], values["kind"]
        area = None
        if code:
            self.once("code", code, row.number, self.seen_codes)
            try:
                area = self.local.by_code(code)
            except CellError as error:
                raise RowError({"code": [error.message]}) from None
        parent = self._parent(values, area)
        if not code:
            self.once(
                "name",
                (fold(name), parent.pk),
                row.number,
                self.seen_names,
                _("A unit of this name under this parent is also on row %(row)s."),
            )
            try:
                area = self.local.under(parent, name)
            except CellError as error:
                raise RowError({"name": [error.message]}) from None
        columns = dict(FIELDS)
        if not values["parent_code"] and values["parent"]:
            columns["parent"] = "parent"
        denied = next(key for key in ("parent_code", "parent", "code", "name") if values[key])
        coordinates = {
            key: values[key] for key in ("latitude", "longitude") if values[key] is not None
        }
        if area is None:
            fields = {"name": name, "kind": kind, "code": code, "scheme": CodeScheme.LOCAL}
            return CREATE, VillageItem(
                None, {**fields, "parent": parent, **coordinates}, columns, denied
            )
        if area.kind != kind:
            raise RowError(
                {
                    "kind": [
                        _("The kind of %(area)s is %(kind)s; it cannot be changed.")
                        % {"area": area.name, "kind": area.get_kind_display()}
                    ]
                }
            )
        facts = {"name": name, "parent": parent, **coordinates}
        changes = {key: value for key, value in facts.items() if getattr(area, key) != value}
        if not changes:
            return UNCHANGED, None
        return UPDATE, VillageItem(area, changes, columns, denied)

    def save(self, item: VillageItem) -> None:
        try:
            if item.area is None:
                area_create(actor=self.actor, **item.fields)
            else:
                area_update(actor=self.actor, area=item.area, **item.fields)
        except ROW_ERRORS as error:
            raise on_columns(error, item.columns, denied=item.denied) from None
