"""The reviewer's pages beyond the single steps: the queue's search, filters, sorting, pages and
bulk actions; evaluating several at once; the commission's actions on an initiative's page; the
criteria set pages."""

import datetime

import pytest
from django.urls import reverse

from danvan.initiatives.catalogues import Field, Status
from danvan.initiatives.models import Initiative, StatusChange
from danvan.review.models import CriteriaSet, Evaluation
from danvan.review.services import evaluation_create
from tests.factories import InitiativeFactory
from tests.factories_review import (
    CriteriaSetFactory,
    CriterionFactory,
    RegistrationRoundFactory,
)

QUEUE = "/review/"


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def submissions(world):
    """Minh's queue: the cultural houses and three more Yên Giang submissions."""
    Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.SUBMITTED)
    world.extra = [
        InitiativeFactory(
            title=title,
            field=field,
            organisation=world.pc_yen_giang,
            area=world.yen_giang,
            status=Status.SUBMITTED,
        )
        for title, field in [
            ("Camera an ninh thôn xóm", Field.DEFENCE_SECURITY),
            ("Câu lạc bộ ngân hàng máu sống", Field.CULTURE_SOCIETY),
            ("Hợp tác xã chế biến nước mắm", Field.ECONOMY),
        ]
    ]
    Initiative.objects.filter(pk=world.thien_loc_roads.pk).update(status=Status.SUBMITTED)
    return world


def listed(response) -> list[str]:
    return [initiative.title for initiative in response.context["page"]]


class TestQueueFilters:
    def test_search_ignores_diacritics_and_finds_codes(self, client, submissions):
        client.force_login(submissions.minh)
        response = client.get(QUEUE, {"q": "ngan hang mau"})
        assert listed(response) == ["Câu lạc bộ ngân hàng máu sống"]
        code = submissions.extra[0].code
        assert listed(client.get(QUEUE, {"q": code})) == ["Camera an ninh thôn xóm"]

    def test_filters_by_field_organisation_and_unit(self, client, submissions):
        w = submissions
        client.force_login(w.minh)
        assert listed(client.get(QUEUE, {"field": Field.ECONOMY})) == [
            "Hợp tác xã chế biến nước mắm"
        ]
        by_org = client.get(QUEUE, {"organisation": w.wu_yen_giang.pk})
        assert listed(by_org) == [w.cultural_houses.title]
        # A unit shows everything under it: the cultural houses sit in zone 1 of Yên Giang.
        assert len(listed(client.get(QUEUE, {"unit": w.yen_giang.pk}))) == 4
        assert listed(client.get(QUEUE, {"unit": w.zone_1.pk})) == [w.cultural_houses.title]

    def test_hidden_records_are_never_offered_nor_filter_into_view(self, client, submissions):
        w = submissions
        client.force_login(w.minh)
        response = client.get(QUEUE, {"organisation": w.wu_thien_loc.pk})
        assert w.thien_loc_roads.title not in listed(response)
        assert response.context["filters"].errors  # not a choice he is offered
        html = response.content.decode()
        assert w.wu_thien_loc.name not in html

    def test_sorting_and_page_size_are_in_the_address(self, client, submissions):
        client.force_login(submissions.minh)
        ascending = listed(client.get(QUEUE, {"sort": "code"}))
        descending = listed(client.get(QUEUE, {"sort": "-code"}))
        assert ascending == list(reversed(descending))
        response = client.get(QUEUE, {"size": 50, "sort": "-code", "page": 1})
        assert response.context["page"].paginator.per_page == 50
        assert "sort=code" in response.content.decode()  # the active column flips

    @pytest.mark.parametrize(
        "params",
        [
            {"changed_from": "2026-13-45"},
            {"changed_from": "2026-02-01", "changed_to": "2026-01-01"},
            {"size": "100000"},
            {"unit": "x"},
            {"sort": "password"},
            {"year": "abc", "tab": "evaluations"},
        ],
        ids=["bad-date", "reversed-range", "huge-size", "bad-unit", "bad-sort", "bad-year"],
    )
    def test_bad_parameters_answer_a_page_not_an_error(self, client, submissions, params):
        client.force_login(submissions.minh)
        response = client.get(QUEUE, params)
        assert response.status_code == 200

    def test_date_range_of_the_last_change(self, client, submissions):
        client.force_login(submissions.minh)
        today = datetime.date.today()
        assert len(listed(client.get(QUEUE, {"changed_from": today.isoformat()}))) == 4
        tomorrow = today + datetime.timedelta(days=1)
        assert listed(client.get(QUEUE, {"changed_from": tomorrow.isoformat()})) == []

    def test_counts_per_status_on_the_evaluation_tab(self, client, world):
        Initiative.objects.filter(pk=world.cultural_houses.pk).update(
            status=Status.REGISTERED, year=2024
        )
        client.force_login(world.minh)
        response = client.get(QUEUE, {"tab": "evaluations", "year": 2024})
        counts = {status: n for status, _label, n in response.context["status_counts"]}
        assert counts[Status.REGISTERED] == 1 and counts[Status.COMPLETED] == 1
        only = client.get(QUEUE, {"tab": "evaluations", "year": 2024, "status": "registered"})
        assert listed(only) == [world.cultural_houses.title]

    def test_the_filters_offer_what_the_list_holds_reading_it_twice(self, submissions):
        """The units (with those above them), organisations and rounds offered are exactly
        those of the list's rows; the list is read once for the units and organisations
        together and once for the rounds (it was read once for each of the three)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from danvan.areas.models import Area
        from danvan.review.queue import queue_choices
        from danvan.review.selectors import queue_submissions

        w = submissions
        round_ = RegistrationRoundFactory(area=w.yen_giang.parent or w.yen_giang)
        Initiative.objects.filter(pk=w.extra[0].pk).update(round=round_)
        listed_rows = queue_submissions(actor=w.minh)
        with CaptureQueriesContext(connection) as queries:
            choices = queue_choices(listed_rows)
        rows = list(listed_rows.select_related("area"))
        units = {int(part) for row in rows for part in row.area.path.split(".") if part}
        assert {area.pk for area in choices["areas"]} == units
        assert [area.path for area in choices["areas"]] == sorted(
            Area.objects.filter(pk__in=units).values_list("path", flat=True)
        )
        assert {pk for pk, _name in choices["organisations"]} == {
            row.organisation_id for row in rows
        }
        names = [name for _pk, name in choices["organisations"]]
        assert names == sorted(names)
        assert [r.pk for r in choices["rounds"]] == [round_.pk]
        reads = [q for q in queries.captured_queries if "initiatives_initiative" in q["sql"]]
        assert len(reads) == 2


class TestBulkActions:
    def test_register_several_reports_each(self, client, submissions):
        w = submissions
        client.force_login(w.minh)
        ids = [w.cultural_houses.pk, w.extra[0].pk, w.thien_loc_roads.pk]
        response = client.post(
            reverse("review:bulk"), {"action": "register", "ids": ids, "next": "/review/?q=x"}
        )
        assert response.status_code == 200
        result = response.context["result"]
        assert [o.ok for o in result.outcomes] == [True, True, False]
        html = response.content.decode()
        assert "2 done" in html and "1 refused" in html
        assert f"#{w.thien_loc_roads.pk}" in html  # not his: no code given
        assert Initiative.objects.get(pk=w.thien_loc_roads.pk).status == Status.SUBMITTED
        assert 'href="/review/?q=x"' in html

    def test_return_needs_the_one_reason(self, client, submissions):
        w = submissions
        client.force_login(w.minh)
        ids = [w.extra[1].pk, w.extra[2].pk]
        response = client.post(reverse("review:bulk"), {"action": "return", "ids": ids})
        assert response.status_code == 302
        assert not StatusChange.objects.filter(initiative_id__in=ids).exists()
        response = client.post(
            reverse("review:bulk"),
            {"action": "return", "ids": ids, "bulk-reason": "Thiếu biên bản họp dân"},
        )
        assert len(response.context["result"].succeeded) == 2
        assert set(
            StatusChange.objects.filter(initiative_id__in=ids).values_list("reason", flat=True)
        ) == {"Thiếu biên bản họp dân"}

    @pytest.mark.parametrize(
        "data",
        [{"action": "register"}, {"action": "publish", "ids": ["1"]}, {"ids": ["x"]}],
        ids=["nothing-chosen", "unknown-action", "bad-ids"],
    )
    def test_bad_requests_change_nothing(self, client, submissions, data):
        client.force_login(submissions.minh)
        response = client.post(reverse("review:bulk"), data)
        assert response.status_code == 302
        assert not StatusChange.objects.exists()

    def test_a_foreign_next_address_is_not_followed(self, client, submissions):
        client.force_login(submissions.minh)
        response = client.post(
            reverse("review:bulk"), {"action": "register", "next": "https://evil.example/"}
        )
        assert response["Location"] == QUEUE

    def test_an_officer_has_no_bulk_actions(self, client, submissions):
        client.force_login(submissions.lan)
        ids = [submissions.cultural_houses.pk]
        response = client.post(reverse("review:bulk"), {"action": "register", "ids": ids})
        assert response.status_code == 403

    def test_evaluate_several_with_the_same_scores(self, client, world):
        w = world
        second = InitiativeFactory(
            organisation=w.pc_yen_giang, area=w.yen_giang, status=Status.REGISTERED, year=2024
        )
        criteria = CriteriaSetFactory(area=w.quang_ninh)
        criterion = CriterionFactory(criteria_set=criteria, weight=1, max_score=10)
        client.force_login(w.minh)
        url = reverse("review:evaluate_many")
        page = client.get(url, {"ids": [w.digital.pk, second.pk]})
        assert page.status_code == 200 and len(page.context["initiatives"]) == 2
        bad = client.post(
            url,
            {
                "ids": [w.digital.pk, second.pk],
                "criteria_set": criteria.pk,
                f"score_{criterion.pk}": "11",
            },
        )
        assert bad.context["form"].errors and not Evaluation.objects.exists()
        done = client.post(
            url,
            {
                "ids": [w.digital.pk, second.pk],
                "criteria_set": criteria.pk,
                f"score_{criterion.pk}": "8",
            },
        )
        assert len(done.context["result"].succeeded) == 2
        assert Evaluation.objects.filter(total=80).count() == 2


class TestInitiativeActions:
    def detail(self, client, initiative):
        return client.get(reverse("initiatives:detail", args=[initiative.pk])).content.decode()

    def test_propose_stays_offered_after_an_evaluation(self, client, world):
        criteria = CriteriaSetFactory(area=world.quang_ninh)
        criterion = CriterionFactory(criteria_set=criteria, weight=1, max_score=10)
        evaluation_create(
            actor=world.minh,
            initiative=world.digital,
            criteria_set=criteria,
            scores={criterion.pk: 9},
        )
        client.force_login(world.minh)
        html = self.detail(client, world.digital)
        assert reverse("review:award_new", args=[world.digital.pk]) in html
        assert 'id="action-exemplary"' in html

    def test_an_officer_sees_no_commission_buttons(self, client, world):
        client.force_login(world.thu)
        html = self.detail(client, world.digital)
        assert 'id="action-exemplary"' not in html and 'id="action-award"' not in html

    def test_mark_and_unmark_exemplary(self, client, world):
        client.force_login(world.minh)
        url = reverse("review:exemplary", args=[world.digital.pk])
        assert client.post(url, {"exemplary": "1"}).status_code == 302
        assert Initiative.objects.get(pk=world.digital.pk).exemplary
        client.post(url, {"exemplary": "0"})
        assert not Initiative.objects.get(pk=world.digital.pk).exemplary

    def test_a_viewer_cannot_mark_exemplary(self, client, world):
        client.force_login(world.quan)
        url = reverse("review:exemplary", args=[world.digital.pk])
        assert client.post(url, {"exemplary": "1"}).status_code == 403
        assert not Initiative.objects.get(pk=world.digital.pk).exemplary

    def test_record_a_replication_by_code(self, client, world):
        client.force_login(world.minh)
        url = reverse("review:replication", args=[world.digital.pk])
        response = client.post(url, {"source": world.cultural_houses.code.lower()}, follow=True)
        assert Initiative.objects.get(pk=world.digital.pk).replicated_from == world.cultural_houses
        assert "replicates" in response.content.decode()
        client.post(url, {"source": ""})
        assert Initiative.objects.get(pk=world.digital.pk).replicated_from is None

    @pytest.mark.parametrize("source", ["DVK-1999-999999", "self"], ids=["unknown", "itself"])
    def test_a_bad_replication_is_said_and_changes_nothing(self, client, world, source):
        client.force_login(world.minh)
        code = world.digital.code if source == "self" else source
        url = reverse("review:replication", args=[world.digital.pk])
        response = client.post(url, {"source": code}, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert Initiative.objects.get(pk=world.digital.pk).replicated_from is None

    def test_continue_into_a_later_round(self, client, world):
        later = RegistrationRoundFactory(year=2025, area=world.quang_ninh)
        client.force_login(world.minh)
        html = self.detail(client, world.digital)
        assert f'value="{later.pk}"' in html
        response = client.post(
            reverse("review:continue", args=[world.digital.pk]), {"round": later.pk}
        )
        successor = Initiative.objects.get(continued_from=world.digital)
        assert response["Location"] == reverse("initiatives:detail", args=[successor.pk])
        assert successor.round == later and successor.status == Status.DRAFT
        again = client.post(
            reverse("review:continue", args=[world.digital.pk]), {"round": later.pk}, follow=True
        )
        # The first continuation's message, then the refusal of the second.
        assert [m.level_tag for m in again.context["messages"]] == ["success", "error"]
        assert Initiative.objects.filter(continued_from=world.digital).count() == 1

    def test_continue_into_a_foreign_round_is_refused(self, client, world):
        foreign = RegistrationRoundFactory(year=2025, area=world.ha_tinh)
        client.force_login(world.minh)
        response = client.post(
            reverse("review:continue", args=[world.digital.pk]), {"round": foreign.pk}
        )
        assert response.status_code == 403
        assert not Initiative.objects.filter(continued_from=world.digital).exists()


def criteria_post(name="Tiêu chí 2025", area=None, round_=None, rows=(), grades=()):
    data = {
        "name": name,
        "area": area.pk if area else "",
        "round": round_.pk if round_ else "",
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "grades-TOTAL_FORMS": str(len(grades)),
        "grades-INITIAL_FORMS": "0",
    }
    for index, (label, weight, maximum) in enumerate(rows):
        data |= {
            f"criteria-{index}-name": label,
            f"criteria-{index}-weight": weight,
            f"criteria-{index}-max_score": maximum,
        }
    for index, (minimum, grade) in enumerate(grades):
        data |= {f"grades-{index}-min_total": minimum, f"grades-{index}-grade": grade}
    return data


class TestCriteriaPages:
    def test_create_from_the_form(self, client, world):
        this_year = RegistrationRoundFactory(year=2025, area=world.quang_ninh)
        client.force_login(world.tuan)
        assert client.get(reverse("review:criteria_new")).status_code == 200
        data = criteria_post(
            area=world.quang_ninh,
            round_=this_year,
            rows=[("Hiệu quả", "60", "10"), ("", "", "")],
            grades=[("80", "Tốt")],
        )
        response = client.post(reverse("review:criteria_new"), data)
        assert response.status_code == 302, response.context["form"].errors
        saved = CriteriaSet.objects.get()
        assert saved.round == this_year and [c.name for c in saved.criteria.all()] == ["Hiệu quả"]

    def test_a_service_refusal_shows_on_its_row(self, client, world):
        client.force_login(world.tuan)
        data = criteria_post(area=world.quang_ninh, rows=[("A", "0", "10")])
        response = client.post(reverse("review:criteria_new"), data)
        assert response.status_code == 200
        assert not CriteriaSet.objects.exists()
        assert "weight above zero" in response.content.decode()

    def test_a_used_set_cannot_be_edited_but_can_be_copied(self, client, world):
        criteria = CriteriaSetFactory(name="Tiêu chí 2024", area=world.quang_ninh)
        criterion = CriterionFactory(criteria_set=criteria, weight=1, max_score=10)
        evaluation_create(
            actor=world.minh,
            initiative=world.digital,
            criteria_set=criteria,
            scores={criterion.pk: 7},
        )
        client.force_login(world.tuan)
        listing = client.get(reverse("review:criteria")).content.decode()
        assert reverse("review:criteria_edit", args=[criteria.pk]) not in listing
        edit = client.get(reverse("review:criteria_edit", args=[criteria.pk]), follow=True)
        assert "can no longer change" in edit.content.decode()
        this_year = RegistrationRoundFactory(year=2025, area=world.quang_ninh)
        response = client.post(
            reverse("review:criteria_copy", args=[criteria.pk]), {"round": this_year.pk}
        )
        copy = CriteriaSet.objects.exclude(pk=criteria.pk).get()
        assert response["Location"] == reverse("review:criteria_edit", args=[copy.pk])
        assert copy.name == "Tiêu chí 2024 (2025)"
        data = criteria_post(name="Tiêu chí 2025", round_=this_year, rows=[("Lan tỏa", "1", "5")])
        assert client.post(response["Location"], data).status_code == 302
        assert [c.name for c in CriteriaSet.objects.get(pk=copy.pk).criteria.all()] == ["Lan tỏa"]

    def test_officers_and_other_provinces_are_kept_out(self, client, world):
        criteria = CriteriaSetFactory(area=world.quang_ninh)
        client.force_login(world.lan)
        assert client.get(reverse("review:criteria")).status_code == 403
        client.force_login(world.hoa)
        assert client.get(reverse("review:criteria_edit", args=[criteria.pk])).status_code == 404
