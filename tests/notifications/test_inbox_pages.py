"""The inbox page, its menu badge and the e-mail settings page: each person's own only."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from danvan.initiatives.catalogues import Status
from danvan.initiatives.lifecycle import initiative_return, initiative_submit
from danvan.initiatives.models import Initiative
from danvan.notifications.models import EmailPreference, Notification, NotificationKind
from danvan.notifications.services import email_preferences_set, notify

REASON = "Thiếu biên bản họp dân khu 3"


def returned(world, django_capture_on_commit_callbacks) -> Notification:
    Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.SUBMITTED)
    world.cultural_houses.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        initiative_return(actor=world.minh, initiative=world.cultural_houses, reason=REASON)
    return Notification.objects.get(recipient=world.lan, kind=NotificationKind.RETURNED)


def test_the_inbox_lists_the_return_with_its_reason_and_a_badge(
    client, world, django_capture_on_commit_callbacks
):
    returned(world, django_capture_on_commit_callbacks)
    notify(recipients=[world.lan], kind=NotificationKind.ROUND_CLOSING, message="Round closes")
    client.force_login(world.lan)
    answer = client.get("/inbox/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert REASON in html
    assert "Round closes" in html
    assert 'id="inbox-badge">2<' in html
    assert html.count('class="list-group-item d-flex') == 2


def test_other_peoples_notifications_are_never_shown_nor_marked(
    client, world, django_capture_on_commit_callbacks
):
    theirs = returned(world, django_capture_on_commit_callbacks)
    client.force_login(world.thu)  # an officer of another unit: not told of Lan's model
    answer = client.get("/inbox/")
    assert REASON not in answer.content.decode()
    assert "inbox-badge" not in answer.content.decode()
    for action in ("read", "unread", "open"):
        assert client.post(f"/inbox/{theirs.pk}/{action}/").status_code == 404
    client.force_login(world.tuan)  # a provincial administrator neither
    assert REASON not in client.get("/inbox/").content.decode()
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_read_unread_and_all(client, world, django_capture_on_commit_callbacks):
    notification = returned(world, django_capture_on_commit_callbacks)
    notify(recipients=[world.lan], kind=NotificationKind.CUTOFF, message="Cut-off soon")
    client.force_login(world.lan)
    answer = client.post(f"/inbox/{notification.pk}/read/", {"next": "/inbox/?unread=1"})
    assert answer.status_code == 302 and answer.url == "/inbox/?unread=1"
    notification.refresh_from_db()
    assert notification.read_at is not None
    unread_page = client.get("/inbox/?unread=1").content.decode()
    assert REASON not in unread_page and "Cut-off soon" in unread_page
    client.post(f"/inbox/{notification.pk}/unread/")
    notification.refresh_from_db()
    assert notification.read_at is None
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(recipient=world.lan, read_at__isnull=True).exists()
    assert "inbox-badge" not in client.get("/inbox/").content.decode()


def test_an_outside_next_is_not_followed(client, world, django_capture_on_commit_callbacks):
    notification = returned(world, django_capture_on_commit_callbacks)
    client.force_login(world.lan)
    answer = client.post(f"/inbox/{notification.pk}/read/", {"next": "https://evil.example/"})
    assert answer.url == "/inbox/"


def test_opening_marks_read_and_goes_to_the_initiative(
    client, world, django_capture_on_commit_callbacks
):
    notification = returned(world, django_capture_on_commit_callbacks)
    client.force_login(world.lan)
    answer = client.post(f"/inbox/{notification.pk}/open/")
    assert answer.url == f"/initiatives/{world.cultural_houses.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_needs_a_post(client, world, django_capture_on_commit_callbacks):
    notification = returned(world, django_capture_on_commit_callbacks)
    client.force_login(world.lan)
    assert client.get(f"/inbox/{notification.pk}/read/").status_code == 405


def test_the_inbox_needs_a_sign_in(client):
    answer = client.get("/inbox/")
    assert answer.status_code == 302 and "/accounts/login/" in answer.url


def test_the_badge_costs_one_query_whatever_the_inbox_holds(client, world):
    client.force_login(world.lan)
    notify(recipients=[world.lan], kind=NotificationKind.CUTOFF, message="one")
    client.get("/privacy/")  # the first page of a session also records the session
    with CaptureQueriesContext(connection) as few:
        client.get("/privacy/")
    notify(recipients=[world.lan] * 30, kind=NotificationKind.CUTOFF, message="many")
    with CaptureQueriesContext(connection) as many:
        answer = client.get("/privacy/")
    assert 'id="inbox-badge">31<' in answer.content.decode()
    assert len(many) == len(few)
    assert sum("notifications_notification" in q["sql"] for q in many.captured_queries) == 1


class TestEmailSettings:
    def test_turning_returns_off_stops_their_mail_but_not_the_inbox(
        self, client, world, django_capture_on_commit_callbacks
    ):
        client.force_login(world.lan)
        page = client.get("/inbox/settings/").content.decode()
        assert 'value="returned"' in page and "checked" in page
        answer = client.post("/inbox/settings/", {"kinds": ["submitted", "awarded"]})
        assert answer.status_code == 302
        assert EmailPreference.objects.get(user=world.lan, kind="returned").enabled is False
        assert EmailPreference.objects.get(user=world.lan, kind="awarded").enabled is True
        mail.outbox.clear()
        returned(world, django_capture_on_commit_callbacks)
        assert mail.outbox == []
        assert Notification.objects.filter(recipient=world.lan, kind="returned").count() == 1

    def test_an_unknown_kind_is_refused_and_nothing_changes(self, client, world):
        client.force_login(world.lan)
        answer = client.post("/inbox/settings/", {"kinds": ["returned", "nonsense"]})
        assert answer.status_code == 200
        assert "nonsense" in answer.content.decode()  # the form names the bad choice
        assert not EmailPreference.objects.filter(user=world.lan).exists()

    def test_the_service_refuses_an_unknown_kind(self, world):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            email_preferences_set(user=world.lan, enabled=["nonsense"])
        assert not EmailPreference.objects.filter(user=world.lan).exists()

    def test_each_person_sets_their_own(self, client, world):
        client.force_login(world.lan)
        client.post("/inbox/settings/", {"kinds": []})
        assert EmailPreference.objects.filter(user=world.lan, enabled=False).count() == 7
        assert not EmailPreference.objects.filter(user=world.thu).exists()

    def test_a_person_without_an_address_is_told(self, client, world):
        world.lan.email = ""
        world.lan.save(update_fields=["email"])
        client.force_login(world.lan)
        page = client.get("/inbox/settings/", HTTP_ACCEPT_LANGUAGE="en")  # read in English
        assert "no e-mail address" in page.content.decode()


def test_submission_reaches_the_reviewer_inbox_page(client, world):
    initiative_submit(actor=world.lan, initiative=world.cultural_houses)
    client.force_login(world.minh)
    assert world.cultural_houses.code in client.get("/inbox/").content.decode()


def test_the_reason_of_a_return_heads_the_initiatives_page_until_it_is_resubmitted(
    client, world, django_capture_on_commit_callbacks
):
    returned(world, django_capture_on_commit_callbacks)
    client.force_login(world.lan)
    page = f"/initiatives/{world.cultural_houses.pk}/"
    html = client.get(page).content.decode()
    assert 'id="return-reason"' in html
    assert html.index(REASON) < html.index('id="facts-heading"')
    initiative_submit(actor=world.lan, initiative=world.cultural_houses)
    assert 'id="return-reason"' not in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("language", "written"),
    [
        # Vietnamese writes the day as 05/12/2026 (never 05-12-2026), the time first.
        ("vi", "18:25 ngày 05/12/2026"),
        ("en", "12/05/2026 6:25 p.m."),
        # Arabic puts the day first too, with its right-to-left marks and its own comma.
        ("ar", "05\u200f/12\u200f/2026، 6:25 م"),
    ],
)
def test_the_inbox_writes_when_as_each_language_does(client, world, language, written):
    notify(recipients=[world.lan], kind=NotificationKind.ROUND_CLOSING, message="Round closes")
    at = datetime.datetime(2026, 12, 5, 11, 25, tzinfo=datetime.UTC)  # 18:25 in Hà Nội
    Notification.objects.filter(recipient=world.lan).update(created_at=at)
    client.force_login(world.lan)
    html = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<time datetime="2026-12-05T18:25:00+07:00">{written}</time>' in html


def test_dates_elsewhere_follow_the_same_forms():
    """The sessions page, the notices' e-mails and the reminders use the same formats."""
    at = datetime.datetime(2026, 12, 5, 11, 25, tzinfo=datetime.UTC)
    local = timezone.localtime(at)
    with translation.override("vi"):
        assert date_format(local, "DATETIME_FORMAT") == "18:25 ngày 05 tháng 12 năm 2026"
        assert date_format(local.date(), "SHORT_DATE_FORMAT") == "05/12/2026"
        assert date_format(local.date(), "DATE_FORMAT") == "ngày 05 tháng 12 năm 2026"
    with translation.override("ar"):
        assert date_format(local, "DATETIME_FORMAT") == "5 ديسمبر، 2026، 6:25 م"
        assert date_format(local.date(), "SHORT_DATE_FORMAT") == "05\u200f/12\u200f/2026"
    with translation.override("en"):
        assert date_format(local.date(), "SHORT_DATE_FORMAT") == "12/05/2026"
