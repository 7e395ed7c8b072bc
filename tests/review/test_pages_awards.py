"""The evaluation form and the award pages: propose, recognise with a scan, nominate, commend."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Initiative
from danvan.review.models import Award, AwardStage, Evaluation, RecognitionLevel
from danvan.review.services import award_propose
from tests.factories_review import (
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    GradeThresholdFactory,
)


@pytest.fixture
def client(client, settings):
    """Pages in English, to compare their words with the messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def criteria(world):
    """Quảng Ninh's set: impact (weight 60, max 10) and participation (weight 40, max 5)."""
    criteria_set = CriteriaSetFactory(name="Tiêu chí Quảng Ninh", area=world.quang_ninh)
    impact = CriterionFactory(criteria_set=criteria_set, name="Hiệu quả", weight=60, max_score=10)
    people = CriterionFactory(criteria_set=criteria_set, name="Sự tham gia", weight=40, max_score=5)
    GradeThresholdFactory(criteria_set=criteria_set, min_total=80, grade="Xuất sắc")
    return criteria_set, impact, people


def evaluate_url(initiative):
    return reverse("review:evaluate", args=[initiative.pk])


class TestEvaluationForm:
    def test_one_input_per_criterion_with_its_maximum(self, client, world, criteria):
        _, impact, people = criteria
        client.force_login(world.minh)
        response = client.get(evaluate_url(world.digital))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'name="score_{impact.pk}"' in html and 'max="10"' in html
        assert f'name="score_{people.pk}"' in html and 'max="5"' in html
        assert "Hiệu quả" in html and f'for="id_score_{impact.pk}"' in html

    def test_valid_scores_are_saved_with_the_weighted_total_and_grade(
        self, client, world, criteria
    ):
        _, impact, people = criteria
        client.force_login(world.minh)
        response = client.post(
            evaluate_url(world.digital),
            {f"score_{impact.pk}": "9", f"score_{people.pk}": "4.5", "comment": "Tốt"},
        )
        assert response.status_code == 302
        evaluation = Evaluation.objects.get()
        # (9/10 × 60 + 4.5/5 × 40) / 100 × 100 = 90
        assert str(evaluation.total) == "90.00"
        assert evaluation.grade == "Xuất sắc"
        assert evaluation.reviewer == world.minh
        assert evaluation.comment == "Tốt"

    def test_a_score_above_its_maximum_is_shown_on_its_field(self, client, world, criteria):
        _, impact, people = criteria
        client.force_login(world.minh)
        response = client.post(
            evaluate_url(world.digital),
            {f"score_{impact.pk}": "11", f"score_{people.pk}": ""},
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors[f"score_{impact.pk}"] == [
            "The score for “Hiệu quả” must be between 0 and 10."
        ]
        assert form.errors[f"score_{people.pk}"] == ["This field is required."]
        assert "is-invalid" in response.content.decode()
        assert not Evaluation.objects.exists()

    def test_text_instead_of_a_number(self, client, world, criteria):
        _, impact, people = criteria
        client.force_login(world.minh)
        response = client.post(
            evaluate_url(world.digital),
            {f"score_{impact.pk}": "nine", f"score_{people.pk}": "-1"},
        )
        assert set(response.context["form"].errors) == {
            f"score_{impact.pk}",
            f"score_{people.pk}",
        }
        assert not Evaluation.objects.exists()

    def test_out_of_scope_is_404_and_a_viewer_gets_403(self, client, world, criteria):
        client.force_login(world.duc)
        assert client.get(evaluate_url(world.digital)).status_code == 404
        client.force_login(world.quan)
        assert client.get(evaluate_url(world.digital)).status_code == 403
        client.logout()
        assert client.get(evaluate_url(world.digital)).status_code == 302

    def test_a_draft_cannot_be_evaluated(self, client, world, criteria):
        _, impact, people = criteria
        client.force_login(world.minh)
        response = client.get(evaluate_url(world.cultural_houses))
        assert response.context["form"] is None
        assert "Only a registered, running or completed initiative" in response.content.decode()
        client.post(
            evaluate_url(world.cultural_houses),
            {f"score_{impact.pk}": "9", f"score_{people.pk}": "4"},
        )
        assert not Evaluation.objects.exists()

    def test_another_provinces_set_does_not_apply(self, client, world, criteria):
        client.force_login(world.hoa)
        response = client.get(evaluate_url(world.thien_loc_roads))
        assert response.context["criteria_set"] is None
        assert "No criteria set applies" in response.content.decode()


@pytest.fixture
def title(db):
    return AwardTitleFactory()


@pytest.fixture
def proposal(world, title):
    return award_propose(
        actor=world.minh, initiative=world.digital, title=title, level=RecognitionLevel.COMMUNE
    )


DECISION = {
    "decision_number": "2087/QĐ-UBND",
    "decision_date": "2024-12-20",
    "issuing_body": "UBND tỉnh Quảng Ninh",
}


class TestAwardPages:
    def test_propose(self, client, world, title):
        client.force_login(world.minh)
        url = reverse("review:award_new", args=[world.digital.pk])
        response = client.post(url, {"title": title.pk, "level": RecognitionLevel.COMMUNE})
        award = Award.objects.get()
        assert response["Location"] == reverse("review:award", args=[award.pk])
        assert award.stage == AwardStage.PROPOSED

    def test_propose_bad_input(self, client, world, title):
        client.force_login(world.minh)
        url = reverse("review:award_new", args=[world.digital.pk])
        response = client.post(url, {"title": "", "level": "galaxy"})
        assert set(response.context["form"].errors) == {"title", "level"}
        Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.DRAFT)
        draft = reverse("review:award_new", args=[world.cultural_houses.pk])
        response = client.post(draft, {"title": title.pk, "level": RecognitionLevel.COMMUNE})
        assert "Only a registered, running or completed" in response.content.decode()
        assert not Award.objects.exists()

    def test_propose_permissions(self, client, world, title):
        url = reverse("review:award_new", args=[world.digital.pk])
        client.force_login(world.duc)
        assert client.get(url).status_code == 404
        client.force_login(world.lan)  # reads Yên Giang's… only her union's initiatives
        assert client.get(url).status_code == 404
        client.force_login(world.thu)  # officer of the People's Committee: reads, cannot award
        assert client.get(url).status_code == 403

    def test_recognise_with_a_scan_then_download_it(self, client, world, proposal, media_root):
        client.force_login(world.minh)
        scan = SimpleUploadedFile("qd-2087.pdf", b"%PDF-1.4 decision", "application/pdf")
        url = reverse("review:award_recognise", args=[proposal.pk])
        response = client.post(url, {**DECISION, "decision_file": scan})
        assert response.status_code == 302
        proposal.refresh_from_db()
        assert proposal.stage == AwardStage.RECOGNISED
        assert proposal.decision_date == datetime.date(2024, 12, 20)
        page = client.get(reverse("review:award", args=[proposal.pk]))
        download = reverse("review:award_decision", args=[proposal.pk])
        assert download in page.content.decode()
        answer = client.get(download)
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == b"%PDF-1.4 decision"
        # The scan follows the award's scope.
        client.force_login(world.duc)
        assert client.get(download).status_code == 404
        client.force_login(world.quan)  # a viewer of the province may read it
        assert client.get(download).status_code == 200

    def test_recognise_bad_input_writes_nothing(self, client, world, proposal, media_root):
        client.force_login(world.minh)
        url = reverse("review:award_recognise", args=[proposal.pk])
        fake = SimpleUploadedFile("qd.pdf", b"MZ not a pdf", "application/pdf")
        response = client.post(
            url, {"decision_number": "", "decision_date": "20/13/2024", "decision_file": fake}
        )
        errors = response.context["form"].errors
        assert set(errors) == {"decision_number", "decision_date", "issuing_body"}
        fake = SimpleUploadedFile("qd.pdf", b"MZ not a pdf", "application/pdf")
        response = client.post(url, {**DECISION, "decision_file": fake})
        assert "Only photos" in response.context["form"].errors["decision_file"][0]
        proposal.refresh_from_db()
        assert proposal.stage == AwardStage.PROPOSED
        assert not proposal.decision_file

    def test_nominate_then_commend_at_the_next_level(self, client, world, proposal):
        client.force_login(world.minh)
        client.post(reverse("review:award_recognise", args=[proposal.pk]), DECISION)
        response = client.post(reverse("review:award_nominate", args=[proposal.pk]))
        nomination = Award.objects.get(stage=AwardStage.PROPOSED)
        assert response["Location"] == reverse("review:award", args=[nomination.pk])
        assert nomination.level == RecognitionLevel.DISTRICT
        # Nominating again is refused with a message, not an error page.
        again = client.post(reverse("review:award_nominate", args=[proposal.pk]), follow=True)
        assert "Only a recognised award" in again.content.decode()
        commend = reverse("review:award_commend", args=[nomination.pk])
        assert client.post(commend, DECISION).status_code == 302
        nomination.refresh_from_db()
        assert nomination.stage == AwardStage.COMMENDED

    def test_a_viewer_sees_the_award_but_no_actions(self, client, world, proposal):
        client.force_login(world.quan)
        page = client.get(reverse("review:award", args=[proposal.pk]))
        assert page.status_code == 200
        assert reverse("review:award_recognise", args=[proposal.pk]) not in page.content.decode()
        recognise = reverse("review:award_recognise", args=[proposal.pk])
        assert client.post(recognise, DECISION).status_code == 403
        assert client.post(reverse("review:award_nominate", args=[proposal.pk])).status_code == 403

    def test_award_list_filters_and_scope(self, client, world, proposal, title):
        other = award_propose(
            actor=world.hoa,
            initiative=world.thien_loc_roads,
            title=title,
            level=RecognitionLevel.PROVINCE,
        )
        client.force_login(world.root)
        everything = client.get(reverse("review:awards"))
        assert {a.pk for a in everything.context["page"]} == {proposal.pk, other.pk}
        by_level = client.get(reverse("review:awards"), {"level": "province"})
        assert [a.pk for a in by_level.context["page"]] == [other.pk]
        # Search ignores diacritics: "duong hoa" finds "Đường hoa…".
        found = client.get(reverse("review:awards"), {"q": "duong hoa"})
        assert [a.pk for a in found.context["page"]] == [other.pk]
        bad = client.get(reverse("review:awards"), {"stage": "nonsense"})
        assert bad.status_code == 200
        client.force_login(world.minh)
        mine = client.get(reverse("review:awards"))
        assert [a.pk for a in mine.context["page"]] == [proposal.pk]
        assert client.get(reverse("review:award", args=[other.pk])).status_code == 404


class TestCriteriaSetChoice:
    def test_a_legacy_provinces_set_of_an_earlier_round_still_applies(self, client, world):
        """2025 registrations of today's Quảng Yên ward use Quảng Ninh's 2024 criteria (written
        under the legacy province) until the province writes new ones; never a later set."""
        from danvan.areas.models import Area, CodeScheme
        from danvan.review.selectors import criteria_sets_for
        from tests.factories import InitiativeFactory
        from tests.factories_review import RegistrationRoundFactory

        legacy_qn = Area.objects.get(scheme=CodeScheme.LEGACY, name="Tỉnh Quảng Ninh")
        old = CriteriaSetFactory(
            name="2024", area=legacy_qn, round=RegistrationRoundFactory(year=2024, area=legacy_qn)
        )
        later = CriteriaSetFactory(
            name="2026",
            area=world.quang_ninh,
            round=RegistrationRoundFactory(year=2026, area=world.quang_ninh),
        )
        national = CriteriaSetFactory(name="national")
        other = CriteriaSetFactory(name="Hà Tĩnh", area=world.ha_tinh)
        initiative = InitiativeFactory(organisation=world.yu_ha_an, area=world.quang_yen, year=2025)
        chosen = criteria_sets_for(initiative=initiative)
        assert chosen == [national, old]
        assert later not in chosen and other not in chosen
        own = CriteriaSetFactory(
            name="2025",
            area=world.quang_ninh,
            round=RegistrationRoundFactory(year=2025, area=world.quang_ninh),
        )
        assert criteria_sets_for(initiative=initiative)[0] == own

    def test_the_page_offers_a_choice_between_sets(self, client, world, criteria):
        second = CriteriaSetFactory(name="Bộ tiêu chí thứ hai", area=world.quang_ninh)
        criterion = CriterionFactory(criteria_set=second, name="Duy nhất", max_score=3)
        client.force_login(world.minh)
        response = client.get(evaluate_url(world.digital), {"set": second.pk})
        assert response.context["criteria_set"] == second
        assert f'name="score_{criterion.pk}"' in response.content.decode()
        assert client.get(evaluate_url(world.digital), {"set": "x"}).status_code == 200
