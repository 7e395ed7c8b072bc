"""What every rollup writer shares: the dimensions and measures, the fixed-point scale of
result values, the incrementing upsert and the refusal of a total past the column's range."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from danvan.core.formats import format_number
from danvan.initiatives.catalogues import Field, Status

DIMS = ("year", "field", "status", "registration_kind", "replicated", "org_kind")
# The ledger table keeps only these of the initiative's dimensions (positions in DIMS).
MONTH_DIMS = ("year", "field", "status")
_MONTH_INDEX = [DIMS.index(name) for name in MONTH_DIMS]
MEASURES = ("money", "land", "labour", "in_kind", "households", "people", "entries")
# Positions in MEASURES of the ledger's figures that are not amounts.
HOUSEHOLDS_AT, PEOPLE_AT, ENTRIES_AT = 4, 5, 6
# Money and in-kind value are whole đồng; land and labour carry two decimals.
WHOLE_KINDS = ("money", "in_kind")
# The largest national total of land (m²) or labour (person-days). SQLite keeps a decimal as a
# float on disk, exact to the hundredth only below 2⁵³ hundredths; ten thousand billion m² is
# a thousand times Vietnam's whole land, so no real total comes near.
DECIMAL_CEILING = 10**13
COUNTS = ("initiatives", "exemplary", *MEASURES)
KIND_INDEX = {"money": 0, "land": 1, "labour": 2, "in_kind": 3}
INITIATIVE_TABLE = "stats_initiativerollup"
CONTRIBUTION_TABLE = "stats_contributionrollup"
RESULT_TABLE = "stats_resultrollup"
DAY_TABLE = "stats_contributiondayrollup"
# The dated tables keyed by every dimension of ``DIMS`` (month and day).
DETAIL_TABLE = "stats_contributiondetailrollup"
DETAIL_DAY_TABLE = "stats_contributiondetaildayrollup"
SUMMARY_TABLE = "stats_summaryrollup"
SUMMARY_COUNTS = ("initiatives", "exemplary", "replicated", "continued", *MEASURES)
REGISTERING_TABLE = "stats_registeringrollup"
# The registering units' column of each (field, status), by position.
REGISTERING_INDEX = {
    (field, status): index
    for index, (field, status) in enumerate(
        (field, status) for field in Field.values for status in Status.values
    )
}


def ledger_amount(kind: str, amount) -> int | Decimal:
    """An amount as its rollup column holds it: whole đồng as an integer, m² and person-days
    as a decimal of two places (exact on SQLite too, whose decimals are floats on disk)."""
    if kind in WHOLE_KINDS:
        return int(amount or 0)
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def scaled(value) -> int:
    """Return a result value (four decimals) as an exact integer of 10⁻⁴ units."""
    return int((Decimal(value) * 10_000).to_integral_value())


def upsert(table: str, keys: tuple[str, ...], measures: tuple[str, ...], rows: list) -> None:
    """Add each row's measures to its key's row, creating it when missing (one statement per
    chunk; rows sorted so concurrent writers lock rows in the same order)."""
    if not rows:
        return
    columns = (*keys, *measures)
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    rows = sorted(rows, key=lambda row: tuple(str(v) for v in row[: len(keys)]))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"{', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                [value for row in chunk for value in row],
            )


def too_large(field: str, ceiling: int) -> ValidationError:
    return ValidationError(
        {
            field: ValidationError(
                _(
                    "This would carry the national total past %(limit)s, the most the "
                    "statistics can hold. Check the figure; if it is right, ask the system's "
                    "administrators."
                )
                % {"limit": format_number(ceiling)},
                code="total_too_large",
            )
        }
    )
