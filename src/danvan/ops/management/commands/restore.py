"""``danvan restore --input DIR``: put a backup made by ``danvan backup`` back in place."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from danvan.ops.backup import BackupError, Database, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Replace the database and MEDIA_ROOT by a backup, after checking its checksums and "
        "that it was made with the same migrations as this version. Stop the web and worker "
        "processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="The backup's folder.")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the one the settings name.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, input: Path, database_url: str | None, interactive: bool, **options):
        try:
            db = (
                Database.from_url(database_url)
                if database_url
                else Database.from_settings(connections[DEFAULT_DB_ALIAS].settings_dict)
            )
            manifest = read_manifest(input)
            if interactive:
                answer = input_(
                    f"This replaces every row of database {db.name!r} and every file in "
                    f"{settings.MEDIA_ROOT} by the backup of {manifest['created_at']}. "
                    "Type 'yes' to go on: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            if not database_url:
                # Django's own connection must not hold the database while it is replaced.
                connections.close_all()
            manifest = restore(db=db, folder=input, media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables and {manifest['media']['files']} "
            f"uploaded files from the backup of {manifest['created_at']}"
        )


input_ = input
