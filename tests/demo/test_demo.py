"""The demo data set: the published facts with their exact figures, determinism, idempotence."""

import datetime
from decimal import Decimal
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, Sum

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.scope import can
from danvan.areas.models import Area, AreaSuccession, CodeScheme
from danvan.core.models import next_code
from danvan.core.text import fold
from danvan.demo.background import HA_TINH_TARGETS
from danvan.demo.loader import load_demo
from danvan.demo.quangyen import quang_yen_2024
from danvan.demo.users import DEMO_PASSWORD, DEMO_USERNAMES
from danvan.demo.workflow import PATHS
from danvan.initiatives.catalogues import Aggregation, ContributionKind, Field, Status, Unit
from danvan.initiatives.models import Contribution, Indicator, Initiative, Result, StatusChange
from danvan.notifications.models import Notification
from danvan.orgs.models import Organisation
from danvan.review.models import (
    Award,
    AwardForm,
    AwardStage,
    AwardTitle,
    Evaluation,
    RecognitionLevel,
    RegistrationRound,
)

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
        assert amounts and all(a == a.to_integral_value() and a > 0 for a in amounts)
        total = money.aggregate(total=Sum("amount"))["total"]
        assert total == total.to_integral_value()

    def test_some_land_and_labour_is_measured_to_the_half(self, demo):
        for kind in (ContributionKind.LAND, ContributionKind.LABOUR):
            amounts = list(Contribution.objects.filter(kind=kind).values_list("amount", flat=True))
            halves = [a for a in amounts if a != a.to_integral_value()]
            assert halves and all(a % 1 == Decimal("0.5") and a > 0 for a in halves), kind
            assert len(halves) < len(amounts) / 4, kind  # a few, most are whole

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


# username: (role, area name and scheme or None, organisation name or None, nationwide, language)
PEOPLE = {
    "national.viewer": (Role.VIEWER, None, None, True, "en"),
    "hatinh.reviewer": (Role.REVIEWER, ("Tỉnh Hà Tĩnh", "current"), None, False, "vi"),
    "quangninh.admin": (Role.ADMIN, ("Tỉnh Quảng Ninh", "current"), None, False, "vi"),
    "quangyen.reviewer": (Role.REVIEWER, ("Phường Quảng Yên", "current"), None, False, "vi"),
    "yengiang.officer": (
        Role.OFFICER, None, "Ủy ban nhân dân phường Yên Giang", False, "vi"
    ),
    "quangyen.officer": (
        Role.OFFICER, None, "Ủy ban Mặt trận Tổ quốc Việt Nam phường Quảng Yên", False, "vi"
    ),
    "thienloc.officer": (
        Role.OFFICER, None, "Ủy ban Mặt trận Tổ quốc Việt Nam xã Thiên Lộc", False, "vi"
    ),
    "canloc.viewer": (Role.VIEWER, ("Xã Can Lộc", "current"), None, False, "ar"),
}  # fmt: skip


def person(username: str) -> User:
    return User.objects.get(username=username)


class TestPeople:
    def test_every_role_at_several_levels_with_its_scope(self, demo):
        assert set(DEMO_USERNAMES) == set(PEOPLE)
        for username, (role, area, org, nationwide, language) in PEOPLE.items():
            user = User.objects.get(username=username)
            grant = RoleAssignment.objects.get(user=user)
            assert grant.role == role, username
            assert grant.nationwide is nationwide, username
            if area is None:
                assert grant.area is None, username
            else:
                assert (grant.area.name, grant.area.scheme) == area, username
            if org is None:
                assert grant.organisation is None, username
            else:
                assert grant.organisation.name == org, username
                assert user.organisation == grant.organisation, username
            assert user.organisation is not None, username
            assert user.language == language, username
            assert user.email == f"{username}@danvan.demo"
            assert user.first_name and user.last_name and user.is_active
            assert not user.is_superuser and not user.is_staff
        assert person("national.viewer").organisation.name == "Ban Dân vận Trung ương"

    def test_everyone_logs_in_with_the_printed_password(self, demo, client):
        for username in DEMO_USERNAMES:
            assert person(username).check_password(DEMO_PASSWORD), username
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
        response = client.post(
            "/accounts/login/", {"username": "yengiang.officer", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(person("yengiang.officer").pk)

    def test_scopes_reach_the_legacy_units_their_current_units_succeed(self, demo):
        digital = by_title("Dân vận khéo trong thực hiện chuyển đổi số")
        cultural = by_title("Dân vận khéo trong khai thác, quản lý nhà văn hóa")
        thien_loc = by_title("Dân vận khéo trong xây dựng nông thôn mới kiểu mẫu")
        on = {"digital": digital, "cultural": cultural, "thien_loc": thien_loc}

        def may(username, action, key):
            initiative = on[key]
            return can(
                person(username),
                action,
                area=initiative.area,
                organisation_id=initiative.organisation_id,
            )

        assert may("quangyen.reviewer", "initiative.register", "cultural")
        assert not may("quangyen.reviewer", "initiative.register", "thien_loc")
        assert may("hatinh.reviewer", "initiative.award", "thien_loc")
        assert not may("hatinh.reviewer", "initiative.view", "digital")
        assert may("yengiang.officer", "initiative.submit", "digital")
        assert not may("yengiang.officer", "initiative.submit", "cultural")  # the ward's Front
        assert may("thienloc.officer", "initiative.continue", "thien_loc")
        assert may("canloc.viewer", "initiative.view", "thien_loc")
        assert not may("canloc.viewer", "initiative.view", "digital")
        assert not may("canloc.viewer", "initiative.submit", "thien_loc")
        assert all(may("national.viewer", "initiative.view", key) for key in on)
        assert not may("national.viewer", "initiative.register", "digital")
        assert may("quangninh.admin", "user.manage", "digital")
        assert not may("quangninh.admin", "initiative.register", "digital")

    def test_demo_people_get_notifications_but_no_emails(self, demo):
        officer = person("yengiang.officer")
        assert Notification.objects.filter(recipient=officer, kind="awarded").exists()
        reviewer = person("quangyen.reviewer")
        assert Notification.objects.filter(recipient=reviewer, kind="submitted").exists()
        assert not Notification.objects.filter(emailed=True).exists()


def trail(initiative: Initiative) -> list[str]:
    return list(initiative.status_changes.order_by("at", "id").values_list("transition", flat=True))


class TestWorkflow:
    def test_every_state_is_reached_through_the_workflow(self, demo):
        walked = Initiative.objects.filter(status_changes__isnull=False).distinct()
        assert set(walked.values_list("status", flat=True)) == set(Status.values) - {Status.DRAFT}
        draft = by_title("Dân vận khéo trong phân loại rác thải tại nguồn")
        assert draft.status == Status.DRAFT and not draft.status_changes.exists()
        assert draft.history.exists()
        for initiative in walked:
            changes = list(initiative.status_changes.order_by("at", "id"))
            assert changes[-1].to_status == initiative.status, initiative.code
            assert changes[0].from_status == Status.DRAFT, initiative.code
            for before, after in pairwise(changes):
                assert before.to_status == after.from_status, initiative.code
            if not any(c.transition == "return" for c in changes):
                assert [c.transition for c in changes] == list(PATHS[initiative.status])

    def test_published_models_walked_to_their_state_by_the_people_in_charge(self, demo):
        digital = by_title("Dân vận khéo trong thực hiện chuyển đổi số")
        assert digital.status == Status.COMPLETED
        assert trail(digital) == ["submit", "register", "start", "complete"]
        actors = dict(digital.status_changes.values_list("transition", "actor__username"))
        assert actors == {
            "submit": "yengiang.officer",
            "register": "quangyen.reviewer",
            "start": "yengiang.officer",
            "complete": "yengiang.officer",
        }
        running = by_title("Dân vận khéo trong khai thác, quản lý nhà văn hóa")
        assert running.status == Status.IN_PROGRESS
        fire = by_title("Tổ liên gia an toàn phòng cháy", area__kind="family_group")
        register = fire.status_changes.get(transition="register")
        assert register.actor.username == "hatinh.reviewer"
        # Every published model has its trail; none was set by a bare update.
        facts = Initiative.objects.filter(tags__name__in=["nhân rộng", "nông thôn mới"])
        assert facts.exists() and not facts.filter(status_changes__isnull=True).exists()

    def test_returned_then_resubmitted_and_continued_into_the_next_year(self, demo):
        earlier = by_title("Đường có hoa, nhà có số", year=2023)
        later = earlier.continuations.get()
        assert later.year == 2024 and later.registration_kind == "continued"
        assert later.round == RegistrationRound.objects.get(year=2024, area__name="Tỉnh Hà Tĩnh")
        assert trail(later) == ["submit", "return", "submit", "register", "start"]
        returned = later.status_changes.get(transition="return")
        assert returned.reason and returned.actor.username == "hatinh.reviewer"
        assert later.status_changes.get(transition="submit", from_status=Status.RETURNED)

    def test_returns_and_discontinuations_give_their_reasons(self, demo):
        changes = StatusChange.objects.filter(transition__in=["return", "discontinue"])
        assert {c.transition for c in changes} == {"return", "discontinue"}
        assert all(c.reason.strip() for c in changes)
        discontinued = Initiative.objects.get(
            status=Status.DISCONTINUED, status_changes__transition="discontinue"
        )
        assert discontinued.year == 2025 and discontinued.area.scheme == CodeScheme.CURRENT


class TestRounds:
    def test_rounds_close_their_statistics_on_30_november(self, demo):
        rounds = RegistrationRound.objects.select_related("area")
        keys = {(r.year, r.area.name, r.area.scheme) for r in rounds}
        assert keys == {
            (2023, "Tỉnh Hà Tĩnh", "legacy"),
            (2024, "Tỉnh Hà Tĩnh", "legacy"),
            (2024, "Tỉnh Quảng Ninh", "legacy"),
            (2025, "Tỉnh Hà Tĩnh", "current"),
            (2025, "Tỉnh Quảng Ninh", "current"),
        }
        for r in rounds:
            assert r.cutoff_on == datetime.date(r.year, 11, 30)
            assert r.opens_on <= r.closes_on < r.cutoff_on
            assert r.theme

    def test_initiatives_of_a_rounds_year_and_province_are_in_it(self, demo):
        quang_ninh = RegistrationRound.objects.get(year=2024, area__name="Tỉnh Quảng Ninh")
        assert by_title("Dân vận khéo trong thực hiện chuyển đổi số").round == quang_ninh
        assert quang_ninh.initiatives.count() >= 138
        can_loc_2023 = Initiative.objects.filter(
            year=2023, area__path__startswith=by_title("Đường có hoa", year=2023).area.path
        )
        assert not can_loc_2023.filter(round__isnull=True).exists()
        assert not Initiative.objects.filter(ha_tinh_q(), year=2025, round__isnull=True).exists()
        assert Initiative.objects.filter(year=2019, round__isnull=True).exists()


class TestRecognition:
    def test_evaluations_have_totals_and_grades(self, demo):
        evaluations = Evaluation.objects.select_related("initiative", "reviewer")
        assert evaluations.count() >= 6
        for evaluation in evaluations:
            assert Decimal(0) < evaluation.total <= Decimal(100)
            assert evaluation.grade and evaluation.reviewer is not None
            criteria = evaluation.criteria_set.criteria.count()
            assert evaluation.scores.count() == criteria == 4
            assert evaluation.criteria_set.thresholds.count() == 4
        digital = evaluations.get(initiative__title__startswith="Dân vận khéo trong thực hiện")
        assert (digital.total, digital.grade) == (Decimal("97.00"), "Xuất sắc")
        assert digital.criteria_set.round.year == 2024

    def test_yen_giang_certificate_of_merit_of_the_provincial_peoples_committee(self, demo):
        digital = by_title("Dân vận khéo trong thực hiện chuyển đổi số")
        award = digital.awards.get()
        assert award.stage == AwardStage.RECOGNISED
        assert award.level == RecognitionLevel.PROVINCE
        assert award.form.name_vi == "Bằng khen của Ủy ban nhân dân tỉnh"
        assert award.form.name_en == "Certificate of merit of the provincial People's Committee"
        assert award.issuing_body == "UBND tỉnh Quảng Ninh"
        assert award.decision_number.endswith("/QĐ-UBND")
        assert award.decision_date.year == 2024
        assert award.created_by.username == "quangyen.reviewer"
        # Registered as an ordinary model, then marked exemplary by a reviewer.
        assert digital.exemplary
        assert not digital.history.earliest("history_date").exemplary
        marked = digital.history.filter(exemplary=True).earliest("history_date")
        assert marked.history_user.username == "quangyen.reviewer"

    def test_blood_bank_commended_by_the_provincial_commission(self, demo):
        club = by_title("Câu lạc bộ “Ngân hàng máu sống”", replicated_from=None)
        award = club.awards.get()
        assert award.stage == AwardStage.COMMENDED
        assert award.issuing_body == "Ban Dân vận Tỉnh ủy Hà Tĩnh"
        assert award.decision_number and award.decision_date

    def test_one_award_nominated_to_the_next_level(self, demo):
        nominated = Award.objects.get(stage=AwardStage.NOMINATED)
        assert nominated.level == RecognitionLevel.DISTRICT
        assert nominated.nominated_to.level == RecognitionLevel.PROVINCE
        assert nominated.nominated_to.stage == AwardStage.PROPOSED
        assert nominated.initiative.area.name == "Xã Thiên Lộc"

    def test_catalogues_are_named_in_three_languages(self, demo):
        for model in (AwardTitle, AwardForm):
            assert model.objects.exists()
            assert not model.objects.filter(Q(name_vi="") | Q(name_en="") | Q(name_ar=""))


class TestIdempotence:
    def test_loading_twice_duplicates_nothing(self, demo):
        again = load_demo(background=SMALL)
        assert not again.loaded
        assert again.counts == demo.counts
        assert get_user_model().objects.filter(username="admin").count() == 1
        assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)
        assert [login.username for login in again.logins] == ["admin", *DEMO_USERNAMES]
        assert not any(login.created for login in again.logins)
