"""Are the rollups exact? Every rollup row compared with the same figure computed afresh.

The rollups are kept write by write; a write that went past ``danvan.core.upkeep``, a
benchmark that switched the upkeep off, or a lost update between concurrent writers would
leave them wrong without anyone noticing. ``rollup_differences`` recomputes every rollup
table from the base tables (the GROUP BY statements of ``danvan.stats.rebuild``) into
temporary copies and compares them, row by row and measure by measure, with the tables the
dashboards read. Rows whose measures are all zero (left behind when figures move between
keys) mean nothing and are not compared. The live tables are only read: nothing is locked
beyond a plain read, and the copies vanish with the transaction. Entries still pending (the
upkeep deferred, ``danvan.stats.pending``) are folded in first: the ledger holds them.
"""

from django.db import connection, transaction

from danvan.initiatives.models import Initiative
from danvan.stats.nodes import ensure_area_nodes
from danvan.stats.rebuild import ROLLUP_MODELS, statements
from danvan.stats.rollups import fold_waiting


def _columns(model) -> tuple[list[str], list[str]]:
    """The key columns (the unique constraint) and the measure columns of a rollup table."""
    [constraint] = model._meta.constraints
    keys = [model._meta.get_field(name).column for name in constraint.fields]
    measures = [
        field.column
        for field in model._meta.concrete_fields
        if field.column not in keys and not field.primary_key
    ]
    return keys, measures


def _compared(model, column: str) -> str:
    """A measure as compared: decimals (land, labour) to their two places, since SQLite keeps
    them as floats whose last bit depends on the order they were added in."""
    field = next(f for f in model._meta.concrete_fields if f.column == column)
    if field.get_internal_type() == "DecimalField":
        return f"ROUND({column}, {field.decimal_places}) AS {column}"
    return column


def _meaningful(model, alias: str) -> str:
    """The condition of a row that holds a figure (a result row counts its results)."""
    _keys, measures = _columns(model)
    if "count" in measures:
        return f"{alias}.count <> 0"
    return "(" + " OR ".join(f"{alias}.{m} <> 0" for m in measures) + ")"


def rollup_differences() -> dict[str, int]:
    """Return, per rollup table, how many rows differ from the base tables (missing, extra or
    with another figure); all zero when the rollups are exact."""
    copies = {model._meta.db_table: f"exact_{model._meta.db_table}" for model in ROLLUP_MODELS}
    differences: dict[str, int] = {}
    fold_waiting()
    with transaction.atomic(), connection.cursor() as cursor:
        # Units that carry a fact but were never cached would be missing from both sides.
        ensure_area_nodes(Initiative.objects.values_list("area_id", flat=True).distinct())
        for table, copy in copies.items():
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(f"CREATE TEMPORARY TABLE {copy} AS SELECT * FROM {table} WHERE 1 = 0")
        for statement in statements(copies):
            cursor.execute(statement)
        for model in ROLLUP_MODELS:
            table, copy = model._meta.db_table, copies[model._meta.db_table]
            keys, measures = _columns(model)
            columns = ", ".join(keys + [_compared(model, m) for m in measures])
            live = f"SELECT {columns} FROM {table} t WHERE {_meaningful(model, 't')}"
            fresh = f"SELECT {columns} FROM {copy} t WHERE {_meaningful(model, 't')}"
            cursor.execute(
                f"SELECT (SELECT COUNT(*) FROM ({live} EXCEPT {fresh}) a), "
                f"(SELECT COUNT(*) FROM ({fresh} EXCEPT {live}) b)"
            )
            extra, missing = cursor.fetchone()
            differences[table] = extra + missing
        for copy in copies.values():
            cursor.execute(f"DROP TABLE {copy}")
    return differences
