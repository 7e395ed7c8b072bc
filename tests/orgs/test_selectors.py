"""Reads of organisations: by area (with predecessors), kind, name, and when active."""

import datetime

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import CodeScheme
from danvan.orgs.models import OrgKind
from danvan.orgs.selectors import organisation_list, organisation_successor_chain
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quang_yen_orgs(areas):
    yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
    lien_hoa = areas("Xã Liên Hòa", CodeScheme.LEGACY, parent="Thị xã Quảng Yên")
    quang_yen = areas("Phường Quảng Yên")
    return {
        "hoi_lhpn": OrganisationFactory(
            name="Hội LHPN phường Yên Giang",
            kind=OrgKind.WOMENS_UNION,
            seat_area=yen_giang,
            valid_to=datetime.date(2025, 6, 30),
        ),
        "ubnd": OrganisationFactory(
            name="UBND phường Yên Giang",
            kind=OrgKind.PEOPLES_COMMITTEE,
            seat_area=yen_giang,
            valid_to=datetime.date(2025, 6, 30),
        ),
        "new_union": OrganisationFactory(
            name="Hội LHPN phường Quảng Yên",
            kind=OrgKind.WOMENS_UNION,
            seat_area=quang_yen,
            valid_from=datetime.date(2025, 7, 1),
        ),
        "doan": OrganisationFactory(
            name="Đoàn Thanh niên xã Liên Hòa", kind=OrgKind.YOUTH_UNION, seat_area=lien_hoa
        ),
    }


def test_by_area_covers_the_units_a_2025_ward_replaced(quang_yen_orgs, areas):
    found = set(organisation_list(actor=SYSTEM, area=areas("Phường Quảng Yên")))
    assert found == {
        quang_yen_orgs["hoi_lhpn"],
        quang_yen_orgs["ubnd"],
        quang_yen_orgs["new_union"],
    }


def test_by_area_and_kind(quang_yen_orgs, areas):
    found = list(
        organisation_list(actor=SYSTEM, area=areas("Tỉnh Quảng Ninh"), kind=OrgKind.WOMENS_UNION)
    )
    assert set(found) == {quang_yen_orgs["hoi_lhpn"], quang_yen_orgs["new_union"]}


def test_search_ignores_diacritics(quang_yen_orgs):
    assert list(organisation_list(actor=SYSTEM, search="doan thanh nien")) == [
        quang_yen_orgs["doan"]
    ]
    assert set(organisation_list(actor=SYSTEM, search="YÊN GIANG")) == {
        quang_yen_orgs["hoi_lhpn"],
        quang_yen_orgs["ubnd"],
    }


def test_active_on_a_day(quang_yen_orgs):
    before = set(organisation_list(actor=SYSTEM, active_on=datetime.date(2025, 6, 30)))
    after = set(organisation_list(actor=SYSTEM, active_on=datetime.date(2025, 7, 1)))
    assert quang_yen_orgs["hoi_lhpn"] in before and quang_yen_orgs["hoi_lhpn"] not in after
    assert quang_yen_orgs["new_union"] in after and quang_yen_orgs["new_union"] not in before
    assert quang_yen_orgs["doan"] in before and quang_yen_orgs["doan"] in after


def test_successor_chain_oldest_first_and_stops_on_a_loop():
    first = OrganisationFactory(name="Hội LHPN xã Thiên Lộc")
    second = OrganisationFactory(name="Hội LHPN xã Can Lộc (2025)")
    third = OrganisationFactory(name="Hội LHPN xã Can Lộc")
    first.successor, second.successor = second, third
    first.save()
    second.save()
    assert organisation_successor_chain(organisation=first) == [second, third]
    assert organisation_successor_chain(organisation=third) == []
    third.successor = first
    third.save()
    assert organisation_successor_chain(organisation=first) == [second, third]
