"""What every kind of import shares: reading a row's cells, and naming the cause of its changes.

An importer turns rows into calls of the bulk services, which apply the same rules as the
forms. Cell errors are collected for the whole row before giving up, so the preview lists
every bad cell at once.
"""

import contextvars
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from danvan.imports.cells import CellError, is_blank
from danvan.imports.reading import Column, Row

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
NON_FIELD = "__all__"

_cause: contextvars.ContextVar[str] = contextvars.ContextVar("import_cause", default="")


@contextmanager
def change_cause(reason: str):
    """Make every history row written inside the block carry ``reason`` as its change reason."""
    token = _cause.set(reason)
    try:
        yield
    finally:
        _cause.reset(token)


def name_history_row(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record`` receiver: attribute the row to the running import."""
    reason = _cause.get()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


class RowError(Exception):
    """A row that cannot be imported: ``errors`` maps a column key (or ``__all__``) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def errors_of(error: Exception, fields: dict[str, str]) -> dict[str, list]:
    """Return the messages of a service's error by column; ``fields`` maps model fields to keys.

    A ``ValidationError``'s messages are returned as its single errors, each with its template
    and its params, so that an issue can say them in every language (``ImportIssue.found``).
    """
    if isinstance(error, RowError):
        return error.errors
    if isinstance(error, PermissionDenied):
        return {NON_FIELD: [str(error) or _("You do not have permission to do this here.")]}
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        found: dict[str, list] = {}
        for name, errors in error.error_dict.items():
            found.setdefault(fields.get(name, NON_FIELD), []).extend(errors)
        return found
    if isinstance(error, ValidationError):
        return {NON_FIELD: list(error.error_list)}
    raise error


class Importer:
    """One kind of import. Subclasses set ``kind``, ``columns`` and ``fields``, and ``handle``."""

    kind = ""
    columns: list[Column] = []
    # Model field names → column keys, to place a service's ValidationError on its cell.
    fields: dict[str, str] = {}
    # Whether the apply may take the dry run's reading of the file (``imports.checked``): the
    # kind's ``write`` then takes ``checked``, the positions of the items the dry run planned
    # alike, whose model rules it passed.
    replayable = False
    # The columns whose parser reads the database (an organisation by its code): parsed again
    # when the apply takes the dry run's reading.
    looked_up: frozenset[str] = frozenset()
    # The columns whose raw cells the apply needs besides those (``prepare`` reads them).
    kept_raw: frozenset[str] = frozenset()

    def __init__(self, *, actor, language: str):
        self.actor = actor
        self.language = language
        self.warnings: list[tuple[str, str]] = []
        # The parsed cells of the row read last, for the dry run to keep.
        self.last_read: dict | None = None
        # The parsers passed last and those of their ``looked_up`` columns (``read``).
        self._looked_up_kept: tuple[dict, dict] | None = None

    def prepare(self, rows: list[Row]) -> None:
        """Read ahead what the coming chunk of rows will look up, in a few queries rather than
        one a row. Kinds that look nothing up need not override it."""

    def plan(self, row: Row) -> tuple[str, object]:  # pragma: no cover - every kind has one
        """Read ``row`` and say what it does: ``(CREATE | UPDATE | UNCHANGED, item)``, where
        ``item`` is what the kind's bulk service takes for the row (None when unchanged)."""
        raise NotImplementedError

    def check(self, items: list) -> dict[int, Exception]:  # pragma: no cover
        """Validate planned items with the services' rules, writing nothing; return the
        error of each refused item by its position."""
        raise NotImplementedError

    def write(self, items: list, *, reason: str) -> dict[int, Exception]:  # pragma: no cover
        """Write planned items in one bulk call; when any is refused nothing is written and
        the errors are returned by position."""
        raise NotImplementedError

    def read(self, row: Row, parsers: dict[str, Callable]) -> dict:
        """Parse the row's cells; raise ``RowError`` naming every cell that cannot be read.

        A row the dry run read (``imports.checked``) brings its parsed cells; only the columns
        ``looked_up`` are parsed again."""
        values, errors = {}, {}
        parsed = getattr(row, "parsed", None)
        if parsed is not None:
            values = dict(parsed)
            parsers = self._looked_up_parsers(parsers)
        required = self._required
        for key, parser in parsers.items():
            raw = row.values.get(key)
            if is_blank(raw):
                if key in required:
                    errors[key] = [_("This cell is required.")]
                values[key] = None
                continue
            try:
                values[key] = parser(raw)
            except CellError as error:
                errors[key] = [error.message]
        if errors:
            raise RowError(errors)
        self.last_read = {key: value for key, value in values.items() if key not in self.looked_up}
        return values

    # ``read`` runs on every row of a file: what it needs of the kind is worked out once.
    @cached_property
    def _required(self) -> frozenset[str]:
        """The columns a row must fill."""
        return frozenset(column.key for column in self.columns if column.required)

    def _looked_up_parsers(self, parsers: dict[str, Callable]) -> dict[str, Callable]:
        """The parsers of the ``looked_up`` columns among ``parsers`` (a replayed row's only
        cells to parse), kept while the kind passes the same ``parsers``."""
        kept = self._looked_up_kept
        if kept is None or kept[0] is not parsers:
            kept = (parsers, {key: parsers[key] for key in self.looked_up if key in parsers})
            self._looked_up_kept = kept
        return kept[1]

    def warn(self, key: str, message: str) -> None:
        self.warnings.append((key, message))
