"""Criteria sets: written by a province's commission, copied from last year, edited only until an
evaluation uses them; an evaluation only scores with a set of the initiative's round/province."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Initiative
from danvan.review.criteria import (
    CriterionSpec,
    ThresholdSpec,
    criteria_set_copy,
    criteria_set_create,
    criteria_set_update,
)
from danvan.review.models import CriteriaSet, Evaluation
from danvan.review.services import evaluation_create
from tests.factories_review import (
    CriteriaSetFactory,
    CriterionFactory,
    RegistrationRoundFactory,
)

CRITERIA = [
    CriterionSpec("Hiệu quả", "40", "10"),
    CriterionSpec("Sự tham gia của nhân dân", "60", "10"),
]
GRADES = [ThresholdSpec("90", "Xuất sắc"), ThresholdSpec("70", "Tốt")]


@pytest.fixture
def rounds(world):
    last = RegistrationRoundFactory(year=2024, area=world.quang_ninh)
    this = RegistrationRoundFactory(year=2025, area=world.quang_ninh)
    return last, this


def make(world, **overrides):
    values = {
        "actor": world.tuan,
        "name": "Tiêu chí Dân vận khéo Quảng Ninh",
        "area": world.quang_ninh,
        "criteria": CRITERIA,
        "thresholds": GRADES,
        **overrides,
    }
    return criteria_set_create(**values)


class TestCreate:
    def test_writes_the_set_with_its_criteria_in_order_and_its_grades(self, world, rounds):
        criteria_set = make(world, round=rounds[1])
        assert [(c.name, c.weight, c.order) for c in criteria_set.criteria.all()] == [
            ("Hiệu quả", Decimal("40"), 0),
            ("Sự tham gia của nhân dân", Decimal("60"), 1),
        ]
        assert [t.grade for t in criteria_set.thresholds.all()] == ["Xuất sắc", "Tốt"]
        assert criteria_set.history.count() == 1

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": "  "}, "name"),
            ({"criteria": []}, "criteria"),
            ({"criteria": [CriterionSpec("", "1", "10")]}, "criteria.0.name"),
            ({"criteria": [CriterionSpec("A", "-1", "10")]}, "criteria.0.weight"),
            ({"criteria": [CriterionSpec("A", "1", "0")]}, "criteria.0.max_score"),
            ({"criteria": [CriterionSpec("A", "x", "10")]}, "criteria.0.weight"),
            ({"criteria": [CriterionSpec("A", "0", "10")]}, "criteria"),
            (
                {"criteria": [CriterionSpec("A", "1", "10"), CriterionSpec("a", "1", "5")]},
                "criteria.1.name",
            ),
            ({"thresholds": [ThresholdSpec("120", "Xuất sắc")]}, "thresholds.0.min_total"),
            ({"thresholds": [ThresholdSpec("50", "")]}, "thresholds.0.grade"),
            (
                {"thresholds": [ThresholdSpec("50", "Đạt"), ThresholdSpec("50", "Khá")]},
                "thresholds.1.min_total",
            ),
        ],
        ids=[
            "blank-name",
            "no-criteria",
            "unnamed-criterion",
            "negative-weight",
            "zero-maximum",
            "text-weight",
            "no-weight-at-all",
            "same-name-twice",
            "threshold-over-100",
            "unnamed-grade",
            "two-grades-same-total",
        ],
    )
    def test_refuses_bad_input_and_writes_nothing(self, world, overrides, field):
        with pytest.raises(ValidationError) as caught:
            make(world, **overrides)
        assert field in caught.value.message_dict
        assert not CriteriaSet.objects.exists()

    @pytest.mark.parametrize("who", ["lan", "quan", "hoa"], ids=["officer", "viewer", "other"])
    def test_only_the_provinces_reviewers_and_administrators_write_its_sets(self, world, who):
        with pytest.raises(PermissionDenied):
            make(world, actor=getattr(world, who))
        assert not CriteriaSet.objects.exists()

    def test_a_set_cannot_take_another_provinces_round(self, world):
        foreign = RegistrationRoundFactory(year=2025, area=world.ha_tinh)
        with pytest.raises(PermissionDenied):
            make(world, round=foreign)


class TestCopyAndEdit:
    def test_copies_last_years_set_into_this_years_round(self, world, rounds):
        last_year = make(world, round=rounds[0], name="Tiêu chí 2024")
        copy = criteria_set_copy(actor=world.tuan, source=last_year, round=rounds[1])
        assert copy.pk != last_year.pk and copy.round == rounds[1] and copy.area == world.quang_ninh
        assert copy.name == "Tiêu chí 2024 (2025)"
        assert [c.name for c in copy.criteria.all()] == [c.name for c in last_year.criteria.all()]
        assert [t.grade for t in copy.thresholds.all()] == ["Xuất sắc", "Tốt"]

    def test_edits_an_unused_set(self, world, rounds):
        criteria_set = make(world, round=rounds[1])
        criteria_set_update(
            actor=world.tuan,
            criteria_set=criteria_set,
            name="Tiêu chí 2025 (sửa)",
            round=rounds[1],
            criteria=[CriterionSpec("Hiệu quả", "1", "5")],
            thresholds=[],
        )
        criteria_set.refresh_from_db()
        assert criteria_set.name == "Tiêu chí 2025 (sửa)"
        assert [(c.name, c.max_score) for c in criteria_set.criteria.all()] == [
            ("Hiệu quả", Decimal("5"))
        ]
        assert not criteria_set.thresholds.exists()

    def test_refuses_to_edit_a_set_already_used(self, world, rounds):
        criteria_set = make(world)
        criterion = criteria_set.criteria.first()
        scores = {c.pk: 8 for c in criteria_set.criteria.all()}
        evaluation_create(
            actor=world.minh, initiative=world.digital, criteria_set=criteria_set, scores=scores
        )
        with pytest.raises(ValidationError) as caught:
            criteria_set_update(
                actor=world.tuan,
                criteria_set=criteria_set,
                name="Đổi",
                round=None,
                criteria=[CriterionSpec("Hiệu quả", "1", "100")],
            )
        assert "already been used" in caught.value.messages[0]
        criterion.refresh_from_db()
        assert criterion.max_score == Decimal("10")


class TestEvaluationUsesItsOwnSet:
    """Before: any set was accepted, a national one, another round's, a sibling unit's."""

    def scores(self, criteria_set):
        return {c.pk: 5 for c in criteria_set.criteria.all()}

    def test_a_set_of_another_round_is_refused_once_the_round_has_its_own(self, world, rounds):
        last, this = rounds
        Initiative.objects.filter(pk=world.digital.pk).update(round=this, year=2025)
        world.digital.refresh_from_db()
        own = CriteriaSetFactory(area=world.quang_ninh, round=this)
        CriterionFactory(criteria_set=own, max_score=10, weight=1)
        old = CriteriaSetFactory(area=world.quang_ninh, round=last)
        CriterionFactory(criteria_set=old, max_score=10, weight=1)
        national = CriteriaSetFactory(area=None)
        CriterionFactory(criteria_set=national, max_score=10, weight=1)
        for wrong in (old, national):
            with pytest.raises(ValidationError) as caught:
                evaluation_create(
                    actor=world.minh,
                    initiative=world.digital,
                    criteria_set=wrong,
                    scores=self.scores(wrong),
                )
            assert list(caught.value.message_dict) == ["criteria_set"]
        assert not Evaluation.objects.exists()
        evaluation_create(
            actor=world.minh, initiative=world.digital, criteria_set=own, scores=self.scores(own)
        )
        assert Evaluation.objects.get().criteria_set == own

    def test_a_later_rounds_set_is_refused(self, world, rounds):
        later = RegistrationRoundFactory(year=2030, area=world.quang_ninh)
        criteria_set = CriteriaSetFactory(area=world.quang_ninh, round=later)
        CriterionFactory(criteria_set=criteria_set, max_score=10, weight=1)
        with pytest.raises(ValidationError):
            evaluation_create(
                actor=world.minh,
                initiative=world.digital,
                criteria_set=criteria_set,
                scores=self.scores(criteria_set),
            )

    def test_a_sibling_units_set_is_refused(self, world):
        """Hà An's own set is not Quảng Yên's, though both lie in Quảng Ninh."""
        Initiative.objects.filter(pk=world.digital.pk).update(status=Status.COMPLETED)
        criteria_set = CriteriaSetFactory(area=world.ha_an)
        CriterionFactory(criteria_set=criteria_set, max_score=10, weight=1)
        with pytest.raises(ValidationError):
            evaluation_create(
                actor=world.minh,
                initiative=world.digital,
                criteria_set=criteria_set,
                scores=self.scores(criteria_set),
            )
