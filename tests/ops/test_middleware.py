"""A lost database answers 503 with a message in the user's language; the
Content-Security-Policy header on every answer."""

import pytest
from django.db import OperationalError

from danvan.ops.middleware import CONTENT_SECURITY_POLICY

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.outage_urls")]


def test_a_page_gets_503_with_a_message_in_vietnamese_by_default(client):
    response = client.get("/outage/page/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Language"] == "vi"
    text = response.content.decode()
    assert '<html lang="vi"' in text
    assert "127.0.0.1" not in text  # the driver's message, with the host, stays in the log
    assert response["X-Request-ID"] in text


def test_a_page_gets_the_message_in_the_browsers_language(client):
    english = client.get("/outage/page/", headers={"Accept-Language": "en"})
    assert english["Content-Language"] == "en"
    assert "the database cannot be reached" in english.content.decode()
    arabic = client.get("/outage/page/", headers={"Accept-Language": "ar"})
    assert arabic["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()


def test_the_api_gets_503_in_its_error_shape(client):
    response = client.get("/api/v1/outage/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "service_unavailable"
    assert "database cannot be reached" in body["error"]["message"]
    assert body["error"]["fields"] == {}


def test_a_rest_framework_view_losing_the_database_gets_503(client):
    """DRF's exception handler passes a database error on; the middleware answers it."""
    response = client.get("/api/v1/outage-drf/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"


def test_other_failures_stay_500(client):
    client.raise_request_exception = False
    response = client.get("/outage/bug/")
    assert response.status_code == 500


class _LosesDatabaseOnTheWayOut:
    """Stands for the session middleware failing to save its row once the view answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("terminating connection due to administrator command")


def test_losing_the_database_in_a_middleware_also_gives_503(client, settings):
    below = settings.MIDDLEWARE.index("danvan.ops.middleware.DatabaseUnavailableMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:below],
        "tests.ops.test_middleware._LosesDatabaseOnTheWayOut",
        *settings.MIDDLEWARE[below:],
    ]
    client.raise_request_exception = False
    response = client.get("/outage/fine/")
    assert response.status_code == 503
    assert "<h1>" in response.content.decode()


def test_every_answer_has_the_content_security_policy(client):
    for url in ("/outage/fine/", "/health/", "/showcase/", "/outage/page/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


def test_the_policy_can_be_report_only(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/outage/fine/")
    assert "Content-Security-Policy" not in response
    assert response["Content-Security-Policy-Report-Only"] == CONTENT_SECURITY_POLICY


def test_secure_headers(client):
    response = client.get("/outage/fine/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_only_the_api_documentation_may_run_its_own_inline_code(client):
    from danvan.ops.middleware import API_DOCS_POLICY

    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == API_DOCS_POLICY, url
    assert "script-src 'self' 'unsafe-inline'" in API_DOCS_POLICY
    assert "frame-ancestors 'none'" in API_DOCS_POLICY
    response = client.get("/api/v1/schema/")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_only_a_development_server_relaxes_the_policy_of_its_error_pages(client, settings):
    from danvan.ops.middleware import API_DOCS_POLICY

    missing = client.get("/showcase/NO-SUCH-CODE/")
    assert missing.status_code == 404
    assert missing["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    settings.DEBUG = True
    assert client.get("/showcase/NO-SUCH-CODE/")["Content-Security-Policy"] == API_DOCS_POLICY
    assert client.get("/showcase/")["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
