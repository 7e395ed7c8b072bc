"""The rebuild's statements never loop over one whole table for each row of another.

SQLite joins by nested loops. When the inner side of a join is a derived table it cannot
index (a window's result, say), every row of the outer side scans all of it: the demo's
40,000 days took 50 s per statement that way, and a rebuild of the demo 280 s. The plan
says so before any data is there: two full ``SCAN`` steps in one loop nest.
"""

from collections import defaultdict

import pytest
from django.db import connection

from danvan.stats.rebuild import statements

pytestmark = pytest.mark.django_db


def nested_scans(statement: str) -> list[str]:
    """The loop nests of ``statement``'s SQLite plan that scan more than one table in full."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}")
        plan = cursor.fetchall()
    loops: dict[int, list[str]] = defaultdict(list)
    for _node, parent, _unused, step in plan:
        if step.startswith(("SCAN ", "SEARCH ")):
            loops[parent].append(step)
    return [
        " then ".join(steps)
        for steps in loops.values()
        if sum(step.startswith("SCAN ") for step in steps) > 1
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plans")
def test_no_rebuild_statement_scans_a_table_per_row_of_another():
    found = {}
    for statement in statements():
        nested = nested_scans(statement)
        if nested:
            found[statement.split(None, 3)[2]] = nested
    assert found == {}
