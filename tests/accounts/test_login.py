"""Signing in: Argon2 hashes, django-axes lockout, password reset by e-mail, sessions, CSRF."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

PASSWORD = "nha-van-hoa-khu-1-2024"
LOGIN = "/accounts/login/"


@pytest.fixture
def lan(db):
    """Lan, with a real password and an e-mail address (overrides the shared ``lan``)."""
    user = get_user_model().objects.create_user(
        username="lan", email="lan@danvan.test", password=PASSWORD, first_name="Lan"
    )
    return user


def sign_in(client, password, username="lan"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_argon2_is_the_password_hasher(lan):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert lan.password.startswith("argon2")
    assert lan.check_password(PASSWORD)


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_right_password_signs_in(client, lan):
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lan.pk)


def test_wrong_password_shows_the_form_again(client, lan):
    response = sign_in(client, "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, lan):
    lan.is_active = False
    lan.save()
    response = sign_in(client, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


class TestAxesLockout:
    def test_five_failures_lock_the_account_even_for_the_right_password(self, client, lan):
        assert settings.AXES_FAILURE_LIMIT == 5
        for attempt in range(4):
            response = sign_in(client, f"wrong-{attempt}")
            assert response.status_code == 200
        # The fifth failure reaches the limit and shows the lockout page.
        response = sign_in(client, "wrong-4")
        assert response.status_code == 429
        response = sign_in(client, PASSWORD)
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        assert "accounts/locked_out.html" in [t.name for t in response.templates]
        assert reverse_password_reset() in response.content.decode()

    def test_lockout_is_per_username_and_address(self, client, lan):
        get_user_model().objects.create_user(username="minh", password=PASSWORD)
        for attempt in range(5):
            sign_in(client, f"wrong-{attempt}")
        assert sign_in(client, PASSWORD).status_code == 429
        # Minh, from the same address, is not locked out by Lan's failures.
        response = sign_in(client, PASSWORD, username="minh")
        assert response.status_code == 302
        # Lan from another address is not locked either.
        other = Client(REMOTE_ADDR="10.1.2.3")
        response = other.post(LOGIN, {"username": "lan", "password": PASSWORD})
        assert response.status_code == 302

    def test_success_before_the_limit_resets_the_count(self, client, lan):
        for attempt in range(4):
            sign_in(client, f"wrong-{attempt}")
        assert sign_in(client, PASSWORD).status_code == 302
        client.logout()
        for attempt in range(4):
            assert sign_in(client, f"again-{attempt}").status_code == 200
        assert sign_in(client, PASSWORD).status_code == 302


def reverse_password_reset():
    from django.urls import reverse

    return reverse("password_reset")


class TestPasswordReset:
    def test_reset_sends_a_link_that_sets_a_new_password(self, client, lan):
        response = client.post("/accounts/password_reset/", {"email": "lan@danvan.test"})
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["lan@danvan.test"]
        match = re.search(r"https?://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body)
        assert match, message.body
        response = client.get(match.group(1), follow=True)
        assert response.status_code == 200
        form_url = response.redirect_chain[-1][0]
        new_password = "ve-tay-lan-can-2025"
        response = client.post(
            form_url, {"new_password1": new_password, "new_password2": new_password}
        )
        assert response.status_code == 302
        lan.refresh_from_db()
        assert lan.check_password(new_password)
        assert lan.password.startswith("argon2")

    def test_unknown_address_sends_nothing_but_looks_the_same(self, client, lan):
        response = client.post("/accounts/password_reset/", {"email": "nobody@danvan.test"})
        assert response.status_code == 302
        assert mail.outbox == []


class TestSessionsAndCsrf:
    def test_sessions_expire(self):
        assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
        assert settings.SESSION_COOKIE_HTTPONLY

    def test_login_post_without_csrf_token_is_refused(self, lan):
        client = Client(enforce_csrf_checks=True)
        response = client.post(LOGIN, {"username": "lan", "password": PASSWORD})
        assert response.status_code == 403
        assert "_auth_user_id" not in client.session

    def test_login_post_with_csrf_token_is_accepted(self, lan):
        client = Client(enforce_csrf_checks=True)
        client.get(LOGIN)
        token = client.cookies["csrftoken"].value
        response = client.post(
            LOGIN, {"username": "lan", "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302

    def test_csrf_middleware_is_on(self):
        assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


class TestPasswordLength:
    """ASVS 2.1.1: a password has at least 12 characters; beyond that, any length and any
    characters (Vietnamese included)."""

    def test_eleven_characters_are_refused_with_the_reason(self):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError
        from django.utils import translation

        with translation.override("en"), pytest.raises(ValidationError) as refused:
            validate_password("Hoa-2025-ab")
        assert "at least 12 characters" in " ".join(refused.value.messages)

    def test_twelve_characters_are_enough(self):
        from django.contrib.auth.password_validation import validate_password

        assert validate_password("Hoa-2025-abc") is None
        assert validate_password("Mật khẩu rất dài của chị Hoa " * 4) is None
