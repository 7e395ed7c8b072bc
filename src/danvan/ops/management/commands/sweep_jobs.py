"""``danvan sweep_jobs``: put back to work, or mark failed, the imports and reports whose worker
died (killed, out of memory, machine restarted) and which nothing would otherwise finish.

Every import and report task sweeps when it starts; this command does it at once, for a worker
restarted after a crash (run it before the workers start) or from a timer.
"""

from django.core.management.base import BaseCommand

from danvan.imports.stale import imports_sweep
from danvan.reports.services import reports_sweep


class Command(BaseCommand):
    help = (
        "Queue again (or, after too many attempts, mark failed with a message) the imports and "
        "reports whose worker died before finishing them."
    )

    def handle(self, *args, **options):
        for name, sweep in (("imports", imports_sweep), ("reports", reports_sweep)):
            swept = sweep()
            self.stdout.write(
                f"{name}: {swept.requeued} queued again, {swept.failed} marked failed, "
                f"{swept.closed} task rows of dead workers closed"
            )
