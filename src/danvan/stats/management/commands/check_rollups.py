"""``danvan check_rollups``: fail unless every rollup equals the base tables it sums."""

from django.core.management.base import BaseCommand, CommandError

from danvan.stats.exactness import rollup_differences


class Command(BaseCommand):
    help = (
        "Compare every statistics rollup with the same figures computed from the initiatives, "
        "ledgers and results; exit non-zero on any difference."
    )

    def handle(self, *args, **options):
        differences = rollup_differences()
        for table, rows in differences.items():
            self.stdout.write(f"{table}: {rows} rows differ")
        wrong = {table: rows for table, rows in differences.items() if rows}
        if wrong:
            raise CommandError(
                "The rollups differ from the base tables in "
                + ", ".join(f"{table} ({rows} rows)" for table, rows in wrong.items())
                + "; run rebuild_rollups and find the write that went past the upkeep."
            )
        self.stdout.write("The rollups equal the base tables.")
