"""``danvan rebuild_rollups``: recompute the summary tables from the base tables."""

from django.core.management.base import BaseCommand, CommandError

from danvan.stats.rebuild import ROLLUP_NAMES, rebuild_rollups


class Command(BaseCommand):
    help = "Recompute the statistics rollups from the initiatives, ledgers and results."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-nodes",
            action="store_true",
            help="Also recompute where each unit's facts are counted (after the tree changed).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=list(ROLLUP_NAMES),
            help="Recompute only this rollup, leaving the others as they are (repeatable): "
            "a new rollup table on a large database.",
        )

    def handle(self, *args, **options):
        try:
            counts = rebuild_rollups(reset_nodes=options["reset_nodes"], only=options["only"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(", ".join(f"{name}: {rows} rows" for name, rows in counts.items()))
