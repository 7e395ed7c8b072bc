"""The files in deploy/: gunicorn starts the app with deploy/gunicorn.conf.py and answers
/health/, in development and with production settings behind the TLS proxy; nginx accepts the
site configuration; systemd accepts the units; every variable of the env example is read."""

import json
import re
import runpy
import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.ops.conftest import ROOT, app_env, free_port
from tests.ops.server import Gunicorn

DEPLOY = ROOT / "deploy"
PRODUCTION = {
    "DANVAN_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "danvan.example.gov.vn,127.0.0.1",
    "BEHIND_TLS_PROXY": "1",
}


@pytest.fixture
def serve(gunicorn_bin, sqlite_data_dir, tmp_path):
    started = []

    def start(**extra):
        server = Gunicorn(
            gunicorn_bin, free_port(), app_env(sqlite_data_dir, **extra), tmp_path / "gunicorn.log"
        )
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop()


def test_gunicorn_serves_health_with_json_logs_and_request_ids(serve):
    server = serve(DANVAN_LOG_FORMAT="json", HEALTH_DISK_MIN_FREE_MB="1")
    status, headers, body = server.request(
        "GET", "/health/", headers={"X-Request-ID": "deploy-test-0001"}
    )
    assert status == 200, body
    assert json.loads(body)["checks"]["database"]["vendor"] == "sqlite"
    assert headers["X-Request-ID"] == "deploy-test-0001"
    server.stop()
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    request_lines = [line for line in lines if line.get("logger") == "danvan.request"]
    assert any(
        line["request_id"] == "deploy-test-0001"
        and line["path"] == "/health/"
        and line["status"] == 200
        and line["duration_ms"] >= 0
        for line in request_lines
    ), server.output()


def _worker_pids(output: str) -> list[str]:
    return re.findall(r"Booting worker with pid: (\d+)", output)


def test_a_worker_past_its_memory_ceiling_is_replaced_and_requests_go_on(serve):
    """Every worker is over a 1 MB ceiling: after its first request it is replaced by a fresh
    one, and the requests that follow are answered by the new workers, none failing."""
    server = serve(GUNICORN_MAX_WORKER_MEMORY_MB="1", HEALTH_DISK_MIN_FREE_MB="1")
    for _ in range(4):
        status, _headers, body = server.request("GET", "/health/")
        assert status == 200, body
        time.sleep(1.5)
    output = server.output()
    assert "over GUNICORN_MAX_WORKER_MEMORY_MB=1" in output, output
    assert len(_worker_pids(output)) >= 3, output


def test_a_worker_under_its_memory_ceiling_is_kept_whatever_its_requests(serve):
    """No recycling by request count by default: 300 requests, one worker, never replaced."""
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["max_requests"] == 0
    assert settings["max_worker_memory_mb"] == 1024
    server = serve(HEALTH_DISK_MIN_FREE_MB="1")
    for _ in range(300):
        status, _headers, _body = server.request("GET", "/accounts/login/")
        assert status == 200
    output = server.output()
    assert len(_worker_pids(output)) == 1, output
    assert "Replacing worker" not in output and "Autorestarting" not in output, output


def test_gunicorn_with_production_settings_behind_the_proxy(serve):
    server = serve(**PRODUCTION, HEALTH_DISK_MIN_FREE_MB="1")
    host = {"Host": "danvan.example.gov.vn"}
    # The health check answers over plain HTTP on the loopback, for the load balancer.
    status, _headers, _body = server.request("GET", "/health/", headers=host)
    assert status == 200
    # Any page over plain HTTP is sent to HTTPS.
    status, headers, _body = server.request("GET", "/showcase/", headers=host)
    assert status == 301
    assert headers["Location"] == "https://danvan.example.gov.vn/showcase/"
    # Through nginx (X-Forwarded-Proto: https): the page, with every security header.
    status, headers, _body = server.request(
        "GET", "/showcase/", headers=host | {"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    # A host that is not ours is refused.
    status, _headers, _body = server.request("GET", "/health/", headers={"Host": "evil.example"})
    assert status == 400


def test_production_refuses_to_start_with_the_demo_secret(gunicorn_bin, sqlite_data_dir, tmp_path):
    env = app_env(sqlite_data_dir, **PRODUCTION) | {"SECRET_KEY": "short"}
    server = Gunicorn(gunicorn_bin, free_port(), env, tmp_path / "gunicorn.log")
    try:
        server.process.wait(timeout=60)
    finally:
        server.stop()
    assert server.process.returncode != 0
    assert "SECRET_KEY must be set" in server.output()


def test_production_refuses_to_start_with_the_example_secret(
    gunicorn_bin, sqlite_data_dir, tmp_path
):
    """The env example copied as it is: gunicorn stops, saying the key is a placeholder."""
    example = re.search(
        r"^SECRET_KEY=(.*)$", (DEPLOY / "danvan.env.example").read_text(), re.M
    ).group(1)
    env = app_env(sqlite_data_dir, **PRODUCTION) | {"SECRET_KEY": example}
    server = Gunicorn(gunicorn_bin, free_port(), env, tmp_path / "gunicorn.log")
    try:
        server.process.wait(timeout=60)
    finally:
        server.stop()
    assert server.process.returncode != 0
    assert "SECRET_KEY must be set" in server.output()
    assert "looks like a placeholder" in server.output()


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return found


def test_nginx_accepts_the_site(tmp_path):
    nginx = _nginx()
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=danvan.example.gov.vn", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "danvan.conf").read_text()
    site = site.replace(
        "/etc/letsencrypt/live/danvan.example.gov.vn/fullchain.pem", str(cert)
    ).replace("/etc/letsencrypt/live/danvan.example.gov.vn/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "danvan.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n include {tmp_path}/danvan.conf;\n}}\n"
    )
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def test_nginx_caps_bodies_above_the_apps_largest_upload():
    from django.conf import settings

    site = (DEPLOY / "nginx" / "danvan.conf").read_text()
    cap = int(re.search(r"client_max_body_size (\d+)m;", site).group(1)) * 1024 * 1024
    largest = max(settings.IMPORT_MAX_BYTES, settings.EVIDENCE_MAX_BYTES)
    assert largest < cap <= 2 * settings.IMPORT_MAX_BYTES


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    units = sorted((DEPLOY / "systemd").glob("danvan-*"))
    assert {unit.name for unit in units} == {
        "danvan-web.service",
        "danvan-worker@.service",
        "danvan-backup.service",
        "danvan-backup.timer",
    }
    text = (DEPLOY / "systemd" / "danvan-web.service").read_text()
    assert "deploy/gunicorn.conf.py" in text
    assert "db_worker" in (DEPLOY / "systemd" / "danvan-worker@.service").read_text()
    # Verify the units with their paths pointing at programs that exist here.
    for unit in units:
        body = unit.read_text().replace("/srv/danvan/.venv/bin/", f"{ROOT}/.venv/bin/")
        name = unit.name.replace("@.service", "@1.service")
        (tmp_path / name).write_text(body)
    done = subprocess.run(
        [analyze, "verify", *[str(path) for path in sorted(tmp_path.iterdir())]],
        capture_output=True,
        text=True,
    )
    problems = [
        line
        for line in done.stderr.splitlines()
        # The container has no "danvan" user, no /etc/danvan and no running systemd.
        if line.strip()
        and not re.search(r"danvan\.env|User|Group|/srv/danvan|Failed to|systemd", line)
    ]
    assert problems == [], done.stderr


def test_every_variable_of_the_env_example_is_read():
    sources = (
        "\n".join(path.read_text() for path in (ROOT / "src" / "danvan").rglob("*.py"))
        + (DEPLOY / "gunicorn.conf.py").read_text()
    )
    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "danvan.env.example").read_text(), re.M)
    assert "DATABASE_URL" in names
    unread = [name for name in names if f'"{name}"' not in sources]
    assert unread == []
