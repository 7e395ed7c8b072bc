"""The apply of a checked file takes the dry run's reading of it (``imports.checked``): the same
rows, history, figures and problems as reading the sheet again, whatever changed in between.

Each case applies the file twice from the same checked state, once reading the sheet again
(the dry run's reading hidden) and once taking it, each in a savepoint rolled back afterwards,
and compares everything the apply leaves."""

import datetime
import gzip
import json
import shutil
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import DateTimeField

from danvan.accounts.models import RoleAssignment
from danvan.imports import checked, runner
from danvan.imports.models import BatchStatus, ImportBatch
from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Contribution, Initiative
from danvan.initiatives.services import facts, ledger
from danvan.stats.exactness import rollup_differences
from danvan.stats.rebuild import rebuild_rollups
from tests.imports.conftest import headers, issues_of, xlsx_bytes
from tests.stats.scenario import table_state

pytestmark = pytest.mark.django_db

KEYS = ["code", "title", "field", "organisation", "year", "area_code", "area", "start_date"]


def _rows(model, leave_out: set[str]) -> list:
    """Every row of ``model`` without its ids and times (which differ between two runs)."""
    names = [
        field.attname
        for field in model._meta.concrete_fields
        if field.attname not in leave_out and not isinstance(field, DateTimeField)
    ]
    return sorted(model.objects.values_list(*names), key=repr)


def state(batch: ImportBatch) -> dict:
    batch = ImportBatch.objects.get(pk=batch.pk)
    return {
        "batch": (
            batch.status,
            batch.creates,
            batch.updates,
            batch.unchanged,
            batch.error_count,
            batch.warning_count,
            batch.processed_rows,
        ),
        "issues": sorted(issues_of(batch), key=repr),
        "initiatives": _rows(Initiative, {"id"}),
        "initiative history": _rows(Initiative.history.model, {"id", "history_id"}),
        "contributions": _rows(Contribution, {"id"}),
        "contribution history": _rows(Contribution.history.model, {"id", "history_id"}),
        "figures": table_state(),
        "differences": {table: n for table, n in rollup_differences().items() if n},
    }


@pytest.fixture
def validations(monkeypatch):
    """How many records the model's field rules were run on."""
    seen = []
    for module in (facts, ledger):
        original = module.validate_unsaved

        def counted(instance, *, _original=original, **options):
            seen.append(type(instance).__name__)
            return _original(instance, **options)

        monkeypatch.setattr(module, "validate_unsaved", counted)
    return seen


@pytest.fixture
def both_ways(apply, monkeypatch, validations):
    """Apply a checked batch reading the sheet again, then taking the dry run's reading; return
    both states and the number of records validated each time."""

    def go(user, batch: ImportBatch, between=lambda: None) -> tuple[dict, dict, list[int]]:
        rebuild_rollups(reset_nodes=True)  # the shared cast is made by factories
        memo = Path(f"{batch.file.path}.checked.gz")
        assert memo.exists()
        kept = memo.with_name("kept")
        shutil.copy(memo, kept)
        results, validated = [], []
        for reuse in (False, True):
            shutil.copy(kept, memo)
            with monkeypatch.context() as patch, transaction.atomic():
                if not reuse:
                    patch.setattr(checked, "replay", lambda path, key: None)
                between()
                validations.clear()
                applied = apply(user, ImportBatch.objects.get(pk=batch.pk))
                validated.append(len(validations))
                results.append(state(applied))
                assert not memo.exists()  # an applied file's reading is not kept
                transaction.set_rollback(True)
        return results[0], results[1], validated

    return go


def initiatives_file(world, *extra):
    rows = [
        ["", f"Mô hình số {n}", "economy", world.wu_yen_giang.code, 2024, "", "Khu 1", "15/01/2024"]
        for n in range(4)
    ]
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
    return xlsx_bytes([headers("initiatives", "vi", KEYS), *rows, update, *extra])


def contributions_file(world, *extra):
    code = world.cultural_houses.code
    rows = [
        [code, f"{day:02d}/03/2024", kind, f"{day}.500.000", "households", day, description]
        for day in range(1, 6)
        for kind, description in (("money", ""), ("in_kind", "Xi măng"))
    ]
    rows.append([code, "02/03/2024", "land", "350,5", "households", 3, ""])
    return xlsx_bytes([headers("contributions"), *rows, *extra])


def test_initiatives_applied_from_the_check_equal_a_second_reading(world, upload, both_ways):
    batch = upload(world.lan, "initiatives", initiatives_file(world))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    again, reused, validated = both_ways(world.lan, batch)
    assert again == reused
    assert reused["batch"] == (BatchStatus.APPLIED, 4, 1, 0, 0, 0, 5)
    assert reused["differences"] == {}
    # Read again, each record's rules ran; taken from the check, none (all planned alike).
    assert validated == [5, 0]


def test_contributions_applied_from_the_check_equal_a_second_reading(world, upload, both_ways):
    batch = upload(world.lan, "contributions", contributions_file(world))
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    again, reused, validated = both_ways(world.lan, batch)
    assert again == reused
    assert reused["batch"][:4] == (BatchStatus.APPLIED, 11, 0, 0)
    assert reused["differences"] == {}
    assert validated == [11, 0]


def test_a_model_changed_since_the_check_is_refused_alike(world, upload, both_ways):
    batch = upload(world.lan, "initiatives", initiatives_file(world))

    def completed():
        Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.COMPLETED)

    again, reused, _validated = both_ways(world.lan, batch, completed)
    assert again == reused
    assert reused["batch"][0] == BatchStatus.FAILED
    assert [issue[:3] for issue in reused["issues"]] == [(6, "", "error")]


def test_a_model_edited_since_the_check_is_validated_again(world, upload, both_ways):
    """The row that updates it now plans another version: its rules run again; the new rows,
    planned alike, are not validated twice."""
    batch = upload(world.lan, "initiatives", initiatives_file(world))

    def edited():
        Initiative.objects.filter(pk=world.cultural_houses.pk).update(
            summary="Sửa giữa lúc kiểm tra và lúc ghi", version=world.cultural_houses.version + 1
        )

    again, reused, validated = both_ways(world.lan, batch, edited)
    assert again == reused
    assert reused["batch"][:3] == (BatchStatus.APPLIED, 4, 1)
    assert validated == [5, 1]


def test_a_model_registered_since_the_check_is_matched_alike(world, upload, both_ways):
    """A row that would have registered a model now finds it stored and leaves it as it is."""
    batch = upload(world.lan, "initiatives", initiatives_file(world))
    assert batch.creates == 4

    def registered():
        source = Initiative.objects.get(pk=world.cultural_houses.pk)
        source.pk, source.code, source.title = None, "DVK-2024-999999", "Mô hình số 2"
        source.field = "economy"
        source.save()

    again, reused, _validated = both_ways(world.lan, batch, registered)
    assert again == reused
    assert reused["batch"][:2] == (BatchStatus.APPLIED, 3)


def test_entries_added_since_the_check_are_matched_alike(world, upload, both_ways):
    batch = upload(world.lan, "contributions", contributions_file(world))
    added = {
        "initiative": world.cultural_houses,
        "date": "2024-03-01",
        "kind": "money",
        "amount": 1_500_000,
        "contributor_type": "households",
        "contributors": 1,
    }
    again, reused, _validated = both_ways(
        world.lan, batch, lambda: Contribution.objects.create(**added)
    )
    assert again == reused
    assert reused["batch"][:4] == (BatchStatus.APPLIED, 10, 0, 1)


def test_a_permission_taken_away_since_the_check_is_refused_alike(world, upload, both_ways):
    batch = upload(world.lan, "contributions", contributions_file(world))

    def taken_away():
        RoleAssignment.objects.filter(user=world.lan).delete()

    again, reused, _validated = both_ways(world.lan, batch, taken_away)
    assert again == reused
    assert reused["batch"][0] == BatchStatus.FAILED
    assert reused["issues"]


def one_more(world, day: int) -> list:
    return [world.cultural_houses.code, f"{day:02d}/03/2024", "money", "1", "households", 1, ""]


def test_another_file_or_other_code_reads_the_sheet_again(
    world, upload, apply, validations, monkeypatch
):
    """A reading kept for other bytes, or made by other code, is not used."""
    batch = upload(world.lan, "contributions", contributions_file(world))
    Path(batch.file.path).write_bytes(contributions_file(world, one_more(world, 9)))
    validations.clear()
    batch = apply(world.lan, batch)
    assert (batch.status, batch.creates) == (BatchStatus.APPLIED, 12), issues_of(batch)
    assert len(validations) == 12

    other = upload(world.lan, "contributions", contributions_file(world, one_more(world, 10)))
    monkeypatch.setattr(checked, "code_version", lambda: "another version of the product")
    validations.clear()
    other = apply(world.lan, other)
    assert (other.status, other.creates, other.unchanged) == (BatchStatus.APPLIED, 1, 11)
    assert len(validations) == 1


def test_a_failed_check_keeps_no_reading(world, upload):
    bad = contributions_file(
        world, [*one_more(world, 9)[:1], "99/99/2024", "money", "1", "households", 1, ""]
    )
    batch = upload(world.lan, "contributions", bad)
    assert batch.status == BatchStatus.FAILED
    assert not list(Path(batch.file.path).parent.glob("*.checked.gz*"))


def test_the_apply_of_a_checked_file_does_not_open_it_again(world, upload, apply, monkeypatch):
    """The file's checks, header and height come from the dry run's reading of the same bytes:
    the apply neither parses the sheet nor scans it again, and records what the check found."""
    batch = upload(world.lan, "contributions", contributions_file(world))
    found = (batch.file_type, batch.language, batch.total_rows)

    def not_again(*args, **kwargs):
        raise AssertionError("the apply opened the file again")

    monkeypatch.setattr(runner, "open_table", not_again)
    monkeypatch.setattr(runner, "open_sheet", not_again)
    batch = apply(world.lan, batch)
    assert (batch.status, batch.creates) == (BatchStatus.APPLIED, 11), issues_of(batch)
    assert (batch.file_type, batch.language, batch.total_rows) == found


def test_a_reading_kept_without_the_sheet_is_not_taken(world, upload, apply, validations):
    """A reading kept by an earlier version of the product (its first line is another key)
    is not taken: the apply opens the file and validates every row."""
    batch = upload(world.lan, "contributions", contributions_file(world))
    memo = Path(f"{batch.file.path}.checked.gz")
    with gzip.open(memo, "rt", encoding="utf-8") as handle:
        key, _sheet, *rows = handle.read().splitlines()
    old_key = json.loads(key)
    old_key[0] = 1
    with gzip.open(memo, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([json.dumps(old_key), *rows]) + "\n")
    validations.clear()
    batch = apply(world.lan, batch)
    assert (batch.status, batch.creates) == (BatchStatus.APPLIED, 11), issues_of(batch)
    assert len(validations) == 11


def test_a_signature_tells_apart_what_a_row_plans_and_only_that():
    """Equal values sign alike however they were made (a text read from the file or from the
    kept reading, interned or not); values that merely look alike do not."""
    from dataclasses import dataclass
    from decimal import Decimal

    from danvan.imports.checked import signature

    @dataclass
    class Planned:
        fields: dict
        note: object = None

    def signed(**fields) -> str | None:
        return signature("create", Planned(fields))

    title = "Mô hình dân vận khéo"
    rebuilt = "".join(list(title))  # equal, another object, never interned
    assert signed(title=title, field="economy") == signed(title=rebuilt, field="".join("economy"))
    assert signed(day=datetime.date(2024, 3, 4)) == signed(day=datetime.date(2024, 3, 4))
    different = [
        signed(value=1),
        signed(value=True),
        signed(value=1.0),
        signed(value="1"),
        signed(value=Decimal("1.0")),
        signed(value=Decimal("1.00")),
        signed(value=datetime.date(2024, 3, 4)),
        signed(value=datetime.datetime(2024, 3, 4)),
        signed(value=datetime.date(2024, 3, 4).toordinal()),
        signed(value=("D", datetime.date(2024, 3, 4).toordinal())),
        signed(value=None),
        signed(other=1),
    ]
    assert None not in different
    assert len(set(different)) == len(different)
    # What cannot be told apart is validated again: bytes (which could pass for a tag) too.
    assert signed(value=object()) is None
    assert signed(value=(b"D", datetime.date(2024, 3, 4).toordinal())) is None
