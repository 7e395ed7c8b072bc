"""The apply plans the next chunk while it writes one (``runner._planned_ahead``): the same
rows, history, figures and problems as planning each chunk after the one before is written,
and when the apply stops (a bad row, a file refused, a failure) the planning stops with it.

PostgreSQL plans ahead by itself; these tests ask for it on either engine, so that the
mechanism is held to the same results on both."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import translation

from danvan.imports import runner
from danvan.imports.models import BatchStatus, ImportBatch
from danvan.imports.reading import FileRefused
from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Initiative
from danvan.stats.rebuild import rebuild_rollups
from tests.imports.conftest import counts, headers, issues_of, xlsx_bytes
from tests.imports.test_apply_reuses_check import _rows, state
from tests.stats.scenario import table_state

pytestmark = pytest.mark.django_db

KEYS = [
    "code",
    "title",
    "field",
    "organisation",
    "year",
    "area_code",
    "area",
    "start_date",
    "registration_kind",
    "continues",
    "replicated_from",
]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(runner, "CHUNK_ROWS", 2)


@pytest.fixture
def planned(monkeypatch):
    """Each chunk planned: (the thread that planned it, its language, its first row)."""
    seen = []
    plan = runner._plan

    def spied(importer, chunk, recorder=None):
        current = threading.current_thread().name
        seen.append((current, translation.get_language(), chunk[0].number))
        return plan(importer, chunk, recorder)

    monkeypatch.setattr(runner, "_plan", spied)
    return seen


def ahead(monkeypatch, on: bool) -> None:
    monkeypatch.setattr(runner, "_plans_ahead", lambda importer: on and importer.plans_apart)


def planners_alive() -> list[str]:
    return [thread.name for thread in threading.enumerate() if thread.name == runner.PLANNER]


def row(world, title, *, kind="new", continues="", replicates="", year=2024, ward=False):
    return [
        "",
        title,
        "economy",
        world.wu_yen_giang.code,
        year,
        world.yen_giang.code if ward else "",
        "" if ward else "Khu 1",
        "15/01/2024" if year == 2024 else "15/01/2025",
        kind,
        continues,
        replicates,
    ]


def a_year_of_models(world) -> bytes:
    """Eleven rows over six chunks of two: new models, an update by code, a model of the
    year after continuing one registered five rows above (another chunk), and a model of the
    whole ward replicating one of the file's (another chunk too)."""
    rows = [row(world, f"Mô hình số {n}") for n in range(6)]
    rows.append(
        [
            world.cultural_houses.code,
            "Khai thác nhà văn hóa (sửa)",
            "culture_society",
            world.wu_yen_giang.code,
            2024,
            "",
            "",
            "15/01/2024",
            "",
            "",
            "",
        ]
    )
    rows.append(row(world, "Mô hình số 2", kind="continued", continues="Mô hình số 2", year=2025))
    rows.append(row(world, "Nhân rộng số 4", replicates="Mô hình số 4", ward=True))
    rows.append(row(world, "Mô hình số 7"))
    rows.append(row(world, "Mô hình số 8"))
    return xlsx_bytes([headers("initiatives", "vi", KEYS), *rows])


def by_codes(batch: ImportBatch) -> dict:
    """``state``, with the links between models named by the linked model's code: the ids
    differ between two applies on PostgreSQL, whose sequences a rollback does not wind back."""
    found = state(batch)
    ids = {"id", "history_id", "continued_from_id", "replicated_from_id"}
    links = ("code", "continued_from__code", "replicated_from__code")
    for key, records in (
        ("initiatives", Initiative.objects),
        ("initiative history", Initiative.history),
    ):
        found[key] = _rows(records.model, ids)
        found[f"{key}: links"] = sorted(records.values_list(*links), key=repr)
    return found


def apply_both_ways(monkeypatch, apply, user, batch: ImportBatch, planned: list) -> list:
    """Apply ``batch`` planning in turn, then planning ahead, each from the same state in a
    savepoint rolled back afterwards; return what each left and who planned its chunks."""
    rebuild_rollups(reset_nodes=True)  # the shared cast is made by factories
    found = []
    for on in (False, True):
        ahead(monkeypatch, on)
        planned.clear()
        with transaction.atomic():
            applied = apply(user, ImportBatch.objects.get(pk=batch.pk))
            found.append((by_codes(applied), list(planned)))
            transaction.set_rollback(True)
    return found


def test_a_file_applied_planning_ahead_leaves_what_planning_in_turn_leaves(
    world, upload, apply, small_chunks, planned, monkeypatch
):
    batch = upload(world.lan, "initiatives", a_year_of_models(world), language="vi")
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    (in_turn, by_apply), (beside, by_planner) = apply_both_ways(
        monkeypatch, apply, world.lan, batch, planned
    )
    assert beside["batch"][:3] == (BatchStatus.APPLIED, 10, 1), beside["issues"]
    assert beside == in_turn
    assert beside["differences"] == {}
    continued = Initiative.objects.filter(title="Mô hình số 2").order_by("year")
    assert not continued.exists()  # rolled back, as both applies were
    # In turn, the apply's own thread planned each chunk; ahead, the planner did, in the
    # language of the batch (Lan uploaded in Vietnamese), not the one around the test.
    assert [entry[0] for entry in by_apply] == [threading.current_thread().name] * 6
    assert [entry[0] for entry in by_planner] == [runner.PLANNER] * 6
    assert [entry[2] for entry in by_planner] == [2, 4, 6, 8, 10, 12]
    assert translation.get_language() == "en"
    assert {entry[1] for entry in by_planner} == {batch.ui_language} == {"vi"}
    assert planners_alive() == []
    assert connection._thread_sharing_count == 0


def test_links_to_rows_in_earlier_chunks_are_written_alike(
    world, upload, apply, small_chunks, planned, monkeypatch
):
    batch = upload(world.lan, "initiatives", a_year_of_models(world))
    ahead(monkeypatch, True)
    rebuild_rollups(reset_nodes=True)
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    first, second = Initiative.objects.filter(title="Mô hình số 2").order_by("year")
    assert second.continued_from_id == first.pk
    copy = Initiative.objects.get(title="Nhân rộng số 4")
    assert copy.replicated_from_id == Initiative.objects.get(title="Mô hình số 4").pk
    incremental = table_state()
    rebuild_rollups(reset_nodes=True)
    assert table_state() == incremental


def test_contributions_applied_planning_ahead_leave_what_planning_in_turn_leaves(
    world, upload, apply, small_chunks, planned, monkeypatch
):
    codes = [world.cultural_houses.code, world.thien_loc_roads.code]
    rows = [
        [codes[n % 2], f"{n + 1:02d}/03/2024", "money", f"{n + 1}.000", "households", n + 1, ""]
        for n in range(7)
    ]
    rows.append([codes[0], "01/03/2024", "money", "1.000", "households", 1, ""])  # a second one
    batch = upload(world.root, "contributions", xlsx_bytes([headers("contributions"), *rows]))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    (in_turn, _), (beside, by_planner) = apply_both_ways(
        monkeypatch, apply, world.root, batch, planned
    )
    assert beside == in_turn
    assert beside["batch"][:2] == (BatchStatus.APPLIED, 8)
    assert beside["differences"] == {}
    assert [entry[0] for entry in by_planner] == [runner.PLANNER] * 4


def test_a_bad_row_stops_the_planning_and_undoes_every_chunk(
    world, upload, apply, small_chunks, planned, monkeypatch
):
    """The model of row 8 (fourth chunk of six) is completed between the check and the apply:
    the apply stops there. The planner, at most two chunks ahead, is stopped too."""
    batch = upload(world.lan, "initiatives", a_year_of_models(world))
    Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.COMPLETED)
    ahead(monkeypatch, True)
    before, figures = counts(), table_state()
    planned.clear()
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.FAILED
    assert [issue[:3] for issue in issues_of(batch)] == [(8, "", "error")]
    assert counts() == before and table_state() == figures
    # Chunks 1-4 written or tried; the fifth handed over, the sixth perhaps planned: no more.
    assert len(planned) <= 6 and [entry[2] for entry in planned[:4]] == [2, 4, 6, 8]
    assert planners_alive() == []
    assert connection._thread_sharing_count == 0


@pytest.mark.parametrize(
    "failure",
    [RuntimeError("the disk went away"), FileRefused(["Data under no header."])],
    ids=["an unexpected failure", "a file refused"],
)
def test_what_the_planner_raises_the_apply_raises_and_nothing_is_kept(
    world, upload, small_chunks, planned, monkeypatch, failure
):
    batch = upload(world.lan, "initiatives", a_year_of_models(world))
    ahead(monkeypatch, True)
    plan = runner.IMPORTERS["initiatives"].plan

    def failing(importer, row):
        if row.number == 7:  # the third chunk
            raise failure
        return plan(importer, row)

    monkeypatch.setattr(runner.IMPORTERS["initiatives"], "plan", failing)
    before, figures = counts(), table_state()
    batch = ImportBatch.objects.get(pk=batch.pk)
    batch.applied_by, batch.status = world.lan, BatchStatus.APPLYING
    batch.save()
    if isinstance(failure, FileRefused):
        batch = runner.run_batch(batch, apply=True)
        assert batch.status == BatchStatus.FAILED
        assert [issue[3] for issue in issues_of(batch)] == ["Data under no header."]
    else:
        with pytest.raises(RuntimeError, match="the disk went away"):
            runner.run_batch(batch, apply=True)
    assert counts() == before and table_state() == figures
    assert planners_alive() == []
    assert connection._thread_sharing_count == 0


def test_the_planner_opens_no_transaction_of_its_own(
    world, upload, apply, small_chunks, monkeypatch
):
    """Savepoints are a connection's stack: a planner's atomic block beside the apply's would
    release or roll back the apply's own. Planning reads only."""
    entered = []
    enter = transaction.Atomic.__enter__

    def watched(block):
        entered.append(threading.current_thread().name)
        return enter(block)

    batch = upload(world.lan, "initiatives", a_year_of_models(world))
    ahead(monkeypatch, True)
    monkeypatch.setattr(transaction.Atomic, "__enter__", watched)
    batch = apply(world.lan, batch)
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert entered and runner.PLANNER not in entered


def test_postgresql_plans_ahead_for_the_kinds_that_plan_apart():
    importers = runner.IMPORTERS
    on_postgres = connection.vendor == "postgresql"
    assert runner._plans_ahead(importers["initiatives"]) is on_postgres
    assert runner._plans_ahead(importers["contributions"]) is on_postgres
    assert runner._plans_ahead(importers["organisations"]) is False
