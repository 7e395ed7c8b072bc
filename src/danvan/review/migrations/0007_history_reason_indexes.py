"""Index the change reason of the awards' and evaluations' history.

Undoing an archive import finds the rows it wrote by their change reason (see
``initiatives.0008_history_reason_indexes``).
"""

from django.db import migrations

TABLES = ("review_historicalaward", "review_historicalevaluation")


def _create(table: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {table}_reason ON {table} (history_change_reason)"


def _drop(table: str) -> str:
    return f"DROP INDEX IF EXISTS {table}_reason"


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0006_evaluation_archived"),
    ]

    operations = [migrations.RunSQL(_create(table), _drop(table)) for table in TABLES]
