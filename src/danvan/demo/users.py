"""Demo log-ins: a superuser and one person for each role at several levels, all printed.

Every password is public by design (printed by ``load_demo`` and documented), so ``load_demo``
must never run against a real deployment's database. The people are created through the
accounts services (``user_create``, ``role_assign``) acting as the system, so they pass the
same checks as people an administrator adds; their e-mail addresses (``@danvan.demo``) are not
real, so their e-mails are switched off and notifications stay in their in-app inbox.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.scope import SYSTEM
from danvan.accounts.services import role_assign, user_create
from danvan.areas.models import Area, AreaSuccession, CodeScheme
from danvan.demo.common import legacy_area, organisation
from danvan.notifications.models import NotificationKind
from danvan.notifications.services import email_preference_set
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.services import organisation_create


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    created: bool
    role: str = ""
    scope: str = ""
    language: str = ""


ADMIN_USERNAME = "admin"
# Long enough and uncommon enough for Django's validators, easy to type from the screen.
ADMIN_PASSWORD = "DanVan-demo-2025!"
# One password for every demo person, so the table is easy to use.
DEMO_PASSWORD = ADMIN_PASSWORD
EMAIL_DOMAIN = "danvan.demo"
CENTRAL_COMMISSION_CODE = "DV-TW-BDV"


@dataclass(frozen=True)
class Person:
    """One demo person: who they are, the role they hold and over what."""

    username: str
    last_name: str  # Vietnamese family and middle names
    first_name: str  # the given name people are called by
    language: str
    role: str
    organisation: Organisation
    area: Area | None = None
    scoped_to_organisation: bool = False
    nationwide: bool = False


def ensure_admin() -> DemoLogin:
    """Create the demo superuser if missing; an existing one keeps the password it has."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=ADMIN_USERNAME).first()
    login = {"role": Role.SUPERADMIN.value, "scope": "—", "language": "vi"}
    if user is not None:
        return DemoLogin(ADMIN_USERNAME, ADMIN_PASSWORD, created=False, **login)
    candidate = user_model(username=ADMIN_USERNAME, email="admin@example.org")
    validate_password(ADMIN_PASSWORD, user=candidate)
    user_model.objects.create_superuser(
        username=ADMIN_USERNAME, email="admin@example.org", password=ADMIN_PASSWORD
    )
    return DemoLogin(ADMIN_USERNAME, ADMIN_PASSWORD, created=True, **login)


def current_successor(area: Area) -> Area:
    """Return the current unit that ``area`` became in the 2025 reform."""
    link = AreaSuccession.objects.get(
        predecessor=area, is_default=True, successor__scheme=CodeScheme.CURRENT
    )
    return link.successor


def _current_province(name: str) -> Area:
    return Area.objects.get(scheme=CodeScheme.CURRENT, name=name, parent=None)


def _central_commission() -> Organisation:
    found = Organisation.objects.filter(code=CENTRAL_COMMISSION_CODE).first()
    return found or organisation_create(
        actor=SYSTEM,
        code=CENTRAL_COMMISSION_CODE,
        name="Ban Dân vận Trung ương",
        kind=OrgKind.MASS_MOBILIZATION_COMMISSION,
        seat_area=_current_province("Thành phố Hà Nội"),
    )


def people() -> list[Person]:
    """Return the demo people, most local first (the order the demo picks actors in)."""
    yen_giang = legacy_area("Phường Yên Giang", "Thị xã Quảng Yên")
    quang_yen_ward = current_successor(yen_giang)  # Phường Quảng Yên, since 1 July 2025
    thien_loc = legacy_area("Xã Thiên Lộc", "Huyện Can Lộc")
    can_loc = current_successor(thien_loc)  # Xã Can Lộc, since 1 July 2025
    ha_tinh = _current_province("Tỉnh Hà Tĩnh")
    quang_ninh = _current_province("Tỉnh Quảng Ninh")
    mmc = OrgKind.MASS_MOBILIZATION_COMMISSION
    return [
        Person("yengiang.officer", "Vũ Thị", "Lan", "vi", Role.OFFICER,
               organisation(yen_giang, OrgKind.PEOPLES_COMMITTEE), scoped_to_organisation=True),
        Person("quangyen.officer", "Đỗ Văn", "Nam", "vi", Role.OFFICER,
               organisation(quang_yen_ward, OrgKind.FATHERLAND_FRONT),
               scoped_to_organisation=True),
        Person("thienloc.officer", "Phan Văn", "Cường", "vi", Role.OFFICER,
               organisation(thien_loc, OrgKind.FATHERLAND_FRONT), scoped_to_organisation=True),
        Person("quangyen.reviewer", "Lê Thị", "Mai", "vi", Role.REVIEWER,
               organisation(quang_yen_ward, mmc, "Ban Dân vận Đảng ủy phường Quảng Yên"),
               area=quang_yen_ward),
        Person("canloc.viewer", "Hoàng Thị", "Dung", "ar", Role.VIEWER,
               organisation(can_loc, OrgKind.PEOPLES_COMMITTEE), area=can_loc),
        Person("hatinh.reviewer", "Nguyễn Văn", "Hùng", "vi", Role.REVIEWER,
               organisation(ha_tinh, mmc, "Ban Dân vận Tỉnh ủy Hà Tĩnh"), area=ha_tinh),
        Person("quangninh.admin", "Phạm Minh", "Tuấn", "vi", Role.ADMIN,
               organisation(quang_ninh, mmc, "Ban Dân vận Tỉnh ủy Quảng Ninh"),
               area=quang_ninh),
        Person("national.viewer", "Trần Thị Thu", "Hà", "en", Role.VIEWER,
               _central_commission(), nationwide=True),
    ]  # fmt: skip


def _ensure_person(person: Person) -> User:
    user = User.objects.filter(username=person.username).first()
    if user is None:
        user = user_create(
            actor=SYSTEM,
            username=person.username,
            password=DEMO_PASSWORD,
            organisation=person.organisation,
            email=f"{person.username}@{EMAIL_DOMAIN}",
            first_name=person.first_name,
            last_name=person.last_name,
            language=person.language,
        )
        for kind in NotificationKind.values:
            email_preference_set(user=user, kind=kind, enabled=False)
    scope = {
        "area": person.area,
        "organisation": person.organisation if person.scoped_to_organisation else None,
        "nationwide": person.nationwide,
    }
    if not RoleAssignment.objects.filter(user=user, role=person.role, **scope).exists():
        role_assign(actor=SYSTEM, user=user, role=person.role, **scope)
    return user


def ensure_people() -> dict[str, User]:
    """Create the demo people with their roles if missing; return them by username, in order."""
    return {person.username: _ensure_person(person) for person in people()}


def describe_scope(assignment: RoleAssignment) -> str:
    if assignment.nationwide:
        return "nationwide"
    parts = []
    if assignment.area_id:
        parts.append(f"{assignment.area.name} ({SCHEME_WORD.get(assignment.area.scheme, '')})")
    if assignment.organisation_id:
        parts.append(assignment.organisation.name)
    return " / ".join(parts)


def demo_logins(created: bool) -> list[DemoLogin]:
    """Return the demo people's log-ins as they stand in the database, for the printed table."""
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assignments = RoleAssignment.objects.filter(user__in=users.values()).select_related(
        "area", "organisation"
    )
    by_user: dict[int, list[RoleAssignment]] = {}
    for assignment in assignments.order_by("id"):
        by_user.setdefault(assignment.user_id, []).append(assignment)
    logins = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        for assignment in by_user.get(user.pk, []):
            logins.append(
                DemoLogin(
                    username,
                    DEMO_PASSWORD,
                    created,
                    role=assignment.role,
                    scope=describe_scope(assignment),
                    language=user.language,
                )
            )
    return logins


# The usernames of ``people()`` as the table prints them, widest scope first.
DEMO_USERNAMES = (
    "national.viewer",
    "hatinh.reviewer",
    "quangninh.admin",
    "quangyen.reviewer",
    "yengiang.officer",
    "quangyen.officer",
    "thienloc.officer",
    "canloc.viewer",
)
SCHEME_WORD = {CodeScheme.CURRENT: "current unit", CodeScheme.LEGACY: "legacy unit"}
