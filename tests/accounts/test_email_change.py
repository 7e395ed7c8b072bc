"""A change of e-mail address cannot hand an account over: the old address is told and asked to
confirm; until it does, for a day, "Forgotten your password?" sends nothing to the new address
and answers exactly as for an address nobody has."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from danvan.accounts.addresses import email_change_token
from danvan.accounts.models import User
from danvan.accounts.services import user_update

PASSWORD = "nha-van-hoa-khu-1-2024"
OLD = "lan@quangyen.test"
NEW = "lan.moi@quangyen.test"
LINK = re.compile(r"https?://[^/\s]+(/people/confirm-address/[^/\s]+/)")


@pytest.fixture
def lan(world):
    world.lan.email = OLD
    world.lan.language = "en"
    world.lan.set_password(PASSWORD)
    world.lan.save()
    return world.lan


@pytest.fixture
def changed(world, lan, django_capture_on_commit_callbacks):
    """Tuấn, Quảng Ninh's administrator, gives Lan a new address; return the notice."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        user_update(actor=world.tuan, user=lan, email=NEW)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def ask_reset(client, address: str):
    mail.outbox.clear()
    response = client.post("/accounts/password_reset/", {"email": address}, follow=True)
    assert response.status_code == 200
    return response


def page_text(response) -> str:
    """The answer without the per-request parts (the CSRF token, the request's id)."""
    text = response.content.decode()
    return re.sub(r"[A-Za-z0-9]{64}|[0-9a-f]{32}", "", text)


def test_the_old_address_is_told_what_changed_and_how_to_report_it(lan, changed):
    assert changed.to == [OLD]
    assert NEW in changed.body and OLD in changed.body
    assert "“tuan”" in changed.body
    assert "tell your administrator" in changed.body
    assert LINK.search(changed.body)
    lan.refresh_from_db()
    assert lan.email == NEW
    assert lan.email_previous == OLD
    assert lan.email_changed_at is not None
    assert not lan.email_change_confirmed


def test_the_whole_flow(client, lan, changed):
    # Within a day, unconfirmed: nothing goes to the new address, and the page answers as it
    # does for an address nobody has.
    held = ask_reset(client, NEW)
    assert mail.outbox == []
    unknown = ask_reset(client, "nobody@nowhere.test")
    assert mail.outbox == []
    assert held.redirect_chain == unknown.redirect_chain
    assert page_text(held) == page_text(unknown)

    # The old address confirms: the visit only shows the page, the button confirms.
    path = LINK.search(changed.body)[1]
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and NEW in page.content.decode()
    lan.refresh_from_db()
    assert not lan.email_change_confirmed
    done = client.post(path, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200 and "confirmed" in done.content.decode()
    lan.refresh_from_db()
    assert lan.email_change_confirmed

    # Now a reset goes to the new address.
    ask_reset(client, NEW)
    assert [message.to for message in mail.outbox] == [[NEW]]

    # The link does not work twice.
    assert client.post(path).status_code == 400


def test_after_a_day_without_confirmation_the_reset_goes_through(client, lan, changed):
    User.objects.filter(pk=lan.pk).update(
        email_changed_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    ask_reset(client, NEW)
    assert [message.to for message in mail.outbox] == [[NEW]]


def test_a_person_whose_address_did_not_change_gets_the_link(client, world, lan):
    ask_reset(client, OLD)
    assert [message.to for message in mail.outbox] == [[OLD]]


def test_a_case_change_is_no_change(world, lan, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        user_update(actor=world.tuan, user=lan, email=OLD.upper())
    assert mail.outbox == []
    lan.refresh_from_db()
    assert lan.email_changed_at is None


@pytest.mark.parametrize("token", ["not-a-token", "e30:1u0aaa:forged"])
def test_a_forged_link_confirms_nothing(client, lan, changed, token):
    response = client.post(f"/people/confirm-address/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    lan.refresh_from_db()
    assert not lan.email_change_confirmed


def test_the_link_of_an_earlier_change_does_not_confirm_a_later_one(
    client, world, lan, changed, django_capture_on_commit_callbacks
):
    first = LINK.search(changed.body)[1]
    with django_capture_on_commit_callbacks(execute=True):
        user_update(actor=world.tuan, user=lan, email="lan.3@quangyen.test")
    assert client.post(first).status_code == 400
    lan.refresh_from_db()
    assert not lan.email_change_confirmed
    client.post(f"/people/confirm-address/{email_change_token(lan)}/")
    lan.refresh_from_db()
    assert lan.email_change_confirmed
