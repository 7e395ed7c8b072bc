"""kill -9 of the task worker in the middle of an import's apply.

The apply is one transaction, so nothing of it is left; the batch's lease died with the worker,
so the sweep after the restart (``danvan sweep_jobs``, and every import task) sees that nothing
works on it any more and queues it again, once: the batch ends applied with each row written
exactly once. A second crash of the same apply ends it failed, with a message, and no row.

Runs on SQLite files of its own (copies of the seeded database of tests/ops) with the real
``danvan db_worker`` in other processes, so it runs in CI on SQLite as well.
"""

import time

import pytest
from django.utils import translation

from danvan.core.jobs import WORKER_LOST_PATH
from danvan.imports.stale import APPLY
from tests.faults.processes import (
    copy_data,
    kill_hard,
    one,
    restart,
    rows,
    start_worker,
    sweep,
    wait_for,
    write_locked,
)
from tests.faults.scenes import APPLY_ROWS, APPLY_SCRIPT, HISTORY, LEDGER, ROWS
from tests.ops.conftest import app_env, danvan


def kill_mid_apply(database, env, log) -> None:
    """Start a worker, let it take the queued apply and write for a while, then SIGKILL it."""
    worker = start_worker(env, log)
    started = wait_for(lambda: ("RUNNING", "") in rows(database, APPLY_ROWS), seconds=120)
    if not started:
        kill_hard(worker)
        pytest.fail(f"the apply task never started:\n{log.read_text()[-3000:]}")
    # The apply's transaction holds the write lock from its claim to its commit.
    assert wait_for(lambda: write_locked(database), seconds=30), "no apply transaction seen"
    time.sleep(0.3)  # well into writing the rows
    still_running = worker.poll() is None
    kill_hard(worker)
    assert still_running, "the worker ended before the kill"
    assert one(database, "SELECT status FROM imports_importbatch")[0] == "applying", (
        "the import finished before the kill; give it more rows"
    )


@pytest.fixture(scope="module")
def killed(checked, tmp_path_factory):
    """An import applied by a worker that is killed with SIGKILL while it writes."""
    data_dir = tmp_path_factory.mktemp("killed")
    database = copy_data(checked, data_dir)
    env = app_env(data_dir)
    danvan("shell", "-c", APPLY_SCRIPT, env=env)
    kill_mid_apply(database, env, data_dir / "worker.log")
    return {"database": database, "env": env}


def test_a_killed_import_leaves_no_row_behind(killed):
    database = killed["database"]
    assert one(database, "PRAGMA integrity_check")[0] == "ok"
    assert one(database, LEDGER)[0] == 0
    assert one(database, HISTORY)[0] == 0
    assert one(database, "SELECT status FROM imports_importbatch")[0] == "applying"
    assert rows(database, APPLY_ROWS) == [("RUNNING", "")]  # as the dead worker left it


def test_after_a_restart_the_killed_import_is_applied_exactly_once(killed):
    database = killed["database"]
    swept = restart(killed["env"])
    assert "imports: 1 queued again, 0 marked failed" in swept
    status, creates, errors = one(
        database, "SELECT status, creates, error_count FROM imports_importbatch"
    )
    assert (status, creates, errors) == ("applied", ROWS, 0)
    assert one(database, LEDGER)[0] == ROWS  # every row once: none lost, none twice
    assert one(database, HISTORY)[0] == ROWS
    assert rows(database, APPLY_ROWS) == [("FAILED", WORKER_LOST_PATH), ("SUCCESSFUL", "")]
    # A later sweep finds nothing to do, and nothing is left running for /health/ to flag.
    assert "imports: 0 queued again, 0 marked failed" in sweep(killed["env"])
    running = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    assert one(database, running)[0] == 0


def test_an_apply_killed_twice_fails_with_a_message_and_no_row(checked, tmp_path):
    database = copy_data(checked, tmp_path / "data")
    env = app_env(tmp_path / "data")
    danvan("shell", "-c", APPLY_SCRIPT, env=env)
    kill_mid_apply(database, env, tmp_path / "worker.log")
    assert "imports: 1 queued again" in sweep(env)
    kill_mid_apply(database, env, tmp_path / "worker.log")  # the retry's worker dies too

    swept = restart(env)
    assert "imports: 0 queued again, 1 marked failed" in swept
    status, errors = one(database, "SELECT status, error_count FROM imports_importbatch")
    assert (status, errors) == ("failed", 1)
    assert one(database, LEDGER)[0] == 0 and one(database, HISTORY)[0] == 0
    with translation.override("vi"):  # the uploader's language
        expected = str(APPLY.message)
    issues = rows(database, "SELECT severity, row, message FROM imports_importissue")
    assert ("error", None, expected) in issues
    assert [row[0] for row in rows(database, APPLY_ROWS)] == ["FAILED", "FAILED"]
