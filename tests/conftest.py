"""Shared fixtures: the official area lists loaded once per session, named test people."""

import os

import pytest
from django.db import connection

from danvan.areas.loader import load_official_areas
from danvan.areas.models import Area, CodeScheme
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def official_areas(django_db_setup, django_db_blocker):
    """Load the real official lists (about 14,000 units) once for the whole session.

    Tests that use it must not flush the database (no ``transactional_db``), or the units are
    gone for the tests after them.
    """
    with django_db_blocker.unblock():
        if not Area.objects.filter(scheme=CodeScheme.CURRENT).exists():
            load_official_areas()


@pytest.fixture(scope="module")
def official_areas_restored(django_db_blocker):
    """For a module of transactional tests: the flush after each of its tests empties every
    table, the official units that ``official_areas`` loaded once for the session among
    them; load them again once the module is done, for the tests after it."""
    yield
    with django_db_blocker.unblock():
        load_official_areas()


@pytest.fixture
def areas(official_areas, db):
    """Official units by the names the tests use."""

    def get(name: str, scheme: str = CodeScheme.CURRENT, parent: str | None = None) -> Area:
        queryset = Area.objects.filter(scheme=scheme, name=name)
        if parent:
            queryset = queryset.filter(parent__name=parent)
        return queryset.get()

    return get


def pytest_configure(config):
    """One cache per test process: the default is files under the data directory, shared with
    every other process (the other test worker, the servers of the browser tests), whose
    counters would leak into tests such as the sign-in rate limit."""
    from django.test.utils import override_settings

    os.environ["CACHE_URL"] = "locmem://"  # and for the servers tests start
    override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ).enable()


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with every browser test in one unit of work, so one worker runs them
    all. They share one demo database, built by the first of them and then taken in turns
    (``tests/browser/conftest.py``); spread over both workers, both would wait for its build
    (``migrate``, ``load_areas``, ``load_demo``) and then for each other's turns, instead of
    one of them running the rest of the suite."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserTestsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "tests/browser/"
            return super()._split_scope(nodeid)

    return BrowserTestsTogether(config, log)


def pytest_itemcollected(item):
    """Mark ``own_sqlite`` every test that runs danvan processes on a SQLite file of its own
    (a copy of ``seeded_sqlite``), whatever ``DATABASE_URL`` says: the same test on
    PostgreSQL would run exactly the same thing again, so CI's PostgreSQL pass leaves them
    out (``-m "not own_sqlite"``)."""
    if "seeded_sqlite" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.own_sqlite)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, unless CI or DANVAN_TEST_POSTGRES asks for them."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("DANVAN_TEST_POSTGRES"):
        raise pytest.UsageError(
            "DANVAN_TEST_POSTGRES is set but the tests are not running on PostgreSQL; "
            "check DATABASE_URL."
        )
    reason = "needs PostgreSQL (run with DANVAN_TEST_POSTGRES=1 or a postgres DATABASE_URL)"
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "needs PostgreSQL" in str(report.longrepr)
    ]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} PostgreSQL-only tests skipped: this run used "
            f"{connection.vendor}. Set DATABASE_URL to a PostgreSQL database to run them."
        )


@pytest.fixture
def lan(db):
    """Lan, the officer of the Women's Union of Yên Giang ward who records the figures."""
    return UserFactory(username="lan", first_name="Lan")


@pytest.fixture
def media_root(settings, tmp_path):
    """Store uploaded evidence in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
