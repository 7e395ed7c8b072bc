"""SQLite held by a long write (a large import's apply) on a real server: reads answer at once
and write nothing, a write answers "busy, try again" quickly, and all works again after.

Another connection holds SQLite's write lock, exactly as the apply's transaction does.
"""

import json
import sqlite3
import time

import pytest

from tests.ops.conftest import app_env, danvan, free_port
from tests.ops.server import Gunicorn

TOKEN = """
from danvan.accounts.models import User
from danvan.accounts.services import api_token_create
user = User.objects.get(username="lan")
print(api_token_create(actor=user, name="busy")[1])
"""
TIMEOUT = 1  # the server's SQLITE_TIMEOUT, seconds


@pytest.fixture
def server(sqlite_data_dir, gunicorn_bin, tmp_path):
    env = app_env(sqlite_data_dir, SQLITE_TIMEOUT=str(TIMEOUT), CACHE_URL="locmem://")
    key = danvan("shell", "-c", TOKEN, env=env).stdout.strip().splitlines()[-1]
    app = Gunicorn(gunicorn_bin, free_port(), env, tmp_path / "app.log")
    try:
        app.wait_ready()
        yield app, key, sqlite_data_dir / "danvan.sqlite3"
    finally:
        app.stop()


def _last_used(database) -> str | None:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute("SELECT last_used_at FROM accounts_apitoken").fetchone()[0]


def test_a_held_write_lock_makes_writes_busy_and_leaves_reads_alone(server):
    app, key, database = server
    auth = {"Authorization": f"Token {key}", "Accept-Language": "en"}
    holder = sqlite3.connect(database, timeout=30, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        status, _headers, body = app.request("GET", "/api/v1/imports/", headers=auth)
        read_took = time.monotonic() - started
        assert status == 200, body
        # The token's "last used" was not waited for: the read answered before any timeout.
        assert read_took < TIMEOUT

        started = time.monotonic()
        status, headers, body = app.request(
            "POST",
            "/api/v1/tokens/",
            headers=auth | {"Content-Type": "application/json"},
            body=json.dumps({"name": "second"}),
        )
        write_took = time.monotonic() - started
        assert status == 503, body
        assert headers["Retry-After"] == "5"
        error = json.loads(body)["error"]
        assert error["code"] == "database_busy"
        assert "try again in a few seconds" in error["message"]
        assert write_took < TIMEOUT + 2  # a short wait for the lock, then the answer
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _last_used(database) is None  # nothing was written while the lock was held

    status, _headers, _body = app.request("GET", "/api/v1/imports/", headers=auth)
    assert status == 200
    assert _last_used(database) is not None  # recorded by the first read that could
    status, _headers, body = app.request(
        "POST",
        "/api/v1/tokens/",
        headers=auth | {"Content-Type": "application/json"},
        body=json.dumps({"name": "second"}),
    )
    assert status == 201, body
