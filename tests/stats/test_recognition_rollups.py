"""The recognition rollups equal the awards and evaluations after any sequence of writes: the
figures read from them (``stats.recognition``) are the ones counted from the awards and
evaluations themselves (``stats.recognition_direct``), for the country and every unit, both
boundary modes, one year, all years and ranges, any fields, and the exactness check and a
rebuild agree row for row."""

import contextlib
import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM
from danvan.initiatives import lifecycle
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_create, initiative_update
from danvan.orgs.models import OrgKind
from danvan.orgs.services import organisation_update
from danvan.review import services as review
from danvan.review.archive import ArchivedGrade, evaluations_archive
from danvan.review.models import LEVEL_ORDER, Award, AwardStage, Evaluation
from danvan.stats import recognition, recognition_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import (
    AS_WAS,
    MODES,
    AwardRollup,
    CollectiveCountRollup,
    CollectiveRollup,
    GradeRollup,
)
from danvan.stats.rebuild import rebuild_rollups
from tests.factories import UserFactory
from tests.factories_review import (
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    GradeThresholdFactory,
)
from tests.stats.test_rollups import scopes

pytestmark = pytest.mark.django_db

RECOGNITION = ("awards", "grades", "collectives", "collective_counts")
TABLES = (AwardRollup, GradeRollup, CollectiveRollup, CollectiveCountRollup)
YEARS = [(None, None), (2024, 2024), (2023, 2024), (2025, None), (None, 2023)]
FIELDS = [None, Field.ECONOMY, [Field.ECONOMY, Field.CULTURE_SOCIETY], list(Field.values), []]
STAGES = [None, ["proposed"], ["commended"], ["proposed", "nominated"], ["nowhere"]]
NAMES = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Văn Nam"]


def _decision(rng) -> dict:
    return {
        "decision_number": f"{rng.randint(1, 999)}/QĐ-UBND",
        "decision_date": datetime.date(2024, 12, rng.randint(1, 28)),
        "issuing_body": "UBND",
    }


class Commission:
    """A reviewer with every right, a title, and a criteria set with two grades."""

    def __init__(self):
        self.reviewer = UserFactory(username="recognition_reviewer", is_superuser=True)
        self.title = AwardTitleFactory()
        self.criteria = CriteriaSetFactory()
        self.criterion = CriterionFactory(criteria_set=self.criteria)
        GradeThresholdFactory(criteria_set=self.criteria, min_total=80, grade="Xuất sắc")
        GradeThresholdFactory(criteria_set=self.criteria, min_total=50, grade="Hiệu quả")


def run(seed: int, steps: int, units: dict, orgs: list, commission: Commission) -> None:
    """Random writes through the services: models registered on units of every kind, awards
    proposed, recognised, nominated and commended (to collectives and persons), evaluations
    scored and brought from an archive, models moved to another unit or field, organisations
    changing kind. Refused writes are skipped."""
    rng = random.Random(seed)
    places = list(units.values())
    actor = commission.reviewer

    def create():
        initiative = initiative_create(
            actor=SYSTEM,
            title=f"Mô hình {rng.randrange(10**6)}",
            field=rng.choice(Field.values),
            organisation=rng.choice(orgs),
            area=rng.choice(places),
            year=rng.choice([2023, 2024, 2025]),
        )
        lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="submit")
        lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="register")

    def awards(*stages):
        return list(Award.objects.filter(stage__in=stages).order_by("pk"))

    def propose(initiative):
        person = rng.random() < 0.3
        review.award_propose(
            actor=actor,
            initiative=initiative,
            title=commission.title,
            level=rng.choice(LEVEL_ORDER),
            **(
                {
                    "recipient_kind": "individual",
                    "recipient_name": rng.choice(NAMES),
                    "recipient_role": "resident",
                }
                if person
                else {}
            ),
        )

    def recognise(_initiative):
        if found := awards(AwardStage.PROPOSED):
            review.award_recognise(actor=actor, award=rng.choice(found), **_decision(rng))

    def nominate(_initiative):
        if found := awards(AwardStage.RECOGNISED):
            review.award_nominate(actor=actor, award=rng.choice(found))

    def commend(_initiative):
        if found := awards(AwardStage.PROPOSED, AwardStage.RECOGNISED):
            review.award_commend(actor=actor, award=rng.choice(found), **_decision(rng))

    def evaluate(initiative):
        review.evaluation_create(
            actor=actor,
            initiative=initiative,
            criteria_set=commission.criteria,
            scores={commission.criterion.pk: rng.randint(3, 10)},
            level=rng.choice(LEVEL_ORDER[:2]),
        )

    def archived(initiative):
        evaluations_archive(
            actor=actor,
            grades=[
                ArchivedGrade(
                    initiative=initiative,
                    level=rng.choice(LEVEL_ORDER[:2]),
                    evaluated_on=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
                    grade=rng.choice(["Tốt", "Khá"]),
                )
            ],
            reason="Hồ sơ lưu trữ",
        )

    def move(initiative):
        changes = rng.choice(
            [
                {"area": rng.choice(places)},
                {"field": rng.choice(Field.values)},
                {"area": rng.choice(places), "field": rng.choice(Field.values)},
            ]
        )
        initiative_update(actor=SYSTEM, initiative=initiative, **changes)

    def rekind(initiative):
        organisation_update(
            actor=SYSTEM, organisation=initiative.organisation, kind=rng.choice(OrgKind.values)
        )

    actions = [propose, propose, propose, recognise, recognise, nominate, commend]
    actions += [evaluate, archived, move, rekind]
    for _ in range(steps):
        ids = list(Initiative.objects.values_list("pk", flat=True))
        if not ids or rng.random() < 0.15:
            with contextlib.suppress(ValidationError, PermissionDenied):
                create()
            continue
        initiative = Initiative.objects.get(pk=rng.choice(ids))
        with contextlib.suppress(ValidationError, PermissionDenied):
            rng.choice(actions)(initiative)


def assert_recognition_matches(units) -> None:
    """Every figure from the rollups equals the one counted from the awards and evaluations."""
    for area in scopes(units):
        for mode in MODES:
            for year_from, year_to in YEARS:
                for field in FIELDS:
                    args = {
                        "area": area,
                        "mode": mode,
                        "year_from": year_from,
                        "year_to": year_to,
                        "field": field,
                    }
                    assert recognition.recognition_figures(
                        **args
                    ) == recognition_direct.recognition_figures_direct(**args), args
                    assert recognition.grade_figures(
                        **args
                    ) == recognition_direct.grade_figures_direct(**args), args
                    assert recognition.award_figures(
                        **args
                    ) == recognition_direct.award_figures_direct(**args), args
                    for stages in STAGES:
                        assert recognition.recognised_initiatives(
                            **args, stages=stages
                        ) == recognition_direct.recognised_initiatives_direct(
                            **args, stages=stages
                        ), (args, stages)


def table_state() -> dict:
    """The recognition rollups' rows that hold a figure."""
    state = {}
    for model in TABLES:
        [constraint] = model._meta.constraints
        keys = list(constraint.fields)
        measures = [
            f.name for f in model._meta.concrete_fields if f.name not in keys and not f.primary_key
        ]
        for row in model.objects.values_list(*keys, *measures):
            if any(row[len(keys) :]):
                state[(model.__name__, *row[: len(keys)])] = row[len(keys) :]
    return state


@pytest.fixture
def commission(db):
    return Commission()


@pytest.mark.parametrize("seed", [1, 2])
def test_random_writes_keep_the_recognition_rollups_equal_to_the_awards(
    seed, units, orgs, commission
):
    run(seed, 90, units, orgs, commission)
    assert Award.objects.filter(stage=AwardStage.COMMENDED).exists()
    assert Award.objects.filter(recipient_kind="individual").exclude(stage="proposed").exists()
    assert Evaluation.objects.filter(archived=True).exists()
    assert Evaluation.objects.filter(archived=False).exists()
    assert_recognition_matches(units)
    assert set(rollup_differences().values()) == {0}
    incremental = table_state()
    rebuild_rollups(only=RECOGNITION)
    assert table_state() == incremental
    rebuild_rollups(reset_nodes=True)
    assert table_state() == incremental


def test_an_organisation_recognised_in_two_years_is_one_collective(units, orgs, commission):
    """Counted once over all years and over a range, once a year in each year."""
    women = orgs[0]
    models = []
    for year in (2023, 2024):
        initiative = initiative_create(
            actor=SYSTEM,
            title=f"Nhà văn hóa {year}",
            field=Field.CULTURE_SOCIETY,
            organisation=women,
            area=women.seat_area,
            year=year,
        )
        lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="submit")
        lifecycle.initiative_transition(actor=SYSTEM, initiative=initiative, name="register")
        award = review.award_propose(
            actor=commission.reviewer,
            initiative=initiative,
            title=commission.title,
            level="district",
        )
        review.award_recognise(
            actor=commission.reviewer, award=award, **_decision(random.Random(year))
        )
        models.append(initiative)
    for year_from, year_to, models_recognised in (
        (None, None, 2),
        (2023, 2024, 2),
        (2024, 2024, 1),
    ):
        figures = recognition.recognition_figures(year_from=year_from, year_to=year_to)
        assert figures["totals"] == {
            "recognised": models_recognised,
            "collectives": 1,
            "individuals": 0,
        }
        assert figures["levels"][0]["collectives"] == 1
    # The first model's award taken back past the services, then the rollups rebuilt: still
    # one organisation, from its other year.
    Award.objects.filter(initiative=models[0]).delete()
    rebuild_rollups(only=RECOGNITION)
    assert recognition.recognition_figures()["totals"]["collectives"] == 1
    assert recognition.recognition_figures(year_from=2023, year_to=2023)["levels"] == []


def test_evaluations_without_a_level_are_counted_apart(units, orgs, commission):
    """Evaluations recorded before levels were kept (written past the services, as the data
    they came with) are counted under a blank level once the rollups are rebuilt."""
    run(3, 30, units, orgs, commission)
    initiative = Initiative.objects.order_by("pk").first()
    Evaluation.objects.create(initiative=initiative, level="", grade="Khá", archived=True)
    rebuild_rollups(only=RECOGNITION)
    grades = recognition.grade_figures()
    assert {"level": "", "grade": "Khá", "initiatives": 1} in grades
    assert grades == recognition_direct.grade_figures_direct()
    assert set(rollup_differences().values()) == {0}


def test_the_exactness_check_finds_an_award_changed_past_the_services(units, orgs, commission):
    run(4, 40, units, orgs, commission)
    assert set(rollup_differences().values()) == {0}
    model = initiative_create(
        actor=SYSTEM,
        title="Camera an ninh",
        field=Field.DEFENCE_SECURITY,
        organisation=orgs[0],
        area=orgs[0].seat_area,
        year=2024,
    )
    lifecycle.initiative_transition(actor=SYSTEM, initiative=model, name="submit")
    lifecycle.initiative_transition(actor=SYSTEM, initiative=model, name="register")
    award = review.award_propose(
        actor=commission.reviewer, initiative=model, title=commission.title, level="commune"
    )
    assert set(rollup_differences().values()) == {0}
    # The proposal commended past the services: its model would be recognised, its
    # organisation a collective of the commune level.
    Award.objects.filter(pk=award.pk).update(stage=AwardStage.COMMENDED)
    differences = rollup_differences()
    assert differences["stats_awardrollup"] > 0
    assert differences["stats_collectiverollup"] > 0
    rebuild_rollups(only=RECOGNITION)
    assert set(rollup_differences().values()) == {0}


def test_the_card_reads_a_fixed_number_of_queries(units, orgs, commission):
    """The country and a unit that ended (its organisations counted across its nodes), one
    year and all years: the same few queries whatever the number of awards."""
    from tests.stats.test_query_counts import Counted

    legacy = units["yen_giang"].parent.parent

    def counted(area, year) -> Counted:
        with CaptureQueriesContext(connection) as queries:
            args = {"area": area, "mode": AS_WAS, "year_from": year, "year_to": year}
            recognition.recognition_figures(**args)
            recognition.grade_figures(**args)
            recognition.recognised_initiatives(**args)
        found = Counted(len(queries))
        found.sql = [query["sql"] for query in queries.captured_queries]
        return found

    run(5, 20, units, orgs, commission)
    counted(legacy, None)  # a unit's lineage is cached on its first reading
    first = {(area, year): counted(area, year) for area in (None, legacy) for year in (2024, None)}
    run(6, 80, units, orgs, commission)
    for (area, year), count in first.items():
        assert counted(area, year) == count
        assert count <= (4 if area is None else 6), count


def test_a_moved_village_carries_its_models_recognition(units, orgs, commission):
    """A village moved to another commune: its recognised model is counted there at once, as
    a collective too, in both modes; the same rows as a rebuild."""
    from danvan.areas.models import AreaKind
    from danvan.areas.services import area_create, area_update

    village = area_create(
        actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=units["lien_hoa"]
    )
    model = initiative_create(
        actor=SYSTEM,
        title="Lan can chống đuối nước",
        field=Field.DEFENCE_SECURITY,
        organisation=orgs[1],
        area=village,
        year=2024,
    )
    lifecycle.initiative_transition(actor=SYSTEM, initiative=model, name="submit")
    lifecycle.initiative_transition(actor=SYSTEM, initiative=model, name="register")
    award = review.award_propose(
        actor=commission.reviewer, initiative=model, title=commission.title, level="commune"
    )
    review.award_recognise(actor=commission.reviewer, award=award, **_decision(random.Random(1)))
    review.evaluation_create(
        actor=commission.reviewer,
        initiative=model,
        criteria_set=commission.criteria,
        scores={commission.criterion.pk: 9},
        level="commune",
    )

    def collectives(area):
        return recognition.recognition_figures(area=area)["totals"]["collectives"]

    assert (collectives(units["lien_hoa"]), collectives(units["yen_giang"])) == (1, 0)
    area_update(actor=SYSTEM, area=village, parent=units["yen_giang"])
    assert (collectives(units["lien_hoa"]), collectives(units["yen_giang"])) == (0, 1)
    assert recognition.grade_figures(area=units["yen_giang"]) == [
        {"level": "commune", "grade": "Xuất sắc", "initiatives": 1}
    ]
    assert_recognition_matches(units)
    incremental = table_state()
    rebuild_rollups(reset_nodes=True)
    assert table_state() == incremental
