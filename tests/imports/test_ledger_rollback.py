"""Rolling back an import of ledger entries or results: done a block at a time, with the very
outcome of the service calls one entry at a time (kept here as the reference), and a number of
statements that does not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM, require_on_initiative
from danvan.imports import rollback_ledgers
from danvan.imports.models import BatchStatus, ImportBatch
from danvan.imports.rows import change_cause
from danvan.imports.services import batch_rollback
from danvan.initiatives.catalogues import Aggregation, Unit
from danvan.initiatives.models import Contribution, Result
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    result_add,
    result_delete,
)
from danvan.stats.exactness import rollup_differences
from danvan.stats.rebuild import rebuild_rollups
from tests.factories import IndicatorFactory, InitiativeFactory
from tests.imports.conftest import headers, issues_of, xlsx_bytes
from tests.stats.scenario import table_state

pytestmark = pytest.mark.django_db


def rollback_one_by_one(actor, batch: ImportBatch) -> None:
    """The rollback as it was: a service call per entry (the reference for the outcome)."""
    reason = batch.cause
    model = Contribution if batch.kind == "contributions" else Result
    with change_cause(f"rollback of {reason}"):
        ids = set(
            model.history.filter(history_change_reason=reason, history_type="+").values_list(
                "id", flat=True
            )
        )
        entries = list(model.objects.select_related("initiative__area").filter(pk__in=ids))
        for entry in entries:
            require_on_initiative(actor, "history.restore", entry.initiative)
        for entry in entries:
            if model is Result:
                result_delete(actor=SYSTEM, result=entry)
            elif entry.amount or entry.contributors:
                contribution_correct(
                    actor=SYSTEM,
                    entry=entry,
                    amount=0,
                    contributors=0,
                    reason=f"rollback of {reason}",
                )


class Undone(Exception):
    """Raised to undo the reference rollback, keeping the import applied."""


def outcome(batch: ImportBatch) -> dict:
    """Everything a rollback leaves behind, without the ids it happened to draw."""
    cause = f"rollback of {batch.cause}"
    ledger = Contribution.objects.values("initiative_id", "kind", "contributor_type", "date")
    corrections = Contribution.objects.filter(description=cause).values_list(
        "corrects_id",
        "initiative_id",
        "date",
        "kind",
        "amount",
        "contributor_type",
        "contributors",
        "description",
        "created_by_id",
    )
    contribution_trail = Contribution.history.filter(history_change_reason=cause).values_list(
        "corrects_id",
        "history_type",
        "history_user_id",
        "amount",
        "contributors",
        "description",
        "created_by_id",
        "date",
        "kind",
        "contributor_type",
    )
    result_trail = Result.history.filter(history_change_reason=cause).values_list(
        "id", "history_type", "history_user_id", "initiative_id", "indicator_id", "value"
    )
    return {
        "ledger": sorted(
            (
                row["initiative_id"],
                row["kind"],
                row["contributor_type"],
                row["date"],
                row["a"],
                row["c"],
            )
            for row in ledger.annotate(a=Sum("amount"), c=Sum("contributors")).order_by()
        ),
        "corrections": sorted(corrections),
        "contribution trail": sorted(contribution_trail),
        "results": sorted(Result.objects.values_list("pk", "value")),
        "result trail": sorted(result_trail),
        "figures": table_state(),
    }


def both_ways(world, batch: ImportBatch) -> tuple[dict, dict]:
    """Roll ``batch`` back the old way (then undone) and the new way; return both outcomes."""
    with pytest.raises(Undone), transaction.atomic():
        rollback_one_by_one(world.tuan, batch)
        reference = outcome(batch)
        assert set(rollup_differences().values()) == {0}
        raise Undone
    batch = batch_rollback(actor=world.tuan, batch=batch)
    assert batch.status == BatchStatus.ROLLED_BACK
    return reference, outcome(batch)


def without_entries(figures: dict) -> dict:
    """The figures without the count of ledger entries (the last measure of each row)."""
    return {
        table: {key: measures[:-1] for key, measures in rows.items() if any(measures[:-1])}
        for table, rows in figures.items()
        if table != "results"
    }


@pytest.fixture
def markets(world):
    """A second initiative of Lan's women's union, so the import spans two ledgers."""
    return InitiativeFactory(
        title="Chợ dân sinh văn minh", organisation=world.wu_yen_giang, area=world.zone_1
    )


def ledger_sheet(*rows) -> bytes:
    return xlsx_bytes([headers("contributions", "vi"), *rows])


@pytest.mark.parametrize("block", [10_000, 2])
def test_contributions_roll_back_as_one_correction_each_did(
    world, markets, upload, apply, monkeypatch, block
):
    """Whatever the blocks: an initiative's entries cancelled over several blocks move its
    households and people taking part as one correction after the other did."""
    monkeypatch.setattr(rollback_ledgers, "LEDGER_BLOCK", block)
    houses, market = world.cultural_houses.code, markets.code
    # Entries made by hand before the import, on the same days: those taking part are counted
    # across the whole ledger, so the import's households overlap them.
    for kind, amount, contributors in (("money", 50_000_000, 30), ("labour", "12.5", 8)):
        contribution_add(
            actor=world.lan,
            initiative=world.cultural_houses,
            date=datetime.date(2024, 3, 15),
            kind=kind,
            amount=amount,
            contributor_type="households",
            contributors=contributors,
        )
    rebuild_rollups(reset_nodes=True)
    content = ledger_sheet(
        [houses, "15/03/2024", "money", "180.000.000", "households", 120, ""],
        [houses, "15/03/2024", "labour", "0,5", "households", 40, ""],
        [houses, "16/03/2024", "land", "350,5", "households", 3, ""],
        [houses, "16/03/2024", "in_kind", "16.000.000", "businesses", 2, "16 máy điều hòa"],
        [houses, "17/03/2024", "money", "2.000.000", "individuals", "", ""],
        [houses, "17/03/2024", "money", "0", "individuals", "", ""],  # nothing to cancel
        [market, "15/03/2024", "labour", "1.234,25", "individuals", 15, ""],
        [market, "01/04/2024", "money", "75.000.000", "households", 10, ""],
        [market, "01/04/2024", "land", "1200", "organisations", 1, ""],
    )
    figures = table_state()
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert batch.creates == 9
    assert table_state() != figures

    reference, done = both_ways(world, batch)
    assert done == reference
    assert set(rollup_differences().values()) == {0}
    # The figures are back where they were, but for the entries: the cancelled ones stay in
    # the append-only ledger, and are counted as entries (as a correction to zero left them).
    assert without_entries(table_state()) == without_entries(figures)
    # Eight corrections, recorded by the system with the cause, each cancelling its entry.
    assert len(done["corrections"]) == 8
    cause = f"rollback of import #{batch.pk}"
    assert {row[7] for row in done["corrections"]} == {cause}
    assert {row[8] for row in done["corrections"]} == {None}
    assert {row[1:3] for row in done["contribution trail"]} == {("+", None)}
    assert Decimal("-350.50") in {row[4] for row in done["corrections"]}
    # Only what was there before the import is left in the ledger.
    ledger = Contribution.objects.filter(initiative=world.cultural_houses)
    totals = {
        kind: ledger.filter(kind=kind).aggregate(s=Sum("amount"))["s"]
        for kind in ("money", "labour", "land", "in_kind")
    }
    assert totals == {"money": 50_000_000, "labour": Decimal("12.5"), "land": 0, "in_kind": 0}
    assert not Contribution.objects.filter(initiative=markets).aggregate(s=Sum("amount"))["s"]


def test_results_roll_back_as_one_deletion_each_did(world, markets, upload, apply):
    canal = IndicatorFactory(
        code="canal_new_km", name_vi="Kênh mới", unit=Unit.KM, aggregation=Aggregation.SUM
    )
    IndicatorFactory(
        code="sim_4g", name_vi="Chuyển SIM 4G", unit=Unit.PERCENT, aggregation=Aggregation.AVERAGE
    )
    # Recorded before the import and kept: the maximum and the latest fall back to it.
    kept = result_add(
        actor=world.lan,
        initiative=world.cultural_houses,
        indicator=canal,
        value="5",
        period_end=datetime.date(2023, 6, 30),
    )
    rebuild_rollups(reset_nodes=True)
    code = world.cultural_houses.code
    content = xlsx_bytes(
        [
            headers("results"),
            [code, "kenh moi", "7,1", "", "01/01/2023", "30/09/2023", ""],
            [code, "kenh moi", "2,25", "", "", "31/12/2023", ""],
            [code, "sim_4g", "96%", "100", "", "31/12/2024", ""],
            [markets.code, "sim_4g", "80", "", "", "31/12/2024", ""],
            [markets.code, "kenh moi", "9", "", "", "30/06/2023", ""],
        ]
    )
    figures = table_state()
    batch = apply(world.lan, upload(world.lan, "results", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert batch.creates == 5

    reference, done = both_ways(world, batch)
    assert done == reference
    assert set(rollup_differences().values()) == {0}
    assert table_state() == figures
    assert done["results"] == [(kept.pk, Decimal("5.0000"))]
    assert [row[1:3] for row in done["result trail"]] == [("-", None)] * 5


def test_the_statements_do_not_grow_with_the_entries(world, upload, apply):
    """Not a service call per entry (a permission check, a save, a rollup move): a few
    statements per block of 2,000."""
    code = world.cultural_houses.code
    days = ["15/03/2024", "16/03/2024", "17/03/2024"]
    used = []
    for rows in (10, 200):
        content = ledger_sheet(
            *[
                [code, days[row % 3], "money", f"{rows}.{row:03d}.000", "households", row % 7, ""]
                for row in range(rows)
            ]
        )
        batch = apply(world.lan, upload(world.lan, "contributions", content))
        assert batch.creates == rows, issues_of(batch)
        with CaptureQueriesContext(connection) as queries:
            batch_rollback(actor=world.tuan, batch=batch)
        used.append(len(queries.captured_queries))
    assert used[1] <= used[0] + 2 and used[0] < 40, used
    assert not Contribution.objects.aggregate(s=Sum("amount"))["s"]


def test_the_statements_for_results_do_not_grow_with_them(world, upload, apply):
    IndicatorFactory(code="canal_new_km", unit=Unit.KM, aggregation=Aggregation.SUM)
    code = world.cultural_houses.code
    used = []
    for rows in (10, 200):
        content = xlsx_bytes(
            [
                headers("results"),
                *[
                    [code, "canal_new_km", f"{row + 1},5", "", "", "30/09/2023", ""]
                    for row in range(rows)
                ],
            ]
        )
        batch = apply(world.lan, upload(world.lan, "results", content))
        assert batch.creates == rows, issues_of(batch)
        with CaptureQueriesContext(connection) as queries:
            batch_rollback(actor=world.tuan, batch=batch)
        used.append(len(queries.captured_queries))
    # A few statements per block, and three per rollup row whose maximum or latest value
    # another result now holds: none here.
    assert used[1] <= used[0] + 2 and used[0] < 30, used
    assert not Result.objects.exists()


def test_an_entry_corrected_since_refuses_the_rollback_naming_its_initiative(
    world, markets, upload, apply
):
    content = ledger_sheet(
        [world.cultural_houses.code, "15/03/2024", "money", "180.000.000", "households", 120, ""],
        [markets.code, "15/03/2024", "money", "2.000.000", "households", 5, ""],
    )
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    entry = Contribution.objects.get(initiative=markets)
    contribution_correct(actor=world.lan, entry=entry, amount=1_500_000, reason="Ghi nhầm")
    before = list(Contribution.objects.values_list("pk", "amount"))
    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.tuan, batch=batch)
    (message,) = refused.value.message_dict["status"]
    assert markets.code in message and world.cultural_houses.code not in message
    assert list(Contribution.objects.values_list("pk", "amount")) == before  # nothing written


def test_each_initiative_needs_the_right_to_restore(world, upload, apply):
    """Root imports on both provinces; Tuấn administers Quảng Ninh only, so he cannot undo
    the entries of Hà Tĩnh's initiative, nor anything of the import."""
    content = ledger_sheet(
        [world.cultural_houses.code, "15/03/2024", "money", "1.000.000", "households", 1, ""],
        [world.thien_loc_roads.code, "15/03/2024", "money", "3.000.000", "households", 2, ""],
    )
    batch = apply(world.root, upload(world.root, "contributions", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    before = Contribution.objects.count()
    with pytest.raises(PermissionDenied):
        batch_rollback(actor=world.tuan, batch=batch)
    assert Contribution.objects.count() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    batch = batch_rollback(actor=world.root, batch=batch)
    assert batch.status == BatchStatus.ROLLED_BACK
    assert not Contribution.objects.aggregate(s=Sum("amount"))["s"]


def test_progress_counts_the_entries_undone(world, upload, apply):
    content = ledger_sheet(
        *[
            [world.cultural_houses.code, "15/03/2024", "money", f"{n}.000.000", "households", n, ""]
            for n in range(1, 4)
        ]
    )
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    seen = []
    batch_rollback(actor=world.tuan, batch=batch, report=seen.append)
    assert seen == [3]


def test_the_same_file_imports_again_after_its_rollback(world, markets, upload, apply):
    """A rolled-back import's entries are cancelled, not there: the same file brings them back
    (before, it matched the cancelled entries and added nothing), and a third time adds nothing."""
    rebuild_rollups(reset_nodes=True)  # the factories wrote past the upkeep
    content = ledger_sheet(
        [world.cultural_houses.code, "15/03/2024", "money", "180.000.000", "households", 120, ""],
        [world.cultural_houses.code, "16/03/2024", "land", "350,5", "households", 3, ""],
        [markets.code, "01/04/2024", "money", "75.000.000", "households", 10, ""],
    )
    first = apply(world.lan, upload(world.lan, "contributions", content))
    assert first.creates == 3, issues_of(first)
    batch_rollback(actor=world.tuan, batch=first)
    again = apply(world.lan, upload(world.lan, "contributions", content))
    assert again.status == BatchStatus.APPLIED and again.creates == 3, issues_of(again)
    money = Contribution.objects.filter(initiative=world.cultural_houses, kind="money")
    assert money.aggregate(s=Sum("amount"))["s"] == 180_000_000
    third = apply(world.lan, upload(world.lan, "contributions", content))
    assert third.creates == 0
    assert set(rollup_differences().values()) == {0}


def test_an_entry_corrected_to_nothing_in_steps_is_gone_and_its_row_imports_again(
    world, upload, apply, markets
):
    """Money corrected by hand to less and then to nothing is cancelled: the file's row is new
    again. An entry corrected only partly, or whose contributors were not corrected away, still
    matches its row; so do the rows of an initiative without any correction."""
    code = world.cultural_houses.code
    rows = [
        [code, "16/03/2024", "money", "30.000.000", "households", 3, ""],
        [code, "17/03/2024", "money", "30.000.000", "households", 3, ""],
        [code, "18/03/2024", "labour", "2,5", "households", 4, ""],
        [markets.code, "01/04/2024", "money", "75.000.000", "households", 10, ""],
    ]
    first = apply(world.lan, upload(world.lan, "contributions", ledger_sheet(*rows)))
    assert first.creates == 4, issues_of(first)
    ledger = Contribution.objects.filter(initiative=world.cultural_houses, corrects__isnull=True)
    gone, partly, people_left = (
        ledger.get(date=datetime.date(2024, 3, day)) for day in (16, 17, 18)
    )
    for amount, contributors in ((10_000_000, 3), (0, 0)):
        contribution_correct(
            actor=SYSTEM, entry=gone, amount=amount, contributors=contributors, reason="Nhập trùng"
        )
    contribution_correct(actor=SYSTEM, entry=partly, amount=10_000_000, reason="Đếm lại")
    contribution_correct(actor=SYSTEM, entry=people_left, amount=0, reason="Không làm")
    again = apply(world.lan, upload(world.lan, "contributions", ledger_sheet(*rows)))
    assert (again.creates, again.unchanged) == (1, 3), issues_of(again)
    assert ledger.filter(date=datetime.date(2024, 3, 16)).count() == 2
