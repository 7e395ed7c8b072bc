"""Read whole databases table by table, to prove two of them hold the same rows."""

from danvan.ops.backup import Database, list_tables


def _key(row: tuple) -> tuple:
    return tuple((value is None, repr(value)) for value in row)


def dump_tables(db: Database) -> dict[str, list[tuple]]:
    """Return every table's rows, sorted, read with the driver's own connection."""
    conn = db.connect()
    try:
        cursor = conn.cursor()
        found = {}
        for table in list_tables(cursor, db.vendor):
            cursor.execute(f'SELECT * FROM "{table}"')
            found[table] = sorted((tuple(row) for row in cursor.fetchall()), key=_key)
        return found
    finally:
        conn.close()


def files_under(folder) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
