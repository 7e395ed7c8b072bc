"""History rows are evidence: once written, nobody rewrites or removes them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from danvan.core.history import _is_history_model
from danvan.initiatives.models import Initiative
from danvan.orgs.models import Organisation
from tests.factories import ContributionFactory, InitiativeFactory


@pytest.fixture
def initiative(db):
    initiative = InitiativeFactory(title="Mô hình nhà văn hóa khu 1")
    initiative.title = "Mô hình nhà văn hóa khu 1 và khu 2"
    initiative.save()
    return initiative


def test_every_change_writes_a_history_row(initiative):
    assert [r.history_type for r in initiative.history.order_by("history_id")] == ["+", "~"]


def test_a_history_row_cannot_be_changed(initiative):
    record = initiative.history.earliest("history_id")
    record.title = "Viết lại lịch sử"
    with pytest.raises(PermissionDenied):
        record.save()
    record.refresh_from_db()
    assert record.title == "Mô hình nhà văn hóa khu 1"


def test_a_history_row_cannot_be_deleted(initiative):
    record = initiative.history.earliest("history_id")
    with pytest.raises(PermissionDenied), transaction.atomic():
        record.delete()
    assert initiative.history.count() == 2


def test_history_rows_cannot_be_deleted_in_bulk(initiative):
    with pytest.raises(PermissionDenied), transaction.atomic():
        initiative.history.all().delete()
    assert initiative.history.count() == 2


def test_history_rows_cannot_be_updated_in_bulk(initiative):
    with pytest.raises(PermissionDenied):
        Initiative.history.filter(id=initiative.pk).update(title="Viết lại lịch sử")
    assert not Initiative.history.filter(title="Viết lại lịch sử").exists()


def test_history_of_other_models_is_protected_too(db):
    entry = ContributionFactory()
    entry.amount = 1
    entry.save()
    record = entry.history.earliest("history_id")
    with pytest.raises(PermissionDenied), transaction.atomic():
        record.delete()
    with pytest.raises(PermissionDenied):
        record.save()
    assert entry.history.count() == 2


def test_deleting_the_record_keeps_its_history(initiative):
    pk = initiative.pk
    initiative.delete()
    assert [r.history_type for r in Initiative.history.filter(id=pk).order_by("history_id")] == [
        "+",
        "~",
        "-",
    ]


def test_restoring_an_earlier_version_writes_a_new_row(initiative):
    first = initiative.history.earliest("history_id")
    first.instance.save()
    initiative.refresh_from_db()
    assert initiative.title == "Mô hình nhà văn hóa khu 1"
    assert initiative.history.count() == 3


def test_only_historical_models_are_guarded():
    assert _is_history_model(Initiative.history.model)
    assert _is_history_model(Organisation.history.model)
    assert not _is_history_model(Initiative)
    assert not _is_history_model(Organisation)
