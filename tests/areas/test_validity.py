"""The one rule of placing a record on a unit: in force on the record's dates, with the unit
above it; a unit that ended names the units to choose instead."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from danvan.areas.models import AreaKind, AreaSuccession, CodeScheme, SuccessionKind
from danvan.areas.validity import area_in_force_on, area_require_in_force, area_span
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def yen_giang(areas):
    return areas("Phường Yên Giang", CodeScheme.LEGACY)


@pytest.fixture
def quang_yen(areas):
    return areas("Phường Quảng Yên")


@pytest.fixture
def zone_3(yen_giang):
    return AreaFactory(name="Khu 3", kind=AreaKind.RESIDENTIAL_GROUP, parent=yen_giang)


def refusal(**kwargs) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        area_require_in_force(**kwargs)
    [(field, [message])] = caught.value.message_dict.items()
    return field, message


class TestInForce:
    def test_a_record_of_2024_sits_on_the_legacy_unit_of_its_year(self, yen_giang, zone_3):
        for unit in (yen_giang, zone_3):
            area_require_in_force(area=unit, first_day=DAY(2024, 1, 1), last_day=DAY(2024, 12, 31))

    def test_a_record_of_2025_may_sit_on_either_side_of_1_july(self, yen_giang, quang_yen):
        for unit in (yen_giang, quang_yen):
            area_require_in_force(area=unit, first_day=DAY(2025, 1, 1), last_day=DAY(2025, 12, 31))

    def test_a_record_of_2026_on_a_dissolved_ward_names_its_successor(self, yen_giang):
        assert refusal(area=yen_giang, first_day=DAY(2026, 1, 1), last_day=DAY(2026, 12, 31)) == (
            "area",
            "Phường Yên Giang ended on Jul 1, 2025; choose Phường Quảng Yên.",
        )

    def test_a_village_under_a_dissolved_ward_names_the_ward_and_its_successor(self, zone_3):
        assert refusal(area=zone_3, last_day=DAY(2026, 3, 1), field="seat_area") == (
            "seat_area",
            "Khu 3 lies in Phường Yên Giang, which ended on Jul 1, 2025; choose Phường Quảng "
            "Yên or a unit under it.",
        )

    def test_the_last_day_before_the_reform_is_still_the_legacy_units(self, yen_giang):
        area_require_in_force(area=yen_giang, last_day=DAY(2025, 6, 30))
        with pytest.raises(ValidationError):
            area_require_in_force(area=yen_giang, last_day=DAY(2025, 7, 1))

    def test_a_current_unit_before_it_existed_is_refused(self, quang_yen):
        field, message = refusal(
            area=quang_yen, first_day=DAY(2024, 1, 1), last_day=DAY(2024, 12, 31)
        )
        assert field == "area"
        assert message.startswith("Phường Quảng Yên came into force on Jul 1, 2025")

    def test_a_split_unit_names_every_successor_the_default_first(self):
        old = AreaFactory(name="Xã Cũ", valid_to=DAY(2025, 6, 30))
        first, second = AreaFactory(name="Xã Một"), AreaFactory(name="Xã Hai")
        for successor, default in ((second, False), (first, True)):
            AreaSuccession.objects.create(
                predecessor=old,
                successor=successor,
                date=DAY(2025, 7, 1),
                kind=SuccessionKind.SPLIT,
                share="0.5",
                is_default=default,
            )
        assert refusal(area=old, last_day=DAY(2026, 1, 1))[1] == (
            "Xã Cũ ended on Jul 1, 2025; choose Xã Một or Xã Hai."
        )

    def test_a_unit_that_ended_without_successor_says_so(self):
        gone = AreaFactory(name="Xã Giải Thể", valid_to=DAY(2020, 12, 31))
        assert refusal(area=gone, last_day=DAY(2024, 1, 1))[1] == (
            "Xã Giải Thể ended on Jan 1, 2021; choose a unit in force on the record's dates."
        )


class TestSpanAndSuccessor:
    def test_a_village_ends_with_its_ward(self, yen_giang, zone_3):
        assert area_span(area=zone_3) == (None, DAY(2025, 6, 30), yen_giang)

    def test_a_unit_in_force_is_kept_and_an_ended_one_is_carried_on(
        self, yen_giang, zone_3, quang_yen
    ):
        assert area_in_force_on(area=zone_3, day=DAY(2024, 5, 1)) == zone_3
        assert area_in_force_on(area=zone_3, day=DAY(2026, 1, 1)) == quang_yen
        assert area_in_force_on(area=yen_giang, day=DAY(2026, 1, 1)) == quang_yen
        assert area_in_force_on(area=quang_yen, day=DAY(2026, 1, 1)) == quang_yen
