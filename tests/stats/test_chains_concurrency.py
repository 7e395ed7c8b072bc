"""Concurrent writers of a model and of its continuations, on a real PostgreSQL server: the
chain rows stay exact (each writer's rows moved from the state the other one left).

Each writer holds its transaction open between reading the figures and writing, so without the
locks both would read the other's old state."""

import time

import pytest
from django.db import transaction

from danvan.accounts.scope import SYSTEM
from danvan.core import upkeep
from danvan.initiatives.catalogues import Field, RegistrationKind, Status
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_create
from danvan.stats.exactness import rollup_differences
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import cumulative_since
from tests.core.test_concurrency import run_together
from tests.factories import InitiativeFactory, OrganisationFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_areas_restored"),
]


def slowly(pk: int, **changes) -> None:
    """Change an initiative as a service does, taking its time between reading and writing."""
    with transaction.atomic():
        before = upkeep.capture([pk])
        time.sleep(0.3)
        Initiative.objects.filter(pk=pk).update(**changes)
        upkeep.settle(before)


@pytest.fixture
def chain():
    """A model registered in 2023, continued in 2024 and 2025."""
    organisation = OrganisationFactory()
    first = InitiativeFactory(organisation=organisation, year=2023, status=Status.REGISTERED)
    found = [first]
    for year in (2024, 2025):
        found.append(
            InitiativeFactory(
                organisation=organisation,
                year=year,
                status=Status.REGISTERED,
                continued_from=found[-1],
                registration_kind=RegistrationKind.CONTINUED,
            )
        )
    rebuild_rollups()  # the factory writes past the services
    return found


def test_a_model_and_its_continuation_changed_at_once(chain):
    def work(index: int) -> None:
        if index == 0:
            slowly(chain[1].pk, field=Field.CULTURE_SOCIETY, exemplary=True)
        else:
            slowly(chain[2].pk, field=Field.PARTY_BUILDING, exemplary=True)

    assert run_together(work, 2) == [None, None]
    assert rollup_differences()["stats_chainrollup"] == 0
    assert cumulative_since(2023, field=Field.CULTURE_SOCIETY)["total"]["initiatives"] == 1
    assert cumulative_since(2023)["total"]["initiatives"] == 1
    assert cumulative_since(2024)["total"]["exemplary"] == 1


def test_a_continuation_linked_to_a_model_being_changed(chain):
    other = InitiativeFactory(organisation=chain[0].organisation, year=2025)
    rebuild_rollups()

    def work(index: int) -> None:
        if index == 0:
            slowly(chain[0].pk, field=Field.CULTURE_SOCIETY, status=Status.COMPLETED)
        elif index == 1:
            time.sleep(0.1)  # once the model's writer holds it
            slowly(other.pk, continued_from=chain[0], registration_kind=RegistrationKind.CONTINUED)
        else:
            time.sleep(0.1)
            initiative_create(
                actor=SYSTEM,
                title="Tiếp nối",
                field=Field.ECONOMY,
                organisation=chain[0].organisation,
                area=chain[0].area,
                year=2024,
                continued_from=chain[0],
            )

    assert run_together(work, 3) == [None, None, None]
    assert rollup_differences()["stats_chainrollup"] == 0
