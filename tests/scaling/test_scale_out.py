"""Past one machine: reads that tolerate lag go to a real PostgreSQL streaming replica.

Two clusters of this machine's PostgreSQL (``bench.replica.PostgresPair``: ``initdb`` and
``pg_basebackup``) are made for these tests and the app is migrated on the primary
(``conftest.pair``); each scenario runs in a process of its own, configured by the environment.

The router: lag-tolerant reads go to the replica, other reads and every write to the primary,
and a client reads its own write at once while the replica's replay is paused; another client
sees it once replay resumes (``replica_scenario.py``). Several workers sharing one queue
without doubles: ``tests/ops/test_multi_process.py``.

PostgreSQL only (as the rest of the PostgreSQL tests): skipped on SQLite runs unless CI or
``DANVAN_TEST_POSTGRES`` asks for PostgreSQL, where a missing server program fails them.
"""

import json
import sys
from pathlib import Path

import pytest

from tests.scaling.conftest import run

pytestmark = pytest.mark.postgres_only

HERE = Path(__file__).parent


def test_lag_tolerant_reads_go_to_the_replica_and_a_writer_reads_its_own_write(pair):
    env = {
        **pair.env,
        "DATABASE_REPLICA_URLS": pair.replica_url("danvan"),
        "DANVAN_TASKS_IMMEDIATE": "1",
    }
    done = run([sys.executable, str(HERE / "replica_scenario.py")], env)
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    # The stats API and the list read the replica only.
    assert seen["stats_read"]["replica1"] > 0 and seen["list_read"]["replica1"] > 0
    # Who the token belongs to is read on the primary (a token made a moment ago works), the
    # rest on the replica.
    assert seen["list_read"]["replica1"] > seen["list_read"]["default"]
    # One initiative, read before an edit: the primary only.
    assert seen["detail_status"] == 200
    assert seen["detail_read"]["replica1"] == 0
    # The write went to the primary, nothing of it to the replica.
    assert seen["write"]["replica1"] == 0 and seen["write"]["default"] > 0
    # Read-your-own-writes while the replica is paused; the others see it after replay.
    assert seen["writer_sees_it"] is True
    assert seen["own_read"]["replica1"] == 0
    assert seen["reader_sees_it_while_paused"] is False
    assert seen["other_read"]["replica1"] > 0
    assert seen["reader_sees_it_after_replay"] is True
