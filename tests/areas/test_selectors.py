"""Subtrees, validity on a day, and succession in both directions."""

import datetime
from decimal import Decimal

import pytest

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import Area, AreaKind, CodeScheme, SuccessionKind
from danvan.areas.selectors import (
    area_coverage_q,
    area_current_successors,
    area_default_successor,
    area_historical_predecessors,
    area_search,
    area_subtree,
    areas_valid_on,
)
from danvan.areas.services import area_create, area_succession_create
from danvan.initiatives.models import Initiative
from tests.factories import AreaFactory, InitiativeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

MERGE_2019 = datetime.date(2020, 1, 1)
REFORM = datetime.date(2025, 7, 1)


def ended(name, day=datetime.date(2019, 12, 31), **kwargs):
    return AreaFactory(name=name, valid_to=day, **kwargs)


class TestSubtree:
    def test_a_commune_with_its_villages_and_family_groups(self):
        commune = AreaFactory(name="Xã Thiên Lộc")
        village = AreaFactory(name="Thôn Tân Tiến", kind=AreaKind.VILLAGE, parent=commune)
        group = AreaFactory(name="Tổ 8", kind=AreaKind.FAMILY_GROUP, parent=village)
        neighbour = AreaFactory(name="Xã Vượng Lộc")
        AreaFactory(name="Thôn Vượng", kind=AreaKind.VILLAGE, parent=neighbour)
        assert set(area_subtree(area=commune)) == {commune, village, group}
        assert set(area_subtree(area=commune, include_self=False)) == {village, group}
        assert set(area_subtree(area=group)) == {group}

    def test_prefix_does_not_catch_a_sibling_whose_id_starts_the_same(self):
        root = AreaFactory(name="Tỉnh Hà Tĩnh", kind=AreaKind.PROVINCE)
        first = AreaFactory(parent=root)
        # Ids 1 and 12 share the digit prefix: the separator keeps them apart.
        lookalike = AreaFactory(parent=root)
        lookalike.path = f"{first.path}2"
        lookalike.save(update_fields=["path"])
        assert set(area_subtree(area=first)) == {first}

    def test_official_province_holds_its_districts_and_communes(self, areas):
        ha_tinh = areas("Tỉnh Hà Tĩnh", CodeScheme.LEGACY)
        subtree = area_subtree(area=ha_tinh)
        assert subtree.filter(name="Xã Thiên Lộc", parent__name="Huyện Can Lộc").exists()
        assert not subtree.filter(name="Phường Yên Giang").exists()
        assert not subtree.filter(scheme=CodeScheme.CURRENT).exists()


class TestValidOn:
    def test_units_in_force_on_a_day(self):
        old = AreaFactory(
            valid_from=datetime.date(2013, 1, 1), valid_to=datetime.date(2019, 12, 31)
        )
        new = AreaFactory(valid_from=datetime.date(2020, 1, 1))
        always = AreaFactory()
        pks = [old.pk, new.pk, always.pk]

        def on(day):
            return set(areas_valid_on(day=day).filter(pk__in=pks))

        assert on(datetime.date(2019, 12, 31)) == {old, always}
        assert on(datetime.date(2020, 1, 1)) == {new, always}
        assert on(datetime.date(2013, 1, 1)) == {old, always}
        assert on(datetime.date(2012, 12, 31)) == {always}

    def test_restricts_a_given_queryset(self, areas):
        quang_ninh_today = areas("Tỉnh Quảng Ninh")
        queryset = area_subtree(area=quang_ninh_today)
        assert areas_valid_on(day=datetime.date(2025, 6, 30), queryset=queryset).count() == 0
        assert areas_valid_on(day=REFORM, queryset=queryset).count() == queryset.count()

    def test_official_counts_on_each_side_of_the_reform(self, areas):
        before = areas_valid_on(day=datetime.date(2024, 1, 1)).filter(level=1)
        after = areas_valid_on(day=datetime.date(2025, 8, 1)).filter(level=1)
        assert before.exclude(scheme=CodeScheme.LOCAL).count() == 63
        assert after.exclude(scheme=CodeScheme.LOCAL).count() == 34


class TestSuccessionChain:
    """A 2019 merge of two communes, then the 2025 merge into today's commune."""

    @pytest.fixture
    def chain(self):
        thuong = ended("Xã Thượng Lộc 2019")
        ha = ended("Xã Hạ Lộc 2019")
        merged = AreaFactory(
            name="Xã Thiên Lộc (2020)",
            valid_from=MERGE_2019,
            valid_to=datetime.date(2025, 6, 30),
        )
        neighbour = AreaFactory(name="Xã Vượng Lộc (2020)", valid_to=datetime.date(2025, 6, 30))
        today = AreaFactory(name="Xã Can Lộc (2025)", valid_from=REFORM)
        for old in (thuong, ha):
            area_succession_create(
                actor=SYSTEM,
                predecessor=old,
                successor=merged,
                date=MERGE_2019,
                kind=SuccessionKind.MERGE,
            )
        for old in (merged, neighbour):
            area_succession_create(
                actor=SYSTEM,
                predecessor=old,
                successor=today,
                date=REFORM,
                kind=SuccessionKind.MERGE,
            )
        return {
            "thuong": thuong,
            "ha": ha,
            "merged": merged,
            "neighbour": neighbour,
            "today": today,
        }

    def test_historical_predecessors_of_today_include_every_generation(self, chain):
        assert set(area_historical_predecessors(area=chain["today"])) == {
            chain["thuong"],
            chain["ha"],
            chain["merged"],
            chain["neighbour"],
        }
        assert set(area_historical_predecessors(area=chain["merged"])) == {
            chain["thuong"],
            chain["ha"],
        }
        assert not area_historical_predecessors(area=chain["thuong"]).exists()

    def test_current_successor_of_a_2019_unit_is_the_2025_unit(self, chain):
        [successor] = area_current_successors(area=chain["thuong"])
        assert successor.area == chain["today"]
        assert successor.share == 1
        assert successor.is_default
        assert area_default_successor(area=chain["ha"]) == chain["today"]

    def test_a_current_unit_is_its_own_successor(self, chain):
        [successor] = area_current_successors(area=chain["today"])
        assert (successor.area, successor.share, successor.is_default) == (chain["today"], 1, True)

    def test_on_official_units_a_2019_merge_reaches_xa_can_loc(self, areas):
        thien_loc = areas("Xã Thiên Lộc", CodeScheme.LEGACY, parent="Huyện Can Lộc")
        old = area_create(
            actor=SYSTEM,
            name="Xã Thiên Lộc cũ",
            kind=AreaKind.COMMUNE,
            code="T-18415-2019",
            scheme=CodeScheme.LEGACY,
            parent=thien_loc.parent,
            valid_to=datetime.date(2019, 12, 31),
        )
        area_succession_create(
            actor=SYSTEM,
            predecessor=old,
            successor=thien_loc,
            date=MERGE_2019,
            kind=SuccessionKind.MERGE,
        )
        can_loc = areas("Xã Can Lộc")
        assert area_default_successor(area=old) == can_loc
        assert {old, thien_loc} <= set(area_historical_predecessors(area=can_loc))


class TestSplitShares:
    def test_shares_multiply_along_a_split_chain(self):
        original = ended("Xã Gốc")
        kept = AreaFactory(name="Xã Giữ Lại", valid_from=MERGE_2019)
        middle = ended("Xã Trung Gian", day=datetime.date(2025, 6, 30))
        east = AreaFactory(name="Phường Đông", valid_from=REFORM)
        west = AreaFactory(name="Phường Tây", valid_from=REFORM)
        area_succession_create(
            actor=SYSTEM,
            predecessor=original,
            successor=kept,
            date=MERGE_2019,
            kind=SuccessionKind.SPLIT,
            share=Decimal("0.5"),
            is_default=False,
        )
        area_succession_create(
            actor=SYSTEM,
            predecessor=original,
            successor=middle,
            date=MERGE_2019,
            kind=SuccessionKind.SPLIT,
            share=Decimal("0.5"),
        )
        area_succession_create(
            actor=SYSTEM,
            predecessor=middle,
            successor=east,
            date=REFORM,
            kind=SuccessionKind.SPLIT,
            share=Decimal("0.4"),
        )
        area_succession_create(
            actor=SYSTEM,
            predecessor=middle,
            successor=west,
            date=REFORM,
            kind=SuccessionKind.SPLIT,
            share=Decimal("0.6"),
            is_default=False,
        )
        shares = {s.area: (s.share, s.is_default) for s in area_current_successors(area=original)}
        assert shares == {
            kept: (Decimal("0.5"), False),
            east: (Decimal("0.2"), True),
            west: (Decimal("0.3"), False),
        }
        assert sum(share for share, _ in shares.values()) == 1
        assert area_default_successor(area=original) == east
        assert area_current_successors(area=original)[0].area == east

    def test_parts_that_meet_again_add_up(self):
        """Half of a commune moves to its neighbour in 2020; both merge in 2025."""
        original = ended("Xã Gốc")
        north = ended("Xã Bắc", day=datetime.date(2022, 12, 31))
        south = ended("Xã Nam", day=datetime.date(2025, 6, 30))
        today = AreaFactory(name="Xã Hợp Nhất", valid_from=REFORM)
        for part, is_default in ((north, True), (south, False)):
            area_succession_create(
                actor=SYSTEM,
                predecessor=original,
                successor=part,
                date=MERGE_2019,
                kind=SuccessionKind.SPLIT,
                share=Decimal("0.5"),
                is_default=is_default,
            )
        area_succession_create(
            actor=SYSTEM,
            predecessor=north,
            successor=south,
            date=datetime.date(2023, 1, 1),
            kind=SuccessionKind.MERGE,
        )
        area_succession_create(
            actor=SYSTEM, predecessor=south, successor=today, date=REFORM, kind=SuccessionKind.MERGE
        )
        [successor] = area_current_successors(area=original)
        assert successor.area == today
        assert successor.share == 1
        assert successor.is_default

    def test_a_split_without_shares_divides_evenly(self):
        original = ended("Xã Cũ")
        parts = [AreaFactory(name=f"Xã Mới {n}") for n in range(4)]
        for part in parts:
            area_succession_create(
                actor=SYSTEM,
                predecessor=original,
                successor=part,
                date=REFORM,
                kind=SuccessionKind.MERGE,
            )
        successors = area_current_successors(area=original)
        assert {s.area for s in successors} == set(parts)
        assert all(s.share == Decimal("0.25") for s in successors)
        assert sum(s.is_default for s in successors) == 1
        assert area_default_successor(area=original) == parts[-1]

    def test_an_ended_unit_without_successor_has_none(self):
        abolished = ended("Xã Bị Giải Thể")
        assert area_current_successors(area=abolished) == []
        assert area_default_successor(area=abolished) is None

    def test_a_cycle_of_links_terminates(self):
        first = ended("Xã Một")
        second = ended("Xã Hai")
        area_succession_create(
            actor=SYSTEM,
            predecessor=first,
            successor=second,
            date=MERGE_2019,
            kind=SuccessionKind.RENAME,
        )
        area_succession_create(
            actor=SYSTEM,
            predecessor=second,
            successor=first,
            date=MERGE_2019,
            kind=SuccessionKind.RENAME,
        )
        assert area_current_successors(area=first) == []
        assert set(area_historical_predecessors(area=first)) == {second}


class TestCoverage:
    """A reviewer of a 2025 commune covers what was recorded under the units it replaced."""

    @pytest.fixture
    def recorded(self, areas):
        yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
        zone_1 = area_create(
            actor=SYSTEM, name="Khu 1", kind=AreaKind.RESIDENTIAL_GROUP, parent=yen_giang
        )
        family_8 = area_create(actor=SYSTEM, name="Tổ 8", kind=AreaKind.FAMILY_GROUP, parent=zone_1)
        tien_an = areas("Xã Tiền An", CodeScheme.LEGACY)
        quang_yen = areas("Phường Quảng Yên")
        lien_hoa = areas("Xã Liên Hòa", CodeScheme.LEGACY, parent="Thị xã Quảng Yên")
        village_1 = area_create(actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=lien_hoa)
        town = areas("Thị xã Quảng Yên", CodeScheme.LEGACY)
        hoi_lhpn = OrganisationFactory(name="Hội LHPN phường Yên Giang", seat_area=yen_giang)

        def initiative(title, area):
            return InitiativeFactory(title=title, organisation=hoi_lhpn, area=area)

        return {
            "quang_yen": quang_yen,
            "covered": {
                initiative("Khai thác nhà văn hóa khu dân cư", yen_giang),
                initiative("Điều hòa cho nhà văn hóa khu 1", zone_1),
                initiative("Tổ liên gia phòng cháy", family_8),
                initiative("Đường hoa Tiền An", tien_an),
                initiative("Chuyển đổi số phường Quảng Yên", quang_yen),
            },
            "not_covered": {
                initiative("Lan can chống đuối nước thôn 1", village_1),
                initiative("Mô hình của thị xã", town),
            },
        }

    def test_covers_predecessors_and_their_villages_but_not_a_neighbour(self, recorded):
        condition = area_coverage_q(area=recorded["quang_yen"])
        everything = recorded["covered"] | recorded["not_covered"]
        found = set(Initiative.objects.filter(pk__in=[i.pk for i in everything]).filter(condition))
        assert found == recorded["covered"]

    def test_a_split_commune_is_covered_by_each_of_its_successors(self, recorded, areas):
        village_1 = next(i for i in recorded["not_covered"] if i.area.name == "Thôn 1")
        for name in ("Phường Liên Hòa", "Phường Hà An"):
            condition = area_coverage_q(area=areas(name))
            assert Initiative.objects.filter(condition, pk=village_1.pk).exists()
        assert not Initiative.objects.filter(
            area_coverage_q(area=areas("Phường Quảng Yên")), pk=village_1.pk
        ).exists()

    def test_the_province_covers_everything_in_it(self, recorded, areas):
        condition = area_coverage_q(area=areas("Tỉnh Quảng Ninh"))
        everything = recorded["covered"] | recorded["not_covered"]
        assert Initiative.objects.filter(condition).count() == len(everything)
        assert not Initiative.objects.filter(area_coverage_q(area=areas("Tỉnh Hà Tĩnh"))).exists()

    def test_reads_the_rows_by_their_unit_not_by_a_join_to_every_unit(self, recorded):
        """The rows' unit is tested against the covered units' ids (found by the path index),
        never each row's joined unit path: at national scale the join read every row."""
        sql = str(Initiative.objects.filter(area_coverage_q(area=recorded["quang_yen"])).query)
        assert "JOIN" not in sql
        assert '"initiatives_initiative"."area_id" IN (SELECT' in sql

    def test_names_another_foreign_key(self, areas):
        yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
        organisation = OrganisationFactory(name="Hội LHPN phường Yên Giang", seat_area=yen_giang)
        from danvan.orgs.models import Organisation

        condition = area_coverage_q(area=areas("Phường Quảng Yên"), field="seat_area")
        assert list(Organisation.objects.filter(condition)) == [organisation]


class TestSearch:
    def test_ignores_diacritics_and_case(self, areas):
        found = area_search(text="yen giang", scheme=CodeScheme.LEGACY)
        assert "Phường Yên Giang" in {a.name for a in found}
        assert all(a.scheme == CodeScheme.LEGACY for a in found)

    def test_d_with_stroke_folds_to_d(self, areas):
        names = {a.name for a in area_search(text="duc tho", day=datetime.date(2024, 1, 1))}
        assert "Huyện Đức Thọ" in names

    def test_day_filters_the_units_of_that_day(self, areas):
        after = {(a.name, a.scheme) for a in area_search(text="Quảng Yên", day=REFORM)}
        assert ("Phường Quảng Yên", CodeScheme.CURRENT) in after
        assert all(scheme == CodeScheme.CURRENT for _, scheme in after)
        before = {a.scheme for a in area_search(text="Quảng Yên", day=datetime.date(2024, 6, 1))}
        assert before == {CodeScheme.LEGACY}


def test_covering_ids_agree_with_the_scope_rule_both_ways(areas):
    """Every unit whose scope (``Grant.covers``) takes in Yên Giang is in the covering set."""
    from danvan.accounts.scope import Grant
    from danvan.areas.selectors import area_covering_ids

    yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
    covering = area_covering_ids(area=yen_giang)
    expected = {
        areas("Phường Quảng Yên"),
        areas("Tỉnh Quảng Ninh"),
        areas("Tỉnh Quảng Ninh", CodeScheme.LEGACY),
        areas("Thị xã Quảng Yên", CodeScheme.LEGACY),
        yen_giang,
    }
    assert {area.pk for area in expected} <= covering
    neighbours = Area.objects.filter(
        scheme=CodeScheme.CURRENT, parent__name="Tỉnh Quảng Ninh"
    ).exclude(name="Phường Quảng Yên")[:20]
    for unit in [*expected, *neighbours]:
        assert (unit.pk in covering) == Grant("reviewer", unit, None).covers(yen_giang, None)
