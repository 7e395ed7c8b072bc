"""Background work: tasks are enqueued only once the transaction that asked for them commits.

A task enqueued inside a transaction that later rolls back would run against rows that never
existed; a task that runs before the commit would not see them yet. Pass ids, never objects.
"""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Enqueue ``task(*args, **kwargs)`` after the current transaction commits (at once when
    there is none)."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
