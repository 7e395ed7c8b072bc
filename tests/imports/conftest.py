"""Spreadsheets built in the tests, uploaded by the shared cast (``tests/people.py``), checked
and applied by the real task worker."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from danvan.imports.kinds import IMPORTERS
from danvan.imports.models import ImportBatch
from danvan.imports.services import batch_apply, batch_upload
from danvan.initiatives.models import Contribution, Initiative, Result
from tests.people import world  # noqa: F401


def headers(kind: str, language: str = "vi", keys: list[str] | None = None) -> list[str]:
    columns = IMPORTERS[kind].columns
    by_key = {column.key: column for column in columns}
    return [by_key[key].header(language) for key in (keys or [c.key for c in columns])]


def xlsx_bytes(rows: list[list], *, sheet: str = "Data") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int, int]:
    """What the database holds of the things imports write (with their history)."""
    return (
        Initiative.objects.count(),
        Initiative.history.count(),
        Contribution.objects.count(),
        Result.objects.count(),
    )


def work(captured) -> None:
    """Run the tasks enqueued on commit with the real database worker.

    The worker recycles old connections between tasks, as a long-running process should; in a
    test that would close the connection holding the test's own transaction (on PostgreSQL),
    so only that recycling is left out.
    """
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda: None
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    finally:
        db_worker.close_old_connections = original


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def upload(media_root, django_capture_on_commit_callbacks):
    """Upload ``content`` as ``user`` and run the dry run; return the refreshed batch."""

    def go(
        user, kind: str, content: bytes, name: str = "file.xlsx", language: str = "en"
    ) -> ImportBatch:
        with (
            translation.override(language),
            django_capture_on_commit_callbacks(execute=True) as captured,
        ):
            batch = batch_upload(actor=user, kind=kind, upload=SimpleUploadedFile(name, content))
        work(captured)
        batch.refresh_from_db()
        return batch

    return go


@pytest.fixture
def apply(django_capture_on_commit_callbacks):
    def go(user, batch: ImportBatch) -> ImportBatch:
        with django_capture_on_commit_callbacks(execute=True) as captured:
            batch_apply(actor=user, batch=batch)
        work(captured)
        batch.refresh_from_db()
        return batch

    return go


def issues_of(batch: ImportBatch) -> list[tuple]:
    return list(batch.issues.values_list("row", "column", "severity", "message"))


@pytest.fixture(autouse=True)
def english():
    """Read the messages in English (the tests match their words), whatever catalogues are
    compiled; a test that checks another language asks for it."""
    with translation.override("en"):
        yield
