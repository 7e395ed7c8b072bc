"""Villages and residential groups from a spreadsheet: template, dry run, apply, idempotence,
audit, rollback."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from danvan.areas.models import Area, AreaKind, CodeScheme
from danvan.areas.services import area_update
from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.imports.workbooks import workbook
from tests.factories import AreaFactory, OrganisationFactory
from tests.imports.conftest import headers, issues_of, xlsx_bytes

pytestmark = pytest.mark.django_db

KEYS = ["code", "name", "kind", "parent_code", "parent", "latitude", "longitude"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sheet(*rows, language="vi"):
    return xlsx_bytes([headers("villages", language, KEYS), *rows])


def state() -> tuple:
    """What a villages import may write: the local units and their history."""
    return (
        sorted(
            Area.objects.filter(scheme=CodeScheme.LOCAL).values_list(
                "code", "name", "kind", "parent", "path", "latitude", "longitude"
            )
        ),
        Area.history.count(),
    )


def good_rows(world):
    return [
        ["", "Tổ dân phố 1", "Tổ dân phố", world.quang_yen.code, "", "20,935678", "106,8012"],
        ["QY-TDP-2", "Tổ dân phố 2", "residential_group", "", "Phường Quảng Yên", "", ""],
        [world.zone_1.code, "Khu 1 (Yên Giang)", "residential_group", "", "", "", ""],
        ["", "Tổ liên gia 1", "Family group", world.zone_1.code, "", "", ""],
    ]


def test_the_template_has_vietnamese_headers_and_a_list_of_local_kinds(world):
    book = openpyxl.load_workbook(io.BytesIO(workbook("villages", language="vi")))
    data, guide, lists = book.worksheets
    assert [cell.value for cell in data[1]] == headers("villages", "vi")
    [validation] = data.data_validations.dataValidation
    assert str(validation.sqref).startswith("C2")  # the kind column
    with translation.override("vi"):
        expected = [
            str(AreaKind.VILLAGE.label),
            str(AreaKind.RESIDENTIAL_GROUP.label),
            str(AreaKind.FAMILY_GROUP.label),
        ]
    assert [row[0].value for row in lists.iter_rows()] == expected
    assert guide.max_row > 10


def test_dry_run_counts_and_writes_nothing(world, upload):
    before = state()
    batch = upload(world.tuan, "villages", sheet(*good_rows(world)))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (3, 1, 0)
    assert state() == before


def test_apply_creates_updates_audits_and_a_second_import_changes_nothing(world, upload, apply):
    content = sheet(*good_rows(world))
    batch = apply(world.tuan, upload(world.tuan, "villages", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    first = Area.objects.get(name="Tổ dân phố 1")
    assert (first.scheme, first.kind, first.parent) == (
        CodeScheme.LOCAL,
        AreaKind.RESIDENTIAL_GROUP,
        world.quang_yen,
    )
    assert first.code.startswith(f"{world.quang_yen.code}-")
    assert (first.latitude, first.longitude) == (Decimal("20.935678"), Decimal("106.8012"))
    assert first.path == f"{world.quang_yen.path}.{first.pk}"
    assert Area.objects.get(code="QY-TDP-2", scheme=CodeScheme.LOCAL).parent == world.quang_yen
    family = Area.objects.get(name="Tổ liên gia 1")
    assert (family.kind, family.parent) == (AreaKind.FAMILY_GROUP, world.zone_1)
    world.zone_1.refresh_from_db()
    assert (world.zone_1.name, world.zone_1.parent) == ("Khu 1 (Yên Giang)", world.yen_giang)
    latest = world.zone_1.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        f"import #{batch.pk}",
        world.tuan,
    )
    assert set(
        Area.history.filter(id=first.pk).values_list("history_change_reason", flat=True)
    ) == {f"import #{batch.pk}"}

    before = state()
    second = apply(world.tuan, upload(world.tuan, "villages", content))
    assert second.status == BatchStatus.APPLIED, issues_of(second)
    assert (second.creates, second.updates, second.unchanged) == (0, 0, 4)
    assert state() == before


def test_an_edited_file_updates_names_places_and_coordinates(world, upload, apply):
    apply(world.tuan, upload(world.tuan, "villages", sheet(*good_rows(world))))
    edited = sheet(
        ["QY-TDP-2", "Tổ dân phố số 2", "Tổ dân phố", "", "", "20,94", "106,81"],
        [world.zone_1.code, "Khu 1 (Yên Giang)", "residential_group", "", "", "", ""],
        ["", "Tổ liên gia 1", "family_group", "", "", "", ""],
    )
    batch = upload(world.tuan, "villages", edited)
    assert [column for _row, column, _s, _m in issues_of(batch)] == ["parent_code"]
    edited = sheet(
        ["QY-TDP-2", "Tổ dân phố số 2", "Tổ dân phố", "", "", "20,94", "106,81"],
        [world.zone_1.code, "Khu 1 (Yên Giang)", "residential_group", "", "", "", ""],
    )
    batch = apply(world.tuan, upload(world.tuan, "villages", edited))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (0, 1, 1)
    group = Area.objects.get(code="QY-TDP-2", scheme=CodeScheme.LOCAL)
    assert (group.name, group.latitude, group.longitude) == (
        "Tổ dân phố số 2",
        Decimal("20.94"),
        Decimal("106.81"),
    )


def test_bad_rows_are_reported_on_their_cells_and_nothing_is_written(world, upload):
    commune = AreaFactory(name="Xã Thử", kind=AreaKind.COMMUNE, parent=world.quang_ninh)
    before = state()
    content = sheet(
        ["", "Xóm lạ", "xóm", world.quang_yen.code, "", "", ""],
        ["", "Không rõ xã", "village", "99999999", "", "", ""],
        ["", "Trùng tên xã", "village", "", "Phường An Bình", "", ""],
        ["T-1", "Một", "village", world.quang_yen.code, "", "", ""],
        ["T-1", "Hai", "village", world.quang_yen.code, "", "", ""],
        ["", "", "village", world.quang_yen.code, "", "", ""],
        ["", "Ngoài phạm vi", "village", world.can_loc.code, "", "", ""],
        ["", "Dưới tỉnh", "village", world.quang_ninh.code, "", "", ""],
        [world.zone_1.code, "Khu 1", "village", "", "", "", ""],
        [commune.code, "Xã Thử", "village", "", "", "", ""],
        ["", "Tọa độ chữ", "village", world.quang_yen.code, "", "bắc", ""],
        ["", "Quá nhiều số lẻ", "village", world.quang_yen.code, "", "20,123456789", ""],
        ["", "Không có cấp trên", "village", "", "", "", ""],
    )
    batch = upload(world.tuan, "villages", content)
    assert batch.status == BatchStatus.FAILED
    found = {(row, column): message for row, column, _severity, message in issues_of(batch)}
    assert set(found) == {
        (2, "kind"),
        (3, "parent_code"),
        (4, "parent"),
        (6, "code"),
        (7, "name"),
        (8, "parent_code"),
        (9, "parent_code"),
        (10, "kind"),
        (11, "code"),
        (12, "latitude"),
        (13, "latitude"),
        (14, "parent_code"),
    }
    assert "not in the list" in found[2, "kind"]
    assert "99999999" in found[3, "parent_code"]
    assert "Phường An Bình" in found[4, "parent"] and "Give the code" in found[4, "parent"]
    assert found[6, "code"] == "This code is also on row 5."
    assert found[7, "name"] == "This cell is required."
    assert "permission" in found[8, "parent_code"]
    assert "commune" in found[9, "parent_code"]
    assert "cannot be changed" in found[10, "kind"]
    assert "not of a village" in found[11, "code"]
    assert "not a number" in found[12, "latitude"]
    assert "digits" in found[13, "latitude"]
    assert batch.creates == 1  # the first T-1
    assert state() == before


def test_officers_cannot_import_villages(world, upload):
    with pytest.raises(PermissionDenied):
        upload(world.lan, "villages", sheet(*good_rows(world)))


def test_arabic_headers_and_digits(world, upload, apply):
    content = sheet(
        [
            "",
            "قرية ١",
            "village",
            world.quang_yen.code.translate(ARABIC_DIGITS),
            "",
            "٢٠٫٩٣٥٦",
            "١٠٦٫٨",
        ],
        language="ar",
    )
    batch = apply(world.tuan, upload(world.tuan, "villages", content, language="ar"))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    village = Area.objects.get(name="قرية ١")
    assert (village.parent, village.latitude, village.longitude) == (
        world.quang_yen,
        Decimal("20.9356"),
        Decimal("106.8"),
    )


def test_rollback_removes_creates_and_restores_updates(world, upload, apply):
    before = state()
    content = sheet(
        *good_rows(world),
        [
            world.zone_1.code,
            "Khu 1 (Yên Giang)",
            "residential_group",
            world.quang_yen.code,
            "",
            "21",
            "107",
        ],
    )
    batch = upload(world.tuan, "villages", content)
    assert issues_of(batch) == [(6, "code", "error", "This code is also on row 4.")]
    content = sheet(
        *good_rows(world)[:2],
        [
            world.zone_1.code,
            "Khu 1 (Yên Giang)",
            "residential_group",
            world.quang_yen.code,
            "",
            "21",
            "107",
        ],
        ["", "Tổ liên gia 1", "Family group", world.zone_1.code, "", "", ""],
    )
    batch = apply(world.tuan, upload(world.tuan, "villages", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    world.zone_1.refresh_from_db()
    assert world.zone_1.parent == world.quang_yen  # moved, with its new family group
    with pytest.raises(PermissionDenied):
        batch_rollback(actor=world.lan, batch=batch)
    batch_rollback(actor=world.tuan, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert state()[0] == before[0]  # names, places, paths and (no) coordinates as they were
    assert Area.history.filter(history_change_reason=f"rollback of import #{batch.pk}")


def test_rollback_is_refused_after_later_edits_or_when_a_new_unit_is_used(world, upload, apply):
    batch = apply(world.tuan, upload(world.tuan, "villages", sheet(*good_rows(world))))
    zone = Area.objects.get(pk=world.zone_1.pk)
    area_update(actor=world.tuan, area=zone, name="Sửa tay sau đó")
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=batch)
    assert world.zone_1.code in str(refused.value)

    other = apply(
        world.tuan,
        upload(
            world.tuan,
            "villages",
            sheet(["QY-3", "Tổ 3", "residential_group", "", "Phường Quảng Yên", "", ""]),
        ),
    )
    OrganisationFactory(seat_area=Area.objects.get(code="QY-3", scheme=CodeScheme.LOCAL))
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=other)
    assert "QY-3" in str(refused.value) and "used" in str(refused.value)
