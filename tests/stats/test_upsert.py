"""The rollups' incrementing upsert: what it adds is what the rows say, whichever way the rows
travel (on PostgreSQL one array per column, 2,000 rows a statement; a column mixing kinds of
value as VALUES lists)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.stats.models import ContributionRollup, SummaryRollup
from danvan.stats.rollups_base import (
    CONTRIBUTION_TABLE,
    COUNTS,
    DIMS,
    INITIATIVE_TABLE,
    MEASURES,
    SUMMARY_TABLE,
    upsert,
    upsert_all,
)

pytestmark = pytest.mark.django_db

KEYS = ("mode", "area_id", "year", "field", "status", "c_year", "c_month")


def rows(months: int, land) -> list[tuple]:
    return [
        (
            "restated",
            area,
            2024,
            "economy",
            "draft",
            2024,
            month,
            1_000,
            land,
            Decimal("0.5"),
            0,
            3,
            0,
            1,
        )
        for area in range(1, 301)
        for month in range(1, months + 1)
    ]


def figures() -> dict:
    return {row[:7]: row[7:] for row in ContributionRollup.objects.values_list(*KEYS, *MEASURES)}


def test_an_upsert_adds_each_row_to_its_key_created_or_found():
    upsert(CONTRIBUTION_TABLE, KEYS, MEASURES, rows(12, Decimal("350.50")))
    # Whole and decimal amounts in one column, and more rows than one statement carries.
    with CaptureQueriesContext(connection) as queries:
        upsert(CONTRIBUTION_TABLE, KEYS, MEASURES, rows(12, 2))
    if connection.vendor == "postgresql":
        assert len(queries) == 2  # 3,600 rows, 2,000 a statement
    found = figures()
    assert len(found) == 3_600
    assert set(found.values()) == {(2_000, Decimal("352.50"), Decimal("1.00"), 0, 6, 0, 2)}


def test_a_column_mixing_kinds_of_value_still_adds_up():
    upsert(CONTRIBUTION_TABLE, KEYS, MEASURES, rows(1, Decimal("1.25")))
    mixed = rows(1, 0)
    mixed[0] = (*mixed[0][:7], Decimal("5"), *mixed[0][8:])  # an amount as a decimal
    upsert(CONTRIBUTION_TABLE, KEYS, MEASURES, mixed)
    found = figures()
    assert found[("restated", 1, 2024, "economy", "draft", 2024, 1)][:2] == (1_005, Decimal("1.25"))
    assert found[("restated", 2, 2024, "economy", "draft", 2024, 1)][:2] == (2_000, Decimal("1.25"))


def test_one_save_s_tables_go_in_one_statement_and_add_exactly():
    """``upsert_all``: a save's tables in one statement on PostgreSQL, whatever the values
    (decimals to the hundredth, whole amounts next to them, a national-sized total, a
    boolean key), the same figures as table by table."""
    summary_keys = ("mode", "area_id", "year", "field", "status")
    summary_measures = ("initiatives", "exemplary", "replicated", "continued", *MEASURES)
    big = 2_000_000_000_000_000_003  # near the ceiling, and no float holds it exactly
    writes = [
        (CONTRIBUTION_TABLE, KEYS, MEASURES, rows(1, Decimal("350.55"))[:3]),
        (
            SUMMARY_TABLE,
            summary_keys,
            summary_measures,
            [
                (
                    "restated",
                    7,
                    2024,
                    "economy",
                    "draft",
                    1,
                    0,
                    1,
                    0,
                    big,
                    Decimal("0.01"),
                    2,
                    0,
                    0,
                    0,
                    1,
                )
            ],
        ),
        (INITIATIVE_TABLE, ("mode", "area_id", *DIMS), COUNTS, []),  # nothing to write
    ]
    with CaptureQueriesContext(connection) as queries:
        upsert_all(writes)
        upsert_all(writes)
    if connection.vendor == "postgresql":
        assert len(queries) == 2
    found = figures()
    assert len(found) == 3
    assert set(found.values()) == {(2_000, Decimal("701.10"), Decimal("1.00"), 0, 6, 0, 2)}
    summary = SummaryRollup.objects.values_list(*summary_measures).get(area_id=7)
    assert summary == (2, 0, 2, 0, 2 * big, Decimal("0.02"), 4, 0, 0, 0, 2)
