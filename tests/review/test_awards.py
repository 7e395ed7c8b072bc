"""Recognition from proposal to commendation, exemplary initiatives, and replication."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.core.validation import ConflictError
from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import initiative_mark_exemplary, initiative_set_replication
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import replication_chain
from danvan.initiatives.services import initiative_update
from danvan.review.models import Award, AwardStage, RecognitionLevel
from danvan.review.selectors import awards_of
from danvan.review.services import award_commend, award_nominate, award_propose, award_recognise
from tests.factories import InitiativeFactory, OrganisationFactory
from tests.factories_review import AwardFormFactory, AwardTitleFactory

DECISION = {
    "decision_number": "1234/QĐ-UBND",
    "decision_date": datetime.date(2024, 12, 20),
    "issuing_body": "UBND tỉnh Quảng Ninh",
}


@pytest.fixture
def title(db):
    return AwardTitleFactory()


@pytest.fixture
def proposed(world, title):
    return award_propose(
        actor=world.minh,
        initiative=world.digital,
        title=title,
        level=RecognitionLevel.COMMUNE,
    )


class TestAwardPath:
    def test_propose(self, world, proposed, title):
        assert proposed.stage == AwardStage.PROPOSED
        assert proposed.level == RecognitionLevel.COMMUNE
        assert proposed.created_by == world.minh
        assert proposed.decision_number == ""
        assert list(awards_of(initiative=world.digital)) == [proposed]

    def test_propose_needs_a_known_level(self, world, title):
        with pytest.raises(ValidationError) as caught:
            award_propose(actor=world.minh, initiative=world.digital, title=title, level="galaxy")
        assert list(caught.value.message_dict) == ["level"]
        assert not Award.objects.exists()

    def test_full_path_proposed_recognised_nominated_commended(self, world, proposed):
        form = AwardFormFactory()
        recognised = award_recognise(actor=world.minh, award=proposed, form=form, **DECISION)
        assert recognised.stage == AwardStage.RECOGNISED
        assert (recognised.decision_number, recognised.decision_date, recognised.issuing_body) == (
            "1234/QĐ-UBND",
            datetime.date(2024, 12, 20),
            "UBND tỉnh Quảng Ninh",
        )
        assert recognised.form == form

        nomination = award_nominate(actor=world.minh, award=recognised)
        recognised.refresh_from_db()
        assert recognised.stage == AwardStage.NOMINATED
        assert recognised.nominated_to == nomination
        assert nomination.stage == AwardStage.PROPOSED
        assert nomination.level == RecognitionLevel.DISTRICT
        assert nomination.title == recognised.title
        assert nomination.initiative == world.digital

        commended = award_commend(
            actor=world.minh,
            award=nomination,
            decision_number="88/QĐ-BDV",
            decision_date=datetime.date(2025, 2, 1),
            issuing_body="Ban Dân vận Tỉnh ủy Quảng Ninh",
        )
        commended.refresh_from_db()
        assert commended.stage == AwardStage.COMMENDED
        assert commended.decision_number == "88/QĐ-BDV"
        assert Award.objects.filter(initiative=world.digital).count() == 2

    def test_commend_after_recognition(self, world, proposed):
        award_recognise(actor=world.minh, award=proposed, **DECISION)
        award_commend(actor=world.minh, award=proposed, **DECISION)
        proposed.refresh_from_db()
        assert proposed.stage == AwardStage.COMMENDED

    def test_nomination_climbs_every_level_to_central_and_stops(self, world, proposed):
        award, levels = proposed, [proposed.level]
        while True:
            award_recognise(actor=world.root, award=award, **DECISION)
            if award.level == RecognitionLevel.CENTRAL:
                break
            award = award_nominate(actor=world.root, award=award)
            levels.append(award.level)
        assert levels == ["commune", "district", "province", "central"]
        with pytest.raises(ValidationError) as caught:
            award_nominate(actor=world.root, award=award)
        assert list(caught.value.message_dict) == ["level"]
        assert Award.objects.count() == 4

    @pytest.mark.parametrize("missing", ["decision_number", "issuing_body", "decision_date"])
    @pytest.mark.parametrize("blank", [None, "", "   "])
    def test_recognition_needs_the_decision(self, world, proposed, missing, blank):
        decision = {**DECISION, missing: blank}
        with pytest.raises(ValidationError) as caught:
            award_recognise(actor=world.minh, award=proposed, **decision)
        assert list(caught.value.message_dict) == [missing]
        proposed.refresh_from_db()
        assert proposed.stage == AwardStage.PROPOSED
        assert proposed.decision_number == ""

    @pytest.mark.parametrize("date", ["20/12/2024", "2024-12-20", 20241220])
    def test_recognition_date_must_be_a_date(self, world, proposed, date):
        with pytest.raises(ValidationError) as caught:
            award_recognise(actor=world.minh, award=proposed, **{**DECISION, "decision_date": date})
        assert list(caught.value.message_dict) == ["decision_date"]
        proposed.refresh_from_db()
        assert proposed.stage == AwardStage.PROPOSED

    def test_recognising_twice_is_refused(self, world, proposed):
        award_recognise(actor=world.minh, award=proposed, **DECISION)
        with pytest.raises(ValidationError) as caught:
            award_recognise(actor=world.minh, award=proposed, **DECISION)
        assert list(caught.value.message_dict) == ["stage"]

    def test_nominating_before_recognition_is_refused(self, world, proposed):
        with pytest.raises(ValidationError) as caught:
            award_nominate(actor=world.minh, award=proposed)
        assert list(caught.value.message_dict) == ["stage"]
        assert Award.objects.count() == 1

    def test_nothing_after_nomination_or_commendation(self, world, proposed):
        award_recognise(actor=world.minh, award=proposed, **DECISION)
        award_nominate(actor=world.minh, award=proposed)
        for step in (award_recognise, award_commend):
            with pytest.raises(ValidationError) as caught:
                step(actor=world.minh, award=proposed, **DECISION)
            assert list(caught.value.message_dict) == ["stage"]
        with pytest.raises(ValidationError):
            award_nominate(actor=world.minh, award=proposed)
        assert Award.objects.count() == 2

    def test_commended_is_final(self, world, proposed):
        award_commend(actor=world.minh, award=proposed, **DECISION)
        with pytest.raises(ValidationError):
            award_commend(actor=world.minh, award=proposed, **DECISION)
        with pytest.raises(ValidationError):
            award_nominate(actor=world.minh, award=proposed)
        with pytest.raises(ValidationError):
            award_recognise(actor=world.minh, award=proposed, **DECISION)

    def test_commending_a_proposal_needs_the_decision_too(self, world, proposed):
        with pytest.raises(ValidationError) as caught:
            award_commend(actor=world.minh, award=proposed, **{**DECISION, "decision_number": ""})
        assert list(caught.value.message_dict) == ["decision_number"]
        proposed.refresh_from_db()
        assert proposed.stage == AwardStage.PROPOSED

    @pytest.mark.parametrize("who", ["duc", "hoa", "thu", "quan", "tuan"])
    def test_only_reviewers_in_scope_propose_and_decide(self, world, title, proposed, who):
        actor = getattr(world, who)
        with pytest.raises(PermissionDenied):
            award_propose(
                actor=actor, initiative=world.digital, title=title, level=RecognitionLevel.COMMUNE
            )
        with pytest.raises(PermissionDenied):
            award_recognise(actor=actor, award=proposed, **DECISION)
        with pytest.raises(PermissionDenied):
            award_commend(actor=actor, award=proposed, **DECISION)
        award_recognise(actor=world.minh, award=proposed, **DECISION)
        with pytest.raises(PermissionDenied):
            award_nominate(actor=actor, award=proposed)
        assert Award.objects.count() == 1


class TestExemplary:
    def test_reviewer_marks_and_unmarks(self, world):
        version = world.digital.version
        initiative_mark_exemplary(actor=world.minh, initiative=world.digital)
        assert Initiative.objects.exemplary().get() == world.digital
        assert Initiative.objects.get(pk=world.digital.pk).version == version + 1
        initiative_mark_exemplary(actor=world.minh, initiative=world.digital, exemplary=False)
        assert not Initiative.objects.exemplary().exists()
        reasons = [r.history_change_reason for r in world.digital.history.order_by("history_id")]
        assert reasons[-2:] == ["Marked exemplary", "Exemplary mark removed"]

    @pytest.mark.parametrize("who", ["lan", "thu", "duc", "hoa", "quan", "tuan"])
    def test_others_cannot(self, world, who):
        with pytest.raises(PermissionDenied):
            initiative_mark_exemplary(actor=getattr(world, who), initiative=world.digital)
        assert not Initiative.objects.exemplary().exists()


@pytest.fixture
def showcased(world):
    """Yên Giang's cultural-house model, registered and exemplary: anyone may replicate it."""
    Initiative.objects.filter(pk=world.cultural_houses.pk).update(
        status=Status.REGISTERED, exemplary=True
    )
    world.cultural_houses.refresh_from_db()
    return world.cultural_houses


@pytest.mark.usefixtures("showcased")
class TestReplication:
    def test_a_source_the_actor_cannot_see_is_refused_as_missing(self, world):
        """Đức (Hà An) cannot point at Yên Giang's digital model: not his, not public."""
        with pytest.raises(ValidationError) as caught:
            initiative_set_replication(
                actor=world.duc, initiative=world.railings, source=world.digital
            )
        assert caught.value.message_dict == {
            "replicated_from": ["There is no initiative with this code."]
        }
        world.railings.refresh_from_db()
        assert world.railings.replicated_from is None

    def test_a_stale_copy_cannot_move_the_version_back(self, world):
        """Marking exemplary or setting a replication on a copy read before another save
        keeps the newer version and facts, and an expected version that is stale is refused."""
        stale = Initiative.objects.get(pk=world.railings.pk)
        fresh = Initiative.objects.get(pk=world.railings.pk)
        initiative_update(actor=world.root, initiative=fresh, title="Lan can chống đuối nước mới")
        initiative_set_replication(actor=world.duc, initiative=stale, source=world.cultural_houses)
        stored = Initiative.objects.get(pk=world.railings.pk)
        assert stored.title == "Lan can chống đuối nước mới"
        assert stored.version == fresh.version + 1 == stale.version
        initiative_mark_exemplary(actor=world.root, initiative=stale)
        assert Initiative.objects.get(pk=world.railings.pk).version == stored.version + 1
        with pytest.raises(ConflictError):
            initiative_mark_exemplary(
                actor=world.root, initiative=stale, exemplary=False, expected_version=1
            )
        assert Initiative.objects.get(pk=world.railings.pk).exemplary

    def test_chain_both_ways_and_built_versus_replicated(self, world):
        """Yên Giang's cultural-house model is copied to Hà An, then from Hà An to Can Lộc."""
        origin = world.cultural_houses
        copy = world.railings
        second = world.thien_loc_roads
        initiative_set_replication(actor=world.duc, initiative=copy, source=origin)
        initiative_set_replication(actor=world.root, initiative=second, source=copy)
        assert replication_chain(initiative=second) == {
            "ancestors": [copy, origin],
            "descendants": [],
        }
        assert replication_chain(initiative=origin) == {
            "ancestors": [],
            "descendants": [copy, second],
        }
        assert replication_chain(initiative=copy) == {
            "ancestors": [origin],
            "descendants": [second],
        }
        assert set(Initiative.objects.replicated()) == {copy, second}
        assert set(Initiative.objects.built()) == {origin, world.digital}
        assert Initiative.objects.built().count() + Initiative.objects.replicated().count() == 4

    def test_branches_are_all_descendants(self, world):
        a = initiative_set_replication(
            actor=world.duc, initiative=world.railings, source=world.cultural_houses
        )
        b = initiative_set_replication(
            actor=world.root, initiative=world.thien_loc_roads, source=world.cultural_houses
        )
        chain = replication_chain(initiative=world.cultural_houses)
        assert set(chain["descendants"]) == {a, b}

    def test_clearing_the_source(self, world):
        initiative_set_replication(
            actor=world.duc, initiative=world.railings, source=world.cultural_houses
        )
        initiative_set_replication(actor=world.duc, initiative=world.railings, source=None)
        assert not Initiative.objects.replicated().exists()

    def test_officer_records_their_own_replication(self, world):
        initiative_set_replication(
            actor=world.nga, initiative=world.thien_loc_roads, source=world.cultural_houses
        )
        assert Initiative.objects.get(pk=world.thien_loc_roads.pk).replicated_from_id == (
            world.cultural_houses.pk
        )

    def test_self_replication_is_refused(self, world):
        with pytest.raises(ValidationError) as caught:
            initiative_set_replication(
                actor=world.minh, initiative=world.digital, source=world.digital
            )
        assert list(caught.value.message_dict) == ["replicated_from"]

    def test_same_place_and_same_unit_is_not_a_replication(self, world):
        twin = InitiativeFactory(organisation=world.pc_yen_giang, area=world.yen_giang)
        with pytest.raises(ValidationError) as caught:
            initiative_set_replication(actor=world.minh, initiative=twin, source=world.digital)
        assert list(caught.value.message_dict) == ["replicated_from"]
        # Another unit in the same ward may replicate it.
        neighbour = InitiativeFactory(
            organisation=OrganisationFactory(seat_area=world.yen_giang), area=world.yen_giang
        )
        initiative_set_replication(actor=world.minh, initiative=neighbour, source=world.digital)

    @pytest.mark.parametrize("length", [2, 3, 5])
    def test_loops_are_refused(self, world, length):
        chain = [world.cultural_houses] + [
            InitiativeFactory(area=world.ha_an) for _ in range(length - 1)
        ]
        for source, copy in itertools.pairwise(chain):
            initiative_set_replication(actor=world.root, initiative=copy, source=source)
        with pytest.raises(ValidationError) as caught:
            initiative_set_replication(actor=world.root, initiative=chain[0], source=chain[-1])
        assert list(caught.value.message_dict) == ["replicated_from"]
        assert Initiative.objects.get(pk=chain[0].pk).replicated_from is None
        assert replication_chain(initiative=chain[0])["descendants"] == chain[1:]

    @pytest.mark.parametrize("who", ["minh", "lan", "quan", "tuan", "hoa"])
    def test_only_reviewers_and_officers_in_scope(self, world, who):
        with pytest.raises(PermissionDenied):
            initiative_set_replication(
                actor=getattr(world, who), initiative=world.railings, source=world.digital
            )
        assert not Initiative.objects.replicated().exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "discontinued"])
def test_only_accepted_initiatives_are_honoured(world, title, status):
    world.railings.status = status
    world.railings.save()
    with pytest.raises(ValidationError) as error:
        award_propose(
            actor=world.duc,
            initiative=world.railings,
            title=title,
            level=RecognitionLevel.COMMUNE,
        )
    assert "status" in error.value.message_dict
    assert not Award.objects.filter(initiative=world.railings).exists()


def test_commending_a_recognised_award_records_the_commendation(world, proposed):
    award_recognise(
        actor=world.minh,
        award=proposed,
        decision_number="123/QĐ-UBND",
        decision_date=datetime.date(2024, 10, 1),
        issuing_body="UBND tỉnh Quảng Ninh",
    )
    award_commend(
        actor=world.minh,
        award=proposed,
        decision_number="45/QĐ-BDVTW",
        decision_date=datetime.date(2024, 12, 20),
        issuing_body="Ban Dân vận Trung ương",
    )
    proposed.refresh_from_db()
    assert (proposed.stage, proposed.decision_number, proposed.issuing_body) == (
        "commended",
        "45/QĐ-BDVTW",
        "Ban Dân vận Trung ương",
    )
    assert proposed.history.filter(decision_number="123/QĐ-UBND").exists()
