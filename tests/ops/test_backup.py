"""``danvan backup`` and ``danvan restore``: a round trip gives back identical rows and files;
a damaged backup, or one of another schema, is refused before anything is touched.

Each test works on database files of its own (a copy of the seeded SQLite file), never on the
shared test database.
"""

import io
import json
import sqlite3
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from danvan.ops.backup import MANIFEST, MEDIA_TAR, SQLITE_COPY, Database, sha256
from tests.ops.tables import dump_tables, files_under

PHOTO = b"\xff\xd8\xff\xe0 not really a photo"


@pytest.fixture(autouse=True)
def _english():
    """The commands speak the active language (Vietnamese by default); the tests read English."""
    with translation.override("en"):
        yield


@pytest.fixture
def site(sqlite_data_dir, settings, tmp_path):
    """A seeded database with uploaded files, and the command-line URL of the database."""
    media = tmp_path / "media"
    (media / "evidence" / "2025").mkdir(parents=True)
    (media / "evidence" / "2025" / "biên bản họp thôn.pdf").write_bytes(b"%PDF-1.4 minutes")
    (media / "evidence" / "2025" / "ảnh.jpg").write_bytes(PHOTO)
    (media / "reports").mkdir()
    (media / "reports" / "annual.xlsx").write_bytes(b"PK\x03\x04 workbook")
    settings.MEDIA_ROOT = media
    path = sqlite_data_dir / "danvan.sqlite3"
    return {"path": path, "url": f"sqlite:///{path}", "media": media}


def _backup(site, folder):
    out = io.StringIO()
    call_command("backup", output=folder, database_url=site["url"], stdout=out)
    return out.getvalue()


def _restore(folder, url):
    out = io.StringIO()
    call_command("restore", input=folder, database_url=url, interactive=False, stdout=out)
    return out.getvalue()


def _execute(path, sql, params=()):
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql, params)
    conn.close()


def test_round_trip_gives_identical_rows_and_files(site, settings, tmp_path):
    folder = tmp_path / "backup"
    said = _backup(site, folder)
    assert "uploaded files" in said
    before_rows = dump_tables(Database("sqlite", str(site["path"])))
    before_files = files_under(site["media"])
    assert len(before_files) == 3

    # Restore into another database that holds different rows, and a media folder with a
    # stray file: both must end up exactly as the backup was.
    target = tmp_path / "other" / "danvan.sqlite3"
    target.parent.mkdir()
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE leftover (x)")
    conn.execute("INSERT INTO leftover VALUES (1)")
    conn.commit()
    conn.close()
    settings.MEDIA_ROOT = tmp_path / "other-media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "stray.pdf").write_bytes(b"%PDF stray")

    said = _restore(folder, f"sqlite:///{target}")
    assert "Restored" in said
    after_rows = dump_tables(Database("sqlite", str(target)))
    assert after_rows == before_rows
    assert "leftover" not in after_rows
    assert files_under(settings.MEDIA_ROOT) == before_files
    # The seeded rows are really there, Vietnamese text intact.
    titles = [row for row in after_rows["initiatives_initiative"] if "Thiên Lộc" in str(row)]
    assert len(titles) == 3
    assert any("Nguyễn Thị" in str(row) for row in after_rows["accounts_user"])


def test_the_manifest_counts_rows_and_names_versions_and_checksums(site, tmp_path):
    folder = tmp_path / "backup"
    _backup(site, folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    rows = dump_tables(Database("sqlite", str(site["path"])))
    assert manifest["tables"] == {table: len(values) for table, values in rows.items()}
    assert manifest["tables"]["initiatives_initiative"] == 3
    assert manifest["database"] == {"vendor": "sqlite", "file": SQLITE_COPY}
    assert manifest["media"]["files"] == 3
    assert manifest["versions"]["django"].startswith("5.2")
    assert manifest["versions"]["database"].startswith("SQLite")
    assert ["initiatives", "0001_initial"] in manifest["migrations"]
    assert manifest["checksums"] == {
        SQLITE_COPY: sha256(folder / SQLITE_COPY),
        MEDIA_TAR: sha256(folder / MEDIA_TAR),
    }


def test_backup_refuses_a_folder_that_is_not_empty(site, tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        _backup(site, folder)


def test_backup_of_a_missing_database_fails_clearly(site, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "backup", output=tmp_path / "b", database_url=f"sqlite:///{tmp_path}/none.sqlite3"
        )


@pytest.fixture
def made(site, tmp_path):
    """A good backup, and a target database with rows of its own to protect."""
    folder = tmp_path / "backup"
    _backup(site, folder)
    target = tmp_path / "target.sqlite3"
    source = sqlite3.connect(site["path"])
    copy = sqlite3.connect(target)
    source.backup(copy)
    source.close()
    copy.close()
    _execute(target, "UPDATE accounts_user SET first_name = 'Hoa'")
    return {
        "folder": folder,
        "target": target,
        "before": dump_tables(Database("sqlite", str(target))),
    }


def _unchanged(made, settings, media_before):
    assert dump_tables(Database("sqlite", str(made["target"]))) == made["before"]
    assert files_under(settings.MEDIA_ROOT) == media_before


@pytest.mark.parametrize("damaged", [SQLITE_COPY, MEDIA_TAR])
def test_restore_refuses_a_file_that_does_not_match_its_checksum(made, settings, damaged):
    media_before = files_under(settings.MEDIA_ROOT)
    path = made["folder"] / damaged
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=f"{damaged} does not match its checksum"):
        _restore(made["folder"], f"sqlite:///{made['target']}")
    _unchanged(made, settings, media_before)


def test_restore_refuses_a_backup_without_its_file(made):
    (made["folder"] / MEDIA_TAR).unlink()
    with pytest.raises(CommandError, match=r"lacks its file media\.tar"):
        _restore(made["folder"], f"sqlite:///{made['target']}")


def test_restore_refuses_a_backup_cut_short(made, settings):
    media_before = files_under(settings.MEDIA_ROOT)
    (made["folder"] / MANIFEST).unlink()
    with pytest.raises(CommandError, match=r"no manifest\.json"):
        _restore(made["folder"], f"sqlite:///{made['target']}")
    _unchanged(made, settings, media_before)


def test_restore_refuses_a_damaged_manifest(made):
    (made["folder"] / MANIFEST).write_text('{"format": 1, "checksums": []}')
    with pytest.raises(CommandError, match="damaged"):
        _restore(made["folder"], f"sqlite:///{made['target']}")


def _edit_manifest(folder, change):
    manifest = json.loads((folder / MANIFEST).read_text())
    change(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_restore_refuses_a_backup_from_a_newer_schema(made, settings):
    media_before = files_under(settings.MEDIA_ROOT)
    _edit_manifest(made["folder"], lambda m: m["migrations"].append(["initiatives", "9999_future"]))
    with pytest.raises(CommandError, match=r"does not know: initiatives\.9999_future"):
        _restore(made["folder"], f"sqlite:///{made['target']}")
    _unchanged(made, settings, media_before)


def test_restore_refuses_a_backup_from_an_older_schema(made):
    def drop_last(manifest):
        manifest["migrations"].remove(["initiatives", "0001_initial"])

    _edit_manifest(made["folder"], drop_last)
    with pytest.raises(CommandError, match="lacks migrations this version needs"):
        _restore(made["folder"], f"sqlite:///{made['target']}")


def test_restore_refuses_a_backup_of_another_kind_of_database(made):
    _edit_manifest(made["folder"], lambda m: m["database"].update(vendor="postgresql"))
    with pytest.raises(CommandError, match="postgresql database; the target is sqlite"):
        _restore(made["folder"], f"sqlite:///{made['target']}")


def test_restore_refuses_an_archive_that_writes_outside_media(made, settings):
    media_before = files_under(settings.MEDIA_ROOT)
    archive_path = made["folder"] / MEDIA_TAR
    with tarfile.open(archive_path, "w") as archive:
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    _edit_manifest(
        made["folder"], lambda m: m["checksums"].update({MEDIA_TAR: sha256(archive_path)})
    )
    with pytest.raises(CommandError, match="could not be unpacked"):
        _restore(made["folder"], f"sqlite:///{made['target']}")
    _unchanged(made, settings, media_before)
    assert not (settings.MEDIA_ROOT.parent.parent / "escaped.txt").exists()


def test_restore_asks_first_and_no_is_no(made, settings, monkeypatch):
    from danvan.ops.management.commands import restore as command

    media_before = files_under(settings.MEDIA_ROOT)
    questions = []
    monkeypatch.setattr(command, "input_", lambda text: questions.append(text) or "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", input=made["folder"], database_url=f"sqlite:///{made['target']}")
    assert "replaces every row" in questions[0]
    _unchanged(made, settings, media_before)
