"""Two reviewers recognising models of one organisation at once, on a real PostgreSQL server:
the organisation is one collective, counted once (each writer's organisation row is read back
under its lock, with the other's committed change in it).

Each writer holds its transaction open between reading the figures and writing, so without the
row's lock both would see the organisation without a recognised model and count it."""

import datetime
import time

import pytest
from django.db import transaction

from danvan.core import upkeep
from danvan.initiatives.catalogues import Field, Status
from danvan.review.models import Award, AwardStage, RecipientKind
from danvan.stats.exactness import rollup_differences
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.recognition import recognition_figures
from tests.core.test_concurrency import run_together
from tests.factories import InitiativeFactory, OrganisationFactory
from tests.factories_review import AwardTitleFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_areas_restored"),
]


def slowly_recognised(pk: int) -> None:
    """Recognise a proposal as the service does, taking its time between reading and writing."""
    with transaction.atomic():
        award = Award.objects.get(pk=pk)
        before = upkeep.recognition_capture([award.initiative_id])
        time.sleep(0.3)
        Award.objects.filter(pk=pk).update(
            stage=AwardStage.RECOGNISED,
            decision_number="7/QĐ-UBND",
            decision_date=datetime.date(2024, 12, 5),
            issuing_body="UBND huyện",
        )
        upkeep.recognition_settle(before)


@pytest.mark.parametrize("years", [(2024, 2024), (2023, 2024)])
def test_two_models_of_one_organisation_recognised_at_once(years):
    organisation = OrganisationFactory()
    title = AwardTitleFactory()
    proposals = []
    for year, field in zip(years, (Field.ECONOMY, Field.CULTURE_SOCIETY), strict=True):
        model = InitiativeFactory(
            organisation=organisation, year=year, field=field, status=Status.REGISTERED
        )
        proposals.append(
            Award.objects.create(
                initiative=model,
                title=title,
                level="district",
                stage=AwardStage.PROPOSED,
                recipient_kind=RecipientKind.COLLECTIVE,
            )
        )
    rebuild_rollups()  # the factories write past the services

    assert run_together(lambda index: slowly_recognised(proposals[index].pk), 2) == [None, None]
    assert set(rollup_differences().values()) == {0}
    figures = recognition_figures()
    assert figures["totals"] == {"recognised": 2, "collectives": 1, "individuals": 0}
    assert figures["levels"][0]["collectives"] == 1
    for year in years:
        assert recognition_figures(year_from=year, year_to=year)["totals"]["collectives"] == 1
