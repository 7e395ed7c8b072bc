"""The history rows an import wrote are found by their change reason through an index.

An import's rollback (and an archive's) reads its own history rows by the import's mark; at
national scale the history holds millions of rows, which without the index it would read whole.
"""

import pytest
from django.db import connection

from danvan.initiatives.models import Contribution, Initiative, Result
from danvan.review.models import Award, Evaluation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Initiative, Contribution, Result, Award, Evaluation])
def test_the_history_of_every_imported_kind_is_indexed_by_its_change_reason(model):
    table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = [
        name
        for name, about in constraints.items()
        if about["index"] and about["columns"] == ["history_change_reason"]
    ]
    assert indexed, f"{table} has no index on history_change_reason"


def test_a_rollback_reads_its_rows_by_the_index():
    """The plan of the rollback's question names the index, on either engine."""
    rows = Initiative.history.filter(history_change_reason="import:42").values_list(
        "id", "history_id", "history_type"
    )
    plan = rows.explain()
    assert "historicalinitiative_reason" in plan
