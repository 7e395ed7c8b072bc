"""``Server-Timing`` on every answer: the request's own time and its database time and queries,
which a loaded client machine cannot blur."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.ops.timing import _Queries, server_timing

pytestmark = pytest.mark.django_db

PATTERN = re.compile(
    r'^app;dur=(?P<app>\d+\.\d), db;dur=(?P<db>\d+\.\d);desc="(?P<count>\d+) quer(y|ies)"$'
)


def _timing(response) -> dict:
    found = PATTERN.match(response["Server-Timing"])
    assert found, response["Server-Timing"]
    return {
        "app": float(found["app"]),
        "db": float(found["db"]),
        "count": int(found["count"]),
    }


def test_a_page_reports_its_time_and_every_query(client, lan):
    client.force_login(lan)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/initiatives/")
    assert response.status_code == 200
    timing = _timing(response)
    assert timing["count"] == len(queries.captured_queries) > 0
    assert 0 < timing["db"] <= timing["app"]


def test_answers_without_queries_refusals_and_the_api_have_it_too(client, lan):
    health = client.get("/health/")
    assert _timing(health)["count"] >= 1
    missing = client.get("/no/such/page/")
    assert missing.status_code == 404
    assert "Server-Timing" in missing
    api = client.get("/api/v1/imports/")
    assert api.status_code in {401, 403}
    assert _timing(api)["app"] >= 0


def test_the_value_names_one_query_and_many():
    queries = _Queries()
    assert server_timing(0.0123, queries) == 'app;dur=12.3, db;dur=0.0;desc="0 queries"'
    queries.count, queries.seconds = 1, 0.0015
    assert server_timing(0.002, queries) == 'app;dur=2.0, db;dur=1.5;desc="1 query"'
