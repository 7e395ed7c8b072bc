"""Writes to the administrative tree: villages under communes, moves, successions."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, AreaKind, AreaSuccession, CodeScheme, SuccessionKind
from danvan.areas.selectors import area_subtree
from danvan.areas.services import area_create, area_succession_create, area_update
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)


def counts():
    return Area.objects.count(), AreaSuccession.objects.count()


def error_fields(caught) -> set[str]:
    return set(caught.value.message_dict)


class TestAreaCreate:
    def test_a_village_under_a_legacy_ward_takes_its_code_and_validity(self, areas):
        yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
        zone_1 = area_create(
            actor=SYSTEM, name="  Khu 1 ", kind=AreaKind.RESIDENTIAL_GROUP, parent=yen_giang
        )
        zone_2 = area_create(
            actor=SYSTEM, name="Khu 2", kind=AreaKind.RESIDENTIAL_GROUP, parent=yen_giang
        )
        assert zone_1.name == "Khu 1"
        assert zone_1.scheme == CodeScheme.LOCAL
        assert (zone_1.code, zone_2.code) == ("07162-001", "07162-002")
        assert zone_1.path == f"{yen_giang.path}.{zone_1.pk}"
        assert zone_1.depth == 3
        assert zone_1.level == 4
        assert zone_1.valid_to == datetime.date(2025, 6, 30)
        assert set(area_subtree(area=yen_giang, include_self=False)) == {zone_1, zone_2}

    def test_codes_stay_unique_when_two_parents_share_an_official_code(self, areas):
        # Phường Quảng Yên has the code 07132 in both lists.
        old = areas("Phường Quảng Yên", CodeScheme.LEGACY)
        new = areas("Phường Quảng Yên", CodeScheme.CURRENT)
        first = area_create(actor=SYSTEM, name="Khu 3", kind=AreaKind.RESIDENTIAL_GROUP, parent=old)
        second = area_create(
            actor=SYSTEM, name="Khu 3", kind=AreaKind.RESIDENTIAL_GROUP, parent=new
        )
        assert first.code == "07132-001"
        assert second.code != first.code
        assert second.code.startswith("07132-")

    def test_a_family_group_under_a_village(self):
        commune = AreaFactory(name="Xã Liên Hòa")
        village = area_create(actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=commune)
        group = area_create(actor=SYSTEM, name="Tổ 8", kind=AreaKind.FAMILY_GROUP, parent=village)
        assert group.path == f"{commune.path}.{village.pk}.{group.pk}"
        assert group.depth == 2

    def test_a_root_unit(self):
        area = area_create(actor=SYSTEM, name="Tỉnh Thử", kind=AreaKind.PROVINCE, code="P-01")
        assert area.path == str(area.pk)
        assert area.depth == 0

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"name": "Thôn 1", "kind": "hamlet"}, "kind"),
            ({"name": "Thôn 1", "kind": AreaKind.VILLAGE}, "parent"),
            ({"name": "", "kind": AreaKind.COMMUNE, "code": "X-1"}, "name"),
            ({"name": "   ", "kind": AreaKind.COMMUNE, "code": "X-1"}, "name"),
            ({"name": "Xã dài", "kind": AreaKind.COMMUNE, "code": "X" * 33}, "code"),
            (
                {"name": "Xã", "kind": AreaKind.COMMUNE, "code": "X-2", "latitude": "abc"},
                "latitude",
            ),
            ({"name": "x" * 201, "kind": AreaKind.COMMUNE, "code": "X-3"}, "name"),
        ],
    )
    def test_rejects_bad_values_naming_the_field(self, kwargs, field):
        before = counts()
        with pytest.raises(ValidationError) as caught:
            area_create(actor=SYSTEM, **kwargs)
        assert field in error_fields(caught)
        assert counts() == before

    def test_a_village_must_sit_under_a_commune(self, areas):
        district = areas("Huyện Can Lộc", CodeScheme.LEGACY)
        before = counts()
        with pytest.raises(ValidationError) as caught:
            area_create(actor=SYSTEM, name="Thôn Tân Tiến", kind=AreaKind.VILLAGE, parent=district)
        assert error_fields(caught) == {"parent"}
        assert counts() == before

    def test_an_official_unit_cannot_sit_under_another_list(self, areas):
        with pytest.raises(ValidationError) as caught:
            area_create(
                actor=SYSTEM,
                name="Xã Lạ",
                kind=AreaKind.COMMUNE,
                code="T-1",
                scheme=CodeScheme.CURRENT,
                parent=areas("Huyện Can Lộc", CodeScheme.LEGACY),
            )
        assert error_fields(caught) == {"parent"}

    def test_an_official_code_is_unique_in_its_scheme(self, areas):
        before = counts()
        with pytest.raises(ValidationError) as caught:
            area_create(
                actor=SYSTEM,
                name="Phường Quảng Yên bis",
                kind=AreaKind.WARD,
                code="07132",
                scheme=CodeScheme.CURRENT,
                parent=areas("Tỉnh Quảng Ninh"),
            )
        assert NON_FIELD_ERRORS in error_fields(caught)
        assert counts() == before

    def test_end_before_start_is_the_constraint_error(self):
        before = counts()
        with pytest.raises(ValidationError) as caught:
            area_create(
                actor=SYSTEM,
                name="Xã Ngược",
                kind=AreaKind.COMMUNE,
                code="T-9",
                valid_from=datetime.date(2020, 1, 1),
                valid_to=datetime.date(2019, 1, 1),
            )
        assert NON_FIELD_ERRORS in error_fields(caught)
        assert counts() == before


class TestAreaUpdate:
    def test_rename_refolds_the_name(self):
        area = AreaFactory(name="Thôn 1")
        area_update(actor=SYSTEM, area=area, name=" Thôn Đông Yên ")
        area.refresh_from_db()
        assert (area.name, area.name_folded) == ("Thôn Đông Yên", "thon dong yen")

    def test_moving_a_unit_rewrites_its_whole_subtree(self):
        first = AreaFactory(name="Xã Thượng Lộc")
        second = AreaFactory(name="Xã Hạ Lộc")
        village = area_create(actor=SYSTEM, name="Thôn Trung", kind=AreaKind.VILLAGE, parent=first)
        group = area_create(actor=SYSTEM, name="Tổ 1", kind=AreaKind.FAMILY_GROUP, parent=village)
        subgroup = area_create(actor=SYSTEM, name="Tổ 1a", kind=AreaKind.FAMILY_GROUP, parent=group)
        area_update(actor=SYSTEM, area=village, parent=second)
        for area in (village, group, subgroup):
            area.refresh_from_db()
        assert village.path == f"{second.path}.{village.pk}"
        assert group.path == f"{village.path}.{group.pk}"
        assert subgroup.path == f"{group.path}.{subgroup.pk}"
        assert [village.depth, group.depth, subgroup.depth] == [1, 2, 3]
        assert set(area_subtree(area=second, include_self=False)) == {village, group, subgroup}
        assert not area_subtree(area=first, include_self=False).exists()

    def test_moving_deeper_shifts_depths(self):
        commune = AreaFactory(name="Xã Liên Hòa")
        village_1 = area_create(actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=commune)
        village_2 = area_create(actor=SYSTEM, name="Thôn 2", kind=AreaKind.VILLAGE, parent=commune)
        group = area_create(actor=SYSTEM, name="Tổ 5", kind=AreaKind.FAMILY_GROUP, parent=village_2)
        area_update(actor=SYSTEM, area=village_2, parent=village_1)
        group.refresh_from_db()
        assert group.depth == 3
        assert group.path == f"{commune.path}.{village_1.pk}.{village_2.pk}.{group.pk}"

    def test_cannot_move_under_itself_or_its_descendants(self):
        commune = AreaFactory()
        village = area_create(actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=commune)
        group = area_create(actor=SYSTEM, name="Tổ 1", kind=AreaKind.FAMILY_GROUP, parent=village)
        for new_parent in (village, group):
            with pytest.raises(ValidationError) as caught:
                area_update(actor=SYSTEM, area=village, parent=new_parent)
            assert error_fields(caught) == {"parent"}
        village.refresh_from_db()
        group.refresh_from_db()
        assert village.parent == commune
        assert group.path == f"{commune.path}.{village.pk}.{group.pk}"

    def test_close_before_start_is_refused_and_nothing_changes(self):
        area = AreaFactory(name="Xã Cũ", valid_from=datetime.date(2020, 1, 1))
        with pytest.raises(ValidationError) as caught:
            area_update(
                actor=SYSTEM, area=area, name="Xã Mới", valid_to=datetime.date(2019, 12, 31)
            )
        assert NON_FIELD_ERRORS in error_fields(caught)
        area.refresh_from_db()
        assert (area.name, area.valid_to) == ("Xã Cũ", None)

    def test_blank_name_is_refused(self):
        area = AreaFactory(name="Thôn 1")
        with pytest.raises(ValidationError) as caught:
            area_update(actor=SYSTEM, area=area, name="  ")
        assert error_fields(caught) == {"name"}
        area.refresh_from_db()
        assert area.name == "Thôn 1"


class TestAreaSuccessionCreate:
    def test_records_a_merge(self):
        old, new = AreaFactory(valid_to=datetime.date(2025, 6, 30)), AreaFactory()
        link = area_succession_create(
            actor=SYSTEM, predecessor=old, successor=new, date=REFORM, kind=SuccessionKind.MERGE
        )
        assert (link.predecessor, link.successor, link.is_default, link.share) == (
            old,
            new,
            True,
            None,
        )

    def test_the_first_successor_is_the_default_until_another_is_named(self):
        old = AreaFactory()
        first, second, third = AreaFactory(), AreaFactory(), AreaFactory()

        def split(part, share, is_default):
            return area_succession_create(
                actor=SYSTEM,
                predecessor=old,
                successor=part,
                date=REFORM,
                kind=SuccessionKind.SPLIT,
                share=Decimal(share),
                is_default=is_default,
            )

        assert split(first, "0.3", False).is_default
        assert not split(second, "0.3", False).is_default
        split(third, "0.4", True)
        defaults = AreaSuccession.objects.filter(predecessor=old, is_default=True)
        assert [link.successor for link in defaults] == [third]

    @pytest.mark.parametrize(
        ("kind", "share", "field"),
        [
            (SuccessionKind.SPLIT, None, "share"),
            (SuccessionKind.SPLIT, Decimal("0"), NON_FIELD_ERRORS),
            (SuccessionKind.SPLIT, Decimal("1.5"), NON_FIELD_ERRORS),
            (SuccessionKind.SPLIT, Decimal("0.33333"), "share"),
            ("annex", None, "kind"),
        ],
    )
    def test_rejects_bad_values(self, kind, share, field):
        old, new = AreaFactory(), AreaFactory()
        before = counts()
        with pytest.raises(ValidationError) as caught:
            area_succession_create(
                actor=SYSTEM, predecessor=old, successor=new, date=REFORM, kind=kind, share=share
            )
        assert field in error_fields(caught)
        assert counts() == before

    def test_a_unit_cannot_succeed_itself(self):
        area = AreaFactory()
        with pytest.raises(ValidationError) as caught:
            area_succession_create(
                actor=SYSTEM,
                predecessor=area,
                successor=area,
                date=REFORM,
                kind=SuccessionKind.RENAME,
            )
        assert NON_FIELD_ERRORS in error_fields(caught)
        assert not AreaSuccession.objects.filter(predecessor=area).exists()

    def test_the_same_link_twice_is_refused(self):
        old, new = AreaFactory(), AreaFactory()
        area_succession_create(
            actor=SYSTEM, predecessor=old, successor=new, date=REFORM, kind="merge"
        )
        with pytest.raises(ValidationError) as caught:
            area_succession_create(
                actor=SYSTEM, predecessor=old, successor=new, date=REFORM, kind="merge"
            )
        assert NON_FIELD_ERRORS in error_fields(caught)
        assert AreaSuccession.objects.filter(predecessor=old).count() == 1

    def test_shares_above_one_are_refused_and_the_default_is_kept(self):
        old, first, second = AreaFactory(), AreaFactory(), AreaFactory()
        area_succession_create(
            actor=SYSTEM,
            predecessor=old,
            successor=first,
            date=REFORM,
            kind="split",
            share=Decimal("0.6"),
        )
        with pytest.raises(ValidationError) as caught:
            area_succession_create(
                actor=SYSTEM,
                predecessor=old,
                successor=second,
                date=REFORM,
                kind="split",
                share=Decimal("0.5"),
                is_default=True,
            )
        assert error_fields(caught) == {"share"}
        [link] = AreaSuccession.objects.filter(predecessor=old)
        assert (link.successor, link.is_default) == (first, True)
