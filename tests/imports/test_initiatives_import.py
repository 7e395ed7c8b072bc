"""Initiatives from a spreadsheet: dry run, apply, idempotence, audit and rollback."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.areas.models import CodeScheme
from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_update
from tests.imports.conftest import counts, headers, issues_of, xlsx_bytes

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area_code", "area", "start_date"]


def sheet(*rows, language="vi"):
    return xlsx_bytes([headers("initiatives", language, KEYS), *rows])


def test_dry_run_counts_creates_and_updates_and_writes_nothing(world, upload):
    before = counts()
    content = sheet(
        ["", "Thắp sáng đường quê", "Kinh tế", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
        [
            world.cultural_houses.code,
            "Khai thác nhà văn hóa (sửa)",
            "culture_society",
            world.wu_yen_giang.name,
            2024,
            "",
            "",
            datetime.date(2024, 1, 15),
        ],
        ["", "Không có địa bàn", "economy", world.wu_yen_giang.code, 2024, "", "", ""],
    )
    batch = upload(world.lan, "initiatives", content)
    assert issues_of(batch) == [(4, "area_code", "error", "Give the area's code or its name.")]
    assert batch.status == BatchStatus.FAILED
    assert (batch.creates, batch.updates) == (1, 1)
    assert counts() == before


def test_apply_creates_updates_and_a_second_import_changes_nothing(world, upload, apply):
    yen_giang = world.yen_giang
    content = sheet(
        ["", "Thắp sáng đường quê", "Kinh tế", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
        [
            world.cultural_houses.code,
            "Khai thác nhà văn hóa (sửa)",
            "culture_society",
            world.wu_yen_giang.name,
            2024,
            yen_giang.code,
            "",
            "15/01/2024",
        ],
    )
    before = counts()
    batch = upload(world.lan, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged) == (1, 1, 0)
    assert counts() == before
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    created = Initiative.objects.get(title="Thắp sáng đường quê")
    assert created.area == world.zone_1 and created.field == Field.ECONOMY
    assert created.code.startswith("DVK-2024-")
    world.cultural_houses.refresh_from_db()
    assert world.cultural_houses.title == "Khai thác nhà văn hóa (sửa)"
    assert world.cultural_houses.area == yen_giang
    reasons = set(
        Initiative.history.filter(id__in=[created.pk, world.cultural_houses.pk]).values_list(
            "history_change_reason", flat=True
        )
    )
    assert f"import #{batch.pk}" in reasons
    latest = world.cultural_houses.history.first()
    assert (latest.history_change_reason, latest.history_user) == (f"import #{batch.pk}", world.lan)

    # The same rows again, now with the new initiative's code: nothing changes.
    again = sheet(
        [
            created.code,
            "Thắp sáng đường quê",
            "economy",
            world.wu_yen_giang.code,
            2024,
            "",
            "Khu 1",
            "",
        ],
        [
            world.cultural_houses.code,
            "Khai thác nhà văn hóa (sửa)",
            "Culture–society",
            world.wu_yen_giang.code,
            2024,
            yen_giang.code,
            "",
            "2024-01-15",
        ],
    )
    history = Initiative.history.count()
    second = apply(world.lan, upload(world.lan, "initiatives", again))
    assert second.status == BatchStatus.APPLIED
    assert (second.creates, second.updates, second.unchanged) == (0, 0, 2)
    assert Initiative.history.count() == history


def test_area_code_is_read_in_the_scheme_of_the_rows_date(world, upload, apply):
    # 18406 is Thị trấn Nghèn in the legacy list and Xã Can Lộc in the current one.
    code = world.can_loc.code
    org = world.commission_ht.code
    content = sheet(
        ["", "Trước cải cách", "economy", org, 2024, code, "", "01/03/2024"],
        ["", "Sau cải cách", "economy", org, 2025, code, "", "01/08/2025"],
        ["", "Mã cũ sau cải cách", "economy", org, 2025, world.yen_giang.code, "", "01/08/2025"],
    )
    batch = upload(world.root, "initiatives", content)
    [(row, column, _severity, message)] = issues_of(batch)
    assert (row, column) == (4, "area_code")
    assert message == "Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên."
    assert batch.status == BatchStatus.FAILED

    batch = apply(world.root, upload(world.root, "initiatives", sheet(*content_rows(org, code))))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    before = Initiative.objects.get(title="Trước cải cách").area
    after = Initiative.objects.get(title="Sau cải cách").area
    assert (before.scheme, before.name) == (CodeScheme.LEGACY, "Thị trấn Nghèn")
    assert after == world.can_loc


def content_rows(org, code):
    return [
        ["", "Trước cải cách", "economy", org, 2024, code, "", "01/03/2024"],
        ["", "Sau cải cách", "economy", org, 2025, code, "", "01/08/2025"],
    ]


def test_an_ambiguous_area_name_lists_the_candidates(world, upload, areas):
    content = sheet(
        ["", "Mô hình", "economy", world.commission_ht.code, 2024, "", "Xã Tân Lộc", ""]
    )
    batch = upload(world.root, "initiatives", content)
    [(row, column, severity, message)] = issues_of(batch)
    assert (row, column, severity) == (2, "area", "error")
    assert "Xã Tân Lộc" in message and "Give the code" in message


def test_rows_outside_the_officers_scope_are_refused(world, upload):
    content = sheet(
        ["", "Ngoài phạm vi", "economy", world.wu_thien_loc.code, 2024, "", "Xã Thiên Lộc", ""],
        [world.railings.code, "Lan can", "economy", world.yu_ha_an.code, 2024, "", "", ""],
    )
    batch = upload(world.lan, "initiatives", content)
    found = {(row, column) for row, column, _s, _m in issues_of(batch)}
    assert found == {(2, ""), (3, "code")}


def test_an_update_cannot_move_an_initiative_to_another_organisation_or_year(world, upload):
    content = sheet(
        [world.cultural_houses.code, "x", "economy", world.pc_yen_giang.code, 2023, "", "Khu 1", ""]
    )
    batch = upload(world.root, "initiatives", content)
    assert {column for _r, column, _s, _m in issues_of(batch)} == {"organisation", "year"}


def test_a_code_twice_in_one_file_is_refused(world, upload):
    row = [
        world.cultural_houses.code,
        "x",
        "economy",
        world.wu_yen_giang.code,
        2024,
        "",
        "Khu 1",
        "",
    ]
    batch = upload(world.lan, "initiatives", sheet(row, row))
    assert issues_of(batch) == [(3, "code", "error", "This code is also on row 2.")]


def test_service_rules_are_reported_on_their_cells(world, upload):
    content = sheet(
        ["", "", "sport", world.wu_yen_giang.code, 2024, "", "Khu 1", "31/02/2024"],
        [world.digital.code, "x", "economy", world.pc_yen_giang.code, 2024, "", "", ""],
    )
    batch = upload(world.root, "initiatives", content)
    found = {(row, column) for row, column, _s, _m in issues_of(batch)}
    assert (2, "title") in found and (2, "field") in found and (2, "start_date") in found
    assert (3, "") in found  # a completed initiative cannot be changed


def test_apply_is_all_or_nothing(world, upload, apply):
    content = sheet(
        ["", "Một", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
        ["", "Hai", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
    )
    batch = upload(world.lan, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED
    # Between the check and the apply, Lan loses her role: the apply fails on the first row
    # and nothing of it stays.
    world.lan.role_assignments.all().delete()
    world.lan = type(world.lan).objects.get(pk=world.lan.pk)
    before = counts()
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.FAILED
    assert counts() == before
    assert issues_of(batch)[0][0] == 2


def test_only_the_uploader_applies_and_only_once(world, upload, apply):
    content = sheet(["", "Một", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", ""])
    batch = upload(world.lan, "initiatives", content)
    with pytest.raises(PermissionDenied):
        apply(world.thu, batch)
    assert apply(world.lan, batch).status == BatchStatus.APPLIED
    with pytest.raises(ValidationError):
        apply(world.lan, batch)


def test_rollback_restores_updates_and_removes_creates(world, upload, apply):
    original_title = world.cultural_houses.title
    content = sheet(
        ["", "Mới", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
        [
            world.cultural_houses.code,
            "Đã sửa",
            "economy",
            world.wu_yen_giang.code,
            2024,
            "",
            "Khu 1",
            "",
        ],
    )
    batch = apply(world.lan, upload(world.lan, "initiatives", content))
    assert batch.status == BatchStatus.APPLIED
    with pytest.raises(PermissionDenied):
        batch_rollback(actor=world.lan, batch=batch)
    batch_rollback(actor=world.tuan, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert not Initiative.objects.filter(title="Mới").exists()
    world.cultural_houses.refresh_from_db()
    assert world.cultural_houses.title == original_title
    assert world.cultural_houses.field == Field.CULTURE_SOCIETY
    assert Initiative.history.filter(history_change_reason=f"rollback of import #{batch.pk}")
    with pytest.raises(ValidationError):
        batch_rollback(actor=world.tuan, batch=batch)


def test_rollback_is_refused_after_later_edits_naming_them(world, upload, apply):
    content = sheet(
        [
            world.cultural_houses.code,
            "Đã sửa",
            "economy",
            world.wu_yen_giang.code,
            2024,
            "",
            "Khu 1",
            "",
        ],
    )
    batch = apply(world.lan, upload(world.lan, "initiatives", content))
    initiative = Initiative.objects.get(pk=world.cultural_houses.pk)
    initiative_update(actor=world.lan, initiative=initiative, title="Sửa tay sau đó")
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=batch)
    assert world.cultural_houses.code in str(refused.value)
    initiative.refresh_from_db()
    assert initiative.title == "Sửa tay sau đó"


def test_headers_in_english_and_arabic_and_numbers_in_their_notation(world, upload):
    for language in ("en", "ar"):
        content = sheet(
            [
                "",
                f"Mô hình {language}",
                "economy",
                world.wu_yen_giang.code,
                "2024",
                "",
                "Khu 1",
                "15/01/2024",
            ],
            language=language,
        )
        batch = upload(world.lan, "initiatives", content)
        assert batch.status == BatchStatus.VALIDATED, issues_of(batch)


def test_legacy_area_names_resolve_for_an_old_row(world, upload):
    content = sheet(
        ["", "Cũ", "economy", world.wu_yen_giang.code, 2024, "", "Phường Yên Giang", ""]
    )
    batch = upload(world.lan, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert world.yen_giang.scheme == CodeScheme.LEGACY
