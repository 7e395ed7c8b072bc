"""Rolling back an archive import that brought awards: what it brought goes (the models, their
archive steps, the awards, each with its history), what it moved along gets its earlier version
back, and it is refused, naming the models, when anything was done to them since."""

import pytest
from django.core.exceptions import ValidationError

from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.initiatives.models import Initiative, StatusChange
from danvan.review.models import Award, AwardStage
from danvan.review.services import award_commend, award_nominate, award_propose
from danvan.stats.recognition import recognition_figures
from tests.imports import test_archive_import as sheets
from tests.imports.conftest import issues_of

pytestmark = pytest.mark.django_db

# The archive's people and catalogue, as the archive's own tests have them.
archivist = sheets.archivist
award_title = sheets.award_title
archive_with_awards, the_awards = sheets.archive_with_awards, sheets.the_awards


def _applied(world, archivist, upload, apply, rows):
    batch = apply(archivist, upload(archivist, "initiatives", archive_with_awards(world, rows)))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    return batch


def _roads(year: int) -> Initiative:
    return Initiative.objects.get(title_folded="duong hoa nong thon moi", year=year)


def test_rolling_back_an_archive_removes_its_models_steps_and_awards(
    world, archivist, upload, apply, award_title
):
    # An award already proposed for a model of this year, which the archive recognises.
    existing = award_propose(
        actor=world.hoa, initiative=world.thien_loc_roads, title=award_title, level="commune"
    )
    rows = [
        *the_awards(world),
        [world.thien_loc_roads.code, "", "", "commune", "recognised", "exemplary_model",
         "9/QĐ-UBND", "12/12/2024", "UBND xã Thiên Lộc", "", "", ""],
    ]  # fmt: skip
    models_before = Initiative.objects.count()
    batch = _applied(world, archivist, upload, apply, rows)
    assert Award.objects.count() == 1 + 5  # the district award nominated to the province
    existing.refresh_from_db()
    assert existing.stage == AwardStage.RECOGNISED

    batch_rollback(actor=world.root, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert Initiative.objects.count() == models_before
    assert not StatusChange.objects.filter(reason=f"import #{batch.pk}").exists()
    # The awards it created are gone, the one it recognised is a proposal again.
    assert list(Award.objects.all()) == [existing]
    existing.refresh_from_db()
    assert (existing.stage, existing.decision_number) == (AwardStage.PROPOSED, "")
    # Each with a history row naming the rollback, as the models'.
    cause = f"rollback of import #{batch.pk}"
    undone = Award.history.filter(history_change_reason=cause)
    assert sorted(undone.values_list("history_type", flat=True)) == ["-"] * 5 + ["~"]
    assert Initiative.history.filter(history_change_reason=cause, history_type="-").count() == 5
    assert recognition_figures(area=world.ha_tinh)["totals"]["recognised"] == 0


@pytest.mark.parametrize("later", ["nominated", "commended", "new-award"])
def test_an_archive_rollback_is_refused_naming_the_models_worked_on_since(
    world, archivist, upload, apply, award_title, later
):
    batch = _applied(world, archivist, upload, apply, the_awards(world))
    roads = _roads(2017)
    person_award = Award.objects.get(initiative=roads)
    if later == "nominated":
        award_nominate(actor=world.hoa, award=person_award)
    elif later == "commended":
        award_commend(
            actor=world.hoa,
            award=person_award,
            decision_number="1/QĐ",
            decision_date=person_award.decision_date,
            issuing_body="UBND tỉnh",
        )
    else:
        award_propose(actor=world.hoa, initiative=_roads(2015), title=award_title, level="province")
        roads = _roads(2015)
    awards, models = Award.objects.count(), Initiative.objects.count()

    with pytest.raises(ValidationError) as refused:
        batch_rollback(actor=world.root, batch=batch)
    assert roads.code in str(refused.value)
    assert "changed after the import" in str(refused.value)
    # Nothing was undone.
    assert (Award.objects.count(), Initiative.objects.count()) == (awards, models)
    assert StatusChange.objects.filter(reason=f"import #{batch.pk}").count() == 5


def test_an_archive_without_awards_rolls_back_too(world, archivist, upload, apply):
    """Its own archive steps and the links between its own models no longer stop it."""
    models_before = Initiative.objects.count()
    batch = apply(archivist, upload(archivist, "initiatives", sheets.archive(world)))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    batch_rollback(actor=world.root, batch=batch)
    assert Initiative.objects.count() == models_before
    assert not StatusChange.objects.filter(reason=f"import #{batch.pk}").exists()
