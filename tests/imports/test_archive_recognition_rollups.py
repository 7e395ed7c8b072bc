"""An archive's awards and grades, written in bulk, move the recognition rollups as the review
services would, and its rollback takes them out again: the figures read from the rollups equal
the ones counted from the awards and evaluations at every step."""

import pytest

from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.review.models import Award, Evaluation
from danvan.stats import recognition, recognition_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import MODES
from tests.imports import test_archive_evaluations as graded
from tests.imports import test_archive_import as sheets
from tests.imports.conftest import issues_of

pytestmark = pytest.mark.django_db

archivist = sheets.archivist
award_title = sheets.award_title
RECOGNITION_TABLES = (
    "stats_awardrollup",
    "stats_graderollup",
    "stats_collectiverollup",
    "stats_collectivecountrollup",
)


def assert_exact(world) -> None:
    differences = rollup_differences()
    assert {table: differences[table] for table in RECOGNITION_TABLES} == dict.fromkeys(
        RECOGNITION_TABLES, 0
    )
    for area in (None, world.ha_tinh, world.thien_loc_roads.area):
        for mode in MODES:
            for years in ({}, {"year_from": 2016, "year_to": 2016}, {"year_from": 2015}):
                args = {"area": area, "mode": mode, **years}
                assert recognition.recognition_figures(
                    **args
                ) == recognition_direct.recognition_figures_direct(**args), args
                assert recognition.grade_figures(**args) == recognition_direct.grade_figures_direct(
                    **args
                ), args
                assert recognition.award_figures(**args) == recognition_direct.award_figures_direct(
                    **args
                ), args
                assert recognition.recognised_initiatives(
                    **args
                ) == recognition_direct.recognised_initiatives_direct(**args), args


def test_an_archive_and_its_rollback_keep_the_recognition_rollups_exact(
    world, archivist, upload, apply, award_title
):
    content = graded.archive_with_grades(world, graded.grades(world))
    batch = apply(archivist, upload(archivist, "initiatives", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert Award.objects.count() == 5 and Evaluation.objects.count() == 3
    figures = recognition.recognition_figures(area=world.ha_tinh)
    # The 2016 roads recognised by the district and the province, the 2015 roads by the
    # commune (nominated on), a person by the commune in 2017: two models, one organisation.
    assert figures["totals"] == {"recognised": 2, "collectives": 1, "individuals": 1}
    assert_exact(world)

    batch_rollback(actor=world.root, batch=batch)
    assert not Award.objects.exists() and not Evaluation.objects.exists()
    assert recognition.recognition_figures(area=world.ha_tinh) == {
        "levels": [],
        "totals": {"recognised": 0, "collectives": 0, "individuals": 0},
        "by_org_kind": [],
    }
    assert recognition.grade_figures(area=world.ha_tinh) == []
    assert_exact(world)
