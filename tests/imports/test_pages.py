"""The import pages: upload, the self-refreshing status, the problems, apply and roll back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.imports.models import BatchStatus, ImportBatch
from danvan.initiatives.models import Initiative
from tests.imports.conftest import headers, work, xlsx_bytes

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area"]


def test_upload_check_apply_and_roll_back_through_the_pages(
    world, client, media_root, django_capture_on_commit_callbacks
):
    client.force_login(world.lan)
    index = client.get(reverse("imports:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert index.status_code == 200
    assert reverse("imports:template", args=["initiatives"]) in index.content.decode()
    content = xlsx_bytes(
        [
            headers("initiatives", "vi", KEYS),
            ["", "Qua trang", "economy", world.wu_yen_giang.code, 2024, "Khu 1"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True) as captured:
        response = client.post(
            reverse("imports:index"),
            {"kind": "initiatives", "file": SimpleUploadedFile("a.xlsx", content)},
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[batch.pk])
    running = client.get(response["Location"])
    assert b'hx-trigger="every 2s"' in running.content  # refreshes itself while checked
    work(captured)
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"every 2s" not in fragment.content and b"<html" not in fragment.content
    assert reverse("imports:apply", args=[batch.pk]).encode() in fragment.content
    with django_capture_on_commit_callbacks(execute=True) as captured:
        client.post(reverse("imports:apply", args=[batch.pk]))
    work(captured)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    assert Initiative.objects.filter(title="Qua trang").exists()

    client.force_login(world.tuan)
    detail = client.get(reverse("imports:detail", args=[batch.pk]))
    assert reverse("imports:rollback", args=[batch.pk]).encode() in detail.content
    with django_capture_on_commit_callbacks(execute=True) as captured:
        response = client.post(reverse("imports:rollback", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLING_BACK
    assert b'hx-trigger="every 2s"' in response.content  # follows the rollback as it runs
    work(captured)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert not Initiative.objects.filter(title="Qua trang").exists()


def test_a_refused_upload_says_why_and_others_cannot_see_an_import(world, client, media_root):
    client.force_login(world.lan)
    response = client.post(
        reverse("imports:index"),
        {"kind": "initiatives", "file": SimpleUploadedFile("a.xlsx", b"\x89PNG\r\n\x1a\n\0\0")},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "not a spreadsheet" in response.content.decode()
    assert not ImportBatch.objects.exists()
    client.force_login(world.quan)
    page = client.get(reverse("imports:index"))
    assert b'name="file"' not in page.content  # a viewer has nothing to import
    response = client.get(reverse("imports:template", args=["initiatives"]))
    assert response.status_code == 200
    assert client.get(reverse("imports:template", args=["nothing"])).status_code == 404
