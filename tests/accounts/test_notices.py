"""Notices after a credential changes (ASVS 2.2.3, 2.5.5): the person hears of a new password
or a new API token by e-mail, in their language, with no link and no secret; a mail server
that fails does not undo the change."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from danvan.accounts import notices
from danvan.accounts.services import api_token_create

PASSWORD = "nha-van-hoa-khu-1-2024"
NEW_PASSWORD = "den-long-thon-3-2025-moi"


@pytest.fixture
def lan(db):
    return get_user_model().objects.create_user(
        username="lan", email="lan@danvan.test", password=PASSWORD, first_name="Lan", language="en"
    )


def change_password(user, password=NEW_PASSWORD):
    user.set_password(password)
    user.save()


def test_a_password_change_is_told_with_when_and_what_to_do(
    lan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_password(lan)
    (message,) = mail.outbox
    assert message.to == ["lan@danvan.test"]
    assert message.subject == "[danvan] Your password was changed"
    assert "Hello Lan," in message.body
    assert "“lan”" in message.body
    assert "If it was not you" in message.body
    # A genuine notice never asks anyone to click, and carries no secret.
    assert "http" not in message.body
    assert NEW_PASSWORD not in message.body and PASSWORD not in message.body


def test_the_notice_is_rendered_in_the_persons_language_whatever_is_active(lan, monkeypatch):
    seen = []
    real = notices.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return real(*args, **kwargs)

    monkeypatch.setattr(notices, "render_to_string", spy)
    for language in ("vi", "ar"):
        lan.language = language
        with translation.override("en"):
            notices.send_password_changed(lan, how=notices.CHANGED_BY_SELF)
        assert seen[-1] == language
    assert translation.get_language() == "en"  # the tests' own language is back


@pytest.mark.parametrize(
    ("how", "sentence"),
    [
        (notices.CHANGED_BY_SELF, "“Change password” page"),
        (notices.CHANGED_BY_RESET, "forgotten password"),
        (notices.CHANGED_BY_ADMIN, "administrator “root”"),
        (notices.CHANGED_OUTSIDE, "server's operator"),
    ],
)
def test_the_notice_says_how_it_changed(lan, how, sentence):
    root = get_user_model()(username="root")
    assert notices.send_password_changed(lan, how=how, by=root)
    assert sentence in mail.outbox[0].body


def test_no_address_no_mail_and_no_error(lan, django_capture_on_commit_callbacks):
    lan.email = ""
    lan.save()
    with django_capture_on_commit_callbacks(execute=True):
        change_password(lan)
    assert mail.outbox == []
    lan.refresh_from_db()
    assert lan.check_password(NEW_PASSWORD)


def test_a_failing_mail_server_does_not_undo_the_change(
    lan, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp is down")

    monkeypatch.setattr(notices, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        change_password(lan)
    lan.refresh_from_db()
    assert lan.check_password(NEW_PASSWORD)
    assert "notice to user" in caplog.text


def test_a_rolled_back_change_sends_nothing(lan, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                change_password(lan)
                raise RuntimeError("the rest of the change failed")
        except RuntimeError:
            pass
    assert mail.outbox == []


def test_a_new_token_is_told_by_name_never_by_key(lan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _token, key = api_token_create(actor=lan, name="Excel of the commission")
    (message,) = mail.outbox
    assert message.subject == "[danvan] A new API token was created for your account"
    assert "“Excel of the commission”" in message.body
    assert "“Sessions and tokens”" in message.body
    assert key not in message.body
    # The secret is all after "dvk_<prefix>_"; it may hold "_" itself, so split twice only.
    assert key.split("_", 2)[-1] not in message.body


def test_names_are_not_html_escaped_in_the_text(lan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_token_create(actor=lan, name="R&D <tools>")
    assert "“R&D <tools>”" in mail.outbox[0].body
