"""The task worker's run loop: it survives a busy or lost database, and says it is alive.

django-tasks-db's own loop lets an ``OperationalError`` out of anything but the claim of a
task: SQLite's "database is locked" when a long import holds the write lock longer than the
connection's busy timeout, or a PostgreSQL restart. The loop's thread then dies; under the
autoreloader the process stays up, idle, and every later report and import waits for ever.

This loop (``danvan db_worker``, ``danvan.core.management.commands.db_worker``) does what the
library's does, and on a database error closes the connections, waits (1 s, doubled up to
30 s) and carries on. The outcome of a task that ran is saved again until the database takes
it, so a finished task is never left "running". Between tasks, and every few seconds while a
task runs, it writes a heartbeat to the shared cache; ``/health/`` reports the workers stopped
when tasks wait and no heartbeat is recent.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from danvan.core import upkeep

logger = logging.getLogger("danvan.worker")

HEARTBEAT_KEY = "danvan:worker:heartbeat"
HEARTBEAT_EVERY = 5.0  # seconds between two heartbeats of one worker
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
DATABASE_ERRORS = (OperationalError, InterfaceError)


def beat(worker_id: str) -> None:
    """Record that worker ``worker_id`` is alive and taking tasks, now."""
    try:
        cache.set(HEARTBEAT_KEY, {"at": time.time(), "worker": worker_id}, timeout=7 * 24 * 3600)
    except Exception:  # a heartbeat must never stop the work it reports on
        logger.warning("The worker's heartbeat could not be written", exc_info=True)


def last_beat() -> float | None:
    """The time (seconds since the epoch) of the latest heartbeat of any worker, if any."""
    found = cache.get(HEARTBEAT_KEY)
    return found["at"] if isinstance(found, dict) else None


def _drop_connections() -> None:
    """Close every connection, broken or stuck in a failed transaction; the next query opens a
    fresh one."""
    for connection in connections.all(initialized_only=True):
        try:
            if connection.in_atomic_block:
                connection.needs_rollback = True
            connection.close()
        except DatabaseError:
            connection.connection = None


def _until_saved(step: Callable[[], None], what: str) -> None:
    """Run ``step`` (a write of a task's outcome) until the database takes it."""
    delay = BACKOFF_FIRST
    while True:
        try:
            step()
            return
        except DATABASE_ERRORS:
            logger.warning("Saving %s failed; trying again in %.0f s", what, delay, exc_info=True)
            _drop_connections()
            time.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX)


class _Ticker:
    """Beats every ``HEARTBEAT_EVERY`` seconds while a task runs (a long import is work too)."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="worker-heartbeat", daemon=True)

    def _run(self) -> None:
        while not self.done.wait(HEARTBEAT_EVERY):
            beat(self.worker_id)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()


class Worker(upstream.Worker):
    """django-tasks-db's worker with a run loop that outlives database errors."""

    def _ready(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        return tasks

    def _claim(self) -> DBTaskResult | None:
        """Take the next ready task, or None when there is none."""
        tasks = self._ready()
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, self.queue_names)
        if self.startup_delay and self.interval:
            time.sleep(upstream.random.random())
        delay = BACKOFF_FIRST
        last = 0.0
        while self.running:
            if time.monotonic() - last >= HEARTBEAT_EVERY:
                beat(self.worker_id)
                # Ledger entries a save left pending (its fold cut short or failed) are
                # folded here at the latest (DANVAN_STATS_UPKEEP=deferred).
                upkeep.fold_pending()
                last = time.monotonic()
            try:
                upstream.close_old_connections()
                task_result = self._claim()
            except DATABASE_ERRORS as error:
                # Locked by a long write, or lost (a restart): wait, reconnect, go on.
                logger.warning(
                    "The database refused the worker (%s); trying again in %.0f s",
                    error,
                    delay,
                )
                _drop_connections()
                time.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX)
                continue
            delay = BACKOFF_FIRST
            if task_result is not None:
                with _Ticker(self.worker_id):
                    self.run_task(task_result)
                beat(self.worker_id)
                last = time.monotonic()
            elif self.batch:
                logger.info("No more tasks to run for worker_id=%s", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran %d tasks on worker_id=%s", self._run_tasks, self.worker_id)
                return
            try:
                upstream.close_old_connections()
            except DATABASE_ERRORS:
                _drop_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task and save its outcome, waiting out a busy or lost database to save it."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            upstream.task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(
                        upstream.TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as error:  # the task's own failure is its outcome
                failure = error
            else:
                failure = None
            if failure is None:
                _until_saved(
                    lambda: db_task_result.set_successful(value),
                    f"the outcome of task {db_task_result.id}",
                )
            else:
                _until_saved(
                    lambda: db_task_result.set_failed(failure),
                    f"the failure of task {db_task_result.id}",
                )
            upstream.task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
            if isinstance(failure, (KeyboardInterrupt, SystemExit)):
                raise failure
        except (ImportError, upstream.SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            _until_saved(
                lambda: db_task_result.set_failed(RuntimeError("The task could not be loaded.")),
                f"the failure of task {db_task_result.id}",
            )
        finally:
            self.running_task = False
            self._run_tasks += 1


def heartbeat_age(now: float | None = None) -> float | None:
    """Seconds since the latest heartbeat, None when no worker ever beat."""
    found = last_beat()
    if found is None:
        return None
    return max(0.0, (now or time.time()) - found)
