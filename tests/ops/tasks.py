"""Tiny tasks for the operations tests: they leave a trace a test can count."""

from django_tasks import task


@task()
def noop() -> str:
    return "done"


@task()
def record_run(key: int) -> None:
    """Write one row per run into ``ops_task_runs`` (created by the test), with the worker's
    process id, so the test can count how many times each task ran and where."""
    import os
    import time

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO ops_task_runs (key, pid) VALUES (%s, %s)", [key, os.getpid()])
    time.sleep(0.05)
