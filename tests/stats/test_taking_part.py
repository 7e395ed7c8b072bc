"""Households and people taking part: counted apart, the largest kind of gift per initiative,
as they stood on any day; the rollups, the rebuild, the base-table path and the API agree."""

import datetime
import random
from decimal import Decimal

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.initiatives.catalogues import ContributionKind, ContributorType
from danvan.initiatives.services import contribution_add, contribution_correct
from danvan.stats.direct import contribution_figures_direct, initiative_figures_direct
from danvan.stats.exactness import rollup_differences
from danvan.stats.rebuild import rebuild_rollups
from danvan.stats.selectors import contribution_figures, initiative_figures
from danvan.stats.taking_part import day_moves, moves_made
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

MONEY, LAND, LABOUR = ContributionKind.MONEY, ContributionKind.LAND, ContributionKind.LABOUR
HOUSEHOLDS, INDIVIDUALS = ContributorType.HOUSEHOLDS, ContributorType.INDIVIDUALS
BENEFACTORS, BUSINESSES = ContributorType.BENEFACTORS, ContributorType.BUSINESSES


def test_the_largest_kind_of_gift_counts_not_the_sum():
    moves = day_moves(
        [
            ((2024, 3, 1), LAND, HOUSEHOLDS, 120),
            ((2024, 3, 1), MONEY, HOUSEHOLDS, 100),
            ((2024, 5, 2), LABOUR, HOUSEHOLDS, 130),
            ((2024, 5, 2), MONEY, INDIVIDUALS, 20),
            ((2024, 6, 9), MONEY, BENEFACTORS, 15),
            ((2024, 6, 9), MONEY, BUSINESSES, 4),
        ]
    )
    # 120 households on 1 March (land; money's 100 are among them), 10 more on 2 May when
    # labour passed land; 20 people, then 15 benefactors giving money too; businesses in neither.
    assert moves == {(2024, 3, 1): (120, 0), (2024, 5, 2): (10, 20), (2024, 6, 9): (0, 15)}
    assert sum(h for h, _p in moves.values()) == 130


def test_a_correction_down_moves_the_figure_down_but_never_below_zero():
    moves = day_moves(
        [
            ((2024, 3, 1), LAND, HOUSEHOLDS, 50),
            ((2024, 4, 1), LAND, HOUSEHOLDS, -30),
            ((2024, 4, 2), LAND, HOUSEHOLDS, -40),
        ]
    )
    assert moves == {(2024, 3, 1): (50, 0), (2024, 4, 1): (-30, 0), (2024, 4, 2): (-20, 0)}


def test_nothing_counted_moves_nothing():
    assert (
        day_moves([((2024, 3, 1), MONEY, BUSINESSES, 9), ((2024, 3, 2), LAND, HOUSEHOLDS, 0)]) == {}
    )


def test_the_moves_an_entry_made_are_the_difference_it_makes_to_the_days():
    """``moves_made`` (the upkeep's one pass from the first day an entry touches) gives the
    moves of the ledger with the entries minus without them, over many random ledgers:
    corrections below zero, kinds of contributor counted in neither, days before and after."""
    draw = random.Random(20261205)
    kinds = [MONEY, LAND, LABOUR, ContributionKind.IN_KIND]
    types = [HOUSEHOLDS, INDIVIDUALS, BENEFACTORS, BUSINESSES]
    for _ in range(3000):
        ledger = [
            (
                (2024, draw.randint(1, 3), draw.randint(1, 4)),
                draw.choice(kinds),
                draw.choice(types),
                draw.randint(-30, 60),
            )
            for _ in range(draw.randint(0, 10))
        ]
        added = draw.sample(ledger, draw.randint(0, min(3, len(ledger))))
        without = list(ledger)
        for entry in added:
            without.remove(entry)
        now, then = day_moves(ledger), day_moves(without)
        expected = {
            day: (
                now.get(day, (0, 0))[0] - then.get(day, (0, 0))[0],
                now.get(day, (0, 0))[1] - then.get(day, (0, 0))[1],
            )
            for day in set(now) | set(then)
        }
        expected = {day: move for day, move in expected.items() if any(move)}
        assert moves_made(ledger, added) == expected, (ledger, added)
    # An entry counted in neither (businesses), or of nobody, moves nothing.
    assert (
        moves_made([((2024, 3, 1), MONEY, BUSINESSES, 9)], [((2024, 3, 1), MONEY, BUSINESSES, 9)])
        == {}
    )


def _give(initiative, day, kind, contributor_type, contributors, amount=1_000_000):
    return contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=day,
        kind=kind,
        amount=amount,
        contributor_type=contributor_type,
        contributors=contributors,
        description="Xi măng" if kind == ContributionKind.IN_KIND else "",
    )


@pytest.fixture
def hamlet_road():
    """Đường giao thông nông thôn in Can Lộc: families gave land, labour and money."""
    road = InitiativeFactory(title="Đường giao thông nông thôn thôn Trung Hòa", year=2024)
    rebuild_rollups()  # the factory writes past the services: count the model once
    _give(road, datetime.date(2024, 3, 1), LAND, HOUSEHOLDS, 120, amount=Decimal("350.5"))
    _give(road, datetime.date(2024, 3, 1), MONEY, HOUSEHOLDS, 100)
    _give(road, datetime.date(2024, 11, 20), LABOUR, HOUSEHOLDS, 130, amount=Decimal("0.5"))
    _give(road, datetime.date(2024, 11, 20), MONEY, INDIVIDUALS, 35)
    return road


def _national(**kwargs):
    [row] = initiative_figures(**kwargs)
    return row


def test_the_rollups_count_households_and_people_apart(hamlet_road):
    row = _national()
    assert (row["households"], row["people"]) == (130, 35)
    assert "contributors" not in row
    assert row["land"] == Decimal("350.50") and row["labour"] == Decimal("0.50")
    # A second model adds its own households: taking part is summed over models.
    well = InitiativeFactory(title="Giếng nước sạch", year=2024, area=hamlet_road.area)
    rebuild_rollups()
    _give(well, datetime.date(2024, 4, 1), MONEY, HOUSEHOLDS, 12)
    assert _national()["households"] == 142


def test_a_cut_off_reads_the_figure_as_it_stood_that_day(hamlet_road):
    [before] = contribution_figures(cutoff=datetime.date(2024, 11, 15))
    [after] = contribution_figures(cutoff=datetime.date(2024, 11, 30))
    assert (before["households"], before["people"]) == (120, 0)
    assert (after["households"], after["people"]) == (130, 35)
    [period] = contribution_figures(
        start=datetime.date(2024, 11, 1), cutoff=datetime.date(2024, 11, 30)
    )
    assert (period["households"], period["people"]) == (10, 35)


def test_an_entry_dated_before_the_others_moves_the_days_after_it(hamlet_road):
    # Recorded last, dated first: labour by 140 households in January.
    _give(hamlet_road, datetime.date(2024, 1, 10), LABOUR, HOUSEHOLDS, 140, amount=Decimal("2.5"))
    [january] = contribution_figures(cutoff=datetime.date(2024, 1, 31))
    assert january["households"] == 140
    assert _national()["households"] == 270  # labour now 130 + 140
    assert set(rollup_differences().values()) == {0}


def test_corrections_move_the_figure_and_the_rollups_stay_exact(hamlet_road):
    land = hamlet_road.contributions.get(kind=LAND)
    contribution_correct(
        actor=SYSTEM, entry=land, amount=land.amount, contributors=90, reason="Trùng hộ"
    )
    assert _national()["households"] == 130  # labour's 130 is still the largest
    labour = hamlet_road.contributions.get(kind=LABOUR, corrects__isnull=True)
    contribution_correct(
        actor=SYSTEM, entry=labour, amount=labour.amount, contributors=60, reason="Đếm lại"
    )
    assert _national()["households"] == 100  # now money's 100
    assert set(rollup_differences().values()) == {0}


def test_the_rebuild_and_the_base_tables_agree_with_the_upkeep(hamlet_road):
    kept = (initiative_figures(), contribution_figures(cutoff=datetime.date(2024, 11, 15)))
    rebuild_rollups()
    assert (
        initiative_figures(),
        contribution_figures(cutoff=datetime.date(2024, 11, 15)),
    ) == kept
    assert initiative_figures_direct() == kept[0]
    assert contribution_figures_direct(cutoff=datetime.date(2024, 11, 15)) == kept[1]
    assert contribution_figures_direct(
        start=datetime.date(2024, 11, 1), cutoff=datetime.date(2024, 11, 30)
    ) == contribution_figures(start=datetime.date(2024, 11, 1), cutoff=datetime.date(2024, 11, 30))


def test_a_decimal_entry_is_corrected_twice(hamlet_road):
    """SQLite sums the corrections as floats (0.300000000000000): the second correction's
    difference carried fifteen decimals and was refused."""
    land = hamlet_road.contributions.get(kind=LAND)
    for amount in ("350.3", "350.1", "349.9"):
        contribution_correct(
            actor=SYSTEM, entry=land, amount=amount, contributors=120, reason="Đo lại"
        )
    assert _national()["land"] == Decimal("349.9")
    assert set(rollup_differences().values()) == {0}
