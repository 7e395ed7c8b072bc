"""``danvan db_worker``: django-tasks-db's worker command with danvan's resilient run loop.

The options are the library's; only the loop differs (``danvan.core.worker``): it outlives a
locked or lost database and writes the heartbeat that ``/health/`` reads. ``danvan.core`` comes
before ``django_tasks_db`` in ``INSTALLED_APPS``, so this command is the one Django runs.

On SQLite the worker waits longer for the write lock than a web request does
(``WORKER_SQLITE_TIMEOUT``, 30 s by default, against ``SQLITE_TIMEOUT``): a request should
answer "busy" quickly, a background task may as well wait its turn.
"""

from django.db import connections
from django_tasks_db.management.commands import db_worker as upstream

from danvan.core.worker import Worker
from danvan.env import envint


class Command(upstream.Command):
    help = "Run the background worker (tasks of the database queue), surviving database errors"

    def handle(self, *args, **options):
        timeout = envint("WORKER_SQLITE_TIMEOUT", 30)
        before = {}
        for alias in connections:
            settings_dict = connections[alias].settings_dict
            if settings_dict["ENGINE"].endswith("sqlite3"):
                # Read when the next connection opens; an open one keeps its own.
                before[alias] = settings_dict.setdefault("OPTIONS", {}).get("timeout")
                settings_dict["OPTIONS"]["timeout"] = timeout
        original = upstream.Worker
        upstream.Worker = Worker  # the library's handle() builds the worker by this name
        try:
            return super().handle(*args, **options)
        finally:
            upstream.Worker = original
            for alias, value in before.items():
                connections[alias].settings_dict["OPTIONS"]["timeout"] = value
