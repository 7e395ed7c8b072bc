"""The reviewer's queue page and its quick actions (register, return with a reason)."""

import datetime

import pytest
from django.urls import reverse

from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Initiative, StatusChange
from danvan.review.models import AwardStage, RecognitionLevel
from danvan.review.services import award_nominate, award_propose, award_recognise
from tests.factories_review import (
    AwardTitleFactory,
    CriteriaSetFactory,
    CriterionFactory,
    RegistrationRoundFactory,
)

QUEUE = "/review/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client(client, settings):
    """Pages in English, to compare their words with the messages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def submitted(world):
    """Lan's cultural houses (Yên Giang, now Quảng Yên) and Hà An's railings wait for review."""
    Initiative.objects.filter(pk__in=[world.cultural_houses.pk, world.railings.pk]).update(
        status=Status.SUBMITTED
    )
    world.cultural_houses.refresh_from_db()
    world.railings.refresh_from_db()
    return world


@pytest.fixture
def round_2024(db):
    return RegistrationRoundFactory(
        year=2024,
        opens_on=datetime.date(2024, 1, 15),
        closes_on=datetime.date(2024, 3, 31),
        cutoff_on=datetime.date(2024, 11, 30),
    )


def get_queue(client, user, **params):
    client.force_login(user)
    return client.get(QUEUE, params)


def codes(response) -> set[str]:
    return {item.code for item in response.context["page"]}


class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, client, world):
        response = client.get(QUEUE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    @pytest.mark.parametrize("name", ["lan", "quan", "tuan", "nga"])
    def test_people_without_a_reviewer_role_get_403(self, client, world, name):
        assert get_queue(client, getattr(world, name)).status_code == 403

    @pytest.mark.parametrize("name", ["minh", "duc", "hoa", "root"])
    def test_reviewers_and_the_super_administrator_see_it(self, client, world, name):
        assert get_queue(client, getattr(world, name)).status_code == 200


class TestSubmissions:
    def test_each_reviewer_sees_the_submissions_of_their_area(self, client, submitted):
        w = submitted
        assert codes(get_queue(client, w.minh)) == {w.cultural_houses.code}
        assert codes(get_queue(client, w.duc)) == {w.railings.code}
        assert codes(get_queue(client, w.hoa)) == set()
        assert codes(get_queue(client, w.root)) == {w.cultural_houses.code, w.railings.code}

    def test_counts_and_links_on_the_page(self, client, submitted):
        response = get_queue(client, submitted.minh)
        assert response.context["counts"]["submissions"] == 1
        html = response.content.decode()
        assert f'href="/initiatives/{submitted.cultural_houses.pk}/"' in html
        assert submitted.cultural_houses.title in html
        assert submitted.railings.title not in html

    def test_paging(self, client, world):
        from tests.factories import InitiativeFactory

        for _ in range(23):
            InitiativeFactory(
                organisation=world.wu_yen_giang, area=world.yen_giang, status=Status.SUBMITTED
            )
        first = get_queue(client, world.minh)
        assert first.context["counts"]["submissions"] == 23
        assert len(first.context["page"]) == 20
        second = get_queue(client, world.minh, page=2)
        assert len(second.context["page"]) == 3
        assert codes(first).isdisjoint(codes(second))
        # A nonsense page number shows a page, not an error.
        assert get_queue(client, world.minh, page="x").status_code == 200
        # Past the end: the last page, numbered from the tab's own count.
        last = get_queue(client, world.minh, page=99)
        assert last.context["page"].number == 2
        html = last.content.decode()
        assert "Showing 21–23 of 23" in html
        assert 'aria-label="Page 1"' in html  # numbered pages, not only "next"

    @pytest.mark.parametrize("tab", ["submissions", "evaluations", "nominations"])
    def test_each_list_is_counted_once(self, client, world, round_2024, tab):
        """The tab's badge and its pager share one count: a province's queue is counted once
        per request, not twice."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(world.root)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE, {"tab": tab, "year": 2024})
        counts = [
            q["sql"]
            for q in queries.captured_queries
            if "COUNT(" in q["sql"].upper()
            and "GROUP BY" not in q["sql"].upper()
            and "notifications_" not in q["sql"]  # the top bar's unread badge
        ]
        assert len(counts) == 3, counts  # one per tab (the counts per status are grouped)
        assert response.context["page"].paginator.count == response.context["counts"][tab]


class TestRegister:
    def test_register_with_htmx_answers_the_updated_row(self, client, submitted):
        client.force_login(submitted.minh)
        url = reverse("review:register", args=[submitted.cultural_houses.pk])
        response = client.post(url, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.strip().startswith(f'<tr id="submission-{submitted.cultural_houses.pk}"')
        assert "registered" in html
        submitted.cultural_houses.refresh_from_db()
        assert submitted.cultural_houses.status == Status.REGISTERED

    def test_register_without_htmx_goes_back_to_the_queue(self, client, submitted):
        client.force_login(submitted.minh)
        url = reverse("review:register", args=[submitted.cultural_houses.pk])
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("review:queue")

    def test_out_of_scope_is_404_and_nothing_changes(self, client, submitted):
        client.force_login(submitted.duc)
        url = reverse("review:register", args=[submitted.cultural_houses.pk])
        assert client.post(url).status_code == 404
        submitted.cultural_houses.refresh_from_db()
        assert submitted.cultural_houses.status == Status.SUBMITTED

    def test_a_reader_who_may_not_register_gets_403(self, client, submitted):
        client.force_login(submitted.quan)  # viewer of the province: reads, cannot register
        url = reverse("review:register", args=[submitted.cultural_houses.pk])
        assert client.post(url).status_code == 403
        assert not StatusChange.objects.exists()

    def test_register_twice_shows_the_reason_in_the_row(self, client, submitted):
        client.force_login(submitted.minh)
        url = reverse("review:register", args=[submitted.cultural_houses.pk])
        client.post(url, **HTMX)
        again = client.post(url, **HTMX)
        assert again.status_code == 200
        assert "not possible while the initiative is registered" in again.content.decode()
        assert StatusChange.objects.count() == 1

    def test_get_is_refused(self, client, submitted):
        client.force_login(submitted.minh)
        url = reverse("review:register", args=[submitted.cultural_houses.pk])
        assert client.get(url).status_code == 405


class TestReturn:
    def url(self, w):
        return reverse("review:return", args=[w.cultural_houses.pk])

    def field(self, w):
        return f"return-{w.cultural_houses.pk}-reason"

    def test_return_with_a_reason(self, client, submitted):
        client.force_login(submitted.minh)
        response = client.post(
            self.url(submitted), {self.field(submitted): "Thiếu số liệu đóng góp"}, **HTMX
        )
        assert response.status_code == 200
        assert "returned to its officer" in response.content.decode()
        change = StatusChange.objects.get()
        assert change.to_status == Status.RETURNED
        assert change.reason == "Thiếu số liệu đóng góp"

    def test_a_reason_is_required(self, client, submitted):
        client.force_login(submitted.minh)
        response = client.post(self.url(submitted), {self.field(submitted): "  "}, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert "is-invalid" in html
        assert "This field is required." in html
        assert not StatusChange.objects.exists()
        submitted.cultural_houses.refresh_from_db()
        assert submitted.cultural_houses.status == Status.SUBMITTED

    def test_without_htmx_a_missing_reason_shows_the_form_page(self, client, submitted):
        client.force_login(submitted.minh)
        response = client.post(self.url(submitted), {})
        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode()
        assert not StatusChange.objects.exists()


class TestEvaluationsDue:
    def test_due_in_the_current_round_for_each_reviewer(self, client, world, round_2024):
        assert codes(get_queue(client, world.minh, tab="evaluations")) == {world.digital.code}
        assert codes(get_queue(client, world.hoa, tab="evaluations")) == {
            world.thien_loc_roads.code
        }
        assert codes(get_queue(client, world.duc, tab="evaluations")) == set()

    def test_another_year_has_other_work(self, client, world, round_2024):
        assert codes(get_queue(client, world.minh, tab="evaluations", year=2025)) == set()
        # A nonsense year falls back to the current round.
        response = get_queue(client, world.minh, tab="evaluations", year="20x")
        assert response.context["year"] == 2024

    def test_no_longer_due_once_this_reviewer_evaluated(self, client, world, round_2024):
        from danvan.review.services import evaluation_create

        criterion = CriterionFactory(criteria_set=CriteriaSetFactory())
        evaluation_create(
            actor=world.minh,
            initiative=world.digital,
            criteria_set=criterion.criteria_set,
            scores={criterion.pk: 8},
        )
        assert codes(get_queue(client, world.minh, tab="evaluations")) == set()
        # Another reviewer covering the same initiative still has it due.
        assert world.digital.code in codes(get_queue(client, world.root, tab="evaluations"))

    def test_opens_on_the_newest_year_that_has_work(self, client, world, round_2024):
        """Before, it opened on the newest round's year even when that year held nothing to
        evaluate and a later year did (2025 in December 2026)."""
        RegistrationRoundFactory(year=2025, opens_on=datetime.date(2025, 1, 15))
        # The world's completed model is of 2024: that is where the work is.
        assert get_queue(client, world.minh, tab="evaluations").context["year"] == 2024
        from tests.factories import InitiativeFactory

        InitiativeFactory(
            organisation=world.pc_yen_giang,
            area=world.quang_yen,
            year=2026,
            status=Status.REGISTERED,
        )
        assert get_queue(client, world.minh, tab="evaluations").context["year"] == 2026

    def test_with_no_work_the_newest_opened_round_is_the_current_one(
        self, client, world, round_2024
    ):
        RegistrationRoundFactory(year=2025, opens_on=datetime.date(2025, 1, 15))
        assert get_queue(client, world.duc, tab="evaluations").context["year"] == 2025


class TestNominations:
    def test_proposals_wait_at_the_reviewers_level(self, client, world):
        title = AwardTitleFactory()
        commune = award_propose(
            actor=world.minh, initiative=world.digital, title=title, level=RecognitionLevel.COMMUNE
        )
        province = award_propose(
            actor=world.hoa,
            initiative=world.thien_loc_roads,
            title=title,
            level=RecognitionLevel.PROVINCE,
        )
        minh = get_queue(client, world.minh, tab="nominations")
        assert [a.pk for a in minh.context["page"]] == [commune.pk]
        hoa = get_queue(client, world.hoa, tab="nominations")
        assert [a.pk for a in hoa.context["page"]] == [province.pk]
        assert list(get_queue(client, world.duc, tab="nominations").context["page"]) == []

    def test_a_recognised_award_leaves_the_queue_and_its_nomination_arrives_above(
        self, client, world
    ):
        title = AwardTitleFactory()
        award = award_propose(
            actor=world.minh, initiative=world.digital, title=title, level=RecognitionLevel.COMMUNE
        )
        award_recognise(
            actor=world.minh,
            award=award,
            decision_number="12/QĐ-UBND",
            decision_date=datetime.date(2024, 12, 1),
            issuing_body="UBND phường Quảng Yên",
        )
        assert (
            get_queue(client, world.minh, tab="nominations").context["counts"]["nominations"] == 0
        )
        nomination = award_nominate(actor=world.minh, award=award)
        assert nomination.stage == AwardStage.PROPOSED
        assert nomination.level == RecognitionLevel.DISTRICT
        root = get_queue(client, world.root, tab="nominations")
        assert [a.pk for a in root.context["page"]] == [nomination.pk]
        assert "nominated from the level below" in root.content.decode()
