"""Reads of initiatives: the list page's filters, the detail page, the ledger, replication."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import AreaKind, CodeScheme
from danvan.areas.services import area_create
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field, Status
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import Initiative
from danvan.initiatives.selectors import (
    contribution_ledger,
    initiative_detail,
    initiative_list,
    initiative_visible,
    replication_chain,
)
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    evidence_add,
    result_add,
)
from tests.factories import (
    IndicatorFactory,
    InitiativeFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quang_yen(areas, hoi_lhpn, yen_giang, cultural_houses):
    """Initiatives of Quảng Yên town in 2023–2024, and one in Hà Tĩnh."""
    lien_hoa = areas("Xã Liên Hòa", CodeScheme.LEGACY, parent="Thị xã Quảng Yên")
    village_1 = area_create(actor=SYSTEM, name="Thôn 1", kind=AreaKind.VILLAGE, parent=lien_hoa)
    doan = OrganisationFactory(name="Đoàn Thanh niên xã Liên Hòa", seat_area=lien_hoa)
    ubnd = OrganisationFactory(name="UBND phường Yên Giang", seat_area=yen_giang)
    thien_loc = areas("Xã Thiên Lộc", CodeScheme.LEGACY, parent="Huyện Can Lộc")
    return {
        "cultural_houses": cultural_houses,
        "digital": InitiativeFactory(
            code="DVK-2024-000900",
            title="Dân vận khéo trong chuyển đổi số toàn diện",
            field=Field.ECONOMY,
            organisation=ubnd,
            area=yen_giang,
            status=Status.COMPLETED,
            exemplary=True,
        ),
        "railing": InitiativeFactory(
            code="DVK-2024-000901",
            title="Lan can chống đuối nước đường kênh sinh thái",
            field=Field.DEFENCE_SECURITY,
            organisation=doan,
            area=village_1,
            status=Status.REGISTERED,
        ),
        "roads": InitiativeFactory(
            code="DVK-2023-000005",
            title="Đường giao thông nông thôn thôn 1",
            field=Field.ECONOMY,
            organisation=doan,
            area=village_1,
            year=2023,
            replicated_from=cultural_houses,
        ),
        "flowers": InitiativeFactory(
            code="DVK-2021-000001",
            title="Đường hoa, nhà số, chuyển đổi số là mục tiêu",
            field=Field.CULTURE_SOCIETY,
            organisation=OrganisationFactory(seat_area=thien_loc),
            area=thien_loc,
            year=2021,
        ),
    }


def codes(queryset):
    return [initiative.code for initiative in queryset]


class TestInitiativeList:
    def test_by_current_ward_covers_the_wards_it_replaced(self, quang_yen, areas):
        found = set(initiative_list(actor=SYSTEM, area=areas("Phường Quảng Yên")))
        assert found == {quang_yen["cultural_houses"], quang_yen["digital"]}

    def test_by_province_covers_villages(self, quang_yen, areas):
        found = set(initiative_list(actor=SYSTEM, area=areas("Tỉnh Quảng Ninh")))
        assert found == {
            quang_yen["cultural_houses"],
            quang_yen["digital"],
            quang_yen["railing"],
            quang_yen["roads"],
        }
        assert list(initiative_list(actor=SYSTEM, area=areas("Xã Can Lộc"))) == [
            quang_yen["flowers"]
        ]

    def test_filters(self, quang_yen, hoi_lhpn):
        assert set(initiative_list(actor=SYSTEM, field=Field.ECONOMY)) == {
            quang_yen["digital"],
            quang_yen["roads"],
        }
        assert list(initiative_list(actor=SYSTEM, status=Status.REGISTERED)) == [
            quang_yen["railing"]
        ]
        assert list(initiative_list(actor=SYSTEM, year=2023)) == [quang_yen["roads"]]
        assert list(initiative_list(actor=SYSTEM, exemplary=True)) == [quang_yen["digital"]]
        assert quang_yen["digital"] not in initiative_list(actor=SYSTEM, exemplary=False)
        assert list(initiative_list(actor=SYSTEM, replicated=True)) == [quang_yen["roads"]]
        assert quang_yen["roads"] not in initiative_list(actor=SYSTEM, replicated=False)
        assert list(initiative_list(actor=SYSTEM, organisation=hoi_lhpn)) == [
            quang_yen["cultural_houses"]
        ]

    def test_search_ignores_diacritics_and_matches_a_code(self, quang_yen):
        assert list(initiative_list(actor=SYSTEM, search="dan van kheo")) == [quang_yen["digital"]]
        assert set(initiative_list(actor=SYSTEM, search="DUONG")) == {
            quang_yen["roads"],
            quang_yen["flowers"],
            quang_yen["railing"],
        }
        assert list(initiative_list(actor=SYSTEM, search="duong giao thong")) == [
            quang_yen["roads"]
        ]
        assert list(initiative_list(actor=SYSTEM, search=" dvk-2023-000005 ")) == [
            quang_yen["roads"]
        ]
        assert list(initiative_list(actor=SYSTEM, search="chuyển đổi số", year=2021)) == [
            quang_yen["flowers"]
        ]

    def test_orderings(self, quang_yen):
        assert codes(initiative_list(actor=SYSTEM, ordering="year")) == [
            "DVK-2021-000001",
            "DVK-2023-000005",
            "DVK-2024-000001",
            "DVK-2024-000900",
            "DVK-2024-000901",
        ]
        assert codes(initiative_list(actor=SYSTEM))[0:2] == ["DVK-2024-000001", "DVK-2024-000900"]
        assert codes(initiative_list(actor=SYSTEM, ordering="-code"))[0] == "DVK-2024-000901"
        by_title = [i.title_folded for i in initiative_list(actor=SYSTEM, ordering="title")]
        assert by_title == sorted(by_title)
        assert codes(initiative_list(actor=SYSTEM, ordering="; DROP TABLE")) == codes(
            initiative_list(actor=SYSTEM)
        )


class TestInitiativeDetail:
    def fill(self, initiative, media_root, n):
        indicator = IndicatorFactory(code="yard_m2")
        for i in range(n):
            contribution_add(
                actor=SYSTEM,
                initiative=initiative,
                date=datetime.date(2024, 3, 1 + i),
                kind=ContributionKind.MONEY,
                amount=1_000_000,
                contributor_type=ContributorType.HOUSEHOLDS,
            )
            result_add(
                actor=SYSTEM,
                initiative=initiative,
                indicator=indicator,
                value=100 + i,
                period_end=datetime.date(2024, 12, 31),
            )
            evidence_add(
                actor=SYSTEM,
                initiative=initiative,
                upload=SimpleUploadedFile(f"anh-{i}.png", image_bytes_for_tests()),
            )
            InitiativeFactory(replicated_from=initiative)

    def read(self, initiative):
        with CaptureQueriesContext(connection) as queries:
            detail = initiative_detail(actor=SYSTEM, pk=initiative.pk)
            shown = (
                detail.organisation.name,
                detail.area.name,
                [o.name for o in detail.co_organisations.all()],
                [t.name for t in detail.tags.all()],
                [c.amount for c in detail.contributions.all()],
                [(r.indicator.code, r.value) for r in detail.results.all()],
                [e.title for e in detail.evidence.all()],
                [r.code for r in detail.replications.all()],
            )
        return len(queries), shown

    def test_a_fixed_number_of_queries(self, cultural_houses, hoi_lhpn, media_root):
        few = InitiativeFactory(organisation=hoi_lhpn)
        self.fill(few, media_root, 1)
        self.fill(cultural_houses, media_root, 4)
        queries_few, _ = self.read(few)
        queries_many, shown = self.read(cultural_houses)
        assert queries_few == queries_many
        assert shown[4] == [1_000_000] * 4
        assert len(shown[5]) == len(shown[6]) == len(shown[7]) == 4
        assert shown[3] == ["khu dân cư", "nhà văn hóa"]


def test_ledger_oldest_first_with_corrections(cultural_houses):
    later = contribution_add(
        actor=SYSTEM,
        initiative=cultural_houses,
        date=datetime.date(2024, 5, 1),
        kind=ContributionKind.IN_KIND,
        amount=200_000_000,
        contributor_type=ContributorType.HOUSEHOLDS,
        description="Ti vi, loa, âm ly cho khu 1, 2, 3, 4, 6",
    )
    earlier = contribution_add(
        actor=SYSTEM,
        initiative=cultural_houses,
        date=datetime.date(2024, 3, 1),
        kind=ContributionKind.MONEY,
        amount=180_000_000,
        contributor_type=ContributorType.HOUSEHOLDS,
    )
    correction = contribution_correct(
        actor=SYSTEM, entry=later, amount=210_000_000, reason="Thêm micro"
    )
    other = InitiativeFactory()
    contribution_add(
        actor=SYSTEM,
        initiative=other,
        date=datetime.date(2024, 1, 1),
        kind=ContributionKind.MONEY,
        amount=1,
        contributor_type=ContributorType.HOUSEHOLDS,
    )
    ledger = list(contribution_ledger(initiative=cultural_houses))
    assert ledger == [earlier, later, correction]
    assert ledger[2].corrects == later


def test_replication_chain_both_ways(cultural_houses):
    copy = InitiativeFactory(title="Nhà văn hóa khu 5", replicated_from=cultural_houses)
    copy_2 = InitiativeFactory(title="Nhà văn hóa Liên Hòa", replicated_from=cultural_houses)
    copy_of_copy = InitiativeFactory(title="Nhà văn hóa thôn 1", replicated_from=copy)
    unrelated = InitiativeFactory()
    chain = replication_chain(initiative=copy_of_copy)
    assert chain == {"ancestors": [copy, cultural_houses], "descendants": []}
    chain = replication_chain(initiative=cultural_houses)
    assert chain["ancestors"] == []
    assert set(chain["descendants"][:2]) == {copy, copy_2}
    assert chain["descendants"][2:] == [copy_of_copy]
    assert unrelated not in chain["descendants"]


@pytest.mark.parametrize("raw", ["abc", "٣", "+7", " 7", "0", "-1", str(2**63), "9" * 40, None])
def test_initiative_visible_takes_a_malformed_id_for_a_missing_one(world, raw):
    with pytest.raises(Initiative.DoesNotExist):
        initiative_visible(actor=world.root, pk=raw)


def test_initiative_visible_hides_what_lies_outside_the_scope(world):
    """Hoa reviews Hà Tĩnh: a Quảng Ninh initiative is missing to her, as for the pages."""
    digital = world.digital
    assert initiative_visible(actor=world.minh, pk=str(digital.pk)) == digital
    with pytest.raises(Initiative.DoesNotExist):
        initiative_visible(actor=world.hoa, pk=digital.pk)
    with pytest.raises(Initiative.DoesNotExist):
        initiative_visible(actor=world.hoa, pk=digital.pk, full=True)


def test_initiative_visible_in_full_reads_what_the_page_shows(world, django_assert_num_queries):
    initiative = initiative_visible(actor=world.root, pk=world.digital.pk, full=True)
    with django_assert_num_queries(0):
        assert initiative.organisation.name and initiative.area.name
        list(initiative.contributions.all())
        list(initiative.evidence.all())
