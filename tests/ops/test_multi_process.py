"""Two app processes and two task workers on one PostgreSQL database (on the loopback): each
task runs exactly once, and a session opened on one app process works on the other."""

import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.ops.conftest import DANVAN, ROOT, app_env, danvan, free_port
from tests.ops.pg import scratch_copy, url_of
from tests.ops.server import Gunicorn

# django_db: so the test database is set up; the tests read it only through the copy.
pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

TASKS = 60
PASSWORD = "Multi-process-check-2025"
CREATE_USER = f"""
from danvan.accounts.models import User
User.objects.create_user("multi", password="{PASSWORD}")
"""
ENQUEUE = f"""
from tests.ops.tasks import record_run
for key in range({TASKS}):
    record_run.enqueue(key)
"""


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn processes and two workers on a scratch copy of the test database, shared
    by the tests of this module (starting them is most of the time)."""
    tmp_path = tmp_path_factory.mktemp("cluster")
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    with scratch_copy("danvan_multi_test", tmp_path) as target:
        url = url_of(target)
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as c:
            c.execute("CREATE TABLE ops_task_runs (key integer NOT NULL, pid integer NOT NULL)")
        env = app_env(tmp_path, DATABASE_URL=url, HEALTH_DISK_MIN_FREE_MB="1")
        danvan("shell", "-c", CREATE_USER, env=env)
        apps = [Gunicorn(gunicorn_bin, free_port(), env, tmp_path / f"app{n}.log") for n in (1, 2)]
        workers = [
            subprocess.Popen(
                [*DANVAN, "db_worker", "--interval=0.1", "--no-startup-delay", f"--worker-id=w{n}"],
                env=env,
                cwd=ROOT,
                stdout=(tmp_path / f"worker{n}.log").open("w"),
                stderr=subprocess.STDOUT,
            )
            for n in (1, 2)
        ]
        try:
            for app in apps:
                app.wait_ready()
            yield {"apps": apps, "workers": workers, "env": env, "url": url}
        finally:
            for app in apps:
                app.stop()
            for worker in workers:
                worker.terminate()
            for worker in workers:
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def test_each_task_runs_exactly_once_across_two_workers(cluster):
    danvan("shell", "-c", ENQUEUE, env=cluster["env"])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        waiting = _rows(
            cluster["url"],
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')",
        )[0][0]
        if not waiting:
            break
        time.sleep(0.5)
    runs = _rows(cluster["url"], "SELECT key, COUNT(*) FROM ops_task_runs GROUP BY key")
    assert sorted(runs) == [(key, 1) for key in range(TASKS)]
    statuses = _rows(
        cluster["url"],
        "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status",
    )
    assert statuses == [("SUCCESSFUL", TASKS)]
    pids = _rows(cluster["url"], "SELECT DISTINCT pid FROM ops_task_runs")
    assert len(pids) == 2, "both workers should have taken tasks"


def _cookies(headers: dict) -> dict[str, str]:
    jar = SimpleCookie()
    for key, value in headers.items():
        if key.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def test_a_session_opened_on_one_app_process_works_on_the_other(cluster):
    first, second = cluster["apps"]
    status, headers, page = first.request("GET", "/accounts/login/")
    assert status == 200
    cookies = _cookies(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {"username": "multi", "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"}
    )
    status, headers, _ = first.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{first.port}/accounts/login/",
        },
    )
    assert status == 302, "sign-in failed"
    session = _cookies(headers)["sessionid"]
    signed_in = {"Cookie": f"sessionid={session}"}
    status, _, _ = second.request("GET", "/accounts/password_change/", headers=signed_in)
    assert status == 200
    # And without the cookie the other process asks for a sign-in: the 200 above is real.
    status, headers, _ = second.request("GET", "/accounts/password_change/")
    assert status == 302
    assert "/accounts/login/" in headers["Location"]
