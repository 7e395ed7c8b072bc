"""``danvan load_demo``: load the demo data set and print the demo log-in."""

from django.core.management.base import BaseCommand, CommandError

from danvan.demo.common import DemoError
from danvan.demo.loader import DEFAULT_SEED, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data set: the facts of the Hà Tĩnh and Quảng Yên reports and a generated "
        "background, on the official units (run load_areas first). Safe to run again."
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
        for login in report.logins:
            note = "" if login.created else " (existing user; password unchanged)"
            self.stdout.write(
                self.style.WARNING(
                    f"Demo log-in: user {login.username!r}, password {login.password!r}{note}"
                )
            )
