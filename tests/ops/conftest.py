"""A real SQLite database file, migrated and seeded once per session by the ``danvan`` command
in its own process, for the tests that run the app or its commands outside the test database
(backups, gunicorn)."""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DANVAN = [sys.executable, "-m", "danvan"]
SEED = """
from tests.factories import ContributionFactory, InitiativeFactory, UserFactory
for number in range(3):
    initiative = InitiativeFactory(title=f"Đường hoa thôn {number} — Thiên Lộc")
    ContributionFactory(initiative=initiative)
UserFactory(username="lan", first_name="Lan", last_name="Nguyễn Thị")
"""


def app_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a danvan process on the SQLite file under ``data_dir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DANVAN_TEST_POSTGRES", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DANVAN_ENV": "development",
        "DANVAN_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DANVAN_TASKS_IMMEDIATE": "0",
    }
    return env | extra


def danvan(*args: str, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [*DANVAN, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory) -> Path:
    """Migrate a fresh SQLite file and add a few initiatives, contributions and people."""
    data_dir = tmp_path_factory.mktemp("seeded")
    env = app_env(data_dir)
    danvan("migrate", "--noinput", "-v", "0", env=env)
    danvan("shell", "-c", SEED, env=env)
    return data_dir / "danvan.sqlite3"


@pytest.fixture
def sqlite_data_dir(seeded_sqlite, tmp_path) -> Path:
    """A data folder of the test's own with a copy of the seeded database."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    source = sqlite3.connect(seeded_sqlite)
    target = sqlite3.connect(data_dir / "danvan.sqlite3")
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return data_dir


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_bin() -> str:
    path = Path(sys.executable).with_name("gunicorn")
    if not path.exists():
        found = shutil.which("gunicorn")
        if not found:
            pytest.fail("gunicorn is not installed: pip install gunicorn")
        return found
    return str(path)
