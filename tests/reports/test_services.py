"""Asking for a report: every bad field refused by name, scope enforced, the queue worker
building it, and a failed build leaving no file and a message in the requester's language."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from danvan.reports.build import run_report
from danvan.reports.models import Report, ReportStatus
from danvan.reports.services import report_request, reports_fail_stale
from tests.reports.helpers import built

GOOD = {
    "kind": "periodic",
    "format": "docx",
    "language": "vi",
    "year": 2024,
    "period_kind": "six_months",
}


def ask(actor, area, **changes):
    return report_request(actor=actor, area=area, enqueue=False, **{**GOOD, **changes})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "gazette"}, "kind"),
        ({"format": "csv"}, "format"),
        ({"format": "odt"}, "format"),
        ({"language": "fr"}, "language"),
        ({"mode": "imagined"}, "mode"),
        ({"year": 1999}, "year"),
        ({"year": 2999}, "year"),
        ({"year": "2024"}, "year"),
        ({"period_kind": "fortnight"}, "period_kind"),
        ({"period_kind": "custom"}, "cutoff"),
        ({"cutoff": datetime.date(2023, 11, 30)}, "cutoff"),
        ({"cutoff": "2024-06-30"}, "cutoff"),
        ({"period_start": datetime.date(2024, 7, 1)}, "period_start"),
        ({"since": 2025}, "since"),
        ({"since": 1990}, "since"),
    ],
)
def test_bad_requests_name_the_field(movement, changes, field):
    with pytest.raises(ValidationError) as caught:
        ask(movement.world.quan, movement.town, **changes)
    assert field in caught.value.message_dict
    assert not Report.objects.exists()


def test_a_cutoff_far_ahead_is_refused(movement):
    year = timezone.localdate().year + 1  # its 31 December lies more than a year ahead
    with pytest.raises(ValidationError) as caught:
        ask(movement.world.quan, movement.town, year=year, period_kind="annual", since=2013)
    assert "cutoff" in caught.value.message_dict


@pytest.mark.parametrize("who", ["hoa", "lan", "quan"])
def test_a_scope_the_actor_may_not_see_is_refused(movement, who):
    area = None if who == "quan" else movement.town  # quan sees Quảng Ninh, not the country
    with pytest.raises(PermissionDenied):
        ask(getattr(movement.world, who), area)
    assert not Report.objects.exists()


def test_periods_fill_their_standard_cutoff(movement):
    six = ask(movement.world.quan, movement.town)
    nine = ask(movement.world.quan, movement.town, period_kind="nine_months")
    year = ask(
        movement.world.quan, movement.town, period_kind="annual", cutoff=datetime.date(2024, 11, 30)
    )
    assert (six.period_start, six.cutoff) == (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    assert nine.cutoff == datetime.date(2024, 9, 30)
    assert year.cutoff == datetime.date(2024, 11, 30)  # the round's own cut-off
    assert six.requested_by == movement.world.quan and six.status == ReportStatus.QUEUED


def test_the_queue_worker_builds_the_report(
    movement, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker recycles its connection between tasks; inside a test's transaction that
    # would end the test's own transaction, so only that housekeeping is left out.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(actor=movement.world.quan, area=movement.town, **GOOD)
    assert DBTaskResult.objects.filter(task_path="danvan.reports.tasks.build_report").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.file.name.startswith("reports/") and report.file.name.endswith(".docx")
    assert report.started_at and report.finished_at


def test_a_build_that_fails_leaves_no_file_and_says_why(movement, settings, tmp_path):
    report = ask(movement.world.quan, movement.town, language="en")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker  # the store step fails after the figures and rendering
    assert run_report(report.pk) == ReportStatus.FAILED
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and not report.file
    assert report.message.startswith("The report could not be built.")
    assert report.finished_at is not None


def test_a_renderer_that_raises_midway_fails_the_report(movement, monkeypatch, media_root):
    from danvan.reports.renderers.docx import DocxRenderer

    def broken(self, document):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DocxRenderer, "render", broken)
    report = ask(movement.world.quan, movement.town)
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.message
    assert not report.file
    assert not list(media_root.rglob("*.docx")) if media_root.exists() else True


def test_a_report_is_built_once(movement):
    report = built(movement.world.quan, area=movement.town, **GOOD)
    name = report.file.name
    assert run_report(report.pk) == ReportStatus.DONE
    report.refresh_from_db()
    assert report.file.name == name


def test_a_report_whose_worker_died_is_failed_not_left_running(movement):
    report = ask(movement.world.quan, movement.town)
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(hours=3)
    )
    fresh = ask(movement.world.quan, movement.town)
    Report.objects.filter(pk=fresh.pk).update(
        status=ReportStatus.RUNNING, started_at=timezone.now()
    )
    assert reports_fail_stale() == 1
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.message
    assert fresh.status == ReportStatus.RUNNING
