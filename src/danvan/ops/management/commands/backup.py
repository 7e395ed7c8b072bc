"""``danvan backup --output DIR``: the database and the uploaded files, with a manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from danvan.ops.backup import BackupError, Database, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) and "
        "MEDIA_ROOT into a new folder, with manifest.json (versions, migrations, row counts, "
        "checksums). The site may keep running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="A new or empty folder.")
        parser.add_argument(
            "--database-url",
            help="Back up this database instead of the one the settings name.",
        )

    def handle(self, *args, output: Path, database_url: str | None, **options):
        try:
            db = (
                Database.from_url(database_url)
                if database_url
                else Database.from_settings(connections[DEFAULT_DB_ALIAS].settings_dict)
            )
            manifest = backup(db=db, output=output, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
            f"{manifest['media']['files']} uploaded files to {output}"
        )
