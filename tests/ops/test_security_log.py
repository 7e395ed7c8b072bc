"""The security log (ASVS 7.1.3, 7.2.2): one logger, ``danvan.security``, whose events carry
who, what and from where, never a secret; and every refused request is one of them."""

import json
import logging

import pytest
from django.test import RequestFactory

from danvan.core.security_log import client_address, security_event
from danvan.ops.logs import JsonFormatter, RequestContextFilter, logging_config
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECURITY_MIDDLEWARE = "danvan.core.security_log.SecurityEventMiddleware"


@pytest.fixture
def refusals_logged(settings):
    """The middleware in its place, right after the request id (see ``settings.MIDDLEWARE``)."""
    middleware = [m for m in settings.MIDDLEWARE if m != SECURITY_MIDDLEWARE]
    at = middleware.index("danvan.ops.middleware.RequestIdMiddleware") + 1
    settings.MIDDLEWARE = [*middleware[:at], SECURITY_MIDDLEWARE, *middleware[at:]]


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="danvan.security")

    def read() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "danvan.security"]

    return read


def test_the_middleware_is_installed_after_the_request_id():
    from danvan import settings  # as written

    middleware = list(settings.MIDDLEWARE)
    assert SECURITY_MIDDLEWARE in middleware, "add it to settings.MIDDLEWARE"
    assert middleware.index(SECURITY_MIDDLEWARE) == (
        middleware.index("danvan.ops.middleware.RequestIdMiddleware") + 1
    )


def test_an_event_names_itself_and_its_fields(events):
    security_event("role.granted", user_id=7, username="lan", role="officer")
    (record,) = events()
    assert record.getMessage() == "role.granted user_id=7 username='lan' role='officer'"
    assert (record.event, record.user_id, record.role) == ("role.granted", 7, "officer")
    assert record.levelno == logging.INFO


@pytest.mark.parametrize(
    "field", ["password", "new_password1", "token_key", "api_key", "secret", "session_key"]
)
def test_a_field_named_like_a_secret_is_refused(events, field):
    with pytest.raises(ValueError, match="never carry secrets"):
        security_event("sign-in.failed", **{field: "hunter2-hunter2"})
    assert events() == []


def test_a_forged_line_stays_one_line(events):
    security_event("sign-in.failed", username="lan\nsign-in.succeeded username='root'")
    (record,) = events()
    assert "\n" not in record.getMessage()
    assert record.getMessage().count("=") == 2  # the forged "username=" is inside the value
    assert "lan\\nsign-in.succeeded" in record.getMessage()


def test_long_values_are_cut(events):
    security_event("sign-in.failed", username="x" * 5000)
    (record,) = events()
    assert len(record.username) == 201


def test_json_lines_carry_the_event_and_its_fields(events):
    security_event("api-token.revoked", user_id=3, token_id=9)
    (record,) = events()
    RequestContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["logger"] == "danvan.security"
    assert (line["event"], line["user_id"], line["token_id"]) == ("api-token.revoked", 3, 9)


def test_security_events_are_kept_whatever_the_log_level():
    config = logging_config(log_format="json", level="ERROR")
    assert config["loggers"]["danvan.security"]["level"] == "INFO"


class TestClientAddress:
    def request(self, remote: str, forwarded: str | None = None):
        headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)

    def test_without_a_proxy_the_peer_is_the_client(self, settings):
        settings.SECURE_PROXY_SSL_HEADER = None
        assert client_address(self.request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"

    def test_behind_nginx_the_last_forwarded_address_is_the_client(self, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        request = self.request("127.0.0.1", "10.0.0.66, 203.0.113.7")
        assert client_address(request) == "203.0.113.7"

    def test_a_forwarded_header_from_elsewhere_is_not_believed(self, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        assert client_address(self.request("203.0.113.7", "127.0.0.1")) == "203.0.113.7"

    @pytest.mark.parametrize("forwarded", ["not-an-address", "", "1.2.3.4, <script>"])
    def test_a_malformed_forwarded_header_falls_back_to_the_peer(self, settings, forwarded):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        assert client_address(self.request("127.0.0.1", forwarded)) == "127.0.0.1"


class TestRefusals:
    def test_a_403_is_logged_with_the_person(self, client, events, refusals_logged):
        lan = UserFactory(username="lan")
        client.force_login(lan)
        assert client.get("/people/").status_code == 403
        (record,) = [r for r in events() if r.event == "access.refused"]
        assert (record.status, record.method, record.path) == (403, "GET", "/people/")
        assert (record.user_id, record.username) == (lan.pk, "lan")
        assert record.levelno == logging.WARNING

    def test_a_404_of_a_signed_in_person_is_logged(self, client, events, refusals_logged):
        client.force_login(UserFactory(username="lan"))
        assert client.get("/people/999999/").status_code in (403, 404)
        assert client.get("/api/v1/initiatives/999999/").status_code == 404
        refused = [(r.status, r.path) for r in events() if r.event == "access.refused"]
        assert (404, "/api/v1/initiatives/999999/") in refused

    def test_an_anonymous_404_is_not(self, client, events, refusals_logged):
        assert client.get("/no-such-page/").status_code == 404
        assert [r for r in events() if r.event == "access.refused"] == []

    def test_a_bad_api_token_is_logged_as_401(self, client, events, refusals_logged):
        response = client.get("/api/v1/initiatives/", HTTP_AUTHORIZATION="Token dvk_nope_nope")
        assert response.status_code == 401
        (record,) = [r for r in events() if r.event == "access.refused"]
        assert record.status == 401
        assert not hasattr(record, "user_id")
        assert "dvk_nope" not in record.getMessage()

    def test_answers_that_are_not_refusals_are_not_logged(self, client, events, refusals_logged):
        client.force_login(UserFactory(username="lan"))
        assert client.get("/accounts/password_change/").status_code == 200
        assert client.get("/health/").status_code in (200, 503)
        assert [r for r in events() if r.event == "access.refused"] == []


def test_a_reset_links_token_never_reaches_a_log_line(client, caplog):
    """A password-reset link is a credential until used: the request line keeps its shape
    and loses its token (ASVS 7.1.1)."""
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Keep()
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("danvan.request")
    logger.addHandler(handler)
    try:
        client.get("/accounts/reset/MQ/diql12-c92133338c0fba22966412cd98dca8ff/")
        client.get("/accounts/reset/MQ/set-password/")
    finally:
        logger.removeHandler(handler)
    first, second = lines
    assert first["message"] == "GET /accounts/reset/MQ/…/ 200"
    assert first["path"] == "/accounts/reset/MQ/…/"
    assert "c92133338c0f" not in json.dumps(lines)
    assert second["path"] == "/accounts/reset/MQ/set-password/"
