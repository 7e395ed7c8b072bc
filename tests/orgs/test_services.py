"""Writes to registering organisations."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import CodeScheme
from danvan.core.models import CodeSequence
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.services import organisation_close, organisation_create, organisation_update
from tests.factories import AreaFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def error_fields(caught) -> set[str]:
    return set(caught.value.message_dict)


@pytest.fixture
def yen_giang(areas):
    """A ward dissolved on 1 July 2025 (merged into Phường Quảng Yên)."""
    return areas("Phường Yên Giang", CodeScheme.LEGACY)


@pytest.fixture
def ha_an(areas):
    """A ward of today."""
    return areas("Phường Hà An")


@pytest.fixture
def hoi_lhpn(ha_an):
    return organisation_create(
        actor=SYSTEM,
        name="Hội LHPN phường Hà An",
        kind=OrgKind.WOMENS_UNION,
        seat_area=ha_an,
    )


class TestOrganisationCreate:
    def test_gets_a_code_and_a_folded_name(self, hoi_lhpn, ha_an):
        assert hoi_lhpn.code == "ORG-000001"
        assert hoi_lhpn.name_folded == "hoi lhpn phuong ha an"
        assert hoi_lhpn.seat_area == ha_an
        second = organisation_create(
            actor=SYSTEM,
            name="UBND phường Hà An",
            kind=OrgKind.PEOPLES_COMMITTEE,
            seat_area=ha_an,
        )
        assert second.code == "ORG-000002"

    def test_keeps_a_given_code(self, ha_an):
        organisation = organisation_create(
            actor=SYSTEM,
            name=" Đoàn Thanh niên xã Liên Hòa ",
            kind=OrgKind.YOUTH_UNION,
            seat_area=ha_an,
            code=" DTN-LH ",
        )
        assert (organisation.code, organisation.name) == ("DTN-LH", "Đoàn Thanh niên xã Liên Hòa")
        assert not CodeSequence.objects.filter(prefix="ORG").exists()

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"name": "   "}, "name"),
            ({"kind": "club"}, "kind"),
            ({"seat_area": None}, "seat_area"),
            ({"name": "x" * 256}, "name"),
            (
                {"valid_from": datetime.date(2024, 1, 1), "valid_to": datetime.date(2023, 1, 1)},
                NON_FIELD_ERRORS,
            ),
        ],
    )
    def test_rejects_bad_values_and_wastes_no_code(self, ha_an, changes, field):
        values = {
            "name": "Hội Nông dân phường Yên Giang",
            "kind": OrgKind.FARMERS_ASSOCIATION,
            "seat_area": ha_an,
            **changes,
        }
        with pytest.raises(ValidationError) as caught:
            organisation_create(actor=SYSTEM, **values)
        assert field in error_fields(caught)
        assert not Organisation.objects.exists()
        assert not CodeSequence.objects.filter(prefix="ORG", last__gt=0).exists()

    def test_a_code_is_unique(self, hoi_lhpn, ha_an):
        with pytest.raises(ValidationError) as caught:
            organisation_create(
                actor=SYSTEM,
                name="Hội khác",
                kind=OrgKind.OTHER,
                seat_area=ha_an,
                code=hoi_lhpn.code,
            )
        assert error_fields(caught) == {"code"}
        assert Organisation.objects.count() == 1


class TestOrganisationUpdate:
    def test_changes_the_given_fields(self, hoi_lhpn, areas):
        quang_yen = areas("Phường Quảng Yên")
        organisation_update(
            actor=SYSTEM,
            organisation=hoi_lhpn,
            name=" Hội LHPN phường Quảng Yên ",
            seat_area=quang_yen,
            valid_from=datetime.date(2025, 7, 1),
        )
        hoi_lhpn.refresh_from_db()
        assert hoi_lhpn.name == "Hội LHPN phường Quảng Yên"
        assert hoi_lhpn.name_folded == "hoi lhpn phuong quang yen"
        assert hoi_lhpn.seat_area == quang_yen

    @pytest.mark.parametrize("field", ["code", "successor", "name_folded", "id"])
    def test_refuses_fields_it_does_not_change(self, hoi_lhpn, field):
        with pytest.raises(ValidationError) as caught:
            organisation_update(actor=SYSTEM, organisation=hoi_lhpn, **{field: "X"})
        assert error_fields(caught) == {field}
        hoi_lhpn.refresh_from_db()
        assert hoi_lhpn.code == "ORG-000001"

    def test_bad_kind_is_refused_and_nothing_written(self, hoi_lhpn):
        with pytest.raises(ValidationError) as caught:
            organisation_update(actor=SYSTEM, organisation=hoi_lhpn, name="Tên mới", kind="club")
        assert error_fields(caught) == {"kind"}
        fresh = Organisation.objects.get(pk=hoi_lhpn.pk)
        assert (fresh.name, fresh.kind) == ("Hội LHPN phường Hà An", OrgKind.WOMENS_UNION)

    def test_parent_cannot_be_itself_or_below_it(self, hoi_lhpn):
        branch = OrganisationFactory(name="Chi hội phụ nữ khu 1", parent=hoi_lhpn)
        sub_branch = OrganisationFactory(name="Tổ phụ nữ tổ 8", parent=branch)
        for parent in (hoi_lhpn, branch, sub_branch):
            with pytest.raises(ValidationError) as caught:
                organisation_update(actor=SYSTEM, organisation=hoi_lhpn, parent=parent)
            assert error_fields(caught) == {"parent"}
        hoi_lhpn.refresh_from_db()
        assert hoi_lhpn.parent is None

    def test_sets_a_parent(self, hoi_lhpn):
        town_union = OrganisationFactory(name="Hội LHPN thị xã Quảng Yên")
        organisation_update(actor=SYSTEM, organisation=hoi_lhpn, parent=town_union)
        hoi_lhpn.refresh_from_db()
        assert hoi_lhpn.parent == town_union
        assert list(town_union.children.all()) == [hoi_lhpn]


class TestOrganisationClose:
    def test_closes_with_a_successor(self, hoi_lhpn, areas):
        successor = OrganisationFactory(
            name="Hội LHPN phường Quảng Yên", seat_area=areas("Phường Quảng Yên")
        )
        organisation_close(
            actor=SYSTEM,
            organisation=hoi_lhpn,
            valid_to=datetime.date(2025, 6, 30),
            successor=successor,
        )
        hoi_lhpn.refresh_from_db()
        assert hoi_lhpn.valid_to == datetime.date(2025, 6, 30)
        assert hoi_lhpn.successor == successor
        assert list(successor.predecessors.all()) == [hoi_lhpn]

    def test_cannot_succeed_itself(self, hoi_lhpn):
        with pytest.raises(ValidationError) as caught:
            organisation_close(
                actor=SYSTEM,
                organisation=hoi_lhpn,
                valid_to=datetime.date(2025, 6, 30),
                successor=hoi_lhpn,
            )
        assert error_fields(caught) == {"successor"}
        hoi_lhpn.refresh_from_db()
        assert (hoi_lhpn.valid_to, hoi_lhpn.successor) == (None, None)

    def test_cannot_close_before_it_started(self):
        organisation = OrganisationFactory(
            seat_area=AreaFactory(), valid_from=datetime.date(2020, 1, 1)
        )
        with pytest.raises(ValidationError) as caught:
            organisation_close(
                actor=SYSTEM, organisation=organisation, valid_to=datetime.date(2019, 1, 1)
            )
        assert NON_FIELD_ERRORS in error_fields(caught)
        organisation.refresh_from_db()
        assert organisation.valid_to is None
