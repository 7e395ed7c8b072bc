"""An initiative sits on a unit in force in its year: a 2024 model on the legacy ward of 2024,
a 2026 model on one of today's units, through the service, the API and the form alike."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.lifecycle import initiative_continue
from danvan.initiatives.models import Initiative
from danvan.initiatives.services import initiative_create, initiative_days, initiative_update
from tests import people
from tests.api import conftest as api_fixtures
from tests.api.conftest import error_of
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

world = people.world  # the shared cast (tests/people.py)
api = api_fixtures.api


@pytest.fixture(autouse=True)
def english():
    """Compare messages in English, dates included."""
    with translation.override("en"):
        yield


ENDED = "Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên."


def create(w, **changes):
    values = {
        "actor": w.lan,
        "title": "Nhà văn hóa khu 1",
        "field": Field.CULTURE_SOCIETY,
        "organisation": w.wu_yen_giang,
        "area": w.zone_1,
        "year": 2026,
    }
    return initiative_create(**values | changes)


def area_error(caught) -> str:
    [message] = caught.value.message_dict["area"]
    return message


def test_days_are_the_year_narrowed_by_start_and_end():
    day = datetime.date
    assert initiative_days(2025, None, None) == (day(2025, 1, 1), day(2025, 12, 31))
    assert initiative_days(2025, day(2025, 8, 1), None) == (day(2025, 8, 1), day(2025, 12, 31))
    assert initiative_days(2025, day(2020, 1, 1), day(2025, 3, 1)) == (
        day(2025, 1, 1),
        day(2025, 3, 1),
    )
    assert initiative_days(2025, "not a date", None) == (day(2025, 1, 1), day(2025, 12, 31))


def test_a_2026_initiative_on_a_village_of_a_dissolved_ward_is_refused(world):
    before = Initiative.objects.count()
    with pytest.raises(ValidationError) as caught:
        create(world)
    assert area_error(caught) == (
        "Khu 1 lies in Phường Yên Giang, which ended on Jul 1, 2025; choose Phường Quảng Yên "
        "or a unit under it."
    )
    with pytest.raises(ValidationError) as caught:
        create(world, area=world.yen_giang)
    assert area_error(caught) == ENDED
    assert Initiative.objects.count() == before


def test_a_2024_initiative_sits_on_the_legacy_units_and_a_2026_one_on_todays(world):
    old = create(world, year=2024)
    assert old.area == world.zone_1
    new = create(world, area=world.quang_yen)
    assert new.area == world.quang_yen


def test_2025_follows_the_start_date(world):
    create(world, year=2025, area=world.yen_giang, start_date=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError) as caught:
        create(world, year=2025, area=world.yen_giang, start_date=datetime.date(2025, 8, 1))
    assert area_error(caught) == ENDED
    with pytest.raises(ValidationError) as caught:
        create(world, year=2025, area=world.quang_yen, end_date=datetime.date(2025, 5, 31))
    assert area_error(caught).startswith("Phường Quảng Yên came into force on Jul 1, 2025")


def test_a_change_of_unit_or_dates_is_checked_and_other_changes_are_not(world):
    initiative = create(world, area=world.quang_yen)
    with pytest.raises(ValidationError) as caught:
        initiative_update(actor=world.lan, initiative=initiative, area=world.yen_giang)
    assert area_error(caught) == ENDED
    initiative.refresh_from_db()
    assert initiative.area == world.quang_yen
    # A record filed on a dissolved unit before this rule keeps working until it is moved.
    stranded = InitiativeFactory(organisation=world.wu_yen_giang, area=world.zone_1, year=2026)
    stranded.start_date = None
    stranded.save()
    initiative_update(actor=world.lan, initiative=stranded, title="Tên mới")
    with pytest.raises(ValidationError):
        initiative_update(
            actor=world.lan, initiative=stranded, start_date=datetime.date(2026, 2, 1)
        )
    initiative_update(actor=world.lan, initiative=stranded, area=world.quang_yen)
    stranded.refresh_from_db()
    assert stranded.area == world.quang_yen


def test_a_2024_model_continued_into_2026_moves_to_the_default_successor(world):
    model = create(world, year=2024)
    Initiative.objects.filter(pk=model.pk).update(status=Status.COMPLETED)
    model.refresh_from_db()
    continued = initiative_continue(actor=world.root, initiative=model)
    assert (continued.year, continued.area) == (2025, world.zone_1)  # 1 January 2025: legacy
    Initiative.objects.filter(pk=continued.pk).update(status=Status.COMPLETED)
    continued.refresh_from_db()
    later = initiative_continue(actor=world.root, initiative=continued)
    assert (later.year, later.area, later.continued_from) == (2026, world.quang_yen, continued)
    model.refresh_from_db()
    assert model.area == world.zone_1  # the earlier years stay on the units of their day


def test_the_api_refuses_with_the_same_words(world, api):
    body = {
        "title": "Nhà văn hóa",
        "field": "culture_society",
        "organisation": world.wu_yen_giang.pk,
        "area": world.yen_giang.pk,
        "year": 2026,
    }
    response = api(world.lan).post("/api/v1/initiatives/", body, format="json")
    assert error_of(response, 400)["fields"]["area"] == [ENDED]
    response = api(world.lan).post("/api/v1/initiatives/", body | {"year": 2024}, format="json")
    assert response.status_code == 201, response.content


def test_the_form_refuses_with_the_same_words(world, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.lan)
    response = client.post(
        reverse("initiatives:create"),
        {
            "title": "Nhà văn hóa",
            "field": "culture_society",
            "organisation": world.wu_yen_giang.pk,
            "area": world.yen_giang.pk,
            "year": 2026,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["area"] == [ENDED]
    # Lan's own organisation is active on the dissolved ward: the page says so.
    assert b"data-seat-ended" in response.content
