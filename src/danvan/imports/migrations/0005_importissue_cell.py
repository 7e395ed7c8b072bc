from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_word_report_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="importissue",
            name="cell",
            field=models.CharField(blank=True, max_length=16, verbose_name="cell"),
        ),
    ]
