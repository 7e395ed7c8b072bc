"""``danvan load_areas``: load or refresh Vietnam's official administrative units."""

import time

from django.core.management.base import BaseCommand

from danvan.areas.loader import load_official_areas


class Command(BaseCommand):
    help = (
        "Load the legacy (63-province) and current (34-province) official lists of "
        "administrative units and the 2025 crosswalk between them. Safe to run again."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = load_official_areas()
        elapsed = time.perf_counter() - started
        if options["verbosity"] < 1:
            return
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Areas: {report.created} created, {report.updated} updated; successions: "
                f"{report.successions_created} created, {report.successions_updated} updated "
                f"({elapsed:.1f} s)."
            )
        )
