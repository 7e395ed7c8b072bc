"""Index the change reason of the initiatives', contributions' and results' history.

An import's rollback finds the rows it wrote by their change reason (the import's mark); at
national scale the history holds millions of rows, which a rollback would otherwise read
whole. django-simple-history builds the historical models from the tracked ones, so the index
is plain SQL (the same on PostgreSQL and SQLite), outside the models' state.
"""

from django.db import migrations

TABLES = (
    "initiatives_historicalinitiative",
    "initiatives_historicalcontribution",
    "initiatives_historicalresult",
)


def _create(table: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {table}_reason ON {table} (history_change_reason)"


def _drop(table: str) -> str:
    return f"DROP INDEX IF EXISTS {table}_reason"


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0007_contribution_decimal_amount"),
    ]

    operations = [migrations.RunSQL(_create(table), _drop(table)) for table in TABLES]
