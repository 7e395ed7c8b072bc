"""Validate an unsaved record without asking the database, so thousands can be checked at once.

``full_clean`` asks the database once per foreign key (does it exist?), once per unique field
and once per check constraint. The services' build functions validate with the same model
rules, but read a check constraint's condition in Python and trust a foreign key that holds a
record read from the database; the single-row services still save through ``clean_and_save``,
and the database's own constraints stand behind the bulk writes.
"""

import datetime
import functools
import operator
from collections.abc import Callable

from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import DatabaseDefault

_COMPARE = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class _Unreadable(Exception):
    """A condition this module cannot evaluate in Python: the database is asked instead."""


def _combine(tests: list, conjunction: bool, negated: bool):
    def test(instance):
        results = [part(instance) for part in tests]
        if conjunction:
            outcome = False if False in results else None if None in results else True
        else:
            outcome = True if True in results else None if None in results else False
        return outcome if outcome is None or not negated else not outcome

    return test


def _leaf(path: str, wanted, names: dict[str, tuple[str, str]]):
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if name not in names or (lookup not in _COMPARE and lookup != "isnull"):
        raise _Unreadable
    field_name, attname = names[name]
    if lookup == "isnull":
        expected = bool(wanted)
        return (lambda obj: (getattr(obj, attname) is None) == expected), {field_name}
    if wanted is None and lookup == "exact":
        return (lambda obj: getattr(obj, attname) is None), {field_name}
    compare = _COMPARE[lookup]
    if isinstance(wanted, F):
        if wanted.name not in names:
            raise _Unreadable
        other_name, other = names[wanted.name]

        def against_field(obj):
            value, bound = getattr(obj, attname), getattr(obj, other)
            return None if value is None or bound is None else compare(value, bound)

        return against_field, {field_name, other_name}
    if hasattr(wanted, "resolve_expression"):
        raise _Unreadable

    def against_value(obj):
        value = getattr(obj, attname)
        return None if value is None else compare(value, wanted)

    return against_value, {field_name}


def _compile(condition, names: dict[str, tuple[str, str]]):
    """Turn a constraint's condition into a test evaluated as SQL would (True, False, or None
    for unknown), with the names of the fields it reads."""
    if isinstance(condition, Q):
        parts = [_compile(child, names) for child in condition.children]
        fields = set().union(*(part[1] for part in parts))
        test = _combine(
            [part[0] for part in parts], condition.connector == Q.AND, condition.negated
        )
        return test, fields
    if not isinstance(condition, tuple):
        raise _Unreadable
    return _leaf(*condition, names)


@functools.cache
def _model_rules(model: type[models.Model]) -> tuple[list, list]:
    """Per model, read once: its check constraints compiled, and its relations."""
    names = {"pk": (model._meta.pk.name, model._meta.pk.attname)}
    for field in model._meta.concrete_fields:
        names[field.name] = names[field.attname] = (field.name, field.attname)
    checks = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            try:
                test, fields = _compile(constraint.condition, names)
            except _Unreadable:
                test, fields = None, set()
            checks.append((constraint, test, frozenset(fields)))
    relations = [field for field in model._meta.concrete_fields if field.is_relation]
    return checks, relations


def constraint_errors(instance: models.Model, exclude: set[str]) -> list[ValidationError]:
    """Return the check constraints ``instance`` breaks, as ``validate_constraints`` would.

    A constraint naming an excluded field (one that already failed) is skipped, as Django
    does; one this module cannot read is checked by the database.
    """
    errors = []
    for constraint, test, fields in _model_rules(type(instance))[0]:
        if test is None:
            try:
                constraint.validate(type(instance), instance, exclude=exclude)
            except ValidationError as error:
                errors.append(error)
        elif not fields & exclude and test(instance) is False:
            errors.append(
                ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
            )
    return errors


# The field classes whose ``to_python`` hands back a value of this very type unchanged, and
# whose only rules are the choices, the blank rule and the validators below.
_PLAIN_KINDS: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.BooleanField: bool,
    models.DateField: datetime.date,
    models.DateTimeField: datetime.datetime,
}
_BOUNDS = {
    validators.MaxLengthValidator: lambda limit: lambda value: len(value) <= limit,
    validators.MinLengthValidator: lambda limit: lambda value: len(value) >= limit,
    validators.MaxValueValidator: lambda limit: lambda value: value <= limit,
    validators.MinValueValidator: lambda limit: lambda value: value >= limit,
}


def _plain_rule(field: models.Field) -> Callable | None:
    """A test that says True only of a value ``field.clean`` would hand back unchanged without
    an error, in far fewer calls; None when the field has rules it does not know (a custom
    validator, a callable bound, another class of field), which then go through Django.

    It may say False of a valid value (Django then decides), never True of an invalid one:
    ``tests/initiatives/test_checks.py`` holds every field of every model to that."""
    kind = _PLAIN_KINDS.get(type(field))
    if kind is None:
        return None
    tests = []
    for validator in field.validators:
        if type(validator) is validators.ProhibitNullCharactersValidator:
            tests.append(lambda value: "\x00" not in value)
        elif type(validator) in _BOUNDS and not callable(validator.limit_value):
            tests.append(_BOUNDS[type(validator)](validator.limit_value))
        else:
            return None
    choices = None
    if field.choices is not None:
        try:
            choices = frozenset(key for key, _label in field.flatchoices)
        except TypeError:  # a choice that cannot be hashed
            return None

    def plain(value) -> bool:
        # Of exactly the field's type (a bool is not an int, a datetime not a date), not empty
        # (an empty value is the blank rule's), one of the choices, within every bound.
        if type(value) is not kind or value == "":
            return False
        if choices is not None and value not in choices:
            return False
        return all(test(value) for test in tests)

    return plain


@functools.cache
def _field_rules(model: type[models.Model]) -> tuple | None:
    """Per model: each field Django's ``clean_fields`` cleans, with its quick test; None when the
    model changes how it is cleaned (``clean_fields`` or ``full_clean`` of its own)."""
    if (
        model.clean_fields is not models.Model.clean_fields
        or model.full_clean is not models.Model.full_clean
    ):
        return None
    return tuple(
        (field, field.attname, _plain_rule(field))
        for field in model._meta.fields
        if not field.generated
    )


def clean_fields(instance: models.Model, exclude: set[str], rules: tuple) -> None:
    """``instance.clean_fields(exclude)``, with the same errors and the same cleaned values: a
    value its field's quick test accepts is what Django's ``clean`` would keep as it is.

    A model's field rules ran as nested calls for every field of every row (a quarter of an
    import's check of 100,000 initiatives); most values are a short text or a number that
    needs one comparison."""
    errors = {}
    for field, attname, plain in rules:
        if field.name in exclude:
            continue
        raw_value = getattr(instance, attname)
        if plain is not None and plain(raw_value):
            continue
        # From here on exactly as ``Model.clean_fields``.
        if field.blank and raw_value in field.empty_values:
            continue
        if isinstance(raw_value, DatabaseDefault):
            continue
        try:
            setattr(instance, attname, field.clean(raw_value, instance))
        except ValidationError as error:
            errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)


def _full_clean(instance: models.Model, exclude: set[str]) -> None:
    """``full_clean(exclude, validate_unique=False, validate_constraints=False)``: the fields'
    rules, then the model's ``clean`` whatever they found, as Django runs them."""
    rules = _field_rules(type(instance))
    if rules is None:
        instance.full_clean(
            exclude=sorted(exclude), validate_unique=False, validate_constraints=False
        )
        return
    errors: dict = {}
    try:
        clean_fields(instance, exclude, rules)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def validate_unsaved(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> None:
    """Run the model's field, ``clean`` and check-constraint rules on ``instance``.

    Uniqueness is left to the database (codes come from the sequence). A foreign key holding
    a record read from the database is not looked up again.
    """
    skipped = set(exclude)
    for field in _model_rules(type(instance))[1]:
        if field.is_cached(instance):
            related = field.get_cached_value(instance)
            if related is not None and related.pk is not None and not related._state.adding:
                skipped.add(field.name)
    errors: dict = {}
    try:
        _full_clean(instance, skipped)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = set(exclude) | set(errors)
    for error in constraint_errors(instance, failed):
        errors.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)
