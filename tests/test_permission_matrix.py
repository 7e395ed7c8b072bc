"""Every role × inside/outside its scope × every read and write use case.

The scene is Quảng Yên (Quảng Ninh). The Women's Union of Yên Giang ward registered its
initiatives on the legacy ward, which merged into today's Phường Quảng Yên on 1 July 2025.
"Inside" people hold their role over today's Phường Quảng Yên (or, for officers, over the
Women's Union itself); "outside" people hold the same role over Phường Đông Mai, another ward of the
same province, or over its Women's Union. A reviewer of the new ward sees its
predecessors' data; a reviewer of the neighbour does not.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.scope import SYSTEM
from danvan.accounts.selectors import user_list
from danvan.accounts.services import role_assign, user_create
from danvan.areas.models import AreaKind, CodeScheme
from danvan.areas.services import area_create
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field, Status
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.lifecycle import initiative_restore
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import initiative_detail, initiative_list
from danvan.initiatives.services import (
    contribution_add,
    evidence_add,
    initiative_create,
    initiative_delete,
    initiative_update,
    result_add,
)
from danvan.orgs.models import OrgKind
from danvan.orgs.selectors import organisation_list
from danvan.orgs.services import organisation_create, organisation_update
from danvan.review import services as review
from danvan.review.models import AwardTitle, CriteriaSet, Criterion
from tests.factories import IndicatorFactory, InitiativeFactory, OrganisationFactory

ROLES = [Role.VIEWER, Role.OFFICER, Role.REVIEWER, Role.ADMIN]
NEIGHBOUR = "Phường Đông Mai"


@dataclass
class Scene:
    ward: object  # current Phường Quảng Yên
    legacy_ward: object  # legacy Phường Yên Giang
    neighbour: object  # a neighbouring current ward
    union: object  # Women's Union of Yên Giang, seated on the legacy ward
    neighbour_union: object


@pytest.fixture
def scene(areas):
    ward = areas("Phường Quảng Yên", parent="Tỉnh Quảng Ninh")
    legacy_ward = areas("Phường Yên Giang", scheme=CodeScheme.LEGACY)
    neighbour = areas(NEIGHBOUR, parent="Tỉnh Quảng Ninh")
    union = OrganisationFactory(
        name="Hội LHPN phường Yên Giang", kind=OrgKind.WOMENS_UNION, seat_area=legacy_ward
    )
    neighbour_union = OrganisationFactory(
        name=f"Hội LHPN {NEIGHBOUR}", kind=OrgKind.WOMENS_UNION, seat_area=neighbour
    )
    return Scene(ward, legacy_ward, neighbour, union, neighbour_union)


def person(scene: Scene, role: str, inside: bool) -> User:
    """Return a person holding ``role`` inside or outside the scene's scope."""
    name = f"{role}_{'in' if inside else 'out'}"
    organisation = scene.union if inside else scene.neighbour_union
    user = User.objects.create_user(username=name, password="x", organisation=organisation)
    if role == Role.OFFICER:
        RoleAssignment.objects.create(user=user, role=role, organisation=organisation)
    else:
        RoleAssignment.objects.create(
            user=user, role=role, area=scene.ward if inside else scene.neighbour
        )
    return user


def initiative_in(scene: Scene, status: str = Status.DRAFT) -> Initiative:
    return InitiativeFactory(
        title="Khai thác và quản lý nhà văn hóa khu dân cư",
        organisation=scene.union,
        area=scene.legacy_ward,
        status=status,
        year=2024,
    )


# Each use case: (roles allowed inside the scope, the call). A call raises PermissionDenied
# when refused (writes) or returns False (reads).
def _read_list(user, scene):
    target = initiative_in(scene)
    return initiative_list(actor=user).filter(pk=target.pk).exists()


def _read_detail(user, scene):
    target = initiative_in(scene)
    try:
        initiative_detail(actor=user, pk=target.pk)
    except Initiative.DoesNotExist:
        return False
    return True


def _read_organisations(user, scene):
    return organisation_list(actor=user).filter(pk=scene.union.pk).exists()


def _read_users(user, scene):
    lan = User.objects.create_user(username="lan", password="x", organisation=scene.union)
    return user_list(actor=user).filter(pk=lan.pk).exists()


def _create(user, scene):
    initiative_create(
        actor=user,
        title="Tổ phòng cháy liên gia",
        field=Field.DEFENCE_SECURITY,
        organisation=scene.union,
        area=scene.legacy_ward,
        year=2024,
    )


def _update(user, scene):
    target = initiative_in(scene)
    initiative_update(actor=user, initiative=target, title="Nhà văn hóa khu 1–4")


def _delete(user, scene):
    initiative_delete(actor=user, initiative=initiative_in(scene))


def _transition(name: str, status: str, reason: str = ""):
    def call(user, scene):
        target = initiative_in(scene, status)
        lifecycle.initiative_transition(actor=user, initiative=target, name=name, reason=reason)

    return call


def _continue(user, scene):
    lifecycle.initiative_continue(actor=user, initiative=initiative_in(scene, Status.COMPLETED))


def _evaluate(user, scene):
    criteria = CriteriaSet.objects.create(name="Tiêu chí Quảng Ninh 2024")
    criterion = Criterion.objects.create(
        criteria_set=criteria, name="Hiệu quả", weight=1, max_score=10
    )
    review.evaluation_create(
        actor=user,
        initiative=initiative_in(scene, Status.COMPLETED),
        criteria_set=criteria,
        scores={criterion.pk: 9},
    )


def _award(user, scene):
    title, _ = AwardTitle.objects.get_or_create(
        code="dvk", defaults={"name_vi": "Điển hình", "name_en": "Exemplary", "name_ar": "نموذجي"}
    )
    review.award_propose(
        actor=user, initiative=initiative_in(scene, Status.COMPLETED), title=title, level="province"
    )


def _exemplary(user, scene):
    lifecycle.initiative_mark_exemplary(
        actor=user, initiative=initiative_in(scene, Status.COMPLETED)
    )


def _replicate(user, scene):
    # A showcased model of the neighbour: anyone may replicate what the public may see.
    source = InitiativeFactory(
        area=scene.neighbour,
        organisation=scene.neighbour_union,
        exemplary=True,
        status=Status.REGISTERED,
    )
    lifecycle.initiative_set_replication(actor=user, initiative=initiative_in(scene), source=source)


def _contribution(user, scene):
    contribution_add(
        actor=user,
        initiative=initiative_in(scene, Status.IN_PROGRESS),
        date=datetime.date(2024, 5, 1),
        kind=ContributionKind.MONEY,
        amount=180_000_000,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=16,
    )


def _result(user, scene):
    result_add(
        actor=user,
        initiative=initiative_in(scene, Status.IN_PROGRESS),
        indicator=IndicatorFactory(code="paved_m2"),
        value="1200",
        period_end=datetime.date(2024, 12, 31),
    )


def _evidence(user, scene):
    evidence_add(
        actor=user,
        initiative=initiative_in(scene, Status.IN_PROGRESS),
        upload=SimpleUploadedFile("san.png", image_bytes_for_tests(), "image/png"),
    )


def _organisation(user, scene):
    organisation_create(
        actor=user,
        name="Đoàn Thanh niên phường Quảng Yên",
        kind=OrgKind.YOUTH_UNION,
        seat_area=scene.ward,
    )


def _organisation_update(user, scene):
    organisation_update(actor=user, organisation=scene.union, name="Hội Phụ nữ Yên Giang")


def _village(user, scene):
    area_create(actor=user, name="Khu 5", kind=AreaKind.RESIDENTIAL_GROUP, parent=scene.ward)


def _user(user, scene):
    user_create(
        actor=user,
        username="huong",
        password="Yen-Giang-2024!",
        organisation=scene.union,
    )


def _role(user, scene):
    huong = User.objects.create_user(username="huong", password="x", organisation=scene.union)
    role_assign(actor=user, user=huong, role=Role.VIEWER, area=scene.ward)


def _restore(user, scene):
    target = initiative_in(scene)
    initiative_update(actor=SYSTEM, initiative=target, title="Tên mới")
    first = target.history.order_by("history_date").first()
    initiative_restore(actor=user, initiative=target, history_id=first.history_id)


READ = {Role.VIEWER, Role.OFFICER, Role.REVIEWER, Role.ADMIN}
USE_CASES: dict[str, tuple[set[str], Callable, bool]] = {
    "read initiative list": (READ, _read_list, True),
    "read initiative detail": (READ, _read_detail, True),
    "read organisations": (READ, _read_organisations, True),
    "read users": ({Role.ADMIN}, _read_users, True),
    "create initiative": ({Role.OFFICER}, _create, False),
    "update initiative": ({Role.OFFICER}, _update, False),
    "delete a draft": ({Role.OFFICER}, _delete, False),
    "submit": ({Role.OFFICER}, _transition("submit", Status.DRAFT), False),
    "register": ({Role.REVIEWER}, _transition("register", Status.SUBMITTED), False),
    "return": ({Role.REVIEWER}, _transition("return", Status.SUBMITTED, "Thiếu biên bản"), False),
    "start": ({Role.OFFICER, Role.REVIEWER}, _transition("start", Status.REGISTERED), False),
    "complete": (
        {Role.OFFICER, Role.REVIEWER},
        _transition("complete", Status.IN_PROGRESS),
        False,
    ),
    "discontinue": (
        {Role.OFFICER, Role.REVIEWER},
        _transition("discontinue", Status.IN_PROGRESS, "Hết kinh phí"),
        False,
    ),
    "continue into next year": ({Role.OFFICER, Role.REVIEWER}, _continue, False),
    "evaluate": ({Role.REVIEWER}, _evaluate, False),
    "propose award": ({Role.REVIEWER}, _award, False),
    "mark exemplary": ({Role.REVIEWER}, _exemplary, False),
    "record replication": ({Role.OFFICER, Role.REVIEWER}, _replicate, False),
    "add contribution": ({Role.OFFICER}, _contribution, False),
    "add result": ({Role.OFFICER}, _result, False),
    "add evidence": ({Role.OFFICER}, _evidence, False),
    "create organisation": ({Role.ADMIN}, _organisation, False),
    "update organisation": ({Role.ADMIN}, _organisation_update, False),
    "create village": ({Role.ADMIN}, _village, False),
    "create user": ({Role.ADMIN}, _user, False),
    "assign role": ({Role.ADMIN}, _role, False),
    "restore a version": ({Role.ADMIN}, _restore, False),
}

CELLS = [
    pytest.param(case, role, inside, id=f"{case}-{role}-{'inside' if inside else 'outside'}")
    for case in USE_CASES
    for role in ROLES
    for inside in (True, False)
]


def outcome(call, user, scene, is_read: bool) -> bool:
    if is_read:
        return bool(call(user, scene))
    try:
        call(user, scene)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize(("case", "role", "inside"), CELLS)
def test_matrix(scene, case, role, inside):
    allowed_roles, call, is_read = USE_CASES[case]
    user = person(scene, role, inside)
    expected = inside and role in allowed_roles
    assert outcome(call, user, scene, is_read) is expected


@pytest.mark.parametrize("case", list(USE_CASES))
def test_superadmin_may_do_everything(scene, case):
    _, call, is_read = USE_CASES[case]
    root = User.objects.create_user(username="root", password="x")
    RoleAssignment.objects.create(user=root, role=Role.SUPERADMIN)
    assert outcome(call, root, scene, is_read) is True


@pytest.mark.parametrize("case", list(USE_CASES))
def test_anonymous_may_do_nothing(scene, case):
    from django.contrib.auth.models import AnonymousUser

    _, call, is_read = USE_CASES[case]
    assert outcome(call, AnonymousUser(), scene, is_read) is False
