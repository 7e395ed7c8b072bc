"""Session and transport items of the security review (docs/security.md) that no other test
proves: a new session id at sign-in, a session gone on the server at sign-out, cookie flags and
HSTS with the production settings."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "den-long-thon-3-2025"


@pytest.fixture
def hoa(db):
    user = UserFactory(username="hoa")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client: Client):
    return client.post("/accounts/login/", {"username": "hoa", "password": PASSWORD})


def test_signing_in_issues_a_new_session_id(client, hoa):
    client.get("/accounts/login/")
    session = client.session
    session["before"] = "anonymous"
    session.save()
    anonymous_key = session.session_key
    assert _sign_in(client).status_code == 302
    assert client.cookies["sessionid"].value != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


def test_signing_out_ends_the_session_on_the_server(client, hoa):
    _sign_in(client)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie, replayed, is anonymous.
    replay = Client()
    replay.cookies["sessionid"] = key
    response = replay.get("/accounts/password_change/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_cookies_are_secure_httponly_and_samesite_in_production(client, hoa, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get("/accounts/login/", secure=True)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/", {"username": "hoa", "password": PASSWORD}, secure=True
    )
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert 0 < int(session["max-age"]) <= 12 * 60 * 60


def test_hsts_on_https_answers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/health/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/health/")


def test_every_test_the_security_review_names_exists():
    """docs/security.md cites tests as proof; a renamed or deleted test must not go unnoticed."""
    import re

    from tests.ops.conftest import ROOT

    review = (ROOT / "docs" / "security.md").read_text()
    cited = re.findall(r"`(tests/[\w/]+\.py)((?:::\w+)*)`", review)
    assert len(cited) > 40
    missing = []
    for path, names in cited:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
            continue
        source = file.read_text()
        for name in filter(None, names.split("::")):
            if not re.search(rf"^\s*(def|class) {name}\b", source, re.M):
                missing.append(f"{path}::{name}")
    # Bare "::name" continuations refer to the file cited just before them.
    for previous, name in re.findall(r"`(tests/[\w/]+\.py)[^`]*`, `::(\w+)`", review):
        if not re.search(rf"^\s*def {name}\b", (ROOT / previous).read_text(), re.M):
            missing.append(f"{previous}::{name}")
    assert missing == []


def test_production_cookies_carry_the_host_prefix(tmp_path):
    """ASVS 3.4.4: in production the session and CSRF cookies are ``__Host-`` cookies: Secure,
    Path=/ and no Domain, which is what a browser demands before it accepts that prefix."""
    from tests.test_settings import run_django, strong_key

    code = (
        "from django.test import Client\n"
        "from danvan.demo.users import ADMIN_PASSWORD\n"
        "from django.contrib.auth import get_user_model\n"
        "get_user_model().objects.create_user('hoa', password=ADMIN_PASSWORD)\n"
        "c = Client()\n"
        "r = c.get('/accounts/login/', secure=True)\n"
        "t = r.cookies['__Host-csrftoken']\n"
        "r = c.post('/accounts/login/', {'username': 'hoa', 'password': ADMIN_PASSWORD,"
        " 'csrfmiddlewaretoken': t.value}, secure=True, HTTP_REFERER='https://testserver/')\n"
        "for name in ('__Host-csrftoken', '__Host-sessionid'):\n"
        "    m = r.cookies.get(name) or c.cookies[name]\n"
        "    print(name, bool(m['secure']), m['path'], repr(m['domain']))\n"
        "print(sorted(k for k in c.cookies if not k.startswith('__Host-')))\n"
    )
    environment = {
        "DANVAN_ENV": "production",
        "SECRET_KEY": strong_key(),
        "ALLOWED_HOSTS": "testserver",
    }
    process = run_django(tmp_path, "migrate", "--noinput", **environment)
    assert process.returncode == 0, process.stderr
    process = run_django(tmp_path, "shell", "--no-imports", "-c", code, **environment)
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines() == [
        "__Host-csrftoken True / ''",
        "__Host-sessionid True / ''",
        "[]",
    ]
