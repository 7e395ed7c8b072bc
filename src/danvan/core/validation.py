"""Helpers that turn bad input into ``ValidationError`` naming the field at fault."""

from django.core.exceptions import ValidationError
from django.db import models


def clean_and_save(instance: models.Model, **save_kwargs) -> models.Model:
    """Validate every field and constraint of ``instance``, then save it.

    Services call this instead of ``save()`` so that bad values never reach the database and
    the error names the field (``ValidationError.message_dict``).
    """
    instance.full_clean()
    instance.save(**save_kwargs)
    return instance


def reject(field: str, message: str, code: str = "invalid") -> None:
    """Raise a ``ValidationError`` for one field."""
    raise ValidationError({field: ValidationError(message, code=code)})
