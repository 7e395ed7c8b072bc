"""The quick field rules of ``validate_unsaved`` never accept what Django's own refuse.

An import checks every row with ``validate_unsaved``; its field rules take a short path for
plain values (``checks._plain_rule``). Every field of every model of the product is held here
to Django's ``Field.clean``: a value the short path accepts is one Django keeps as it is.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator

from danvan.initiatives import checks
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Contribution, Initiative

pytestmark = pytest.mark.django_db

_TEXTS = ["", " ", "a", "x" * 9, "Mô hình dân vận khéo", "nul\x00inside", "economy", "0", "1"]


def _probes(field) -> list:
    """Values around every bound and choice of ``field``, of its type and of others."""
    values = [None, True, False, 0, 1, -1, 7, 2**31, -(2**31) - 1, 2**63, 1.5, Decimal("2")]
    values += [datetime.date(2024, 3, 4), datetime.datetime(2024, 3, 4, 5, 6)]
    values += _TEXTS + [str(number) for number in (0, 7, -1)]
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(limit, int):
            values += [limit - 1, limit, limit + 1]
        if isinstance(validator, MaxLengthValidator | MinLengthValidator):
            values += ["é" * max(limit - 1, 0), "é" * limit, "é" * (limit + 1)]
    if field.choices is not None:
        keys = [key for key, _label in field.flatchoices]
        values += keys + [str(key).upper() for key in keys] + [f"{key} " for key in keys]
    return values


def _django_keeps(field, instance, value) -> bool:
    """Whether ``Model.clean_fields`` passes ``value`` of ``field`` and leaves it as it is."""
    if field.blank and value in field.empty_values:
        return True
    try:
        cleaned = field.clean(value, instance)
    except ValidationError:
        return False
    return type(cleaned) is type(value) and cleaned == value


def _product_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("danvan."):
            continue
        for field in model._meta.fields:
            if not field.generated:
                yield model, field


def test_a_quick_rule_accepts_only_what_django_keeps():
    checked = 0
    for model, field in _product_fields():
        rule = checks._plain_rule(field)
        if rule is None:
            continue
        instance = model()
        for value in _probes(field):
            if rule(value):
                checked += 1
                assert _django_keeps(field, instance, value), (model, field.name, value)
    # Most of the product's fields have a quick rule: the test is not vacuous.
    assert checked > 500


def test_fields_with_rules_it_does_not_know_go_through_django():
    title = Initiative._meta.get_field("title")
    organisation = Initiative._meta.get_field("organisation")
    amount = Contribution._meta.get_field("amount")
    assert checks._plain_rule(title) is not None
    assert checks._plain_rule(organisation) is None  # a foreign key
    assert checks._plain_rule(amount) is None  # a decimal


def _errors(call) -> dict:
    try:
        call()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"title": ""},
        {"title": "x" * 600},
        {"title": "a\x00b"},
        {"field": "weather"},
        {"field": ""},
        {"year": "2024"},
        {"year": "xxx"},
        {"year": True},
        {"year": 2**40},
        {"start_date": "2024-01-01"},
        {"start_date": datetime.datetime(2024, 1, 1, 8)},
        {"exemplary": "yes"},
        {"summary": "y" * 100_000},
        {"title": "", "field": "weather", "year": "x"},
    ],
    ids=lambda changes: ",".join(changes) or "valid",
)
def test_validate_unsaved_finds_what_full_clean_finds(hoi_lhpn, yen_giang, changes):
    """The same errors, the same messages, the same cleaned values as Django's own path."""

    def built() -> Initiative:
        initiative = Initiative(
            title="Khai thác, quản lý nhà văn hóa khu dân cư",
            field=Field.CULTURE_SOCIETY,
            organisation=hoi_lhpn,
            area=yen_giang,
            year=2024,
            start_date=datetime.date(2024, 2, 1),
        )
        for name, value in changes.items():
            setattr(initiative, name, value)
        return initiative

    quick, django = built(), built()
    found = _errors(lambda: checks.validate_unsaved(quick, exclude=("code",)))
    exclude = ["code", "organisation", "area"]
    expected = _errors(
        lambda: django.full_clean(
            exclude=exclude, validate_unique=False, validate_constraints=False
        )
    )
    for error in checks.constraint_errors(django, set(exclude) | set(expected)):
        expected.setdefault("__all__", []).extend(error.messages)
    assert found == expected
    if changes in ({"title": ""}, {"field": "weather"}, {"year": "xxx"}):
        assert found  # refused by the quick path's fallback, not let through
    for field in Initiative._meta.fields:
        assert getattr(quick, field.attname) == getattr(django, field.attname), field.name
