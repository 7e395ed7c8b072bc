"""Validate an unsaved record without asking the database, so thousands can be checked at once.

``full_clean`` asks the database once per foreign key (does it exist?), once per unique field
and once per check constraint. The services' build functions validate with the same model
rules, but read a check constraint's condition in Python and trust a foreign key that holds a
record read from the database; the single-row services still save through ``clean_and_save``,
and the database's own constraints stand behind the bulk writes.
"""

import functools
import operator

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q

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
        instance.full_clean(
            exclude=sorted(skipped), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = set(exclude) | set(errors)
    for error in constraint_errors(instance, failed):
        errors.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)
