"""Rolling an import of initiatives back: asked for at once, done by the worker in a few
statements per block of rows, exact (the figures equal a rebuild from the facts), all or
nothing, and a refusal told on the import."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.imports import progress
from danvan.imports.models import BatchStatus, ImportBatch
from danvan.imports.services import batch_rollback, batch_rollback_request
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_update
from danvan.stats.rebuild import rebuild_rollups
from tests.imports.conftest import counts, headers, issues_of, work, xlsx_bytes
from tests.stats.scenario import table_state

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area_code", "area", "start_date"]


def sheet(world, new: int, *, update: bool = True) -> bytes:
    rows = [
        ["", f"Đèn đường số {number}", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", ""]
        for number in range(new)
    ]
    if update:
        rows.append(
            [
                world.cultural_houses.code,
                "Nhà văn hóa (sửa)",
                "economy",
                world.wu_yen_giang.code,
                2024,
                "",
                "Khu 1",
                "",
            ]
        )
    return xlsx_bytes([headers("initiatives", "vi", KEYS), *rows])


@pytest.fixture
def roll_back(django_capture_on_commit_callbacks):
    """Ask for the rollback as the pages and the API do, then let the worker run it."""

    def go(user, batch: ImportBatch) -> ImportBatch:
        with django_capture_on_commit_callbacks(execute=True) as captured:
            asked = batch_rollback_request(actor=user, batch=batch)
        assert asked.status == BatchStatus.ROLLING_BACK
        work(captured)
        batch.refresh_from_db()
        return batch

    return go


def test_the_rollback_is_exact_and_the_figures_equal_a_rebuild(world, upload, apply, roll_back):
    rebuild_rollups(reset_nodes=True)
    figures, before = table_state(), counts()
    original = Initiative.objects.get(pk=world.cultural_houses.pk)
    batch = apply(world.lan, upload(world.lan, "initiatives", sheet(world, 12)))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates) == (12, 1)
    assert table_state() != figures
    batch = roll_back(world.tuan, batch)
    assert batch.status == BatchStatus.ROLLED_BACK
    assert batch.rolled_back_by == world.tuan and batch.rolled_back_at is not None
    assert table_state() == figures  # moved back in bulk, exactly
    rebuild_rollups(reset_nodes=True)
    assert table_state() == figures  # and equal to the figures read from the facts
    restored = Initiative.objects.get(pk=world.cultural_houses.pk)
    for name in ("title", "field", "area_id", "summary", "start_date", "end_date"):
        assert getattr(restored, name) == getattr(original, name)
    assert restored.version == original.version + 2  # the import's change, then the undo
    assert not Initiative.objects.filter(title__startswith="Đèn đường số").exists()
    # Audited: every record undone has a history row naming the rollback and who did it.
    trail = Initiative.history.filter(history_change_reason=f"rollback of import #{batch.pk}")
    assert sorted(trail.values_list("history_type", flat=True)) == ["-"] * 12 + ["~"]
    assert set(trail.values_list("history_user", flat=True)) == {world.tuan.pk}
    assert counts()[0] == before[0]


def test_the_statements_do_not_grow_with_the_rows(world, upload, apply):
    """Not four queries and a rollup move per initiative: a few per block of 2,000."""
    used = []
    for rows in (3, 40):
        batch = apply(world.lan, upload(world.lan, "initiatives", sheet(world, rows, update=False)))
        assert batch.creates == rows
        with CaptureQueriesContext(connection) as queries:
            batch_rollback(actor=world.tuan, batch=batch)
        used.append(len(queries.captured_queries))
    # The first rollback also fills a few caches of the process; rows add nothing. (The
    # models' chain rows take four: their lock with the successors, the state after, their
    # units' nodes and the upsert; on SQLite each rollup table is one upsert.)
    assert used[1] <= used[0] < 48, used


def test_a_refusal_found_by_the_worker_puts_the_import_back_with_the_reason(
    world, upload, apply, django_capture_on_commit_callbacks
):
    batch = apply(world.lan, upload(world.lan, "initiatives", sheet(world, 2)))
    edited = Initiative.objects.get(pk=world.cultural_houses.pk)
    initiative_update(actor=world.lan, initiative=edited, title="Sửa tay sau đó")
    before = counts()
    with django_capture_on_commit_callbacks(execute=True) as captured:
        batch_rollback_request(actor=world.tuan, batch=batch)  # answers at once
    work(captured)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED and batch.rolled_back_by is None
    (message,) = [issue[3] for issue in issues_of(batch) if world.cultural_houses.code in issue[3]]
    assert "changed after the import" in message  # in the language the file was sent in
    assert counts() == before  # all or nothing: the added ones are still there
    edited.refresh_from_db()
    assert edited.title == "Sửa tay sau đó"


def test_asking_needs_the_role_and_an_applied_import(world, upload, apply):
    batch = upload(world.lan, "initiatives", sheet(world, 1))
    with pytest.raises(ValidationError):
        batch_rollback_request(actor=world.tuan, batch=batch)  # checked, not applied
    batch = apply(world.lan, batch)
    with pytest.raises(PermissionDenied):
        batch_rollback_request(actor=world.lan, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED


def test_progress_counts_the_records_undone(world, upload, apply):
    batch = apply(world.lan, upload(world.lan, "initiatives", sheet(world, 3)))
    seen = []
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.ROLLING_BACK)
    batch.refresh_from_db()
    assert (batch.rows_done, batch.progress) == (0, 0)
    progress.record(batch.pk, 2)
    assert (batch.rows_done, batch.progress) == (2, 50)  # of the 3 added and the 1 changed
    progress.forget(batch.pk)
    batch_rollback(actor=world.tuan, batch=batch, report=seen.append)
    assert seen == [1, 4]  # the one restored, then the three removed


def test_the_check_and_the_apply_read_each_unit_once_not_once_a_row(world, upload, apply):
    """A unit's span of validity (the units above it) is read once per run: 40 rows on one
    unit cost the statements of 3."""
    used = []
    for rows in (3, 40):
        with CaptureQueriesContext(connection) as queries:
            batch = apply(world.lan, upload(world.lan, "initiatives", sheet(world, rows)))
        assert batch.status == BatchStatus.APPLIED, issues_of(batch)
        used.append(len(queries.captured_queries))
    assert used[1] <= used[0], used
