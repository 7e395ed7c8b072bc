"""Writes to initiatives, the contribution ledger, results and evidence."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from danvan.accounts.scope import SYSTEM
from danvan.areas.models import AreaKind
from danvan.core.limits import MONEY_MAX
from danvan.core.models import CodeSequence
from danvan.core.validation import ConflictError
from danvan.initiatives.catalogues import (
    Aggregation,
    ContributionKind,
    ContributorType,
    EvidenceKind,
    Field,
    RegistrationKind,
    Status,
    Unit,
)
from danvan.initiatives.files import image_bytes_for_tests
from danvan.initiatives.models import (
    Contribution,
    Evidence,
    Indicator,
    Initiative,
    Result,
    Tag,
)
from danvan.initiatives.services import (
    contribution_add,
    contribution_correct,
    contribution_effective,
    evidence_add,
    evidence_delete,
    indicator_create,
    initiative_create,
    initiative_update,
    result_add,
    result_delete,
)
from danvan.stats.selectors import initiative_contribution_totals
from tests.factories import AreaFactory, IndicatorFactory, InitiativeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 1)


def error_fields(caught) -> set[str]:
    return set(caught.value.message_dict)


def snapshot():
    """Row counts of everything a service of this app may write, m2m tables included."""
    return {
        "initiatives": Initiative.objects.count(),
        "tags": Tag.objects.count(),
        "initiative_tags": Initiative.tags.through.objects.count(),
        "co_organisations": Initiative.co_organisations.through.objects.count(),
        "contributions": Contribution.objects.count(),
        "results": Result.objects.count(),
        "indicators": Indicator.objects.count(),
        "evidence": Evidence.objects.count(),
        "history": Initiative.history.count(),
        "sequences": list(CodeSequence.objects.values_list("prefix", "last").order_by("prefix")),
    }


class TestInitiativeCreate:
    def test_registers_a_draft_with_a_code(self, cultural_houses, hoi_lhpn, yen_giang):
        initiative = Initiative.objects.get(pk=cultural_houses.pk)
        assert initiative.code == "DVK-2024-000001"
        assert initiative.status == Status.DRAFT
        assert initiative.registration_kind == RegistrationKind.NEW
        assert initiative.version == 1
        assert initiative.title_folded == "khai thac, quan ly nha van hoa khu dan cu"
        assert (initiative.organisation, initiative.area) == (hoi_lhpn, yen_giang)
        assert sorted(initiative.tags.values_list("name", flat=True)) == [
            "khu dân cư",
            "nhà văn hóa",
        ]

    def test_codes_are_numbered_per_year(self, hoi_lhpn, yen_giang):
        def create(year):
            return initiative_create(
                actor=SYSTEM,
                title="Chuyển đổi số toàn diện",
                field=Field.ECONOMY,
                organisation=hoi_lhpn,
                area=yen_giang,
                year=year,
            ).code

        assert [create(2024), create(2024), create(2023)] == [
            "DVK-2024-000001",
            "DVK-2024-000002",
            "DVK-2023-000001",
        ]

    def test_co_organisations_leave_out_the_registering_one_and_tags_are_shared(
        self, hoi_lhpn, yen_giang, cultural_houses
    ):
        ubnd = OrganisationFactory(name="UBND phường Yên Giang", seat_area=yen_giang)
        initiative = initiative_create(
            actor=SYSTEM,
            title="Đường hoa khu 2",
            field=Field.CULTURE_SOCIETY,
            organisation=hoi_lhpn,
            area=yen_giang,
            year=2024,
            co_organisations=[ubnd, hoi_lhpn],
            tags=[" nhà văn hóa ", "nhà văn hóa", "", "đường hoa"],
        )
        assert list(initiative.co_organisations.all()) == [ubnd]
        assert Tag.objects.filter(name="nhà văn hóa").count() == 1
        assert sorted(initiative.tags.values_list("name", flat=True)) == [
            "nhà văn hóa",
            "đường hoa",
        ]

    def test_continues_an_earlier_year(self, cultural_houses, hoi_lhpn, yen_giang):
        continued = initiative_create(
            actor=SYSTEM,
            title=cultural_houses.title,
            field=cultural_houses.field,
            organisation=hoi_lhpn,
            area=yen_giang,
            year=2025,
            continued_from=cultural_houses,
        )
        assert continued.registration_kind == RegistrationKind.CONTINUED
        assert list(cultural_houses.continuations.all()) == [continued]

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"field": "sports"}, "field"),
            ({"year": "2024"}, "year"),
            ({"year": 1999}, "year"),
            ({"year": 2101}, "year"),
            ({"title": "   "}, "title"),
            ({"title": "x" * 501}, "title"),
            ({"organisation": None}, "organisation"),
            ({"area": None}, "area"),
            ({"end_date": datetime.date(2023, 12, 31)}, NON_FIELD_ERRORS),
            ({"tags": ["nhà văn hóa", "x" * 81]}, "tags"),
            ({"people_in_charge": "x" * 501}, "people_in_charge"),
        ],
    )
    def test_rejects_bad_values_and_writes_nothing(self, hoi_lhpn, yen_giang, changes, field):
        OrganisationFactory(name="UBND phường Yên Giang", seat_area=yen_giang)
        values = {
            "title": "Khai thác, quản lý nhà văn hóa khu dân cư",
            "field": Field.CULTURE_SOCIETY,
            "organisation": hoi_lhpn,
            "area": yen_giang,
            "year": 2024,
            "start_date": datetime.date(2024, 1, 15),
            "tags": ["nhà văn hóa"],
            "co_organisations": [OrganisationFactory(seat_area=yen_giang)],
            **changes,
        }
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            initiative_create(actor=SYSTEM, **values)
        assert field in error_fields(caught)
        assert snapshot() == before

    def test_end_before_start_names_the_constraint(self, hoi_lhpn, yen_giang):
        with pytest.raises(ValidationError) as caught:
            initiative_create(
                actor=SYSTEM,
                title="Đường hoa",
                field=Field.ECONOMY,
                organisation=hoi_lhpn,
                area=yen_giang,
                year=2024,
                start_date=datetime.date(2024, 5, 1),
                end_date=datetime.date(2024, 4, 30),
            )
        assert caught.value.message_dict[NON_FIELD_ERRORS] == [
            "The end date cannot be before the start date."
        ]

    def test_can_only_continue_an_earlier_year(self, cultural_houses, hoi_lhpn, yen_giang):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            initiative_create(
                actor=SYSTEM,
                title="Tiếp tục",
                field=Field.ECONOMY,
                organisation=hoi_lhpn,
                area=yen_giang,
                year=2024,
                continued_from=cultural_houses,
            )
        assert error_fields(caught) == {"continued_from"}
        assert snapshot() == before

    def test_a_given_code_must_be_unique(self, cultural_houses, hoi_lhpn, yen_giang):
        with pytest.raises(ValidationError) as caught:
            initiative_create(
                actor=SYSTEM,
                title="Trùng mã",
                field=Field.ECONOMY,
                organisation=hoi_lhpn,
                area=yen_giang,
                year=2024,
                code=cultural_houses.code,
            )
        assert error_fields(caught) == {"code"}


class TestInitiativeUpdate:
    def test_changes_facts_and_bumps_the_version(self, cultural_houses, yen_giang):
        ubnd = OrganisationFactory(name="UBND phường Yên Giang", seat_area=yen_giang)
        initiative_update(
            actor=SYSTEM,
            initiative=cultural_houses,
            expected_version=1,
            title=" Khai thác nhà văn hóa khu 1–4 ",
            exemplary=True,
            tags=["điều hòa"],
            co_organisations=[ubnd],
        )
        fresh = Initiative.objects.get(pk=cultural_houses.pk)
        assert fresh.title == "Khai thác nhà văn hóa khu 1–4"
        assert fresh.title_folded == "khai thac nha van hoa khu 1–4"
        assert fresh.exemplary
        assert fresh.version == cultural_houses.version == 2
        assert list(fresh.tags.values_list("name", flat=True)) == ["điều hòa"]
        assert list(fresh.co_organisations.all()) == [ubnd]

    def test_the_second_of_two_editors_gets_a_conflict_and_writes_nothing(self, cultural_houses):
        lan_copy = Initiative.objects.get(pk=cultural_houses.pk)
        minh_copy = Initiative.objects.get(pk=cultural_houses.pk)
        initiative_update(
            actor=SYSTEM, initiative=lan_copy, expected_version=1, summary="Lan's summary"
        )
        with pytest.raises(ConflictError) as caught:
            initiative_update(
                actor=SYSTEM,
                initiative=minh_copy,
                expected_version=1,
                summary="Minh's summary",
                title="Minh's title",
                tags=["minh"],
            )
        assert caught.value.code == "conflict"
        fresh = Initiative.objects.get(pk=cultural_houses.pk)
        assert fresh.summary == "Lan's summary"
        assert fresh.title == cultural_houses.title
        assert fresh.version == 2
        assert not Tag.objects.filter(name="minh").exists()
        assert sorted(fresh.tags.values_list("name", flat=True)) == ["khu dân cư", "nhà văn hóa"]

    def test_an_unversioned_save_does_not_move_the_version_back(self, cultural_houses):
        """A save without expected_version must not reopen the door to a lost update."""
        stale = Initiative.objects.get(pk=cultural_houses.pk)  # read at version 1
        lan_copy = Initiative.objects.get(pk=cultural_houses.pk)
        initiative_update(
            actor=SYSTEM, initiative=lan_copy, expected_version=1, summary="Lan"
        )  # version 2
        minh_copy = Initiative.objects.get(pk=cultural_houses.pk)  # Minh reads version 2
        initiative_update(actor=SYSTEM, initiative=stale, people_in_charge="Hùng")  # version 3
        assert Initiative.objects.get(pk=cultural_houses.pk).version == 3
        with pytest.raises(ConflictError):
            initiative_update(
                actor=SYSTEM, initiative=minh_copy, expected_version=2, summary="Minh"
            )
        assert Initiative.objects.get(pk=cultural_houses.pk).people_in_charge == "Hùng"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"field": "sports"}, "field"),
            ({"status": Status.REGISTERED}, "status"),
            ({"code": "DVK-X"}, "code"),
            ({"year": 2025}, "year"),
            ({"version": 9}, "version"),
            ({"title": ""}, "title"),
            ({"end_date": datetime.date(2023, 1, 1)}, NON_FIELD_ERRORS),
            ({"tags": ["x" * 81]}, "tags"),
        ],
    )
    def test_rejects_bad_values_and_writes_nothing(self, cultural_houses, changes, field):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            initiative_update(
                actor=SYSTEM,
                initiative=cultural_houses,
                expected_version=1,
                summary="đổi",
                **changes,
            )
        assert field in error_fields(caught)
        assert snapshot() == before
        fresh = Initiative.objects.get(pk=cultural_houses.pk)
        assert (fresh.version, fresh.summary, fresh.status) == (1, "", Status.DRAFT)

    def test_replication_cannot_loop(self, cultural_houses, hoi_lhpn):
        copy = InitiativeFactory(organisation=hoi_lhpn, replicated_from=cultural_houses)
        copy_of_copy = InitiativeFactory(organisation=hoi_lhpn, replicated_from=copy)
        for source in (cultural_houses, copy, copy_of_copy):
            with pytest.raises(ValidationError) as caught:
                initiative_update(actor=SYSTEM, initiative=cultural_houses, replicated_from=source)
            assert error_fields(caught) == {"replicated_from"}
        assert Initiative.objects.get(pk=cultural_houses.pk).replicated_from is None

    def test_records_a_replication(self, cultural_houses, hoi_lhpn):
        copy = InitiativeFactory(organisation=hoi_lhpn, title="Nhà văn hóa thôn 1")
        copy.area = AreaFactory(name="Khu 2", kind=AreaKind.RESIDENTIAL_GROUP)
        copy.save()
        initiative_update(actor=SYSTEM, initiative=copy, replicated_from=cultural_houses)
        assert list(cultural_houses.replications.all()) == [copy]

    def test_a_replication_by_the_same_unit_in_the_same_place_is_refused(
        self, cultural_houses, hoi_lhpn
    ):
        """The form's door (update) follows the same rule as the API's (set replication)."""
        twin = InitiativeFactory(organisation=hoi_lhpn, area=cultural_houses.area)
        with pytest.raises(ValidationError) as caught:
            initiative_update(actor=SYSTEM, initiative=twin, replicated_from=cultural_houses)
        assert list(caught.value.message_dict) == ["replicated_from"]
        twin.refresh_from_db()
        assert twin.replicated_from is None


class TestContributionAdd:
    def test_records_money_from_households(self, cultural_houses, lan):
        entry = contribution_add(
            actor=lan,
            initiative=cultural_houses,
            date=MARCH,
            kind=ContributionKind.MONEY,
            amount=180_000_000,
            contributor_type=ContributorType.HOUSEHOLDS,
            contributors=96,
        )
        entry.refresh_from_db()
        assert (entry.amount, entry.contributors, entry.created_by) == (180_000_000, 96, lan)

    @pytest.mark.parametrize("amount", ["180000000", " 180000000 ", Decimal("180000000"), "1.8E8"])
    def test_accepts_whole_numbers_written_as_text(self, cultural_houses, amount):
        entry = contribution_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            date=MARCH,
            kind=ContributionKind.MONEY,
            amount=amount,
            contributor_type=ContributorType.HOUSEHOLDS,
        )
        assert Contribution.objects.get(pk=entry.pk).amount == 180_000_000

    def test_the_largest_amount_round_trips_exactly(self, cultural_houses):
        entry = contribution_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            date=MARCH,
            kind=ContributionKind.MONEY,
            amount=str(MONEY_MAX),
            contributor_type=ContributorType.BENEFACTORS,
        )
        assert Contribution.objects.get(pk=entry.pk).amount == MONEY_MAX

    def test_in_kind_with_a_description(self, cultural_houses):
        entry = contribution_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            date=MARCH,
            kind=ContributionKind.IN_KIND,
            amount=180_000_000,
            contributor_type=ContributorType.HOUSEHOLDS,
            description=" 16 máy điều hòa cho nhà văn hóa khu 1–4 ",
        )
        assert entry.description == "16 máy điều hòa cho nhà văn hóa khu 1–4"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"amount": -1}, "amount"),
            ({"amount": "12.5"}, "amount"),
            ({"amount": 12.5}, "amount"),
            ({"amount": 12.0}, "amount"),
            ({"amount": "mười triệu"}, "amount"),
            ({"amount": ""}, "amount"),
            ({"amount": None}, "amount"),
            ({"amount": True}, "amount"),
            ({"amount": "NaN"}, "amount"),
            ({"amount": "sNaN"}, "amount"),
            ({"amount": "Infinity"}, "amount"),
            ({"amount": "-Infinity"}, "amount"),
            ({"amount": 10**19}, "amount"),
            ({"amount": "1e30"}, "amount"),
            ({"contributors": -3}, "contributors"),
            ({"contributors": "2.5"}, "contributors"),
            ({"contributors": "Infinity"}, "contributors"),
            ({"kind": "gold"}, "kind"),
            ({"contributor_type": "aliens"}, "contributor_type"),
            ({"date": None}, "date"),
            ({"kind": ContributionKind.IN_KIND}, "description"),
            ({"kind": ContributionKind.IN_KIND, "description": "   "}, "description"),
            ({"description": "x" * 501}, "description"),
        ],
    )
    def test_rejects_bad_values_and_writes_nothing(self, cultural_houses, changes, field):
        values = {
            "initiative": cultural_houses,
            "date": MARCH,
            "kind": ContributionKind.MONEY,
            "amount": 10_000_000,
            "contributor_type": ContributorType.HOUSEHOLDS,
            "contributors": 4,
            **changes,
        }
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            contribution_add(actor=SYSTEM, **values)
        assert field in error_fields(caught)
        assert snapshot() == before


class TestContributionCorrect:
    @pytest.fixture
    def entry(self, cultural_houses):
        return contribution_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            date=MARCH,
            kind=ContributionKind.MONEY,
            amount=200_000_000,
            contributor_type=ContributorType.HOUSEHOLDS,
            contributors=40,
        )

    def test_adds_a_delta_entry_and_leaves_the_original(self, entry, cultural_houses, lan):
        correction = contribution_correct(
            actor=lan, entry=entry, amount=180_000_000, reason="Nhập nhầm số"
        )
        assert (correction.amount, correction.contributors) == (-20_000_000, 0)
        assert correction.corrects == entry
        assert correction.description == "Nhập nhầm số"
        assert correction.created_by == lan
        original = Contribution.objects.get(pk=entry.pk)
        assert (original.amount, original.contributors) == (200_000_000, 40)
        assert contribution_effective(original) == (180_000_000, 40)
        money = initiative_contribution_totals(initiative=cultural_houses)["money"]
        assert (money["amount"], money["contributors"]) == (180_000_000, 40)

    def test_a_second_correction_is_relative_to_the_corrected_value(self, entry, cultural_houses):
        contribution_correct(actor=SYSTEM, entry=entry, amount=180_000_000, reason="Nhập nhầm")
        second = contribution_correct(
            actor=SYSTEM, entry=entry, amount=190_000_000, contributors=42, reason="Thêm 2 hộ"
        )
        assert (second.amount, second.contributors) == (10_000_000, 2)
        assert contribution_effective(entry) == (190_000_000, 42)
        money = initiative_contribution_totals(initiative=cultural_houses)["money"]
        assert (money["amount"], money["contributors"]) == (190_000_000, 42)

    def test_corrects_down_to_zero(self, entry, cultural_houses):
        contribution_correct(
            actor=SYSTEM, entry=entry, amount=0, contributors=0, reason="Ghi trùng"
        )
        assert initiative_contribution_totals(initiative=cultural_houses)["money"]["amount"] == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"amount": -1}, "amount"),
            ({"amount": "12.5"}, "amount"),
            ({"amount": "Infinity"}, "amount"),
            ({"amount": 200_000_000}, "amount"),
            ({"contributors": -1}, "contributors"),
            ({"reason": "  "}, "reason"),
            ({"reason": "x" * 501}, "description"),
        ],
    )
    def test_rejects_bad_values_and_writes_nothing(self, entry, changes, field):
        values = {"entry": entry, "amount": 150_000_000, "reason": "Sửa", **changes}
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            contribution_correct(actor=SYSTEM, **values)
        assert field in error_fields(caught)
        assert snapshot() == before

    def test_a_correction_cannot_be_corrected(self, entry):
        correction = contribution_correct(actor=SYSTEM, entry=entry, amount=1, reason="Sửa")
        with pytest.raises(ValidationError) as caught:
            contribution_correct(actor=SYSTEM, entry=correction, amount=2, reason="Sửa lại")
        assert error_fields(caught) == {"entry"}


def add(initiative, kind: str, amount, **changes) -> Contribution:
    return contribution_add(
        actor=SYSTEM,
        initiative=initiative,
        date=MARCH,
        kind=kind,
        amount=amount,
        contributor_type=ContributorType.HOUSEHOLDS,
        description="Bàn ghế" if kind == ContributionKind.IN_KIND else "",
        **changes,
    )


class TestDecimalAmounts:
    """Land (m²) and labour (person-days) to two decimals; money and in-kind value whole đồng."""

    @pytest.mark.parametrize(
        ("kind", "amount", "stored"),
        [
            (ContributionKind.LAND, "350.5", Decimal("350.5")),
            (ContributionKind.LAND, Decimal("350.50"), Decimal("350.5")),
            (ContributionKind.LAND, "350.500", Decimal("350.5")),
            (ContributionKind.LAND, "9999999.99", Decimal("9999999.99")),
            (ContributionKind.LABOUR, "0.5", Decimal("0.5")),
            (ContributionKind.LABOUR, Decimal("12.25"), Decimal("12.25")),
            (ContributionKind.LABOUR, 3, Decimal("3")),
            (ContributionKind.MONEY, "38000000.00", Decimal("38000000")),
            (ContributionKind.IN_KIND, Decimal("16000000.0"), Decimal("16000000")),
        ],
    )
    def test_accepts_what_the_kind_is_counted_in(self, cultural_houses, kind, amount, stored):
        entry = add(cultural_houses, kind, amount)
        assert Contribution.objects.get(pk=entry.pk).amount == stored

    @pytest.mark.parametrize(
        ("kind", "amount", "message"),
        [
            (ContributionKind.MONEY, "0.5", "Enter whole đồng, without decimals"),
            (ContributionKind.MONEY, Decimal("38000000.01"), "VND has no smaller unit"),
            (ContributionKind.IN_KIND, "16000000.5", "VND has no smaller unit"),
            (ContributionKind.LAND, "350.555", "Enter at most two decimals."),
            (ContributionKind.LAND, Decimal("0.001"), "Enter at most two decimals."),
            (ContributionKind.LABOUR, "0.125", "Enter at most two decimals."),
            (ContributionKind.LAND, "-0.5", "An amount cannot be negative."),
            (ContributionKind.LABOUR, Decimal("-0.01"), "An amount cannot be negative."),
            (ContributionKind.LAND, "10000000.01", "Enter at most 10,000,000."),
            (ContributionKind.LABOUR, "10000000.5", "Enter at most 10,000,000."),
            (ContributionKind.LAND, 350.5, "Enter a number."),
            (ContributionKind.LAND, "350,5", "Enter a number."),
            (ContributionKind.LABOUR, "Infinity", "Enter a number."),
        ],
    )
    def test_refuses_decimals_the_kind_has_not(self, cultural_houses, kind, amount, message):
        before = snapshot()
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            add(cultural_houses, kind, amount)
        assert list(caught.value.message_dict) == ["amount"]
        assert any(message in text for text in caught.value.message_dict["amount"])
        assert snapshot() == before

    def test_corrects_land_and_labour_to_a_decimal(self, cultural_houses):
        land = add(cultural_houses, ContributionKind.LAND, 300)
        correction = contribution_correct(actor=SYSTEM, entry=land, amount="350.5", reason="Đo lại")
        assert Contribution.objects.get(pk=correction.pk).amount == Decimal("50.5")
        assert contribution_effective(land)[0] == Decimal("350.5")
        again = contribution_correct(actor=SYSTEM, entry=land, amount="350.25", reason="Đo lại")
        assert Contribution.objects.get(pk=again.pk).amount == Decimal("-0.25")
        assert contribution_effective(land)[0] == Decimal("350.25")
        labour = add(cultural_houses, ContributionKind.LABOUR, "2.5")
        contribution_correct(actor=SYSTEM, entry=labour, amount=Decimal("3"), reason="Thêm")
        assert contribution_effective(labour)[0] == Decimal("3")

    def test_a_correction_to_the_same_value_written_otherwise_changes_nothing(
        self, cultural_houses
    ):
        land = add(cultural_houses, ContributionKind.LAND, "350.5")
        with pytest.raises(ValidationError) as caught:
            contribution_correct(actor=SYSTEM, entry=land, amount="350.50", reason="x")
        assert list(caught.value.message_dict) == ["amount"]

    @pytest.mark.parametrize(
        ("kind", "amount", "message"),
        [
            (ContributionKind.LAND, "350.125", "Enter at most two decimals."),
            (ContributionKind.LABOUR, "0.333", "Enter at most two decimals."),
            (ContributionKind.MONEY, "180000000.5", "VND has no smaller unit"),
            (ContributionKind.IN_KIND, "1.5", "VND has no smaller unit"),
        ],
    )
    def test_a_correction_follows_the_entry_kind(self, cultural_houses, kind, amount, message):
        entry = add(cultural_houses, kind, 300)
        before = snapshot()
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            contribution_correct(actor=SYSTEM, entry=entry, amount=amount, reason="x")
        assert any(message in text for text in caught.value.message_dict["amount"])
        assert snapshot() == before


class TestIndicators:
    def test_creates_an_indicator(self):
        indicator = indicator_create(
            actor=SYSTEM,
            code=" canal_km ",
            name_vi="Kênh mương nội đồng làm mới",
            name_en="New inner-field canals",
            name_ar="قنوات جديدة",
            unit=Unit.KM,
            aggregation=Aggregation.SUM,
        )
        assert indicator.code == "canal_km"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"code": ""}, "code"),
            ({"name_vi": " "}, "name_vi"),
            ({"unit": "furlong"}, "unit"),
            ({"aggregation": "median"}, "aggregation"),
            ({"unit": Unit.PERCENT, "aggregation": Aggregation.SUM}, NON_FIELD_ERRORS),
        ],
    )
    def test_rejects_bad_values(self, changes, field):
        values = {
            "code": "road_m",
            "name_vi": "Đường giao thông nông thôn",
            "name_en": "Rural roads",
            "name_ar": "طرق ريفية",
            "unit": Unit.M,
            "aggregation": Aggregation.SUM,
            **changes,
        }
        with pytest.raises(ValidationError) as caught:
            indicator_create(actor=SYSTEM, **values)
        assert field in error_fields(caught)
        assert not Indicator.objects.exists()


class TestResults:
    @pytest.fixture
    def sim_4g(self):
        return IndicatorFactory(
            code="sim_4g_pct", unit=Unit.PERCENT, aggregation=Aggregation.LATEST
        )

    @pytest.fixture
    def railing(self):
        return IndicatorFactory(code="railing_m", unit=Unit.M, aggregation=Aggregation.SUM)

    def test_records_a_percentage_exactly(self, cultural_houses, sim_4g):
        result = result_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            indicator=sim_4g,
            value="89.5",
            target=100,
            period_end=datetime.date(2024, 12, 31),
        )
        fresh = Result.objects.get(pk=result.pk)
        assert fresh.value == Decimal("89.5")
        assert fresh.target == 100

    def test_a_float_is_taken_by_its_text(self, cultural_houses, railing):
        result = result_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            indicator=railing,
            value=0.1,
            period_end=datetime.date(2024, 12, 31),
        )
        assert Result.objects.get(pk=result.pk).value == Decimal("0.1")

    @pytest.mark.parametrize(
        ("indicator", "changes", "field"),
        [
            ("sim_4g", {"value": "100.5"}, "value"),
            ("sim_4g", {"target": "120"}, "target"),
            ("railing", {"value": "-120"}, "value"),
            ("railing", {"target": -1}, "target"),
            ("railing", {"value": ""}, "value"),
            ("railing", {"value": None}, "value"),
            ("railing", {"value": "một trăm"}, "value"),
            ("railing", {"value": "NaN"}, "value"),
            ("railing", {"value": "Infinity"}, "value"),
            ("railing", {"value": "1.23456"}, "value"),
            ("railing", {"value": "1e20"}, "value"),
            ("railing", {"target": "abc"}, "target"),
            ("railing", {"period_end": None}, "period_end"),
            ("railing", {"period_start": datetime.date(2025, 1, 1)}, NON_FIELD_ERRORS),
            ("railing", {"note": "x" * 501}, "note"),
        ],
    )
    def test_rejects_bad_values_and_writes_nothing(
        self, request, cultural_houses, indicator, changes, field
    ):
        values = {
            "initiative": cultural_houses,
            "indicator": request.getfixturevalue(indicator),
            "value": "75",
            "period_end": datetime.date(2024, 12, 31),
            **changes,
        }
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            result_add(actor=SYSTEM, **values)
        assert field in error_fields(caught)
        assert snapshot() == before

    def test_delete_removes_the_result_and_keeps_its_history(self, cultural_houses, railing):
        result = result_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            indicator=railing,
            value="120",
            period_end=datetime.date(2024, 12, 31),
        )
        pk = result.pk
        result_delete(actor=SYSTEM, result=result)
        assert not Result.objects.filter(pk=pk).exists()
        assert list(Result.history.filter(id=pk).values_list("history_type", flat=True)) == [
            "-",
            "+",
        ]


class TestEvidence:
    def upload(self, name, content, content_type="application/octet-stream"):
        return SimpleUploadedFile(name, content, content_type=content_type)

    def test_attaches_a_photo(self, cultural_houses, lan, media_root):
        evidence = evidence_add(
            actor=lan,
            initiative=cultural_houses,
            upload=self.upload("nha-van-hoa-khu-1.png", image_bytes_for_tests("PNG")),
        )
        evidence.refresh_from_db()
        assert evidence.kind == EvidenceKind.PHOTO
        assert evidence.content_type == "image/png"
        assert evidence.title == "nha-van-hoa-khu-1.png"
        assert evidence.uploaded_by == lan
        assert evidence.file.name.startswith(f"evidence/2024/{cultural_houses.code}/")
        assert (media_root / evidence.file.name).read_bytes() == image_bytes_for_tests("PNG")

    def test_a_pdf_is_a_document(self, cultural_houses, media_root):
        evidence = evidence_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            upload=self.upload("bien-ban.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
            title="Biên bản họp khu dân cư",
        )
        assert (evidence.kind, evidence.content_type) == (
            EvidenceKind.DOCUMENT,
            "application/pdf",
        )
        assert evidence.title == "Biên bản họp khu dân cư"

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("anh.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),
            ("bien-ban.txt", "Biên bản họp khu dân cư số 1".encode()),
            ("bien-ban.pdf", "Biên bản họp khu dân cư số 1".encode()),
            ("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
            ("empty.png", b""),
        ],
    )
    def test_refuses_files_that_are_not_what_they_claim(
        self, cultural_houses, media_root, name, content
    ):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            evidence_add(
                actor=SYSTEM,
                initiative=cultural_houses,
                upload=self.upload(name, content, "image/jpeg"),
            )
        assert error_fields(caught) == {"file"}
        assert snapshot() == before
        assert not media_root.exists() or not any(media_root.rglob("*.*"))

    def test_refuses_an_oversize_file(self, cultural_houses, media_root, settings):
        settings.EVIDENCE_MAX_BYTES = 1024 * 1024
        content = image_bytes_for_tests("PNG") + b"\x00" * (1024 * 1024)
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            evidence_add(
                actor=SYSTEM, initiative=cultural_houses, upload=self.upload("big.png", content)
            )
        assert error_fields(caught) == {"file"}
        assert "1 MB" in caught.value.message_dict["file"][0]
        assert snapshot() == before

    def test_refuses_a_zip_bomb_docx(self, cultural_houses, media_root, docx_bomb):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            evidence_add(
                actor=SYSTEM,
                initiative=cultural_houses,
                upload=self.upload("bao-cao.docx", docx_bomb),
            )
        assert error_fields(caught) == {"file"}
        assert snapshot() == before

    def test_a_document_cannot_be_a_photo(self, cultural_houses, media_root, docx_bytes):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            evidence_add(
                actor=SYSTEM,
                initiative=cultural_houses,
                upload=self.upload("bao-cao.docx", docx_bytes),
                kind=EvidenceKind.PHOTO,
            )
        assert error_fields(caught) == {"kind"}
        assert snapshot() == before

    def test_a_bad_kind_leaves_no_file_behind(self, cultural_houses, media_root):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            evidence_add(
                actor=SYSTEM,
                initiative=cultural_houses,
                upload=self.upload("anh.png", image_bytes_for_tests("PNG")),
                kind="video",
            )
        assert error_fields(caught) == {"kind"}
        assert snapshot() == before
        assert not any(path.is_file() for path in media_root.rglob("*"))

    def test_delete_removes_the_file_after_commit(
        self, cultural_houses, media_root, django_capture_on_commit_callbacks
    ):
        evidence = evidence_add(
            actor=SYSTEM,
            initiative=cultural_houses,
            upload=self.upload("anh.png", image_bytes_for_tests("PNG")),
        )
        stored = media_root / evidence.file.name
        assert stored.is_file()
        with django_capture_on_commit_callbacks(execute=True):
            evidence_delete(actor=SYSTEM, evidence=evidence)
        assert not Evidence.objects.exists()
        assert not stored.exists()
