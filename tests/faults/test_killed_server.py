"""kill -9 of the app server (gunicorn, its master and its workers) while an import's upload or
apply request is in flight.

An upload or an apply request commits everything it does in one transaction and queues its task
once that commits; the import's rows are only ever written by the worker. So a server killed
half-way leaves either nothing (the user tries again) or a committed request whose task the
sweep queues if it was lost: never part of an import, never an import applied twice.

Runs on SQLite files of its own with real gunicorn, ``danvan sweep_jobs`` and ``danvan
db_worker`` processes.
"""

import json
import socket
import sqlite3
import time

import pytest

from tests.faults.processes import copy_data, kill_tree, one, restart, rows, sweep
from tests.faults.scenes import APPLY_ROWS, HISTORY, LEDGER, ROWS, TOKEN_FILE
from tests.ops.conftest import app_env, free_port
from tests.ops.server import Gunicorn

BOUNDARY = "danvan-fault-boundary"
BATCHES = "SELECT COUNT(*), SUM(status = 'validated') FROM imports_importbatch"


@pytest.fixture
def site(checked, tmp_path, gunicorn_bin):
    """A copy of the checked import's data folder and a way to (re)start gunicorn on it."""
    database = copy_data(checked, tmp_path / "data")
    env = app_env(tmp_path / "data")
    servers = []

    def start() -> Gunicorn:
        server = Gunicorn(gunicorn_bin, free_port(), env, tmp_path / f"app{len(servers)}.log")
        servers.append(server)
        server.wait_ready()
        return server

    key = (tmp_path / "data" / TOKEN_FILE).read_text().strip()
    yield {"database": database, "env": env, "start": start, "token": f"Token {key}"}
    for server in servers:
        server.stop()


def open_request(server: Gunicorn, method: str, path: str, headers: dict, body: bytes):
    """Send a request's head and ``body`` (maybe less than its Content-Length says) on a raw
    socket, and return the socket without reading the answer."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    return sock


def answered(sock: socket.socket, wait: float) -> bool:
    """Whether the server has started to answer on ``sock`` within ``wait`` seconds."""
    sock.settimeout(wait)
    try:
        return bool(sock.recv(1))
    except TimeoutError:
        return False


def upload_body(content: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="kind"\r\n\r\ncontributions\r\n'
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="again.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def batch_id(server: Gunicorn, token: str) -> int:
    status, _headers, body = server.request(
        "GET", "/api/v1/imports/", headers={"Authorization": token}
    )
    assert status == 200, body
    return json.loads(body)["results"][0]["id"]


def apply_via_api(site, server: Gunicorn, pk: int) -> None:
    status, _headers, body = server.request(
        "POST", f"/api/v1/imports/{pk}/apply/", headers={"Authorization": site["token"]}
    )
    assert status == 202, body


def test_an_upload_cut_off_by_a_killed_server_leaves_nothing(site):
    database = site["database"]
    media = database.parent / "media" / "imports"
    files_before = sorted(media.rglob("*"))
    assert one(database, BATCHES) == (1, 1)
    content = (database.parent / "contributions.xlsx").read_bytes()
    body = upload_body(content)
    headers = {
        "Authorization": site["token"],
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(len(body)),
    }

    server = site["start"]()
    sock = open_request(server, "POST", "/api/v1/imports/", headers, body[: len(body) // 2])
    assert not answered(sock, 1.0)  # half the file sent: the request is still being read
    kill_tree(server.process)
    sock.close()

    assert "imports: 0 queued again, 0 marked failed" in restart(site["env"])
    assert one(database, BATCHES) == (1, 1)  # no batch of the cut-off upload
    assert sorted(media.rglob("*")) == files_before  # and no file of it
    assert one(database, LEDGER)[0] == 0

    # The restarted server takes the same upload whole.
    server = site["start"]()
    sock = open_request(server, "POST", "/api/v1/imports/", headers, body)
    assert answered(sock, 30)
    sock.close()
    restart(site["env"])
    assert one(database, BATCHES) == (2, 2)
    assert one(database, LEDGER)[0] == 0  # a check writes nothing


def test_an_apply_caught_by_a_killed_server_is_applied_once(site):
    """The apply request is in flight, waiting for the database, when the server dies."""
    database = site["database"]
    server = site["start"]()
    pk = batch_id(server, site["token"])  # signs the token in (its one write) beforehand

    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer holds the database for a moment
    try:
        sock = open_request(
            server, "POST", f"/api/v1/imports/{pk}/apply/", {"Authorization": site["token"]}, b""
        )
        assert not answered(sock, 1.5)  # in flight: waiting to write
        kill_tree(server.process)
        sock.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert "imports: 0 queued again, 0 marked failed" in restart(site["env"])
    assert one(database, "SELECT status FROM imports_importbatch")[0] == "validated"
    assert rows(database, APPLY_ROWS) == []
    assert one(database, LEDGER)[0] == 0

    # Nothing was done, so the user applies again, and it is applied once.
    apply_via_api(site, site["start"](), pk)
    restart(site["env"])
    assert one(database, "SELECT status, creates FROM imports_importbatch") == ("applied", ROWS)
    assert one(database, LEDGER)[0] == ROWS


def test_an_apply_whose_server_dies_as_it_answers_is_applied_once(site):
    """The server dies a moment after the request arrives: before, during or after its commit
    and its enqueue (runs differ). Whichever it was, the import ends applied, each row once."""
    database = site["database"]
    server = site["start"]()
    pk = batch_id(server, site["token"])
    sock = open_request(
        server, "POST", f"/api/v1/imports/{pk}/apply/", {"Authorization": site["token"]}, b""
    )
    time.sleep(0.001)
    kill_tree(server.process)
    sock.close()

    swept = restart(site["env"])
    status = one(database, "SELECT status FROM imports_importbatch")[0]
    assert status in {"validated", "applied"}, (status, swept)
    if status == "validated":  # the request died before its commit: nothing happened
        assert one(database, LEDGER)[0] == 0
        apply_via_api(site, site["start"](), pk)
        restart(site["env"])
    assert one(database, "SELECT status, creates FROM imports_importbatch") == ("applied", ROWS)
    assert one(database, LEDGER)[0] == ROWS and one(database, HISTORY)[0] == ROWS
    assert "imports: 0 queued again, 0 marked failed" in sweep(site["env"])
    assert ("RUNNING", "") not in rows(database, APPLY_ROWS)
