"""Security events of accounts (ASVS 7.1.3, 7.2.1, 7.2.2): sign-in succeeded, failed and
locked out, sign-out, password changed or reset, API tokens, people and roles; each with who
and from where, none with a password or a token's key."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from danvan.accounts.models import Role
from danvan.accounts.services import (
    api_token_create,
    api_token_revoke,
    role_assign,
    role_revoke,
    user_activate,
    user_create,
    user_deactivate,
)

PASSWORD = "nha-van-hoa-khu-1-2024"
NEW_PASSWORD = "den-long-thon-3-2025-moi"
LOGIN = "/accounts/login/"


@pytest.fixture
def events(caplog):
    """Return the security events logged so far as (event, fields) pairs."""
    caplog.set_level(logging.INFO, logger="danvan.security")

    def read(name: str | None = None) -> list[logging.LogRecord]:
        return [
            r
            for r in caplog.records
            if r.name == "danvan.security" and (name is None or r.event == name)
        ]

    read.text = lambda: caplog.text
    return read


@pytest.fixture
def lan(db):
    return get_user_model().objects.create_user(
        username="lan", email="lan@danvan.test", password=PASSWORD, first_name="Lan"
    )


def sign_in(client, password, username="lan", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


class TestSignIn:
    def test_success_is_logged_with_the_person_and_address(self, client, lan, events):
        sign_in(client, PASSWORD, REMOTE_ADDR="203.0.113.7")
        (record,) = events("sign-in.succeeded")
        assert (record.user_id, record.username, record.address) == (lan.pk, "lan", "203.0.113.7")
        assert record.levelno == logging.INFO

    def test_failure_is_logged_with_the_name_typed_never_the_password(self, client, lan, events):
        sign_in(client, "wrong-password-123", REMOTE_ADDR="203.0.113.7")
        sign_in(client, PASSWORD, username="nobody-here")
        failures = events("sign-in.failed")
        assert [r.username for r in failures] == ["lan", "nobody-here"]
        assert failures[0].levelno == logging.WARNING
        assert failures[0].address == "203.0.113.7"
        assert "wrong-password-123" not in events.text()
        assert PASSWORD not in events.text()
        assert events("sign-in.succeeded") == []

    def test_a_lockout_is_logged_once_it_happens(self, client, lan, events):
        for attempt in range(5):
            sign_in(client, f"wrong-{attempt}")
        assert sign_in(client, PASSWORD).status_code == 429
        locked = events("sign-in.locked-out")
        assert locked and locked[0].username == "lan"
        assert events("sign-in.succeeded") == []

    def test_sign_out_is_logged(self, client, lan, events):
        sign_in(client, PASSWORD)
        client.post("/accounts/logout/")
        (record,) = events("sign-out")
        assert record.user_id == lan.pk

    def test_a_user_name_with_a_newline_cannot_forge_a_line(self, client, lan, events):
        sign_in(client, "x", username="lan\nsign-in.succeeded username='root'")
        (record,) = events("sign-in.failed")
        assert "\n" not in record.getMessage()


class TestPasswordChanges:
    def test_a_change_by_the_person_is_logged_and_mailed(
        self, client, lan, events, django_capture_on_commit_callbacks
    ):
        client.force_login(lan)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/accounts/password_change/",
                {
                    "old_password": PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
            )
        assert response.status_code == 302
        (record,) = events("password.changed")
        assert (record.user_id, record.how) == (lan.pk, "self")
        assert NEW_PASSWORD not in events.text() and PASSWORD not in events.text()
        (message,) = mail.outbox
        assert message.to == ["lan@danvan.test"]
        assert NEW_PASSWORD not in message.body

    def test_a_refused_change_is_neither_logged_nor_mailed(
        self, client, lan, events, django_capture_on_commit_callbacks
    ):
        client.force_login(lan)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/accounts/password_change/",
                {"old_password": "not-my-password", "new_password1": "short", "new_password2": "x"},
            )
        assert response.status_code == 200
        assert events("password.changed") == []
        assert mail.outbox == []

    def test_a_reset_is_logged_and_mailed(self, lan, events, django_capture_on_commit_callbacks):
        client = Client()
        client.post("/accounts/password_reset/", {"email": "lan@danvan.test"})
        link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
        mail.outbox.clear()
        form = client.get(link, follow=True)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                form.redirect_chain[-1][0],
                {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            )
        assert response.status_code == 302
        (record,) = events("password.changed")
        assert record.how == "reset"
        assert len(mail.outbox) == 1
        # The reset link's token is not part of the event.
        assert link.split("/")[-2] not in record.getMessage()

    def test_the_admin_sets_no_password(self, lan, events, django_capture_on_commit_callbacks):
        """The Django admin is read-only: a forgotten password is reset by e-mail."""
        root = get_user_model().objects.create_superuser("root", "root@danvan.test", PASSWORD)
        client = Client()
        client.force_login(root)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/admin/accounts/user/{lan.pk}/password/",
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
            )
        assert response.status_code == 403
        lan.refresh_from_db()
        assert lan.check_password(PASSWORD)
        assert events("password.changed") == []
        assert mail.outbox == []

    def test_a_new_account_and_a_rehash_are_not_changes(
        self, lan, events, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            get_user_model().objects.create_user("minh", "minh@danvan.test", PASSWORD)
            lan.check_password(PASSWORD)  # may upgrade the hash: not a change
            lan.first_name = "Lan"
            lan.save()
        assert events("password.changed") == []
        assert mail.outbox == []


class TestTokensPeopleAndRoles:
    def test_tokens_created_and_revoked(self, lan, events, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            token, key = api_token_create(actor=lan, name="Excel")
            api_token_revoke(actor=lan, token=token)
            api_token_revoke(actor=lan, token=token)  # already revoked: no second event
        (created,) = events("api-token.created")
        (revoked,) = events("api-token.revoked")
        assert created.token_id == revoked.token_id == token.pk
        assert created.user_id == lan.pk
        assert key not in events.text()
        assert key.split("_", 2)[-1] not in events.text()

    def test_a_token_that_was_not_created_is_not_logged(
        self, lan, events, django_capture_on_commit_callbacks
    ):
        from django.core.exceptions import ValidationError

        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            api_token_create(actor=lan, name="   ")
        assert events("api-token.created") == []

    def test_people_and_roles(self, world, events, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            person = user_create(
                actor=world.tuan,
                username="mai",
                password=NEW_PASSWORD,
                organisation=world.wu_yen_giang,
            )
            assignment = role_assign(
                actor=world.tuan, user=person, role=Role.VIEWER, organisation=world.wu_yen_giang
            )
            role_revoke(actor=world.tuan, assignment=assignment)
            user_deactivate(actor=world.tuan, user=person)
            user_activate(actor=world.tuan, user=person)
        names = [r.event for r in events() if r.event.startswith(("user.", "role."))]
        assert names == [
            "user.created",
            "role.granted",
            "role.revoked",
            "user.deactivated",
            "user.activated",
        ]
        granted = events("role.granted")[0]
        assert (granted.actor, granted.username, granted.role) == ("tuan", "mai", "viewer")
        assert granted.organisation_id == world.wu_yen_giang.pk
        assert NEW_PASSWORD not in events.text()

    def test_a_refused_grant_is_not_logged_as_granted(
        self, world, events, django_capture_on_commit_callbacks
    ):
        from django.core.exceptions import PermissionDenied

        with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
            role_assign(actor=world.tuan, user=world.nga, role=Role.VIEWER, area=world.ha_tinh)
        assert events("role.granted") == []


class TestRefusalsOfScope:
    """Out-of-scope records answer 404 like unknown ones; for a signed-in person the refusal
    is a security event with who asked for what."""

    @pytest.fixture(autouse=True)
    def _logged(self, settings):
        from tests.ops.test_security_log import SECURITY_MIDDLEWARE

        middleware = [m for m in settings.MIDDLEWARE if m != SECURITY_MIDDLEWARE]
        settings.MIDDLEWARE = [middleware[0], SECURITY_MIDDLEWARE, *middleware[1:]]

    def test_another_provinces_initiative(self, world, client, events):
        client.force_login(world.nga)  # officer in Hà Tĩnh
        response = client.get(f"/api/v1/initiatives/{world.cultural_houses.pk}/")
        assert response.status_code == 404
        (record,) = events("access.refused")
        assert (record.status, record.user_id) == (404, world.nga.pk)
        assert record.path == f"/api/v1/initiatives/{world.cultural_houses.pk}/"

    def test_a_person_outside_the_administrators_scope(self, world, client, events):
        client.force_login(world.tuan)  # administrator of Quảng Ninh
        assert client.get(f"/people/{world.nga.pk}/").status_code == 404
        assert client.get(f"/people/{world.lan.pk}/").status_code == 200
        (record,) = events("access.refused")
        assert (record.status, record.username) == (404, "tuan")

    def test_a_role_that_may_not_act(self, world, client, events):
        client.force_login(world.quan)  # viewer
        assert client.get("/people/").status_code == 403
        (record,) = events("access.refused")
        assert (record.status, record.username) == (403, "quan")


def test_behind_the_proxy_a_lockout_is_per_client(lan, settings):
    """With ``AXES_CLIENT_IP_CALLABLE`` set to ``axes_client_address``, five failures from one
    client lock the user name for that client only, not for every client behind nginx."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.AXES_CLIENT_IP_CALLABLE = "danvan.core.security_log.axes_client_address"
    thief = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for attempt in range(5):
        sign_in(thief, f"wrong-{attempt}")
    assert sign_in(thief, PASSWORD).status_code == 429
    office = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert sign_in(office, PASSWORD).status_code == 302
