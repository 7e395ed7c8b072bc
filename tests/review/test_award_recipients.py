"""An award goes to the initiative's collective or to one person: the service, the form and
the API's closed body refuse what is not one of the two, name the field and change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from danvan.accounts.models import Role
from danvan.review.forms import AwardProposeForm
from danvan.review.models import Award, AwardStage, RecipientKind, RecognitionLevel
from danvan.review.services import award_nominate, award_propose, award_recognise
from tests.factories_review import AwardTitleFactory
from tests.people import person

DECISION = {
    "decision_number": "88/QĐ-UBND",
    "decision_date": __import__("datetime").date(2024, 12, 20),
    "issuing_body": "UBND phường Yên Giang",
}
PERSON = {
    "recipient_kind": RecipientKind.INDIVIDUAL,
    "recipient_name": "Nguyễn Thị   Hoa",
    "recipient_role": "household_head",
    "recipient_detail": "Khu 3, phường Yên Giang",
}


@pytest.fixture
def title(db):
    return AwardTitleFactory()


def propose(world, title, **recipient):
    return award_propose(
        actor=world.minh,
        initiative=world.digital,
        title=title,
        level=RecognitionLevel.COMMUNE,
        **recipient,
    )


class TestService:
    def test_the_collective_by_default(self, world, title):
        award = propose(world, title)
        assert award.recipient_kind == RecipientKind.COLLECTIVE
        assert (award.recipient_name, award.recipient_role, award.recipient_user) == ("", "", None)
        assert award.recipient == "UBND phường Yên Giang"  # the initiative's organisation

    def test_a_person_not_a_user(self, world, title):
        award = propose(world, title, **PERSON)
        assert award.to_individual
        assert award.recipient == "Nguyễn Thị Hoa"  # spaces folded
        assert (award.recipient_role, award.recipient_detail) == (
            "household_head",
            "Khu 3, phường Yên Giang",
        )
        assert award.recipient_user is None

    def test_a_person_with_an_account_in_the_province(self, world, title):
        award = propose(world, title, **PERSON, recipient_user=world.lan)
        assert award.recipient_user == world.lan

    @pytest.mark.parametrize(
        ("recipient", "field"),
        [
            ({"recipient_kind": "household"}, "recipient_kind"),
            ({"recipient_kind": "individual", "recipient_role": "officer"}, "recipient_name"),
            (
                {
                    "recipient_kind": "individual",
                    "recipient_name": "   ",
                    "recipient_role": "officer",
                },
                "recipient_name",
            ),
            ({"recipient_kind": "individual", "recipient_name": "Lê Văn An"}, "recipient_role"),
            (
                {
                    "recipient_kind": "individual",
                    "recipient_name": "Lê Văn An",
                    "recipient_role": "mayor",
                },
                "recipient_role",
            ),
            ({"recipient_kind": "collective", "recipient_name": "Lê Văn An"}, "recipient_name"),
            ({"recipient_kind": "collective", "recipient_role": "officer"}, "recipient_role"),
            ({"recipient_kind": "collective", "recipient_detail": "Khu 3"}, "recipient_detail"),
        ],
        ids=[
            "unknown-kind",
            "person-without-name",
            "person-with-blank-name",
            "person-without-role",
            "person-with-unknown-role",
            "collective-with-name",
            "collective-with-role",
            "collective-with-detail",
        ],
    )
    def test_refused(self, world, title, recipient, field):
        with pytest.raises(ValidationError) as caught:
            propose(world, title, **recipient)
        assert list(caught.value.message_dict) == [field]
        assert not Award.objects.exists()

    def test_a_collective_links_no_account(self, world, title):
        with pytest.raises(ValidationError) as caught:
            propose(world, title, recipient_user=world.lan)
        assert list(caught.value.message_dict) == ["recipient_user"]

    def test_an_account_of_another_province_is_refused(self, world, title):
        with pytest.raises(ValidationError) as caught:
            propose(world, title, **PERSON, recipient_user=world.nga)  # Hà Tĩnh
        assert "province" in caught.value.message_dict["recipient_user"][0]
        assert not Award.objects.exists()

    def test_an_inactive_account_is_refused(self, world, title):
        gone = person("gone", Role.OFFICER, area=world.yen_giang, is_active=False)
        with pytest.raises(ValidationError) as caught:
            propose(world, title, **PERSON, recipient_user=gone)
        assert list(caught.value.message_dict) == ["recipient_user"]

    def test_the_database_refuses_a_half_recipient(self, world, title):
        award = propose(world, title)
        with pytest.raises(IntegrityError), transaction.atomic():
            Award.objects.filter(pk=award.pk).update(recipient_kind=RecipientKind.INDIVIDUAL)

    def test_a_nomination_carries_the_person_up(self, world, title):
        award = propose(world, title, **PERSON)
        award_recognise(actor=world.minh, award=award, **DECISION)
        nomination = award_nominate(actor=world.minh, award=award)
        assert nomination.level == RecognitionLevel.DISTRICT
        assert (nomination.recipient_kind, nomination.recipient_name) == (
            RecipientKind.INDIVIDUAL,
            "Nguyễn Thị Hoa",
        )
        assert nomination.stage == AwardStage.PROPOSED

    def test_the_history_keeps_the_recipient(self, world, title):
        award = propose(world, title, **PERSON)
        record = award.history.latest()
        assert (record.recipient_kind, record.recipient_name) == ("individual", "Nguyễn Thị Hoa")


class TestForm:
    def test_the_form_checks_the_kind(self, title):
        form = AwardProposeForm(
            {"title": title.pk, "level": "commune", "recipient_kind": "household"}
        )
        assert not form.is_valid()
        assert "recipient_kind" in form.errors

    def test_the_page_puts_the_service_error_on_the_field(self, world, title, client):
        client.force_login(world.minh)
        response = client.post(
            f"/review/initiatives/{world.digital.pk}/awards/new/",
            {"title": title.pk, "level": "commune", "recipient_kind": "individual"},
        )
        assert response.status_code == 200
        assert "recipient_name" in response.context["form"].errors
        assert not Award.objects.exists()

    def test_the_page_proposes_for_a_person(self, world, title, client):
        client.force_login(world.minh)
        response = client.post(
            f"/review/initiatives/{world.digital.pk}/awards/new/",
            {"title": title.pk, "level": "commune", **PERSON},
        )
        assert response.status_code == 302
        award = Award.objects.get()
        assert award.recipient_name == "Nguyễn Thị Hoa"
        page = client.get(f"/review/awards/{award.pk}/").content.decode()
        assert "Nguyễn Thị Hoa" in page


def api(user, language="en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


class TestApi:
    def url(self, world):
        return f"/api/v1/initiatives/{world.digital.pk}/awards/"

    def test_propose_for_a_person(self, world, title):
        body = {"title": title.pk, "level": "commune", **PERSON}
        response = api(world.minh).post(self.url(world), body, format="json")
        assert response.status_code == 201, response.content
        award = response.json()
        assert (award["recipient_kind"], award["recipient"]) == ("individual", "Nguyễn Thị Hoa")
        listed = api(world.minh).get("/api/v1/awards/", {"recipient_kind": "individual"}).json()
        assert [a["id"] for a in listed["results"]] == [award["id"]]
        assert (
            api(world.minh).get("/api/v1/awards/", {"recipient_kind": "collective"}).json()["count"]
            == 0
        )

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"recipient_kind": "household"}, "recipient_kind"),
            ({"recipient_kind": "individual", "recipient_role": "officer"}, "recipient_name"),
            ({"recipient_kind": "collective", "recipient_name": "Lê Văn An"}, "recipient_name"),
            (
                {"recipient_kind": "individual", "recipient_name": "A", "recipient_role": 5},
                "recipient_role",
            ),
            ({"recipient_stage": "x"}, "recipient_stage"),
            ({"recipient_user": "abc"}, "recipient_user"),
        ],
        ids=["unknown-kind", "no-name", "collective-named", "bad-role", "unknown-key", "bad-user"],
    )
    def test_refused(self, world, title, body, field):
        response = api(world.minh).post(
            self.url(world), {"title": title.pk, "level": "commune", **body}, format="json"
        )
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert field in error["fields"], error
        assert not Award.objects.exists()

    def test_the_message_is_in_the_request_language(self, world, title):
        body = {
            "title": title.pk,
            "level": "commune",
            "recipient_kind": "individual",
            "recipient_role": "officer",
        }
        english = api(world.minh).post(self.url(world), body, format="json").json()
        assert english["error"]["fields"]["recipient_name"] == [
            "Give the full name of the person awarded."
        ]
