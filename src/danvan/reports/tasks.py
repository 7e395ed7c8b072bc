"""The background task that builds a report; run by ``danvan db_worker``."""

import logging

from django_tasks import task

from danvan.core.jobs import lease
from danvan.reports.build import run_report
from danvan.reports.services import reports_sweep

logger = logging.getLogger(__name__)

LEASE = "reports.report"


@task()
def build_report(report_id: int) -> str:
    """Build the queued report ``report_id`` (an id, never the object: it runs elsewhere).

    The report's lease (``danvan.core.jobs``) is held for the whole build, so that a sweep can
    tell a report whose worker died from one being built; then the reports whose worker died
    are swept, so a worker restarted after a crash puts them back to work with its first build.
    """
    with lease(LEASE, report_id):
        try:
            reports_sweep()
        except Exception:  # the report at hand must not fail for another one's sake
            logger.exception("Sweeping reports whose worker died failed")
        return run_report(report_id)
