"""People from a spreadsheet: template, dry run, apply, no passwords, idempotence, audit,
rollback."""

import io

import openpyxl
import pytest
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from rest_framework.test import APIClient

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.services import user_update
from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.imports.workbooks import workbook
from tests.imports.conftest import headers, issues_of, work, xlsx_bytes

pytestmark = pytest.mark.django_db

KEYS = [
    "username",
    "last_name",
    "first_name",
    "email",
    "organisation",
    "language",
    "role",
    "role_area_code",
    "role_area",
    "role_organisation",
    "nationwide",
]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sheet(*rows, language="vi", keys=KEYS):
    return xlsx_bytes([headers("users", language, keys), *rows])


def state() -> tuple:
    """What a people import may write: the people, their roles and the history of both."""
    return (
        sorted(
            User.objects.values_list(
                "username", "first_name", "last_name", "email", "organisation", "language"
            )
        ),
        sorted(RoleAssignment.objects.values_list("user", "role", "area", "organisation")),
        User.history.count(),
        RoleAssignment.history.count(),
    )


def good_rows(world):
    wu = world.wu_yen_giang
    return [
        [
            "mai.tran",
            "Trần Thị",
            "Mai",
            "mai@quangyen.vn",
            wu.code,
            "vi",
            "Cán bộ",
            "",
            "",
            wu.code,
            "",
        ],
        [
            "hung.le",
            "Lê Văn",
            "Hùng",
            "",
            world.commission_qn.name,
            "English",
            "viewer",
            world.quang_yen.code,
            "",
            "",
            "",
        ],
        ["lan", "", "", "lan.moi@danvan.test", "", "", "", "", "", "", ""],
        ["quan", "", "", "", "", "", "reviewer", "", "Phường Quảng Yên", "", "không"],
    ]


def test_the_template_has_vietnamese_headers_and_lists_of_roles_and_languages(world):
    book = openpyxl.load_workbook(io.BytesIO(workbook("users", language="vi")))
    data, guide, lists = book.worksheets
    assert [cell.value for cell in data[1]] == headers("users", "vi")
    assert "password" not in " ".join(headers("users", "en")).lower()
    starts = sorted(str(v.sqref)[:2] for v in data.data_validations.dataValidation)
    assert starts == ["F2", "G2"]  # language and role
    with translation.override("vi"):
        roles = [str(label) for label in Role.labels]
    assert [row[1].value for row in lists.iter_rows() if row[1].value] == roles
    assert guide.max_row > 10


def test_dry_run_counts_and_writes_nothing(world, upload):
    before = state()
    batch = upload(world.tuan, "users", sheet(*good_rows(world)))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (2, 2, 0)
    assert state() == before


def test_apply_creates_updates_audits_and_a_second_import_changes_nothing(world, upload, apply):
    content = sheet(*good_rows(world))
    batch = apply(world.tuan, upload(world.tuan, "users", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    mai = User.objects.get(username="mai.tran")
    assert (mai.last_name, mai.first_name, mai.email, mai.organisation, mai.language) == (
        "Trần Thị",
        "Mai",
        "mai@quangyen.vn",
        world.wu_yen_giang,
        "vi",
    )
    # No password was imported: a long random one nobody knows, replaced through the reset link.
    assert mai.is_active and mai.has_usable_password()
    assert not mai.check_password("") and not mai.check_password("mai.tran")
    assert list(PasswordResetForm().get_users("mai@quangyen.vn")) == [mai]  # the reset link
    assert mai.role_assignments.get().organisation == world.wu_yen_giang
    hung = User.objects.get(username="hung.le")
    assert (hung.organisation, hung.language) == (world.commission_qn, "en")
    assert hung.role_assignments.get().area == world.quang_yen
    world.lan.refresh_from_db()
    assert (world.lan.email, world.lan.first_name) == ("lan.moi@danvan.test", "Lan")  # kept
    assert world.quan.role_assignments.filter(role=Role.REVIEWER, area=world.quang_yen).exists()
    latest = world.lan.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        f"import #{batch.pk}",
        world.tuan,
    )
    assert set(
        RoleAssignment.history.filter(history_type="+", user__in=[mai, hung]).values_list(
            "history_change_reason", flat=True
        )
    ) == {f"import #{batch.pk}"}

    before = state()
    second = apply(world.tuan, upload(world.tuan, "users", content))
    assert second.status == BatchStatus.APPLIED, issues_of(second)
    assert (second.creates, second.updates, second.unchanged) == (0, 0, 4)
    assert state() == before


def test_an_edited_file_updates(world, upload, apply):
    apply(world.tuan, upload(world.tuan, "users", sheet(*good_rows(world))))
    edited = sheet(
        ["mai.tran", "Trần Thị Thanh", "Mai", "", "", "ar", "", "", "", "", ""],
        ["hung.le", "Lê Văn", "Hùng", "", "", "", "officer", "", "", world.pc_yen_giang.code, ""],
    )
    batch = apply(world.tuan, upload(world.tuan, "users", edited))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (0, 2, 0)
    mai = User.objects.get(username="mai.tran")
    assert (mai.last_name, mai.email, mai.language) == ("Trần Thị Thanh", "mai@quangyen.vn", "ar")
    hung = User.objects.get(username="hung.le")
    assert sorted(hung.role_assignments.values_list("role", flat=True)) == ["officer", "viewer"]


def test_bad_rows_are_reported_on_their_cells_and_nothing_is_written(world, upload):
    before = state()
    wu = world.wu_yen_giang.code
    content = sheet(
        ["a1", "", "", "", wu, "", "chủ tịch", "", "", wu, ""],
        ["a2", "", "", "", "KHONG-CO", "", "", "", "", "", ""],
        ["a3", "", "", "", wu, "", "", "", "", "", ""],
        ["a3", "", "", "", wu, "", "", "", "", "", ""],
        ["", "Không", "Tên", "", wu, "", "", "", "", "", ""],
        ["a4", "", "", "", world.wu_thien_loc.code, "", "", "", "", "", ""],
        ["a5", "", "", "", wu, "", "officer", world.can_loc.code, "", "", ""],
        ["a6", "", "", "", wu, "", "viewer", "", "Phường An Bình", "", ""],
        ["a7", "", "", "", wu, "", "", world.quang_yen.code, "", "", ""],
        ["a8", "", "", "", wu, "", "viewer", "", "", "", "có"],
        ["nga", "", "", "", wu, "", "", "", "", "", ""],
        ["a9", "", "", "khong-phai-email", wu, "", "", "", "", "", ""],
        ["a10", "", "", "", "", "", "", "", "", "", ""],
        ["a11", "", "", "", wu, "", "viewer", "", "", "", ""],
    )
    batch = upload(world.tuan, "users", content)
    assert batch.status == BatchStatus.FAILED
    found = {(row, column): message for row, column, _severity, message in issues_of(batch)}
    assert set(found) == {
        (2, "role"),
        (3, "organisation"),
        (5, "username"),
        (6, "username"),
        (7, "organisation"),
        (8, "role_area_code"),
        (9, "role_area"),
        (10, "role"),
        (11, "nationwide"),
        (12, "username"),
        (13, "email"),
        (14, "organisation"),
        (15, "role_area_code"),
    }
    assert "not in the list" in found[2, "role"]
    assert "KHONG-CO" in found[3, "organisation"]
    assert found[5, "username"] == "This user name is also on row 4."
    assert found[6, "username"] == "This cell is required."
    assert "permission" in found[7, "organisation"]
    assert "permission" in found[8, "role_area_code"]
    assert "Phường An Bình" in found[9, "role_area"]
    assert "Give the role" in found[10, "role"]
    assert "super administrator" in found[11, "nationwide"]
    assert "already exists" in found[12, "username"]  # another province's officer
    assert "valid email" in found[13, "email"]
    assert "organisation" in found[14, "organisation"]
    assert "area or an organisation" in found[15, "role_area_code"]
    assert batch.creates == 1  # the first a3
    assert state() == before


def test_a_password_column_is_refused(world, upload):
    content = xlsx_bytes(
        [
            [*headers("users", "en", ["username", "organisation"]), "Password"],
            ["x", world.wu_yen_giang.code, "secret-123"],
        ]
    )
    batch = upload(world.tuan, "users", content)
    assert batch.status == BatchStatus.FAILED
    [(row, _column, _severity, message)] = issues_of(batch)
    assert row is None and "Password" in message
    assert not User.objects.filter(username="x").exists()


def test_officers_cannot_import_people(world, upload):
    with pytest.raises(PermissionDenied):
        upload(world.lan, "users", sheet(*good_rows(world)))


def test_arabic_headers_and_digits(world, upload, apply):
    code = world.wu_yen_giang.code.translate(ARABIC_DIGITS)
    assert code != world.wu_yen_giang.code
    content = sheet(
        ["salma", "", "سلمى", "", code, "العربية", "مُطّلِع", "", "", code, "لا"],
        language="ar",
    )
    batch = apply(world.tuan, upload(world.tuan, "users", content, language="ar"))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    salma = User.objects.get(username="salma")
    assert (salma.organisation, salma.language) == (world.wu_yen_giang, "ar")
    assert salma.role_assignments.get().role == Role.VIEWER


def test_rollback_removes_creates_restores_updates_and_takes_roles_back(world, upload, apply):
    before = state()
    batch = apply(world.tuan, upload(world.tuan, "users", sheet(*good_rows(world))))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    # Signing in saves the account; that is no change to lose.
    hung = User.objects.get(username="hung.le")
    hung.last_login = timezone.now()
    hung.save(update_fields=["last_login"])
    lan = User.objects.get(username="lan")
    lan.last_login = timezone.now()
    lan.save(update_fields=["last_login"])
    with pytest.raises(PermissionDenied):
        batch_rollback(actor=world.lan, batch=batch)
    batch_rollback(actor=world.tuan, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert not User.objects.filter(username="mai.tran").exists()  # never signed in
    hung.refresh_from_db()
    assert not hung.is_active  # signed in since: kept, and blocked
    assert not hung.role_assignments.exists()
    world.lan.refresh_from_db()
    assert world.lan.email == "lan@danvan.test"
    assert not world.quan.role_assignments.filter(role=Role.REVIEWER).exists()
    after = state()
    assert after[0] == sorted([*before[0], after_row(hung)])
    assert after[1] == before[1]
    assert User.history.filter(history_change_reason=f"rollback of import #{batch.pk}")
    with pytest.raises(ValidationError):
        batch_rollback(actor=world.tuan, batch=batch)


def after_row(user):
    return (
        user.username,
        user.first_name,
        user.last_name,
        user.email,
        user.organisation_id,
        user.language,
    )


def test_rollback_is_refused_after_later_edits(world, upload, apply):
    batch = apply(world.tuan, upload(world.tuan, "users", sheet(*good_rows(world))))
    lan = User.objects.get(username="lan")
    user_update(actor=world.tuan, user=lan, first_name="Lan (sửa tay)")
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=batch)
    assert "lan" in str(refused.value)
    lan.refresh_from_db()
    assert lan.first_name == "Lan (sửa tay)"
    assert User.objects.filter(username="mai.tran").exists()


def test_the_api_gives_the_template_and_takes_the_file(
    world, media_root, django_capture_on_commit_callbacks
):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(world.tuan)
    response = api.get("/api/v1/imports/templates/users/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in book.worksheets[0][1]] == headers("users", "en")
    with django_capture_on_commit_callbacks(execute=True) as captured:
        response = api.post(
            "/api/v1/imports/",
            {"kind": "users", "file": SimpleUploadedFile("u.xlsx", sheet(*good_rows(world)))},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    work(captured)
    body = api.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert (body["kind"], body["status"], body["creates"], body["updates"]) == (
        "users",
        "validated",
        2,
        2,
    )


def test_a_person_with_a_role_outside_scope_cannot_be_changed_by_import(world, upload):
    """Hạnh works for a Quảng Ninh commission but reviews in Hà Tĩnh: Tuấn's file cannot give
    her a new address (which a reset link would then reach)."""
    hanh = User.objects.create_user(
        username="hanh", email="hanh@quangninh.test", organisation=world.commission_qn
    )
    RoleAssignment.objects.create(user=hanh, role=Role.REVIEWER, area=world.ha_tinh)
    before = state()
    batch = upload(
        world.tuan,
        "users",
        sheet(["hanh", "", "", "attacker@evil.test", "", "", "", "", "", "", ""]),
    )
    assert batch.status == BatchStatus.FAILED
    ((row, column, _severity, message),) = issues_of(batch)
    assert (row, column) == (2, "username")
    assert "outside the places you administer" in message
    assert state() == before
