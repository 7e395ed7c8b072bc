"""``danvan send_reminders``: the daily job that reminds people of closing rounds."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from danvan.review.reminders import send_round_reminders


class Command(BaseCommand):
    help = "Remind officers and reviewers of rounds that close or reach their cut-off soon."

    def add_arguments(self, parser):
        parser.add_argument("--days-ahead", type=int, default=7)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        sent = send_round_reminders(today=today, days_ahead=options["days_ahead"])
        self.stdout.write(f"{sent} reminders sent.")
