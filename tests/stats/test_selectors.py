"""Contribution totals: exact integers, corrections applied."""

import datetime

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.core.limits import MONEY_MAX
from danvan.initiatives.catalogues import ContributionKind, ContributorType
from danvan.initiatives.services import contribution_add, contribution_correct
from danvan.stats.selectors import initiative_contribution_totals
from tests.factories import ContributionFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

BIG = MONEY_MAX - 1  # the largest odd amount one entry may hold


def add(initiative, kind, amount, contributors=0, description=""):
    return contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=datetime.date(2024, 6, 1),
        kind=kind,
        amount=amount,
        contributor_type=ContributorType.HOUSEHOLDS,
        contributors=contributors,
        description=description,
    )


def test_every_kind_is_present_even_without_entries():
    totals = initiative_contribution_totals(initiative=InitiativeFactory())
    assert totals == {
        kind: {"amount": 0, "contributors": 0, "entries": 0} for kind in ContributionKind.values
    }


def test_totals_per_kind_for_yen_giang_cultural_houses():
    initiative = InitiativeFactory(title="Khai thác, quản lý nhà văn hóa khu dân cư")
    add(initiative, ContributionKind.IN_KIND, 180_000_000, 40, "16 máy điều hòa khu 1–4")
    add(initiative, ContributionKind.IN_KIND, 200_000_000, 55, "Ti vi, loa, bàn ghế")
    add(initiative, ContributionKind.MONEY, 300_000_000, 120)
    add(initiative, ContributionKind.LAND, 1_200, 3)
    ContributionFactory(kind=ContributionKind.MONEY, amount=5)  # another initiative
    totals = initiative_contribution_totals(initiative=initiative)
    assert totals["in_kind"] == {"amount": 380_000_000, "contributors": 95, "entries": 2}
    assert totals["money"] == {"amount": 300_000_000, "contributors": 120, "entries": 1}
    assert totals["land"] == {"amount": 1_200, "contributors": 3, "entries": 1}
    assert totals["labour"] == {"amount": 0, "contributors": 0, "entries": 0}


def test_big_amounts_sum_exactly_as_integers():
    initiative = InitiativeFactory()
    add(initiative, ContributionKind.MONEY, BIG)
    add(initiative, ContributionKind.MONEY, BIG)
    add(initiative, ContributionKind.MONEY, 1)
    amount = initiative_contribution_totals(initiative=initiative)["money"]["amount"]
    assert type(amount) is int
    assert amount == 2 * BIG + 1 == 1_999_999_999_999


def test_corrections_are_reflected_and_the_original_kept():
    initiative = InitiativeFactory()
    entry = add(initiative, ContributionKind.MONEY, 352_000_000, 60)
    add(initiative, ContributionKind.MONEY, 75_000_000, 20)
    contribution_correct(
        actor=SYSTEM, entry=entry, amount=350_000_000, contributors=58, reason="Trùng 2 hộ"
    )
    entry.refresh_from_db()
    assert entry.amount == 352_000_000
    money = initiative_contribution_totals(initiative=initiative)["money"]
    assert (money["amount"], money["contributors"]) == (425_000_000, 78)


def test_a_big_amount_corrected_stays_exact():
    initiative = InitiativeFactory()
    entry = add(initiative, ContributionKind.MONEY, BIG)
    contribution_correct(actor=SYSTEM, entry=entry, amount=BIG + 1, reason="Sửa")
    assert initiative_contribution_totals(initiative=initiative)["money"]["amount"] == MONEY_MAX


def test_a_correction_adjusts_an_entry_but_is_not_counted_as_one(db):
    from danvan.accounts.scope import SYSTEM
    from danvan.initiatives.services import contribution_correct
    from tests.factories import ContributionFactory

    entry = ContributionFactory(amount=75_000_000, contributors=40)
    contribution_correct(actor=SYSTEM, entry=entry, amount=80_000_000, reason="Cộng thiếu")
    totals = initiative_contribution_totals(initiative=entry.initiative)
    assert totals["money"] == {"amount": 80_000_000, "contributors": 40, "entries": 1}


def test_built_and_replicated_are_counted_apart(db):
    from danvan.initiatives.models import Initiative
    from danvan.stats.selectors import built_and_replicated

    deer_farm = InitiativeFactory(title="Nuôi hươu khép kín Sơn Giang")
    InitiativeFactory(title="Nuôi hươu khép kín Sơn Tây", replicated_from=deer_farm)
    InitiativeFactory(title="Nuôi hươu khép kín Sơn Lâm", replicated_from=deer_farm)
    InitiativeFactory(title="Chế biến nước mắm Thạch Kim")
    counts = built_and_replicated(initiatives=Initiative.objects.all())
    assert counts == {"built": 2, "replicated": 2}
    assert built_and_replicated(initiatives=Initiative.objects.none()) == {
        "built": 0,
        "replicated": 0,
    }
