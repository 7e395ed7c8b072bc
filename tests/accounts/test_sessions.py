"""A person sees where they are signed in and ends those sessions (ASVS 3.3.4); and revokes
their API tokens from the same page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from danvan.accounts import user_agents
from danvan.accounts.models import ApiToken, UserSession
from danvan.accounts.services import api_token_create, user_sessions_prune

PASSWORD = "nha-van-hoa-khu-1-2024"
NEW_PASSWORD = "den-long-thon-3-2025-moi"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
ACTIVITY = "danvan.accounts.middleware.SessionActivityMiddleware"
SESSIONS = "/people/me/sessions/"


@pytest.fixture(autouse=True)
def activity_tracked(settings):
    """The middleware in its place, right after authentication (see ``settings.MIDDLEWARE``)."""
    middleware = [m for m in settings.MIDDLEWARE if m != ACTIVITY]
    at = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    settings.MIDDLEWARE = [*middleware[:at], ACTIVITY, *middleware[at:]]


@pytest.fixture
def lan(db):
    return get_user_model().objects.create_user(
        username="lan", email="lan@danvan.test", password=PASSWORD
    )


def browser(user_agent: str, address: str) -> Client:
    return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def signed_in(user_agent=FIREFOX, address="203.0.113.7", username="lan") -> Client:
    client = browser(user_agent, address)
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    return client.get("/accounts/password_change/").status_code == 200


def test_the_middleware_is_installed_after_authentication():
    from danvan import settings  # as written, not as the fixture above rearranges it

    middleware = list(settings.MIDDLEWARE)
    assert ACTIVITY in middleware, "add it to settings.MIDDLEWARE"
    assert middleware.index(ACTIVITY) > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


class TestTheList:
    def test_a_sign_in_is_recorded_with_address_and_browser(self, lan):
        office = signed_in()
        (record,) = UserSession.objects.filter(user=lan)
        assert record.session_id == office.cookies["sessionid"].value
        assert (record.address, record.user_agent) == ("203.0.113.7", FIREFOX)
        assert record.signed_in_at <= record.last_seen_at <= timezone.now()

    def test_the_page_lists_every_session_and_marks_this_one(self, lan):
        office = signed_in()
        signed_in(PHONE, "198.51.100.20")
        response = office.get(SESSIONS)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Firefox 128 · Windows" in page and "203.0.113.7" in page
        assert "Chrome 126 · Android" in page and "198.51.100.20" in page
        assert page.count("This session") == 1
        assert 'id="end-other-sessions"' in page
        # Session keys are never shown.
        for key in UserSession.objects.values_list("session_id", flat=True):
            assert key not in page

    def test_alone_there_is_nothing_else_to_sign_out_of(self, lan):
        page = signed_in().get(SESSIONS).content.decode()
        assert 'id="no-other-sessions"' in page
        assert 'id="end-other-sessions"' not in page

    def test_only_the_persons_own_sessions(self, lan):
        get_user_model().objects.create_user(username="minh", password=PASSWORD)
        signed_in(PHONE, "198.51.100.20", username="minh")
        page = signed_in().get(SESSIONS).content.decode()
        assert "198.51.100.20" not in page

    def test_sign_in_first(self, db):
        response = Client().get(SESSIONS)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_the_address_behind_the_proxy_is_the_clients(self, lan, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
        client.post("/accounts/login/", {"username": "lan", "password": PASSWORD})
        assert UserSession.objects.get(user=lan).address == "203.0.113.99"


class TestEnding:
    def test_sign_out_of_the_others(self, lan, caplog):
        office = signed_in()
        phone = signed_in(PHONE, "198.51.100.20")
        tablet = signed_in(PHONE, "198.51.100.21")
        response = office.post(reverse("accounts:sessions_end_others"), follow=True)
        assert "Other sessions signed out: 2." in response.content.decode()
        assert not is_signed_in(phone) and not is_signed_in(tablet)
        assert is_signed_in(office)
        assert UserSession.objects.filter(user=lan).count() == 1
        assert Session.objects.count() == 1

    def test_sign_out_of_one(self, lan):
        office = signed_in()
        phone = signed_in(PHONE, "198.51.100.20")
        record = UserSession.objects.get(address="198.51.100.20")
        office.post(reverse("accounts:session_end", args=[record.pk]))
        assert not is_signed_in(phone)
        assert is_signed_in(office)

    def test_the_session_in_use_is_ended_by_signing_out(self, lan):
        office = signed_in()
        record = UserSession.objects.get()
        response = office.post(reverse("accounts:session_end", args=[record.pk]), follow=True)
        assert "To end the session you are using, sign out." in response.content.decode()
        assert is_signed_in(office)

    def test_someone_elses_session_is_not_found(self, lan):
        get_user_model().objects.create_user(username="minh", password=PASSWORD)
        minh = signed_in(PHONE, "198.51.100.20", username="minh")
        theirs = UserSession.objects.get(user__username="minh")
        office = signed_in()
        response = office.post(reverse("accounts:session_end", args=[theirs.pk]))
        assert response.status_code == 404
        assert is_signed_in(minh)

    @pytest.mark.parametrize("name", ["sessions_end_others", "session_end"])
    def test_ending_needs_a_post(self, lan, name):
        office = signed_in()
        args = [UserSession.objects.get().pk] if name == "session_end" else []
        assert office.get(reverse(f"accounts:{name}", args=args)).status_code == 405
        assert is_signed_in(office)

    def test_ending_needs_the_csrf_token(self, lan):
        office = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
        office.force_login(lan)
        phone = signed_in(PHONE, "198.51.100.20")
        response = office.post(reverse("accounts:sessions_end_others"))
        assert response.status_code == 403
        assert is_signed_in(phone)

    def test_sign_out_takes_the_session_off_the_list(self, lan):
        office = signed_in()
        office.post("/accounts/logout/")
        assert not UserSession.objects.exists()


class TestEndedSessionsGo:
    def test_expired_sessions_are_not_listed_and_are_pruned(self, lan):
        signed_in(PHONE, "198.51.100.20")
        Session.objects.update(expire_date=timezone.now() - datetime.timedelta(minutes=1))
        office = signed_in()
        assert "198.51.100.20" not in office.get(SESSIONS).content.decode()
        assert UserSession.objects.filter(user=lan).count() == 1
        assert Session.objects.count() == 1

    def test_a_password_change_ends_the_others_and_keeps_this_one(self, lan):
        office = signed_in()
        phone = signed_in(PHONE, "198.51.100.20")
        first_sign_in = UserSession.objects.get(address="203.0.113.7").signed_in_at
        response = office.post(
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        page = office.get(SESSIONS).content.decode()
        assert "198.51.100.20" not in page
        assert page.count("This session") == 1
        (record,) = UserSession.objects.filter(user=lan)
        assert record.session_id == office.cookies["sessionid"].value
        assert record.signed_in_at == first_sign_in
        assert not is_signed_in(phone)

    def test_prune_leaves_live_sessions(self, lan):
        signed_in()
        signed_in(PHONE, "198.51.100.20")
        assert user_sessions_prune(user=lan) == 0
        assert UserSession.objects.count() == 2


class TestLastSeen:
    def test_use_moves_last_seen_at_most_every_few_minutes(self, lan):
        office = signed_in()
        long_ago = timezone.now() - datetime.timedelta(hours=2)
        UserSession.objects.update(last_seen_at=long_ago)
        office.get("/accounts/password_change/")
        assert UserSession.objects.get().last_seen_at == long_ago  # written at sign-in just now
        cache.clear()
        office.get("/accounts/password_change/")
        seen = UserSession.objects.get().last_seen_at
        assert seen > long_ago
        UserSession.objects.update(last_seen_at=long_ago)
        office.get("/accounts/password_change/")
        assert UserSession.objects.get().last_seen_at == long_ago

    def test_last_seen_does_not_stretch_the_session(self, lan):
        office = signed_in()
        expiry = Session.objects.get().expire_date
        cache.clear()
        office.get("/accounts/password_change/")
        assert Session.objects.get().expire_date == expiry

    def test_a_session_older_than_the_list_joins_it_when_used(self, lan):
        office = signed_in()
        UserSession.objects.all().delete()
        cache.clear()
        office.get("/accounts/password_change/")
        record = UserSession.objects.get()
        assert record.session_id == office.cookies["sessionid"].value
        assert record.address == "203.0.113.7"

    def test_api_token_requests_are_not_sessions(self, lan):
        _token, key = api_token_create(actor=lan, name="Excel")
        response = Client().get("/api/v1/tokens/", HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 200
        assert not UserSession.objects.exists()


class TestTokens:
    def test_the_page_lists_tokens_in_use_and_revokes_them(self, lan):
        token, key = api_token_create(actor=lan, name="Excel of the commission")
        api_token_create(actor=lan, name="Old script")[0].delete()
        office = signed_in()
        page = office.get(SESSIONS).content.decode()
        assert "Excel of the commission" in page and token.prefix in page
        assert key not in page and key.split("_", 2)[-1] not in page
        office.post(reverse("accounts:token_revoke", args=[token.pk]))
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert Client().get("/api/v1/tokens/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
        assert "Excel of the commission" not in office.get(SESSIONS).content.decode()

    def test_someone_elses_token_is_not_found(self, lan):
        minh = get_user_model().objects.create_user(username="minh", password=PASSWORD)
        theirs, _key = api_token_create(actor=minh, name="Minh's")
        office = signed_in()
        response = office.post(reverse("accounts:token_revoke", args=[theirs.pk]))
        assert response.status_code == 404
        assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None

    def test_revoking_needs_a_post(self, lan):
        token, _key = api_token_create(actor=lan, name="Excel")
        office = signed_in()
        assert office.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (FIREFOX, "Firefox 128 · Windows"),
        (PHONE, "Chrome 126 · Android"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari 17 · macOS",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
            "Edge 126 · Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "coc_coc_browser/125.0.0 Chrome/119.0.0.0 Safari/537.36",
            "Cốc Cốc 125 · Windows",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", ""),
        ("x" * 300, "x" * 60),
    ],
)
def test_browsers_get_short_names(header, name):
    assert user_agents.describe(header) == name


def test_a_database_error_on_last_seen_does_not_fail_the_page(lan, monkeypatch, caplog):
    from django.db import OperationalError

    office = signed_in()
    cache.clear()

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("danvan.accounts.services.user_session_seen", locked)
    assert office.get("/accounts/password_change/").status_code == 200
    assert "last use of a session was not recorded" in caplog.text


def test_a_sign_in_elsewhere_leaves_one_still_being_answered(lan):
    """Two sign-ins of one person at once (two devices, or the form sent twice): the second
    one's clean-up must not end the first, whose response has not saved its session yet."""
    from django.contrib.auth import login
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.7")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = lan
    login(request, lan, backend="django.contrib.auth.backends.ModelBackend")
    first = request.session.session_key
    signed_in(PHONE, "198.51.100.20")  # the other sign-in, while the first is being answered
    request.session.save()  # the first response saves its session: still there to save
    assert Session.objects.filter(session_key=first).exists()
    assert UserSession.objects.filter(user=lan).count() == 2
