"""Run by ``test_replica.py`` in a process of its own, configured by the environment for a real
primary (``DATABASE_URL``) and a real streaming replica (``DATABASE_REPLICA_URLS``), both
already migrated. Prints one JSON object of observations for the test to check.

The replica's replay is paused while a token's owner registers an initiative, so the two
servers really differ: the owner's next list (pinned to the primary) shows it, another
client's list (read from the replica) does not yet, and does once replay resumes.
"""

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

import psycopg  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from danvan.accounts.models import Role  # noqa: E402
from danvan.accounts.services import api_token_create  # noqa: E402
from tests.factories import AreaFactory, InitiativeFactory, OrganisationFactory  # noqa: E402
from tests.factories_review import PersonFactory, RoleAssignmentFactory  # noqa: E402

REPLICA_DSN = os.environ["DATABASE_REPLICA_URLS"].replace("postgres://", "postgresql://")
PRIMARY_DSN = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
LIST = "/api/v1/initiatives/"

queries: Counter = Counter()


def counting(alias: str):
    def wrapper(execute, sql, params, many, context):
        queries[alias] += 1
        return execute(sql, params, many, context)

    return wrapper


def on_replica(statement: str):
    with psycopg.connect(REPLICA_DSN, autocommit=True) as connection:
        return connection.execute(statement).fetchone()


def wait_for_replay(timeout: float = 30) -> None:
    with psycopg.connect(PRIMARY_DSN, autocommit=True) as connection:
        # Inserted, not written: with synchronous_commit off a commit returns before its
        # record is written (bench.replica.PostgresPair.wait_for_replay).
        (target,) = connection.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_replica(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
            return
        time.sleep(0.05)
    raise TimeoutError("the replica did not catch up")


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def measured(call):
    """Call, and return its answer with the queries each server ran for it."""
    queries.clear()
    answer = call()
    return answer, {alias: queries[alias] for alias in ("default", "replica1")}


# The cast: a province with one organisation and its initiative, a super administrator and a
# viewer, each with a token.
province = AreaFactory(name="Tỉnh Thử Nghiệm", kind="province")
ward = AreaFactory(name="Phường Thử Nghiệm", parent=province)
organisation = OrganisationFactory(seat_area=ward)
existing = InitiativeFactory(organisation=organisation, year=2025)
root = PersonFactory(username="root", is_superuser=True)
RoleAssignmentFactory(user=root, role=Role.SUPERADMIN)
viewer = PersonFactory(username="quan")
RoleAssignmentFactory(user=viewer, role=Role.VIEWER, area=province)
_, root_key = api_token_create(actor=root, name="writer")
_, viewer_key = api_token_create(actor=viewer, name="reader")
wait_for_replay()

for alias in ("default", "replica1"):
    connections[alias].execute_wrappers.append(counting(alias))

writer = Client(
    SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {root_key}", HTTP_ACCEPT_LANGUAGE="en"
)
reader = Client(
    SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Token {viewer_key}", HTTP_ACCEPT_LANGUAGE="en"
)
seen = {}

# 1. A lag-tolerant read (the stats API, the list) is served by the replica.
answer, seen["stats_read"] = measured(
    lambda: reader.get(f"/api/v1/stats/initiatives/?area={province.pk}")
)
assert answer.status_code == 200, answer.content
answer, seen["list_read"] = measured(lambda: reader.get(LIST))
seen["list_before"] = sorted(codes(answer))

# 2. A page that is not lag tolerant (one initiative, which an editor reads before changing it)
#    stays on the primary.
answer, seen["detail_read"] = measured(lambda: writer.get(f"{LIST}{existing.pk}/"))
seen["detail_status"] = answer.status_code

# 3. With the replica's replay paused, the writer registers an initiative (the write must go to
#    the primary: the replica is read-only and would refuse it).
on_replica("SELECT pg_wal_replay_pause()")
payload = {
    "title": "Tổ liên gia phòng cháy chữa cháy",
    "field": "defence_security",
    "organisation": organisation.pk,
    "area": ward.pk,
    "year": 2025,
    "start_date": "2025-02-01",
}
answer, seen["write"] = measured(
    lambda: writer.post(LIST, payload, content_type="application/json")
)
assert answer.status_code == 201, answer.content
new_code = answer.json()["code"]
seen["new_code"] = new_code

# 4. The writer reads its own write (pinned to the primary); the reader, from the paused
#    replica, does not see it yet.
answer, seen["own_read"] = measured(lambda: writer.get(LIST))
seen["writer_sees_it"] = new_code in codes(answer)
answer, seen["other_read"] = measured(lambda: reader.get(LIST))
seen["reader_sees_it_while_paused"] = new_code in codes(answer)

# 5. Replay resumes: the reader sees it from the replica.
on_replica("SELECT pg_wal_replay_resume()")
wait_for_replay()
answer, seen["later_read"] = measured(lambda: reader.get(LIST))
seen["reader_sees_it_after_replay"] = new_code in codes(answer)

print(json.dumps(seen))
