"""One address cannot try sign-ins without limit, whatever user names it tries."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.LOGIN_ATTEMPTS_PER_MINUTE = 3
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_fourth_attempt_in_a_minute_is_refused(client, path):
    codes = [
        client.post(path, {"username": f"khach{i}", "password": "sai"}).status_code
        for i in range(4)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429


def test_a_burst_across_the_minute_boundary_is_still_refused(client, monkeypatch):
    """Two attempts just before a minute turns and two just after are four in a second."""
    clock = iter([119.6, 119.8, 120.1, 120.3])
    monkeypatch.setattr("danvan.accounts.middleware._now", lambda: next(clock))
    codes = [
        client.post("/accounts/login/", {"username": f"khach{i}", "password": "sai"}).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_attempts_of_the_previous_minute_fade_out(client, monkeypatch):
    """Halfway through the next minute, three earlier attempts weigh as one and a half."""
    clock = iter([60.0, 60.1, 60.2, 150.0])
    monkeypatch.setattr("danvan.accounts.middleware._now", lambda: next(clock))
    codes = [
        client.post("/accounts/login/", {"username": f"khach{i}", "password": "sai"}).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 200]


def test_other_addresses_are_not_affected(client):
    for i in range(4):
        client.post("/accounts/login/", {"username": f"khach{i}", "password": "sai"})
    other = client.post(
        "/accounts/login/", {"username": "lan", "password": "sai"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_reading_the_sign_in_page_is_not_counted(client):
    assert all(client.get("/accounts/login/").status_code == 200 for _ in range(6))


def test_behind_the_proxy_each_client_has_its_own_count(client, settings):
    """Behind nginx every request comes from 127.0.0.1; the client is the address nginx
    appends to X-Forwarded-For, so one client's attempts do not lock out the province."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    def attempt(forwarded: str) -> int:
        return client.post(
            "/accounts/login/",
            {"username": "khach", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    assert [attempt("203.0.113.7") for _ in range(4)] == [200, 200, 200, 429]
    assert attempt("198.51.100.20") == 200
    # A client cannot pick its count by writing the header itself: nginx appends the real one.
    assert attempt("198.51.100.20, 203.0.113.7") == 429
