"""The background task that builds a report; run by ``danvan db_worker``."""

from django_tasks import task

from danvan.reports.build import run_report
from danvan.reports.services import reports_fail_stale


@task()
def build_report(report_id: int) -> str:
    """Build the queued report ``report_id`` (an id, never the object: it runs elsewhere)."""
    reports_fail_stale()
    return run_report(report_id)
