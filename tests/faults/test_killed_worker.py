"""kill -9 of the task worker in the middle of an import: the import is one transaction, so
nothing of it is left; afterwards the batch must not stay "applying" for ever.

Runs on a SQLite file of its own (copy of the seeded database of tests/ops) with the real
``danvan db_worker`` in another process, so it runs in CI on SQLite as well.
"""

import os
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.ops.conftest import DANVAN, ROOT, danvan

ROWS = 5_000
SETUP = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from danvan.accounts.models import Role
from danvan.imports.services import batch_upload
from tests.factories import InitiativeFactory
from tests.imports.conftest import headers, xlsx_bytes
from tests import factories
from tests.people import person
# Factory sequences start again in this process: move past the seeded rows.
for name in ("AreaFactory", "OrganisationFactory", "InitiativeFactory", "UserFactory"):
    getattr(factories, name).reset_sequence(10_000)
initiative = InitiativeFactory(code="DVK-FAULT-1")
officer = person(
    "fault_officer", Role.OFFICER,
    organisation=initiative.organisation, member_of=initiative.organisation,
)
rows = [
    [initiative.code, "15/03/2024", "money", str(100_000 + n), "households", 1, ""]
    for n in range({ROWS})
]
content = xlsx_bytes([headers("contributions", "vi"), *rows])
with translation.override("vi"):
    batch_upload(
        actor=officer, kind="contributions", upload=SimpleUploadedFile("big.xlsx", content)
    )
"""
APPLY = """
from danvan.imports.models import ImportBatch
from danvan.imports.services import batch_apply
batch = ImportBatch.objects.get()
batch_apply(actor=batch.requested_by, batch=batch)
"""


def _one(path, sql):
    conn = sqlite3.connect(path, timeout=30)
    try:
        return conn.execute(sql).fetchone()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def killed(seeded_sqlite, tmp_path_factory):
    """An import applied by a worker that is killed with SIGKILL while it writes."""
    from tests.ops.conftest import app_env

    data_dir = tmp_path_factory.mktemp("killed")
    database = data_dir / "danvan.sqlite3"
    source, copy = sqlite3.connect(seeded_sqlite), sqlite3.connect(database)
    source.backup(copy)
    source.close()
    copy.close()
    env = app_env(data_dir)
    danvan("shell", "-c", SETUP, env=env, timeout=300)
    # The dry run, with the real worker, until the queue is empty.
    danvan("db_worker", "--batch", "--no-startup-delay", "--interval", "0", env=env, timeout=300)
    assert _one(database, "SELECT status FROM imports_importbatch")[0] == "validated"
    danvan("shell", "-c", APPLY, env=env)
    worker = subprocess.Popen(
        [*DANVAN, "db_worker", "--no-startup-delay", "--interval", "0.1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        running = _one(
            database,
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
        )[0]
        if running:
            break
        time.sleep(0.05)
    else:
        worker.kill()
        pytest.fail("the apply task never started")
    time.sleep(0.3)  # well into writing the rows
    still_running = worker.poll() is None
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert still_running, "the import finished before the kill; give it more rows"
    return {"database": database, "env": env}


def test_a_killed_import_leaves_no_row_behind(killed):
    database = killed["database"]
    assert _one(database, "PRAGMA integrity_check")[0] == "ok"
    initiative = _one(database, "SELECT id FROM initiatives_initiative WHERE code = 'DVK-FAULT-1'")
    written = _one(
        database,
        f"SELECT COUNT(*) FROM initiatives_contribution WHERE initiative_id = {initiative[0]}",
    )[0]
    assert written == 0
    assert _one(database, "SELECT status FROM imports_importbatch")[0] == "applying"


@pytest.mark.xfail(
    strict=False,
    reason="imports have no sweep of batches whose worker died (reports have "
    "reports_fail_stale); django-tasks-db leaves the task RUNNING. Where the kill lands decides "
    "whether a restarted worker still finds the task, so this can pass by luck.",
)
def test_after_a_restart_the_killed_import_is_retried_or_marked_failed(killed):
    danvan("db_worker", "--batch", "--no-startup-delay", "--interval", "0", env=killed["env"])
    status = _one(killed["database"], "SELECT status FROM imports_importbatch")[0]
    assert status in {"applied", "failed"}
