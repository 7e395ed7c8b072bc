from django.db import migrations


def fold_years(apps, schema_editor):
    """Add the year rows (``c_month`` 0) of ``ContributionRollup``, folded out of its month
    rows; nothing to do on an empty database. The statement is the rebuild's own."""
    from danvan.stats.rebuild import contribution_years_statement

    schema_editor.execute(contribution_years_statement("stats_contributionrollup"))


def drop_years(apps, schema_editor):
    schema_editor.execute("DELETE FROM stats_contributionrollup WHERE c_month = 0")


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0016_chain_kinds_and_all_years"),
    ]

    operations = [
        migrations.RunPython(fold_years, drop_years),
    ]
