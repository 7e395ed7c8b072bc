"""``unsaved`` builds the very instance ``Model(**values)`` builds, by the faster path."""

import datetime
from decimal import Decimal

import pytest

from danvan.areas.models import Area
from danvan.core.instances import unsaved
from danvan.imports.models import ImportIssue
from danvan.initiatives.models import Contribution, Initiative
from danvan.orgs.models import Organisation


def _state(instance) -> tuple:
    """What an instance holds: its columns, its cached relations, and its state."""
    columns = {key: value for key, value in vars(instance).items() if key != "_state"}
    return columns, dict(instance._state.fields_cache), instance._state.adding, instance._state.db


@pytest.fixture
def ward():
    # Records held in memory only: ``unsaved`` reads their keys, never the database.
    area = Area(pk=4661, name="Phường Quảng Yên", code="22177")
    return area, Organisation(pk=812, name="Mặt trận Tổ quốc phường Quảng Yên", seat_area=area)


def test_an_initiative_as_the_keywords_build_it(ward):
    area, organisation = ward
    earlier = Initiative(pk=77, code="DVK-2023-000077", title="Camera an ninh", year=2023)
    values = {
        "code": "",
        "title": "Camera an ninh khu dân cư",
        "summary": "Lắp camera ở các ngõ",
        "field": "defence_security",
        "organisation": organisation,
        "area": area,
        "year": 2024,
        "registration_kind": "continued",
        "continued_from": earlier,
        "start_date": datetime.date(2024, 3, 15),
        "end_date": None,
        "exemplary": False,
        "replicated_from": None,
        "people_in_charge": "Đỗ Văn Nam",
    }
    built = unsaved(Initiative, **values)
    assert _state(built) == _state(Initiative(**values))
    # The defaults of the fields not given (status, version) are the model's.
    assert (built.status, built.version) == ("draft", 1)
    assert built.organisation is organisation and built.continued_from is earlier


def test_a_ledger_entry_by_record_or_by_key(ward):
    entry = Initiative(pk=4242, title="Đường giao thông nông thôn", year=2024)
    by_record = {
        "initiative": entry,
        "date": datetime.date(2024, 11, 15),
        "kind": "land",
        "amount": Decimal("350.50"),
        "contributor_type": "households",
        "contributors": 12,
        "description": "",
        "created_by": None,
    }
    assert _state(unsaved(Contribution, **by_record)) == _state(Contribution(**by_record))
    by_key = {**by_record, "initiative_id": 4242, "corrects_id": 9, "created_by_id": 3}
    del by_key["initiative"], by_key["created_by"]
    assert _state(unsaved(Contribution, **by_key)) == _state(Contribution(**by_key))


def test_a_computed_default_is_computed_for_each_instance():
    first, second = unsaved(ImportIssue), unsaved(ImportIssue)
    assert first.texts == {} and second.texts == {}
    assert first.texts is not second.texts  # ``default=dict``: never one shared dict


def test_what_the_keywords_refuse_is_refused(ward):
    area, _organisation = ward
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        unsaved(Initiative, title="Camera", colour="red")
    with pytest.raises(ValueError, match=r'"Initiative\.organisation" must be a "Organisation"'):
        unsaved(Initiative, title="Camera", organisation=area)
