"""Organisations from a spreadsheet: template, dry run, apply, idempotence, audit, rollback."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.imports.workbooks import workbook
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.services import organisation_update
from tests.imports.conftest import headers, issues_of, xlsx_bytes
from tests.people import person

pytestmark = pytest.mark.django_db

KEYS = ["code", "name", "kind", "seat_area_code", "seat_area", "parent"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sheet(*rows, language="vi"):
    return xlsx_bytes([headers("organisations", language, KEYS), *rows])


def state() -> tuple:
    """What an organisations import may write: the organisations and their history."""
    return (
        sorted(Organisation.objects.values_list("code", "name", "kind", "seat_area", "parent")),
        Organisation.history.count(),
    )


def good_rows(world):
    return [
        ["", "Hội Nông dân phường Quảng Yên", "Hội Nông dân", world.quang_yen.code, "", ""],
        ["DTN-QY", "Đoàn Thanh niên phường Quảng Yên", "youth_union", "", "Phường Quảng Yên", ""],
        ["CD-QY-1", "Chi đoàn khu 1", "Youth Union", world.quang_yen.code, "", "DTN-QY"],
        [world.wu_yen_giang.code, "Hội LHPN phường Yên Giang (cũ)", "womens_union", "", "", ""],
    ]


def test_the_template_has_vietnamese_headers_and_a_list_of_kinds(world):
    book = openpyxl.load_workbook(io.BytesIO(workbook("organisations", language="vi")))
    data, guide, lists = book.worksheets
    assert [cell.value for cell in data[1]] == headers("organisations", "vi")
    assert data.max_row == 1
    [validation] = data.data_validations.dataValidation
    assert str(validation.sqref).startswith("C2")  # the kind column
    with translation.override("vi"):
        labels = [str(label) for label in OrgKind.labels]
    assert [row[0].value for row in lists.iter_rows()] == labels
    assert guide.max_row > 10


def test_dry_run_counts_and_writes_nothing(world, upload):
    before = state()
    batch = upload(world.tuan, "organisations", sheet(*good_rows(world)))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (3, 1, 0)
    assert state() == before


def test_apply_creates_updates_audits_and_a_second_import_changes_nothing(world, upload, apply):
    content = sheet(*good_rows(world))
    batch = apply(world.tuan, upload(world.tuan, "organisations", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates) == (3, 1)
    farmers = Organisation.objects.get(name="Hội Nông dân phường Quảng Yên")
    assert farmers.code.startswith("ORG-")
    assert (farmers.kind, farmers.seat_area) == (OrgKind.FARMERS_ASSOCIATION, world.quang_yen)
    youth = Organisation.objects.get(code="DTN-QY")
    assert youth.seat_area == world.quang_yen
    assert Organisation.objects.get(code="CD-QY-1").parent == youth  # a row above
    world.wu_yen_giang.refresh_from_db()
    assert world.wu_yen_giang.name == "Hội LHPN phường Yên Giang (cũ)"
    assert world.wu_yen_giang.seat_area == world.yen_giang  # an empty seat keeps it
    latest = world.wu_yen_giang.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        f"import #{batch.pk}",
        world.tuan,
    )
    assert set(
        Organisation.history.filter(history_type="+", code__in=["DTN-QY", "CD-QY-1"]).values_list(
            "history_change_reason", flat=True
        )
    ) == {f"import #{batch.pk}"}

    before = state()
    second = apply(world.tuan, upload(world.tuan, "organisations", content))
    assert second.status == BatchStatus.APPLIED, issues_of(second)
    assert (second.creates, second.updates, second.unchanged) == (0, 0, 4)
    assert state() == before


def test_an_edited_file_updates(world, upload, apply):
    apply(world.tuan, upload(world.tuan, "organisations", sheet(*good_rows(world))))
    edited = sheet(
        ["DTN-QY", "Đoàn TN phường Quảng Yên", "youth_union", "", "", world.commission_qn.code],
        ["CD-QY-1", "Chi đoàn khu 1", "Youth Union", world.quang_yen.code, "", "DTN-QY"],
    )
    batch = apply(world.tuan, upload(world.tuan, "organisations", edited))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (0, 1, 1)
    youth = Organisation.objects.get(code="DTN-QY")
    assert (youth.name, youth.parent) == ("Đoàn TN phường Quảng Yên", world.commission_qn)


def test_bad_rows_are_reported_on_their_cells_and_nothing_is_written(world, upload, areas):
    before = state()
    content = sheet(
        ["", "Không rõ loại", "hội đồng hương", world.quang_yen.code, "", ""],
        ["", "Không rõ địa bàn", "other", "99999999", "", ""],
        ["", "Trùng tên địa bàn", "other", "", "Phường An Bình", ""],
        ["X-1", "Một", "other", world.quang_yen.code, "", ""],
        ["X-1", "Hai", "other", world.quang_yen.code, "", ""],
        ["", "", "other", world.quang_yen.code, "", ""],
        ["", "Ngoài phạm vi", "other", world.can_loc.code, "", ""],
        ["", "Không có trụ sở", "other", "", "", ""],
        ["", "Cấp trên lạ", "other", world.quang_yen.code, "", "KHONG-CO"],
        [world.commission_qn.code, "Ban Dân vận", "other", "", "", world.commission_qn.code],
    )
    batch = upload(world.tuan, "organisations", content)
    assert batch.status == BatchStatus.FAILED
    found = {(row, column): message for row, column, _severity, message in issues_of(batch)}
    assert set(found) == {
        (2, "kind"),
        (3, "seat_area_code"),
        (4, "seat_area"),
        (6, "code"),
        (7, "name"),
        (8, "seat_area_code"),
        (9, "seat_area_code"),
        (10, "parent"),
        (11, "parent"),
    }
    assert "not in the list" in found[2, "kind"]
    assert "99999999" in found[3, "seat_area_code"]
    assert "Phường An Bình" in found[4, "seat_area"] and "Give the code" in found[4, "seat_area"]
    assert found[6, "code"] == "This code is also on row 5."
    assert found[7, "name"] == "This cell is required."
    assert "permission" in found[8, "seat_area_code"]
    assert "seat area" in found[9, "seat_area_code"]
    assert "KHONG-CO" in found[10, "parent"]
    assert "itself" in found[11, "parent"]
    assert batch.creates == 1  # the first X-1
    assert state() == before


def test_a_name_twice_in_one_area_is_refused(world, upload):
    row = [
        "",
        "Hội Cựu chiến binh phường Quảng Yên",
        "veterans_association",
        "",
        "Phường Quảng Yên",
        "",
    ]
    batch = upload(world.tuan, "organisations", sheet(row, row))
    assert issues_of(batch) == [
        (3, "name", "error", "An organisation of this name in this area is also on row 2.")
    ]


def test_officers_cannot_import_organisations(world, upload):
    with pytest.raises(PermissionDenied):
        upload(world.lan, "organisations", sheet(*good_rows(world)))


def test_arabic_headers_and_digits(world, upload, apply):
    content = sheet(
        ["", "نادي", "other", world.quang_yen.code.translate(ARABIC_DIGITS), "", ""],
        language="ar",
    )
    batch = apply(world.tuan, upload(world.tuan, "organisations", content, language="ar"))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert Organisation.objects.get(name="نادي").seat_area == world.quang_yen


def test_rollback_removes_creates_and_restores_updates(world, upload, apply):
    original = world.wu_yen_giang.name
    batch = apply(world.tuan, upload(world.tuan, "organisations", sheet(*good_rows(world))))
    before_rollback = Organisation.objects.count()
    with pytest.raises(PermissionDenied):
        batch_rollback(actor=world.lan, batch=batch)
    batch_rollback(actor=world.tuan, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert Organisation.objects.count() == before_rollback - 3
    assert not Organisation.objects.filter(code__in=["DTN-QY", "CD-QY-1"]).exists()
    world.wu_yen_giang.refresh_from_db()
    assert world.wu_yen_giang.name == original
    assert Organisation.history.filter(history_change_reason=f"rollback of import #{batch.pk}")
    with pytest.raises(ValidationError):
        batch_rollback(actor=world.tuan, batch=batch)


def test_rollback_is_refused_after_later_edits_or_when_a_new_organisation_is_used(
    world, upload, apply
):
    batch = apply(world.tuan, upload(world.tuan, "organisations", sheet(*good_rows(world))))
    organisation = Organisation.objects.get(pk=world.wu_yen_giang.pk)
    organisation_update(actor=world.tuan, organisation=organisation, name="Sửa tay sau đó")
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=batch)
    assert world.wu_yen_giang.code in str(refused.value)

    other = apply(
        world.tuan,
        upload(
            world.tuan,
            "organisations",
            sheet(["CLB-1", "Câu lạc bộ", "other", "", "Phường Quảng Yên", ""]),
        ),
    )
    person("member", member_of=Organisation.objects.get(code="CLB-1"))
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=other)
    assert "CLB-1" in str(refused.value) and "used" in str(refused.value)
    assert Organisation.objects.filter(code="CLB-1").exists()


def test_the_import_page_offers_each_kind_to_those_who_may_import_it(world, client):
    client.force_login(world.tuan)
    page = client.get(reverse("imports:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for kind in ("organisations", "villages", "users"):
        assert reverse("imports:template", args=[kind]) in page
        assert f'<option value="{kind}">' in page
    client.force_login(world.lan)
    page = client.get(reverse("imports:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="organisations">' not in page
    assert '<option value="initiatives">' in page
