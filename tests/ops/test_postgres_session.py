"""The app's PostgreSQL sessions run its short questions without JIT compilation, with room
to sort a breakdown by unit in memory."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_the_apps_sessions_have_jit_off():
    """JIT compiled the dated breakdowns by unit × kind before running them: 20–55 ms of a
    30–150 ms question (docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_apps_sessions_sort_a_breakdown_by_unit_in_memory():
    """A province's communes restated over all years sorted 36,000 summary rows (5 MB) on
    disk under the server's default 4 MB (docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone() == ("16MB",)


def test_an_empty_setting_leaves_the_servers_own(monkeypatch):
    from danvan import settings

    monkeypatch.setattr(settings, "PG_OPTIONS", "")
    database = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}}
    settings._with_pg_options(database)
    assert database["OPTIONS"] == {}
    monkeypatch.setattr(settings, "PG_OPTIONS", "-c jit=off")
    settings._with_pg_options(database)
    assert database["OPTIONS"] == {"options": "-c jit=off"}
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    settings._with_pg_options(sqlite)
    assert "OPTIONS" not in sqlite
