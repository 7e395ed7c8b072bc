"""The audit timeline of an initiative: creation, field changes, workflow steps, the ledger."""

import datetime

import pytest

from danvan.initiatives.catalogues import Field
from danvan.initiatives.lifecycle import initiative_register, initiative_return, initiative_submit
from danvan.review.models import RecognitionLevel
from danvan.review.selectors import (
    evaluations_of,
    initiative_timeline,
    rounds_open_on,
)
from danvan.review.services import award_propose, evaluation_create
from tests.factories import ContributionFactory
from tests.factories_review import (
    AwardTitleFactory,
    CriterionFactory,
    RegistrationRoundFactory,
)

REASON = "Bổ sung số liệu đóng góp khu 2"


@pytest.fixture
def house(world):
    """Lan's initiative with a story: edited, submitted, returned, resubmitted, registered."""
    house = world.cultural_houses
    house.title = "Khai thác, quản lý hiệu quả nhà văn hóa khu dân cư"
    house.field = Field.ECONOMY
    house._history_user = world.lan
    house.save()
    ContributionFactory(
        initiative=house,
        amount=180_000_000,
        description="16 máy điều hòa cho nhà văn hóa khu 1–4",
        kind="in_kind",
    )
    initiative_submit(actor=world.lan, initiative=house)
    initiative_return(actor=world.minh, initiative=house, reason=REASON)
    initiative_submit(actor=world.lan, initiative=house)
    initiative_register(actor=world.minh, initiative=house)
    return house


def test_timeline_is_newest_first(house):
    timeline = initiative_timeline(initiative=house)
    stamps = [entry.at for entry in timeline]
    assert stamps == sorted(stamps, reverse=True)


def test_timeline_shows_the_creation(house):
    timeline = initiative_timeline(initiative=house)
    created = [e for e in timeline if e.kind == "created" and e.subject == "initiative"]
    assert len(created) == 1
    assert created[0].history_id is not None


def test_timeline_shows_field_changes_with_old_and_new_values(world, house):
    timeline = initiative_timeline(initiative=house)
    edits = [e for e in timeline if e.kind == "changed" and e.actor == "Nguyễn Lan"]
    assert len(edits) == 1
    changes = {label: (old, new) for label, old, new in edits[0].changes}
    assert changes["title"] == (
        "Khai thác, quản lý nhà văn hóa khu dân cư",
        "Khai thác, quản lý hiệu quả nhà văn hóa khu dân cư",
    )
    # Choices by their labels, never their stored codes.
    assert changes["field"] == ("Culture–society", "Economy")
    # Bookkeeping columns are not shown as changes.
    assert not {"version", "updated at", "title_folded"} & set(changes)


def test_timeline_shows_workflow_steps_with_actor_and_reason(world, house):
    steps = [e for e in initiative_timeline(initiative=house) if e.kind == "transition"]
    assert [(e.actor, e.subject, e.summary) for e in reversed(steps)] == [
        ("Nguyễn Lan", "Submitted", ""),
        ("Minh", "Returned", REASON),
        ("Nguyễn Lan", "Submitted", ""),
        ("Minh", "Registered", ""),
    ]
    assert [e.sentence for e in reversed(steps)] == [
        "Nguyễn Lan submitted it",
        f"Minh returned it: {REASON}",
        "Nguyễn Lan submitted it",
        "Minh registered it",
    ]
    assert steps[-1].changes == [("status", "Draft", "Submitted")]
    assert steps[2].changes == [("status", "Submitted", "Returned")]


def test_timeline_status_history_rows_carry_the_reason(house):
    """The initiative's own history rows of a transition record why (the reason or action)."""
    reasons = set(house.history.values_list("history_change_reason", flat=True))
    assert REASON in reasons
    assert "Register" in reasons
    # In the timeline the step shows once, as a transition, not again as an edit.
    edits = [e for e in initiative_timeline(initiative=house) if e.kind == "changed"]
    assert all(("status", "Submitted", "Returned") not in e.changes for e in edits)


def test_timeline_shows_contributions(house):
    entries = [e for e in initiative_timeline(initiative=house) if e.subject == "contribution"]
    assert [e.kind for e in entries] == ["created"]


def test_timeline_shows_evaluations_and_awards(world, house):
    criterion = CriterionFactory()
    evaluation_create(
        actor=world.minh,
        initiative=house,
        criteria_set=criterion.criteria_set,
        scores={criterion.pk: 9},
    )
    award_propose(
        actor=world.minh,
        initiative=house,
        title=AwardTitleFactory(),
        level=RecognitionLevel.COMMUNE,
    )
    subjects = {e.subject for e in initiative_timeline(initiative=house)}
    assert {"evaluation", "award"} <= subjects
    assert evaluations_of(initiative=house).get().total == 90


def test_timeline_of_another_initiative_is_separate(world, house):
    assert all(e.kind == "created" for e in initiative_timeline(initiative=world.digital))
    assert len(initiative_timeline(initiative=world.digital)) == 1


def test_deleted_contribution_stays_in_the_timeline(house):
    house.contributions.get().delete()
    kinds = [e.kind for e in initiative_timeline(initiative=house) if e.subject == "contribution"]
    assert kinds == ["deleted", "created"]


class TestRoundsOpenOn:
    def test_open_between_opening_and_closing_inclusive(self, world):
        national = RegistrationRoundFactory(
            year=2025, opens_on=datetime.date(2025, 1, 15), closes_on=datetime.date(2025, 3, 31)
        )
        provincial = RegistrationRoundFactory(
            year=2025,
            area=world.quang_ninh,
            opens_on=datetime.date(2025, 2, 1),
            closes_on=datetime.date(2025, 2, 28),
        )
        assert set(rounds_open_on(day=datetime.date(2025, 1, 15))) == {national}
        assert set(rounds_open_on(day=datetime.date(2025, 2, 28))) == {national, provincial}
        assert set(rounds_open_on(day=datetime.date(2025, 3, 31))) == {national}
        assert not rounds_open_on(day=datetime.date(2025, 4, 1)).exists()
        assert not rounds_open_on(day=datetime.date(2025, 1, 14)).exists()


def test_related_records_and_links_are_named_never_raw_keys(world, house):
    """Agencies and tags show by name: not ids, not rows of the link table."""
    house.refresh_from_db()
    house.co_organisations.add(world.pc_yen_giang)
    house._history_user = world.lan
    house.save()
    changes = [
        change
        for entry in initiative_timeline(initiative=house)
        if entry.kind == "changed"
        for change in entry.changes
    ]
    shown = " ".join(f"{label} {old} {new}" for label, old, new in changes)
    assert str(world.pc_yen_giang) in shown
    assert "{" not in shown and "'initiative'" not in shown


def test_a_file_shows_by_its_own_name_not_where_it_is_stored():
    from danvan.core.history_words import NameCache, value_in_words
    from danvan.initiatives.models import Evidence

    field = Evidence._meta.get_field("file")
    shown = value_in_words(field, "evidence/2025/07/ab12/bien-ban-hop.pdf", NameCache())
    assert shown == "bien-ban-hop.pdf"
