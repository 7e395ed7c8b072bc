"""Uploaded and generated files are never served by their storage path: evidence (photos carry
GPS positions), reports and uploaded import files are read only through the views that check
the person's scope, in every mode, DEBUG or not."""

import importlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import clear_url_caches

from danvan.imports.models import ImportBatch, ImportKind
from danvan.initiatives.catalogues import EvidenceKind
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import Evidence
from danvan.reports.models import Report, ReportFormat, ReportKind, ReportStatus

pytestmark = pytest.mark.django_db


def _reload_urls() -> None:
    """Rebuild the URLconf under the settings now in force (urls.py reads DEBUG at import)."""
    clear_url_caches()
    importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()


@pytest.fixture
def urls_in_mode():
    """Reload the URLconf under DEBUG on or off; restore it after the test."""
    stack = []

    def enter(debug: bool) -> None:
        override = override_settings(DEBUG=debug)
        override.enable()
        stack.append(override)
        _reload_urls()

    yield enter
    while stack:
        stack.pop().disable()
    _reload_urls()


@pytest.fixture
def files(world, media_root):
    """A GPS-bearing photo of Lan's initiative, Lan's report and Lan's uploaded import file."""
    photo = image_bytes_for_tests("JPEG")
    evidence = Evidence.objects.create(
        initiative=world.cultural_houses,
        kind=EvidenceKind.PHOTO,
        title="Nhà văn hóa khu 1",
        file=ContentFile(photo, name="nha-van-hoa.jpg"),
        content_type="image/jpeg",
        size=len(photo),
        uploaded_by=world.lan,
    )
    report = Report.objects.create(
        kind=ReportKind.PERIODIC,
        year=2024,
        language="vi",
        format=ReportFormat.XLSX,
        status=ReportStatus.DONE,
        requested_by=world.lan,
    )
    report.file.save("bao-cao.xlsx", ContentFile(b"PK\x03\x04 report"))
    batch = ImportBatch.objects.create(
        kind=ImportKind.INITIATIVES,
        file=ContentFile(b"PK\x03\x04 upload", name="mo-hinh.xlsx"),
        original_name="mo-hinh.xlsx",
        requested_by=world.lan,
    )
    return {"evidence": evidence, "report": report, "import": batch}


def _media_path(field_file) -> str:
    return "/" + settings.MEDIA_URL.lstrip("/") + field_file.name


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("which", ["evidence", "report", "import"])
def test_no_file_is_served_by_its_storage_path(client, files, urls_in_mode, debug, which):
    urls_in_mode(debug)
    stored = files[which].file
    assert stored.storage.exists(stored.name)
    assert client.get(_media_path(stored)).status_code == 404


@pytest.mark.parametrize("debug", [True, False])
def test_no_file_is_served_by_its_storage_path_to_a_signed_in_person(
    client, world, files, urls_in_mode, debug
):
    urls_in_mode(debug)
    client.force_login(world.lan)
    for stored in files.values():
        assert client.get(_media_path(stored.file)).status_code == 404


def _checked_url(which: str, record) -> str:
    if which == "evidence":
        return f"/initiatives/{record.initiative_id}/evidence/{record.pk}/file/"
    if which == "report":
        return f"/reports/{record.pk}/download/"
    return f"/imports/{record.pk}/file/"


@pytest.mark.parametrize("which", ["evidence", "report", "import"])
def test_the_checked_view_serves_a_person_in_scope(client, world, files, which):
    client.force_login(world.lan)
    response = client.get(_checked_url(which, files[which]))
    assert response.status_code == 200
    files[which].file.open("rb")
    with files[which].file as handle:
        assert b"".join(response.streaming_content) == handle.read()


@pytest.mark.parametrize("which", ["evidence", "report", "import"])
def test_the_checked_view_refuses_a_person_out_of_scope(client, world, files, which):
    client.force_login(world.nga)  # an officer in Hà Tĩnh
    assert client.get(_checked_url(which, files[which])).status_code == 404


@pytest.mark.parametrize("which", ["evidence", "report", "import"])
def test_the_checked_view_sends_an_anonymous_visitor_to_sign_in(client, files, which):
    response = client.get(_checked_url(which, files[which]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_import_file_is_not_found_when_it_is_gone(client, world, files):
    batch = files["import"]
    batch.file.delete(save=False)
    client.force_login(world.lan)
    assert client.get(f"/imports/{batch.pk}/file/").status_code == 404
    assert client.get("/imports/999999/file/").status_code == 404


def test_the_import_page_links_to_the_checked_download(client, world, files):
    batch = files["import"]
    client.force_login(world.lan)
    html = client.get(f"/imports/{batch.pk}/").content.decode()
    assert f"/imports/{batch.pk}/file/" in html
    assert batch.file.name not in html


@pytest.mark.parametrize(
    ("which", "admin_url"),
    [
        ("evidence", "/admin/initiatives/evidence/{pk}/change/"),
        ("evidence", "/admin/initiatives/initiative/{initiative}/change/"),
        ("report", "/admin/reports/report/{pk}/change/"),
        ("import", "/admin/imports/importbatch/{pk}/change/"),
    ],
)
def test_the_admin_links_files_to_their_checked_view(client, world, files, which, admin_url):
    record = files[which]
    client.force_login(world.root)
    world.root.is_staff = world.root.is_superuser = True
    world.root.save()
    url = admin_url.format(pk=record.pk, initiative=getattr(record, "initiative_id", 0))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _checked_url(which, record) in html
    assert record.file.name not in html
    assert "/media/" not in html
