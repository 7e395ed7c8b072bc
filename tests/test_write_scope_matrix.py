"""The write half of the permission matrix: every door × every role × a foreign target.

Each person holds one role in Quảng Ninh: a viewer, an officer bound to an organisation (the
Women's Union of Phường Quảng Yên), an officer bound to the province, a reviewer and an
administrator of the province. Each cell points one write, through one door (the REST API, a
web form, the spreadsheet import, the history restore, the Django admin), at a record of Hà
Tĩnh: its unit, an organisation, an initiative, a criteria set, a round, a co-organiser. Every
cell must be refused in the door's way (the API's error shape, a form error or a 403/404 page,
an import that names the row) and leave every table as it was: a refusal that still saved
something is the hole these tests are for. The read half is ``tests/test_permission_matrix.py``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.areas.models import Area
from danvan.imports.models import BatchStatus, ImportBatch
from danvan.initiatives.catalogues import Status
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.lifecycle import initiative_restore
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation, OrgKind
from danvan.review.models import CriteriaSet, Criterion, RegistrationRound
from tests.factories import IndicatorFactory, InitiativeFactory, OrganisationFactory
from tests.factories_review import AwardTitleFactory, PersonFactory
from tests.imports.conftest import headers, work, xlsx_bytes

ROLES = ["viewer", "officer_org", "officer_area", "reviewer", "admin"]
YEAR = 2026  # on today's units, in force since 1 July 2025
START = "2026-02-01"


@dataclass
class Scene:
    province: Area  # Tỉnh Quảng Ninh
    ward: Area  # Phường Quảng Yên
    union: Organisation  # its Women's Union
    draft: Initiative  # the union's draft, in the ward
    done: Initiative  # the union's completed model, in the ward
    colleague: User  # a person of the union, to grant roles to
    foreign_province: Area  # Tỉnh Hà Tĩnh
    foreign_area: Area  # Xã Can Lộc
    foreign_org: Organisation  # its Women's Union
    foreign_draft: Initiative
    foreign_done: Initiative
    foreign_round: RegistrationRound
    foreign_criteria: CriteriaSet
    foreign_criterion: Criterion
    foreign_version: int  # the history id of the draft's version moved to Hà Tĩnh
    award_title: object  # national catalogues, everyone's
    indicator: object


@pytest.fixture
def scene(areas) -> Scene:
    province = areas("Tỉnh Quảng Ninh")
    ward = areas("Phường Quảng Yên", parent="Tỉnh Quảng Ninh")
    foreign_province = areas("Tỉnh Hà Tĩnh")
    foreign_area = areas("Xã Can Lộc")
    union = OrganisationFactory(
        name="Hội LHPN phường Quảng Yên", kind=OrgKind.WOMENS_UNION, seat_area=ward
    )
    foreign_org = OrganisationFactory(
        name="Hội LHPN xã Can Lộc", kind=OrgKind.WOMENS_UNION, seat_area=foreign_area
    )

    def initiative(organisation, area, status, title):
        return InitiativeFactory(
            title=title,
            organisation=organisation,
            area=area,
            status=status,
            year=YEAR,
            start_date=datetime.date(YEAR, 2, 1),
        )

    draft = initiative(union, ward, Status.DRAFT, "Camera an ninh khu dân cư")
    done = initiative(union, ward, Status.COMPLETED, "Nhà văn hóa khu dân cư")
    foreign_draft = initiative(foreign_org, foreign_area, Status.DRAFT, "Đường hoa, nhà số")
    foreign_done = initiative(foreign_org, foreign_area, Status.COMPLETED, "Nuôi hươu nhốt chuồng")
    # A version of the draft that stood in Hà Tĩnh (a move the old rules let through, undone
    # since): restoring it would carry the draft out of the province again.
    draft.area = foreign_area
    draft.save()
    foreign_version = draft.history.latest().history_id
    draft.area = ward
    draft.save()
    foreign_round = RegistrationRound.objects.create(
        year=YEAR + 1,
        area=foreign_province,
        theme="Dân vận khéo Hà Tĩnh",
        opens_on=datetime.date(YEAR + 1, 1, 15),
        closes_on=datetime.date(YEAR + 1, 3, 31),
        cutoff_on=datetime.date(YEAR + 1, 11, 30),
    )
    foreign_criteria = CriteriaSet.objects.create(name="Tiêu chí Hà Tĩnh", area=foreign_province)
    foreign_criterion = Criterion.objects.create(
        criteria_set=foreign_criteria, name="Hiệu quả", weight=1, max_score=10
    )
    colleague = PersonFactory(username="huong", organisation=union)
    return Scene(
        province=province,
        ward=ward,
        union=union,
        draft=draft,
        done=done,
        colleague=colleague,
        foreign_province=foreign_province,
        foreign_area=foreign_area,
        foreign_org=foreign_org,
        foreign_draft=foreign_draft,
        foreign_done=foreign_done,
        foreign_round=foreign_round,
        foreign_criteria=foreign_criteria,
        foreign_criterion=foreign_criterion,
        foreign_version=foreign_version,
        award_title=AwardTitleFactory(),
        indicator=IndicatorFactory(),
    )


def person(scene: Scene, role: str) -> User:
    """Return a person of the union holding ``role`` in Quảng Ninh."""
    user = PersonFactory(username=role, organisation=scene.union)
    if role == "officer_org":
        RoleAssignment.objects.create(user=user, role=Role.OFFICER, organisation=scene.union)
    else:
        name = Role.OFFICER if role == "officer_area" else role
        RoleAssignment.objects.create(user=user, role=name, area=scene.province)
    return user


# --- what "nothing changed" means ---------------------------------------------------------

# Every row of the apps that hold what a write can reach is compared, except the areas (the
# official lists) and the history tables, which are counted. Import batches and their problems
# are an import's own report and may be written; signing in happens before the comparison.
COMPARED_APPS = ("initiatives", "orgs", "review", "accounts")
COUNTED_APPS = ("areas",)
# What a request itself records: the person's sessions, with the time they were last seen.
REQUEST_TRAIL = ("accounts.UserSession",)


def snapshot(scene: Scene) -> dict:
    """Everything a write could have changed."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in REQUEST_TRAIL:
            continue
        if model._meta.app_label in COUNTED_APPS or model.__name__.startswith("Historical"):
            state[label] = model.objects.count()
        elif model._meta.app_label in COMPARED_APPS:
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                row.pop("last_login", None)
            state[label] = rows
    state["scene areas"] = list(
        Area.objects.filter(
            pk__in=[scene.ward.pk, scene.province.pk, scene.foreign_area.pk]
        ).values()
    )
    return state


def assert_unchanged(before: dict, after: dict) -> None:
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"a refused write changed {changed}"


# --- the doors --------------------------------------------------------------------------------


@dataclass
class Door:
    """The person's clients, signed in before anything is compared (signing in records it)."""

    scene: Scene
    user: User
    capture: Callable  # django_capture_on_commit_callbacks

    def __post_init__(self):
        self.api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        self.api.force_authenticate(self.user)
        self.web = Client(HTTP_ACCEPT_LANGUAGE="en")
        self.web.force_login(self.user)


def api_refused(response) -> None:
    """The API refused in its one error shape."""
    assert response.status_code in (400, 403, 404), (response.status_code, response.content)
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body


def web_refused(response) -> None:
    """A page refused: 403/404, or the form shown again with its errors (never a redirect)."""
    assert response.status_code in (200, 403, 404), (response.status_code, response.get("Location"))
    if response.status_code == 200:
        form = response.context.get("form") if response.context else None
        assert form is None or form.errors, "the form came back without an error"


def initiative_body(scene: Scene, **changes) -> dict:
    return {
        "title": "Lan can chống đuối nước",
        "field": "defence_security",
        "organisation": scene.union.pk,
        "area": scene.ward.pk,
        "year": YEAR,
        "start_date": START,
        **changes,
    }


# Each cell's write, named "<door> <what> → <foreign target>". A call returns the response
# (or raises PermissionDenied for the service doors) and asserts the door's refusal.
def _api(method: str, url: Callable, body: Callable | None = None):
    def call(door: Door):
        scene = door.scene
        response = getattr(door.api, method)(url(scene), body(scene) if body else {}, format="json")
        api_refused(response)

    return call


def _i(initiative_name: str, rest: str = ""):
    return lambda scene: f"/api/v1/initiatives/{getattr(scene, initiative_name).pk}/{rest}"


API_CASES: dict[str, Callable] = {
    "api create initiative → area": _api(
        "post",
        lambda s: "/api/v1/initiatives/",
        lambda s: initiative_body(s, area=s.foreign_area.pk),
    ),
    "api create initiative → organisation": _api(
        "post",
        lambda s: "/api/v1/initiatives/",
        lambda s: initiative_body(s, organisation=s.foreign_org.pk),
    ),
    "api create initiative → co-organisation": _api(
        "post",
        lambda s: "/api/v1/initiatives/",
        lambda s: initiative_body(s, co_organisations=[s.foreign_org.pk]),
    ),
    "api update initiative → initiative": _api(
        "patch",
        _i("foreign_draft"),
        lambda s: {"version": s.foreign_draft.version, "title": "Đổi tên"},
    ),
    "api update initiative → area": _api(
        "patch", _i("draft"), lambda s: {"version": s.draft.version, "area": s.foreign_area.pk}
    ),
    "api update initiative → co-organisation": _api(
        "patch",
        _i("draft"),
        lambda s: {"version": s.draft.version, "co_organisations": [s.foreign_org.pk]},
    ),
    "api delete draft → initiative": _api("delete", _i("foreign_draft")),
    "api submit → initiative": _api(
        "post", _i("foreign_draft", "transitions/"), lambda s: {"name": "submit"}
    ),
    "api continue → initiative": _api("post", _i("foreign_done", "continue/")),
    "api continue → round": _api(
        "post", _i("done", "continue/"), lambda s: {"round": s.foreign_round.pk}
    ),
    "api exemplary → initiative": _api(
        "post", _i("foreign_done", "exemplary/"), lambda s: {"exemplary": True}
    ),
    "api replication → initiative": _api(
        "put", _i("foreign_draft", "replication/"), lambda s: {"source": s.done.pk}
    ),
    "api evaluate → initiative": _api(
        "post",
        _i("foreign_done", "evaluations/"),
        lambda s: {
            "criteria_set": s.foreign_criteria.pk,
            "scores": {str(s.foreign_criterion.pk): "9"},
        },
    ),
    "api evaluate → criteria set": _api(
        "post",
        _i("done", "evaluations/"),
        lambda s: {
            "criteria_set": s.foreign_criteria.pk,
            "scores": {str(s.foreign_criterion.pk): "9"},
        },
    ),
    "api propose award → initiative": _api(
        "post",
        _i("foreign_done", "awards/"),
        lambda s: {"title": s.award_title.pk, "level": "province"},
    ),
    "api contribution → initiative": _api(
        "post",
        _i("foreign_done", "contributions/"),
        lambda s: {
            "date": START,
            "kind": "money",
            "amount": 75_000_000,
            "contributor_type": "households",
            "contributors": 12,
        },
    ),
    "api result → initiative": _api(
        "post",
        _i("foreign_done", "results/"),
        lambda s: {"indicator": s.indicator.pk, "value": "120", "period_end": START},
    ),
    "api restore → initiative": _api(
        "post",
        _i("foreign_draft", "restore/"),
        lambda s: {"history_id": s.foreign_draft.history.earliest().history_id},
    ),
    "api restore → area": _api(
        "post", _i("draft", "restore/"), lambda s: {"history_id": s.foreign_version}
    ),
    "api create organisation → area": _api(
        "post",
        lambda s: "/api/v1/organisations/",
        lambda s: {
            "name": "Đoàn Thanh niên",
            "kind": "youth_union",
            "seat_area": s.foreign_area.pk,
        },
    ),
    "api update organisation → organisation": _api(
        "patch", lambda s: f"/api/v1/organisations/{s.foreign_org.pk}/", lambda s: {"name": "X"}
    ),
    "api update organisation → area": _api(
        "patch",
        lambda s: f"/api/v1/organisations/{s.union.pk}/",
        lambda s: {"seat_area": s.foreign_area.pk},
    ),
    "api close organisation → organisation": _api(
        "post",
        lambda s: f"/api/v1/organisations/{s.foreign_org.pk}/close/",
        lambda s: {"valid_to": START},
    ),
    "api create user → organisation": _api(
        "post",
        lambda s: "/api/v1/users/",
        lambda s: {
            "username": "mai",
            "password": "Can-Loc-Ha-Tinh-2026!",
            "organisation": s.foreign_org.pk,
        },
    ),
    "api grant role → organisation": _api(
        "post",
        lambda s: f"/api/v1/users/{s.colleague.pk}/roles/",
        lambda s: {"role": "officer", "organisation": s.foreign_org.pk},
    ),
    "api grant role → area": _api(
        "post",
        lambda s: f"/api/v1/users/{s.colleague.pk}/roles/",
        lambda s: {"role": "viewer", "area": s.foreign_area.pk},
    ),
}


# --- the web forms ------------------------------------------------------------------------


def _form(url: Callable, data: Callable):
    def call(door: Door):
        response = door.web.post(url(door.scene), data(door.scene))
        web_refused(response)

    return call


def form_body(scene: Scene, **changes) -> dict:
    return {
        "title": "Lan can chống đuối nước",
        "field": "defence_security",
        "organisation": scene.union.pk,
        "area": scene.ward.pk,
        "year": YEAR,
        "summary": "",
        "start_date": START,
        "end_date": "",
        "people_in_charge": "",
        "tags": "",
        "replicated_from": "",
        **changes,
    }


def _page(name: str, rest: str):
    return lambda scene: f"/initiatives/{getattr(scene, name).pk}/{rest}"


WEB_CASES: dict[str, Callable] = {
    "web create initiative → area": _form(
        lambda s: "/initiatives/new/", lambda s: form_body(s, area=s.foreign_area.pk)
    ),
    "web create initiative → organisation": _form(
        lambda s: "/initiatives/new/", lambda s: form_body(s, organisation=s.foreign_org.pk)
    ),
    "web edit initiative → initiative": _form(
        _page("foreign_draft", "edit/"),
        lambda s: form_body(
            s,
            organisation=s.foreign_org.pk,
            area=s.foreign_area.pk,
            version=s.foreign_draft.version,
        ),
    ),
    "web edit initiative → area": _form(
        _page("draft", "edit/"),
        lambda s: form_body(s, area=s.foreign_area.pk, version=s.draft.version),
    ),
    "web submit → initiative": _form(_page("foreign_draft", "actions/submit/"), lambda s: {}),
    "web contribution → initiative": _form(
        _page("foreign_done", "contributions/new/"),
        lambda s: {
            "date": START,
            "kind": "money",
            "amount": "75000000",
            "contributor_type": "households",
            "contributors": "12",
            "description": "",
        },
    ),
    "web evidence → initiative": _form(
        _page("foreign_done", "evidence/new/"),
        lambda s: {"file": SimpleUploadedFile("san.png", image_bytes_for_tests(), "image/png")},
    ),
    "web register → initiative": _form(
        lambda s: f"/review/initiatives/{s.foreign_draft.pk}/register/", lambda s: {}
    ),
    "web evaluate → initiative": _form(
        lambda s: f"/review/initiatives/{s.foreign_done.pk}/evaluate/",
        lambda s: {
            "criteria_set": s.foreign_criteria.pk,
            f"score_{s.foreign_criterion.pk}": "9",
        },
    ),
    "web evaluate → criteria set": _form(
        lambda s: f"/review/initiatives/{s.done.pk}/evaluate/",
        lambda s: {
            "criteria_set": s.foreign_criteria.pk,
            f"score_{s.foreign_criterion.pk}": "9",
        },
    ),
    "web propose award → initiative": _form(
        lambda s: f"/review/initiatives/{s.foreign_done.pk}/awards/new/",
        lambda s: {"title": s.award_title.pk, "level": "province"},
    ),
    "web create organisation → area": _form(
        lambda s: "/organisations/new/",
        lambda s: {
            "name": "Đoàn Thanh niên",
            "kind": "youth_union",
            "seat_area": s.foreign_area.pk,
        },
    ),
    "web edit organisation → organisation": _form(
        lambda s: f"/organisations/{s.foreign_org.pk}/edit/",
        lambda s: {"name": "X", "kind": "womens_union", "seat_area": s.foreign_area.pk},
    ),
    "web edit organisation → area": _form(
        lambda s: f"/organisations/{s.union.pk}/edit/",
        lambda s: {"name": s.union.name, "kind": "womens_union", "seat_area": s.foreign_area.pk},
    ),
    "web create user → organisation": _form(
        lambda s: "/people/new/",
        lambda s: {
            "username": "mai",
            "password1": "Can-Loc-Ha-Tinh-2026!",
            "password2": "Can-Loc-Ha-Tinh-2026!",
            "organisation": s.foreign_org.pk,
            "language": "vi",
        },
    ),
    "web grant role → organisation": _form(
        lambda s: f"/people/{s.colleague.pk}/roles/new/",
        lambda s: {"role": "officer", "organisation": s.foreign_org.pk},
    ),
    "web grant role → area": _form(
        lambda s: f"/people/{s.colleague.pk}/roles/new/",
        lambda s: {"role": "viewer", "area": s.foreign_area.pk},
    ),
}


# --- the spreadsheet import ---------------------------------------------------------------


def _import(kind: str, keys: list[str], row: Callable):
    """Upload through the API, let the worker check it, and ask to apply it: the upload is
    refused, or the check names row 2 and the apply writes nothing."""

    def call(door: Door):
        content = xlsx_bytes([headers(kind, "en", keys), row(door.scene)])
        client = door.api
        with door.capture(execute=True):
            response = client.post(
                "/api/v1/imports/",
                {"kind": kind, "file": SimpleUploadedFile("f.xlsx", content)},
                format="multipart",
            )
        if response.status_code != 202:
            api_refused(response)
            return
        work(None)  # the check, then the apply, by the real task worker
        batch = ImportBatch.objects.get(pk=response.json()["id"])
        rows = set(batch.issues.filter(severity="error").values_list("row", flat=True))
        with door.capture(execute=True):
            applied = client.post(f"/api/v1/imports/{batch.pk}/apply/")
        work(None)
        batch.refresh_from_db()
        assert rows == {2}, (batch.status, list(batch.issues.values_list("message", flat=True)))
        assert batch.status != BatchStatus.APPLIED
        api_refused(applied)

    return call


IMPORT_CASES: dict[str, Callable] = {
    "import initiative → area": _import(
        "initiatives",
        ["title", "field", "organisation", "year", "area_code", "start_date"],
        lambda s: ["Lan can", "economy", s.union.code, YEAR, s.foreign_area.code, "01/02/2026"],
    ),
    "import initiative → organisation": _import(
        "initiatives",
        ["title", "field", "organisation", "year", "area_code", "start_date"],
        lambda s: ["Lan can", "economy", s.foreign_org.code, YEAR, s.ward.code, "01/02/2026"],
    ),
    "import initiative → initiative": _import(
        "initiatives",
        ["code", "title", "field", "organisation", "year"],
        lambda s: [s.foreign_draft.code, "Đổi tên", "economy", s.foreign_org.code, YEAR],
    ),
    "import contribution → initiative": _import(
        "contributions",
        ["initiative", "date", "kind", "amount", "contributor_type"],
        lambda s: [s.foreign_done.code, "01/02/2026", "money", 75_000_000, "households"],
    ),
    "import organisation → area": _import(
        "organisations",
        ["name", "kind", "seat_area_code"],
        lambda s: ["Đoàn Thanh niên xã Can Lộc", "youth_union", s.foreign_area.code],
    ),
    "import organisation → organisation": _import(
        "organisations",
        ["code", "name", "kind"],
        lambda s: [s.foreign_org.code, "Hội Phụ nữ", "womens_union"],
    ),
    "import village → area": _import(
        "villages",
        ["name", "kind", "parent_code"],
        lambda s: ["Thôn Mới", "village", s.foreign_area.code],
    ),
    "import person → organisation": _import(
        "users",
        ["username", "organisation", "role", "role_organisation"],
        lambda s: ["mai", s.foreign_org.code, "officer", s.foreign_org.code],
    ),
    "import role → area": _import(
        "users",
        ["username", "role", "role_area_code"],
        lambda s: [s.colleague.username, "viewer", s.foreign_area.code],
    ),
}


# --- the history restore, by the service ----------------------------------------------------


def _restore(initiative_name: str, version: Callable):
    def call(door: Door):
        scene = door.scene
        initiative = Initiative.objects.get(pk=getattr(scene, initiative_name).pk)
        with pytest.raises(PermissionDenied):
            initiative_restore(actor=door.user, initiative=initiative, history_id=version(scene))

    return call


RESTORE_CASES: dict[str, Callable] = {
    "restore service → initiative": _restore(
        "foreign_draft", lambda s: s.foreign_draft.history.earliest().history_id
    ),
    "restore service → area": _restore("draft", lambda s: s.foreign_version),
}


# --- the Django admin ----------------------------------------------------------------------


# Each change form: the model, the foreign record and a POST that would move it home.
ADMIN_TARGETS: dict[str, tuple[str, Callable, Callable]] = {
    "admin change initiative → initiative": (
        "initiatives/initiative",
        lambda s: s.foreign_draft,
        lambda s: {"title": "Đổi tên", "area": s.ward.pk, "organisation": s.union.pk},
    ),
    "admin change organisation → organisation": (
        "orgs/organisation",
        lambda s: s.foreign_org,
        lambda s: {"name": "X", "seat_area": s.ward.pk},
    ),
    "admin change area → area": (
        "areas/area",
        lambda s: s.foreign_area,
        lambda s: {"name": "X", "parent": s.province.pk},
    ),
    "admin change round → round": (
        "review/registrationround",
        lambda s: s.foreign_round,
        lambda s: {"area": s.province.pk},
    ),
    "admin change criteria set → criteria set": (
        "review/criteriaset",
        lambda s: s.foreign_criteria,
        lambda s: {"area": s.province.pk},
    ),
}


def admin_post(client: Client, scene: Scene, case: str):
    model, target, data = ADMIN_TARGETS[case]
    return client.post(f"/admin/{model}/{target(scene).pk}/change/", data(scene))


def _admin(case: str):
    """People of a province are not let in (a redirect to sign in); the admin writes nothing."""

    def call(door: Door):
        response = admin_post(door.web, door.scene, case)
        assert response.status_code in (302, 403, 404), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), response["Location"]

    return call


ADMIN_CASES: dict[str, Callable] = {case: _admin(case) for case in ADMIN_TARGETS}


CASES = API_CASES | WEB_CASES | IMPORT_CASES | RESTORE_CASES | ADMIN_CASES
CELLS = [pytest.param(case, role, id=f"{case} · {role}") for case in CASES for role in ROLES]


@pytest.fixture
def door(scene, media_root, django_capture_on_commit_callbacks):
    def make(user: User) -> Door:
        return Door(scene, user, django_capture_on_commit_callbacks)

    return make


@pytest.mark.parametrize(("case", "role"), CELLS)
def test_a_write_to_another_province_is_refused_and_changes_nothing(scene, door, case, role):
    signed_in = door(person(scene, role))
    before = snapshot(scene)
    CASES[case](signed_in)
    assert_unchanged(before, snapshot(scene))


@pytest.mark.parametrize("case", list(ADMIN_CASES))
def test_the_admin_writes_nothing_even_for_a_super_administrator(scene, case):
    """The admin is a read-only lookup tool: a POST to a change form changes no row."""
    root = User.objects.create_superuser(username="root", password="x", email="root@danvan.test")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(root)
    before = snapshot(scene)
    response = admin_post(client, scene, case)
    assert response.status_code in (200, 403, 405), response.status_code
    assert_unchanged(before, snapshot(scene))
