"""The demo data set: the published facts with their exact figures, determinism, idempotence."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum

from danvan.areas.models import Area, AreaSuccession, CodeScheme
from danvan.core.models import next_code
from danvan.core.text import fold
from danvan.demo.background import HA_TINH_TARGETS
from danvan.demo.loader import load_demo
from danvan.demo.quangyen import quang_yen_2024
from danvan.initiatives.catalogues import Aggregation, ContributionKind, Field, Unit
from danvan.initiatives.models import Contribution, Indicator, Initiative, Result
from danvan.orgs.models import Organisation

SMALL = 0.02  # a fiftieth of the background: the facts are whole, the rest is a sample


@pytest.fixture(scope="module")
def loaded_once(official_areas, django_db_blocker):
    """Load the demo once for this module, in a transaction rolled back at its end.

    The tests only read, so one load serves them all; each test's own transaction nests inside.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(background=SMALL)
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_once, db):
    return loaded_once


def by_title(start: str, **filters) -> Initiative:
    return Initiative.objects.get(title__startswith=start, **filters)


def results(initiative: Initiative) -> dict[str, Decimal]:
    return {r.indicator.code: r.value for r in initiative.results.select_related("indicator")}


def ha_tinh_q(field: str = "area") -> Q:
    province = Area.objects.get(scheme=CodeScheme.LEGACY, name="Tỉnh Hà Tĩnh")
    return Q(**{f"{field}__path__startswith": province.subtree_prefix}) | Q(**{field: province})


class TestQuangYen:
    def test_2024_has_32_units_registering_138_models(self, demo):
        assert quang_yen_2024() == (32, 138)

    def test_yen_giang_cultural_houses_mobilised_1_030_million_in_kind(self, demo):
        model = by_title("Dân vận khéo trong khai thác, quản lý nhà văn hóa")
        amounts = sorted(model.contributions.values_list("amount", flat=True))
        assert amounts == [180_000_000, 200_000_000, 300_000_000, 350_000_000]
        assert set(model.contributions.values_list("kind", flat=True)) == {"in_kind"}
        assert model.contributions.aggregate(total=Sum("amount"))["total"] == 1_030_000_000
        assert model.area.name == "Phường Yên Giang" and model.area.code == "07162"
        assert results(model) == {"area_paved_m2": Decimal(1200)}
        zones = Area.objects.filter(parent=model.area, scheme=CodeScheme.LOCAL)
        assert sorted(zones.values_list("name", flat=True)) == [f"Khu {n}" for n in range(1, 7)]

    def test_digital_transformation_has_six_percentages(self, demo):
        model = by_title("Dân vận khéo trong thực hiện chuyển đổi số")
        assert model.organisation.name == "Ủy ban nhân dân phường Yên Giang"
        assert model.year == 2024 and model.exemplary
        values = sorted(results(model).values())
        expected = ["86.4", "87.6", "89.5", "89.7", "96", "100"]
        assert values == [Decimal(v) for v in expected]
        for result in model.results.select_related("indicator"):
            assert result.indicator.unit == Unit.PERCENT
            assert result.indicator.aggregation != Aggregation.SUM

    def test_lien_hoa_railings_and_village_1_roads(self, demo):
        railings = by_title("Lan can chống đuối nước", area__scheme=CodeScheme.LOCAL)
        assert railings.organisation.name == "Đoàn Thanh niên xã Liên Hòa"
        assert railings.contributions.get().amount == 75_000_000
        assert results(railings) == {"railing_m": Decimal(120)}
        roads = by_title("Dân vận khéo trong làm đường giao thông nông thôn")
        assert roads.area.name == "Thôn 1" and roads.area.parent.name == "Xã Liên Hòa"
        assert roads.area.path == f"{roads.area.parent.path}.{roads.area.pk}"
        assert roads.contributions.get().amount == 352_000_000
        assert results(roads) == {"concrete_alley_m": Decimal(326)}

    def test_town_womens_union_godparents(self, demo):
        model = by_title("Mẹ đỡ đầu", year=2024)
        assert model.organisation.name == "Hội Liên hiệp Phụ nữ thị xã Quảng Yên"
        amounts = sorted(model.contributions.values_list("amount", flat=True))
        assert amounts == [64_200_000, 106_800_000, 310_000_000]
        assert results(model) == {
            "children_sponsored_new": Decimal(2),
            "children_sponsored_total": Decimal(28),
            "households_supported": Decimal(223),
        }


class TestHaTinh:
    def test_can_loc_built_119_models_in_2023_with_its_nine_month_results(self, demo):
        can_loc = Area.objects.get(scheme=CodeScheme.LEGACY, name="Huyện Can Lộc")
        models = Initiative.objects.filter(year=2023, area__path__startswith=can_loc.subtree_prefix)
        assert models.count() == 119
        nine_months = Result.objects.filter(
            initiative__in=models, period_end=datetime.date(2023, 9, 30)
        )
        totals = dict(
            nine_months.values("indicator__code")
            .annotate(total=Sum("value"))
            .values_list("indicator__code", "total")
        )
        assert totals == {
            "canal_new_km": Decimal("7.1"),
            "canal_dredged_km": Decimal("36.2"),
            "alley_cleaned_km": Decimal("1.2"),
            "road_renovated_m": Decimal(916),
            "mixed_gardens": Decimal(34),
            "home_gardens": Decimal(750),
            "model_gardens": Decimal(45),
            "model_residential_areas": Decimal(12),
        }

    def test_thien_loc_model_and_its_continuation(self, demo):
        original = by_title("Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu", year=2020)
        assert original.area.name == "Xã Thiên Lộc"
        assert original.area.parent.name == "Huyện Can Lộc"
        assert results(original) == {
            "households_taking_part": Decimal(1000),
            "roads_widened": Decimal(70),
            "model_residential_areas": Decimal(10),
        }
        continuation = original.continuations.get()
        assert continuation.year == 2023 and continuation.registration_kind == "continued"

    def test_fire_prevention_in_family_group_8_of_historical_nguyen_du_ward(self, demo):
        model = by_title("Tổ liên gia an toàn phòng cháy", area__kind="family_group")
        family, group = model.area, model.area.parent
        ward = group.parent
        assert (family.name, group.name) == ("Nhóm hộ gia đình số 8", "Tổ dân phố 3")
        assert ward.name == "Phường Nguyễn Du" and ward.parent.name == "Thành phố Hà Tĩnh"
        assert ward.valid_to < datetime.date(2025, 7, 1)
        link = AreaSuccession.objects.get(predecessor=ward)
        assert link.successor.parent == ward.parent and link.kind == "merge"
        assert model.field == Field.DEFENCE_SECURITY

    def test_replicated_models_link_to_their_origin(self, demo):
        titles = [
            "Nuôi hươu nhốt chuồng",
            "Hợp tác xã chế biến nước mắm",
            "Vận động nguồn lực xây dựng nhà tránh trú bão",
            "Bảo tồn, phát huy nghệ thuật Ca trù",
            "Camera an ninh trong khu dân cư",
            "Câu lạc bộ “Ngân hàng máu sống”",
        ]
        for title in titles:
            origin = Initiative.objects.filter(ha_tinh_q(), title__startswith=title).get(
                replicated_from__isnull=True, tags__name="nhân rộng"
            )
            assert origin.replications.count() == 2, title
        assert by_title("Nuôi hươu", replicated_from=None).area.name == "Xã Sơn Giang"
        assert by_title("Hợp tác xã chế biến", replicated_from=None).area.name == "Xã Thạch Kim"
        blood_bank = by_title("Câu lạc bộ “Ngân hàng máu sống”", replicated_from=None)
        assert blood_bank.exemplary
        assert blood_bank.organisation.name == "Đoàn Thanh niên huyện Cẩm Xuyên"

    def test_fields_2013_to_2023_follow_the_report_at_the_given_scale(self, demo):
        rows = (
            Initiative.objects.filter(ha_tinh_q(), year__range=(2013, 2023))
            .values_list("field")
            .annotate(n=Count("id"))
        )
        expected = {field: round(total * SMALL) for field, total in HA_TINH_TARGETS.items()}
        assert dict(rows) == expected


class TestPopulation:
    def test_spans_years_provinces_and_schemes(self, demo):
        years = set(Initiative.objects.values_list("year", flat=True))
        assert years == set(range(2013, 2026))
        in_2025 = Initiative.objects.filter(year=2025)
        assert set(in_2025.values_list("area__scheme", flat=True)) == {CodeScheme.CURRENT}
        assert not in_2025.filter(start_date__lt=datetime.date(2025, 7, 1)).exists()
        earlier = Initiative.objects.filter(year__lt=2025)
        assert not earlier.filter(area__scheme=CodeScheme.CURRENT).exists()
        assert Initiative.objects.filter(replicated_from__isnull=False).count() > 20

    def test_money_is_whole_vnd_and_never_negative(self, demo):
        money = Contribution.objects.filter(kind__in=[ContributionKind.MONEY, "in_kind"])
        amounts = list(money.values_list("amount", flat=True))
        assert amounts and all(type(a) is int and a > 0 for a in amounts)
        assert isinstance(money.aggregate(total=Sum("amount"))["total"], int)

    def test_bulk_rows_have_what_save_would_have_set(self, demo):
        for org in Organisation.objects.all():
            assert org.name_folded == fold(org.name)
        for code, title, folded in Initiative.objects.values_list("code", "title", "title_folded"):
            assert folded == fold(title), code

    def test_sequences_continue_after_the_demo_codes(self, demo):
        last = Initiative.objects.filter(year=2024).order_by("-code").first().code
        assert next_code("DVK-2024") > last

    def test_percentages_are_never_summed(self, demo):
        percent = Indicator.objects.filter(unit=Unit.PERCENT)
        assert percent.exists() and not percent.filter(aggregation=Aggregation.SUM).exists()
        assert not Indicator.objects.filter(Q(name_en="") | Q(name_ar="") | Q(name_vi=""))


class TestIdempotence:
    def test_loading_twice_duplicates_nothing(self, demo):
        again = load_demo(background=SMALL)
        assert not again.loaded
        assert again.counts == demo.counts
        assert get_user_model().objects.filter(username="admin").count() == 1
