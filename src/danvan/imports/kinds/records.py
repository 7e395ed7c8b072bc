"""Kinds written record by record through the single-record services: organisations, villages
and residential groups, people.

Their services have no bulk form, and the rules live in them, so the dry run calls them too:
every row of a chunk is written inside a transaction that is then rolled back, and the check
applies exactly the rules the apply will. Each row runs in its own savepoint, so a refused row
does not hide the problems of the rows after it, and each row sees the rows above it (a new
organisation can be the parent of the next row's). The apply makes the same calls and keeps
them, all or nothing.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.imports.cells import Catalogue
from danvan.imports.rows import NON_FIELD, Importer, RowError, change_cause

ROW_ERRORS = (RowError, ValidationError, PermissionDenied)


def catalogue_of(pairs: Iterable[tuple[str, object]]) -> Catalogue:
    """Return a catalogue of ``(code, label)`` pairs, matched by the label in every language
    (for a part of a list, such as the kinds of unit below a commune)."""
    entries = []
    for code, label in pairs:
        names = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.append(str(label))
        entries.append((code, names))
    return Catalogue(entries)


def on_columns(error: Exception, columns: dict[str, str], *, denied: str) -> RowError:
    """Return ``error`` of one service call as a ``RowError`` on the file's columns.

    ``columns`` maps the service's field names to column keys; a refusal of permission is put
    on the ``denied`` column, the cell that named the place the importer may not act in.
    """
    if isinstance(error, RowError):
        return error
    if isinstance(error, PermissionDenied):
        return RowError({denied: [str(error) or _("You do not have permission to do this here.")]})
    if hasattr(error, "error_dict"):
        found: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            found.setdefault(columns.get(name, NON_FIELD), []).extend(messages)
        return RowError(found)
    return RowError({NON_FIELD: list(error.messages)})


class RecordImporter(Importer):
    """An importer whose ``save`` writes one planned item with the services."""

    def save(self, item) -> None:  # pragma: no cover - every kind has one
        raise NotImplementedError

    def _save_all(self, items: list) -> dict[int, Exception]:
        errors: dict[int, Exception] = {}
        for position, item in enumerate(items):
            try:
                with transaction.atomic():
                    self.save(item)
            except ROW_ERRORS as error:
                errors[position] = error
        return errors

    def check(self, items: list) -> dict[int, Exception]:
        with transaction.atomic():
            errors = self._save_all(items)
            transaction.set_rollback(True)  # a dry run: nothing of it is kept
        return errors

    def write(self, items: list, *, reason: str) -> dict[int, Exception]:
        with transaction.atomic(), change_cause(reason):
            errors = self._save_all(items)
            if errors:
                transaction.set_rollback(True)
        return errors

    def once(self, key: str, value, row_number: int, seen: dict, message: str = "") -> None:
        """Refuse a record named on two rows of the file: the second would undo the first.

        ``message`` has a ``%(row)s`` for the earlier row; by default it speaks of a code.
        """
        if value in seen:
            text = message or _("This code is also on row %(row)s.")
            raise RowError({key: [text % {"row": seen[value]}]})
        seen[value] = row_number
