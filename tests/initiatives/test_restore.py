"""An administrator brings back an earlier version of an initiative's facts."""

import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.models import Role, RoleAssignment
from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.lifecycle import initiative_restore
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_update
from tests.factories import InitiativeFactory, UserFactory


@pytest.fixture
def tuan(cultural_houses):
    """Tuấn administers the ward where the cultural-house model runs."""
    tuan = UserFactory(username="tuan", first_name="Tuấn")
    RoleAssignment.objects.create(user=tuan, role=Role.ADMIN, area=cultural_houses.area)
    return tuan


def test_restores_the_facts_and_records_the_restore(cultural_houses, tuan):
    original = cultural_houses.history.earliest("history_date")
    initiative_update(
        actor=SYSTEM,
        initiative=cultural_houses,
        title="Tên nhập nhầm",
        field=Field.ECONOMY,
        summary="Nội dung bị ghi đè",
    )
    restored = initiative_restore(
        actor=tuan, initiative=cultural_houses, history_id=original.history_id
    )
    stored = Initiative.objects.get(pk=cultural_houses.pk)
    assert (stored.title, stored.field, stored.summary) == (
        original.title,
        original.field,
        original.summary,
    )
    assert stored.version == restored.version == 3
    latest = stored.history.latest("history_date")
    assert latest.history_user == tuan
    assert latest.history_change_reason.startswith("Restored the version of")
    # The overwritten version is still in the trail.
    assert stored.history.filter(title="Tên nhập nhầm").exists()


def test_the_workflow_state_is_not_restored(cultural_houses, tuan):
    original = cultural_houses.history.earliest("history_date")
    Initiative.objects.filter(pk=cultural_houses.pk).update(status=Status.REGISTERED)
    cultural_houses.refresh_from_db()
    initiative_restore(actor=tuan, initiative=cultural_houses, history_id=original.history_id)
    assert Initiative.objects.get(pk=cultural_houses.pk).status == Status.REGISTERED


def test_a_version_of_another_initiative_is_refused(cultural_houses, tuan):
    other = InitiativeFactory(title="Mô hình khác")
    foreign = other.history.earliest("history_date")
    title = cultural_houses.title
    with pytest.raises(ValidationError) as error:
        initiative_restore(actor=tuan, initiative=cultural_houses, history_id=foreign.history_id)
    assert "history_id" in error.value.message_dict
    assert Initiative.objects.get(pk=cultural_houses.pk).title == title
