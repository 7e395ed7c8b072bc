"""What a dry run read from a file, kept for the apply of the same file.

The apply of a checked file used to read every cell again and run every row through the model's
own rules again, though the dry run had just done both on the same bytes: a third of the apply's
time. The dry run of a kind that supports it (``Importer.replayable``) now writes, next to the
uploaded file, what it found of the sheet (its format, language, header and height), each row's
parsed cells and a signature of the record it planned. The apply reads them instead of the file
when they belong to the same file (its SHA-256), the same kind, the same person and the same
code of the product (every source file of the package, hashed), and otherwise opens and checks
the file as before.

Only what depends on nothing but the file's bytes is taken from the dry run: the file's checks
(formulas, header, size), the parsed values, and the model's field rules of a record whose
signature is unchanged. Everything that reads the
database is done again by the apply, row by row as before: the organisations, units and
initiatives a row names, whether it matches a stored model or ledger entry, the permissions,
the units in force, the links and the statistics' headroom. A row that now plans a different
record (its signature differs) goes through every rule again.
"""

import datetime
import functools
import gzip
import hashlib
import json
import marshal
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from django.db.models import Model

from danvan.imports.reading import Row, Table

_SUFFIX = ".checked.gz"
_VERSION = 2
# What the dry run found of the sheet, kept so that the apply need not open the file again.
_SHEET = ("kind", "language", "header_row", "positions", "estimated_rows")


class _NotPlain(Exception):
    """A value the memo cannot keep exactly; the apply reads the sheet instead."""


@functools.cache
def code_version() -> str:
    """A hash of every Python source file of the product: rules checked under other code are
    checked again."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_of(path: Path | str, *, kind: str, actor_id: int | None) -> list:
    """What a memo must have been made for to be used: the file, the kind, the person and the
    code."""
    return [_VERSION, _file_hash(Path(path)), kind, actor_id, code_version()]


# What JSON keeps exactly as it is (``bool`` before ``int``: both are kept).
_KEPT = frozenset({type(None), bool, int, str})


def _encode(value):
    """A parsed cell as JSON keeps it exactly: dates, times and decimals tagged."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return ["F", repr(value)]
    if isinstance(value, Decimal):
        return ["N", str(value)]
    if isinstance(value, datetime.datetime):
        return ["T", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["D", value.isoformat()]
    if isinstance(value, datetime.time):
        return ["H", value.isoformat()]
    raise _NotPlain(type(value).__name__)


_DECODE = {
    "F": float,
    "N": Decimal,
    "T": datetime.datetime.fromisoformat,
    "D": datetime.date.fromisoformat,
    "H": datetime.time.fromisoformat,
}


def _encoded(cells: dict) -> dict:
    """A row's cells as JSON keeps them; ``_encode`` is called only for the few it cannot keep
    as they are (every row of a file passes here)."""
    return {key: value if type(value) in _KEPT else _encode(value) for key, value in cells.items()}


def _decoded(cells: dict) -> dict:
    """The cells ``_encoded`` wrote, as they were: a tagged value is a list."""
    return {
        key: _DECODE[value[0]](value[1]) if type(value) is list else value
        for key, value in cells.items()
    }


# Values ``marshal`` writes as they are, each type under a code of its own (True is not 1).
_MARSHALLED = frozenset({str, int, bool, float, type(None)})
# The others, tagged with bytes (which no planned record holds, so no value of a row can pass
# for a tag): a decimal with its places (1.0 is not 1.00), a moment with its offset.
_TAGGED = {
    Decimal: lambda value: (b"N", str(value)),
    datetime.date: lambda value: (b"D", value.toordinal()),
    datetime.datetime: lambda value: (b"T", value.isoformat()),
    datetime.time: lambda value: (b"H", value.isoformat()),
}


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type, in their order; None for any other type."""
    names = getattr(kind, "__dataclass_fields__", None)
    return None if names is None else tuple(names)


def _plain(value):
    """``value`` (a planned record and what it names) as plain data for its signature: a
    stored record by its model, id and version.

    Run on every row of a file twice (the dry run keeps the signature, the apply compares):
    the plain values of a record or a dict are taken as they are without a call each."""
    kind = type(value)
    if kind in _MARSHALLED:
        return value
    tagged = _TAGGED.get(kind)
    if tagged is not None:
        return tagged(value)
    if isinstance(value, Model):
        return (value._meta.label, value.pk, getattr(value, "version", None))
    if isinstance(value, dict):  # in the order the importer built it, the same each run
        return tuple(
            [
                (key, item if type(item) in _MARSHALLED else _plain(item))
                for key, item in value.items()
            ]
        )
    if isinstance(value, list | tuple):
        return tuple([item if type(item) in _MARSHALLED else _plain(item) for item in value])
    names = _field_names(kind)
    if names is not None:
        items = [getattr(value, name) for name in names]
        return (
            kind.__name__,
            tuple([item if type(item) in _MARSHALLED else _plain(item) for item in items]),
        )
    raise _NotPlain(kind.__name__)


def signature(outcome: str, item) -> str | None:
    """A short digest of what a row plans: the same digest, the same record to validate
    (None for a record this cannot tell apart: it is validated again).

    The plain data is written by ``marshal``'s version 2, which writes equal values the same
    way whatever process holds them (no references between objects, no mark of an interned
    text), in a third of the time ``repr`` took."""
    try:
        plain = marshal.dumps((outcome, _plain(item)), 2)
    except _NotPlain:
        return None
    return hashlib.blake2b(plain, digest_size=12).hexdigest()


# One encoder for every row (``json.dumps`` with an option builds a new one each call).
_LINE = json.JSONEncoder(ensure_ascii=False)


class Recorder:
    """Writes a dry run's rows next to the file; kept only when ``keep`` is called."""

    def __init__(self, path: Path | str, key: list, table: Table):
        self.path = Path(f"{path}{_SUFFIX}")
        self.partial = self.path.with_name(self.path.name + ".part")
        # Open across the dry run's chunks; ``keep`` or ``drop`` closes it.
        self.handle = gzip.open(self.partial, "wt", encoding="utf-8", compresslevel=1)  # noqa: SIM115
        self.handle.write(json.dumps(key) + "\n")
        sheet = {name: getattr(table, name) for name in _SHEET}
        self.handle.write(json.dumps(sheet, ensure_ascii=False) + "\n")
        self.usable = True

    def add(self, number: int, raw: dict, parsed: dict | None, outcome: str | None, item) -> None:
        """Keep one row: its number, the raw cells the apply reads, its parsed cells and the
        signature of what it plans (``outcome`` None: nothing)."""
        if not self.usable:
            return
        try:
            line = [
                number,
                _encoded(raw),
                _encoded(parsed or {}),
                None if outcome is None else signature(outcome, item),
            ]
        except _NotPlain:
            self.usable = False
            return
        self.handle.write(_LINE.encode(line) + "\n")

    def keep(self) -> None:
        self.handle.close()
        if self.usable:
            self.partial.replace(self.path)
        else:
            self.partial.unlink(missing_ok=True)

    def drop(self) -> None:
        self.handle.close()
        self.partial.unlink(missing_ok=True)


class Replayed(Row):
    """A row as the dry run read it: ``parsed`` its cells' values, ``signature`` what it
    planned (None: it planned nothing to write)."""

    def __init__(self, number: int, values: dict, parsed: dict, signature: str | None):
        super().__init__(number, values)
        self.parsed = parsed
        self.signature = signature


def replay(path: Path | str, key: list) -> Table | None:
    """The sheet as a dry run of this very file read it (its rows are ``Replayed``), or None
    when none was kept for ``key``."""
    memo = Path(f"{path}{_SUFFIX}")
    try:
        with gzip.open(memo, "rt", encoding="utf-8") as handle:
            if json.loads(handle.readline()) != key:
                return None
            sheet = json.loads(handle.readline())
    except (OSError, ValueError, EOFError):  # none kept, or not readable
        return None

    def rows() -> Iterator[Replayed]:
        with gzip.open(memo, "rt", encoding="utf-8") as handle:
            handle.readline()
            handle.readline()
            for line in handle:
                number, raw, parsed, planned = json.loads(line)
                yield Replayed(number, _decoded(raw), _decoded(parsed), planned)

    return Table(**sheet, rows=rows())


def forget(path: Path | str) -> None:
    """Remove a dry run's rows (once the file is applied)."""
    Path(f"{path}{_SUFFIX}").unlink(missing_ok=True)
