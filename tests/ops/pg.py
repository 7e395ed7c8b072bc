"""Scratch PostgreSQL databases for the tests that run the app in other processes: a copy of
the (committed) test database made with danvan's own backup and restore."""

import contextlib
from pathlib import Path

import psycopg
from django.db import connection

from danvan.ops.backup import Database, backup, restore


def url_of(db: Database, name: str | None = None) -> str:
    auth = db.user + (f":{db.password}" if db.password else "")
    return f"postgres://{auth}@{db.host or '127.0.0.1'}:{db.port or 5432}/{name or db.name}"


@contextlib.contextmanager
def scratch_copy(name: str, workdir: Path):
    """Yield a new database ``name`` holding the test database's committed rows; drop it
    afterwards, whoever is still connected."""
    source = Database.from_settings(connection.settings_dict)
    admin_url = url_of(source, "postgres").replace("postgres://", "postgresql://")
    admin = psycopg.connect(admin_url, autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {name}")
    target = Database(**{**source.__dict__, "name": name})
    try:
        backup(db=source, output=workdir / "copy", media_root=workdir / "no-media")
        restore(db=target, folder=workdir / "copy", media_root=workdir / "media")
        yield target
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
