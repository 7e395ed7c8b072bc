"""kill -9 of the task worker in the middle of a report's build.

A report's file is stored only once it is whole and the row points at it only then, so a killed
build leaves a "running" report with no file: nothing half-made can be downloaded. The report's
lease died with the worker, so the sweep after the restart queues it again, once; the worker
builds it whole. A second crash of the same report ends it failed, with its message.

Runs on SQLite files of its own with the real ``danvan db_worker`` in other processes.
"""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from danvan.core.jobs import WORKER_LOST_PATH
from danvan.reports.build import failure_message
from tests.faults.processes import (
    copy_data,
    kill_hard,
    one,
    restart,
    rows,
    start_worker,
    sweep,
    wait_for,
)
from tests.ops.conftest import app_env, danvan

# A national annual report as a PDF: the longest build the seeded database allows.
REQUEST = """
from danvan.accounts.scope import SYSTEM
from danvan.reports.services import report_request
report_request(
    actor=SYSTEM, kind="periodic", format="pdf", language="vi", year=2024, period_kind="annual"
)
"""
REPORT = "SELECT status, progress, file, message FROM reports_report"
BUILD_ROWS = (
    "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
    "WHERE task_path = 'danvan.reports.tasks.build_report' ORDER BY enqueued_at"
)


@pytest.fixture
def asked(seeded_sqlite, tmp_path):
    """A data folder of the test's own where a report was just asked for (its build queued)."""
    database = copy_data(seeded_sqlite.parent, tmp_path / "data")
    env = app_env(tmp_path / "data")
    danvan("shell", "-c", REQUEST, env=env)
    assert one(database, REPORT)[0] == "queued"
    return database, env, tmp_path / "worker.log"


def kill_mid_build(database, env, log) -> None:
    """Start a worker, let it build until the figures are laid out, then SIGKILL it."""
    worker = start_worker(env, log)
    started = wait_for(
        lambda: (report := one(database, REPORT))[0] == "running" and report[1] >= 65,
        seconds=120,
        every=0.01,
    )
    still_running = worker.poll() is None
    kill_hard(worker)
    assert started, f"the build never got going:\n{log.read_text()[-3000:]}"
    assert still_running, "the worker ended before the kill"
    status, _progress, file, _message = one(database, REPORT)
    assert (status, file) == ("running", ""), "the report was built before the kill"


def test_a_report_killed_mid_build_serves_no_file_and_is_built_again(asked):
    database, env, log = asked
    kill_mid_build(database, env, log)
    assert rows(database, BUILD_ROWS) == [("RUNNING", "")]  # as the dead worker left it

    assert "reports: 1 queued again, 0 marked failed" in restart(env)
    status, progress, file, message = one(database, REPORT)
    assert (status, progress, message) == ("done", 100, "")
    content = (database.parent / "media" / file).read_bytes()
    assert content.startswith(b"%PDF") and content.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(io.BytesIO(content)).pages) >= 1
    assert rows(database, BUILD_ROWS) == [("FAILED", WORKER_LOST_PATH), ("SUCCESSFUL", "")]


def test_a_report_killed_twice_fails_with_its_message(asked):
    database, env, log = asked
    kill_mid_build(database, env, log)
    assert "reports: 1 queued again" in sweep(env)
    kill_mid_build(database, env, log)  # the retry's worker dies too

    assert "reports: 0 queued again, 1 marked failed" in restart(env)
    status, _progress, file, message = one(database, REPORT)
    assert (status, file) == ("failed", "")
    with translation.override("vi"):
        assert message == failure_message("vi")
    assert [status for status, _path in rows(database, BUILD_ROWS)] == ["FAILED", "FAILED"]
