"""The upkeep deferred (``DANVAN_STATS_UPKEEP=deferred``): a save appends its entry to the
pending list, the rollups take it in right after the commit, and every other writer of the
same initiatives takes the pending entries into account, so the rollups stay exact.

These run real transactions on a real PostgreSQL server (the deferral exists only there),
with ``transactional_db``, which empties the database after each test; the module puts the
official units back at its end."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import AreaKind
from danvan.areas.services import area_update
from danvan.core import upkeep
from danvan.initiatives.bulk import contributions_bulk_add
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.initiatives.models import Contribution
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    initiative_create,
    initiative_update,
)
from danvan.stats import rollups
from danvan.stats.exactness import rollup_differences
from danvan.stats.models import AS_WAS, NATIONAL, RESTATED, PendingEntry, SummaryRollup
from danvan.stats.rebuild import rebuild_rollups
from tests.core.test_concurrency import run_together
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_areas_restored"),
]


@pytest.fixture
def deferred(settings):
    settings.STATS_UPKEEP = "deferred"


@pytest.fixture
def no_fold(monkeypatch):
    """Saves leave their entries pending (as when the fold after a commit was cut short)."""
    monkeypatch.setattr(rollups, "fold_soon", lambda: None)


@pytest.fixture
def place():
    """Tỉnh Hoa Ban > Xã Mường Lay > Bản Na Lay, and a second commune, Xã Pa Ham."""
    province = AreaFactory(name="Tỉnh Hoa Ban", kind=AreaKind.PROVINCE)
    commune = AreaFactory(name="Xã Mường Lay", parent=province)
    other = AreaFactory(name="Xã Pa Ham", parent=province)
    village = AreaFactory(name="Bản Na Lay", kind=AreaKind.VILLAGE, parent=commune)
    return {"province": province, "commune": commune, "other": other, "village": village}


def model(place, title="Đường bê tông bản Na Lay", area="village"):
    organisation = OrganisationFactory(name="Hội Nông dân xã Mường Lay", seat_area=place[area])
    return initiative_create(
        actor=SYSTEM,
        title=title,
        field=Field.ECONOMY,
        organisation=organisation,
        area=place[area],
        year=2025,
    )


def give(initiative, amount=5_000_000, *, households=4, day=12):
    return contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=datetime.date(2025, 3, day),
        kind=ContributionKind.MONEY,
        amount=amount,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=households,
    )


def national(measure="money", mode=AS_WAS) -> int:
    """What the rollups hold for the country, read straight from the summary rows."""
    total = SummaryRollup.objects.filter(mode=mode, area_id=NATIONAL).aggregate(total=Sum(measure))[
        "total"
    ]
    return total or 0


def exact() -> bool:
    return not any(rollup_differences().values())


def test_a_save_is_pending_inside_its_transaction_and_folded_at_its_commit(deferred, place):
    """Khánh, the commune officer, saves a gift of 5 million: until the save commits the
    rollups do not hold it and the list does; after it, the rollups hold it and the list is
    empty."""
    road = model(place)
    with transaction.atomic():
        entry = give(road)
        assert list(PendingEntry.objects.values_list("contribution_id", flat=True)) == [entry.pk]
        assert national() == 0
    assert not PendingEntry.objects.exists()
    assert national() == 5_000_000
    assert national("households") == 4
    assert national("households", RESTATED) == 4
    assert exact()


def test_a_correction_is_deferred_too(deferred, place):
    road = model(place)
    entry = give(road, 5_000_000)
    contribution_correct(actor=SYSTEM, entry=entry, amount=3_000_000, reason="Nhập nhầm")
    assert not PendingEntry.objects.exists()
    assert national() == 3_000_000
    assert exact()


def test_the_fold_takes_in_many_saves_at_once(deferred, no_fold, place):
    road, school = model(place), model(place, "Sửa trường mầm non", area="other")
    for day in (3, 4, 5):
        give(road, 1_000_000, households=day, day=day)
        give(school, 2_000_000, households=2, day=day)
    assert PendingEntry.objects.count() == 6
    assert national() == 0
    assert rollups.fold() == 6
    assert not PendingEntry.objects.exists()
    assert national() == 9_000_000
    assert exact()


def test_a_fold_in_batches_takes_every_pending_entry_of_an_initiative(deferred, no_fold, place):
    """A batch names initiatives; all their entries go in at once, oldest initiatives first."""
    road, school = model(place), model(place, "Sửa trường mầm non", area="other")
    give(road, 1_000_000, day=3)
    give(school, 2_000_000, day=3)
    give(road, 4_000_000, day=4)
    assert rollups.fold(batch=1) == 2
    assert list(PendingEntry.objects.values_list("initiative_id", flat=True)) == [school.pk]
    assert national() == 5_000_000
    assert rollups.fold(batch=1) == 1
    assert rollups.fold(batch=1) == 0
    assert exact()


def test_a_changed_initiative_takes_its_pending_entries_with_it(deferred, no_fold, place):
    """Huyền moves the road to another field while two of its gifts are pending: the gifts
    land under the new field, once, and those taking part are counted once."""
    road = model(place)
    give(road, 1_000_000, households=4, day=3)
    give(road, 2_000_000, households=6, day=4)
    initiative_update(
        actor=SYSTEM, initiative=road, expected_version=road.version, field=Field.CULTURE_SOCIETY
    )
    assert not PendingEntry.objects.exists()
    assert national() == 3_000_000
    by_field = dict(
        SummaryRollup.objects.filter(mode=AS_WAS, area_id=NATIONAL)
        .values_list("field")
        .annotate(Sum("money"))
    )
    assert by_field.get(Field.CULTURE_SOCIETY) == 3_000_000
    assert not by_field.get(Field.ECONOMY)
    assert exact()


def test_a_batch_of_entries_takes_the_pending_ones_of_its_initiatives(deferred, no_fold, place):
    """An import adds entries to an initiative with a pending one: the households taking part
    are read against a ledger that holds both, and the pending one comes in with the batch."""
    road = model(place)
    give(road, 1_000_000, households=4, day=3)
    outcome = contributions_bulk_add(
        actor=SYSTEM,
        rows=[
            {
                "initiative": road,
                "date": datetime.date(2025, 3, 3),
                "kind": ContributionKind.MONEY,
                "amount": 2_000_000,
                "contributor_type": ContributorType.HOUSEHOLDS,
                "contributors": 6,
            }
        ],
        reason="Nhập từ bảng tính của xã",
    )
    assert not outcome.errors
    assert not PendingEntry.objects.exists()
    assert national() == 3_000_000
    assert exact()


def test_a_moved_unit_leaves_its_pending_entries_pending(deferred, no_fold, place):
    """The village moves to Xã Pa Ham while a gift is pending: the figures already held move,
    and the fold then adds the gift under the new commune."""
    road = model(place)
    give(road, 1_000_000, day=3)
    rollups.fold()
    give(road, 2_000_000, day=4)
    area_update(actor=SYSTEM, area=place["village"], parent=place["other"])
    assert PendingEntry.objects.count() == 1
    assert rollups.fold() == 1
    commune_money = dict(
        SummaryRollup.objects.filter(
            mode=AS_WAS, area_id__in=[place["commune"].pk, place["other"].pk]
        )
        .values_list("area_id")
        .annotate(Sum("money"))
    )
    assert commune_money.get(place["other"].pk) == 3_000_000
    assert not commune_money.get(place["commune"].pk)
    assert exact()


def test_the_headroom_check_counts_the_pending_entries(deferred, no_fold, place, monkeypatch):
    """With room for 10 million in the national total, two pending gifts of 6 million each
    would carry it past: the second is refused, though the rollups alone hold nothing."""
    monkeypatch.setattr(rollups, "ROLLUP_CEILING", 10_000_000)
    road = model(place)
    give(road, 6_000_000)
    with pytest.raises(ValidationError) as refused:
        give(road, 6_000_000, day=13)
    assert refused.value.error_dict["amount"][0].code == "total_too_large"
    assert PendingEntry.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_a_rebuild_counts_the_pending_entries_once(deferred, no_fold, place):
    road = model(place)
    give(road, 1_000_000)
    rebuild_rollups()
    assert not PendingEntry.objects.exists()
    assert national() == 1_000_000
    assert exact()


def test_a_rebuild_of_some_tables_folds_the_pending_entries_into_all(deferred, no_fold, place):
    road = model(place)
    give(road, 1_000_000)
    rebuild_rollups(only=["summary"])
    assert not PendingEntry.objects.exists()
    assert national() == 1_000_000
    assert exact()


def test_the_worker_folds_what_a_save_left_pending(deferred, no_fold, place, monkeypatch):
    road = model(place)
    give(road, 1_000_000)
    assert PendingEntry.objects.count() == 1
    monkeypatch.undo()  # the fold itself, as the worker runs it
    upkeep.fold_pending()  # what the task worker runs with each heartbeat
    assert not PendingEntry.objects.exists()
    assert national() == 1_000_000


def test_eight_savers_at_once_lose_nothing(deferred, place):
    """Eight officers each save ten gifts at the same moment, to four models: every đồng and
    every household is in the rollups once the saves are done."""
    models = [model(place, f"Mô hình {n}", area=("village", "other")[n % 2]) for n in range(4)]

    def save(index: int) -> None:
        for n in range(10):
            give(models[(index + n) % 4], 1_000_000 + index, households=1 + n % 3, day=1 + n)

    assert run_together(save, 8) == [None] * 8
    upkeep.fold_pending()  # a fold cut short by its rounds leaves the rest to the next one
    assert not PendingEntry.objects.exists()
    assert national() == sum(10 * (1_000_000 + index) for index in range(8))
    assert exact()


def test_inline_upkeep_leaves_nothing_pending(place):
    road = model(place)
    with transaction.atomic():
        give(road)
        assert national() == 5_000_000
    assert not PendingEntry.objects.exists()


def test_a_fold_leaves_an_initiative_another_transaction_holds(deferred, no_fold, place):
    """Lan's import holds the road while it runs: the fold takes the school's entry in, leaves
    the road's pending without waiting for the import, and takes it once the import is done."""
    import threading

    from django.db import connection

    from danvan.initiatives.models import Initiative

    road, school = model(place), model(place, "Sửa trường mầm non", area="other")
    give(road, 1_000_000)
    give(school, 2_000_000)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Initiative.objects.select_for_update().filter(pk=road.pk).exists()
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=10)
        assert rollups.fold() == 1
        assert list(PendingEntry.objects.values_list("initiative_id", flat=True)) == [road.pk]
        assert national() == 2_000_000
    finally:
        release.set()
        holder.join(timeout=30)
    assert rollups.fold() == 1
    assert national() == 3_000_000
    assert exact()


def test_a_fold_drops_the_entries_of_an_initiative_deleted_past_the_services(deferred, place):
    PendingEntry.objects.create(contribution_id=987654, initiative_id=987654)
    assert rollups.fold() == 0
    assert not PendingEntry.objects.exists()
