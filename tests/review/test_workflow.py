"""The registration workflow: every action from every status, for every role, in and out of
scope, with reasons, the trail it leaves, and carrying an initiative into the next year."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.accounts.scope import ACTIONS, SYSTEM
from danvan.initiatives.catalogues import EDITABLE_STATUSES, RegistrationKind, Status
from danvan.initiatives.lifecycle import (
    CONTINUABLE,
    TRANSITIONS,
    allowed_transitions,
    initiative_complete,
    initiative_continue,
    initiative_discontinue,
    initiative_register,
    initiative_return,
    initiative_start,
    initiative_submit,
    initiative_transition,
)
from danvan.initiatives.models import Initiative, StatusChange
from tests.factories_review import RegistrationRoundFactory

# Who may take each action on Lan's cultural-houses initiative (Women's Union of Yên Giang).
DOER = {
    "submit": "lan",
    "register": "minh",
    "return": "minh",
    "start": "lan",
    "complete": "minh",
    "discontinue": "lan",
}
REASON = "Thiếu biên bản họp dân khu 1"


def set_status(initiative: Initiative, status: str) -> Initiative:
    Initiative.objects.filter(pk=initiative.pk).update(status=status)
    initiative.refresh_from_db()
    return initiative


def reason_for(name: str) -> str:
    return REASON if TRANSITIONS[name].needs_reason else ""


def test_the_table_has_the_six_actions_each_a_known_permission():
    assert set(TRANSITIONS) == {"submit", "register", "return", "start", "complete", "discontinue"}
    for transition in TRANSITIONS.values():
        assert transition.permission in ACTIONS
        assert transition.target in Status.values
        assert transition.sources <= set(Status.values)
    assert {n for n, t in TRANSITIONS.items() if t.needs_reason} == {"return", "discontinue"}
    assert set(Status.values) >= CONTINUABLE | EDITABLE_STATUSES


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_action_from_every_status(world, status, name):
    transition = TRANSITIONS[name]
    initiative = set_status(world.cultural_houses, status)
    version = initiative.version
    actor = getattr(world, DOER[name])
    if status in transition.sources:
        result = initiative_transition(
            actor=actor, initiative=initiative, name=name, reason=reason_for(name)
        )
        assert result.status == transition.target
        assert initiative.status == transition.target
        stored = Initiative.objects.get(pk=initiative.pk)
        assert stored.status == transition.target
        assert stored.version == version + 1
        change = StatusChange.objects.get(initiative=initiative)
        assert (change.transition, change.from_status, change.to_status) == (
            name,
            status,
            transition.target,
        )
        assert change.actor == actor
        assert change.reason == reason_for(name)
    else:
        with pytest.raises(ValidationError) as caught:
            initiative_transition(
                actor=actor, initiative=initiative, name=name, reason=reason_for(name)
            )
        assert list(caught.value.message_dict) == ["status"]
        assert Initiative.objects.get(pk=initiative.pk).status == status
        assert not StatusChange.objects.filter(initiative=initiative).exists()


PEOPLE = ["lan", "thu", "minh", "duc", "hoa", "nga", "quan", "tuan", "root"]
# Who may act on the cultural-houses initiative (Lan's union, recorded in a zone of legacy
# Yên Giang): Lan through her organisation, Minh through the merged ward, Root everywhere.
MAY = {
    "submit": {"lan", "root"},
    "register": {"minh", "root"},
    "return": {"minh", "root"},
    "start": {"lan", "minh", "root"},
    "complete": {"lan", "minh", "root"},
    "discontinue": {"lan", "minh", "root"},
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_every_action_only_for_the_right_role_in_scope(world, name, who):
    transition = TRANSITIONS[name]
    source = sorted(transition.sources)[0]
    initiative = set_status(world.cultural_houses, source)
    actor = getattr(world, who)
    if who in MAY[name]:
        initiative_transition(actor=actor, initiative=initiative, name=name, reason=REASON)
        assert Initiative.objects.get(pk=initiative.pk).status == transition.target
    else:
        with pytest.raises(PermissionDenied):
            initiative_transition(actor=actor, initiative=initiative, name=name, reason=REASON)
        assert Initiative.objects.get(pk=initiative.pk).status == source
        assert not StatusChange.objects.exists()


def test_permission_is_checked_before_the_status(world):
    """Someone out of scope learns nothing about the state of the initiative."""
    set_status(world.cultural_houses, Status.COMPLETED)
    with pytest.raises(PermissionDenied):
        initiative_register(actor=world.duc, initiative=world.cultural_houses)


def test_unknown_action_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        initiative_transition(actor=world.root, initiative=world.digital, name="approve")
    assert list(caught.value.message_dict) == ["transition"]


@pytest.mark.parametrize("reason", ["", "   ", None])
@pytest.mark.parametrize("name", ["return", "discontinue"])
def test_return_and_discontinue_need_a_reason(world, name, reason):
    source = sorted(TRANSITIONS[name].sources)[0]
    initiative = set_status(world.cultural_houses, source)
    with pytest.raises(ValidationError) as caught:
        initiative_transition(actor=world.minh, initiative=initiative, name=name, reason=reason)
    assert list(caught.value.message_dict) == ["reason"]
    assert Initiative.objects.get(pk=initiative.pk).status == source
    assert not StatusChange.objects.exists()


def test_other_actions_record_an_optional_reason_trimmed(world):
    initiative_transition(
        actor=world.lan, initiative=world.cultural_houses, name="submit", reason="  Đủ hồ sơ  "
    )
    assert StatusChange.objects.get().reason == "Đủ hồ sơ"


def test_a_returned_registration_is_corrected_and_resubmitted(world):
    house = world.cultural_houses
    initiative_submit(actor=world.lan, initiative=house)
    initiative_return(actor=world.minh, initiative=house, reason=REASON)
    assert house.status == Status.RETURNED
    initiative_submit(actor=world.lan, initiative=house)
    initiative_register(actor=world.minh, initiative=house)
    initiative_start(actor=world.lan, initiative=house)
    initiative_complete(actor=world.minh, initiative=house)
    assert Initiative.objects.get(pk=house.pk).status == Status.COMPLETED
    trail = list(
        StatusChange.objects.filter(initiative=house).values_list(
            "transition", "from_status", "to_status", "actor__username", "reason"
        )
    )
    assert trail == [
        ("submit", "draft", "submitted", "lan", ""),
        ("return", "submitted", "returned", "minh", REASON),
        ("submit", "returned", "submitted", "lan", ""),
        ("register", "submitted", "registered", "minh", ""),
        ("start", "registered", "in_progress", "lan", ""),
        ("complete", "in_progress", "completed", "minh", ""),
    ]
    assert Initiative.objects.get(pk=house.pk).version == house.version == 7


def test_discontinued_is_final(world):
    house = set_status(world.cultural_houses, Status.IN_PROGRESS)
    initiative_discontinue(actor=world.minh, initiative=house, reason="Khu dân cư giải tỏa")
    for name in TRANSITIONS:
        with pytest.raises(ValidationError):
            initiative_transition(actor=world.root, initiative=house, name=name, reason=REASON)
    assert StatusChange.objects.get().reason == "Khu dân cư giải tỏa"


def test_a_stale_copy_cannot_apply_an_action_twice(world):
    first = Initiative.objects.get(pk=world.cultural_houses.pk)
    second = Initiative.objects.get(pk=world.cultural_houses.pk)
    initiative_submit(actor=world.lan, initiative=first)
    with pytest.raises(ValidationError) as caught:
        initiative_submit(actor=world.lan, initiative=second)
    assert list(caught.value.message_dict) == ["status"]
    assert StatusChange.objects.count() == 1


def test_system_actions_are_recorded_without_a_person(world):
    initiative_submit(actor=SYSTEM, initiative=world.railings)
    change = StatusChange.objects.get()
    assert change.actor is None


class TestAllowedTransitions:
    @pytest.mark.parametrize(
        ("status", "who", "expected"),
        [
            (Status.DRAFT, "lan", ["submit"]),
            (Status.DRAFT, "minh", []),
            (Status.DRAFT, "quan", []),
            (Status.SUBMITTED, "lan", []),
            (Status.SUBMITTED, "minh", ["register", "return"]),
            (Status.SUBMITTED, "duc", []),
            (Status.RETURNED, "lan", ["submit"]),
            (Status.RETURNED, "minh", []),
            (Status.REGISTERED, "lan", ["start", "discontinue"]),
            (Status.REGISTERED, "minh", ["start", "discontinue"]),
            (Status.REGISTERED, "tuan", []),
            (Status.IN_PROGRESS, "minh", ["complete", "discontinue"]),
            (Status.COMPLETED, "minh", []),
            (Status.DISCONTINUED, "root", []),
            (Status.SUBMITTED, "root", ["register", "return"]),
        ],
    )
    def test_per_role_and_status(self, world, status, who, expected):
        house = set_status(world.cultural_houses, status)
        names = [t.name for t in allowed_transitions(actor=getattr(world, who), initiative=house)]
        assert names == expected

    def test_every_allowed_transition_succeeds(self, world):
        for status in Status.values:
            for who in PEOPLE:
                house = set_status(world.cultural_houses, status)
                for transition in allowed_transitions(actor=getattr(world, who), initiative=house):
                    initiative_transition(
                        actor=getattr(world, who),
                        initiative=set_status(house, status),
                        name=transition.name,
                        reason=REASON,
                    )


class TestContinue:
    @pytest.fixture
    def house(self, world):
        house = set_status(world.cultural_houses, Status.COMPLETED)
        house.people_in_charge = "Bà Nguyễn Thị Lan"
        house.save()
        house.tags.create(name="nhà văn hóa")
        house.co_organisations.add(world.pc_yen_giang)
        return house

    def test_creates_a_linked_draft_for_next_year(self, world, house):
        successor = initiative_continue(actor=world.lan, initiative=house)
        assert successor.pk != house.pk
        assert successor.year == house.year + 1 == 2025
        assert successor.status == Status.DRAFT
        assert successor.registration_kind == RegistrationKind.CONTINUED
        assert successor.continued_from == house
        assert successor.code.startswith("DVK-2025-")
        assert (successor.title, successor.organisation, successor.area) == (
            house.title,
            house.organisation,
            house.area,
        )
        assert successor.people_in_charge == "Bà Nguyễn Thị Lan"
        assert [t.name for t in successor.tags.all()] == ["nhà văn hóa"]
        assert list(successor.co_organisations.all()) == [world.pc_yen_giang]
        assert list(house.continuations.all()) == [successor]

    @pytest.mark.parametrize("status", sorted(CONTINUABLE))
    def test_from_each_continuable_status(self, world, house, status):
        set_status(house, status)
        assert initiative_continue(actor=world.lan, initiative=house).continued_from == house

    @pytest.mark.parametrize(
        "status", sorted(set(Status.values) - CONTINUABLE), ids=lambda s: str(s)
    )
    def test_refused_from_other_statuses(self, world, house, status):
        set_status(house, status)
        with pytest.raises(ValidationError) as caught:
            initiative_continue(actor=world.lan, initiative=house)
        assert list(caught.value.message_dict) == ["status"]
        assert not house.continuations.exists()

    def test_refused_twice_into_the_same_year(self, world, house):
        initiative_continue(actor=world.lan, initiative=house)
        with pytest.raises(ValidationError) as caught:
            initiative_continue(actor=world.lan, initiative=house)
        assert list(caught.value.message_dict) == ["round"]
        assert house.continuations.count() == 1

    def test_into_a_round(self, world, house):
        next_round = RegistrationRoundFactory(year=2026, area=world.quang_ninh)
        successor = initiative_continue(actor=world.lan, initiative=house, round=next_round)
        assert (successor.year, successor.round) == (2026, next_round)

    @pytest.mark.parametrize("year", [2023, 2024])
    def test_refused_into_the_same_or_an_earlier_year(self, world, house, year):
        old_round = RegistrationRoundFactory(year=year, area=world.quang_ninh)
        with pytest.raises(ValidationError) as caught:
            initiative_continue(actor=world.lan, initiative=house, round=old_round)
        assert list(caught.value.message_dict) == ["round"]
        assert not house.continuations.exists()

    def test_a_reviewer_in_scope_continues(self, world, house):
        """The commission may carry a model on into the new year, as its unit may."""
        successor = initiative_continue(actor=world.minh, initiative=house)
        assert successor.continued_from == house and successor.status == Status.DRAFT
        assert successor.organisation == house.organisation

    @pytest.mark.parametrize("who", ["duc", "thu", "nga", "quan", "tuan"])
    def test_only_officers_and_reviewers_in_scope_continue(self, world, house, who):
        with pytest.raises(PermissionDenied):
            initiative_continue(actor=getattr(world, who), initiative=house)
        assert not house.continuations.exists()

    def test_the_continuation_goes_through_the_workflow_again(self, world, house):
        successor = initiative_continue(actor=world.lan, initiative=house)
        initiative_submit(actor=world.lan, initiative=successor)
        initiative_register(actor=world.minh, initiative=successor)
        assert Initiative.objects.get(pk=successor.pk).status == Status.REGISTERED
        assert Initiative.objects.get(pk=house.pk).status == Status.COMPLETED
