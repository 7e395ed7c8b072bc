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


# What the history of each kind an import writes in bulk is read by: the record, the initiative
# (the timeline), the date, the author and the import's change reason.
READ_BY = {
    Initiative: {"id", "history_date", "history_user_id", "history_change_reason"},
    Contribution: {
        "id",
        "initiative_id",
        "history_date",
        "history_user_id",
        "history_change_reason",
    },
    Result: {"id", "initiative_id", "history_date", "history_user_id", "history_change_reason"},
}


@pytest.mark.parametrize("model", list(READ_BY))
def test_the_bulk_written_histories_carry_only_the_indexes_they_are_read_by(model):
    """django-simple-history copies a record's indexes (its code, title, links) onto its
    history; each copy is one more index insertion for each of an import's 100,000 history
    rows, and nothing reads the history by them."""
    table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexed = {
        column
        for about in constraints.values()
        if about["index"] and not about["primary_key"]
        for column in about["columns"]
    }
    assert indexed == READ_BY[model]
