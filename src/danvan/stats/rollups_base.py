"""What every rollup writer shares: the dimensions and measures, the fixed-point scale of
result values, the incrementing upsert and the refusal of a total past the column's range."""

import functools
import json
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from danvan.core.formats import format_number
from danvan.initiatives.bulk_sql import binding_cursor
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
# The summary with every registration year added up (its rows keyed without the year).
SUMMARY_YEARS_TABLE = "stats_summaryallyearsrollup"
NATIONAL_TABLE = "stats_nationaltotal"
SUMMARY_COUNTS = ("initiatives", "exemplary", "replicated", "continued", *MEASURES)
# The tables by kind of organisation keep only these of the initiative's dimensions.
KIND_DIMS = ("year", "status", "org_kind")
_BY_KIND_INDEX = [DIMS.index(name) for name in KIND_DIMS]
KIND_TABLE = "stats_kindrollup"
KIND_MONTH_TABLE = "stats_contributionkindrollup"
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


def upsert(
    table: str, keys: tuple[str, ...], measures: tuple[str, ...], rows: list, *, returning=False
) -> list[tuple]:
    """Add each row's measures to its key's row, creating it when missing (one statement per
    chunk; rows sorted so concurrent writers lock rows in the same order).

    ``returning`` gives back each row as it is now, read under the row's lock (with every
    committed write of other transactions in it); otherwise nothing is returned."""
    if not rows:
        return []
    columns = (*keys, *measures)
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    rows = _in_key_order(rows, len(keys))
    if (
        not returning
        and connection.vendor == "postgresql"
        and _upsert_arrays(table, keys, columns, updates, rows)
    ):
        return []
    back = f" RETURNING {', '.join(columns)}" if returning else ""
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            chunk = rows[start : start + 200]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"{', '.join([placeholder] * len(chunk))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}{back}",
                [value for row in chunk for value in row],
            )
            if returning:
                found.extend(cursor.fetchall())
    return found


def _in_key_order(rows: list, width: int) -> list:
    """The rows sorted by their key (the first ``width`` values), the order in which every
    writer locks a table's rows, so two writers never wait on each other in a circle."""
    return sorted(rows, key=lambda row: tuple(str(v) for v in row[:width]))


# Rows past which ``upsert_all`` writes a table in its own statements: an import's chunk.
_ONE_STATEMENT_ROWS = 2000


def upsert_all(writes: list[tuple[str, tuple, tuple, list]]) -> None:
    """``upsert`` several tables, each ``(table, keys, measures, rows)``.

    On PostgreSQL the tables of one save (a handful of rows each) go in one statement, each
    table's upsert a data-modifying ``WITH`` part, so a save sends one statement for its
    figures, not one per table: each round trip, parse and plan cost as much as the rows it
    writes. Parts run in the order given, rows in key order, so concurrent writers still lock
    rows in the same order. Larger writes, and SQLite, take ``upsert`` table by table."""
    writes = [write for write in writes if write[3]]
    if (
        connection.vendor == "postgresql"
        and len(writes) > 1
        and sum(len(rows) for *_, rows in writes) <= _ONE_STATEMENT_ROWS
    ):
        parts, params = [], []
        for table, keys, measures, rows in writes:
            columns = (*keys, *measures)
            types = _column_types(table)
            updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)
            parts.append(
                f"w{len(parts)} AS (INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(columns)} FROM json_to_recordset(%s::json) AS r"
                f"({', '.join(f'{n} {types[n]}' for n in columns)}) "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates})"
            )
            params.append(
                json.dumps(
                    [
                        dict(zip(columns, row, strict=True))
                        for row in _in_key_order(rows, len(keys))
                    ],
                    default=str,
                )
            )
        with binding_cursor() as cursor:
            cursor.execute(f"WITH {', '.join(parts)} SELECT 1", params)
        return
    for table, keys, measures, rows in writes:
        upsert(table, keys, measures, rows)


@functools.cache
def _column_types(table: str) -> dict[str, str]:
    model = next(model for model in apps.get_models() if model._meta.db_table == table)
    return {field.column: field.db_type(connection) for field in model._meta.concrete_fields}


def _upsert_arrays(table: str, keys: tuple, columns: tuple, updates: str, rows: list) -> bool:
    """PostgreSQL: the rows as one binary array per column, 2,000 rows a statement. A VALUES
    list of 200 rows has thousands of placeholders, which the driver parses in Python for every
    statement (a quarter of an import's apply went there). Return False, writing nothing, when
    a column mixes kinds of value the arrays cannot carry as they are."""
    types = _column_types(table)
    arrays = []
    for name, values in zip(columns, zip(*rows, strict=True), strict=True):
        if types[name].startswith("numeric"):  # whole and decimal amounts side by side
            values = [v if v is None or isinstance(v, Decimal) else Decimal(v) for v in values]
        if len({type(v) for v in values if v is not None}) > 1:
            return False
        arrays.append(list(values))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT * FROM unnest({', '.join(f'%b::{types[name]}[]' for name in columns)}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    with binding_cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.execute(sql, [values[start : start + 2000] for values in arrays])
    return True


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
