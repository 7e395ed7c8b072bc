"""One PostgreSQL primary and streaming replica for the scaling tests, made once per test
process (``bench.replica.PostgresPair``), with the app migrated on the primary."""

import os
import subprocess
import sys

import pytest

from bench import replica


def run(args: list[str], env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a command of the app's, failing the test with its output when it fails."""
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="session")
def pair(tmp_path_factory):
    """The pair, with a database ``danvan`` migrated on the primary and replayed."""
    reason = replica.available()
    if reason:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason)
        pytest.skip(reason)
    with replica.PostgresPair() as made:
        made.sql(made.primary_port, "CREATE DATABASE danvan")
        made.env = {
            **os.environ,
            "DATABASE_URL": made.primary_url("danvan"),
            "CACHE_URL": "locmem://",
            "DANVAN_DATA_DIR": str(tmp_path_factory.mktemp("pair-data")),
        }
        made.env.pop("DANVAN_TEST_POSTGRES", None)
        made.env.pop("DATABASE_REPLICA_URLS", None)
        run([sys.executable, "-m", "danvan", "migrate", "--noinput", "-v", "0"], made.env)
        made.wait_for_replay()
        yield made
