"""The fault tests reuse the operations tests' seeded SQLite database and helpers, and the
imports tests' cast and upload fixture for the sweeps run in one process."""

import pytest

from tests.faults.processes import copy_data, one
from tests.faults.scenes import SETUP
from tests.imports.conftest import upload  # noqa: F401
from tests.ops.conftest import app_env, danvan, gunicorn_bin, seeded_sqlite  # noqa: F401
from tests.people import world  # noqa: F401


@pytest.fixture(scope="session")
def checked(seeded_sqlite, tmp_path_factory):  # noqa: F811
    """A data folder whose import (tests/faults/scenes.py) was uploaded and checked by the
    real worker, ready to apply. Tests work on copies of it (``copy_data``)."""
    data_dir = tmp_path_factory.mktemp("checked")
    copy_data(seeded_sqlite.parent, data_dir)
    env = app_env(data_dir)
    danvan("shell", "-c", SETUP, env=env, timeout=300)
    danvan("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", env=env)
    status = one(data_dir / "danvan.sqlite3", "SELECT status FROM imports_importbatch")[0]
    assert status == "validated"
    return data_dir
