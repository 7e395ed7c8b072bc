"""Households and people are counted apart, and the same households once across kinds of gift."""

import datetime

import pytest

from danvan.initiatives.catalogues import ContributionKind, ContributorType
from danvan.initiatives.services import contribution_add, contribution_correct
from danvan.stats.participants import initiative_participants

pytest_plugins = ["tests.people"]
DAY = datetime.date(2024, 5, 1)


def give(world, kind, amount, contributor_type, contributors, **extra):
    return contribution_add(
        actor=world.lan,
        initiative=world.cultural_houses,
        date=DAY,
        kind=kind,
        amount=amount,
        contributor_type=contributor_type,
        contributors=contributors,
        description=extra.get("description", ""),
    )


@pytest.fixture
def ledger(world):
    give(world, ContributionKind.LAND, 350, ContributorType.HOUSEHOLDS, 120)
    give(world, ContributionKind.LABOUR, 40, ContributorType.HOUSEHOLDS, 80)
    give(world, ContributionKind.LABOUR, 12, ContributorType.INDIVIDUALS, 35)
    give(world, ContributionKind.MONEY, 38_000_000, ContributorType.HOUSEHOLDS, 100)
    give(world, ContributionKind.MONEY, 5_000_000, ContributorType.HOUSEHOLDS, 30)
    give(world, ContributionKind.MONEY, 10_000_000, ContributorType.BUSINESSES, 2)
    return world


def test_households_are_never_added_to_people(ledger):
    taking_part = initiative_participants(initiative=ledger.cultural_houses)["taking_part"]
    assert taking_part[ContributorType.INDIVIDUALS] == 35
    assert ContributorType.HOUSEHOLDS in taking_part
    assert sum(taking_part.values()) != 120 + 80 + 35 + 130 + 2


def test_the_same_households_count_once_across_kinds_of_gift(ledger):
    """Land 120, labour 80, money 100 + 30 households: at least 130 took part, not 330."""
    result = initiative_participants(initiative=ledger.cultural_houses)
    assert result["by_kind"][ContributionKind.MONEY] == {
        ContributorType.HOUSEHOLDS: 130,
        ContributorType.BUSINESSES: 2,
    }
    assert result["taking_part"] == {
        ContributorType.HOUSEHOLDS: 130,
        ContributorType.INDIVIDUALS: 35,
        ContributorType.BUSINESSES: 2,
    }
    assert list(result["taking_part"]) == ["households", "individuals", "businesses"]


def test_corrections_are_folded_in(ledger, world):
    entry = world.cultural_houses.contributions.get(kind=ContributionKind.LAND)
    contribution_correct(actor=world.lan, entry=entry, amount=350, contributors=150, reason="x")
    taking_part = initiative_participants(initiative=world.cultural_houses)["taking_part"]
    assert taking_part[ContributorType.HOUSEHOLDS] == 150


def test_an_empty_ledger_has_nobody(world):
    assert initiative_participants(initiative=world.cultural_houses) == {
        "by_kind": {},
        "taking_part": {},
    }


def test_the_detail_page_shows_them_apart(client, ledger, world):
    client.force_login(world.lan)
    html = client.get(f"/initiatives/{world.cultural_houses.pk}/").content.decode()
    assert 'id="taking-part"' in html
    assert 'data-type="households">130' in html
    assert 'data-type="individuals">35' in html
