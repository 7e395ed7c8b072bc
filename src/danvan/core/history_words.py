"""A recorded change said in words, as a person would read it on a page.

django-simple-history keeps raw values: a choice's code (``in_progress``), a foreign key's
number, a many-to-many change as rows of the link table (``[{'initiative': 27767, 'tag': 6}]``),
a file's storage path, dates in ISO form. A history shown that way means nothing to a clerk
and leaks where files are stored. ``change_in_words`` turns each value into what the page
would show for it: the choice's label, the related record's name, the names of the tags or
agencies, a file's own name, a date and a number as the language writes them.
"""

from __future__ import annotations

import datetime
import posixpath
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from danvan.core.formats import format_date, format_number


class NameCache:
    """Names of related records, read once per model and key for a whole history."""

    def __init__(self) -> None:
        self._names: dict[tuple[type, object], str] = {}

    def names(self, model: type[models.Model], keys: list) -> list[str]:
        missing = [key for key in keys if (model, key) not in self._names]
        if missing:
            for record in model._default_manager.filter(pk__in=missing):
                self._names[(model, record.pk)] = str(record)
        # A record deleted since the change is still named, by what it was.
        return [self._names.get((model, key), _("(removed record)")) for key in keys]


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _many(field: models.ManyToManyField, rows, cache: NameCache) -> str:
    """Rows of the link table as the names of the records they point at."""
    if not rows:
        return ""
    target = field.m2m_reverse_field_name()
    keys = [row.get(target) if isinstance(row, dict) else row for row in rows]
    return ", ".join(sorted(cache.names(field.related_model, keys)))


def _number(value) -> str:
    try:
        return format_number(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _date(value, field) -> str:
    if isinstance(value, str):
        try:
            value = (
                datetime.datetime.fromisoformat(value)
                if isinstance(field, models.DateTimeField)
                else datetime.date.fromisoformat(value)
            )
        except ValueError:
            return value
    return format_date(value)


def value_in_words(field: models.Field | None, value, cache: NameCache) -> str:
    """One recorded value of ``field`` as the page would show it."""
    if value is None or value == "" or value == []:
        return ""
    if field is None:
        return str(value)
    if isinstance(field, models.ManyToManyField):
        return _many(field, value, cache)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.ForeignKey):
        key = value.pk if isinstance(value, models.Model) else value
        return cache.names(field.related_model, [key])[0]
    if isinstance(field, models.FileField):
        # Only the file's own name: where it is stored is nobody's business on a page.
        return posixpath.basename(str(value))
    if isinstance(field, (models.DateField, models.DateTimeField)):
        return _date(value, field)
    if isinstance(field, (models.DecimalField, models.IntegerField, models.FloatField)):
        return _number(value)
    return str(value)


def change_in_words(
    model: type[models.Model], name: str, old, new, cache: NameCache
) -> tuple[str, str, str]:
    """``(label, old, new)`` of one changed field, in words."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    return (
        _label(model, name),
        value_in_words(field, old, cache),
        value_in_words(field, new, cache),
    )
