"""People: a row names a person by user name, adding them or changing their details, and
optionally gives them one role over an area and/or an organisation.

Passwords are never imported (a column for one is refused as unknown). A new person gets a
long random password that nobody is shown; they choose their own through “Forgotten your
password?” on the sign-in page, which mails a link to their address, or an administrator sets
one. An empty cell keeps what is stored, so a file of user names and roles only adds roles. A
role the person already holds there is left as it is, and roles missing from the file are not
taken away: importing the same file twice changes nothing. The rules (the organisation and the
scope must be the administrator's, only a super administrator grants nationwide roles) are the
services'.
"""

import secrets
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.services import role_assign, user_create, user_update
from danvan.imports.cells import Catalogue, CellError, parse_bool, parse_text, raw_text
from danvan.imports.kinds.records import ROW_ERRORS, RecordImporter, catalogue_of, on_columns
from danvan.imports.lookups import AreaFinder, OrganisationFinder, UserFinder, plain_code, today
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, UNCHANGED, UPDATE, RowError

COLUMNS = [
    Column("username", _lazy("User name"), required=True, example="lan.nguyen"),
    Column("last_name", _lazy("Family and middle names"), example="Nguyễn Thị"),
    Column("first_name", _lazy("Given name"), example="Lan"),
    Column(
        "email",
        _lazy("E-mail"),
        help=_lazy("A new person chooses a password through the link mailed to this address."),
        example="lan.nguyen@quangyen.gov.vn",
    ),
    Column(
        "organisation",
        _lazy("Organisation"),
        help=_lazy("The code or exact name of the organisation the person works for."),
        example="HLHPN-QUANGYEN",
    ),
    Column(
        "language",
        _lazy("Language"),
        help=_lazy("The language of the person's pages and e-mails; empty is Vietnamese."),
        choices=tuple(code for code, _name in settings.LANGUAGES),
        example="vi",
    ),
    Column(
        "role",
        _lazy("Role"),
        help=_lazy("A role to give; empty gives none. Roles already held are kept."),
        choices=tuple(Role.values),
        example="officer",
    ),
    Column(
        "role_area_code",
        _lazy("Role area code"),
        help=_lazy(
            "The code of the area the role covers (with everything below it), in the list in "
            "force today, or a village's code."
        ),
        example="",
    ),
    Column(
        "role_area",
        _lazy("Role area"),
        help=_lazy("Used when there is no area code; several units of that name are refused."),
        example="Phường Quảng Yên",
    ),
    Column(
        "role_organisation",
        _lazy("Role organisation"),
        help=_lazy(
            "The code or exact name of the organisation the role is limited to; with an area, "
            "a record must match both."
        ),
        example="",
    ),
    Column(
        "nationwide",
        _lazy("Nationwide"),
        help=_lazy("Yes for a role over the whole country (only a super administrator)."),
        example="",
    ),
]

PERSON_FIELDS = {
    "username": "username",
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "organisation": "organisation",
    "language": "language",
}
FIELDS = PERSON_FIELDS
DETAILS = ("last_name", "first_name", "email", "organisation", "language")
SCOPE = ("role_area_code", "role_area", "role_organisation", "nationwide")


def unknown_password() -> str:
    """Return a password nobody is shown: the person picks their own with a reset link (which
    Django sends only to accounts with a usable password)."""
    return secrets.token_urlsafe(32)


@dataclass
class UserItem:
    """A new person (``user`` None; ``fields`` as for ``user_create``) or the ``fields`` to
    change on ``user``; ``role`` holds the arguments of ``role_assign`` when a role is added."""

    user: User | None
    fields: dict
    role: dict | None = None
    denied: str = "username"
    role_columns: dict = field(default_factory=dict)
    role_denied: str = "role"


class UserImporter(RecordImporter):
    kind = "users"
    columns = COLUMNS
    fields = FIELDS

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.users = UserFinder(actor)
        self.areas = AreaFinder()
        self.organisations = OrganisationFinder()
        self.roles = Catalogue.of_choices(Role)
        self.languages = catalogue_of(settings.LANGUAGES)
        self.seen: dict[str, int] = {}
        self.day = today()
        self.parsers = {
            "username": partial(parse_text, max_length=150),
            "last_name": partial(parse_text, max_length=150),
            "first_name": partial(parse_text, max_length=150),
            "email": partial(parse_text, max_length=254),
            "organisation": lambda raw: self.organisations.find(plain_code(raw)),
            "language": self.languages.match,
            "role": self.roles.match,
            "role_area_code": plain_code,
            "role_area": raw_text,
            "role_organisation": lambda raw: self.organisations.find(plain_code(raw)),
            "nationwide": parse_bool,
        }

    def _role(self, values: dict, near) -> dict | None:
        if not values["role"]:
            if any(values[key] for key in SCOPE):
                raise RowError({"role": [_("Give the role held over this area or organisation.")]})
            return None
        area = None
        try:
            if values["role_area_code"]:
                # A unit that has ended is refused by the service, naming its successors.
                area = self.areas.by_code(values["role_area_code"], self.day, strict=False)
            elif values["role_area"]:
                area = self.areas.by_name(values["role_area"], self.day, near=near, strict=False)
        except CellError as error:
            key = "role_area_code" if values["role_area_code"] else "role_area"
            raise RowError({key: [error.message]}) from None
        return {
            "role": values["role"],
            "area": area,
            "organisation": values["role_organisation"],
            "nationwide": bool(values["nationwide"]),
        }

    def plan(self, row: Row) -> tuple[str, UserItem | None]:
        values = self.read(row, self.parsers)
        username = values["username"]
        self.once(
            "username",
            username,
            row.number,
            self.seen,
            _("This user name is also on row %(row)s."),
        )
        user = self.users.find(username)
        organisation = values["organisation"]
        home = organisation or (user.organisation if user is not None else None)
        role = self._role(values, near=home.seat_area if home is not None else None)
        details = {key: values[key] for key in DETAILS if values[key]}
        area_column = "role_area" if values["role_area"] and not values["role_area_code"] else ""
        role_columns = {
            "role": "role",
            "area": area_column or "role_area_code",
            "organisation": "role_organisation",
            "nationwide": "nationwide",
            "user": "username",
        }
        item = UserItem(
            user=user,
            fields={},
            role=role,
            denied="organisation" if organisation is not None else "username",
            role_columns=role_columns,
            role_denied=next((key for key in (*SCOPE, "role") if values[key]), "role"),
        )
        if user is None:
            item.fields = {"username": username, **details}
            return CREATE, item
        item.fields = {key: value for key, value in details.items() if getattr(user, key) != value}
        if role is not None and RoleAssignment.objects.filter(user=user, **role).exists():
            item.role = None  # held already
        if not item.fields and item.role is None:
            return UNCHANGED, None
        return UPDATE, item

    def save(self, item: UserItem) -> None:
        try:
            if item.user is None:
                user = user_create(actor=self.actor, password=unknown_password(), **item.fields)
            elif item.fields:
                user = user_update(actor=self.actor, user=item.user, **item.fields)
            else:
                user = item.user
        except ROW_ERRORS as error:
            raise on_columns(error, PERSON_FIELDS, denied=item.denied) from None
        if item.role is not None:
            try:
                role_assign(actor=self.actor, user=user, **item.role)
            except ROW_ERRORS as error:
                raise on_columns(error, item.role_columns, denied=item.role_denied) from None
