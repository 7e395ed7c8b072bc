"""``danvan load_demo``: load the demo data set and print the demo log-ins."""

from django.core.management.base import BaseCommand, CommandError

from danvan.demo.common import DemoError
from danvan.demo.loader import DEFAULT_SEED, load_demo
from danvan.demo.users import DemoLogin

COLUMNS = ("username", "role", "scope", "language", "password")


def login_table(logins: list[DemoLogin]) -> list[str]:
    """Return the demo log-ins as the lines of a plain-text table."""
    rows = [COLUMNS] + [
        (
            login.username,
            login.role,
            login.scope,
            login.language,
            login.password,
        )
        for login in logins
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for index, row in enumerate(rows):
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo data set: the facts of the Hà Tĩnh and Quảng Yên reports and a generated "
        "background, on the official units (run load_areas first), with demo log-ins for every "
        "role. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--background",
            type=float,
            default=1.0,
            help="Scale of the generated population (1 = full, about 25,000 initiatives).",
        )

    def handle(self, *args, seed: int, background: float, **options):
        if background < 0:
            raise CommandError("--background cannot be negative.")
        try:
            report = load_demo(seed=seed, background=background)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if report.loaded:
            self.stdout.write(self.style.SUCCESS(f"Demo loaded in {report.seconds:.1f} s."))
        else:
            self.stdout.write("The demo is already loaded; nothing changed.")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING(
                "Demo log-ins (public passwords: never load the demo into a real database):"
            )
        )
        for line in login_table(report.logins):
            self.stdout.write(f"  {line}")
        if any(not login.created for login in report.logins):
            self.stdout.write(
                "  Users that existed already keep the password they have; "
                "the table shows the demo's."
            )
