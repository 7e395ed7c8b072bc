"""``danvan build_report``: build a periodic report now, in this process, and write the file."""

import datetime
import shutil

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, CodeScheme
from danvan.reports.build import run_report
from danvan.reports.models import MOVEMENT_START, PeriodKind, Report, ReportFormat, ReportKind
from danvan.reports.services import report_request, reports_fail_stale
from danvan.stats.models import MODES


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = "Build a periodic report for an area (or the whole country) and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("--area-code", help="Code of the unit; leave out for the country.")
        parser.add_argument(
            "--scheme",
            default=CodeScheme.CURRENT,
            choices=CodeScheme.values,
            help="Code scheme of --area-code (default: current).",
        )
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--period", default=PeriodKind.ANNUAL, choices=PeriodKind.values)
        parser.add_argument("--start", type=_day, help="First day (default: 1 January).")
        parser.add_argument("--cutoff", type=_day, help="Cut-off day (default: period's end).")
        parser.add_argument("--since", type=int, default=MOVEMENT_START)
        parser.add_argument(
            "--mode",
            default=None,
            choices=MODES,
            help="Boundaries; left out, the mode that answers the question (restated for a "
            "year before the unit existed), as the dashboard chooses it.",
        )
        parser.add_argument(
            "--format",
            default=ReportFormat.DOCX,
            choices=[ReportFormat.DOCX, ReportFormat.PDF, ReportFormat.XLSX],
        )
        parser.add_argument("--language", default="vi")
        parser.add_argument("--user", help="Build as this user (default: the system).")
        parser.add_argument("--output", required=True, help="Where to write the file.")

    def handle(self, *args, **options):
        area = None
        if options["area_code"]:
            area = Area.objects.filter(scheme=options["scheme"], code=options["area_code"]).first()
            if area is None:
                raise CommandError(
                    f"no {options['scheme']} unit has the code {options['area_code']}"
                )
        actor = SYSTEM
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"no user {options['user']}")
        reports_fail_stale()
        try:
            report = report_request(
                actor=actor,
                kind=ReportKind.PERIODIC,
                format=options["format"],
                language=options["language"],
                area=area,
                mode=options["mode"],
                year=options["year"],
                period_kind=options["period"],
                period_start=options["start"],
                cutoff=options["cutoff"],
                since=options["since"],
                enqueue=False,
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
                )
            ) from None
        run_report(report.pk)
        report = Report.objects.get(pk=report.pk)
        if not report.is_ready:
            raise CommandError(report.message or report.status)
        with report.file.open("rb") as source, open(options["output"], "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(f"{options['output']} (report #{report.pk})")
