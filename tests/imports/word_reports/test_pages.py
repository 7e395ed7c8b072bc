"""The pages of a Word-report import: upload, review beside the evidence, apply."""

import pytest
from django.urls import reverse

from danvan.imports.models import BatchStatus, ImportBatch, ItemDecision, ItemRecord
from danvan.initiatives.models import Initiative
from tests.imports.word_reports.conftest import upload_of

pytestmark = pytest.mark.django_db


def _upload(client, content: bytes, name: str = "bao-cao.docx"):
    return client.post(
        reverse("imports:word_report_upload"),
        {"file": upload_of(content, name)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_upload_review_and_apply_through_the_pages(world, client, media_root, report_file, lights):
    client.force_login(world.lan)
    index = client.get(reverse("imports:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("imports:word_report_upload") in index.content.decode()
    assert 'value="word_reports"' not in index.content.decode()  # not a spreadsheet kind
    form = client.get(reverse("imports:word_report_upload"), HTTP_ACCEPT_LANGUAGE="en")
    assert b'accept=".docx,.doc,.odt"' in form.content
    response = _upload(client, report_file())
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:word_report_review", args=[batch.pk])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Each figure beside its sentence, the words it was read from marked.
    assert "<mark>hơn 180 triệu đồng</mark>" in page
    assert 'data-qualifier="more_than"' in page
    assert "Thắp sáng đường quê khu 1" in page
    assert "No organisation found for “Chi hội phụ nữ khu 9”" in page
    assert Initiative.objects.filter(title="Thắp sáng đường quê khu 1").count() == 0

    model = batch.items.get(values__title="Thắp sáng đường quê khu 1")
    figures = batch.items.exclude(record=ItemRecord.INITIATIVE)
    data = {f"item-{model.position}-decision": "confirmed"}
    data[f"item-{model.position}-title"] = "Thắp sáng đường quê khu 1 (sửa)"
    for figure in figures:
        data[f"item-{figure.position}-decision"] = "confirmed"
        data[f"item-{figure.position}-link"] = f"item:{model.position}"
    saved = client.post(response["Location"], data, HTTP_ACCEPT_LANGUAGE="en")
    assert saved.status_code == 302
    assert batch.items.filter(decision=ItemDecision.CONFIRMED).count() == 1 + figures.count()
    applied = client.post(
        reverse("imports:word_report_apply", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert applied["Location"] == reverse("imports:detail", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    initiative = Initiative.objects.get(title="Thắp sáng đường quê khu 1 (sửa)")
    assert initiative.contributions.count() == 2
    detail = client.get(applied["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("imports:word_report_review", args=[batch.pk]) in detail


def test_a_hostile_file_is_refused_on_the_page(world, client, media_root):
    client.force_login(world.lan)
    response = _upload(client, b"MZ\x90\x00not a report at all" * 10)
    assert response.status_code == 200
    assert "This file is not a Word report" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_review_page_is_the_uploaders(world, client, media_root, report_file):
    client.force_login(world.lan)
    batch_url = _upload(client, report_file())["Location"]
    client.force_login(world.thu)  # another unit's officer: no such import
    assert client.get(batch_url).status_code == 404
    assert client.post(batch_url, {"item-1-decision": "confirmed"}).status_code == 404


def test_no_spreadsheet_template_for_word_reports(world, client):
    client.force_login(world.lan)
    url = reverse("imports:template", args=["word_reports"])
    assert client.get(url).status_code == 404


def test_the_review_page_in_arabic_is_right_to_left(world, client, media_root, report_file):
    client.force_login(world.lan)
    batch_url = _upload(client, report_file())["Location"]
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get(batch_url).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="vi"' in html  # the report's own words keep their language
