"""``/api/v1/imports/``: upload → 202, follow the check, read the problems, apply, roll back,
download the templates."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from danvan.imports.models import BatchStatus, ImportBatch
from danvan.initiatives.models import Initiative
from tests.imports.conftest import counts, headers, work, xlsx_bytes

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area"]


def client(user) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(user)
    return api


def post_file(api, content: bytes, kind: str = "initiatives", name: str = "f.xlsx"):
    return api.post(
        "/api/v1/imports/",
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_upload_check_issues_apply_and_rollback(
    world, media_root, django_capture_on_commit_callbacks
):
    lan = client(world.lan)
    content = xlsx_bytes(
        [
            headers("initiatives", "en", KEYS),
            ["", "Qua API", "economy", world.wu_yen_giang.code, 2024, "Khu 1"],
            ["", "", "economy", world.wu_yen_giang.code, 2024, "Khu 1"],
        ]
    )
    before = counts()
    with django_capture_on_commit_callbacks(execute=True) as captured:
        response = post_file(lan, content)
    assert response.status_code == 202, response.content
    batch_id = response.json()["id"]
    assert response.json()["status"] == BatchStatus.UPLOADED
    work(captured)
    body = lan.get(f"/api/v1/imports/{batch_id}/").json()
    assert (body["status"], body["progress"], body["creates"], body["error_count"]) == (
        "failed",
        100,
        1,
        1,
    )
    issues = lan.get(f"/api/v1/imports/{batch_id}/issues/?severity=error").json()
    assert issues["count"] == 1
    assert (issues["results"][0]["row"], issues["results"][0]["column"]) == (3, "title")
    assert counts() == before
    refused = lan.post(f"/api/v1/imports/{batch_id}/apply/")
    assert refused.status_code == 400

    good = xlsx_bytes(
        [
            headers("initiatives", "en", KEYS),
            ["", "Qua API", "economy", world.wu_yen_giang.code, 2024, "Khu 1"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True) as captured:
        batch_id = post_file(lan, good).json()["id"]
    work(captured)
    assert client(world.thu).get(f"/api/v1/imports/{batch_id}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True) as captured:
        response = lan.post(f"/api/v1/imports/{batch_id}/apply/")
    assert response.status_code == 202
    assert response.json()["status"] == BatchStatus.APPLYING
    work(captured)
    assert lan.get(f"/api/v1/imports/{batch_id}/").json()["status"] == "applied"
    assert Initiative.objects.filter(title="Qua API").exists()
    assert lan.post(f"/api/v1/imports/{batch_id}/rollback/").status_code == 403
    tuan = client(world.tuan)
    with django_capture_on_commit_callbacks(execute=True) as captured:
        response = tuan.post(f"/api/v1/imports/{batch_id}/rollback/")
    # Accepted at once: the rollback runs in the background, followed on the import.
    assert response.status_code == 202, response.content
    assert response.json()["status"] == BatchStatus.ROLLING_BACK
    assert Initiative.objects.filter(title="Qua API").exists()
    assert tuan.get(f"/api/v1/imports/{batch_id}/").json()["progress"] == 0
    work(captured)
    assert tuan.get(f"/api/v1/imports/{batch_id}/").json()["status"] == "rolled_back"
    assert not Initiative.objects.filter(title="Qua API").exists()
    again = tuan.post(f"/api/v1/imports/{batch_id}/rollback/")
    assert again.status_code == 400


def test_upload_refuses_a_wrong_type_and_unknown_kind(world, media_root):
    lan = client(world.lan)
    response = post_file(lan, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert response.status_code == 400
    assert "not a spreadsheet" in str(response.json()["error"]["fields"]["file"])
    assert post_file(lan, b"a,b\n", kind="nothing").status_code == 400
    assert not ImportBatch.objects.exists()


def test_people_without_the_role_cannot_upload(world, media_root):
    assert post_file(client(world.quan), b"a,b\n").status_code == 403
    assert APIClient().get("/api/v1/imports/").status_code in (401, 403)


@pytest.mark.parametrize("kind", ["initiatives", "contributions", "results"])
def test_templates_in_the_readers_language_with_lists(world, kind):
    response = client(world.lan).get(f"/api/v1/imports/templates/{kind}/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    # The data sheet comes first; the initiatives' awards sheet may come before the guide.
    data = book.worksheets[0]
    guide = next(sheet for sheet in book.worksheets if sheet.title == "Instructions")
    assert [cell.value for cell in data[1]] == headers(kind, "en")
    assert data.max_row == 1  # no example rows where they could be imported by mistake
    assert guide.max_row > 10
    if kind != "results":
        assert data.data_validations.dataValidation
    assert client(world.lan).get("/api/v1/imports/templates/nothing/").status_code == 404
