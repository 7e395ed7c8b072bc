"""People are searched ignoring diacritics: keep their names folded, filled for existing rows."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from danvan.accounts.models import search_text

    User = apps.get_model("accounts", "User")
    for user in User.objects.all().iterator():
        user.search_folded = search_text(user)
        user.save(update_fields=["search_folded"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_folded",
            field=models.CharField(blank=True, default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
