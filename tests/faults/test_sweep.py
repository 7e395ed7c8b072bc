"""The sweep of jobs whose worker died, in one process: the queue's rows are set as a killed
worker leaves them, the sweep runs, then the real worker (``danvan db_worker``) finishes the
work. The same happens across real processes and a real ``kill -9`` in the other tests here.
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from danvan.core.jobs import (
    CLAIM_GRACE,
    WORKER_LOST_PATH,
    Swept,
    _lease_file,
    lease,
    lease_held,
)
from danvan.imports.models import BatchStatus, ImportBatch, Severity
from danvan.imports.services import batch_apply
from danvan.imports.stale import APPLY, CHECK, LEASE, imports_sweep
from danvan.imports.tasks import apply_batch, validate_batch
from danvan.initiatives.models import Contribution
from danvan.reports.build import failure_message
from danvan.reports.models import Report, ReportStatus
from danvan.reports.services import report_request, reports_fail_stale, reports_sweep
from danvan.reports.tasks import LEASE as REPORT_LEASE
from danvan.reports.tasks import build_report
from tests.imports.conftest import headers, issues_of, xlsx_bytes

pytestmark = pytest.mark.django_db

ROWS = 6


@pytest.fixture(autouse=True)
def _worker_keeps_its_connection(monkeypatch):
    """The worker recycles old connections between tasks; inside a test's transaction that would
    end the test's own transaction, so only that housekeeping is left out."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def rows_of(task, key) -> list[tuple[str, str]]:
    rows = DBTaskResult.objects.filter(task_path=task.module_path, args_kwargs__args=[key])
    return list(rows.order_by("enqueued_at").values_list("status", "exception_class_path"))


def killed(task, key, *, ago: datetime.timedelta = datetime.timedelta(minutes=1)) -> None:
    """Leave ``task``'s queued row for ``key`` as a worker killed while running it leaves it."""
    claimed = DBTaskResult.objects.filter(
        task_path=task.module_path, args_kwargs__args=[key], status="READY"
    ).update(status="RUNNING", started_at=timezone.now() - ago, worker_ids=["host-1"])
    assert claimed == 1


def contributions_file(world) -> bytes:
    code = world.cultural_houses.code
    rows = [
        [code, "15/03/2024", "money", str(100_000 + n), "households", 1, ""] for n in range(ROWS)
    ]
    return xlsx_bytes([headers("contributions", "en"), *rows])


def ledger(world) -> int:
    return Contribution.objects.filter(initiative=world.cultural_houses).count()


@pytest.fixture
def checked(world, upload):
    """A checked contributions file of Lan's, ready to apply, uploaded in Vietnamese."""
    with translation.override("vi"):
        batch = upload(world.lan, "contributions", contributions_file(world), language="vi")
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    return batch


@pytest.fixture
def applying(checked, django_capture_on_commit_callbacks):
    """The batch asked to be applied, its task queued but not yet taken by a worker."""
    with django_capture_on_commit_callbacks(execute=True):
        batch_apply(actor=checked.requested_by, batch=checked)
    checked.refresh_from_db()
    assert checked.status == BatchStatus.APPLYING
    assert rows_of(apply_batch, checked.pk) == [("READY", "")]
    return checked


@pytest.fixture
def uploaded(world, media_root, django_capture_on_commit_callbacks):
    """A file just uploaded, its check queued but not yet taken by a worker."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from danvan.imports.services import batch_upload

    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_upload(
            actor=world.lan,
            kind="contributions",
            upload=SimpleUploadedFile("file.xlsx", contributions_file(world)),
        )
    assert rows_of(validate_batch, batch.pk) == [("READY", "")]
    return batch


# Imports: applying ----------------------------------------------------------------------------


def test_an_apply_whose_worker_died_is_queued_again_and_writes_its_rows_once(world, applying):
    killed(apply_batch, applying.pk)
    assert imports_sweep() == Swept(requeued=1, closed=1)
    assert rows_of(apply_batch, applying.pk) == [("FAILED", WORKER_LOST_PATH), ("READY", "")]
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLYING

    run_worker()
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLIED, issues_of(applying)
    assert applying.creates == ROWS and ledger(world) == ROWS
    assert rows_of(apply_batch, applying.pk)[-1] == ("SUCCESSFUL", "")
    assert imports_sweep() == Swept()  # nothing left to do


def test_an_apply_whose_worker_died_twice_fails_with_a_message_and_writes_nothing(world, applying):
    killed(apply_batch, applying.pk)
    assert imports_sweep().requeued == 1
    killed(apply_batch, applying.pk)  # the retry's worker dies too
    assert imports_sweep() == Swept(failed=1, closed=1)

    applying.refresh_from_db()
    assert applying.status == BatchStatus.FAILED
    assert applying.error_count == 1 and applying.creates == 0
    with translation.override("vi"):  # the uploader's language, whoever runs the sweep
        expected = str(APPLY.message)
    assert (None, "", Severity.ERROR, expected) in issues_of(applying)
    assert ledger(world) == 0
    assert [status for status, _path in rows_of(apply_batch, applying.pk)] == ["FAILED"] * 2
    assert imports_sweep() == Swept()
    assert applying.progress == 100


def test_the_failure_message_reads_in_english_for_an_english_uploader(world, applying):
    ImportBatch.objects.filter(pk=applying.pk).update(ui_language="en")
    for _attempt in range(APPLY.attempts):
        killed(apply_batch, applying.pk)
        imports_sweep()
    message = applying.issues.get(severity=Severity.ERROR).message
    assert message.startswith("Applying this file stopped twice")
    assert "Nothing from it was saved" in message


def test_an_apply_lost_between_its_commit_and_its_task_is_queued_and_applied_once(world, checked):
    """The app server died after committing "applying" and before queueing the task."""
    batch_apply(actor=checked.requested_by, batch=checked)  # its on-commit enqueue never runs
    assert rows_of(apply_batch, checked.pk) == []
    assert imports_sweep() == Swept(requeued=1)
    run_worker()
    checked.refresh_from_db()
    assert checked.status == BatchStatus.APPLIED and ledger(world) == ROWS


def test_an_apply_queued_twice_writes_its_rows_once(world, applying):
    apply_batch.enqueue(applying.pk)  # a second task for the same batch, as a racing sweep
    run_worker()
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLIED and applying.creates == ROWS
    assert ledger(world) == ROWS
    results = DBTaskResult.objects.filter(task_path=apply_batch.module_path)
    assert sorted(results.values_list("return_value", flat=True)) == ["applied", "skipped"]


def test_an_apply_whose_task_raised_is_retried_once(world, applying, monkeypatch):
    from danvan.imports import tasks

    real = tasks.run_batch

    def broken(batch, *, apply):
        real(batch, apply=apply)  # writes everything, then the worker's task fails anyway
        raise MemoryError("out of memory at the very end")

    monkeypatch.setattr(tasks, "run_batch", broken)
    run_worker()
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLYING  # the transaction took the rows back
    assert ledger(world) == 0
    assert rows_of(apply_batch, applying.pk)[0][0] == "FAILED"

    monkeypatch.setattr(tasks, "run_batch", real)
    assert imports_sweep() == Swept(requeued=1)
    run_worker()
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLIED and ledger(world) == ROWS


def test_an_apply_in_progress_is_left_alone(world, applying):
    killed(apply_batch, applying.pk)
    with lease(LEASE, applying.pk):  # its worker lives and works on it
        assert lease_held(LEASE, applying.pk)
        assert imports_sweep() == Swept()
    assert rows_of(apply_batch, applying.pk) == [("RUNNING", "")]


def test_an_apply_waiting_in_the_queue_is_left_alone(applying):
    assert imports_sweep() == Swept()
    assert rows_of(apply_batch, applying.pk) == [("READY", "")]


def test_a_task_taken_a_moment_ago_is_given_time_to_take_its_lease(applying):
    killed(apply_batch, applying.pk, ago=CLAIM_GRACE / 4)
    assert imports_sweep() == Swept()
    assert rows_of(apply_batch, applying.pk) == [("RUNNING", "")]


# Imports: checking ----------------------------------------------------------------------------


def test_a_check_whose_worker_died_is_queued_again_and_finishes(uploaded):
    killed(validate_batch, uploaded.pk)
    assert imports_sweep() == Swept(requeued=1, closed=1)
    run_worker()
    uploaded.refresh_from_db()
    assert uploaded.status == BatchStatus.VALIDATED, issues_of(uploaded)
    assert uploaded.creates == ROWS and uploaded.issues.count() == 0


def test_a_check_killed_half_way_is_queued_again(uploaded):
    ImportBatch.objects.filter(pk=uploaded.pk).update(
        status=BatchStatus.VALIDATING, processed_rows=2, total_rows=ROWS
    )
    killed(validate_batch, uploaded.pk)
    assert imports_sweep().requeued == 1
    run_worker()
    uploaded.refresh_from_db()
    assert uploaded.status == BatchStatus.VALIDATED and uploaded.processed_rows == ROWS


def test_a_check_gives_up_after_three_attempts(uploaded):
    for _attempt in range(CHECK.attempts - 1):
        killed(validate_batch, uploaded.pk)
        assert imports_sweep().requeued == 1
    killed(validate_batch, uploaded.pk)
    assert imports_sweep() == Swept(failed=1, closed=1)
    uploaded.refresh_from_db()
    assert uploaded.status == BatchStatus.FAILED and uploaded.validated_at is not None
    with translation.override(uploaded.ui_language or "vi"):
        expected = str(CHECK.message)
    assert issues_of(uploaded) == [(None, "", Severity.ERROR, expected)]
    run_worker()  # nothing queued any more
    uploaded.refresh_from_db()
    assert uploaded.status == BatchStatus.FAILED


# Imports: what the sweep must not touch ------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [BatchStatus.VALIDATED, BatchStatus.APPLIED, BatchStatus.FAILED, BatchStatus.ROLLED_BACK],
)
def test_a_batch_at_rest_is_not_touched_but_its_dead_task_row_is_closed(applying, status):
    killed(apply_batch, applying.pk)
    ImportBatch.objects.filter(pk=applying.pk).update(status=status)
    assert imports_sweep() == Swept(closed=1)
    applying.refresh_from_db()
    assert applying.status == status and applying.issues.count() == 0
    assert rows_of(apply_batch, applying.pk) == [("FAILED", WORKER_LOST_PATH)]


def test_a_dead_row_of_a_batch_that_is_gone_is_closed(applying):
    killed(apply_batch, applying.pk)
    ImportBatch.objects.filter(pk=applying.pk).delete()
    assert imports_sweep() == Swept(closed=1)


def test_rows_with_unexpected_arguments_are_ignored(applying):
    DBTaskResult.objects.filter(task_path=apply_batch.module_path).update(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(hours=1),
        args_kwargs={"args": ["not-a-batch"], "kwargs": {}},
    )
    assert imports_sweep() == Swept(requeued=1)  # the batch itself has no row of its own
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1


def test_without_the_database_queue_nothing_is_swept(applying, settings):
    killed(apply_batch, applying.pk)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert imports_sweep() == Swept()
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLYING


def test_each_import_task_sweeps_first(world, applying, checked):
    """A worker restarted after a crash puts the dead batch back to work with its next task."""
    killed(apply_batch, applying.pk)
    validate_batch.enqueue(10**9)  # some other task, for a batch that does not exist
    run_worker()
    applying.refresh_from_db()
    assert applying.status == BatchStatus.APPLIED and ledger(world) == ROWS


# Reports ----------------------------------------------------------------------------------


@pytest.fixture
def report(world, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        asked = report_request(actor=world.lan, kind="initiatives", format="csv", language="en")
    assert rows_of(build_report, asked.pk) == [("READY", "")]
    return asked


def running(report, **changes) -> None:
    Report.objects.filter(pk=report.pk).update(
        **{"status": ReportStatus.RUNNING, "progress": 40, "started_at": timezone.now(), **changes}
    )


def test_a_report_whose_worker_died_is_built_again(report):
    killed(build_report, report.pk)
    running(report)
    assert reports_sweep() == Swept(requeued=1, closed=1)
    report.refresh_from_db()
    assert (report.status, report.progress, report.started_at) == (ReportStatus.QUEUED, 0, None)
    run_worker()
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.file
    assert report.file.read().startswith(b"\xef\xbb\xbf") or report.file.size > 0


def test_a_report_whose_worker_died_twice_fails_with_its_message(report):
    killed(build_report, report.pk)
    running(report)
    reports_sweep()
    killed(build_report, report.pk)
    running(report)
    assert reports_fail_stale() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and not report.file
    assert report.message == failure_message("en") and report.finished_at
    assert [status for status, _path in rows_of(build_report, report.pk)] == ["FAILED"] * 2


def test_a_long_build_whose_worker_lives_is_not_failed(report):
    killed(build_report, report.pk, ago=datetime.timedelta(hours=3))
    running(report, started_at=timezone.now() - datetime.timedelta(hours=3))
    with lease(REPORT_LEASE, report.pk):
        assert reports_sweep() == Swept()
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING


def test_a_report_built_without_the_queue_still_fails_only_when_old(world, media_root):
    fresh = report_request(
        actor=world.lan, kind="initiatives", format="csv", language="en", enqueue=False
    )
    running(fresh)
    assert reports_sweep() == Swept()
    running(fresh, started_at=timezone.now() - datetime.timedelta(hours=3))
    assert reports_sweep() == Swept(failed=1)


# The command and the leases ----------------------------------------------------------------


def test_sweep_jobs_sweeps_imports_and_reports(applying, report, capsys):
    killed(apply_batch, applying.pk)
    killed(build_report, report.pk)
    running(report)
    call_command("sweep_jobs")
    out = capsys.readouterr().out
    assert "imports: 1 queued again, 0 marked failed, 1 task rows of dead workers closed" in out
    assert "reports: 1 queued again, 0 marked failed, 1 task rows of dead workers closed" in out


def test_a_lease_file_left_by_a_dead_process_counts_as_free_and_is_tidied(db):
    if connection.vendor != "sqlite":
        pytest.skip("file leases are SQLite's; PostgreSQL's are advisory locks")
    path = _lease_file("test.lease", 7)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()  # no process holds a lock on it
    assert not lease_held("test.lease", 7)
    assert not path.exists()
    with lease("test.lease", 7):
        assert path.exists() and lease_held("test.lease", 7)
        assert not lease_held("test.lease", 8)
    assert not path.exists() and not lease_held("test.lease", 7)


@pytest.mark.postgres_only
def test_a_postgres_lease_dies_with_its_process(db, tmp_path):
    """The advisory lock goes with the connection of the process that holds it, however the
    process ends: the sweep then sees its job as orphaned."""
    import subprocess
    import sys
    from urllib.parse import quote

    from tests.faults.processes import kill_hard, wait_for
    from tests.ops.conftest import ROOT, app_env

    where = connection.settings_dict
    url = (
        f"postgres://{quote(where['USER'] or '')}:{quote(where['PASSWORD'] or '')}"
        f"@{where['HOST'] or '127.0.0.1'}:{where['PORT'] or 5432}/{where['NAME']}"
    )
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time, django; django.setup()\n"
            "from danvan.core.jobs import lease\n"
            "with lease('test.lease', 7):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(120)\n",
        ],
        env=app_env(tmp_path, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="danvan.settings"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        assert holder.stdout.readline() == b"held\n"
        assert lease_held("test.lease", 7) and not lease_held("test.lease", 8)
    finally:
        kill_hard(holder)
    assert wait_for(lambda: not lease_held("test.lease", 7), seconds=20, every=0.1)
