from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="mode_chosen",
            field=models.BooleanField(
                default=True, verbose_name="boundaries chosen by the requester"
            ),
        ),
    ]
