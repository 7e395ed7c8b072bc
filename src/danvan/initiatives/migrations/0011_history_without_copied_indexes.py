"""The history tables keep only the indexes they are read by.

django-simple-history copies every index of a record onto its history (a code, a title, each
link); the history is read by record, by initiative, by date and by an import's change reason,
never by those. Each copy cost every history row an index insertion: an import of 100,000
initiatives writes 100,000 history rows, and again as many when it is rolled back.

On SQLite, altering a field rebuilds its table with the indexes Django knows of, which leaves
out the change-reason index of 0008 (plain SQL); it is made again at the end.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

reason_indexes = importlib.import_module(
    "danvan.initiatives.migrations.0008_history_reason_indexes"
)


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('initiatives', '0010_showcase_index_public'),
        ('orgs', '0001_initial'),
        ('review', '0007_history_reason_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalcontribution',
            name='corrects',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.contribution', verbose_name='corrects entry'),
        ),
        migrations.AlterField(
            model_name='historicalcontribution',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='area',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='areas.area', verbose_name='area'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='code',
            field=models.CharField(max_length=32, verbose_name='code'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='continued_from',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative', verbose_name='continued from'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='organisation',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organisation', verbose_name='registering organisation'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='replicated_from',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.initiative', verbose_name='replicated from'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='round',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='review.registrationround', verbose_name='registration round'),
        ),
        migrations.AlterField(
            model_name='historicalinitiative',
            name='title_folded',
            field=models.CharField(editable=False, max_length=500),
        ),
        migrations.AlterField(
            model_name='historicalinitiative_co_organisations',
            name='organisation',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organisation'),
        ),
        migrations.AlterField(
            model_name='historicalresult',
            name='indicator',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='initiatives.indicator', verbose_name='indicator'),
        ),
    ] + [
        migrations.RunSQL(reason_indexes._create(table), migrations.RunSQL.noop)
        for table in reason_indexes.TABLES
    ]
