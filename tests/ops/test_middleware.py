"""A lost database answers 503 with a message in the user's language; the
Content-Security-Policy header on every answer."""

import pytest
from django.db import OperationalError

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


# The policy, directive by directive (django-csp writes the directives in no fixed order).
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Swagger UI and ReDoc: their own inline code, and ReDoc's worker; still nothing from elsewhere.
API_DOCS_POLICY = POLICY | {
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "worker-src": "'self' blob:",
}


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_every_answer_has_the_content_security_policy(client):
    for url in ("/outage/fine/", "/health/", "/showcase/", "/outage/page/"):
        response = client.get(url)
        assert directives(response["Content-Security-Policy"]) == POLICY, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_policy_can_be_report_only(client, settings):
    """CSP_REPORT_ONLY=1 moves the policy to the report-only setting (tests/test_settings.py)."""
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/outage/fine/")
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"]) == POLICY


def test_secure_headers(client):
    response = client.get("/outage/fine/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_only_the_api_documentation_may_run_its_own_inline_code(client, settings):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response["Content-Security-Policy"]) == API_DOCS_POLICY, url
    response = client.get("/api/v1/schema/")
    assert directives(response["Content-Security-Policy"]) == POLICY
    # Watching the policy before enforcing it does not report the documentation's own code.
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/api/v1/docs/")
    assert "Content-Security-Policy" not in response
    assert directives(response["Content-Security-Policy-Report-Only"]) == API_DOCS_POLICY


def test_only_a_development_server_leaves_its_error_pages_without_a_policy(client, settings):
    """Django's error pages for developers carry inline styles; django-csp sends them without
    a policy when DEBUG is on, and only then."""
    missing = client.get("/showcase/NO-SUCH-CODE/")
    assert missing.status_code == 404
    assert directives(missing["Content-Security-Policy"]) == POLICY
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/showcase/NO-SUCH-CODE/")
    assert directives(client.get("/showcase/")["Content-Security-Policy"]) == POLICY
