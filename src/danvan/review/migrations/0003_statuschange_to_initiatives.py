"""The workflow's trail of steps moves to the initiatives app, which owns the lifecycle.

Only Django's record of which app holds the model changes; the table stays as it is.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_historicalawardform_historicalawardtitle_and_more"),
        ("initiatives", "0004_list_and_queue_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StatusChange")],
            database_operations=[],
        ),
    ]
