"""Helpers that turn bad input into ``ValidationError`` naming the field at fault."""

from decimal import Decimal, InvalidOperation, localcontext

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import limits


class ConflictError(ValidationError):
    """Raised when a record changed since the caller read it (a lost update prevented)."""


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


def parse_decimal(value, field: str, *, required: bool = True) -> Decimal | None:
    """Read a measured figure exactly; text, int or Decimal in, Decimal out.

    A float is read through its shortest text form, so 89.7 stays 89.7 rather than gaining the
    binary rounding error of 89.70000000000000284…
    """
    if value is None or value == "":
        if required:
            reject(field, _("This field is required."), code="required")
        return None
    if isinstance(value, bool):
        reject(field, _("Enter a number."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        reject(field, _("Enter a number."))
    if not number.is_finite():
        reject(field, _("Enter a number."))
    return number


def _exact(value, field: str, message) -> Decimal:
    """Read text, an int or a Decimal as an exact, finite Decimal; refuse anything else (a
    float is not exact) with ``message`` on ``field`` (lazy: translated only when refused,
    for a number read a hundred thousand times by an import)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        reject(field, message)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        reject(field, message)
    if not number.is_finite():
        reject(field, message)
    return number


def parse_whole_number(value, field: str) -> int:
    """Read a whole number (money in VND, m², person-days, people); refuse decimals."""
    number = _exact(value, field, gettext_lazy("Enter a whole number."))
    if number != number.to_integral_value():
        reject(field, _("Enter a whole number, without decimals."))
    return int(number)


def parse_contribution_amount(value, field: str, *, kind: str) -> Decimal:
    """Read a ledger amount exactly, as its kind is counted: whole đồng for money and the value
    of assets, up to two decimals for land (m²) and labour (person-days); refuse more.

    Text, int or Decimal in (a float is not exact, and never an amount), Decimal out, written
    with no more decimals than the kind has ("350.50" is read as 350.50, "38000000.00" as
    38000000).
    """
    number = _exact(value, field, gettext_lazy("Enter a number."))
    error = limits.contribution_decimals_error(number, kind)
    if error is not None:
        raise ValidationError({field: error})
    places = limits.contribution_decimals(kind)
    exponent = number.as_tuple().exponent
    if exponent < -places:  # only zeros past the kind's decimals: drop them, exactly
        with localcontext() as context:
            context.prec = len(number.as_tuple().digits) + places + 1
            number = number.quantize(Decimal(1).scaleb(-places))
    return number
