"""PostgreSQL goes away while the app serves: pages and the API answer 503 with a message,
/health/ names the database, and once it is back the same app processes serve again.

The database is reached through a TCP proxy the test cuts (every open connection broken, new
ones refused, as in a restart) and restores; the shared PostgreSQL server is not touched.
"""

import json
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from danvan.ops.backup import Database
from tests.faults.proxy import TcpProxy
from tests.ops.conftest import app_env, free_port
from tests.ops.pg import scratch_copy, url_of
from tests.ops.server import Gunicorn

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

TOKEN = {"Authorization": "Token dvk_abcdef_not-a-real-secret"}


@pytest.fixture(scope="module")
def app(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("outage")
    with scratch_copy("danvan_outage_test", tmp_path) as target:
        proxy = TcpProxy((target.host or "127.0.0.1", int(target.port or 5432)))
        through_proxy = Database(
            **{**target.__dict__, "host": "127.0.0.1", "port": str(proxy.port)}
        )
        env = app_env(
            tmp_path,
            DATABASE_URL=url_of(through_proxy),
            DB_CONN_MAX_AGE="60",  # kept connections: the case that needs the health check
            HEALTH_DISK_MIN_FREE_MB="1",
            GUNICORN_WORKERS="2",
        )
        server = Gunicorn(
            str(Path(sys.executable).with_name("gunicorn")), free_port(), env, tmp_path / "app.log"
        )
        try:
            server.wait_ready()
            yield server, proxy
        finally:
            server.stop()
            proxy.cut()


def _until(check, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def test_outage_gives_503_and_the_app_recovers_by_itself(app):
    server, proxy = app
    assert server.request("GET", "/health/")[0] == 200
    for _ in range(4):  # every worker holds a kept connection
        assert server.request("GET", "/showcase/")[0] == 200
    pid = server.process.pid

    proxy.cut()
    status, headers, body = server.request("GET", "/showcase/")
    assert status == 503, body
    assert headers["Retry-After"] == "30"
    assert "<h1>" in body
    status, headers, body = server.request("GET", "/showcase/", headers={"Accept-Language": "en"})
    assert status == 503
    assert "database cannot be reached" in body
    status, _, body = server.request("GET", "/api/v1/initiatives/", headers=TOKEN)
    assert status == 503
    assert json.loads(body)["error"]["code"] == "service_unavailable"
    status, _, body = server.request("GET", "/health/")
    assert status == 503
    assert "database" in json.loads(body)["failing"]

    proxy.restore()
    assert _until(lambda: server.request("GET", "/health/")[0] == 200)
    for _ in range(4):
        assert server.request("GET", "/showcase/")[0] == 200
    assert server.request("GET", "/api/v1/initiatives/", headers=TOKEN)[0] == 401
    assert server.process.pid == pid and server.process.poll() is None
    assert connection.vendor == "postgresql"
