"""``danvan rebuild_rollups``: recompute the summary tables from the base tables."""

from django.core.management.base import BaseCommand

from danvan.stats.rebuild import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute the statistics rollups from the initiatives, ledgers and results."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-nodes",
            action="store_true",
            help="Also recompute where each unit's facts are counted (after the tree changed).",
        )

    def handle(self, *args, **options):
        counts = rebuild_rollups(reset_nodes=options["reset_nodes"])
        self.stdout.write(", ".join(f"{name}: {rows} rows" for name, rows in counts.items()))
