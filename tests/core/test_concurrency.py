"""Concurrent writers on a real PostgreSQL server: row locks and version checks hold.

These run real transactions on separate connections, so they need ``transactional_db``, which
empties the database after each test; the module puts the official units back at its end.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from danvan.accounts.scope import SYSTEM
from danvan.core.models import next_code
from danvan.core.validation import ConflictError
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_update
from tests.factories import InitiativeFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_areas_restored"),
]


def run_together(work, count: int) -> list:
    """Run ``work(i)`` in ``count`` threads released at the same moment; return the results."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # the outcome under test may be an exception
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    return results


def test_codes_handed_out_at_once_are_all_different():
    codes = run_together(lambda _: next_code("DVK-2025"), 6)
    assert all(isinstance(code, str) for code in codes), codes
    assert sorted(codes) == [f"DVK-2025-{n:06d}" for n in range(1, 7)]


def test_two_editors_saving_the_same_version_at_once_one_gets_a_conflict():
    house = InitiativeFactory(title="Khai thác, quản lý nhà văn hóa khu dân cư")

    def save(index: int):
        copy = Initiative.objects.get(pk=house.pk)
        return initiative_update(
            actor=SYSTEM,
            initiative=copy,
            expected_version=1,
            summary=f"Bản của người thứ {index + 1}",
        )

    outcomes = run_together(save, 2)
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    saved = [o for o in outcomes if isinstance(o, Initiative)]
    assert (len(saved), len(conflicts)) == (1, 1), outcomes
    stored = Initiative.objects.get(pk=house.pk)
    assert stored.version == 2
    assert stored.summary == saved[0].summary
