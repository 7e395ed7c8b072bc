"""Scoring an initiative against a province's criteria, and opening registration rounds."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from danvan.review.models import Evaluation, EvaluationScore, RegistrationRound
from danvan.review.services import evaluation_create, round_create
from tests.factories_review import CriteriaSetFactory, CriterionFactory, GradeThresholdFactory


@pytest.fixture
def criteria(world):
    """Quảng Ninh's criteria: three weighted criteria and four grades."""
    criteria_set = CriteriaSetFactory(name="Tiêu chí Dân vận khéo 2024", area=world.quang_ninh)
    effect = CriterionFactory(
        criteria_set=criteria_set, name="Hiệu quả", weight=40, max_score=10, order=1
    )
    people = CriterionFactory(
        criteria_set=criteria_set, name="Sự tham gia của nhân dân", weight=30, max_score=10, order=2
    )
    spread = CriterionFactory(
        criteria_set=criteria_set, name="Khả năng nhân rộng", weight=30, max_score=5, order=3
    )
    for min_total, grade in [(90, "Xuất sắc"), (80, "Tốt"), (65, "Khá"), (50, "Đạt")]:
        GradeThresholdFactory(criteria_set=criteria_set, min_total=min_total, grade=grade)
    return criteria_set, effect, people, spread


def evaluate(world, criteria, values, actor=None, initiative=None):
    criteria_set, *items = criteria
    return evaluation_create(
        actor=actor or world.minh,
        initiative=initiative or world.digital,
        criteria_set=criteria_set,
        scores={criterion.pk: value for criterion, value in zip(items, values, strict=True)},
        comment="  Người dân đóng góp 16 điều hòa  ",
    )


class TestTotalAndGrade:
    def test_weighted_total_out_of_100_and_grade(self, world, criteria):
        evaluation = evaluate(world, criteria, [9, 8, 4])
        # 9/10·40 + 8/10·30 + 4/5·30 = 36 + 24 + 24 = 84 of 100.
        assert evaluation.total == Decimal("84.00")
        assert evaluation.grade == "Tốt"
        assert evaluation.reviewer == world.minh
        assert evaluation.comment == "Người dân đóng góp 16 điều hòa"
        stored = {s.criterion.name: s.score for s in evaluation.scores.all()}
        assert stored == {
            "Hiệu quả": Decimal("9"),
            "Sự tham gia của nhân dân": Decimal("8"),
            "Khả năng nhân rộng": Decimal("4"),
        }

    @pytest.mark.parametrize(
        ("values", "total", "grade"),
        [
            ([10, 10, 5], "100.00", "Xuất sắc"),
            ([9, 9, Decimal("4.5")], "90.00", "Xuất sắc"),
            (["8.9", 9, Decimal("4.5")], "89.60", "Tốt"),
            ([5, 5, Decimal("2.5")], "50.00", "Đạt"),
            ([4, 5, 2], "43.00", ""),
            ([0, 0, 0], "0.00", ""),
            (["7.5", " 6 ", 3.5], "69.00", "Khá"),
        ],
    )
    def test_totals_and_thresholds(self, world, criteria, values, total, grade):
        evaluation = evaluate(world, criteria, values)
        assert evaluation.total == Decimal(total)
        assert evaluation.grade == grade

    def test_total_is_rounded_to_hundredths(self, world, criteria):
        only = CriteriaSetFactory()
        a = CriterionFactory(criteria_set=only, weight=1, max_score=3)
        b = CriterionFactory(criteria_set=only, weight=2, max_score=3)
        evaluation = evaluation_create(
            actor=world.minh,
            initiative=world.digital,
            criteria_set=only,
            scores={a.pk: 1, b.pk: 2},
        )
        # (1/3·1 + 2/3·2) / 3 · 100 = 55.555…
        assert evaluation.total == Decimal("55.56")
        assert evaluation.grade == ""

    def test_an_initiative_can_be_evaluated_again(self, world, criteria):
        evaluate(world, criteria, [5, 5, 2])
        evaluate(world, criteria, [9, 9, 5])
        assert Evaluation.objects.filter(initiative=world.digital).count() == 2


class TestBadScores:
    def test_missing_score_names_the_criterion_and_writes_nothing(self, world, criteria):
        criteria_set, effect, people, spread = criteria
        with pytest.raises(ValidationError) as caught:
            evaluation_create(
                actor=world.minh,
                initiative=world.digital,
                criteria_set=criteria_set,
                scores={effect.pk: 9, spread.pk: 4},
            )
        assert list(caught.value.message_dict) == [f"scores.{people.pk}"]
        assert not Evaluation.objects.exists()
        assert not EvaluationScore.objects.exists()

    @pytest.mark.parametrize(
        ("position", "value"),
        [
            (0, 11),
            (0, -1),
            (2, "5.01"),
            (1, "mười"),
            (1, ""),
            (1, None),
            (1, "NaN"),
            (1, "Infinity"),
            (2, [3]),
            (0, "1e3"),
        ],
    )
    def test_out_of_range_or_not_a_number_names_the_criterion(
        self, world, criteria, position, value
    ):
        values = [9, 8, 4]
        values[position] = value
        with pytest.raises(ValidationError) as caught:
            evaluate(world, criteria, values)
        assert list(caught.value.message_dict) == [f"scores.{criteria[1 + position].pk}"]
        assert not Evaluation.objects.exists()
        assert not EvaluationScore.objects.exists()

    def test_score_for_a_criterion_of_another_set_is_refused(self, world, criteria):
        criteria_set, effect, people, spread = criteria
        stranger = CriterionFactory()
        with pytest.raises(ValidationError) as caught:
            evaluation_create(
                actor=world.minh,
                initiative=world.digital,
                criteria_set=criteria_set,
                scores={effect.pk: 9, people.pk: 8, spread.pk: 4, stranger.pk: 1},
            )
        assert list(caught.value.message_dict) == ["scores"]
        assert not Evaluation.objects.exists()

    def test_a_set_without_criteria_is_refused(self, world):
        with pytest.raises(ValidationError) as caught:
            evaluation_create(
                actor=world.minh,
                initiative=world.digital,
                criteria_set=CriteriaSetFactory(),
                scores={},
            )
        assert list(caught.value.message_dict) == ["criteria_set"]

    def test_a_set_whose_weights_are_all_zero_is_refused(self, world):
        empty = CriteriaSetFactory()
        criterion = CriterionFactory(criteria_set=empty, weight=0)
        with pytest.raises(ValidationError) as caught:
            evaluation_create(
                actor=world.minh,
                initiative=world.digital,
                criteria_set=empty,
                scores={criterion.pk: 5},
            )
        assert list(caught.value.message_dict) == ["criteria_set"]
        assert not Evaluation.objects.exists()


class TestWhoEvaluates:
    @pytest.mark.parametrize("who", ["duc", "hoa", "lan", "quan", "tuan"])
    def test_only_reviewers_in_scope(self, world, criteria, who):
        with pytest.raises(PermissionDenied):
            evaluate(world, criteria, [9, 8, 4], actor=getattr(world, who))
        assert not Evaluation.objects.exists()

    def test_provincial_reviewer_evaluates_a_legacy_commune_initiative(self, world, criteria):
        criteria[0].area = world.ha_tinh
        criteria[0].save()
        evaluation = evaluate(
            world, criteria, [10, 10, 5], actor=world.hoa, initiative=world.thien_loc_roads
        )
        assert evaluation.grade == "Xuất sắc"

    def test_another_provinces_criteria_set_is_refused(self, world, criteria):
        """Hoa (Hà Tĩnh) cannot score a Hà Tĩnh model against Quảng Ninh's criteria."""
        with pytest.raises(PermissionDenied):
            evaluate(
                world, criteria, [10, 10, 5], actor=world.hoa, initiative=world.thien_loc_roads
            )
        assert not Evaluation.objects.filter(initiative=world.thien_loc_roads).exists()


class TestRounds:
    def test_reviewer_opens_a_round_in_scope(self, world):
        registration_round = round_create(
            actor=world.minh,
            year=2025,
            area=world.quang_yen,
            opens_on=datetime.date(2025, 1, 15),
            closes_on=datetime.date(2025, 3, 31),
            cutoff_on=datetime.date(2025, 11, 30),
            theme="  Dân vận khéo 2025 ",
        )
        assert registration_round.theme == "Dân vận khéo 2025"
        assert str(registration_round) == "2025 – Phường Quảng Yên"

    def test_admin_opens_a_provincial_round(self, world):
        round_create(
            actor=world.tuan,
            year=2025,
            area=world.quang_ninh,
            opens_on=datetime.date(2025, 1, 15),
            closes_on=datetime.date(2025, 3, 31),
            cutoff_on=datetime.date(2025, 11, 30),
        )
        assert RegistrationRound.objects.filter(area=world.quang_ninh).exists()

    @pytest.mark.parametrize(
        ("who", "area"),
        [
            ("minh", "quang_ninh"),
            ("hoa", "quang_ninh"),
            ("lan", "quang_yen"),
            ("quan", "quang_ninh"),
            ("tuan", None),
        ],
    )
    def test_out_of_scope_or_role_is_refused(self, world, who, area):
        with pytest.raises(PermissionDenied):
            round_create(
                actor=getattr(world, who),
                year=2025,
                area=getattr(world, area) if area else None,
                opens_on=datetime.date(2025, 1, 15),
                closes_on=datetime.date(2025, 3, 31),
                cutoff_on=datetime.date(2025, 11, 30),
            )
        assert not RegistrationRound.objects.exists()

    def test_only_superadmin_opens_a_national_round(self, world):
        assert (
            round_create(
                actor=world.root,
                year=2025,
                opens_on=datetime.date(2025, 1, 15),
                closes_on=datetime.date(2025, 3, 31),
                cutoff_on=datetime.date(2025, 11, 30),
            ).area
            is None
        )

    def test_a_round_cannot_close_before_it_opens(self, world):
        with pytest.raises(ValidationError):
            round_create(
                actor=world.tuan,
                year=2025,
                area=world.quang_ninh,
                opens_on=datetime.date(2025, 3, 31),
                closes_on=datetime.date(2025, 1, 15),
                cutoff_on=datetime.date(2025, 11, 30),
            )
        assert not RegistrationRound.objects.exists()

    def test_one_round_per_area_and_year(self, world):
        kwargs = {
            "actor": world.tuan,
            "year": 2025,
            "area": world.quang_ninh,
            "opens_on": datetime.date(2025, 1, 15),
            "closes_on": datetime.date(2025, 3, 31),
            "cutoff_on": datetime.date(2025, 11, 30),
        }
        round_create(**kwargs)
        with pytest.raises(ValidationError):
            round_create(**kwargs)
        assert RegistrationRound.objects.count() == 1


def test_a_draft_is_not_evaluated(world, criteria):
    draft = world.cultural_houses
    assert draft.status == "draft"
    with pytest.raises(ValidationError) as error:
        evaluate(world, criteria, [10, 10, 5], initiative=draft)
    assert "status" in error.value.message_dict
    assert not draft.evaluations.exists()
