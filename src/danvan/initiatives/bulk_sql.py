"""Multi-row INSERTs of validated records and their history rows, without the ORM's per-value
machinery.

Django's ``bulk_create`` compiles every value of every row through the field's full preparation
(and caps SQLite statements at 999 parameters); for 100,000 imported rows that costs more than
the database work itself. The records here are already validated by the services' build
functions, so each value only needs the database adapter of its type (dates, times, decimals);
everything else is passed as it is. History rows carry exactly what django-simple-history
writes for a save: every tracked field, the date, the type (``+`` or ``~``), the user and the
change reason.
"""

import json
import sqlite3
import time
from collections.abc import Collection
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, FileField, Model
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate
from django.utils import timezone

BATCH_ROWS = 2000
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _adapter(field):
    """Return the function giving a value's database form, or None when it goes as it is."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind in _PLAIN:
        return None
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return lambda value: field.get_db_prep_save(value, connection)


def among(model: type[Model], name: str, values: Collection) -> RawSQL:
    """A condition for ``filter``: the field ``name`` of ``model`` is one of ``values`` (whole
    numbers or texts), sent as one parameter: an array on PostgreSQL, a JSON list read by
    ``json_each`` on SQLite.

    ``filter(pk__in=ids)`` with thousands of ids had Django prepare every value and write a
    placeholder for it, and on PostgreSQL the driver then parse the thousands of placeholders in
    Python: in an import's rollback, which reads and writes its records 2,000 ids at a time,
    that took more time than the database did. The statement's text now stays the same size
    whatever the number of values."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(field.column)}"
    values = list(values)
    if connection.vendor == "postgresql":
        array_type = f"{field.db_type(connection)}[]"
        joined = _joined(values)
        if joined is None:
            return RawSQL(f"{column} = ANY(%s::{array_type})", (values,), BooleanField())
        # One text the server splits (written into the statement, it is folded into the same
        # array constant before planning): the driver's array dumper quotes value after value
        # in Python, 1.5 ms for 2,000 ids and 12 ms for 2,000 titles.
        split = f"string_to_array(%s, chr({ord(_SEPARATOR)}))::{array_type}"
        return RawSQL(f"{column} = ANY({split})", (joined,), BooleanField())
    return RawSQL(
        f"{column} IN (SELECT value FROM json_each(%s))", (json.dumps(values),), BooleanField()
    )


# Joins the values of ``among`` into one text: the unit separator, which no code, title or
# number holds (a value that does is sent as an array).
_SEPARATOR = "\x1f"


def _joined(values: list) -> str | None:
    """``values`` as one text for ``string_to_array``, or None when that would not give them
    back exactly: a value not a whole number or a text, an empty text (split to nothing), or
    a text holding the separator."""
    if all(type(value) is int for value in values):
        return _SEPARATOR.join(map(str, values))
    if all(type(value) is str and value and _SEPARATOR not in value for value in values):
        return _SEPARATOR.join(values)
    return None


def _max_params() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65535


def binding_cursor():
    """A cursor of the connection that sends parameters apart from the statement, each array
    in the binary format: the connection's own cursor writes every parameter into the SQL as
    text, element by element in Python, which took most of an import's time on PostgreSQL
    (2,000 rows × 30 columns a statement). It takes part in the connection's transaction, its
    statements are counted and logged as the others are."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    return connection._prepare_cursor(ServerBindingCursor(connection.connection))


_COLUMN_TYPES: dict[str, dict[str, int]] = {}
# A migration may change a column's type: its types are asked again after one.
post_migrate.connect(
    lambda **kwargs: _COLUMN_TYPES.clear(), weak=False, dispatch_uid="bulk_sql.column_types"
)


def _column_types(cursor, table: str) -> dict[str, int]:
    """The PostgreSQL type id of each of ``table``'s columns, asked of the server once per
    table: a binary ``COPY`` must name them exactly (an ``integer`` id sent as a ``bigint`` is
    refused)."""
    if table not in _COLUMN_TYPES:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [connection.ops.quote_name(table)],
        )
        _COLUMN_TYPES[table] = dict(cursor.fetchall())
    return _COLUMN_TYPES[table]


def _execute_copy(table: str, fields: list, rows: list[list], returning: str) -> list:
    """PostgreSQL: the rows in one binary ``COPY``, each value written by the driver's C
    dumpers; the ids first, taken from the table's sequence in one statement (``COPY`` returns
    nothing).

    An ``INSERT … SELECT * FROM unnest(arrays)`` needed every column turned into an array in
    Python, element by element, and the server to take the arrays apart again: for 100,000
    initiatives and their history rows, a third more time than this. The statement is logged
    and counted as the connection's own are, so query counts see it."""
    quote = connection.ops.quote_name
    columns = [field.column for field in fields]
    if returning:
        columns.insert(0, returning)
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor:
        ids = []
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), returning, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        known = _column_types(cursor, table)
        oids = [known[column] for column in columns]
        started = time.monotonic()
        with cursor.cursor.copy(sql) as copy:
            copy.set_types(oids)
            if returning:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row))
            else:
                for row in rows:
                    copy.write_row(row)
        if connection.queries_logged:
            connection.queries_log.append(
                {"sql": f"{sql} -- {len(rows)} rows", "time": f"{time.monotonic() - started:.3f}"}
            )
    return ids


def _execute(table: str, fields: list, rows: list[list], returning: str = "") -> list:
    """Insert ``rows`` in multi-row statements; return the ``returning`` column, in order."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _execute_copy(table, fields, rows, returning)
    columns = [field.column for field in fields]
    quote = connection.ops.quote_name
    per = max(1, min(BATCH_ROWS, _max_params() // len(columns)))
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    tail = f" RETURNING {quote(returning)}" if returning else ""
    found = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            cursor.execute(
                head + ", ".join([one] * len(chunk)) + tail,
                [value for row in chunk for value in row],
            )
            if returning:
                found.extend(row[0] for row in cursor.fetchall())
    return found


def _values(fields: list, objs: list, adapters: list) -> list[list]:
    attnames = [field.attname for field in fields]
    adapted = [(index, adapt) for index, adapt in enumerate(adapters) if adapt is not None]
    last: dict[int, tuple] = {}  # a column's last value and its adapted form (shared stamps)
    rows = []
    for obj in objs:
        row = [getattr(obj, name) for name in attnames]
        for index, adapt in adapted:
            value = row[index]
            if value is None:
                continue
            seen = last.get(index)
            if seen is not None and seen[0] is value:
                row[index] = seen[1]
            else:
                row[index] = adapt(value)
                last[index] = (value, row[index])
        rows.append(row)
    return rows


class Inserted(NamedTuple):
    """The columns ``insert`` wrote and each record's values in their database form, for
    ``insert_history`` to take instead of working them out again."""

    fields: list
    rows: list[list]


def insert(objs: list[Model]) -> Inserted | None:
    """Insert new records of one model and give each its primary key; return what was
    written (None for no records).

    ``auto_now`` and ``auto_now_add`` fields are set as ``save()`` sets them.
    """
    if not objs:
        return None
    model = type(objs[0])
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
    now = timezone.now()
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for field in stamped:
            setattr(obj, field.attname, now)
    adapters = [_adapter(field) for field in fields]
    rows = _values(fields, objs, adapters)
    ids = _execute(meta.db_table, fields, rows, returning=meta.pk.column)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return Inserted(fields, rows)


def _same_form(field, tracked) -> bool:
    """Whether a history column takes the very database form of the record's column: the same
    kind of field with the same places (a file is kept in the history by its name only)."""
    kind = field.get_internal_type()
    if kind != tracked.get_internal_type() or kind in {"FileField", "ImageField"}:
        return False
    if field.is_relation:
        return _same_form(field.target_field, tracked.target_field)
    return (getattr(field, "max_digits", None), getattr(field, "decimal_places", None)) == (
        getattr(tracked, "max_digits", None),
        getattr(tracked, "decimal_places", None),
    )


def _values_written(tracked: list, objs: list, inserted: Inserted) -> list[list] | None:
    """The history's values taken from what ``insert`` wrote of the same records (each
    record's id added); None when a column's form differs, to be worked out as usual."""
    if len(inserted.rows) != len(objs):
        return None
    model = type(objs[0])
    position = {field.attname: index for index, field in enumerate(inserted.fields)}
    sources = []
    for field in tracked:
        if field.attname == model._meta.pk.attname:
            sources.append(None)
            continue
        index = position.get(field.attname)
        if index is None or not _same_form(inserted.fields[index], field):
            return None
        sources.append(index)
    return [
        [obj.pk if index is None else row[index] for index in sources]
        for obj, row in zip(objs, inserted.rows, strict=True)
    ]


def insert_history(
    objs: list[Model], *, history_type: str, user, reason: str, inserted: Inserted | None = None
) -> list[int]:
    """Write one history row per record, as django-simple-history does on a save; return the
    new rows' ids in the order of ``objs``. ``inserted``: what ``insert`` returned for these
    very records, whose values the history takes (an import's 100,000 records: once, not
    twice)."""
    if not objs:
        return []
    model = type(objs[0])
    historical = model.history.model
    tracked = [historical._meta.get_field(field.name) for field in historical.tracked_fields]
    adapters = [
        # A file is kept in the history by its name.
        (lambda value: value.name or "")
        if isinstance(model._meta.get_field(field.name), FileField)
        else _adapter(field)
        for field in tracked
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = getattr(user, "pk", None)
    written = None if inserted is None else _values_written(tracked, objs, inserted)
    rows = [
        [
            now,
            getattr(obj, "_change_reason", None) or reason,
            history_type,
            getattr(getattr(obj, "_history_user", None), "pk", None) or user_id,
            *values,
        ]
        for obj, values in zip(objs, written or _values(tracked, objs, adapters), strict=True)
    ]
    get = historical._meta.get_field
    columns = [get(name) for name in ("history_date", "history_change_reason", "history_type")]
    columns.append(get("history_user"))
    return _execute(
        historical._meta.db_table,
        columns + tracked,
        rows,
        returning=historical._meta.pk.column,
    )


def insert_created(objs: list[Model], *, user, reason: str) -> None:
    """Insert new records and their "+" history rows, as many ``save()`` calls would; the
    history takes the values the insert wrote."""
    inserted = insert(objs)
    insert_history(objs, history_type="+", user=user, reason=reason, inserted=inserted)
