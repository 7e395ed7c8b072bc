"""The official lists: both schemes, the 2025 crosswalk, a consistent tree, safe to run again."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from danvan.areas.loader import load_official_areas
from danvan.areas.models import (
    LEGACY_LAST_DAY,
    REFORM_2025,
    Area,
    AreaKind,
    AreaLevel,
    AreaSuccession,
    CodeScheme,
    SuccessionKind,
)
from danvan.areas.selectors import area_current_successors, area_default_successor

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("official_areas"), pytest.mark.django_db]


def level_counts(scheme):
    return Counter(Area.objects.filter(scheme=scheme).values_list("level", flat=True))


def test_current_list_has_34_provinces_and_3321_communes_wards_and_special_zones():
    counts = level_counts(CodeScheme.CURRENT)
    assert counts == {AreaLevel.PROVINCE: 34, AreaLevel.COMMUNE: 3321}
    kinds = Counter(
        Area.objects.filter(scheme=CodeScheme.CURRENT, level=AreaLevel.COMMUNE).values_list(
            "kind", flat=True
        )
    )
    assert set(kinds) == {AreaKind.COMMUNE, AreaKind.WARD, AreaKind.SPECIAL_ZONE}
    assert sum(kinds.values()) == 3321


def test_legacy_list_has_63_provinces_their_districts_and_10035_communes():
    counts = level_counts(CodeScheme.LEGACY)
    assert counts[AreaLevel.PROVINCE] == 63
    assert 690 <= counts[AreaLevel.DISTRICT] <= 700
    assert counts[AreaLevel.COMMUNE] == 10_035
    assert set(counts) == {AreaLevel.PROVINCE, AreaLevel.DISTRICT, AreaLevel.COMMUNE}


def test_validity_splits_at_the_2025_reform():
    legacy = Area.objects.filter(scheme=CodeScheme.LEGACY)
    current = Area.objects.filter(scheme=CodeScheme.CURRENT)
    assert not legacy.exclude(valid_to=LEGACY_LAST_DAY).exists()
    assert not current.exclude(valid_from=REFORM_2025).exists()
    assert not current.filter(valid_to__isnull=False).exists()
    assert (
        Area.objects.valid_on(datetime.date(2024, 12, 31)).filter(scheme=CodeScheme.CURRENT).count()
        == 0
    )
    assert (
        Area.objects.valid_on(datetime.date(2025, 7, 1)).filter(scheme=CodeScheme.LEGACY).count()
        == 0
    )


def test_the_tree_places_every_unit_under_a_parent_of_its_own_scheme(areas):
    yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
    assert yen_giang.parent.name == "Thị xã Quảng Yên"
    assert yen_giang.parent.kind == AreaKind.TOWN
    assert yen_giang.parent.parent.name == "Tỉnh Quảng Ninh"
    quang_yen = areas("Phường Quảng Yên")
    assert quang_yen.parent.name == "Tỉnh Quảng Ninh"
    assert quang_yen.parent.scheme == CodeScheme.CURRENT
    assert not Area.objects.filter(
        scheme=CodeScheme.CURRENT, parent__scheme=CodeScheme.LEGACY
    ).exists()
    assert not Area.objects.filter(
        scheme=CodeScheme.LEGACY, parent__scheme=CodeScheme.CURRENT
    ).exists()


def test_paths_are_consistent():
    rows = list(
        Area.objects.filter(scheme__in=[CodeScheme.LEGACY, CodeScheme.CURRENT]).values_list(
            "pk", "parent_id", "path", "depth", "level"
        )
    )
    path_of = {pk: path for pk, _, path, _, _ in rows}
    for pk, parent_id, path, depth, level in rows:
        if parent_id is None:
            assert path == str(pk)
            assert level == AreaLevel.PROVINCE
        else:
            assert path.startswith(path_of[parent_id] + ".")
            assert path == f"{path_of[parent_id]}.{pk}"
        assert depth == path.count(".")
    assert len(set(path_of.values())) == len(rows)


def test_yen_giang_ward_became_part_of_quang_yen_ward(areas):
    yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
    quang_yen = areas("Phường Quảng Yên")
    assert area_default_successor(area=yen_giang) == quang_yen
    link = AreaSuccession.objects.get(predecessor=yen_giang)
    assert link.successor == quang_yen
    assert link.kind == SuccessionKind.MERGE
    assert link.date == REFORM_2025


def test_thien_loc_commune_became_part_of_can_loc_commune(areas):
    thien_loc = areas("Xã Thiên Lộc", CodeScheme.LEGACY, parent="Huyện Can Lộc")
    can_loc = areas("Xã Can Lộc")
    assert can_loc.parent.name == "Tỉnh Hà Tĩnh"
    [successor] = area_current_successors(area=thien_loc)
    assert successor.area == can_loc
    assert successor.share == 1
    assert successor.is_default
    merged = set(
        AreaSuccession.objects.filter(successor=can_loc).values_list("predecessor__name", flat=True)
    )
    assert {"Xã Thiên Lộc", "Thị trấn Nghèn", "Xã Vượng Lộc"} <= merged


def test_split_units_have_exactly_one_default_successor_and_shares():
    by_predecessor = defaultdict(list)
    for link in AreaSuccession.objects.filter(kind=SuccessionKind.SPLIT):
        by_predecessor[link.predecessor_id].append(link)
    assert len(by_predecessor) > 400
    for links in by_predecessor.values():
        assert len(links) >= 2
        assert sum(link.is_default for link in links) == 1
        assert all(link.share is not None and 0 < link.share <= 1 for link in links)
        total = sum(link.share for link in links)
        assert Decimal("0.99") < total <= 1


def test_split_example_xa_lien_hoa_of_quang_yen(areas):
    lien_hoa = areas("Xã Liên Hòa", CodeScheme.LEGACY, parent="Thị xã Quảng Yên")
    successors = area_current_successors(area=lien_hoa)
    assert {s.area.name for s in successors} == {"Phường Liên Hòa", "Phường Hà An"}
    assert [s.is_default for s in successors] == [True, False]
    assert successors[0].area.name == "Phường Liên Hòa"
    assert all(s.share == Decimal("0.5") for s in successors)


def test_only_split_links_carry_a_share():
    assert (
        not AreaSuccession.objects.exclude(kind=SuccessionKind.SPLIT)
        .filter(share__isnull=False)
        .exists()
    )


def test_every_legacy_unit_has_a_current_default_successor():
    legacy = Area.objects.filter(scheme=CodeScheme.LEGACY)
    without = legacy.exclude(successions_out__is_default=True)
    assert not without.exists()
    assert not AreaSuccession.objects.filter(successor__scheme=CodeScheme.LEGACY).exists()
    assert not AreaSuccession.objects.filter(predecessor__scheme=CodeScheme.CURRENT).exists()


def test_districts_were_abolished_into_their_province(areas):
    can_loc_district = areas("Huyện Can Lộc", CodeScheme.LEGACY)
    link = AreaSuccession.objects.get(predecessor=can_loc_district)
    assert link.kind == SuccessionKind.ABOLISH
    assert link.successor == areas("Tỉnh Hà Tĩnh")


def test_loading_again_changes_nothing():
    areas_before = list(Area.objects.order_by("pk").values())
    links_before = list(AreaSuccession.objects.order_by("pk").values())
    report = load_official_areas()
    assert (report.created, report.updated) == (0, 0)
    assert (report.successions_created, report.successions_updated) == (0, 0)
    assert list(Area.objects.order_by("pk").values()) == areas_before
    assert list(AreaSuccession.objects.order_by("pk").values()) == links_before
    assert report.counts == {
        "current:commune": 3321,
        "current:province": 34,
        "legacy:commune": 10_035,
        "legacy:district": len(
            [a for a in areas_before if a["scheme"] == "legacy" and a["level"] == 2]
        ),
        "legacy:province": 63,
    }


def test_loading_again_repairs_a_changed_name_and_a_lost_link(areas):
    yen_giang = areas("Phường Yên Giang", CodeScheme.LEGACY)
    Area.objects.filter(pk=yen_giang.pk).update(name="Phường Yên Giang (sửa tay)")
    AreaSuccession.objects.filter(predecessor=yen_giang).delete()
    report = load_official_areas()
    assert (report.created, report.updated) == (0, 1)
    assert (report.successions_created, report.successions_updated) == (1, 0)
    yen_giang.refresh_from_db()
    assert yen_giang.name == "Phường Yên Giang"
    assert yen_giang.name_folded == "phuong yen giang"
    assert area_default_successor(area=yen_giang) == areas("Phường Quảng Yên")


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_report_is_keyed_the_same_in_every_language(language):
    from django.utils import translation

    with translation.override(language):
        report = load_official_areas()
    assert report.counts["current:commune"] == 3321
    assert report.counts["legacy:province"] == 63
