"""The import writes through the bulk services in chunks: the same counts, issues, history and
figures as row by row, and all or nothing across chunks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.imports import runner
from danvan.imports.models import BatchStatus
from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Contribution, Initiative
from danvan.stats.exactness import rollup_differences
from danvan.stats.rebuild import rebuild_rollups
from tests.imports.conftest import counts, headers, issues_of, xlsx_bytes
from tests.stats.scenario import table_state

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area_code", "area", "start_date"]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)


def sheet(*rows):
    return xlsx_bytes([headers("initiatives", "vi", KEYS), *rows])


def new_row(world, title, area="Khu 1", start=""):
    return ["", title, "economy", world.wu_yen_giang.code, 2024, "", area, start]


def test_rows_over_several_chunks_get_consecutive_codes_history_and_figures(
    world, upload, apply, small_chunks
):
    rebuild_rollups(reset_nodes=True)  # the shared cast is made by factories, not services
    content = sheet(
        *[new_row(world, f"Mô hình {n}") for n in range(5)],
        [
            world.cultural_houses.code,
            "Khai thác nhà văn hóa (sửa)",
            "culture_society",
            world.wu_yen_giang.code,
            2024,
            "",
            "",
            "15/01/2024",
        ],
    )
    batch = upload(world.lan, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.processed_rows) == (5, 1, 6)
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates, batch.unchanged, batch.processed_rows) == (5, 1, 0, 6)
    created = list(
        Initiative.objects.filter(title__startswith="Mô hình ")
        .order_by("code")
        .values_list("code", "title")
    )
    numbers = [int(code.rsplit("-", 1)[1]) for code, _title in created]
    assert numbers == list(range(numbers[0], numbers[0] + 5))
    assert [title for _code, title in created] == [f"Mô hình {n}" for n in range(5)]
    history = Initiative.history.filter(history_change_reason=batch.cause)
    assert history.count() == 6
    assert set(history.values_list("history_user", flat=True)) == {world.lan.pk}
    incremental = table_state()
    rebuild_rollups(reset_nodes=True)
    assert table_state() == incremental


def test_a_bad_row_in_a_later_chunk_undoes_the_earlier_chunks(world, upload, apply, small_chunks):
    update = [
        world.cultural_houses.code,
        "Khai thác nhà văn hóa (sửa)",
        "culture_society",
        world.wu_yen_giang.code,
        2024,
        "",
        "",
        "15/01/2024",
    ]
    content = sheet(*[new_row(world, f"Mô hình {n}") for n in range(4)], update)
    batch = upload(world.lan, "initiatives", content)
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    # Between the check and the apply the initiative of the last row (third chunk) is
    # completed, so it can no longer be changed: the two chunks before it are undone.
    Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.COMPLETED)
    before, figures = counts(), table_state()
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.FAILED
    assert (batch.creates, batch.updates, batch.processed_rows) == (0, 0, 4)
    assert counts() == before and table_state() == figures
    assert [issue[:3] for issue in issues_of(batch)] == [(6, "", "error")]


def test_the_dry_run_reports_every_bad_row_of_every_chunk_in_order(world, upload, small_chunks):
    content = sheet(
        new_row(world, "Một"),
        new_row(world, "Hai", start="31/12/2024"),
        ["", "", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
        new_row(world, "Bốn"),
        ["", "Năm", "sports", world.wu_yen_giang.code, 2024, "", "Khu 1", ""],
    )
    before = counts()
    batch = upload(world.lan, "initiatives", content)
    assert batch.status == BatchStatus.FAILED
    assert [issue[:2] for issue in issues_of(batch)] == [(4, "title"), (6, "field")]
    assert (batch.creates, batch.processed_rows) == (3, 5)
    assert counts() == before


def test_contributions_over_several_chunks_keep_the_figures(world, upload, apply, small_chunks):
    rebuild_rollups(reset_nodes=True)  # the shared cast is made by factories, not services
    code = world.cultural_houses.code
    rows = [
        [code, f"{day:02d}/03/2024", "money", f"{day}.000.000", "households", day, ""]
        for day in range(1, 6)
    ]
    batch = apply(
        world.lan, upload(world.lan, "contributions", xlsx_bytes([headers("contributions"), *rows]))
    )
    assert (batch.status, batch.creates) == (BatchStatus.APPLIED, 5), issues_of(batch)
    history = Contribution.history.filter(history_change_reason=batch.cause)
    assert set(history.values_list("history_user", flat=True)) == {world.lan.pk}
    assert history.count() == 5
    incremental = table_state()
    rebuild_rollups(reset_nodes=True)
    assert table_state() == incremental


def test_the_apply_shows_its_progress_while_its_transaction_is_open(
    world, upload, apply, small_chunks, monkeypatch
):
    """Between chunks, a fresh read of the batch (what the page and the API do) tells how many
    rows are written, though the batch row itself is only saved when the apply ends."""
    batch = upload(
        world.lan, "initiatives", sheet(*[new_row(world, f"Mô hình {n}") for n in range(5)])
    )
    seen = []
    write = runner.IMPORTERS["initiatives"].write

    def watching(importer, items, *, reason, **given):
        live = type(batch).objects.get(pk=batch.pk)
        seen.append((live.status, live.processed_rows, live.rows_done, live.progress))
        return write(importer, items, reason=reason, **given)

    monkeypatch.setattr(runner.IMPORTERS["initiatives"], "write", watching)
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert seen == [
        (BatchStatus.APPLYING, 0, 0, 0),
        (BatchStatus.APPLYING, 0, 2, 40),
        (BatchStatus.APPLYING, 0, 4, 80),
    ]
    assert (batch.rows_done, batch.progress) == (5, 100)


def test_each_ledger_is_read_once_for_those_taking_part_however_many_chunks(
    world, upload, apply, small_chunks
):
    """Chunks that add to the same initiatives read their households and people from the
    ledger once in the apply, not once a chunk; the figures still equal a rebuild."""
    rebuild_rollups(reset_nodes=True)  # the shared cast is made by factories, not services
    codes = [world.cultural_houses.code, world.thien_loc_roads.code]
    rows = [
        [codes[n % 2], f"{n + 1:02d}/03/2024", "money", f"{n + 1}.000", "households", n + 1, ""]
        for n in range(6)
    ]
    rows.append([codes[0], "02/03/2024", "labour", "40", "individuals", 12, ""])
    batch = upload(world.root, "contributions", xlsx_bytes([headers("contributions"), *rows]))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    with CaptureQueriesContext(connection) as queries:
        batch = apply(world.root, batch)
    assert (batch.status, batch.creates) == (BatchStatus.APPLIED, 7), issues_of(batch)
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if "SUM(" in query["sql"] and '"contributor_type" IN' in query["sql"]
    ]
    assert len(reads) == 1, reads
    assert rollup_differences() == dict.fromkeys(rollup_differences(), 0)
    incremental = table_state()
    rebuild_rollups(reset_nodes=True)
    assert table_state() == incremental
