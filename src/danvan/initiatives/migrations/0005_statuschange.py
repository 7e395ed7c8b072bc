"""The workflow's trail of steps, now held by the app that owns the lifecycle.

The table ``review_statuschange`` already exists; only Django's record of the model moves.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

STATUSES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("registered", "Registered"),
    ("in_progress", "In progress"),
    ("completed", "Completed"),
    ("discontinued", "Discontinued"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0004_list_and_queue_indexes"),
        ("review", "0003_statuschange_to_initiatives"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StatusChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("transition", models.CharField(max_length=32, verbose_name="action")),
                        (
                            "from_status",
                            models.CharField(choices=STATUSES, max_length=16, verbose_name="from"),
                        ),
                        (
                            "to_status",
                            models.CharField(choices=STATUSES, max_length=16, verbose_name="to"),
                        ),
                        ("reason", models.TextField(blank=True, verbose_name="reason")),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "initiative",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_changes",
                                to="initiatives.initiative",
                                verbose_name="initiative",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "status change",
                        "verbose_name_plural": "status changes",
                        "ordering": ["at", "id"],
                        "db_table": "review_statuschange",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
