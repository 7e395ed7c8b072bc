"""``danvan backup``/``restore`` on PostgreSQL: pg_dump of the test database (its committed
rows: migrations, the official areas), pg_restore into a scratch database this test creates and
drops, then every table compared row by row."""

import io
import json

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from danvan.ops.backup import MANIFEST, PG_DUMP, Database
from tests.ops.tables import dump_tables, files_under

pytestmark = pytest.mark.postgres_only

SCRATCH = "danvan_restore_test"


def _url(db: Database, name: str) -> str:
    auth = db.user + (f":{db.password}" if db.password else "")
    return f"postgres://{auth}@{db.host or '127.0.0.1'}:{db.port or 5432}/{name}"


@pytest.fixture
def scratch(db):
    """An empty database of the test's own, dropped afterwards."""
    source = Database.from_settings(connection.settings_dict)
    admin = psycopg.connect(
        _url(source, "postgres").replace("postgres://", "postgresql://"), autocommit=True
    )
    admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {SCRATCH}")
    try:
        yield source, Database(**{**source.__dict__, "name": SCRATCH})
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
        admin.close()


def test_round_trip_on_postgresql(scratch, official_areas, settings, tmp_path):
    source, target = scratch
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "ảnh thôn.jpg").write_bytes(b"\xff\xd8\xff photo")
    media_before = files_under(settings.MEDIA_ROOT)
    folder = tmp_path / "backup"
    call_command(
        "backup", output=folder, database_url=_url(source, source.name), stdout=io.StringIO()
    )
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["database"] == {"vendor": "postgresql", "file": PG_DUMP}
    assert manifest["tables"]["areas_area"] > 10_000
    assert manifest["versions"]["database"].startswith("PostgreSQL")

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command(
        "restore",
        input=folder,
        database_url=_url(target, SCRATCH),
        interactive=False,
        stdout=io.StringIO(),
    )
    assert dump_tables(target) == dump_tables(source)
    assert files_under(settings.MEDIA_ROOT) == media_before


def test_a_failing_pg_restore_is_reported(scratch, tmp_path, settings):
    source, _target = scratch
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = tmp_path / "backup"
    call_command(
        "backup", output=folder, database_url=_url(source, source.name), stdout=io.StringIO()
    )
    # The commands speak the site's language (Vietnamese unless LANGUAGE_CODE says otherwise).
    with pytest.raises(CommandError, match=r"pg_restore (failed|bị lỗi)"):
        call_command(
            "restore",
            input=folder,
            database_url=_url(source, "no_such_database_here"),
            interactive=False,
        )
