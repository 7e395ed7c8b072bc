"""The reports pages: the list of one's own reports and its polling rows, the form asking for a
periodic report (every bad input refused on its field), the download, and the initiative
list's background export."""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from danvan.reports.build import run_report
from danvan.reports.models import Report, ReportStatus
from danvan.reports.services import report_request
from tests.factories_review import PersonFactory

LIST = "/reports/"
NEW = "/reports/new/"
EXPORT = "/reports/export/"
CSV = "/reports/initiatives.csv"
GOOD = {
    "mode": "as_was",
    "year": "2024",
    "period_kind": "six_months",
    "period_start": "",
    "cutoff": "",
    "since": "2013",
    "format": "docx",
    "language": "en",
}


@pytest.fixture
def client(client, settings):
    """Pages in English, to compare their words with the messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(client, user):
    client.force_login(user)
    return client


def queued(actor, area, **changes) -> Report:
    arguments = {
        "kind": "periodic",
        "format": "docx",
        "language": "en",
        "year": 2024,
        "period_kind": "six_months",
        **changes,
    }
    return report_request(actor=actor, area=area, enqueue=False, **arguments)


def row_of(html: str, report: Report) -> str:
    match = re.search(rf'<tr id="report-{report.pk}".*?</tr>', html, re.S)
    assert match, f"no row of report {report.pk}"
    return match.group(0)


def test_the_list_needs_a_sign_in(client):
    answer = client.get(LIST)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_list_shows_only_ones_own_reports(client, movement):
    world = movement.world
    mine = queued(world.quan, movement.town)
    theirs = queued(world.tuan, movement.town, format="pdf")
    html = signed_in(client, world.quan).get(LIST).content.decode()
    row = row_of(html, mine)
    assert "Periodic report" in row and "Thị xã Quảng Yên" in row
    assert "Six months 2024" in row and "Word (DOCX)" in row and "English" in row
    assert "Queued" in row and "<progress" in row and 'hx-trigger="every 2s"' in row
    assert f'id="report-{theirs.pk}"' not in html
    root = signed_in(client, world.root).get(LIST).content.decode()
    assert f'id="report-{mine.pk}"' in root and f'id="report-{theirs.pk}"' in root


def test_the_list_is_paged(client, movement):
    for _ in range(21):
        queued(movement.world.quan, movement.town)
    first = signed_in(client, movement.world.quan).get(LIST).content.decode()
    assert first.count('<tr id="report-') == 20 and "Page 1 of 2" in first
    second = client.get(LIST, {"page": "2"}).content.decode()
    assert second.count('<tr id="report-') == 1
    assert client.get(LIST, {"page": "nine"}).status_code == 200


def test_the_form_offers_the_units_in_scope_and_the_active_language(client, movement):
    world = movement.world
    html = signed_in(client, world.quan).get(NEW).content.decode()
    assert f'<option value="{world.quang_ninh.pk}"' in html
    assert f'value="{world.ha_tinh.pk}"' not in html
    assert '<option value="en" selected>' in html
    client.cookies["django_language"] = "vi"
    assert '<option value="vi" selected>' in client.get(NEW).content.decode()
    # A deeper unit in scope may be asked for by number; one outside is not offered.
    deeper = client.get(NEW, {"unit": movement.town.pk}).content.decode()
    assert f'<option value="{movement.town.pk}" selected>' in deeper
    outside = client.get(NEW, {"unit": world.ha_tinh.pk}).content.decode()
    assert f'value="{world.ha_tinh.pk}"' not in outside


def test_a_valid_request_is_queued_then_built_and_downloaded(
    client, movement, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker

    # The worker recycles its connection between tasks; inside a test's transaction that
    # would end the test's own transaction, so only that housekeeping is left out.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    signed_in(client, movement.world.quan)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(NEW, {**GOOD, "unit": movement.town.pk}, follow=True)
    assert answer.redirect_chain == [(LIST, 302)]
    report = Report.objects.get()
    assert report.status == ReportStatus.QUEUED and report.requested_by == movement.world.quan
    assert (report.area, report.year, report.cutoff) == (
        movement.town,
        2024,
        datetime.date(2024, 6, 30),
    )
    assert "Your report is being prepared" in answer.content.decode()
    early = client.get(f"/reports/{report.pk}/download/")
    assert early.status_code == 409 and b"still being prepared" in early.content

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.message
    row = client.get(f"/reports/{report.pk}/row/").content.decode()
    assert f'<tr id="report-{report.pk}" data-status="done">' in row
    assert "hx-trigger" not in row and "<progress" not in row
    assert f'href="/reports/{report.pk}/download/"' in row
    download = client.get(f"/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert re.search(r'attachment; filename="[^"/]+\.docx"', download["Content-Disposition"])
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_a_pdf_report_downloads_as_pdf(client, movement):
    signed_in(client, movement.world.quan)
    client.post(NEW, {**GOOD, "unit": movement.town.pk, "format": "pdf", "language": "ar"})
    report = Report.objects.get()
    assert report.language == "ar" and report.format == "pdf"
    assert run_report(report.pk) == ReportStatus.DONE
    download = client.get(f"/reports/{report.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    assert re.search(r'filename="[^"/]+\.pdf"', download["Content-Disposition"])
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    import io

    assert len(PdfReader(io.BytesIO(content)).pages) >= 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"year": "twenty"}, "year", "whole number"),
        ({"year": ""}, "year", "required"),
        ({"year": "1999"}, "year", "Enter a year from 2000"),
        ({"period_kind": "fortnight"}, "period_kind", "valid choice"),
        ({"period_kind": "custom"}, "cutoff", "custom period needs its cut-off"),
        ({"cutoff": "2023-11-30"}, "cutoff", "must fall in the report's year"),
        ({"cutoff": "30/11/2024x"}, "cutoff", "valid date"),
        ({"period_start": "2024-07-01"}, "period_start", "cannot start after its cut-off"),
        ({"since": "2025"}, "since", "to the report's year"),
        ({"since": ""}, "since", "required"),
        ({"format": "csv"}, "format", "valid choice"),
        ({"format": ""}, "format", "required"),
        ({"language": "fr"}, "language", "valid choice"),
        ({"mode": "imagined"}, "mode", "valid choice"),
        ({"unit": "banana"}, "unit", "within your scope"),
        ({"unit": "999999999"}, "unit", "within your scope"),
        ({"unit": ""}, "unit", "within your scope"),  # the whole country: not Quân's
    ],
)
def test_each_bad_input_is_refused_on_its_field(client, movement, changes, field, words):
    data = {**GOOD, "unit": movement.town.pk, **changes}
    answer = signed_in(client, movement.world.quan).post(NEW, data)
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field]), errors[field]
    assert 'aria-invalid="true"' in answer.content.decode()
    assert not Report.objects.exists()


def test_a_unit_outside_the_scope_is_refused(client, movement):
    world = movement.world
    answer = signed_in(client, world.duc).post(NEW, {**GOOD, "unit": world.ha_tinh.pk})
    assert answer.status_code == 200
    assert "within your scope" in " ".join(answer.context["form"].errors["unit"])
    assert not Report.objects.exists()


def test_a_person_without_a_reading_role_is_refused(client, movement):
    nobody = PersonFactory(username="nobody")
    signed_in(client, nobody)
    refused = client.post(EXPORT, {"field": "economy"})
    assert refused.status_code == 403
    form = client.get(NEW)
    assert form.status_code == 403 and b"may read initiatives" in form.content
    assert client.post(NEW, {**GOOD, "unit": movement.town.pk}).status_code == 403
    assert not Report.objects.exists()


def test_someone_elses_report_is_not_found(client, movement):
    theirs = queued(movement.world.tuan, movement.town)
    run_report(theirs.pk)
    signed_in(client, movement.world.quan)
    assert client.get(f"/reports/{theirs.pk}/download/").status_code == 404
    assert client.get(f"/reports/{theirs.pk}/row/").status_code == 404
    assert client.get("/reports/99999999999999999999/download/").status_code == 404
    assert client.get("/reports/x1/row/").status_code == 404
    signed_in(client, movement.world.root)
    assert client.get(f"/reports/{theirs.pk}/download/").status_code == 200


def test_the_polling_row_follows_the_report(client, movement):
    report = queued(movement.world.quan, movement.town)
    signed_in(client, movement.world.quan)
    waiting = client.get(f"/reports/{report.pk}/row/").content.decode()
    assert f'hx-get="/reports/{report.pk}/row/"' in waiting and 'hx-trigger="every 2s"' in waiting
    assert "<html" not in waiting and "Download" not in waiting
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    running = client.get(f"/reports/{report.pk}/row/").content.decode()
    assert 'value="40"' in running and "Running" in running and "every 2s" in running
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.FAILED, message="The report could not be built. Ask again."
    )
    failed = client.get(f"/reports/{report.pk}/row/").content.decode()
    assert "hx-trigger" not in failed and "could not be built" in failed
    assert "Download" not in failed
    gone = client.get(f"/reports/{report.pk}/download/")
    assert gone.status_code == 409 and b"could not be built" in gone.content


def test_the_list_page_has_the_background_export_button(client, movement):
    signed_in(client, movement.world.quan)
    html = client.get("/initiatives/", {"field": "economy", "year": "2024"}).content.decode()
    form = re.search(r'<form method="post" action="/reports/export/".*?</form>', html, re.S)
    assert form, "no background export form"
    assert '<input type="hidden" name="field" value="economy">' in form.group(0)
    assert '<input type="hidden" name="year" value="2024">' in form.group(0)
    assert "csrfmiddlewaretoken" in form.group(0)
    # The immediate CSV export sits beside it, with the list's filters.
    link = re.search(r'href="(/reports/initiatives\.csv\?[^"]*)"', html)
    assert link and "field=economy" in link.group(1) and "year=2024" in link.group(1)


def test_the_immediate_csv_is_the_list_in_the_columns_of_every_export(client, movement):
    """One initiative export: the list page's CSV has the background export's columns, and
    holds what the list shows (its own filters and order included), in scope."""
    signed_in(client, movement.world.quan)
    answer = client.get(CSV, {"field": "culture_society", "registration_kind": "new"})
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv; charset=utf-8"
    assert answer["Content-Disposition"].startswith('attachment; filename="initiatives-')
    assert answer["X-Content-Type-Options"] == "nosniff"
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads Vietnamese only with the mark
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header == [
        "Code",
        "Title",
        "Field",
        "Status",
        "Year registered",
        "Registration kind",
        "Registering organisation",
        "Area",
        "Exemplary",
        "Replicated from",
        "Start date",
        "End date",
    ]
    by_code = {row[0]: row for row in rows}
    assert {movement.houses.code, movement.houses_copy.code} <= set(by_code)
    assert {row[2] for row in rows} == {"Culture–society"}
    assert by_code[movement.houses_copy.code][9] == movement.houses.code
    ordered = client.get(CSV, {"field": "economy", "ordering": "status"}).content.decode()
    assert movement.roads_2024.code in ordered  # the page's own sorting is taken too


def test_the_immediate_csv_holds_only_what_the_person_may_read(client, movement):
    signed_in(client, movement.world.hoa)  # a reviewer of Hà Tĩnh
    text = client.get(CSV).content.decode("utf-8")
    assert movement.houses.code not in text and movement.digital.code not in text


def test_the_immediate_csv_defuses_formulas_and_asks_for_sign_in(client, movement):
    assert client.get(CSV).status_code == 302
    movement.houses.title = '=HYPERLINK("http://evil")'
    movement.houses.save(update_fields=["title"])
    signed_in(client, movement.world.quan)
    text = client.get(CSV, {"field": "culture_society"}).content.decode("utf-8")
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    # A bad filter shows no initiative rather than every one.
    bad = client.get(CSV, {"year": "two thousand"}).content.decode("utf-8")
    assert len(list(csv.reader(io.StringIO(bad.lstrip("\ufeff"))))) == 1


def test_the_export_button_asks_for_an_export_with_the_filters(client, movement):
    signed_in(client, movement.world.quan)
    answer = client.post(
        EXPORT,
        {
            "q": "Đường",
            "field": "economy",
            "year": "2024",
            "status": "registered",
            "area": movement.town.pk,
            "exemplary": "no",
            "ordering": "-code",
            "size": "50",
        },
        follow=True,
    )
    assert answer.redirect_chain == [(LIST, 302)]
    report = Report.objects.get()
    assert (report.kind, report.format, report.language) == ("initiatives", "xlsx", "en")
    assert report.area == movement.town and report.requested_by == movement.world.quan
    assert report.filters == {
        "q": "Đường",
        "field": "economy",
        "year": 2024,
        "status": "registered",
        "exemplary": False,
        "ordering": "-code",
    }
    assert "The export is being prepared" in answer.content.decode()
    assert run_report(report.pk) == ReportStatus.DONE
    download = client.get(f"/reports/{report.pk}/download/")
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_an_export_without_filters_and_one_by_status_order(client, movement):
    signed_in(client, movement.world.quan)
    client.post(EXPORT, {"ordering": "status", "registration_kind": "new"})
    report = Report.objects.get()
    # Sorting by workflow status and the registration filter are the page's own: the export
    # keeps its default order, holds every kind and says so.
    assert report.filters == {} and report.area is None
    messages = [str(m) for m in client.get(LIST).context["messages"]]
    assert any("does not filter by registration" in m for m in messages)


def test_bad_export_filters_create_nothing(client, movement):
    signed_in(client, movement.world.quan)
    for bad in ({"year": "twenty"}, {"field": "astrology"}, {"organisation": "999999"}):
        answer = client.post(EXPORT, bad, follow=True)
        assert answer.redirect_chain[-1][0].startswith("/initiatives/")
        assert "not valid" in answer.content.decode()
    assert not Report.objects.exists()
    assert client.get(EXPORT).status_code == 405
