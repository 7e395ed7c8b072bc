"""Backups of the database and the uploaded files, and restoring them.

A backup is a folder: the database (``pg_dump -Fc`` on PostgreSQL, a copy made with SQLite's
online backup API otherwise), a tar of ``MEDIA_ROOT``, and ``manifest.json`` with versions, the
applied migrations, the row count of every table and a SHA-256 of every file. The manifest is
written last, so a backup cut short has none and is refused. Restore refuses a damaged backup
and one made by a different schema (migration state) than the running code expects.

Both run against a database given as a settings dict (``DATABASES[...]`` shape), through the
driver's own connection, outside any Django transaction.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import django
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "media.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Database:
    """Where a database is: enough to connect with its driver and its command-line tools."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> "Database":
        engine = settings_dict["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(settings_dict["NAME"]))
        if "postgresql" in engine:
            return cls(
                "postgresql",
                str(settings_dict["NAME"]),
                str(settings_dict.get("HOST") or ""),
                str(settings_dict.get("PORT") or ""),
                str(settings_dict.get("USER") or ""),
                str(settings_dict.get("PASSWORD") or ""),
            )
        raise BackupError(
            _("Backups support PostgreSQL and SQLite, not %(engine)s.") % {"engine": engine}
        )

    @classmethod
    def from_url(cls, url: str) -> "Database":
        import dj_database_url

        return cls.from_settings(dj_database_url.parse(url))

    def pg_env(self) -> dict[str, str]:
        """The environment for pg_dump/pg_restore: the password never goes on a command line."""
        env = dict(os.environ)
        for key, value in {
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGDATABASE": self.name,
        }.items():
            if value:
                env[key] = value
        return env

    def connect(self):
        """Open a connection with the driver itself (autocommit off)."""
        if self.vendor == "sqlite":
            if self.name == ":memory:" or "mode=memory" in self.name:
                raise BackupError(_("An in-memory SQLite database cannot be backed up."))
            return sqlite3.connect(self.name, timeout=30)
        import psycopg

        params = {"dbname": self.name, "host": self.host, "port": self.port}
        params |= {"user": self.user, "password": self.password}
        return psycopg.connect(**{key: value for key, value in params.items() if value})


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def list_tables(cursor, vendor: str) -> list[str]:
    """Return the user tables of the database, sorted."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def table_counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in list_tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def code_migrations() -> list[list[str]]:
    """The migrations this version of danvan expects a database to have applied."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.graph.nodes)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": command[0], "error": done.stderr.strip()[-2000:]}
        )


def _dump_postgresql(db: Database, target: Path) -> tuple[dict[str, int], list, str]:
    """Dump with pg_dump inside the snapshot the counts were taken in, so they agree."""
    with db.connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        server = conn.execute("SHOW server_version").fetchone()[0]
        with conn.cursor() as cursor:
            counts = table_counts(cursor, db.vendor)
            migrations = applied_migrations(cursor)
        command = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        _run([*command, "-f", str(target), db.name], db.pg_env())
        conn.rollback()
    return counts, migrations, f"PostgreSQL {server}"


def _copy_sqlite(db: Database, target: Path) -> tuple[dict[str, int], list, str]:
    """Copy with the online backup API (readers and writers may go on), then count the copy."""
    if not Path(db.name).is_file():
        raise BackupError(_("The SQLite database %(name)s does not exist.") % {"name": db.name})
    source = db.connect()
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        cursor = copy.cursor()
        counts = table_counts(cursor, db.vendor)
        migrations = applied_migrations(cursor)
    finally:
        copy.close()
        source.close()
    return counts, migrations, f"SQLite {sqlite3.sqlite_version}"


def _tar_media(media_root: Path, target: Path) -> int:
    """Pack the regular files under ``media_root``; return how many."""
    files = 0
    with tarfile.open(target, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    files += 1
    return files


def backup(*, db: Database, output: Path, media_root: Path) -> dict:
    """Write a backup of ``db`` and ``media_root`` into the new or empty folder ``output``."""
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(
            _("The folder %(folder)s is not empty; give a new folder.") % {"folder": output}
        )
    database_file = output / (PG_DUMP if db.vendor == "postgresql" else SQLITE_COPY)
    dump = _dump_postgresql if db.vendor == "postgresql" else _copy_sqlite
    counts, migrations, server = dump(db, database_file)
    media_files = _tar_media(media_root, output / MEDIA_TAR)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "versions": {
            "danvan": _package_version(),
            "django": django.get_version(),
            "database": server,
        },
        "database": {"vendor": db.vendor, "file": database_file.name},
        "migrations": migrations,
        "tables": counts,
        "media": {"file": MEDIA_TAR, "files": media_files},
        "checksums": {
            database_file.name: sha256(database_file),
            MEDIA_TAR: sha256(output / MEDIA_TAR),
        },
    }
    partial = output / f"{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    partial.replace(output / MANIFEST)
    return manifest


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("danvan")
    except PackageNotFoundError:
        return "unknown"


def read_manifest(folder: Path) -> dict:
    """Return the manifest of a backup after checking every file against its checksum."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(folder)s holds no manifest.json: not a danvan backup, or one cut short.")
            % {"folder": folder}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        checksums = manifest["checksums"]
        shapes = [
            (checksums, dict),
            (manifest["database"]["vendor"], str),
            (manifest["migrations"], list),
            (manifest["tables"], dict),
        ]
        if not all(isinstance(value, kind) for value, kind in shapes):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise BackupError(_("manifest.json of this backup is damaged.")) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            _("This backup has format %(found)s; this version of danvan reads format %(known)s.")
            % {"found": manifest.get("format"), "known": FORMAT_VERSION}
        )
    for name, expected in sorted(checksums.items()):
        file = folder / Path(name).name
        if not file.is_file():
            raise BackupError(_("The backup lacks its file %(name)s.") % {"name": name})
        if sha256(file) != expected:
            raise BackupError(
                _("The file %(name)s does not match its checksum: the backup is damaged.")
                % {"name": name}
            )
    return manifest


def check_schema(manifest: dict) -> None:
    """Refuse a backup whose applied migrations differ from what this code expects."""
    theirs = {tuple(item) for item in manifest["migrations"]}
    ours = {tuple(item) for item in code_migrations()}
    if theirs == ours:
        return
    newer = sorted(theirs - ours)
    older = sorted(ours - theirs)
    lines = []
    if newer:
        lines.append(
            _("The backup has migrations this version does not know: %(names)s.")
            % {"names": ", ".join(f"{a}.{n}" for a, n in newer[:5])}
        )
    if older:
        lines.append(
            _("The backup lacks migrations this version needs: %(names)s.")
            % {"names": ", ".join(f"{a}.{n}" for a, n in older[:5])}
        )
    lines.append(
        _("Restore it with the version of danvan that made it (%(version)s).")
        % {"version": manifest.get("versions", {}).get("danvan", "?")}
    )
    raise BackupError(" ".join(lines))


def _restore_postgresql(db: Database, dump: Path) -> None:
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    command += ["--single-transaction", "--exit-on-error", "-d", db.name, str(dump)]
    _run(command, db.pg_env())


def _restore_sqlite(db: Database, copy: Path) -> None:
    Path(db.name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    target = db.connect()
    try:
        source.backup(target)  # replaces every page of the target, in one step
    finally:
        target.close()
        source.close()


def _unpack_media(archive_path: Path, media_root: Path) -> Path:
    """Unpack the files into a fresh folder beside ``media_root``; return it."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    try:
        with tarfile.open(archive_path) as archive:
            # The "data" filter refuses absolute paths, "..", links out of the tree, devices.
            archive.extractall(fresh, filter="data")
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(fresh, ignore_errors=True)
        raise BackupError(
            _("The uploaded files could not be unpacked: %(error)s") % {"error": error}
        ) from None
    return fresh


def _swap_in(fresh: Path, media_root: Path) -> None:
    old = media_root.with_name(f".{media_root.name}-before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        media_root.rename(old)
    fresh.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)


def restore(*, db: Database, folder: Path, media_root: Path) -> dict:
    """Replace the database ``db`` and ``media_root`` by the backup in ``folder``.

    Checks first (checksums, database kind, schema), then restores, then counts the rows of
    every table against the manifest.
    """
    manifest = read_manifest(folder)
    if manifest["database"]["vendor"] != db.vendor:
        raise BackupError(
            _("This backup is of a %(theirs)s database; the target is %(ours)s.")
            % {"theirs": manifest["database"]["vendor"], "ours": db.vendor}
        )
    check_schema(manifest)
    # Unpack the files first: a bad archive is refused before the database is touched.
    fresh = _unpack_media(folder / manifest["media"]["file"], media_root)
    database_file = folder / manifest["database"]["file"]
    try:
        if db.vendor == "postgresql":
            _restore_postgresql(db, database_file)
        else:
            _restore_sqlite(db, database_file)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _swap_in(fresh, media_root)
    conn = db.connect()
    try:
        counts = table_counts(conn.cursor(), db.vendor)
    finally:
        conn.close()
    expected = manifest["tables"]
    differing = sorted(t for t in expected if counts.get(t) != expected[t])
    if differing:
        raise BackupError(
            _("After the restore these tables do not have the backup's row counts: %(tables)s.")
            % {"tables": ", ".join(differing[:10])}
        )
    return manifest
